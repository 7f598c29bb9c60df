"""What the merchant's own page shows (reads only): their score and grade with what the
grade triggers, each credit event with its points and whether and when it may be
repaired, their shops with zone, duties and current 责任书, and their open 整改 requests.

Every lookup by id is scoped to the signed-in merchant: another merchant's letter, 整改
request or event is simply not found (the page answers 404).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from yangguang.credit.enums import RepairStatus
from yangguang.credit.models import CreditEvent, CreditScheme, CreditScore, RepairApplication
from yangguang.credit.repair import repair_opens_on
from yangguang.credit.scheme import DEFAULT_RULES, Band, Rules, rules_from
from yangguang.credit.scoring import active_scheme
from yangguang.merchants.enums import LetterStatus, RectificationStatus, ShopStatus
from yangguang.merchants.models import (
    Merchant,
    MerchantAccess,
    Rectification,
    ResponsibilityLetter,
    Shop,
)

# Events listed on the page: this year's and last year's (an event of last year may
# still keep the merchant on the black list and be repaired), newest first.
EVENTS_SHOWN = 200
# 整改 requests the merchant can still answer, and those waiting for the inspector.
OPEN_RECTIFICATION = (RectificationStatus.OPEN, RectificationStatus.OVERDUE)
LISTED_RECTIFICATION = (*OPEN_RECTIFICATION, RectificationStatus.SUBMITTED)
# What an event's source is, in words (its reference follows: a tracking or case number).
SOURCE_LABELS = {
    "reports.report": _("Report"),
    "cases.case": _("Case"),
    "merchants.rectification": _("整改 request"),
    "merchants.inspection": _("Inspection"),
}


@dataclass(frozen=True)
class EventLine:
    event: CreditEvent
    points: int
    # Repair (信用修复): only for a negative, unrepaired event the scheme counts as
    # dishonesty; ``opens_on`` is the first day an application is accepted.
    repairable: bool
    opens_on: datetime.date | None
    may_apply: bool
    applications: list[RepairApplication] = field(default_factory=list)

    @property
    def source(self) -> str:
        label = SOURCE_LABELS.get(self.event.source_type)
        return f"{label} {self.event.source_repr}" if label else self.event.source_repr

    @property
    def waiting(self) -> bool:
        return any(a.status == RepairStatus.SUBMITTED for a in self.applications)


@dataclass(frozen=True)
class CreditView:
    score: CreditScore | None
    band: Band | None
    events: list[EventLine]


@dataclass(frozen=True)
class ShopLine:
    shop: Shop
    letter: ResponsibilityLetter | None


def _scheme_rules(score: CreditScore | None) -> Rules:
    scheme = score.scheme if score is not None else _active_or_none()
    return rules_from(scheme.rules if scheme is not None else DEFAULT_RULES)


def _active_or_none() -> CreditScheme | None:
    try:
        return active_scheme()
    except CreditScheme.DoesNotExist:
        return None


def merchant_credit(*, merchant: Merchant, today: datetime.date) -> CreditView:
    """The score as last computed (its year says which), the band of its grade, and the
    merchant's events of this year and last with their points and repair state."""
    score = CreditScore.objects.select_related("scheme").filter(merchant=merchant).first()
    rules = _scheme_rules(score)
    band = rules.band(score.grade) if score is not None else None
    events = list(
        CreditEvent.objects.filter(merchant=merchant, year__gte=today.year - 1)
        .select_related("shop")
        .prefetch_related(
            Prefetch("repairs", queryset=RepairApplication.objects.order_by("-submitted_at"))
        )
        .order_by("-occurred_at", "-pk")[:EVENTS_SHOWN]
    )
    active = _active_or_none()
    active_rules = rules_from(active.rules) if active is not None else None
    lines = []
    for event in events:
        points = rules.points_for(event.kind, event.severity)
        opens_on = None
        if points < 0 and event.repaired_at is None and active_rules is not None:
            opens_on = repair_opens_on(event, active_rules)
        applications = list(event.repairs.all())
        waiting = any(a.status == RepairStatus.SUBMITTED for a in applications)
        lines.append(
            EventLine(
                event=event,
                points=points,
                repairable=opens_on is not None,
                opens_on=opens_on,
                may_apply=opens_on is not None and today >= opens_on and not waiting,
                applications=applications,
            )
        )
    return CreditView(score=score, band=band, events=lines)


def merchant_shops(*, merchant: Merchant) -> list[ShopLine]:
    """The merchant's open shops, each with its duties and its current 责任书."""
    shops = (
        Shop.objects.filter(merchant=merchant, status=ShopStatus.OPEN)
        .select_related("grid")
        .prefetch_related(
            "duties",
            Prefetch(
                "letters",
                queryset=ResponsibilityLetter.objects.exclude(
                    status=LetterStatus.SUPERSEDED
                ).order_by("-issued_at"),
                to_attr="current_letters",
            ),
        )
        .order_by("street_name", "address", "pk")
    )
    return [
        ShopLine(shop=shop, letter=shop.current_letters[0] if shop.current_letters else None)
        for shop in shops
    ]


def merchant_rectifications(*, merchant: Merchant) -> list[Rectification]:
    """整改 requests still to answer (open, overdue) or awaiting the inspector's check."""
    return list(
        Rectification.objects.filter(shop__merchant=merchant, status__in=LISTED_RECTIFICATION)
        .select_related("shop", "item", "item__duty")
        .order_by("due_at", "pk")
    )


def merchant_letter(*, merchant: Merchant, letter_id: int) -> ResponsibilityLetter | None:
    return ResponsibilityLetter.objects.filter(pk=letter_id, shop__merchant=merchant).first()


def merchant_rectification(*, merchant: Merchant, rectification_id: int) -> Rectification | None:
    return Rectification.objects.filter(pk=rectification_id, shop__merchant=merchant).first()


def merchant_event(*, merchant: Merchant, event_id: int) -> CreditEvent | None:
    return CreditEvent.objects.filter(pk=event_id, merchant=merchant).first()


def access_by_id(access_id: object) -> MerchantAccess | None:
    """A sign-in row still in force (not revoked) by its id, with its merchant."""
    if not isinstance(access_id, int) or isinstance(access_id, bool):
        return None
    return (
        MerchantAccess.objects.filter(pk=access_id, revoked_at__isnull=True)
        .select_related("merchant")
        .first()
    )


def access_signed_in(*, access_id: object, merchant_id: object) -> MerchantAccess | None:
    """The sign-in row a session was opened with, while it is not locked (a lock ends
    the sessions opened with it; a newer link does not)."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (access_id, merchant_id)):
        return None
    return (
        MerchantAccess.objects.filter(pk=access_id, merchant_id=merchant_id, locked_at__isnull=True)
        .select_related("merchant")
        .first()
    )
