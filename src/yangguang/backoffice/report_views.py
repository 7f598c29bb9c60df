"""Staff pages of the report loop: work queues, a report with the verbs the user may
use, hotline and patrol entry, the public summary, reply, notes, supervision orders,
exports, and the outbox's failures."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yangguang.backoffice.form_errors import errors_onto
from yangguang.backoffice.report_forms import (
    BulkDispatchForm,
    IndicatorForm,
    NoteForm,
    PublicSummaryForm,
    QueueFilterForm,
    ReplyForm,
    ReportEntryForm,
    SupervisionForm,
    SupervisionReplyForm,
    VerbForm,
)
from yangguang.categories.models import Category
from yangguang.core.privacy import mask_name, mask_phone
from yangguang.notify.models import Message, MessageStatus
from yangguang.notify.services import message_retry
from yangguang.org.models import Unit, User
from yangguang.org.rules import Action, permission_name
from yangguang.records.registry import target_for
from yangguang.records.selectors import evidence_of
from yangguang.reports.enums import Channel, ReportKind, Status
from yangguang.reports.exports import csv_stream, xlsx_file
from yangguang.reports.indicators import indicators, indicators_by
from yangguang.reports.measures import MEASURES, reports_of_measure
from yangguang.reports.models import Report, ReportPhoto, Supervision
from yangguang.reports.prefill import report_prefill
from yangguang.reports.routing import duplicate_candidates
from yangguang.reports.selectors import (
    QUEUE_BY_CODE,
    get_report_for_user,
    queue_counts,
    queue_reports,
    queues_for,
    report_photos_by_step,
    reports_visible_to,
)
from yangguang.reports.services import (
    NewReport,
    report_note_add,
    report_photo_publish,
    report_public_summary_set,
    report_reply,
    report_submit,
    supervision_issue,
    supervision_reply,
)
from yangguang.reports.workflow import MOVES, TransitionRefused, report_transition

# Posts that see reporters' contact details in full: those who call them back.
CONTACT_ACTIONS = (Action.REPORT_ACCEPT, Action.REPORT_DISPATCH, Action.REPORT_CLOSE)


def _may_see_contacts(user) -> bool:
    return any(user.has_perm(permission_name(action)) for action in CONTACT_ACTIONS)


def _filtered(request: HttpRequest, reports):
    form = QueueFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            word = data["q"]
            reports = reports.filter(
                Q(tracking_number__startswith=word)
                | Q(address__icontains=word)
                | Q(description__icontains=word)
            )
        if data.get("status"):
            reports = reports.filter(status=data["status"])
        if data.get("channel"):
            reports = reports.filter(channel=data["channel"])
        if data.get("category"):
            reports = reports.filter(category__code=data["category"])
        if data.get("since"):
            reports = reports.filter(created_at__gte=_day_start(data["since"]))
        if data.get("until"):
            reports = reports.filter(created_at__lt=_day_start(data["until"], after=1))
        reports = _counted(reports, data).order_by(data.get("sort") or "-created_at")
    else:
        reports = reports.order_by("-created_at")
    return form, reports


def _counted(reports, data: dict):
    """Narrowed to what a command-centre figure counts (analytics.links)."""
    for name in ("unit", "street", "community", "created_by"):
        if data.get(name):
            reports = reports.filter(**{f"{name}_id": data[name]})
    if data.get("category_id"):
        reports = reports.filter(category_id=data["category_id"])
    if data.get("grid"):
        reports = reports.filter(grid__code=data["grid"])
    if data.get("measure"):
        reports = reports_of_measure(reports, data["measure"])
    return reports


def _day_start(day: datetime.date, *, after: int = 0) -> datetime.datetime:
    """Local midnight of ``day`` (plus ``after`` days): a range on the indexed column,
    where ``created_at__date`` would make the database convert every row."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=after), datetime.time.min)
    )


def _queue_reports(request: HttpRequest, code: str):
    if code == "all":
        return reports_visible_to(request.user)
    queue = QUEUE_BY_CODE.get(code)
    if queue is None or not request.user.has_perm(permission_name(queue.action)):
        raise Http404
    return queue_reports(user=request.user, code=code)


@login_required
@require_GET
def queues(request: HttpRequest, code: str = "") -> HttpResponse:
    available = queues_for(request.user)
    if not available and not request.user.has_perm(permission_name(Action.READ_RECORDS)):
        raise PermissionDenied
    code = code or (available[0].code if available else "all")
    form, reports = _filtered(request, _queue_reports(request, code))
    counts = queue_counts(request.user)
    page = Paginator(reports.select_related("grid", "street"), 50).get_page(request.GET.get("page"))
    context = {
        "code": code,
        "counted": _counted_as(form),
        "tabs": [(queue, counts.get(queue.code, 0)) for queue in available],
        "form": form,
        "page": page,
        "bulk": BulkDispatchForm() if code in {"dispatch", "returned"} else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "backoffice/reports/queues.html", context)


