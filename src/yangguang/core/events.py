"""Domain events: how one domain tells others that something happened to its objects,
without importing them.

The domain that owns the change announces it (``announce``) inside the transaction
that makes the change; the receiving apps subscribe a handler in their
``AppConfig.ready`` (``subscribe``). Handlers run at once, in the announcer's
transaction, so the change and its consequences commit or roll back together; a
handler that raises aborts the change. Django model signals are not used: the calls
are explicit, listed here by name, and tested.
"""

from collections import defaultdict
from collections.abc import Callable

# The events announced today, with the keyword arguments their handlers receive.
CASE_DECIDED = "cases.decided"  # case, now
CASE_DECISION_SET_ASIDE = "cases.decision_set_aside"  # case, ground, set_aside_on, now
REPORT_VERIFIED = "reports.verified"  # report, actor, now  (核查 passed)
MERCHANT_ADDED = "merchants.merchant_added"  # merchant, now
COMMENDATION_RECORDED = "merchants.commendation_recorded"  # commendation, actor, now
RECTIFICATION_OPENED = "merchants.rectification_opened"  # rectification, now
RECTIFICATION_OVERDUE = "merchants.rectification_overdue"  # rectification, now
RECTIFICATION_CORRECTED = "merchants.rectification_corrected"  # rectification, on_time, actor, now
TITLE_AWARDED = "merchants.title_awarded"  # entry (CampaignEntry), now

_handlers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., None]) -> None:
    """Call ``handler(**payload)`` whenever ``event`` is announced (idempotent)."""
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def announce(event: str, **payload: object) -> None:
    """Run every handler of ``event``, in subscription order, in the caller's transaction."""
    for handler in list(_handlers[event]):
        handler(**payload)


def handlers_of(event: str) -> list[Callable[..., None]]:
    return list(_handlers[event])
