"""Writes to reports outside the state machine: intake from every channel, the reply,
the public summary, notes, the reporter's rating, supervision orders (督办) and the
deadline watch.
Status changes are ``workflow.report_transition``."""

import datetime
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.categories.models import Category
from yangguang.core.sequences import counter_next, public_url
from yangguang.grids.geometry import MAX_LAT, MAX_LON, MIN_LAT, MIN_LON
from yangguang.notify.services import message_enqueue
from yangguang.org.models import User
from yangguang.org.rules import Action, permission_name
from yangguang.records.enums import EvidenceKind
from yangguang.records.evidence import evidence_add
from yangguang.records.files import HEAD_BYTES, sniff
from yangguang.records.registry import target_for
from yangguang.records.services import record_append
from yangguang.reports import tally
from yangguang.reports.enums import TERMINAL, Channel, DeadlineState, Rating, ReportKind, Status
from yangguang.reports.feedback import reply_to_reporters, send_receipt
from yangguang.reports.models import (
    DESCRIPTION_MAX,
    Report,
    Reporter,
    ReportNote,
    ReportPhoto,
    Supervision,
    TrackingCounter,
)
from yangguang.reports.photos import photo_public_copy, photo_public_set
from yangguang.reports.public import public_summary_clean
from yangguang.reports.routing import locate, propose_unit
from yangguang.reports.workflow import TransitionRefused

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
# Personal data a report's record holds, and how it is masked (records.presenters).
REPORTER_PERSONAL = {"reporter_name": "name", "reporter_phone": "phone", "reporter_email": "other"}


@dataclass(frozen=True)
class NewReport:
    """What intake knows about a new report, whatever the channel."""

    kind: str
    channel: str
    description: str
    category: Category | None = None
    address: str = ""
    longitude: float | None = None
    latitude: float | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    source_reference: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tracking_link(token: str) -> str:
    return public_url(reverse("portal:track", args=[token]))


def _next_tracking_number(now: datetime.datetime) -> str:
    """Day + sequence: 2026112200042. The day's counter row is locked while counting."""
    day = timezone.localtime(now).date()
    return f"{day:%Y%m%d}{counter_next(TrackingCounter, day=day):05d}"


def _text_problems(data: NewReport) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field in ("description", "address", "reporter_name", "reporter_phone", "reporter_email"):
        if "\x00" in getattr(data, field):
            errors[field] = _("The text contains a NUL character, which cannot be stored.")
    description = data.description.strip()
    if not description:
        errors["description"] = _("Describe the problem, question or suggestion.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("The description is longer than %(n)d characters.") % {
            "n": DESCRIPTION_MAX
        }
    if len(data.reporter_name) > 50:
        errors["reporter_name"] = _("The name is too long.")
    return errors


def _contact_problems(data: NewReport) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.reporter_phone and not PHONE.match(data.reporter_phone.strip()):
        errors["reporter_phone"] = _(
            "Give an 11-digit mobile number or a landline with its area code."
        )
    if data.reporter_email:
        try:
            validate_email(data.reporter_email.strip())
        except ValidationError:
            errors["reporter_email"] = _("Give a valid email address.")
    return errors


def _place_problems(data: NewReport) -> dict[str, str]:
    located = data.longitude is not None and data.latitude is not None
    if (data.longitude is None) != (data.latitude is None):
        return {"latitude": _("Give both latitude and longitude, or neither.")}
    if located and not (
        MIN_LON <= data.longitude <= MAX_LON and MIN_LAT <= data.latitude <= MAX_LAT
    ):
        return {"latitude": _("The position is outside China; check latitude and longitude.")}
    if data.kind == ReportKind.PROBLEM and not located and not data.address.strip():
        return {"address": _("Say where it is: pick the place on the map or write the address.")}
    return {}


def report_validate(data: NewReport) -> None:
    """Raise ValidationError (by field) for anything intake must refuse."""
    errors: dict[str, str] = {}
    if data.kind not in ReportKind.values:
        errors["kind"] = _("Unknown kind of report.")
    if data.channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if data.category is not None and not data.category.is_active:
        errors["category"] = _("This category is no longer in use.")
    errors |= _text_problems(data) | _contact_problems(data) | _place_problems(data)
    if errors:
        raise ValidationError(errors)


