"""What the public may see of a shop: its 门前三包 公示牌 (``merchants.boards``) and the
page behind the board's QR code (``portal.shop_views``) say the same things, read here.

Nothing personal: the trade name, the address, the zone and duties, the merchant's grade
under the active credit scheme, 文明商家 titles, and inspection results as pass or fail per
duty — never the operator, a phone, an inspector, or anyone's notes. A sole trader's
registered name is often the operator's own name (``Merchant.is_sole_trader``), so only
an organisation's registered name is shown.

Every reader is a bounded number of small queries (a shop's page is asked for each scan
of its board): no count over a shop's whole history.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from yangguang.core.sequences import public_url
from yangguang.credit.enums import EventKind
from yangguang.credit.models import CreditEvent, CreditScheme
from yangguang.credit.scheme import Rules, rules_from
from yangguang.grids.geometry import GeometryError, geometry_from_geojson
from yangguang.merchants.models import CampaignEntry, Shop
from yangguang.merchants.selectors import recent_inspections
from yangguang.merchants.zones import covers
from yangguang.records.registry import object_type_of

TITLES_SHOWN = 10
INSPECTIONS_SHOWN = 5


@dataclass(frozen=True)
class Grade:
    grade: str
    label: str  # the active scheme's band label ("A 诚信", "★★★★"), or the grade itself


@dataclass(frozen=True)
class Title:
    title: str
    awarded_on: datetime.date


@dataclass(frozen=True)
class DutyResult:
    name: str
    passed: bool


@dataclass(frozen=True)
class InspectionResult:
    day: datetime.date
    passed: bool
    duties: tuple[DutyResult, ...]


def active_rules() -> Rules | None:
    """The active scheme's rules; None while no scheme is active."""
    scheme = CreditScheme.objects.filter(active=True).only("rules").first()
    return rules_from(scheme.rules) if scheme is not None else None


def shop_grade(shop: Shop, rules: Rules | None) -> Grade | None:
    """The merchant's current grade, labelled by the active scheme's band; None before
    the merchant has a score."""
    try:
        score = shop.merchant.score
    except ObjectDoesNotExist:
        return None
    band = rules.band(score.grade) if rules is not None else None
    return Grade(grade=score.grade, label=band.label if band is not None else score.grade)


def registered_name(shop: Shop) -> str:
    """The merchant's registered name when it may be shown (not a sole trader's)."""
    merchant = shop.merchant
    return "" if merchant.is_sole_trader else merchant.name


def zone_size(shop: Shop) -> tuple[Decimal, Decimal] | None:
    """(frontage, depth) in metres for a default zone; None when it was drawn."""
    return None if shop.zone_drawn else (shop.frontage_m, shop.depth_m)


def report_point(shop: Shop) -> tuple[float, float]:
    """Where a report "here" lands (lon, lat): the door when the zone takes it in (a
    default zone starts at the door), else a point inside the drawn zone — so a verified
    report there counts for the shop (``selectors.shops_at``)."""
    door = (shop.longitude, shop.latitude)
    try:
        if covers(shop.zone, lon=door[0], lat=door[1]):
            return door
        point = geometry_from_geojson(shop.zone).representative_point()
    except GeometryError:  # checked when saved; a page never fails for it
        return door
    return (round(point.x, 7), round(point.y, 7))


def board_url(shop: Shop) -> str:
    """The public page's absolute address, printed as the board's QR code."""
    return public_url(reverse("portal:shop", args=[shop.board_token]))


def _campaign_entry_id(event: CreditEvent) -> int | None:
    if event.source_type == object_type_of(CampaignEntry) and event.source_id.isascii():
        return int(event.source_id) if event.source_id.isdigit() else None
    return None


def shop_titles(shop: Shop, limit: int = TITLES_SHOWN) -> list[Title]:
    """The shop's 文明商家 titles, newest first: the campaign's title when the event came
    from a campaign, else the event's reason (two queries)."""
    events = list(
        CreditEvent.objects.filter(shop=shop, kind=EventKind.CIVILISED_TITLE)
        .order_by("-occurred_at", "-pk")
        .only("occurred_at", "source_type", "source_id", "reason")[:limit]
    )
    ids = {_campaign_entry_id(event) for event in events} - {None}
    campaigns = (
        dict(CampaignEntry.objects.filter(pk__in=ids).values_list("pk", "campaign__title"))
        if ids
        else {}
    )
    return [
        Title(
            title=campaigns.get(_campaign_entry_id(event)) or event.reason,
            awarded_on=timezone.localtime(event.occurred_at).date(),
        )
        for event in events
    ]


def inspection_results(shop: Shop, limit: int = INSPECTIONS_SHOWN) -> list[InspectionResult]:
    """The latest inspections, each with pass or fail per duty (a duty passes when all
    its checked items did). No inspector, note or photo."""
    results = []
    for inspection in recent_inspections(shop, limit=limit):
        by_duty: dict[int, list] = defaultdict(list)
        names: dict[int, tuple[int, str]] = {}
        for item in inspection.items.all():
            by_duty[item.duty_id].append(item.passed)
            names[item.duty_id] = (item.duty.position, item.duty.name)
        duties = tuple(
            DutyResult(name=names[duty_id][1], passed=all(passed))
            for duty_id, passed in sorted(by_duty.items(), key=lambda kv: (names[kv[0]], kv[0]))
        )
        results.append(
            InspectionResult(
                day=timezone.localtime(inspection.inspected_at).date(),
                passed=inspection.passed,
                duties=duties,
            )
        )
    return results
