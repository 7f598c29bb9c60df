"""Helpers of the outbox tests: what the worker's round handed to the SMS platform."""

from django.test import override_settings

from yangguang.notify.gateways import MemoryGateway, Sms
from yangguang.notify.services import messages_send


def worker_round(**kwargs) -> list[Sms]:
    """Run one round of the worker with the in-memory gateway; return what it sent."""
    MemoryGateway.sent.clear()
    with override_settings(SMS_GATEWAY="memory"):
        messages_send(**kwargs)
    sent = list(MemoryGateway.sent)
    MemoryGateway.sent.clear()
    return sent
