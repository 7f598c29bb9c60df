"""The case API (/api/v1/cases/): open, read and assess cases, and every verb of the
procedure as a POST action under the same rules as the pages. A step the law or the
table refuses is answered 409 with its code and reason (api/errors.py)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yangguang.api.case_serializers import (
    AssessInputSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseListSerializer,
    DocumentTextSerializer,
    RunningDeadlineSerializer,
    ViolationRemoveSerializer,
    verb_input,
)
from yangguang.api.views import JsonAPIMixin, Pages, staff_responses
from yangguang.cases.deadlines import deadlines_running_for
from yangguang.cases.documents import WRITTEN_KINDS
from yangguang.cases.enums import DeadlineState
from yangguang.cases.models import Case, CaseDeadline, Violation
from yangguang.cases.moves import MOVES
from yangguang.cases.procedure import case_transition
from yangguang.cases.selectors import cases_visible_to, get_case_for_user
from yangguang.cases.services import (
    NewCase,
    Party,
    case_assess,
    case_open,
    case_violation_remove,
    case_write_record,
    report_for_number,
)
from yangguang.records.registry import pk_or_404


def _violation(code: str) -> Violation:
    try:
        return Violation.objects.get(code=code, is_current=True)
    except Violation.DoesNotExist:
        raise ValidationError({"violation": [f"No current catalogue item {code!r}."]}) from None


@extend_schema(tags=["cases"])
class CaseViewSet(JsonAPIMixin, viewsets.GenericViewSet):
    """Administrative-penalty cases in the user's scope."""

    queryset = Case.objects.all()  # the model, for the schema; reads go through selectors
    serializer_class = CaseDetailSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Case]:
        running = CaseDeadline.objects.filter(state=DeadlineState.OPEN).order_by("due_at")
        return (
            cases_visible_to(self.request.user)
            .select_related("unit")
            .prefetch_related(Prefetch("deadlines", queryset=running, to_attr="running_deadlines"))
            .order_by("-created_at", "-pk")
        )

    def get_object(self) -> Case:
        return get_case_for_user(user=self.request.user, case_id=pk_or_404(self.kwargs["pk"]))

    def _detail(self, case: Case) -> dict:
        return CaseDetailSerializer(case, context=self.get_serializer_context()).data

    @extend_schema(
        parameters=[CaseFilterSerializer],
        responses=staff_responses({200: CaseListSerializer(many=True)}, 404),
    )
    def list(self, request: Request) -> Response:
        params = CaseFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        cases = self.get_queryset()
        if status := params.validated_data.get("status"):
            cases = cases.filter(status=status)
        page = self.paginate_queryset(cases)
        data = CaseListSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Running deadlines of the cases in your scope, soonest first",
        description=(
            "The deadline board of the staff pages: every open deadline of the procedure "
            "(备案, 先行登记保存, 陈述申辩, 听证申请, decision, service, payment …) with its "
            "article, due time and light."
        ),
        responses=staff_responses({200: RunningDeadlineSerializer(many=True)}, 404),
    )
    @action(detail=False, methods=["get"], url_path="deadlines")
    def deadlines(self, request: Request) -> Response:
        page = self.paginate_queryset(deadlines_running_for(request.user))
        data = RunningDeadlineSerializer(
            page, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="A document of the case: its frozen text",
        description=(
            "The text as issued, section by section, with its number, date and SHA-256. "
            "Readers who may see the case but not its party in full (neither its officers "
            "nor a post that approves, reviews or decides) get the party's name, identity "
            "number, phone and address masked, as on the case page."
        ),
        parameters=[
            OpenApiParameter("document_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        responses=staff_responses({200: DocumentTextSerializer}, 404),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[^/.]+)",
        url_name="document",
    )
    def document(self, request: Request, pk: str, document_id: str) -> Response:
        case = self.get_object()
        document = case.documents.filter(pk=pk_or_404(document_id)).first()
        if document is None:
            raise Http404
        document.case = case
        return Response(
            DocumentTextSerializer(document, context=self.get_serializer_context()).data
        )

    @extend_schema(responses=staff_responses({200: CaseDetailSerializer}, 404))
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._detail(self.get_object()))

    @extend_schema(
        request=CaseCreateSerializer,
        responses=staff_responses({201: CaseDetailSerializer}, 409),
    )
    def create(self, request: Request) -> Response:
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        party = Party(**data.pop("party", {}))
        officers = [(o["user"], o["certificate"]) for o in data.pop("officers")]
        code = data.pop("violation", "")
        report_id = None
        if number := data.pop("report", ""):
            report_id = report_for_number(actor=request.user, tracking_number=number)
            if report_id is None:
                raise ValidationError({"report": [_("No report with this tracking number.")]})
        case = case_open(
            data=NewCase(
                **data,
                officers=officers,
                party=party,
                violation=_violation(code) if code else None,
                report_id=report_id,
            ),
            actor=request.user,
        )
        return Response(self._detail(case), status=201)

    @extend_schema(
        request=AssessInputSerializer,
        responses=staff_responses({200: CaseDetailSerializer}, 404, 409),
        summary="Assess the violation and the discretion (自由裁量)",
    )
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        serializer = AssessInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = case_assess(
            case_id=case.pk,
            actor=request.user,
            violation=_violation(data.pop("violation")),
            circumstances=_circumstances(data.pop("circumstances", {})),
            **data,
        )
        return Response(self._detail(case))


class WrittenRecordInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(WRITTEN_KINDS))
    text = serializers.CharField(max_length=20000)
    place = serializers.CharField(max_length=255, allow_blank=True, default="")


