"""Deadline arithmetic on the working calendar (pure: no database)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from tests.worktime.helpers import at, end_of
from yangguang.worktime.calendar import (
    SHANGHAI,
    WorkCalendar,
    add_calendar_days,
    add_natural_hours,
    add_time_limit,
    add_working_days,
    add_working_hours,
)
from yangguang.worktime.enums import TimeLimitUnit

T = datetime.time
D = datetime.date


# --- WorkCalendar ------------------------------------------------------------------------


def test_is_working_day_make_up_weekend_day_is_working(calendar_2026):
    """国办 2025-11-04 notice: 10月10日（周六）上班."""
    assert calendar_2026.is_working_day(D(2026, 10, 10)) is True


def test_is_working_day_holiday_on_weekday_is_not_working(calendar_2026):
    """国办 2025-11-04 notice: 国庆节 10月1日至7日放假."""
    assert calendar_2026.is_working_day(D(2026, 10, 5)) is False


def test_is_working_day_ordinary_days_follow_the_week(calendar_2026):
    assert [calendar_2026.is_working_day(D(2026, 3, day)) for day in range(2, 9)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_working_periods_on_working_day_are_aware_shanghai_datetimes(calendar_2026):
    assert calendar_2026.working_periods_on(D(2026, 10, 10)) == [
        (at(2026, 10, 10, 9), at(2026, 10, 10, 12)),
        (at(2026, 10, 10, 13, 30), at(2026, 10, 10, 17, 30)),
    ]


def test_working_periods_on_holiday_is_empty(calendar_2026):
    assert calendar_2026.working_periods_on(D(2026, 10, 1)) == []


def test_work_calendar_periods_are_sorted():
    calendar = WorkCalendar(periods=((T(14), T(17)), (T(8), T(12))))

    assert calendar.periods == ((T(8), T(12)), (T(14), T(17)))


def test_work_calendar_overlapping_periods_refused():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(periods=((T(8), T(12)), (T(11), T(17))))


def test_work_calendar_period_ending_before_start_refused():
    with pytest.raises(ValueError, match="must end after"):
        WorkCalendar(periods=((T(12), T(9)),))


def test_missing_years_lists_unconfigured_years_once(calendar_2026):
    assert calendar_2026.missing_years([2027, 2026, 2025, 2027]) == [2025, 2027]


def test_unconfigured_year_falls_back_to_weekends_only(calendar_2026):
    """2027 has no arrangement: 2027-10-01 (a Friday) counts as a working day."""
    assert add_working_days(at(2027, 9, 30, 10), 1, calendar=calendar_2026) == end_of(2027, 10, 1)


# --- working days (行政处罚法 第八十五条; 民事诉讼法 第八十五条) ------------------------


def test_add_working_days_across_national_day_skips_the_holidays(calendar_2026):
    """行政处罚法 第八十五条: "二日""三日""五日""七日" are working days, statutory
    holidays excluded; 民事诉讼法 第八十五条: the start day is not counted. 国庆 2026:
    10月1日至7日放假, so one working day after 9/30 ends with 10/8."""
    assert add_working_days(at(2026, 9, 30, 10), 1, calendar=calendar_2026) == end_of(2026, 10, 8)


def test_add_working_days_make_up_saturday_counts(calendar_2026):
    """行政处罚法 第八十五条 (working days); 10月10日（周六）上班 is a working day."""
    assert add_working_days(at(2026, 10, 9, 10), 1, calendar=calendar_2026) == end_of(2026, 10, 10)


def test_add_working_days_make_up_sunday_counts(calendar_2026):
    """行政处罚法 第八十五条 (working days); 9月20日（周日）上班 is a working day."""
    assert add_working_days(at(2026, 9, 18, 10), 1, calendar=calendar_2026) == end_of(2026, 9, 20)


def test_add_working_days_start_day_not_counted_even_at_midnight(calendar_2026):
    """民事诉讼法 第八十五条: 期间开始的时和日，不计算在期间内."""
    assert add_working_days(at(2026, 3, 2, 0, 0), 1, calendar=calendar_2026) == end_of(2026, 3, 3)


def test_add_working_days_skips_ordinary_weekend(calendar_2026):
    """行政处罚法 第八十五条: five working days from Friday 3/6 end on Friday 3/13."""
    assert add_working_days(at(2026, 3, 6, 16), 5, calendar=calendar_2026) == end_of(2026, 3, 13)


def test_add_working_days_across_spring_festival(calendar_2026):
    """行政处罚法 第八十五条; 春节 2026: 2月15日至23日放假, 2月14日（周六）、28日（周六）上班.
    Seven working days from Friday 2/13: 2/14, 2/24, 2/25, 2/26, 2/27, 2/28, 3/2."""
    assert add_working_days(at(2026, 2, 13, 9), 7, calendar=calendar_2026) == end_of(2026, 3, 2)


def test_add_working_days_result_is_end_of_day_in_shanghai(calendar_2026):
    result = add_working_days(at(2026, 3, 2, 10, 0), 2, calendar=calendar_2026)

    assert (result.tzinfo, result.time(), result.microsecond) == (
        SHANGHAI,
        T(23, 59, 59),
        0,
    )


def test_add_working_days_other_timezone_counts_the_shanghai_date(calendar_2026):
    """2026-09-29 17:00 UTC is 9/30 01:00 in Shanghai: the start day is 9/30
    (民事诉讼法 第八十五条), so one working day ends with 10/8."""
    moment = datetime.datetime(2026, 9, 29, 17, 0, tzinfo=datetime.UTC)

    assert add_working_days(moment, 1, calendar=calendar_2026) == end_of(2026, 10, 8)


@pytest.mark.parametrize("days", [0, -1, 1.5, Decimal(2), True, "2"])
def test_add_working_days_non_positive_or_non_integer_refused(calendar_2026, days):
    with pytest.raises(ValueError, match="days"):
        add_working_days(at(2026, 3, 2, 10), days, calendar=calendar_2026)


# --- working hours ---------------------------------------------------------------------


def test_add_working_hours_across_national_day(calendar_2026):
    """Working hours count only inside working periods of working days: 16:30–17:30 on
    9/30, then 10/1–10/7 are holidays (国办 notice), then 09:00–11:00 on 10/8."""
    assert add_working_hours(at(2026, 9, 30, 16, 30), 3, calendar=calendar_2026) == at(
        2026, 10, 8, 11
    )


def test_add_working_hours_make_up_saturday_counts(calendar_2026):
    """10月10日（周六）上班: half an hour on 10/9, half an hour on the make-up Saturday."""
    assert add_working_hours(at(2026, 10, 9, 17), 1, calendar=calendar_2026) == at(
        2026, 10, 10, 9, 30
    )


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (1.5, at(2026, 3, 2, 10, 30)),
        (Decimal("0.25"), at(2026, 3, 2, 9, 15)),
        (Decimal("3.5"), at(2026, 3, 2, 14, 0)),
        (Decimal("1.01"), datetime.datetime(2026, 3, 2, 10, 0, 36, tzinfo=SHANGHAI)),
    ],
)
def test_add_working_hours_fractional_hours(calendar_2026, hours, expected):
    assert add_working_hours(at(2026, 3, 2, 9), hours, calendar=calendar_2026) == expected


def test_add_working_hours_starting_at_lunch_break_counts_from_afternoon(calendar_2026):
    assert add_working_hours(at(2026, 3, 2, 12, 30), 1, calendar=calendar_2026) == at(
        2026, 3, 2, 14, 30
    )


def test_add_working_hours_starting_before_nine_counts_from_nine(calendar_2026):
    assert add_working_hours(at(2026, 3, 2, 7), 2, calendar=calendar_2026) == at(2026, 3, 2, 11)


def test_add_working_hours_starting_after_closing_counts_from_next_morning(calendar_2026):
    assert add_working_hours(at(2026, 3, 2, 18), 1, calendar=calendar_2026) == at(2026, 3, 3, 10)


def test_add_working_hours_friday_evening_counts_from_monday(calendar_2026):
    assert add_working_hours(at(2026, 3, 6, 17, 30), 1, calendar=calendar_2026) == at(
        2026, 3, 9, 10
    )


def test_add_working_hours_ending_exactly_at_noon_stays_at_noon(calendar_2026):
    assert add_working_hours(at(2026, 3, 2, 9), 3, calendar=calendar_2026) == at(2026, 3, 2, 12)


def test_add_working_hours_ending_exactly_at_closing_stays_at_closing(calendar_2026):
    assert add_working_hours(at(2026, 3, 2, 16, 30), 1, calendar=calendar_2026) == at(
        2026, 3, 2, 17, 30
    )


def test_add_working_hours_whole_days_end_at_closing(calendar_2026):
    """7 working hours a day: from one closing time, 14 hours end two closings later."""
    assert add_working_hours(at(2026, 3, 2, 17, 30), 14, calendar=calendar_2026) == at(
        2026, 3, 4, 17, 30
    )


def test_add_working_hours_across_spring_festival(calendar_2026):
    """春节 2026: 2/14 (Saturday) is worked, 2/15–2/23 are off."""
    assert add_working_hours(at(2026, 2, 13, 17, 30), 8, calendar=calendar_2026) == at(
        2026, 2, 24, 10
    )


def test_add_working_hours_other_timezone_returns_shanghai_time(calendar_2026):
    moment = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Shanghai

    result = add_working_hours(moment, 1, calendar=calendar_2026)

    assert (result, result.tzinfo) == (at(2026, 3, 2, 10), SHANGHAI)


@pytest.mark.parametrize("hours", [0, -1, Decimal("-0.5"), Decimal("NaN"), float("inf"), True])
def test_add_working_hours_non_positive_refused(calendar_2026, hours):
    with pytest.raises(ValueError, match=r"[Hh]ours"):
        add_working_hours(at(2026, 3, 2, 9), hours, calendar=calendar_2026)


def test_add_working_hours_without_periods_refused():
    with pytest.raises(ValueError, match="No working periods"):
        add_working_hours(at(2026, 3, 2, 9), 1, calendar=WorkCalendar(periods=()))


def test_add_working_hours_without_working_days_gives_up_after_ten_years():
    start = D(2026, 1, 1)
    every_day_off = frozenset(start + datetime.timedelta(days=n) for n in range(3700))

    with pytest.raises(ValueError, match="10 years"):
        add_working_hours(at(2026, 1, 1), 1, calendar=WorkCalendar(holidays=every_day_off))


# --- emergency (natural) hours ---------------------------------------------------------


def test_add_natural_hours_across_midnight_and_holiday():
    """紧急工作时 are natural hours, holidays included."""
    assert add_natural_hours(at(2026, 9, 30, 22), 4) == at(2026, 10, 1, 2)


def test_add_natural_hours_fractional():
    assert add_natural_hours(at(2026, 9, 30, 22), Decimal("0.5")) == at(2026, 9, 30, 22, 30)


def test_add_natural_hours_returns_shanghai_time():
    moment = datetime.datetime(2026, 9, 30, 22, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))

    result = add_natural_hours(moment, 2)

    assert (result, result.tzinfo) == (at(2026, 10, 1, 6), SHANGHAI)


# --- calendar days (行政处罚法 第六十七条; 民事诉讼法 第八十五条) ---------------------------


def test_add_calendar_days_last_day_on_holiday_moves_to_next_working_day(calendar_2026):
    """行政处罚法 第六十七条: fifteen days to pay a fine. From 9/20 the fifteenth day is
    10/5, inside 国庆; 民事诉讼法 第八十五条: 期间届满的最后一日是法定休假日的，以法定休假日后
    的第一日为期间届满的日期 — so 10/8."""
    assert add_calendar_days(at(2026, 9, 20, 10), 15, calendar=calendar_2026) == end_of(2026, 10, 8)


def test_add_calendar_days_last_day_on_working_day_stays(calendar_2026):
    """行政处罚法 第六十七条; 民事诉讼法 第八十五条: the start day 3/2 is not counted."""
    assert add_calendar_days(at(2026, 3, 2, 10), 15, calendar=calendar_2026) == end_of(2026, 3, 17)


def test_add_calendar_days_last_day_on_weekend_moves_to_monday(calendar_2026):
    """民事诉讼法 第八十五条: a weekend is a 法定休假日 too."""
    assert add_calendar_days(at(2026, 3, 6, 10), 15, calendar=calendar_2026) == end_of(2026, 3, 23)


def test_add_calendar_days_last_day_on_make_up_saturday_stays(calendar_2026):
    """民事诉讼法 第八十五条: 10/10 (周六) is a working day in 2026, not a 法定休假日."""
    assert add_calendar_days(at(2026, 9, 25, 10), 15, calendar=calendar_2026) == end_of(
        2026, 10, 10
    )


def test_add_calendar_days_ninety_days(calendar_2026):
    """行政处罚法 第六十条: ninety days; 6/1 + 90 = 8/30, a Sunday → Monday 8/31."""
    assert add_calendar_days(at(2026, 6, 1, 10), 90, calendar=calendar_2026) == end_of(2026, 8, 31)


# --- add_time_limit ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (Decimal("3.00"), TimeLimitUnit.WORKING_HOURS, at(2026, 10, 8, 11)),
        (Decimal("3.00"), TimeLimitUnit.EMERGENCY_HOURS, at(2026, 9, 30, 19, 30)),
        (Decimal("1.00"), TimeLimitUnit.WORKING_DAYS, end_of(2026, 10, 8)),
        (2, "working_days", end_of(2026, 10, 9)),
        (2.0, "working_days", end_of(2026, 10, 9)),
        (1, "working_hours", at(2026, 9, 30, 17, 30)),
    ],
)
def test_add_time_limit_dispatches_on_unit(calendar_2026, amount, unit, expected):
    """Working days per 行政处罚法 第八十五条 and 民事诉讼法 第八十五条; working hours only
    inside working periods; emergency hours are natural hours."""
    assert add_time_limit(at(2026, 9, 30, 16, 30), amount, unit, calendar=calendar_2026) == expected


@pytest.mark.parametrize("amount", [Decimal("1.5"), 2.5, Decimal("Infinity")])
def test_add_time_limit_non_integral_working_days_refused(calendar_2026, amount):
    with pytest.raises(ValueError, match="whole number of days"):
        add_time_limit(
            at(2026, 3, 2, 10), amount, TimeLimitUnit.WORKING_DAYS, calendar=calendar_2026
        )


def test_add_time_limit_unknown_unit_refused(calendar_2026):
    with pytest.raises(ValueError, match="Unknown time-limit unit"):
        add_time_limit(at(2026, 3, 2, 10), 1, "fortnights", calendar=calendar_2026)


# --- naive datetimes -----------------------------------------------------------------------

NAIVE = datetime.datetime(2026, 3, 2, 10, 0)  # noqa: DTZ001 - the point of the test


@pytest.mark.parametrize(
    "compute",
    [
        lambda calendar: add_working_days(NAIVE, 1, calendar=calendar),
        lambda calendar: add_working_hours(NAIVE, 1, calendar=calendar),
        lambda calendar: add_natural_hours(NAIVE, 1),
        lambda calendar: add_calendar_days(NAIVE, 1, calendar=calendar),
        lambda calendar: add_time_limit(NAIVE, 1, TimeLimitUnit.EMERGENCY_HOURS, calendar=calendar),
    ],
    ids=["working_days", "working_hours", "natural_hours", "calendar_days", "time_limit"],
)
def test_deadline_naive_datetime_refused(calendar_2026, compute):
    with pytest.raises(ValueError, match="Naive datetime"):
        compute(calendar_2026)
