"""The demo's patrols (巡查在岗, issue 14): the grid officers (监督员) walked their grids
on the working days of the last 30 days, one shift a day with a fix every five minutes,
some days missed; one of them is on duty now. Made through the patrol services with
explicit times, as a phone on duty would have sent them, so the coverage table, the
tracks and the command centre's map have something to show.

The lead wires ``create_demo_patrols`` into core/demo.py.
"""

import datetime
import random

import shapely
from django.utils import timezone

from yangguang.grids.geometry import geometry_from_geojson
from yangguang.grids.models import Grid
from yangguang.org.enums import PostCode
from yangguang.org.models import User
from yangguang.patrol.models import DutyShift
from yangguang.patrol.services import duty_end, duty_start, positions_add
from yangguang.worktime.calendar import SHANGHAI
from yangguang.worktime.selectors import work_calendar

DAYS_BACK = 30
STEP = datetime.timedelta(minutes=5)
SHIFT_START = datetime.time(8, 30)
SHIFT_END = datetime.time(16, 30)
ON_DUTY_FOR = datetime.timedelta(hours=2)
BATCH = 50
# Most officers patrol most days; the seed keeps the demo the same on every load.
ATTENDANCE = 0.8


def _walk(grids: list[Grid]) -> list[tuple[float, float]]:
    """A loop through the officer's grids: for each, its corners pulled halfway to an
    inside point, kept where they stay inside."""
    points: list[tuple[float, float]] = []
    for grid in grids:
        shape = geometry_from_geojson(grid.geometry)
        centre = shape.representative_point()
        polygons = list(shape.geoms) if hasattr(shape, "geoms") else [shape]
        for polygon in polygons:
            for lon, lat in list(polygon.exterior.coords)[:-1]:
                point = (centre.x + 0.5 * (lon - centre.x), centre.y + 0.5 * (lat - centre.y))
                if shape.contains(shapely.Point(point)):
                    points.append(point)
        points.append((centre.x, centre.y))
    return points


def _fixes(
    walk: list[tuple[float, float]],
    start: datetime.datetime,
    end: datetime.datetime,
    rng: random.Random,
) -> list[dict]:
    fixes = []
    moment, step = start + STEP, 0
    while moment <= end:
        lon, lat = walk[step % len(walk)]
        fixes.append(
            {
                "lon": lon + rng.uniform(-0.00002, 0.00002),
                "lat": lat + rng.uniform(-0.00002, 0.00002),
                "accuracy": round(rng.uniform(4, 25), 1),
                "at": moment.isoformat(),
            }
        )
        moment, step = moment + STEP, step + 1
    return fixes


def _shift(user: User, walk, start, end, rng: random.Random, *, close: bool) -> None:
    duty_start(user=user, lon=walk[0][0], lat=walk[0][1], now=start)
    fixes = _fixes(walk, start, end, rng)
    for first in range(0, len(fixes), BATCH):
        positions_add(user=user, fixes=fixes[first : first + BATCH], now=end)
    if close:
        duty_end(user=user, lon=walk[-1][0], lat=walk[-1][1], now=end)


def create_demo_patrols(today: datetime.date, *, now: datetime.datetime | None = None) -> int:
    """Create the demo's shifts and tracks up to ``now`` (default: the clock), unless
    there are shifts already. Returns the number of shifts created."""
    if DutyShift.objects.exists():
        return 0
    now = now or timezone.now()
    calendar = work_calendar()
    rng = random.Random(14)
    officers = (
        User.objects.filter(posts__code=PostCode.INSPECTOR, grids__isnull=False, is_active=True)
        .distinct()
        .order_by("username")
    )
    created = 0
    walks = []
    for officer in officers:
        walk = _walk(list(officer.grids.order_by("code")))
        if walk:
            walks.append((officer, walk))
    for officer, walk in walks:
        for back in range(DAYS_BACK, 0, -1):
            day = today - datetime.timedelta(days=back)
            if not calendar.is_working_day(day) or rng.random() > ATTENDANCE:
                continue
            start = datetime.datetime.combine(day, SHIFT_START, tzinfo=SHANGHAI)
            end = datetime.datetime.combine(day, SHIFT_END, tzinfo=SHANGHAI)
            _shift(officer, walk, start, end, rng, close=True)
            created += 1
    if walks:
        officer, walk = walks[0]
        _shift(officer, walk, now - ON_DUTY_FOR, now, rng, close=False)
        created += 1
    return created
