"""Where a report belongs: its grid, community and sub-district, and the unit proposed
to handle it (the dispatcher may choose another).

Assignment follows reference.md §1.2: a component (部件) goes first to its owner, then
to the territory (先属主、后属地); an event (事件) goes first to the territory, then to
the owner (先属地、后属主).
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from yangguang.categories.enums import CategoryKind
from yangguang.categories.models import Category
from yangguang.grids.models import Grid
from yangguang.grids.selectors import grid_at
from yangguang.org.enums import UnitKind
from yangguang.org.models import Unit
from yangguang.reports.enums import TERMINAL
from yangguang.reports.models import Report

EARTH_RADIUS_M = 6_371_008.8
# Handling-unit types that are the territory's own: the squadron patrolling the grid
# (enforcement) and the sub-district (属地).
TERRITORIAL = {"enforcement", "locality"}


@dataclass(frozen=True)
class Place:
    grid: Grid | None
    community: Unit | None
    street: Unit | None


def locate(*, longitude: float | None, latitude: float | None) -> Place:
    if longitude is None or latitude is None:
        return Place(None, None, None)
    grid = grid_at(lon=longitude, lat=latitude)
    if grid is None:
        return Place(None, None, None)
    return Place(grid, grid.community, grid.community.parent)


def _territorial(type_code: str, place: Place) -> Unit | None:
    if type_code == "enforcement":
        return place.grid.squadron if place.grid else None
    return place.street


def propose_unit(*, category: Category | None, place: Place) -> Unit | None:
    """The unit proposed for ``category`` at ``place`` (None when nothing fits)."""
    if category is None or category.handling_type is None:
        return place.street
    type_code = category.handling_type.code
    if type_code in TERRITORIAL:
        return _territorial(type_code, place) or place.street
    owners = Unit.objects.filter(
        handling_type=category.handling_type, is_active=True, kind=UnitKind.HANDLING
    ).order_by("path")
    local = owners.filter(path__startswith=place.street.path) if place.street else owners.none()
    if category.kind == CategoryKind.COMPONENT:
        # 先属主、后属地: the owner department, else the territory.
        return owners.first() or place.street
    # 先属地、后属主: a unit of that type within the sub-district, else the owner.
    return local.first() or owners.first() or place.street


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def duplicate_candidates(report: Report) -> list[Report]:
    """Open reports of the same category within DUPLICATE_RADIUS_M metres and
    DUPLICATE_WINDOW_HOURS hours, nearest first."""
    if report.category_id is None or report.latitude is None or report.longitude is None:
        return []
    radius = settings.DUPLICATE_RADIUS_M
    window = timezone.timedelta(hours=settings.DUPLICATE_WINDOW_HOURS)
    d_lat = radius / 111_000
    d_lon = radius / (111_000 * max(math.cos(math.radians(report.latitude)), 0.01))
    nearby = (
        Report.objects.filter(
            category_id=report.category_id,
            latitude__range=(report.latitude - d_lat, report.latitude + d_lat),
            longitude__range=(report.longitude - d_lon, report.longitude + d_lon),
            created_at__gte=report.created_at - window,
            created_at__lte=report.created_at + window,
        )
        .exclude(pk=report.pk)
        .exclude(status__in=TERMINAL)
        .exclude(Q(merged_into__isnull=False))
    )
    found = [
        (distance_m(report.latitude, report.longitude, other.latitude, other.longitude), other)
        for other in nearby
    ]
    return [
        other for distance, other in sorted(found, key=lambda pair: pair[0]) if distance <= radius
    ]
