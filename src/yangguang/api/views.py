"""The REST API (/api/v1/): a third interface over the reports services, beside the
staff pages and the public portal. Views parse, find the object in the user's scope
(404 outside it), call one service and render; the services decide what is allowed,
and a refusal of the loop is answered 409 with its reason (api/errors.py)."""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yangguang.api.authentication import ApiClientAuthentication
from yangguang.api.errors import PayloadTooLarge
from yangguang.api.permissions import ApiClientHourlyLimit, IsMachineClient
from yangguang.api.serializers import (
    VERB_INPUTS,
    CountUnit,
    DeadlineAnswerSerializer,
    DeadlineQuerySerializer,
    ErrorSerializer,
    EventReportSerializer,
    EventSerializer,
    NoteInputSerializer,
    NoteSerializer,
    PhotoPublicSerializer,
    QueueSerializer,
    ReplySerializer,
    ReportCreatedSerializer,
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportFilterSerializer,
    ReportListSerializer,
    ReportPhotoSerializer,
    SupervisionInputSerializer,
    SupervisionReplySerializer,
    SupervisionSerializer,
    TimelineEntrySerializer,
    ascii_id,
)
from yangguang.api.services import MachineEvent, machine_event_submit
from yangguang.org.rules import Action, permission_name
from yangguang.records.presenters import present
from yangguang.records.registry import pk_or_404, target_for
from yangguang.records.selectors import records_of
from yangguang.reports.enums import Channel
from yangguang.reports.models import Report, ReportPhoto, Supervision
from yangguang.reports.photos import PHOTO_VERBS
from yangguang.reports.selectors import (
    QUEUE_BY_CODE,
    get_report_for_user,
    queue_counts,
    queue_reports,
    queues_for,
    reports_visible_to,
)
from yangguang.reports.services import (
    NewReport,
    report_note_add,
    report_photo_publish,
    report_reply,
    report_submit,
    supervision_issue,
    supervision_reply,
)
from yangguang.reports.workflow import MOVES, report_transition
from yangguang.worktime.calendar import (
    add_calendar_days,
    add_natural_hours,
    add_working_days,
    add_working_hours,
)
from yangguang.worktime.selectors import work_calendar

ERROR = OpenApiResponse(ErrorSerializer)
# What any endpoint may answer, whatever it does: 400 for a NUL character in a query
# parameter or a malformed body, 401 without credentials, 403 when the post may not (or a
# session without its CSRF token), 413 for a body over the limit (bad_input.py).
ANY_ENDPOINT_ERRORS = (400, 401, 403, 413)


def staff_responses(success: dict, *errors: int) -> dict:
    """A staff endpoint's responses: its success, the errors it may give (404 for an
    object outside the scope, 409 for a refused move …) and those of any endpoint."""
    return {**success, **dict.fromkeys(sorted({*errors, *ANY_ENDPOINT_ERRORS}), ERROR)}


# The deepest page a list serves: far beyond any real listing, and an offset the
# database takes as an ordinary number.
MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    """DRF's pages, with the page number checked as an input: ASCII digits from 1 (400
    otherwise, like any bad parameter); a page past the end is 404, as in DRF."""

    def get_page_number(self, request: Request, paginator) -> int | str:
        raw = request.query_params.get(self.page_query_param, "1")
        if raw in self.last_page_strings:
            return paginator.num_pages
        number = ascii_id(raw)
        if number is None or number > MAX_PAGE:
            raise serializers.ValidationError(
                {
                    self.page_query_param: [
                        _("Give a page number from 1 to %(max)s.") % {"max": MAX_PAGE}
                    ]
                }
            )
        return number


# A machine event's body: a 5 MB snapshot in base64 and the rest of the JSON.
EVENT_BODY_MAX = 8 * 1024 * 1024


def _may(user, action_: Action) -> bool:
    return user.has_perm(permission_name(action_))


class JsonAPIMixin:
    """The API speaks JSON only (no form posts, so no second set of request shapes)."""

    parser_classes = [JSONParser]


