"""表彰: the one writer of ``Commendation``. A commendation is entered once, with the
document that awarded it, by the legal office that keeps the credit record; credit hears
of it (core.events) and counts it for the merchant."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import events
from yangguang.merchants.models import Commendation, Merchant, Shop
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append

# How far back a commendation may be entered: the current and the previous scoring year.
YEARS_BACK = 1


def _text(value: object, field: str, limit: int, errors: dict, *, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if "\x00" in text or len(text) > limit:
        errors[field] = _("At most %(max)d characters.") % {"max": limit}
    elif required and not text:
        errors[field] = _("Required.")
    return text


def commendation_record(
    *,
    merchant: Merchant,
    title: str,
    awarded_by: str,
    awarded_on: datetime.date,
    reference: str,
    actor: User,
    shop: Shop | None = None,
    now: datetime.datetime | None = None,
) -> Commendation:
    """Record a commendation (PermissionDenied outside the legal office; ValidationError
    by field for a missing title or issuer, a date in the future or too old, a shop of
    another merchant)."""
    if not allowed(actor, Action.CREDIT_DECIDE):
        raise PermissionDenied(_("The legal office records commendations."))
    now = now or timezone.now()
    errors: dict[str, str] = {}
    cleaned = {
        "title": _text(title, "title", 100, errors),
        "awarded_by": _text(awarded_by, "awarded_by", 100, errors),
        "reference": _text(reference, "reference", 100, errors, required=False),
    }
    today = timezone.localtime(now).date()
    if not isinstance(awarded_on, datetime.date) or awarded_on > today:
        errors["awarded_on"] = _("Give the day it was awarded, not a day to come.")
    elif awarded_on.year < today.year - YEARS_BACK:
        errors["awarded_on"] = _("A commendation older than last year no longer counts.")
    if shop is not None and shop.merchant_id != merchant.pk:
        errors["shop"] = _("This shop is not the merchant's.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        commendation = Commendation.objects.create(
            merchant=merchant,
            shop=shop,
            awarded_on=awarded_on,
            recorded_at=now,
            recorded_by=actor,
            **cleaned,
        )
        record_append(
            action="merchants.commendation",
            target=merchant,
            actor=actor,
            changes={
                "commendation": [None, str(commendation)],
                "awarded_by": [None, commendation.awarded_by],
            },
            reason=commendation.reference,
        )
        events.announce(
            events.COMMENDATION_RECORDED, commendation=commendation, actor=actor, now=now
        )
    return commendation
