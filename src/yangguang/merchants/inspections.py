"""Patrol inspections (巡查) of 门前三包 zones and the 整改 requests they open: the one writer
of ``Inspection``, ``InspectionItem`` and ``Rectification``.

Each duty of the shop is checked item by item; a failed item needs a finding and a photo
and opens a 整改 request due at the end of the ``RECTIFICATION_WORKING_DAYS``-th working
day (the working calendar skips weekends and holidays, counts make-up days). The
merchant answers with an after-photo; the inspector accepts it (corrected — on time or
late) or sends it back. A request still open when it falls due becomes overdue
(``rectifications_expire``, run by the worker). Opening, overdue and correction are
announced (core.events) so that credit can count them.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import events
from yangguang.merchants.enums import RectificationStatus, ShopStatus
from yangguang.merchants.models import Inspection, InspectionItem, Rectification, Shop
from yangguang.merchants.services import require
from yangguang.org.models import User
from yangguang.records.services import record_append
from yangguang.worktime.calendar import add_working_days
from yangguang.worktime.selectors import work_calendar

ITEMS_MAX = 60
NOTE_MAX = 500


@dataclass
class Finding:
    """One checklist item as the inspector found it."""

    duty: str  # duty code
    item: str
    passed: bool
    note: str = ""
    photos: Sequence[File] = field(default_factory=list)


def _check(shop: Shop, findings: Sequence[Finding]) -> None:
    if shop.status != ShopStatus.OPEN:
        raise ValidationError(_("The shop is closed."), code="closed")
    if not findings or len(findings) > ITEMS_MAX:
        raise ValidationError(
            {"items": _("Check between 1 and %(max)d items.") % {"max": ITEMS_MAX}}
        )
    duties = {duty.code for duty in shop.duties.all()}
    checked = {finding.duty for finding in findings}
    if checked - duties:
        raise ValidationError({"items": _("An item names a duty this shop does not have.")})
    if duties - checked:
        raise ValidationError({"items": _("Check every duty of the shop's zone.")})
    from yangguang.reports.photos import photos_check

    for number, finding in enumerate(findings, start=1):
        item = " ".join(str(finding.item or "").split())
        note = str(finding.note or "").strip()
        if not item or "\x00" in item + note or len(item) > 200 or len(note) > NOTE_MAX:
            raise ValidationError(
                {"items": _("Item %(n)d: name it (at most 200 characters).") % {"n": number}}
            )
        if not finding.passed and not (note and finding.photos):
            raise ValidationError(
                {
                    "items": _("Item %(n)d failed: say what was found and add a photo.")
                    % {"n": number}
                }
            )
        photos_check(list(finding.photos))


def inspection_record(
    *,
    shop: Shop,
    findings: Sequence[Finding],
    actor: User,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Inspection:
    """Record an inspection; each failed item opens a 整改 request."""
    from yangguang.records.evidence import evidence_add
    from yangguang.records.registry import target_for

    require(actor)
    _check(shop, findings)
    now = now or timezone.now()
    due_at = add_working_days(now, settings.RECTIFICATION_WORKING_DAYS, calendar=work_calendar())
    duties = {duty.code: duty for duty in shop.duties.all()}
    with transaction.atomic():
        inspection = Inspection.objects.create(
            shop=shop,
            inspector=actor,
            inspected_at=now,
            passed=all(finding.passed for finding in findings),
            note=str(note or "").strip()[:NOTE_MAX],
        )
        target = target_for(shop)
        hashes: list[str] = []
        opened = []
        for finding in findings:
            photos = [
                evidence_add(upload=p, name=p.name, target=target, actor=actor).sha256
                for p in finding.photos
            ]
            hashes += photos
            item = InspectionItem.objects.create(
                inspection=inspection,
                duty=duties[finding.duty],
                item=" ".join(finding.item.split()),
                passed=finding.passed,
                note=finding.note.strip(),
                photos=photos,
            )
            if not finding.passed:
                opened.append(
                    Rectification.objects.create(
                        shop=shop,
                        item=item,
                        requirement=f"{item.item}：{item.note}"[:500],
                        opened_at=now,
                        due_at=due_at,
                    )
                )
        record_append(
            action="merchants.inspection",
            target=shop,
            actor=actor,
            changes={
                "passed": [None, inspection.passed],
                "failed_items": [None, [r.requirement for r in opened]],
                "due_at": [None, due_at if opened else None],
            },
            evidence=hashes,
        )
        for rectification in opened:
            events.announce(events.RECTIFICATION_OPENED, rectification=rectification, now=now)
    return inspection


def rectification_submit(
    *,
    rectification: Rectification,
    photos: Sequence[File],
    note: str = "",
    now: datetime.datetime | None = None,
) -> Rectification:
    """The merchant reports the problem corrected, with an after-photo (on their page)."""
    from yangguang.records.evidence import evidence_add
    from yangguang.records.registry import target_for
    from yangguang.reports.photos import photos_check

    if not photos:
        raise ValidationError({"photos": _("Add a photo of the corrected zone.")})
    photos_check(list(photos))
    note = str(note or "").strip()
    if "\x00" in note or len(note) > NOTE_MAX:
        raise ValidationError({"note": _("At most %(max)d characters.") % {"max": NOTE_MAX}})
    now = now or timezone.now()
    with transaction.atomic():
        rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if rectification.status not in (RectificationStatus.OPEN, RectificationStatus.OVERDUE):
            raise ValidationError(
                _("This request is “%(status)s”: nothing to submit.")
                % {"status": rectification.get_status_display()},
                code="wrong_status",
            )
        target = target_for(rectification)
        hashes = [
            evidence_add(upload=p, name=p.name, target=target, actor=None).sha256 for p in photos
        ]
        before = rectification.status
        rectification.after_photos = rectification.after_photos + hashes
        rectification.status, rectification.submitted_at = RectificationStatus.SUBMITTED, now
        rectification.save(update_fields=["after_photos", "status", "submitted_at"])
        record_append(
            action="merchants.rectification_submit",
            target=rectification,
            actor=None,
            changes={"status": [before, rectification.status]},
            reason=note,
            evidence=hashes,
        )
    return rectification


def rectification_check(
    *,
    rectification: Rectification,
    accepted: bool,
    actor: User,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Rectification:
    """The inspector accepts the correction (on time if the merchant submitted it before
    the deadline) or sends it back (with the reason; overdue if the deadline passed)."""
    require(actor)
    reason = str(reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": _("Say what is still wrong.")})
    if "\x00" in reason or len(reason) > NOTE_MAX:
        raise ValidationError({"reason": _("At most %(max)d characters.") % {"max": NOTE_MAX}})
    now = now or timezone.now()
    with transaction.atomic():
        rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if rectification.status != RectificationStatus.SUBMITTED:
            raise ValidationError(
                _("Only a request the merchant reported corrected can be checked."),
                code="wrong_status",
            )
        on_time = rectification.submitted_at <= rectification.due_at
        if accepted:
            status = RectificationStatus.CORRECTED
            rectification.closed_at, rectification.closed_by = now, actor
        else:
            status = (
                RectificationStatus.OPEN
                if now <= rectification.due_at
                else RectificationStatus.OVERDUE
            )
        rectification.status = status
        rectification.save(update_fields=["status", "closed_at", "closed_by"])
        record_append(
            action="merchants.rectification_check",
            target=rectification,
            actor=actor,
            changes={
                "status": [RectificationStatus.SUBMITTED.value, status],
                "on_time": [None, on_time if accepted else None],
            },
            reason=reason,
        )
        if accepted:
            events.announce(
                events.RECTIFICATION_CORRECTED,
                rectification=rectification,
                on_time=on_time,
                actor=actor,
                now=now,
            )
        elif status == RectificationStatus.OVERDUE:
            events.announce(events.RECTIFICATION_OVERDUE, rectification=rectification, now=now)
    return rectification


def rectifications_expire(*, now: datetime.datetime | None = None) -> int:
    """Mark every open request past its deadline overdue (recorded, announced); returns
    how many. Run by the worker and ``expire-rectifications``; safe to run twice."""
    now = now or timezone.now()
    done = 0
    for pk in Rectification.objects.filter(
        status=RectificationStatus.OPEN, due_at__lt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            rectification = Rectification.objects.select_for_update().get(pk=pk)
            if rectification.status != RectificationStatus.OPEN or rectification.due_at >= now:
                continue
            rectification.status = RectificationStatus.OVERDUE
            rectification.save(update_fields=["status"])
            record_append(
                action="merchants.rectification_overdue",
                target=rectification,
                actor=None,
                changes={
                    "status": [RectificationStatus.OPEN.value, RectificationStatus.OVERDUE.value]
                },
                reason=_("Not corrected by %(due)s")
                % {"due": timezone.localtime(rectification.due_at).strftime("%Y-%m-%d %H:%M")},
            )
            events.announce(events.RECTIFICATION_OVERDUE, rectification=rectification, now=now)
            done += 1
    return done