@extend_schema(tags=["reports"])
class ReportViewSet(JsonAPIMixin, viewsets.GenericViewSet):
    """Reports in the user's scope, and the verbs of the loop on them."""

    queryset = Report.objects.all()  # the model, for the schema; reads go through selectors
    serializer_class = ReportDetailSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Report]:
        return reports_visible_to(self.request.user)

    def get_object(self) -> Report:
        return get_report_for_user(user=self.request.user, report_id=pk_or_404(self.kwargs["pk"]))

    def _detail(self, report: Report) -> dict:
        return ReportDetailSerializer(report, context=self.get_serializer_context()).data

    def _filtered(self, params: dict) -> QuerySet[Report]:
        user = self.request.user
        code = params.get("queue")
        if code:
            queue = QUEUE_BY_CODE.get(code)
            if queue is None or not _may(user, queue.action):
                raise serializers.ValidationError({"queue": _("This is not one of your queues.")})
            reports = queue_reports(user=user, code=code)
        else:
            reports = reports_visible_to(user)
        if params.get("status"):
            reports = reports.filter(status=params["status"])
        if params.get("category"):
            reports = reports.filter(category__code=params["category"])
        if params.get("unit"):
            reports = reports.filter(unit_id=params["unit"])
        if params.get("q"):
            word = params["q"]
            reports = reports.filter(
                Q(tracking_number__startswith=word)
                | Q(address__icontains=word)
                | Q(description__icontains=word)
            )
        return (
            reports.select_related("category__standard")
            .prefetch_related("reporters")
            .order_by(params["ordering"], "-pk")
        )

    @extend_schema(
        summary="Reports in your scope",
        parameters=[ReportFilterSerializer],
        responses=staff_responses({200: ReportListSerializer(many=True)}, 404),
    )
    def list(self, request: Request) -> Response:
        params = ReportFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(self._filtered(params.validated_data))
        data = ReportListSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="One report", responses=staff_responses({200: ReportDetailSerializer}, 404)
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._detail(self.get_object()))

    @extend_schema(
        summary="Enter a hotline call or a patrol finding",
        description=(
            "Hotline calls need the right to accept reports, patrol findings the right to "
            "file them; without it the answer is 403 (nothing exists yet that the loop "
            "could refuse a move on). The tracking token is returned only here."
        ),
        request=ReportCreateSerializer,
        responses=staff_responses({201: ReportCreatedSerializer}),
    )
    def create(self, request: Request) -> Response:
        user = request.user
        if not (_may(user, Action.REPORT_ACCEPT) or _may(user, Action.REPORT_PATROL)):
            raise PermissionDenied(_("Your post may not enter reports."))
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        patrol = data["channel"] == Channel.PATROL
        if not _may(user, Action.REPORT_PATROL if patrol else Action.REPORT_ACCEPT):
            raise PermissionDenied(
                _("Your post may not file patrol findings.")
                if patrol
                else _("Your post may not take hotline calls.")
            )
        report, token = report_submit(
            data=NewReport(
                kind=data["kind"],
                channel=data["channel"],
                description=data["description"],
                category=data.get("category"),
                address=data["address"],
                longitude=data["longitude"],
                latitude=data["latitude"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
            ),
            actor=user,
        )
        body = ReportCreatedSerializer(
            report, context={**self.get_serializer_context(), "token": token}
        ).data
        location = reverse("api:report-detail", kwargs={"pk": report.pk})
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary="Reply to the reporters",
        request=ReplySerializer,
        responses=staff_responses({200: ReportDetailSerializer}, 404, 409),
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = report_reply(
            report=report, text=serializer.validated_data["text"], actor=request.user
        )
        return Response(self._detail(report))

    @extend_schema(
        summary="Add a note",
        request=NoteInputSerializer,
        responses=staff_responses({201: NoteSerializer}, 404),
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        serializer = NoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = report_note_add(
            report=report,
            text=serializer.validated_data["text"],
            public=serializer.validated_data["public"],
            actor=request.user,
        )
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Issue a supervision order (督办)",
        request=SupervisionInputSerializer,
        responses=staff_responses({201: SupervisionSerializer}, 404, 409),
    )
    @action(detail=True, methods=["post"])
    def supervise(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        serializer = SupervisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = supervision_issue(report=report, actor=request.user, **serializer.validated_data)
        return Response(SupervisionSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Show a field photo on the tracking page, or withdraw it",
        description=(
            "The inspector (监督员) or the shift leader (值班长) approves a field photo "
            "(see the report's `photos`) for the reporter's tracking page, which shows a "
            "re-encoded copy without EXIF; other posts are refused with 409. A photo whose "
            "format cannot be copied (HEIC) is refused with 400. Recorded in the chain."
        ),
        request=PhotoPublicSerializer,
        responses=staff_responses({200: ReportPhotoSerializer}, 404, 409),
    )
    @action(detail=True, methods=["post"], url_path=r"photos/(?P<photo_id>[0-9]+)/public")
    def photo_public(self, request: Request, pk: str, photo_id: str) -> Response:
        report = self.get_object()
        photo = (
            ReportPhoto.objects.select_related("evidence", "added_by")
            .filter(pk=pk_or_404(photo_id), report=report)
            .first()
        )
        if photo is None:
            raise Http404
        serializer = PhotoPublicSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        photo = report_photo_publish(
            photo=photo, public=serializer.validated_data["public"], actor=request.user
        )
        return Response(ReportPhotoSerializer(photo).data)

    @extend_schema(
        summary="The report's record (全过程记录)",
        description="The record entries you may read, oldest first; personal data masked.",
        responses=staff_responses({200: TimelineEntrySerializer(many=True)}, 404),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        entries = records_of(user=request.user, target=target_for(report))
        return Response(TimelineEntrySerializer(map(present, entries), many=True).data)


def _verb_action(verb: str):
    """The POST action of one verb of the loop: parse its input, call
    ``report_transition``, answer with the report (409 with the reason if refused)."""
    input_class = VERB_INPUTS[verb]
    move = MOVES[verb]

    def act(self: ReportViewSet, request: Request, pk: str) -> Response:
        report = self.get_object()
        data: dict = {}
        if input_class is not None:
            serializer = input_class(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        report = report_transition(
            report=report, verb=verb, actor=request.user, reason=reason, **data
        )
        return Response(self._detail(report))

    act.__name__ = f"verb_{verb}"
    description = (
        f"Moves the report from {', '.join(sorted(move.sources))} to {move.target}; "
        f"needs the post right `{move.action}`. A move the loop refuses is answered "
        "409 with the refusal's code and reason."
    )
    options: dict = {}
    if verb in PHOTO_VERBS:
        # Photos travel as files: this verb takes multipart/form-data as well as JSON.
        options["parser_classes"] = [JSONParser, MultiPartParser]
        description += (
            " Send photos as multipart/form-data, one part named `photos` per photo "
            "(at most 9, photos only: anything else is refused with 400 and nothing is "
            "stored); without photos JSON does. A handling without the after-photo its "
            "category requires is refused with 409 `photo_required`."
        )
    schema = extend_schema(
        operation_id=f"reports_{verb}",
        summary=str(move.label),
        description=description,
        request=input_class,
        responses=staff_responses({200: ReportDetailSerializer}, 404, 409),
    )
    # extend_schema goes outside @action, which would replace its annotations.
    return schema(
        action(detail=True, methods=["post"], url_path=verb, url_name=verb, **options)(act)
    )


# One action per verb, made from the table so that no verb is forgotten.
for _verb in MOVES:
    setattr(ReportViewSet, f"verb_{_verb}", _verb_action(_verb))


@extend_schema(tags=["reports"])
class SupervisionViewSet(JsonAPIMixin, viewsets.GenericViewSet):
    queryset = Supervision.objects.all()  # the model, for the schema
    serializer_class = SupervisionSerializer
    pagination_class = Pages

    def get_object(self) -> Supervision:
        order = Supervision.objects.filter(pk=pk_or_404(self.kwargs["pk"])).first()
        if order is None:
            raise Http404
        get_report_for_user(user=self.request.user, report_id=order.report_id)
        return order

    @extend_schema(
        summary="Reply to a supervision order",
        request=SupervisionReplySerializer,
        responses=staff_responses({200: SupervisionSerializer}, 404, 409),
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        order = self.get_object()
        serializer = SupervisionReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = supervision_reply(
            order=order, reply=serializer.validated_data["reply"], actor=request.user
        )
        return Response(SupervisionSerializer(order).data)


@extend_schema(tags=["reports"])
class QueuesView(JsonAPIMixin, APIView):
    @extend_schema(
        summary="Your work queues and how many reports each holds",
        responses=staff_responses({200: QueueSerializer(many=True)}),
    )
    def get(self, request: Request) -> Response:
        counts = queue_counts(request.user)
        rows = [
            {"code": queue.code, "label": str(queue.label), "count": counts[queue.code]}
            for queue in queues_for(request.user)
        ]
        return Response(QueueSerializer(rows, many=True).data)


@extend_schema(tags=["events"])
class EventsView(JsonAPIMixin, APIView):
    """Events from machine clients (video analytics, sensors)."""

    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsMachineClient]
    throttle_classes = [ApiClientHourlyLimit]

    @extend_schema(
        summary="Report an event (machine clients)",
        description=(
            "Becomes a problem report awaiting intake. Idempotent by `event_id`: the "
            "same event again returns its report with 200."
        ),
        request=EventSerializer,
        responses=staff_responses({201: EventReportSerializer, 200: EventReportSerializer}, 429),
    )
    def post(self, request: Request) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > EVENT_BODY_MAX:
            raise PayloadTooLarge
        serializer = EventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report, created = machine_event_submit(
            client=request.auth,
            event=MachineEvent(
                event_id=data["event_id"],
                description=data["description"],
                category=data.get("category"),
                latitude=data["latitude"],
                longitude=data["longitude"],
                occurred_at=data.get("occurred_at"),
                snapshot=data.get("snapshot"),
            ),
        )
        return Response(
            EventReportSerializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=["calendar"])
class DeadlineView(JsonAPIMixin, APIView):
    """The deadline calculator of the staff calendar page, on the working calendar."""

    @extend_schema(
        summary="When does a period end? (working-time deadline calculator)",
        description=(
            "Counts an amount of working days (the start day is not counted and the period "
            "ends at 23:59:59 of the last working day, 行政处罚法 第八十五条), working hours "
            "(only inside working periods of working days), natural hours (round the "
            "clock) or calendar days (a last day off moves to the next working day) from "
            "the start, on the bureau's holiday calendar. Needs the right to view the "
            "organisation, like the calendar page."
        ),
        parameters=[DeadlineQuerySerializer],
        responses=staff_responses({200: DeadlineAnswerSerializer}),
    )
    def get(self, request: Request) -> Response:
        if not _may(request.user, Action.VIEW_ORGANISATION):
            raise PermissionDenied(_("Your post may not use the working calendar."))
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, amount, unit = (query.validated_data[key] for key in ("start", "amount", "unit"))
        calendar = work_calendar()
        try:
            deadline = _count(start, amount, unit, calendar=calendar)
        except ValueError as error:  # beyond the calendar's arithmetic, e.g. no periods
            raise serializers.ValidationError({"amount": [str(error)]}) from error
        years = range(timezone.localtime(start).year, timezone.localtime(deadline).year + 1)
        answer = {
            "start": start,
            "amount": amount,
            "unit": unit,
            "deadline": timezone.localtime(deadline),
            "unconfigured_years": calendar.missing_years(years),
        }
        return Response(DeadlineAnswerSerializer(answer).data)


def _count(start, amount, unit: str, *, calendar) -> datetime.datetime:
    if unit == CountUnit.WORKING_DAYS:
        return add_working_days(start, int(amount), calendar=calendar)
    if unit == CountUnit.CALENDAR_DAYS:
        return add_calendar_days(start, int(amount), calendar=calendar)
    if unit == CountUnit.WORKING_HOURS:
        return add_working_hours(start, amount, calendar=calendar)
    return add_natural_hours(start, amount)
