"""SMS gateways. The logging gateway (default) writes each message to the log, masked,
for installations without an SMS contract; the HTTP gateway posts JSON to the bureau's
SMS platform (运营商短信网关 or a cloud SMS service behind an adapter); the memory
gateway keeps what it was given, for tests (like Django's locmem mail backend).

Every gateway gets the text to send and the same text with its secrets masked; only
the HTTP gateway ever sees the full text, and nothing here writes a full phone number,
a one-time code or a link token to a log (等保2.0 GB/T 22239-2019 8.1.4.8, 8.1.4.10;
个人信息保护法 第五十一条).
"""

import dataclasses
import json
import logging
import threading
import urllib.error
import urllib.request
import uuid
from typing import ClassVar, Protocol

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from yangguang.core.privacy import mask_phone

logger = logging.getLogger("yangguang.sms")


class GatewayError(Exception):
    """The gateway did not accept the message; it will be retried."""


class Gateway(Protocol):
    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        """Hand the message over; return the gateway's reference for it."""


class LoggingGateway:
    """Writes ``SMS to 138****0001 (reference): text with *** for secrets``."""

    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        reference = uuid.uuid4().hex
        logger.info("SMS to %s (%s): %s", mask_phone(phone), reference, masked_text)
        return reference


class HttpGateway:
    """POST {"phone", "text", "signature"} as JSON with a bearer token; the response's
    JSON "id" (or "reference") is the message reference, which the platform's delivery
    receipts name (``POST /sms/receipts/``). Non-2xx or a network error raises
    GatewayError, whose text never quotes the platform's answer (it may echo the
    message)."""

    def __init__(self, *, url: str, token: str, signature: str, timeout: float) -> None:
        self.url, self.token, self.signature, self.timeout = url, token, signature, timeout

    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        payload = json.dumps(
            {"phone": phone, "text": text, "signature": self.signature}, ensure_ascii=False
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the configured gateway URL
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the connection open
            raise GatewayError(f"HTTP {exc.code}") from exc
        except urllib.error.URLError as exc:
            raise GatewayError(str(exc.reason)[:300]) from exc
        except (TimeoutError, OSError) as exc:
            raise GatewayError(exc.__class__.__name__) from exc
        try:
            answer = json.loads(body or b"{}")
        except json.JSONDecodeError as exc:
            raise GatewayError(f"the answer is not JSON ({len(body)} bytes)") from exc
        if not isinstance(answer, dict):
            raise GatewayError("the answer is not a JSON object")
        return str(answer.get("id") or answer.get("reference") or "")


@dataclasses.dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    masked_text: str
    in_transaction: bool
    reference: str


class MemoryGateway:
    """Keeps every message in ``MemoryGateway.sent``, with whether it was handed over
    inside a database transaction (it never should be). For tests."""

    sent: ClassVar[list[Sms]] = []
    _lock = threading.Lock()

    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        reference = uuid.uuid4().hex
        with self._lock:
            self.sent.append(Sms(phone, text, masked_text, connection.in_atomic_block, reference))
        return reference


def gateway() -> Gateway:
    """The configured gateway: ``logging``, ``http``, ``memory`` or (tests) a dotted
    path to a class."""
    if settings.SMS_GATEWAY == "http":
        return HttpGateway(
            url=settings.SMS_URL,
            token=settings.SMS_TOKEN,
            signature=settings.SMS_SIGNATURE,
            timeout=settings.SMS_TIMEOUT,
        )
    if settings.SMS_GATEWAY == "memory":
        return MemoryGateway()
    if "." in settings.SMS_GATEWAY:
        return import_string(settings.SMS_GATEWAY)()
    return LoggingGateway()
