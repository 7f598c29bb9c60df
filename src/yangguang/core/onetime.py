"""One-time codes by text message: how someone without an account (a party to a case, a
merchant) proves they hold the phone the bureau knows, each time they come back.

A model that keeps such codes inherits ``OneTimeCodeFields``; ``code_send`` and
``code_check`` do the rest. A six-digit code has only 10⁶ values, so a plain hash would
be reversed from a copy of the table at once: the code is kept as an HMAC keyed by the
server's secret and bound to the row (等保2.0 GB/T 22239-2019 8.1.4.8), compared in
constant time. Each code allows ``CODE_ATTEMPTS`` tries for ``CODE_LIFETIME``; after
``LOCK_AFTER`` wrong codes in all the row is locked until staff issue a new one.
"""

import datetime
import hmac
import secrets
from collections.abc import Callable

from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CODE_LIFETIME = datetime.timedelta(minutes=10)
CODE_INTERVAL = datetime.timedelta(seconds=60)
CODE_ATTEMPTS = 5
# Wrong codes a row may take in all, over every code sent, before it is locked: six
# digits are 10⁶ guesses, not 7,200 a day.
LOCK_AFTER = 10


class CodeRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """No code was sent or checked; ``code`` is ``locked`` or ``too_soon``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


class OneTimeCodeFields(models.Model):
    phone = models.CharField(gettext_lazy("phone"), max_length=20)
    code_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="HMAC-SHA256 of the last code sent, keyed by SECRET_KEY; never the code",
    )
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    failed_attempts = models.PositiveSmallIntegerField(gettext_lazy("wrong codes"), default=0)
    locked_at = models.DateTimeField(gettext_lazy("locked"), null=True, blank=True)

    class Meta:
        abstract = True


def _code_digest(row: OneTimeCodeFields, code: str) -> str:
    return salted_hmac(
        f"yangguang.onetime.{row._meta.label_lower}", f"{row.pk}:{code}", algorithm="sha256"
    ).hexdigest()


def refuse_if_locked(row: OneTimeCodeFields, message: str) -> None:
    if row.locked_at:
        raise CodeRefused(message, "locked")


def code_send(
    *,
    row: OneTimeCodeFields,
    text: Callable[[str], str],
    purpose: str,
    locked_message: str,
    now: datetime.datetime | None = None,
) -> None:
    """Send a new code to ``row.phone`` (once a minute at most); ``text(code)`` is the
    message. The outbox keeps the code masked."""
    from yangguang.notify.services import message_enqueue

    now = now or timezone.now()
    with transaction.atomic():
        row = type(row).objects.select_for_update().get(pk=row.pk)
        refuse_if_locked(row, locked_message)
        if row.code_sent_at and now - row.code_sent_at < CODE_INTERVAL:
            raise CodeRefused(_("A code was just sent; wait a minute."), "too_soon")
        code = f"{secrets.randbelow(10**6):06d}"
        row.code_hash = _code_digest(row, code)
        row.code_sent_at, row.code_attempts = now, 0
        row.save(update_fields=["code_hash", "code_sent_at", "code_attempts"])
        message_enqueue(
            phone=row.phone,
            body=text(code),
            purpose=purpose,
            secrets=[code],
            secret_expires_at=now + CODE_LIFETIME,
            now=now,
        )


def code_check(
    *,
    row: OneTimeCodeFields,
    code: str,
    locked_message: str,
    on_lock: Callable[[OneTimeCodeFields], None],
    now: datetime.datetime | None = None,
) -> bool:
    """True when ``code`` is the last code sent, unexpired, within its attempts. The
    ``LOCK_AFTER``-th wrong code locks the row and calls ``on_lock(row)`` (to record it);
    a locked row refuses (``CodeRefused``)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = type(row).objects.select_for_update().get(pk=row.pk)
        refuse_if_locked(row, locked_message)
        if not row.code_hash or now - row.code_sent_at > CODE_LIFETIME:
            return False
        if row.code_attempts >= CODE_ATTEMPTS:
            return False
        row.code_attempts += 1
        good = hmac.compare_digest(row.code_hash, _code_digest(row, code.strip()))
        if good:
            row.code_hash = ""
        else:
            row.failed_attempts += 1
            if row.failed_attempts >= LOCK_AFTER:
                row.locked_at, row.code_hash = now, ""
                on_lock(row)
        row.save(update_fields=["code_attempts", "code_hash", "failed_attempts", "locked_at"])
        return good
