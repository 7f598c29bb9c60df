"""Writes to the outbox: queue a message, send what is due (with retries and back-off),
and take in delivery receipts."""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from yangguang.notify.gateways import GatewayError, gateway
from yangguang.notify.models import Message, MessageStatus

logger = logging.getLogger("yangguang.sms")
BACKOFF_FIRST = datetime.timedelta(minutes=1)
BACKOFF_MAX = datetime.timedelta(hours=1)


def message_enqueue(*, phone: str, body: str, purpose: str, report=None, reporter=None) -> Message:
    """Queue a text message in the caller's transaction; once committed, one attempt is
    made at once (the worker retries whatever is still pending)."""
    now = timezone.now()
    message = Message.objects.create(
        phone=phone,
        body=body[:500],
        purpose=purpose,
        report=report,
        reporter=reporter,
        next_attempt_at=now,
        created_at=now,
    )
    transaction.on_commit(lambda: messages_send(ids=[message.pk]))
    return message


def _backoff(attempts: int) -> datetime.timedelta:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _send_one(message: Message, now: datetime.datetime) -> None:
    message.attempts += 1
    try:
        message.gateway_reference = gateway().send(phone=message.phone, text=message.body)
    except GatewayError as exc:
        message.last_error = str(exc)[:300]
        if message.attempts >= settings.SMS_MAX_ATTEMPTS:
            message.status = MessageStatus.FAILED
            logger.warning("SMS %s to %s failed for good: %s", message.pk, message.phone, exc)
        else:
            message.next_attempt_at = now + _backoff(message.attempts)
    else:
        message.status = MessageStatus.SENT
        message.sent_at = now
        message.last_error = ""
    message.save(
        update_fields=[
            "attempts",
            "gateway_reference",
            "last_error",
            "status",
            "next_attempt_at",
            "sent_at",
        ]
    )


def messages_send(*, ids: list[int] | None = None, limit: int = 100) -> int:
    """Send pending messages that are due (or just ``ids``). Safe to run in several
    workers at once: each message is locked while it is being sent. Returns how many
    were attempted."""
    now = timezone.now()
    attempted = 0
    with transaction.atomic():
        due = Message.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        if ids is not None:
            due = due.filter(pk__in=ids)
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True)
        for message in due.order_by("next_attempt_at")[:limit]:
            _send_one(message, now)
            attempted += 1
    return attempted


@transaction.atomic
def message_delivery_receipt(*, reference: str, delivered: bool, error: str = "") -> bool:
    """Record the gateway's delivery report. Returns False for an unknown reference."""
    message = Message.objects.select_for_update().filter(gateway_reference=reference).first()
    if message is None or not reference:
        return False
    if delivered:
        message.status = MessageStatus.DELIVERED
        message.delivered_at = timezone.now()
    else:
        message.status = MessageStatus.FAILED
        message.last_error = error[:300] or "not delivered"
    message.save(update_fields=["status", "delivered_at", "last_error"])
    return True


@transaction.atomic
def message_retry(*, message: Message) -> Message:
    """Put a failed message back in the queue (staff fixed the number, or the gateway
    is back)."""
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: messages_send(ids=[message.pk]))
    return message
