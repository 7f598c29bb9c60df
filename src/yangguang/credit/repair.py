"""信用修复: the one writer of ``RepairApplication`` and of an event's ``repaired_at``.

A merchant may apply once the event has been on record for the scheme's minimum period
— by default 3 months for general dishonesty and 6 for serious, counted from the day it
occurred (the day of the decision for a penalty), as the national rule for repairing
credit information after correction (失信行为纠正后的信用信息修复管理办法) and 上海城管's
practice set — with a written commitment and proof of the correction. The legal office
decides; an approved repair stops the event counting and is recorded.
"""

import calendar
import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.credit.enums import Dishonesty, RepairStatus
from yangguang.credit.models import CreditEvent, RepairApplication
from yangguang.credit.scheme import Rules, rules_from
from yangguang.credit.scoring import active_scheme, merchant_rescore
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append

TEXT_MAX = 2000


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def dishonesty_of(event: CreditEvent) -> str:
    return rules_from(active_scheme().rules).dishonesty_of(event.kind, event.severity)


def repair_opens_on(event: CreditEvent, rules: Rules | None = None) -> datetime.date | None:
    """The first day the merchant may apply, or None when the event is not repairable
    (a positive event, or one the scheme does not count as dishonesty). Pass the active
    scheme's ``rules`` when asking for many events."""
    rules = rules or rules_from(active_scheme().rules)
    level = rules.dishonesty_of(event.kind, event.severity)
    if level == Dishonesty.NONE or rules.points_for(event.kind, event.severity) >= 0:
        return None
    occurred = timezone.localtime(event.occurred_at).date()
    return add_months(occurred, rules.repair_months[level])


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if "\x00" in value or len(value) > TEXT_MAX:
        raise ValidationError(
            {
                field: _("At most %(max)d characters, without control characters.")
                % {"max": TEXT_MAX}
            }
        )
    return value


def repair_apply(
    *,
    event: CreditEvent,
    commitment: str,
    correction: str,
    proof: Sequence[File] = (),
    now: datetime.datetime | None = None,
) -> RepairApplication:
    """The merchant's application. Refused (ValidationError) for an event that cannot be
    repaired, before the minimum period, when one is already waiting or was approved."""
    from yangguang.records.evidence import evidence_add
    from yangguang.records.registry import target_for
    from yangguang.reports.photos import photos_check

    now = now or timezone.now()
    commitment = _text(commitment, "commitment", _("Write your commitment (承诺书)."))
    correction = _text(correction, "correction", _("Say how the problem was corrected."))
    photos_check(list(proof))
    opens_on = repair_opens_on(event)
    if opens_on is None:
        raise ValidationError(_("This event cannot be repaired."), code="not_repairable")
    if event.repaired_at:
        raise ValidationError(_("This event is repaired already."), code="repaired")
    today = timezone.localtime(now).date()
    if today < opens_on:
        raise ValidationError(
            _(
                "Credit repair can be applied for from %(date)s: the minimum period after "
                "the event has not passed."
            )
            % {"date": opens_on.isoformat()},
            code="too_early",
        )
    with transaction.atomic():
        event = CreditEvent.objects.select_for_update().get(pk=event.pk)
        if RepairApplication.objects.filter(event=event, status=RepairStatus.SUBMITTED).exists():
            raise ValidationError(
                _("An application for this event is already waiting."), code="waiting"
            )
        hashes = [
            evidence_add(
                upload=upload, name=upload.name, target=target_for(event.merchant), actor=None
            ).sha256
            for upload in proof
        ]
        application = RepairApplication.objects.create(
            event=event,
            dishonesty=dishonesty_of(event),
            commitment=commitment,
            correction=correction,
            proof=hashes,
            submitted_at=now,
        )
        record_append(
            action="credit.repair_apply",
            target=application,
            actor=None,
            changes={"event": [None, str(event)]},
            evidence=hashes,
        )
    return application


def repair_decide(
    *,
    application: RepairApplication,
    approve: bool,
    reason: str,
    actor: User,
    now: datetime.datetime | None = None,
) -> RepairApplication:
    """The legal office approves (the event stops counting; the merchant is rescored) or
    refuses (the reason is required and shown to the merchant)."""
    if not allowed(actor, Action.CREDIT_DECIDE):
        raise PermissionDenied(_("Only the legal office decides credit repairs."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason for refusing.")})
    if "\x00" in reason or len(reason) > TEXT_MAX:
        raise ValidationError({"reason": _("At most %(max)d characters.") % {"max": TEXT_MAX}})
    now = now or timezone.now()
    with transaction.atomic():
        application = RepairApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != RepairStatus.SUBMITTED:
            raise ValidationError(_("This application was decided already."), code="decided")
        application.status = RepairStatus.APPROVED if approve else RepairStatus.REFUSED
        application.decided_at, application.decided_by = now, actor
        application.decision_reason = reason
        application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        event = application.event
        if approve:
            event.repaired_at = now
            event.save(update_fields=["repaired_at"])
        record_append(
            action="credit.repair_decide",
            target=application,
            actor=actor,
            changes={"status": [RepairStatus.SUBMITTED.value, application.status]},
            reason=reason,
        )
        merchant_rescore(merchant_id=event.merchant_id, now=now)
    return application