def photos_validate(photos: Sequence[File]) -> None:
    """Citizens' attachments must be photos (typed by content, like all evidence)."""
    for photo in photos:
        photo.seek(0)
        sniffed = sniff(photo.read(HEAD_BYTES), name=photo.name)
        photo.seek(0)
        if sniffed.kind != EvidenceKind.PHOTO:
            raise ValidationError(
                {"photos": _("“%(name)s” is not a photo.") % {"name": photo.name}}
            )


def report_submit(
    *,
    data: NewReport,
    actor: User | None,
    photos: Sequence[File] = (),
    now: datetime.datetime | None = None,
) -> tuple[Report, str]:
    """Take in a report from any channel. Returns the report and the reporter's secret
    tracking token (shown once, texted to the reporter's phone).

    The place is located on the grids, the handling unit proposed. Side effects: a
    ``report.submit`` record (reporter's data marked personal), the photos stored as
    evidence, and a receipt text message with the tracking link.
    """
    report_validate(data)
    photos_validate(photos)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        now = now or timezone.now()
        place = locate(longitude=data.longitude, latitude=data.latitude)
        report = Report.objects.create(
            tracking_number=_next_tracking_number(now),
            kind=data.kind,
            channel=data.channel,
            category=data.category,
            description=data.description.strip(),
            address=data.address.strip()[:255],
            longitude=data.longitude,
            latitude=data.latitude,
            grid=place.grid,
            community=place.community,
            street=place.street,
            proposed_unit=propose_unit(category=data.category, place=place)
            if data.kind == ReportKind.PROBLEM
            else None,
            source_reference=data.source_reference.strip()[:100],
            created_at=now,
            created_by=actor,
        )
        reporter = Reporter.objects.create(
            report=report,
            name=data.reporter_name.strip(),
            phone=data.reporter_phone.strip(),
            email=data.reporter_email.strip(),
            channel=data.channel,
            token_hash=token_hash(token),
            created_at=now,
        )
        changes = {
            "tracking_number": [None, report.tracking_number],
            "kind": [None, report.kind],
            "channel": [None, report.channel],
            "category": [None, str(report.category) if report.category else None],
            "description": [None, report.description],
            "address": [None, report.address],
            "position": [None, [report.longitude, report.latitude] if report.latitude else None],
            "grid": [None, report.grid.code if report.grid else None],
            "proposed_unit": [None, str(report.proposed_unit) if report.proposed_unit else None],
            "reporter_name": [None, reporter.name],
            "reporter_phone": [None, reporter.phone],
            "reporter_email": [None, reporter.email],
        }
        entry = record_append(
            action="report.submit",
            target=report,
            actor=actor,
            changes={key: value for key, value in changes.items() if value[1] not in (None, "")},
            personal={key: kind for key, kind in REPORTER_PERSONAL.items() if changes[key][1]},
        )
        tally.step_counted(entry)
        for photo in photos:
            evidence_add(upload=photo, name=photo.name, target=target_for(report), actor=actor)
        send_receipt(report, reporter, link=tracking_link(token))
    return report, token


def _lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "grid")
        .get(pk=report.pk)
    )


def _require(actor: User, *actions: Action) -> None:
    if not any(actor.has_perm(permission_name(action)) for action in actions):
        raise TransitionRefused(_("Your post may not do this."), "not_permitted")


def report_photo_publish(
    *, photo: ReportPhoto, public: bool, actor: User, now: datetime.datetime | None = None
) -> ReportPhoto:
    """Approve a field photo for the reporter's tracking page (``public=True``) or
    withdraw it: the inspector (监督员, who saw the place at 核查) or the shift leader
    (值班长), after checking it shows no face or number plate. The public sees a copy
    without EXIF; a format that cannot be copied (HEIC) is refused (ValidationError).

    Side effect: a ``report.photo_publish`` / ``report.photo_withdraw`` record entry.
    """
    _require(actor, Action.REPORT_VERIFY, Action.REPORT_CLOSE)
    if public:
        photo_public_copy(photo)  # before the lock: the check decodes the picture
    with transaction.atomic():
        locked = (
            ReportPhoto.objects.select_for_update(of=("self",))
            .select_related("report", "evidence")
            .get(pk=photo.pk)
        )
        return photo_public_set(photo=locked, public=public, actor=actor, now=now or timezone.now())


