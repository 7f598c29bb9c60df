"""Writes to the outbox: queue a message (in the caller's transaction), send what is due
(the worker: claim in a short transaction, call the gateway outside any transaction,
record the outcome in another), retry with back-off, take in delivery receipts.

Why this shape: a gateway call is a network call of up to ``SMS_TIMEOUT`` seconds. Made
inside a transaction it holds row locks (and on SQLite the only write lock) that long;
made from a request it makes the citizen wait for the SMS platform, and fails their
report when the platform is down. So a request only writes the row, and the worker
(``yangguang worker``; ``yangguang demo`` starts one) sends.
"""

import dataclasses
import datetime
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core.privacy import mask_phone
from yangguang.notify.gateways import GatewayError, gateway
from yangguang.notify.models import MASK, Message, MessageStatus

logger = logging.getLogger("yangguang.sms")
BACKOFF_FIRST = datetime.timedelta(minutes=1)
BACKOFF_MAX = datetime.timedelta(hours=1)
# A claim older than this belongs to a worker that died between claiming and recording
# the outcome; the message may be claimed again. Far longer than any gateway call
# (SMS_TIMEOUT), so a live worker never loses its claim.
LEASE = datetime.timedelta(minutes=5)
EXPIRED = "expired before it could be sent"


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """``text`` with each secret (a one-time code, a link token) replaced by ***."""
    for secret in secrets:
        if not secret:
            raise ValueError("an empty secret cannot be masked")
        if secret not in text:
            raise ValueError("the secret is not in the text")
        text = text.replace(secret, MASK)
    return text


def message_enqueue(
    *,
    phone: str,
    body: str,
    purpose: str,
    report=None,
    reporter=None,
    secrets: Iterable[str] = (),
    secret_expires_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Message:
    """Queue a text message in the caller's transaction. Nothing is sent here: the
    worker sends it on its next round. ``secrets`` (codes, link tokens) are masked in
    the stored ``body`` and kept in full only until the message is sent, fails or
    reaches ``secret_expires_at``."""
    now = now or timezone.now()
    secrets = tuple(secrets)
    if len(body) > 500:
        if secrets:
            raise ValueError("a text carrying a secret must not be cut")
        body = body[:500]
    return Message.objects.create(
        phone=phone,
        body=mask_secrets(body, secrets),
        secret_body=body if secrets else "",
        has_secret=bool(secrets),
        secret_expires_at=secret_expires_at if secrets else None,
        purpose=purpose,
        report=report,
        reporter=reporter,
        next_attempt_at=now,
        created_at=now,
    )


def backoff(attempts: int) -> datetime.timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _claimable(now: datetime.datetime) -> Q:
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    )


def _claim(*, now: datetime.datetime, limit: int) -> list[Message]:
    """Claim up to ``limit`` due messages for this round, in a short transaction of its
    own. PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` — a second worker skips the rows
    the first is claiming instead of waiting, and never gets them. SQLite: one
    conditional UPDATE; SQLite runs one writer at a time and evaluates the condition
    under its write lock, so a row another worker claimed no longer matches. Each claim
    counts as an attempt, so a message that kills its worker every time still ends."""
    token = uuid.uuid4().hex
    due = Message.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk")
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql":
            picked = list(
                due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit]
            )
            mine = Message.objects.filter(pk__in=picked)
        else:
            mine = Message.objects.filter(_claimable(now), pk__in=due.values("pk")[:limit])
        mine.update(
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
        )
        return list(Message.objects.filter(claim_token=token).order_by("next_attempt_at", "pk"))


@dataclasses.dataclass(frozen=True)
class _Outcome:
    reference: str = ""
    error: str = ""


def _finish(message: Message, outcome: _Outcome, now: datetime.datetime) -> None:
    """Record what the gateway said, if the claim is still ours (a lease taken over by
    another worker means that worker owns the message now)."""
    with transaction.atomic(durable=True):
        current = (
            Message.objects.select_for_update()
            .filter(pk=message.pk, claim_token=message.claim_token)
            .first()
        )
        if current is None:
            logger.warning("SMS %s: claim lost before its outcome was recorded", message.pk)
            return
        current.claimed_at, current.claim_token = None, ""
        if not outcome.error:
            current.status = MessageStatus.SENT
            current.sent_at = now
            current.gateway_reference = outcome.reference
            current.last_error = ""
            current.secret_body, current.secret_expires_at = "", None
        else:
            current.last_error = outcome.error[:300]
            if current.attempts >= settings.SMS_MAX_ATTEMPTS:
                current.status = MessageStatus.FAILED
                current.secret_body, current.secret_expires_at = "", None
                logger.warning(
                    "SMS %s to %s failed for good after %d attempts: %s",
                    current.pk,
                    mask_phone(current.phone),
                    current.attempts,
                    current.last_error,
                )
            else:
                current.next_attempt_at = now + backoff(current.attempts)
        current.save(
            update_fields=[
                "claimed_at",
                "claim_token",
                "status",
                "sent_at",
                "gateway_reference",
                "last_error",
                "secret_body",
                "secret_expires_at",
                "next_attempt_at",
            ]
        )


