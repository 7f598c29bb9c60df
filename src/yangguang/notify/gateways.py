"""SMS gateways. The logging gateway (default) writes each message to the log, for
installations without an SMS contract; the HTTP gateway posts JSON to the bureau's SMS
platform (运营商短信网关 or a cloud SMS service behind an adapter)."""

import json
import logging
import urllib.error
import urllib.request
import uuid
from typing import Protocol

from django.conf import settings

logger = logging.getLogger("yangguang.sms")


class GatewayError(Exception):
    """The gateway did not accept the message; it will be retried."""


class Gateway(Protocol):
    def send(self, *, phone: str, text: str) -> str:
        """Hand the message over; return the gateway's reference for it."""


class LoggingGateway:
    def send(self, *, phone: str, text: str) -> str:
        reference = uuid.uuid4().hex
        logger.info("SMS to %s (%s): %s", phone, reference, text)
        return reference


class HttpGateway:
    """POST {"phone", "text", "signature"} as JSON with a bearer token; the response's
    JSON "id" (or "reference") is the message reference. Non-2xx or a network error
    raises GatewayError."""

    def __init__(self, *, url: str, token: str, signature: str, timeout: float) -> None:
        self.url, self.token, self.signature, self.timeout = url, token, signature, timeout

    def send(self, *, phone: str, text: str) -> str:
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
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GatewayError(str(exc)[:300]) from exc
        try:
            answer = json.loads(body or b"{}")
        except json.JSONDecodeError as exc:
            raise GatewayError(f"not JSON: {body[:100]!r}") from exc
        return str(answer.get("id") or answer.get("reference") or "")


def gateway() -> Gateway:
    if settings.SMS_GATEWAY == "http":
        return HttpGateway(
            url=settings.SMS_URL,
            token=settings.SMS_TOKEN,
            signature=settings.SMS_SIGNATURE,
            timeout=settings.SMS_TIMEOUT,
        )
    return LoggingGateway()
