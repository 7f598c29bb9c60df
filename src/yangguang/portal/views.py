"""The public site: report a problem, follow it, rate the handling. No login; a reporter
follows their report with the secret link they were given (or the tracking number and
the end of their phone number). Nothing here shows staff names, internal notes or
anyone's personal data."""

import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yangguang.grids.models import Grid
from yangguang.portal.forms import PublicReportForm, RatingForm, TrackLookupForm
from yangguang.portal.officer_views import case_officer_links
from yangguang.portal.opendata_views import publication_check
from yangguang.records.context import client_from_request
from yangguang.records.models import RecordEntry
from yangguang.reports.enums import PUBLIC_STAGE, Channel, Status
from yangguang.reports.models import Report, Reporter, ReportPhoto
from yangguang.reports.photos import photo_public_copy
from yangguang.reports.prefill import report_prefill
from yangguang.reports.public import public_location, public_what
from yangguang.reports.selectors import report_public_photos
from yangguang.reports.services import NewReport, report_rate, report_submit, token_hash

# Record actions shown to the public, with what they tell the reporter (lazy: the
# language is the request's, not the one active when this module was imported).
PUBLIC_EVENTS = {
    "report.submit": gettext_lazy("Received"),
    "report.accept": gettext_lazy("Registered for handling"),
    "report.dispatch": gettext_lazy("Passed to %(unit)s"),
    "report.handle": gettext_lazy("Handling done"),
    "report.hand_over": gettext_lazy("Handed over to enforcement"),
    "report.verify_pass": gettext_lazy("Checked on site"),
    "report.verify_fail": gettext_lazy("Checked on site: more work needed"),
    "report.close": gettext_lazy("Finished"),
    "report.answer": gettext_lazy("Answered"),
    "report.reject": gettext_lazy("Not taken up"),
    "report.reopen": gettext_lazy("Reopened after your rating"),
    "report.merged_in": gettext_lazy("Another report of the same problem joined this one"),
}