def _sweep(now: datetime.datetime) -> None:
    """Fail what can no longer be sent: a secret past its expiry (a code the party can no
    longer use), and a message whose last allowed attempt died with its worker."""
    with transaction.atomic(durable=True):
        failed = {
            "status": MessageStatus.FAILED,
            "secret_body": "",
            "secret_expires_at": None,
            "claimed_at": None,
            "claim_token": "",
        }
        Message.objects.filter(status=MessageStatus.PENDING, secret_expires_at__lte=now).exclude(
            claimed_at__gte=now - LEASE
        ).update(**failed, last_error=EXPIRED)
        Message.objects.filter(
            status=MessageStatus.PENDING,
            attempts__gte=settings.SMS_MAX_ATTEMPTS,
            claimed_at__lt=now - LEASE,
        ).update(**failed, last_error="the worker stopped during the last attempt")


def messages_send(*, limit: int = 100, now: datetime.datetime | None = None) -> int:
    """One round of the worker: claim the due messages, hand each to the gateway outside
    any transaction, record each outcome. Safe in several workers at once: a message is
    claimed by one of them only, and claimed again only after its lease lapsed. Refuses
    to run inside a transaction (a durable block raises). Returns how many were
    attempted."""
    now = now or timezone.now()
    _sweep(now)
    claimed = _claim(now=now, limit=limit)
    sender = gateway() if claimed else None
    for message in claimed:
        text = message.secret_body if message.has_secret else message.body
        try:
            reference = sender.send(phone=message.phone, text=text, masked_text=message.body)
        except GatewayError as exc:
            outcome = _Outcome(error=str(exc) or exc.__class__.__name__)
        else:
            outcome = _Outcome(reference=reference)
        _finish(message, outcome, now)
    return len(claimed)


def messages_settle_for_demo(*, now: datetime.datetime | None = None) -> int:
    """Mark every waiting message as handed over, without a gateway: the demo city's
    numbers are fictional, and its loading runs in one transaction, in which no gateway
    may be called. Only the demo uses this."""
    now = now or timezone.now()
    return Message.objects.filter(status=MessageStatus.PENDING).update(
        status=MessageStatus.SENT,
        sent_at=now,
        attempts=1,
        gateway_reference="demo",
        secret_body="",
        secret_expires_at=None,
    )


RECEIPT_STATES = {"delivered": True, "failed": False}


@transaction.atomic
def message_delivery_receipt(
    *,
    reference: str,
    delivered: bool,
    error: str = "",
    now: datetime.datetime | None = None,
) -> str:
    """Record the SMS platform's delivery report for ``reference``: ``"updated"``,
    ``"unchanged"`` (the same report again, or a failure after delivery — delivered is
    final) or ``"unknown"``. Idempotent: platforms resend receipts. A failure makes the
    message visible to staff on the outbox page (and holds a report's closing)."""
    now = now or timezone.now()
    message = (
        Message.objects.select_for_update()
        .filter(
            gateway_reference=reference,
            status__in=[MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED],
        )
        .order_by("-pk")
        .first()
        if reference
        else None
    )
    if message is None:
        return "unknown"
    if message.status == MessageStatus.DELIVERED:
        return "unchanged"
    if delivered:
        message.status, message.delivered_at, message.last_error = (
            MessageStatus.DELIVERED,
            now,
            "",
        )
    else:
        reason = error.strip()[:300] or "not delivered"
        if message.status == MessageStatus.FAILED and message.last_error == reason:
            return "unchanged"
        message.status, message.last_error = MessageStatus.FAILED, reason
    message.save(update_fields=["status", "delivered_at", "last_error"])
    return "updated"


@transaction.atomic
def message_retry(*, message: Message, now: datetime.datetime | None = None) -> Message:
    """Put a failed message back in the queue (staff fixed the number, or the gateway is
    back); the worker sends it. A message that carried a code or a private link cannot
    be sent again (the secret was cleared): issue a new one instead."""
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != MessageStatus.FAILED:
        raise ValidationError(_("Only a failed message can be sent again."))
    if message.has_secret:
        raise ValidationError(
            _(
                "This message carried a one-time code or a private link, which is not kept "
                "once the message is sent or has failed. Send a new link or code instead."
            )
        )
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    message.last_error = ""
    message.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    return message
