"""巡查覆盖率 and 在岗率 on hand-computed fixtures: the pure formulas, then the grid table
on the city's two grids."""

import datetime

import pytest

from tests.patrol.helpers import MONDAY, SHANGHAI, fix
from yangguang.org.enums import PostCode
from yangguang.patrol.coverage import covered_slots, grid_rates, patrol_slots, time_within
from yangguang.patrol.selectors import grid_figures
from yangguang.patrol.services import duty_start, positions_add


def at(hour: int, minute: int = 0, day: int = 23) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def weekdays(day: datetime.date) -> bool:
    return day.weekday() < 5


NOON_THIRTY = at(12, 30)
HOUR = datetime.timedelta(hours=1)


def monday_slots(now=NOON_THIRTY):
    return patrol_slots(
        first_day=now.date(),
        last_day=now.date(),
        is_working_day=weekdays,
        hour_from=8,
        hour_to=18,
        tz=SHANGHAI,
        now=now,
    )


def test_slots_are_the_patrol_hours_begun_by_now():
    slots = monday_slots()
    # 08, 09, 10, 11 whole, 12:00–12:30 cut at now: 4.5 hours in 5 slots.
    assert [start.hour for start, _end in slots] == [8, 9, 10, 11, 12]
    assert slots[-1] == (at(12), at(12, 30))
    assert sum((end - start for start, end in slots), datetime.timedelta()) == 4.5 * HOUR


def test_slots_skip_days_off():
    slots = patrol_slots(
        first_day=datetime.date(2026, 11, 20),  # Friday
        last_day=datetime.date(2026, 11, 23),  # Monday
        is_working_day=weekdays,
        hour_from=8,
        hour_to=18,
        tz=SHANGHAI,
        now=at(0, 0, day=24),
    )
    assert len(slots) == 20  # Friday and Monday, ten hours each; no weekend
    holiday = patrol_slots(
        first_day=datetime.date(2026, 11, 23),
        last_day=datetime.date(2026, 11, 23),
        is_working_day=lambda day: False,
        hour_from=8,
        hour_to=18,
        tz=SHANGHAI,
        now=at(0, 0, day=24),
    )
    assert holiday == []


def test_coverage_counts_slots_with_at_least_one_position():
    moments = [at(7, 30), at(8, 10), at(8, 50), at(10, 5), at(12, 20), at(13, 0)]
    # 07:30 is before the patrol hours, 13:00 after now; 08:10 and 08:50 share a slot.
    assert covered_slots(monday_slots(), moments) == 3


def test_on_duty_time_counts_only_inside_the_slots_and_overlaps_once():
    intervals = [(at(7), at(9)), (at(8, 30), at(9, 30)), (at(11), NOON_THIRTY)]
    # 08:00–09:30 (1.5 h) and 11:00–12:30 (1.5 h)
    assert time_within(monday_slots(), intervals) == 3 * HOUR


def test_grid_rates_by_hand():
    rates = grid_rates(
        slots=monday_slots(),
        moments=[at(8, 10), at(8, 50), at(10, 5), at(12, 20)],
        officer_shifts={1: [(at(7), at(9, 30)), (at(11), NOON_THIRTY)]},
        officers=2,  # the second officer never went on duty
    )
    assert (rates.slots, rates.covered) == (5, 3)
    assert rates.coverage == pytest.approx(3 / 5)
    assert rates.on_duty == 3 * HOUR
    assert rates.on_duty_rate == pytest.approx(3 / (2 * 4.5))


def test_rates_without_slots_or_officers_are_none():
    empty = grid_rates(slots=[], moments=[at(9)], officer_shifts={}, officers=1)
    assert empty.coverage is None
    assert empty.on_duty_rate is None
    nobody = grid_rates(slots=monday_slots(), moments=[], officer_shifts={}, officers=0)
    assert nobody.coverage == 0
    assert nobody.on_duty_rate is None


def test_grid_table_on_the_city(city, settings):
    settings.PATROL_HOUR_FROM, settings.PATROL_HOUR_TO = 8, 18
    settings.POSITION_MIN_INTERVAL_SECONDS = 30
    inspector = city.people[PostCode.INSPECTOR]  # grid officer of the first grid only
    duty_start(user=inspector, now=at(8))
    positions_add(
        user=inspector,
        fixes=[fix(at(8, 10), 0), fix(at(10, 5), 0), fix(at(10, 10), 1)],
        now=at(10, 15),
    )
    rows = {
        row.grid.code: row
        for row in grid_figures(
            viewer=city.people[PostCode.SHIFT_LEAD],
            first_day=MONDAY.date(),
            last_day=MONDAY.date(),
            now=NOON_THIRTY,
        )
    }
    first, second = rows["370899001001001"], rows["370899001001002"]
    assert (first.rates.covered, first.rates.slots, first.positions) == (2, 5, 2)
    assert first.rates.on_duty_rate == pytest.approx(1.0)  # on duty 08:00 to now
    assert (second.rates.covered, second.positions) == (1, 1)
    assert second.rates.on_duty_rate is None  # no grid officer