def _too_many(request: HttpRequest, purpose: str, limit: int) -> bool:
    """A per-address hourly counter in the cache (a spam and guessing guard)."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"portal:{purpose}:{client_from_request(request).ip}:{hour}"
    count = cache.get_or_set(key, 0, timeout=3600)
    if count >= limit:
        return True
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
    return False


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"lookup": TrackLookupForm()})


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = PublicReportForm(
        request.POST or None,
        request.FILES or None,
        initial=report_prefill(request.GET) if request.method == "GET" else None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and _too_many(request, "report", settings.PUBLIC_REPORTS_PER_HOUR):
            form.add_error(
                None, _("Too many reports from your address this hour; please try again later.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                _report, token = report_submit(
                    data=NewReport(
                        kind=data["kind"],
                        channel=Channel.WEB,
                        description=data["description"],
                        category=data.get("category"),
                        address=data.get("address", ""),
                        longitude=data.get("longitude"),
                        latitude=data.get("latitude"),
                        reporter_name=data.get("name", ""),
                        reporter_phone=data.get("phone", ""),
                    ),
                    actor=None,
                    photos=data.get("photos", []),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return redirect(f"{_track_url(token)}?new=1")
    return render(
        request,
        "portal/report.html",
        {
            "form": form,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
        status=status,
    )


def _add_errors(form, exc: ValidationError) -> None:
    mapping = {"reporter_phone": "phone", "reporter_name": "name", "latitude": "address"}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = mapping.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _track_url(token: str) -> str:
    from django.urls import reverse

    return reverse("portal:track", args=[token])


@dataclass(frozen=True)
class PublicEvent:
    when: object
    text: str


def _public_timeline(report: Report) -> list[PublicEvent]:
    """What happened, in words for the public: from the record, without names."""
    events = []
    entries = RecordEntry.objects.filter(
        object_type="reports.report", object_id=str(report.pk), action__in=list(PUBLIC_EVENTS)
    ).order_by("sequence")
    for entry in entries:
        text = str(PUBLIC_EVENTS[entry.action])
        if "%(unit)s" in text:
            unit = (entry.changes.get("unit") or [None, ""])[1] or ""
            text = text % {"unit": unit.split(" #")[0] or _("the handling unit")}
        events.append(PublicEvent(timezone.localtime(entry.recorded_at), text))
    for note in report.notes.filter(is_public=True):
        events.append(PublicEvent(timezone.localtime(note.created_at), note.text))
    return sorted(events, key=lambda event: event.when)


def _public_view(report: Report) -> dict:
    """What the page says the report is about and where: the public summary approved at
    registration and the street-level location, never the reporter's own words — the
    page is reached by a tracking number and four digits too (reports.public;
    个人信息保护法 art 6; 等保2.0 8.1.4.10)."""
    return {"what": public_what(report), "where": public_location(report)}


def _render_track(request: HttpRequest, report: Report, *, token: str = "") -> HttpResponse:
    stage = PUBLIC_STAGE[report.status]
    context = {
        "report": report,
        **_public_view(report),
        "stage": stage,
        "events": _public_timeline(report),
        # Only photos staff approved (no faces, no number plates), as EXIF-free copies.
        "photos": report_public_photos(report),
        "token": token,
        "new": request.GET.get("new") == "1",
        "rating_form": RatingForm()
        if token and report.status == Status.CLOSED and not report.rating
        else None,
    }
    return render(request, "portal/track.html", context)


@require_GET
def track(request: HttpRequest, token: str) -> HttpResponse:
    reporter = (
        Reporter.objects.select_related(
            "report", "report__category", "report__street", "report__community"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if reporter is None:
        raise Http404
    return _render_track(request, reporter.report, token=token)


# A public photo's key (secrets.token_urlsafe(24)): issued when staff approve the photo.
PHOTO_KEY = re.compile(r"[A-Za-z0-9_-]{32}")


@require_GET
def public_photo(request: HttpRequest, key: str) -> HttpResponse:
    """An approved field photo as the public sees it: re-encoded without EXIF (no GPS,
    no device), never the stored original; 404 once withdrawn (its key is forgotten)."""
    if not PHOTO_KEY.fullmatch(key):
        raise Http404
    photo = ReportPhoto.objects.select_related("evidence").filter(public_key=key).first()
    if photo is None:
        raise Http404
    try:
        content = photo_public_copy(photo)
    except ValidationError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="image/jpeg")
    # Not kept by shared caches, and soon asked again: a withdrawal takes effect.
    response["Cache-Control"] = "private, max-age=600"
    return response


@require_http_methods(["GET", "POST"])
def track_lookup(request: HttpRequest) -> HttpResponse:
    form = TrackLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _too_many(request, "lookup", 20):
            form.add_error(None, _("Too many attempts; please try again later."))
        else:
            report = Report.objects.filter(tracking_number=form.cleaned_data["number"]).first()
            wanted = form.cleaned_data["phone_end"]
            if report is not None and any(
                reporter.phone and hmac.compare_digest(reporter.phone[-4:], wanted)
                for reporter in report.reporters.all()
            ):
                return _render_track(request, report)
            form.add_error(None, _("No report matches this number and phone."))
    return render(
        request, "portal/lookup.html", {"lookup": form}, status=400 if form.errors else 200
    )


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    reporter = (
        Reporter.objects.select_related("report").filter(token_hash=token_hash(token)).first()
    )
    if reporter is None:
        raise Http404
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            report_rate(
                report=reporter.report,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as exc:
            return render(
                request,
                "portal/track.html",
                {
                    "report": reporter.report,
                    **_public_view(reporter.report),
                    "stage": PUBLIC_STAGE[reporter.report.status],
                    "events": _public_timeline(reporter.report),
                    "token": token,
                    "errors": exc.messages,
                },
                status=400,
            )
    return redirect(_track_url(token))


@require_GET
@cache_page(300)
def area(request: HttpRequest) -> JsonResponse:
    """The unit grids as outlines for the report map (codes and sub-district names
    only, nothing personal)."""
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"code": code, "street": street}}
        for code, street, geometry in Grid.objects.values_list(
            "code", "community__parent__name", "geometry"
        )
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


# A document's check token (secrets.token_urlsafe, at most the column's 32 characters).
VERIFY_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,32}")


@require_GET
def document(request: HttpRequest, token: str) -> HttpResponse:
    """The public check of a case document (its QR code leads here): the document's
    kind, number, date, issuing bureau and content hash — nothing about the party."""
    from yangguang.cases.documents import bureau_name
    from yangguang.cases.models import CaseDocument

    if not VERIFY_TOKEN.fullmatch(token):
        raise Http404  # not a token we issue (URL-safe base64): no query for it
    found = CaseDocument.objects.filter(verify_token=token).only(
        "title", "number", "issued_at", "sha256", "case_id"
    )
    issued = found.first()
    if issued is None:  # a published decision's token: its own check (404 if none)
        return publication_check(request, token)
    return render(
        request,
        "portal/document.html",
        {"document": issued, "bureau": bureau_name(), "officers": case_officer_links(issued)},
    )


# --- The party of a case (非接触式执法) -------------------------------------------------


def _party_access(token: str):
    from yangguang.cases.party import access_for_token

    access = access_for_token(token)
    if access is None:
        raise Http404
    return access


def _party_verified(request: HttpRequest, access) -> bool:
    until = request.session.get(f"party:{access.pk}")
    return not access.locked_at and bool(until) and timezone.now().timestamp() < until


@require_http_methods(["GET", "POST"])
def party(request: HttpRequest, token: str) -> HttpResponse:
    """The party's page: a code by text message first, then their case."""
    access = _party_access(token)
    status = 200
    if request.method == "POST":
        status = _party_step(request, access, request.POST.get("step", ""))
        if status == 200:
            return redirect("portal:party", token=token)
    return render(request, "portal/party.html", _party_page(request, access), status=status)


