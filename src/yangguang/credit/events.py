"""Credit events: the one writer of ``CreditEvent`` (repairs aside, credit.repair).

Each event names the object it came from (a verified report, a decided case, a 整改
request, a title) and is recorded in the chain on the merchant; the same source never
makes the same event twice. Called by the handlers of other domains' announcements
(credit.handlers), in their transaction.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from yangguang.credit.models import CreditEvent
from yangguang.credit.scoring import merchant_rescore, scoring_year
from yangguang.merchants.models import Merchant, Shop
from yangguang.org.models import User
from yangguang.records.registry import object_type_of
from yangguang.records.services import record_append


def event_record(
    *,
    merchant: Merchant,
    kind: str,
    source: models.Model,
    reason: str,
    occurred_at: datetime.datetime,
    shop: Shop | None = None,
    severity: str = "",
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> CreditEvent | None:
    """Record the event and rescore the merchant; None if this source made it already."""
    now = now or timezone.now()
    source_type, source_id = object_type_of(source), str(source.pk)
    lookup = {
        "merchant": merchant,
        "kind": kind,
        "source_type": source_type,
        "source_id": source_id,
    }
    if CreditEvent.objects.filter(**lookup).exists():
        return None
    try:
        with transaction.atomic():
            event = CreditEvent.objects.create(
                **lookup,
                shop=shop,
                severity=severity,
                occurred_at=occurred_at,
                year=scoring_year(occurred_at),
                source_repr=str(source)[:200],
                reason=reason[:300],
                recorded_at=now,
            )
    except IntegrityError:  # the same source, at the same moment, in another transaction
        return None
    record_append(
        action="credit.event",
        target=merchant,
        actor=actor,
        changes={
            "kind": [None, kind],
            "severity": [None, severity],
            "source": [None, f"{source_type}:{source_id} {event.source_repr}"],
        },
        reason=event.reason,
    )
    merchant_rescore(merchant_id=merchant.pk, now=now)
    return event
