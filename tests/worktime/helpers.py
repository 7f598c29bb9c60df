"""Helpers shared by the worktime tests."""

import datetime

from yangguang.worktime.calendar import SHANGHAI, WorkCalendar
from yangguang.worktime.calendar_file import parse_calendar_csv, shipped_calendar_path
from yangguang.worktime.enums import DayKind


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """An aware moment in Asia/Shanghai."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def end_of(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 23, 59, 59, tzinfo=SHANGHAI)


def shipped_calendar(year: int) -> WorkCalendar:
    """The shipped official calendar of ``year`` with the default periods, without the DB."""
    rows = parse_calendar_csv(text=shipped_calendar_path(year).read_text(encoding="utf-8"))
    return WorkCalendar(
        holidays=frozenset(row.date for row in rows if row.kind == DayKind.HOLIDAY),
        workdays=frozenset(row.date for row in rows if row.kind == DayKind.WORKDAY),
        configured_years=frozenset({year}),
    )