BULK_DISPATCH_MAX = 50


def _counted_as(form: QueueFilterForm) -> list[str]:
    """The figure a command-centre link came from, in words: what it counts and where."""
    if not form.is_valid() or not form.cleaned_data.get("measure"):
        return []
    data = form.cleaned_data
    words = [str(MEASURES[data["measure"]].label)]
    ids = [data[name] for name in ("unit", "street", "community") if data.get(name)]
    words += list(Unit.objects.filter(pk__in=ids).values_list("name", flat=True))
    if data.get("created_by"):
        words += list(User.objects.filter(pk=data["created_by"]).values_list("name", flat=True))
    if data.get("category_id"):
        category = Category.objects.filter(pk=data["category_id"]).first()
        words += [category.name] if category else []
    if data.get("grid"):
        words.append(data["grid"])
    return words


@login_required
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    form = BulkDispatchForm(request.POST)
    chosen = request.POST.getlist("report")
    if not form.is_valid() or not chosen:
        messages.error(request, _("Choose the reports and the unit to dispatch them to."))
        return redirect("backoffice:queue", code="dispatch")
    from yangguang.records.registry import pk_or_404

    # A queue page shows 50: more at once is not a person choosing (and int() would take
    # "٣" for 3 and fail on "¹"; pk_or_404 reads ASCII ids only).
    if len(chosen) > BULK_DISPATCH_MAX:
        messages.error(
            request, _("Dispatch at most %(n)d reports at once.") % {"n": BULK_DISPATCH_MAX}
        )
        return redirect("backoffice:queue", code="dispatch")
    done, refused = 0, []
    for report_id in chosen:
        report = get_report_for_user(user=request.user, report_id=pk_or_404(report_id))
        try:
            report_transition(
                report=report, verb="dispatch", actor=request.user, unit=form.cleaned_data["unit"]
            )
            done += 1
        except TransitionRefused as exc:
            refused.append(f"{report.tracking_number}: {exc.reason}")
    if done:
        messages.success(request, _("%(n)d report(s) dispatched.") % {"n": done})
    for line in refused:
        messages.error(request, line)
    return redirect("backoffice:queue", code="dispatch")


@login_required
@require_GET
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _form, reports = _filtered(request, _queue_reports(request, code))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(reports), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="reports-{code}-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(reports),
            as_attachment=True,
            filename=f"reports-{code}-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404


def _verbs_for(report: Report, user) -> list[tuple[str, object]]:
    return [
        (verb, move.label)
        for verb, move in MOVES.items()
        if report.status in move.sources and user.has_perm(permission_name(move.action))
    ]


def _reporters(report: Report, user) -> list[dict]:
    full = _may_see_contacts(user)
    return [
        {
            "name": reporter.name if full else mask_name(reporter.name),
            "phone": reporter.phone if full else mask_phone(reporter.phone),
            "channel": reporter.get_channel_display(),
            "created_at": reporter.created_at,
        }
        for reporter in report.reporters.all()
    ]


def _may_publish_photos(user) -> bool:
    return any(
        user.has_perm(permission_name(action))
        for action in (Action.REPORT_VERIFY, Action.REPORT_CLOSE)
    )