def _records(self: "CaseViewSet", request: Request, pk: str) -> Response:
    """Write a 询问笔录, 现场检查（勘验）笔录 or 责令（限期）改正通知书."""
    case = self.get_object()
    serializer = WrittenRecordInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    case_write_record(case_id=case.pk, actor=request.user, **serializer.validated_data)
    return Response(self._detail(get_case_for_user(user=request.user, case_id=case.pk)), 201)


_records.__name__ = "records"


def _remove_violation(self: "CaseViewSet", request: Request, pk: str) -> Response:
    """Take one of the case's other acts off it."""
    case = self.get_object()
    serializer = ViolationRemoveSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    case = case_violation_remove(
        case_id=case.pk,
        actor=request.user,
        violation=_violation(serializer.validated_data["violation"]),
    )
    return Response(self._detail(case))


_remove_violation.__name__ = "remove_violation"
CaseViewSet.remove_violation = extend_schema(
    request=ViolationRemoveSerializer,
    responses=staff_responses({200: CaseDetailSerializer}, 404, 409),
    summary="Take another act off the case",
)(action(detail=True, methods=["post"], url_path="remove_violation")(_remove_violation))
CaseViewSet.records = extend_schema(
    request=WrittenRecordInputSerializer,
    responses=staff_responses({201: CaseDetailSerializer}, 404, 409),
    summary="Write a record or a correction order",
)(action(detail=True, methods=["post"])(_records))


def _circumstances(raw: dict) -> dict:
    flags = {"minor", "first_offence", "corrected_in_time", "no_fault", "repeat"}
    flags |= {"mitigating", "aggravating"}
    facts: dict = {k: str(v).lower() in {"1", "true", "yes"} for k, v in raw.items() if k in flags}
    if raw.get("harm") in {"none", "minor", "serious"}:
        facts["harm"] = raw["harm"]
    return facts


def _verb_action(verb: str):
    """The POST action of one verb: parse its input, call ``case_transition``, answer
    with the case (409 with the reason and article if refused)."""
    input_class = verb_input(verb)
    move = MOVES[verb]

    def act(self: CaseViewSet, request: Request, pk: str) -> Response:
        case = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        case = case_transition(
            case_id=case.pk, verb=verb, actor=request.user, reason=reason, **data
        )
        return Response(self._detail(case))

    act.__name__ = f"verb_{verb}"
    target = move.target or "the same status"
    schema = extend_schema(
        operation_id=f"cases_{verb}",
        summary=str(move.label),
        description=(
            f"Moves the case from {', '.join(sorted(move.sources))} to {target}; needs the "
            f"post right `{move.action}`. A step the law or the table refuses is answered "
            "409 with the refusal's code and its reason, citing the article."
        ),
        request=input_class,
        responses=staff_responses({200: CaseDetailSerializer}, 404, 409),
    )
    return schema(action(detail=True, methods=["post"], url_path=verb, url_name=verb)(act))


for _verb in MOVES:
    setattr(CaseViewSet, f"verb_{_verb}", _verb_action(_verb))
