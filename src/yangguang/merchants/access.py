"""The merchant's sign-in to their own page (非接触式执法, as the party's link of a case):
a secret link by text message, or their credit code and mobile typed in; either way a
one-time code to that mobile (core.onetime) each time."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.onetime import CodeRefused, code_check, code_send
from yangguang.core.sequences import public_url
from yangguang.merchants.models import Merchant, MerchantAccess
from yangguang.records.services import record_append

SESSION_LIFETIME = datetime.timedelta(minutes=30)
LOCKED_MESSAGE = gettext_lazy(
    "This sign-in is locked after too many wrong codes. Ask the bureau to send you a new link."
)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def merchant_link(token: str) -> str:
    return public_url(reverse("portal:merchant_link", args=[token]))


def _new_access(merchant: Merchant, now: datetime.datetime) -> tuple[MerchantAccess, str]:
    token = secrets.token_urlsafe(24)
    access = MerchantAccess.objects.create(
        merchant=merchant, token_hash=_digest(token), phone=merchant.phone, created_at=now
    )
    return access, token


def access_issue(
    *, merchant: Merchant, purpose: str = "link", now: datetime.datetime | None = None
) -> MerchantAccess:
    """Text the merchant a new link to their page (earlier links stop working)."""
    from yangguang.notify.services import message_enqueue

    now = now or timezone.now()
    with transaction.atomic():
        MerchantAccess.objects.filter(merchant=merchant, revoked_at__isnull=True).update(
            revoked_at=now
        )
        access, token = _new_access(merchant, now)
        text = (
            _("城管门前三包: your responsibility letter is ready to read and sign at %(link)s")
            if purpose == "letter"
            else _("城管门前三包: your shop's credit, notices and 整改 requests are at %(link)s")
        )
        message_enqueue(
            phone=merchant.phone,
            body=text % {"link": merchant_link(token)},
            purpose="merchant_link",
            secrets=[token],
            now=now,
        )
        record_append(
            action="merchants.access_issue",
            target=merchant,
            actor=None,
            changes={"phone": [None, merchant.phone]},
            personal={"phone": "phone"},
        )
    access.token = token
    return access


def access_for_token(token: str) -> MerchantAccess | None:
    return (
        MerchantAccess.objects.filter(token_hash=_digest(token), revoked_at__isnull=True)
        .select_related("merchant")
        .first()
    )


def access_for_sign_in(
    *, credit_code: str, phone: str, now: datetime.datetime | None = None
) -> MerchantAccess | None:
    """The sign-in row for a merchant whose credit code and mobile match (a new one, the
    older ones kept), or None — the page says the same either way."""
    code = credit_code.strip().upper()
    merchant = Merchant.objects.filter(credit_code=code, phone=phone.strip()).first()
    if merchant is None:
        return None
    locked = MerchantAccess.objects.filter(
        merchant=merchant, revoked_at__isnull=True, locked_at__isnull=False
    ).exists()
    if locked:  # a locked link is not side-stepped by typing the credit code
        return MerchantAccess.objects.filter(merchant=merchant, locked_at__isnull=False).first()
    access, _token = _new_access(merchant, now or timezone.now())
    return access


def merchant_code_send(*, access: MerchantAccess, now: datetime.datetime | None = None) -> None:
    """Send a sign-in code (CodeRefused when locked or asked again within a minute)."""
    code_send(
        row=access,
        text=lambda code: (
            _("Your 城管门前三包 sign-in code is %(code)s, valid for 10 minutes.") % {"code": code}
        ),
        purpose="merchant_code",
        locked_message=str(LOCKED_MESSAGE),
        now=now,
    )


def _record_lock(access: MerchantAccess) -> None:
    record_append(
        action="merchants.access_locked",
        target=access.merchant,
        actor=None,
        changes={"failed_attempts": [None, access.failed_attempts]},
        reason=_("Too many wrong codes on the merchant's sign-in"),
    )


def merchant_code_check(
    *, access: MerchantAccess, code: str, now: datetime.datetime | None = None
) -> bool:
    return code_check(
        row=access,
        code=code,
        locked_message=str(LOCKED_MESSAGE),
        on_lock=_record_lock,
        now=now,
    )


__all__ = [
    "SESSION_LIFETIME",
    "CodeRefused",
    "access_for_sign_in",
    "access_for_token",
    "access_issue",
    "merchant_code_check",
    "merchant_code_send",
]