def _render_detail(
    request: HttpRequest, report: Report, *, status: int = 200, forms=None
) -> HttpResponse:
    user = request.user
    verbs = [
        (verb, label, (forms or {}).get(verb) or VerbForm(verb=verb, report=report))
        for verb, label in _verbs_for(report, user)
    ]
    context = {
        "report": report,
        "verbs": verbs,
        "reporters": _reporters(report, user),
        "notes": report.notes.select_related("author"),
        "supervisions": report.supervisions.select_related("issued_by", "replied_by"),
        "requests": report.delay_requests.select_related("requested_by", "decided_by"),
        "links": evidence_of(target=target_for(report)),
        "photo_steps": report_photos_by_step(report),
        "may_publish_photos": _may_publish_photos(user),
        "duplicates": duplicate_candidates(report) if report.status == Status.SUBMITTED else [],
        "reply_form": (forms or {}).get("reply") or ReplyForm(),
        "summary_form": (forms or {}).get("summary")
        or PublicSummaryForm(initial={"text": report.public_summary}),
        "note_form": NoteForm(),
        "supervision_form": SupervisionForm(),
        "supervision_reply_form": SupervisionReplyForm(),
        "messages_sent": report.messages.order_by("created_at"),
        "may_reply": user.has_perm(permission_name(Action.REPORT_ACCEPT))
        or user.has_perm(permission_name(Action.REPORT_CLOSE)),
        "may_supervise": user.has_perm(permission_name(Action.REPORT_SUPERVISE)),
        "may_edit_summary": bool(report.public_summary)
        and user.has_perm(permission_name(Action.REPORT_ACCEPT)),
    }
    return render(request, "backoffice/reports/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return _render_detail(request, get_report_for_user(user=request.user, report_id=report_id))


@login_required
@require_POST
def act(request: HttpRequest, report_id: int, verb: str) -> HttpResponse:
    """One verb of the loop. A refusal shows its reason on the page (HTTP 409)."""
    report = get_report_for_user(user=request.user, report_id=report_id)
    if verb not in MOVES:
        raise Http404
    form = VerbForm(request.POST, request.FILES, verb=verb, report=report)
    if not form.is_valid():
        return _render_detail(request, report, status=400, forms={verb: form})
    data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    reason = data.pop("reason", "")
    if "into" in data:
        master = reports_visible_to(request.user).filter(tracking_number=data.pop("into")).first()
        if master is None:
            form.add_error("into", _("No report with this tracking number."))
            return _render_detail(request, report, status=400, forms={verb: form})
        data["into"] = master
    try:
        report = report_transition(
            report=report, verb=verb, actor=request.user, reason=reason, **data
        )
    except TransitionRefused as exc:
        messages.error(request, exc.reason)
        return _render_detail(
            request, Report.objects.get(pk=report.pk), status=409, forms={verb: form}
        )
    except ValidationError as exc:
        errors_onto(form, exc)
        return _render_detail(
            request, Report.objects.get(pk=report.pk), status=400, forms={verb: form}
        )
    messages.success(
        request,
        _("%(number)s: %(verb)s done.")
        % {"number": report.tracking_number, "verb": MOVES[verb].label},
    )
    return redirect("backoffice:report", report_id=report.pk)


@login_required
@require_POST
def public_summary(request: HttpRequest, report_id: int) -> HttpResponse:
    """Change the public summary (受理员, 值班长): refused with the reason on the page
    (400 for the text, 409 before registration), recorded in the chain."""
    report = get_report_for_user(user=request.user, report_id=report_id)
    form = PublicSummaryForm(request.POST)
    if form.is_valid():
        try:
            report_public_summary_set(
                report=report, text=form.cleaned_data["text"], actor=request.user
            )
        except TransitionRefused as exc:
            messages.error(request, exc.reason)
            return _render_detail(request, report, status=409, forms={"summary": form})
        except ValidationError as exc:
            errors_onto(form, exc, renamed={"public_summary": "text"})
        else:
            messages.success(request, _("The public summary is changed."))
            return redirect("backoffice:report", report_id=report.pk)
    return _render_detail(request, report, status=400, forms={"summary": form})


@login_required
@require_POST
def reply(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, report_id=report_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            report_reply(report=report, text=form.cleaned_data["text"], actor=request.user)
        except TransitionRefused as exc:
            messages.error(request, exc.reason)
            return _render_detail(request, report, status=409, forms={"reply": form})
        messages.success(request, _("The reply is on its way to the reporter."))
        return redirect("backoffice:report", report_id=report.pk)
    return _render_detail(request, report, status=400, forms={"reply": form})


@login_required
@require_POST
def photo_public(request: HttpRequest, report_id: int, photo_id: int) -> HttpResponse:
    """Approve a field photo for the tracking page, or withdraw it (监督员, 值班长):
    refused with the reason on the page, recorded in the chain."""
    report = get_report_for_user(user=request.user, report_id=report_id)
    photo = ReportPhoto.objects.filter(pk=photo_id, report=report).first()
    if photo is None:
        raise Http404
    public = request.POST.get("public") == "1"
    try:
        report_photo_publish(photo=photo, public=public, actor=request.user)
    except TransitionRefused as exc:
        messages.error(request, exc.reason)
        return _render_detail(request, report, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_detail(request, report, status=400)
    messages.success(
        request,
        _("The photo is shown on the tracking page.")
        if public
        else _("The photo is no longer shown on the tracking page."),
    )
    return redirect("backoffice:report", report_id=report.pk)


@login_required
@require_POST
def note(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, report_id=report_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        report_note_add(
            report=report,
            text=form.cleaned_data["text"],
            public=form.cleaned_data["public"],
            actor=request.user,
        )
    else:
        messages.error(request, _("The note is empty."))
    return redirect("backoffice:report", report_id=report.pk)


@login_required
@require_POST
def supervise(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(user=request.user, report_id=report_id)
    form = SupervisionForm(request.POST)
    if form.is_valid():
        try:
            supervision_issue(
                report=report,
                instruction=form.cleaned_data["instruction"],
                deadline=form.cleaned_data["deadline"],
                actor=request.user,
            )
        except (TransitionRefused, ValidationError) as exc:
            messages.error(request, getattr(exc, "reason", None) or "; ".join(exc.messages))
        else:
            messages.success(request, _("Supervision order issued."))
    else:
        messages.error(request, _("Give the instruction and the reply deadline."))
    return redirect("backoffice:report", report_id=report.pk)


@login_required
@require_POST
def supervision_answer(request: HttpRequest, order_id: int) -> HttpResponse:
    order = Supervision.objects.filter(pk=order_id).first()
    if order is None:
        raise Http404
    report = get_report_for_user(user=request.user, report_id=order.report_id)
    form = SupervisionReplyForm(request.POST)
    if form.is_valid():
        try:
            supervision_reply(order=order, reply=form.cleaned_data["reply"], actor=request.user)
        except (TransitionRefused, ValidationError) as exc:
            messages.error(request, getattr(exc, "reason", None) or "; ".join(exc.messages))
    return redirect("backoffice:report", report_id=report.pk)


def _entry(request: HttpRequest, *, patrol: bool) -> HttpResponse:
    action = Action.REPORT_PATROL if patrol else Action.REPORT_ACCEPT
    if not request.user.has_perm(permission_name(action)):
        raise PermissionDenied
    form = ReportEntryForm(
        request.POST or None,
        request.FILES or None,
        patrol=patrol,
        initial=report_prefill(request.GET) if request.method == "GET" else None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                report, _token = report_submit(
                    data=NewReport(
                        kind=ReportKind.PROBLEM if patrol else data["kind"],
                        channel=Channel.PATROL if patrol else Channel.HOTLINE,
                        description=data["description"],
                        category=data.get("category"),
                        address=data.get("address", ""),
                        longitude=data.get("longitude"),
                        latitude=data.get("latitude"),
                        reporter_name=data.get("reporter_name", ""),
                        reporter_phone=data.get("reporter_phone", ""),
                    ),
                    actor=request.user,
                    photos=data.get("photos", []),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Report %(number)s recorded.") % {"number": report.tracking_number}
                )
                return redirect("backoffice:report", report_id=report.pk)
    template = "backoffice/reports/patrol.html" if patrol else "backoffice/reports/entry.html"
    return render(request, template, {"form": form}, status=status)


@login_required
def hotline_entry(request: HttpRequest) -> HttpResponse:
    return _entry(request, patrol=False)


@login_required
def patrol_entry(request: HttpRequest) -> HttpResponse:
    return _entry(request, patrol=True)


@login_required
@permission_required(permission_name(Action.REPORT_CLOSE), raise_exception=True)
def outbox(request: HttpRequest) -> HttpResponse:
    """Messages that failed or are stuck, so staff can call the reporter instead."""
    if request.method == "POST":
        message = Message.objects.filter(
            pk=request.POST.get("message"), status=MessageStatus.FAILED
        ).first()
        if message is not None:
            try:
                message_retry(message=message)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The message is queued again."))
        return redirect(reverse("backoffice:outbox"))
    problems = Message.objects.filter(
        Q(status=MessageStatus.FAILED) | Q(status=MessageStatus.PENDING, attempts__gt=0)
    ).select_related("report")
    page = Paginator(problems, 50).get_page(request.GET.get("page"))
    for message in page:
        # The list shows masked numbers and the stored text, whose codes and link tokens
        # are *** (个人信息保护法 第五十一条); the report page has the reporter's contact.
        message.masked_phone = mask_phone(message.phone)
    return render(request, "backoffice/reports/outbox.html", {"page": page})


@login_required
@permission_required(permission_name(Action.READ_RECORDS), raise_exception=True)
@require_GET
def indicators_page(request: HttpRequest) -> HttpResponse:
    """The loop's indicators for the reports the user may see, received in a period,
    overall and by handling unit, sub-district or grid."""
    form = IndicatorForm(request.GET or None)
    today = timezone.localdate()
    since, until, by = today.replace(day=1), today, "unit"
    if form.is_valid():
        since = form.cleaned_data.get("since") or since
        until = form.cleaned_data.get("until") or until
        by = form.cleaned_data.get("by") or by
    reports = reports_visible_to(request.user).filter(
        created_at__gte=_day_start(since), created_at__lt=_day_start(until, after=1)
    )
    context = {
        "form": form,
        "since": since,
        "until": until,
        "total": indicators(reports, label=_("All")),
        "rows": indicators_by(reports, by=by),
        "by": by,
    }
    return render(request, "backoffice/reports/indicators.html", context)
