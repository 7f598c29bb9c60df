"""Reading the merchant file: shops at a point (the credit of a verified report), a shop
by its board's code, the shops of a street, the shops due for inspection by grade."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from yangguang.merchants.enums import LetterStatus, ShopStatus
from yangguang.merchants.models import Inspection, ResponsibilityLetter, Shop
from yangguang.merchants.zones import covers, tolerance_degrees


def shops_at(*, lon: float, lat: float) -> list[Shop]:
    """Open shops whose zone covers the point (or lies within a metre of it)."""
    d_lon, d_lat = tolerance_degrees(lat)
    candidates = Shop.objects.filter(
        status=ShopStatus.OPEN,
        min_lon__lte=lon + d_lon,
        max_lon__gte=lon - d_lon,
        min_lat__lte=lat + d_lat,
        max_lat__gte=lat - d_lat,
    ).select_related("merchant")
    return [shop for shop in candidates if covers(shop.zone, lon=lon, lat=lat)]


# A board's code as printed in its QR (secrets.token_urlsafe): anything else is no shop.
BOARD_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,16}")


def shop_for_board(token: str) -> Shop | None:
    """The open shop whose board carries ``token``, with what its public page shows."""
    if not isinstance(token, str) or not BOARD_TOKEN.fullmatch(token):
        return None
    return (
        Shop.objects.filter(board_token=token, status=ShopStatus.OPEN)
        .select_related("merchant", "merchant__score", "grid", "grid__squadron")
        .prefetch_related("duties")
        .first()
    )


def recent_inspections(shop: Shop, limit: int = 5) -> list[Inspection]:
    return list(shop.inspections.order_by("-inspected_at").prefetch_related("items__duty")[:limit])


def current_letter(shop: Shop) -> ResponsibilityLetter | None:
    return shop.letters.exclude(status=LetterStatus.SUPERSEDED).first()


def street_shops(street_name: str) -> QuerySet[Shop]:
    return (
        Shop.objects.filter(street_name=street_name, status=ShopStatus.OPEN)
        .select_related("merchant", "grid")
        .prefetch_related("duties", Prefetch("letters"))
        .order_by("address", "pk")
    )


def street_names() -> list[str]:
    return list(
        Shop.objects.filter(status=ShopStatus.OPEN)
        .exclude(street_name="")
        .values_list("street_name", flat=True)
        .distinct()
        .order_by("street_name")
    )


@dataclass(frozen=True)
class PatrolDue:
    shop: Shop
    grade: str
    patrols_per_month: int
    last_inspected: datetime.date | None
    due_on: datetime.date


def patrol_plan(*, today: datetime.date, rules, street: str = "") -> list[PatrolDue]:
    """Open shops due for an inspection by their merchant's grade (重点巡查): a grade's
    ``patrols_per_month`` spreads its inspections over 30 days, so a shop is due that
    many days after its last inspection (at once if never inspected). A grade with no
    patrols a month is never due. Earliest due first."""
    shops = (
        Shop.objects.filter(status=ShopStatus.OPEN)
        .select_related("merchant__score", "grid")
        .annotate(last=Max("inspections__inspected_at"))
        .order_by("pk")
    )
    if street:
        shops = shops.filter(street_name=street)
    due = []
    for shop in shops:
        score = getattr(shop.merchant, "score", None)
        band = rules.band(score.grade) if score is not None else rules.bands[0]
        if band is None or band.patrols_per_month <= 0:
            continue
        last = timezone.localtime(shop.last).date() if shop.last else None
        interval = datetime.timedelta(days=30 // band.patrols_per_month or 1)
        due_on = last + interval if last else today
        if due_on <= today:
            due.append(PatrolDue(shop, band.grade, band.patrols_per_month, last, due_on))
    return sorted(due, key=lambda item: (item.due_on, item.shop.pk))
