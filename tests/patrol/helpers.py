"""Shared pieces of the patrol tests: a pinned Monday and points inside the city's grids."""

import datetime
import zoneinfo

from tests.grids.test_import import ORIGIN_LAT, ORIGIN_LON, STEP_LAT, STEP_LON

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a working day


def inside(col: int, row: int = 0) -> tuple[float, float]:
    """The centre of the city fixture's grid square (col, row) as (lon, lat)."""
    return ORIGIN_LON + (col + 0.5) * STEP_LON, ORIGIN_LAT + (row + 0.5) * STEP_LAT


def fix(at: datetime.datetime, col: int = 0, *, accuracy: float = 10.0) -> dict:
    lon, lat = inside(col)
    return {"lon": lon, "lat": lat, "accuracy": accuracy, "at": int(at.timestamp() * 1000)}