@transaction.atomic
def report_reply(*, report: Report, text: str, actor: User) -> Report:
    """Answer the reporters (texted to each, shown on the tracking page). Needed before
    a report closes. Side effect: a ``report.reply`` record."""
    _require(actor, Action.REPORT_ACCEPT, Action.REPORT_CLOSE)
    text = text.strip()
    if not text:
        raise TransitionRefused(_("Write the reply."), "reply_required")
    report = _lock(report)
    if report.status in {Status.MERGED, Status.VOID}:
        raise TransitionRefused(_("A merged or void report is not replied to."), "wrong_status")
    before = report.public_reply
    reply_to_reporters(report, text=text, actor=actor, now=timezone.now())
    report.save(update_fields=["public_reply", "replied_at", "updated_at"])
    record_append(
        action="report.reply", target=report, actor=actor, changes={"public_reply": [before, text]}
    )
    return report


@transaction.atomic
def report_public_summary_set(*, report: Report, text: str, actor: User) -> Report:
    """Change the public summary approved at registration: what Open311 and the tracking
    page show instead of the reporter's words (``reports.public``). Only the posts that
    register reports (受理员, 值班长), only once one is approved, and only a text that
    ``public_summary_clean`` accepts (no phone or identity number, no reporter's name:
    个人信息保护法 art 6 and art 28; 等保2.0 8.1.4.10). Side effect: a
    ``report.public_summary`` record with the text before and after; an unchanged text
    records nothing."""
    _require(actor, Action.REPORT_ACCEPT)
    report = _lock(report)
    if not report.public_summary:
        raise TransitionRefused(
            _("The public summary is approved when the report is registered."),
            "not_registered",
        )
    text = public_summary_clean(report=report, text=text)
    before = report.public_summary
    if text == before:
        return report
    report.public_summary = text
    report.save(update_fields=["public_summary", "updated_at"])
    record_append(
        action="report.public_summary",
        target=report,
        actor=actor,
        changes={"public_summary": [before, text]},
    )
    return report


@transaction.atomic
def report_note_add(*, report: Report, text: str, public: bool, actor: User | None) -> ReportNote:
    """A note on the report; public notes appear on the tracking page (without the
    author's name). Side effect: a ``report.note`` record."""
    if actor is not None:  # None: the system itself (a machine event's time, say)
        _require(actor, Action.READ_RECORDS)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    note = ReportNote.objects.create(
        report=report, author=actor, text=text, is_public=public, created_at=timezone.now()
    )
    record_append(
        action="report.note",
        target=report,
        actor=actor,
        changes={"note": [None, text], "public": [None, public]},
    )
    return note


@transaction.atomic
def report_rate(*, report: Report, rating: str, comment: str = "") -> Report:
    """The reporter's rating of a closed report (once). An unsatisfied rating lets the
    shift leader reopen it. Side effect: a ``report.rate`` record."""
    report = _lock(report)
    if report.status != Status.CLOSED:
        raise ValidationError(_("You can rate the handling once the report is closed."))
    if report.rating:
        raise ValidationError(_("This report has been rated already."))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose a rating.")})
    report.rating = rating
    report.rating_comment = comment.strip()[:500]
    report.rated_at = timezone.now()
    report.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    record_append(
        action="report.rate",
        target=report,
        actor=None,
        changes={"rating": [None, rating], "comment": [None, report.rating_comment]},
    )
    return report