def _party_step(request: HttpRequest, access, step: str) -> int:
    """Carry out one of the party's steps; the HTTP status to answer with."""
    from yangguang.cases.context import ProcedureRefused

    handlers = {
        "send_code": _party_send_code,
        "verify": _party_verify,
        "statement": _party_statement,
        "hearing": _party_hearing,
        "consent": _party_consent,
    }
    handler = handlers.get(step)
    if handler is None:
        return 400
    if step not in {"send_code", "verify"} and not _party_verified(request, access):
        raise PermissionDenied
    try:
        return handler(request, access)
    except ProcedureRefused as refusal:
        messages.error(request, refusal.reason)
        return 409
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return 400


def _party_send_code(request: HttpRequest, access) -> int:
    from yangguang.cases.party import party_code_send

    party_code_send(access=access)
    messages.success(request, _("A code has been sent to your phone."))
    return 200


def _party_verify(request: HttpRequest, access) -> int:
    from yangguang.cases.party import SESSION_LIFETIME, party_code_check

    if not party_code_check(access=access, code=request.POST.get("code", "")):
        messages.error(request, _("The code is wrong or has expired."))
        return 400
    request.session[f"party:{access.pk}"] = (timezone.now() + SESSION_LIFETIME).timestamp()
    return 200


# Files a party may attach to one statement (each is typed and hashed as evidence).
PARTY_ATTACHMENTS_MAX = 10


def _party_statement(request: HttpRequest, access) -> int:
    from yangguang.cases.party import party_statement_submit

    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, _("Write your statement."))
        return 400
    attachments = request.FILES.getlist("files")
    if len(attachments) > PARTY_ATTACHMENTS_MAX:
        messages.error(request, _("Attach at most %(n)d files.") % {"n": PARTY_ATTACHMENTS_MAX})
        return 400
    party_statement_submit(access=access, text=text, attachments=attachments)
    messages.success(request, _("Your statement has been received."))
    return 200


def _party_hearing(request: HttpRequest, access) -> int:
    from yangguang.cases.party import party_hearing_request

    party_hearing_request(access=access)
    messages.success(request, _("Your request for a hearing has been received."))
    return 200


def _party_consent(request: HttpRequest, access) -> int:
    from yangguang.cases.party import party_consent_electronic

    party_consent_electronic(access=access)
    messages.success(request, _("You will receive documents electronically."))
    return 200


def _party_page(request: HttpRequest, access) -> dict:
    from yangguang.cases.enums import Status
    from yangguang.cases.party import served_documents
    from yangguang.cases.procedure import case_rules
    from yangguang.cases.rules_of_law import amount_due

    case = access.case
    context = {
        "access": access,
        "access_token": request.resolver_match.kwargs["token"],
        "case": case,
        "verified": _party_verified(request, access),
    }
    if context["verified"]:
        today = timezone.localdate()
        context.update(
            documents=served_documents(case),
            may_state=case.status
            in {Status.NOTIFIED, Status.HEARING_REQUESTED, Status.HEARING_SCHEDULED},
            may_request_hearing=case.status == Status.NOTIFIED and case.hearing_offered,
            amount_due=amount_due(case, today) if case.payment_due and not case.paid_on else None,
            payment_instructions=case_rules().payment_instructions,
        )
    return context


@require_GET
def party_document(request: HttpRequest, token: str, document_id: int) -> HttpResponse:
    from yangguang.cases.party import served_documents
    from yangguang.cases.render import document_pdf

    access = _party_access(token)
    if not _party_verified(request, access):
        raise PermissionDenied
    document = next((d for d in served_documents(access.case) if d.pk == document_id), None)
    if document is None:
        raise Http404
    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.pk}.pdf"'
    return response
