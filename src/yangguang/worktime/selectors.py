"""Reads of the working calendar."""

import calendar as month_calendar
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils.dates import MONTHS, WEEKDAYS_ABBR

from yangguang.worktime.calendar import WorkCalendar
from yangguang.worktime.enums import DayKind
from yangguang.worktime.models import CalendarYear, SpecialDay, WorkPeriod


class DayCell(NamedTuple):
    """A day of a month grid."""

    date: datetime.date
    is_working_day: bool
    name: str  # the holiday or make-up day's name; empty on ordinary days

    @property
    def css(self) -> str:
        """holiday / workday (make-up) / weekend, or empty for an ordinary working day."""
        weekend = self.date.weekday() >= 5
        if self.is_working_day:
            return "workday" if weekend else ""
        return "weekend" if weekend and not self.name else "holiday"


@dataclass(frozen=True)
class MonthGrid:
    """A month as weeks (Monday first) of seven cells; None pads the days of the
    neighbouring months. Iterating over it gives the weeks."""

    month: int
    weeks: list[list[DayCell | None]]

    @property
    def label(self) -> str:
        return str(MONTHS[self.month])

    @property
    def weekday_names(self) -> list[str]:
        return [str(WEEKDAYS_ABBR[day]) for day in range(7)]

    def __iter__(self) -> Iterator[list[DayCell | None]]:
        return iter(self.weeks)

    def __len__(self) -> int:
        return len(self.weeks)


def work_calendar() -> WorkCalendar:
    """The whole working calendar, for deadline arithmetic (3 queries)."""
    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    for day, kind in SpecialDay.objects.values_list("date", "kind"):
        (workdays if kind == DayKind.WORKDAY else holidays).add(day)
    return WorkCalendar(
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        periods=tuple(WorkPeriod.objects.values_list("start", "end")),
        configured_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


def calendar_years() -> QuerySet[CalendarYear]:
    """The configured years, each with ``holiday_count`` and ``workday_count``."""
    return CalendarYear.objects.annotate(
        holiday_count=Count("special_days", filter=Q(special_days__kind=DayKind.HOLIDAY)),
        workday_count=Count("special_days", filter=Q(special_days__kind=DayKind.WORKDAY)),
    ).order_by("year")


def missing_years(years: Iterable[int]) -> list[int]:
    """Those of ``years`` without a configured holiday arrangement: deadlines in them
    count weekends only, and the UI should say so."""
    wanted = set(years)
    configured = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return sorted(wanted - configured)


def special_days_in(year: int) -> QuerySet[SpecialDay]:
    """The holidays and make-up working days of ``year``, by date."""
    return SpecialDay.objects.filter(year__year=year).order_by("date")


def days_of_year(year: int) -> list[MonthGrid]:
    """The twelve month grids of ``year``, for drawing the calendar (one query)."""
    special = list(special_days_in(year).values_list("date", "kind", "name"))
    work = WorkCalendar(
        holidays=frozenset(day for day, kind, _name in special if kind == DayKind.HOLIDAY),
        workdays=frozenset(day for day, kind, _name in special if kind == DayKind.WORKDAY),
    )
    names = {day: name for day, _kind, name in special}
    grid = month_calendar.Calendar(firstweekday=month_calendar.MONDAY)
    return [
        MonthGrid(
            month=month,
            weeks=[
                [
                    DayCell(day, work.is_working_day(day), names.get(day, ""))
                    if day.month == month
                    else None
                    for day in week
                ]
                for week in grid.monthdatescalendar(year, month)
            ],
        )
        for month in range(1, 13)
    ]