@transaction.atomic
def supervision_issue(
    *, report: Report, instruction: str, deadline: datetime.datetime, actor: User
) -> Supervision:
    """A supervision order (督办) with its own reply deadline. Side effects: a
    ``report.supervise`` record and a text to the handling unit's duty phone."""
    _require(actor, Action.REPORT_SUPERVISE)
    report = _lock(report)
    if report.status in TERMINAL:
        raise TransitionRefused(_("A finished report is not supervised."), "wrong_status")
    instruction = instruction.strip()
    if not instruction:
        raise ValidationError({"instruction": _("Write the instruction.")})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("The reply deadline must be in the future.")})
    order = Supervision.objects.create(
        report=report,
        issued_by=actor,
        issued_at=timezone.now(),
        instruction=instruction,
        deadline=deadline,
    )
    tally.step_counted(
        record_append(
            action="report.supervise",
            target=report,
            actor=actor,
            changes={"instruction": [None, instruction], "reply_due": [None, deadline]},
        )
    )
    if report.unit and report.unit.phone:
        message_enqueue(
            phone=report.unit.phone,
            body=_("%(signature)sSupervision order on report %(number)s; reply by %(due)s.")
            % {
                "signature": settings.SMS_SIGNATURE,
                "number": report.tracking_number,
                "due": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
            },
            purpose="supervision",
            report=report,
        )
    return order


@transaction.atomic
def supervision_reply(*, order: Supervision, reply: str, actor: User) -> Supervision:
    """The handling unit's reply to a supervision order. Side effect: a record."""
    order = (
        Supervision.objects.select_for_update(of=("self",))
        .select_related("report__unit")
        .get(pk=order.pk)
    )
    unit = order.report.unit
    if unit is None or actor.unit_id is None or not actor.unit.path.startswith(unit.path):
        raise TransitionRefused(
            _("Only staff of the handling unit reply to a supervision order."), "not_assigned"
        )
    if order.replied_at:
        raise ValidationError(_("This order has been replied to."))
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply.")})
    order.reply, order.replied_by, order.replied_at = reply, actor, timezone.now()
    order.save(update_fields=["reply", "replied_by", "replied_at"])
    record_append(
        action="report.supervision_reply",
        target=order.report,
        actor=actor,
        changes={"reply": [None, reply]},
    )
    return order


def deadlines_check(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Turn the light yellow at 80 % of the limit and red when overdue, once each, for
    reports whose clock runs. Run by ``yangguang worker`` (or ``check-deadlines``).
    Side effects: a record entry per change and a text to the unit's duty phone."""
    now = now or timezone.now()
    counts = {"warning": 0, "overdue": 0}
    running = Report.objects.filter(
        status__in=[
            Status.DISPATCHED,
            Status.IN_PROGRESS,
            Status.DELAY_REQUESTED,
            Status.SHELVE_REQUESTED,
        ],
        deadline__isnull=False,
    )
    due = running.filter(deadline__lt=now).exclude(deadline_state=DeadlineState.OVERDUE)
    warn = running.filter(warn_at__lte=now, deadline__gte=now, deadline_state=DeadlineState.NORMAL)
    for state, queryset in ((DeadlineState.OVERDUE, due), (DeadlineState.WARNING, warn)):
        for report_id in queryset.values_list("pk", flat=True):
            if _mark_deadline(report_id, state, now):
                counts[str(state)] += 1
    return counts


@transaction.atomic
def _mark_deadline(report_id: int, state: str, now: datetime.datetime) -> bool:
    report = Report.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report_id)
    if report.deadline is None or report.status not in {
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.DELAY_REQUESTED,
        Status.SHELVE_REQUESTED,
    }:
        return False
    if state == DeadlineState.OVERDUE and not report.deadline < now:
        return False
    before = report.deadline_state
    if before in {state, DeadlineState.OVERDUE}:
        return False
    report.deadline_state = state
    report.save(update_fields=["deadline_state", "updated_at"])
    record_append(
        action="report.deadline",
        target=report,
        actor=None,
        changes={"deadline_state": [before, state]},
    )
    if report.unit and report.unit.phone:
        text = (
            _("%(signature)sReport %(number)s is overdue (deadline %(due)s).")
            if state == DeadlineState.OVERDUE
            else _("%(signature)sReport %(number)s is due by %(due)s.")
        )
        message_enqueue(
            phone=report.unit.phone,
            body=text
            % {
                "signature": settings.SMS_SIGNATURE,
                "number": report.tracking_number,
                "due": timezone.localtime(report.deadline).strftime("%Y-%m-%d %H:%M"),
            },
            purpose="deadline",
            report=report,
        )
    return True
