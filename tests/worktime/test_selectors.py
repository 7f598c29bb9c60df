"""Reads of the working calendar."""

import datetime

import pytest

from tests.worktime.helpers import at, end_of
from yangguang.worktime import selectors
from yangguang.worktime.calendar import add_time_limit, add_working_days
from yangguang.worktime.enums import TimeLimitUnit
from yangguang.worktime.selectors import DayCell

D = datetime.date
T = datetime.time

pytestmark = pytest.mark.django_db


def test_work_calendar_loads_the_seeded_official_2026(calendar_2026, django_assert_num_queries):
    """The data migration loaded data/2026.csv and the default periods."""
    with django_assert_num_queries(3):
        calendar = selectors.work_calendar()

    assert calendar == calendar_2026


def test_work_calendar_deadline_across_national_day():
    """行政处罚法 第八十五条 (working days, holidays excluded); 民事诉讼法 第八十五条 (the
    start day is not counted): from 2026-09-30 one working day ends with 10/8."""
    calendar = selectors.work_calendar()

    assert add_working_days(at(2026, 9, 30, 10), 1, calendar=calendar) == end_of(2026, 10, 8)


def test_work_calendar_working_hours_follow_seeded_periods():
    calendar = selectors.work_calendar()

    assert add_time_limit(
        at(2026, 9, 30, 16, 30), 3, TimeLimitUnit.WORKING_HOURS, calendar=calendar
    ) == at(2026, 10, 8, 11)


def test_calendar_years_shows_2026_official_with_counts():
    assert [
        (year.year, year.is_provisional, year.holiday_count, year.workday_count)
        for year in selectors.calendar_years()
    ] == [(2026, False, 33, 6)]


def test_missing_years_lists_unconfigured_years():
    assert selectors.missing_years([2027, 2026, 2025]) == [2025, 2027]


def test_special_days_in_year_by_date():
    days = selectors.special_days_in(2026)

    assert (days.count(), str(days.first()), str(days.last())) == (
        39,
        "2026-01-01 元旦",
        "2026-10-10 国庆节调休上班",
    )


def test_days_of_year_october_2026_grid(django_assert_num_queries):
    with django_assert_num_queries(1):
        months = selectors.days_of_year(2026)
    october = months[9]

    assert (len(months), october.month, october.label, len(october)) == (12, 10, "October", 5)
    assert october.weeks[0] == [
        None,
        None,
        None,
        DayCell(D(2026, 10, 1), False, "国庆节"),
        DayCell(D(2026, 10, 2), False, "国庆节"),
        DayCell(D(2026, 10, 3), False, "国庆节"),
        DayCell(D(2026, 10, 4), False, "国庆节"),
    ]
    assert [(cell.date.day, cell.css) for cell in october.weeks[1] if cell] == [
        (5, "holiday"),
        (6, "holiday"),
        (7, "holiday"),
        (8, ""),
        (9, ""),
        (10, "workday"),
        (11, "weekend"),
    ]


def test_days_of_year_weeks_start_on_monday():
    months = selectors.days_of_year(2026)

    assert (months[0].weekday_names[0], [week[0].date for week in months[5] if week[0]]) == (
        "Mon",
        [D(2026, 6, 1), D(2026, 6, 8), D(2026, 6, 15), D(2026, 6, 22), D(2026, 6, 29)],
    )


def test_days_of_year_unconfigured_year_has_weekends_only():
    months = selectors.days_of_year(2027)
    days_off = [
        cell.date
        for month in months
        for week in month
        for cell in week
        if cell and not cell.is_working_day
    ]

    assert (len(days_off), all(day.weekday() >= 5 for day in days_off)) == (104, True)
