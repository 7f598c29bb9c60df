"""Deadline arithmetic on the working calendar. Pure logic: no database access.

Legal rules applied (reference.md §1.6):

* 《民事诉讼法》(2023) 第八十五条: a period counted in hours, days, months or years does
  not include the hour or day it starts in (期间开始的时和日，不计算在期间内); when the
  last day of a period is a statutory day off, the period ends on the first day after it
  (以法定休假日后的第一日为期间届满的日期).
* 《行政处罚法》第八十五条: its "二日""三日""五日""七日" mean working days, statutory
  holidays excluded.
* A working hour (工作时) counts only inside the working periods of working days; an
  emergency hour (紧急工作时) is a natural hour.

Every function takes and returns timezone-aware datetimes; computation is in
Asia/Shanghai whatever the input's zone.
"""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from yangguang.worktime.enums import TimeLimitUnit

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = datetime.time(23, 59, 59)
DEFAULT_PERIODS: tuple[tuple[datetime.time, datetime.time], ...] = (
    (datetime.time(9, 0), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(17, 30)),
)
# Counting working hours gives up past this span: a calendar without working time
# (every day a holiday) must not loop for ever.
MAX_SPAN_DAYS = 3653

Amount = Decimal | float | int


def validate_periods(periods: Iterable[tuple[datetime.time, datetime.time]]) -> None:
    """Raise ValueError unless each period starts before it ends and none overlap."""
    ordered = sorted(periods)
    for start, end in ordered:
        if not start < end:
            raise ValueError(
                _("A working period must end after it starts (%(start)s–%(end)s).")
                % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
            )
    for (_start, end), (next_start, _next_end) in itertools.pairwise(ordered):
        if next_start < end:
            raise ValueError(
                _("Working periods overlap: one ends at %(end)s, the next starts at %(start)s.")
                % {"end": f"{end:%H:%M}", "start": f"{next_start:%H:%M}"}
            )


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays, make-up working days and working periods, as loaded from the database
    by ``selectors.work_calendar()`` (or built directly in tests)."""

    holidays: frozenset[datetime.date] = frozenset()
    workdays: frozenset[datetime.date] = frozenset()
    periods: tuple[tuple[datetime.time, datetime.time], ...] = DEFAULT_PERIODS
    configured_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        validate_periods(self.periods)
        # frozen dataclass: normalise the order once, here.
        object.__setattr__(self, "periods", tuple(sorted(self.periods)))

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def working_periods_on(
        self, day: datetime.date
    ) -> list[tuple[datetime.datetime, datetime.datetime]]:
        """The (start, end) working periods of ``day`` as aware datetimes; none on a day off."""
        if not self.is_working_day(day):
            return []
        return [
            (
                datetime.datetime.combine(day, start, tzinfo=SHANGHAI),
                datetime.datetime.combine(day, end, tzinfo=SHANGHAI),
            )
            for start, end in self.periods
        ]

    def missing_years(self, years: Iterable[int]) -> list[int]:
        """Those of ``years`` without a configured holiday arrangement (weekends only)."""
        return sorted({year for year in years if year not in self.configured_years})

    @property
    def working_time_per_day(self) -> datetime.timedelta:
        return sum(
            (
                datetime.datetime.combine(datetime.date.min, end)
                - datetime.datetime.combine(datetime.date.min, start)
                for start, end in self.periods
            ),
            datetime.timedelta(),
        )


def _local(moment: datetime.datetime) -> datetime.datetime:
    if not isinstance(moment, datetime.datetime):
        raise TypeError(f"Expected a datetime, got {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Naive datetime: deadlines need a timezone-aware moment.")
    return moment.astimezone(SHANGHAI)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """23:59:59 of ``day`` in Shanghai: where a period counted in days ends."""
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def _whole_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ValueError(
            _("A number of days must be a positive whole number, got %(days)s.") % {"days": days}
        )
    return days


def _positive_duration(hours: Amount) -> datetime.timedelta:
    """``hours`` as an exact timedelta (to the microsecond)."""
    if isinstance(hours, bool) or not isinstance(hours, Decimal | float | int):
        raise ValueError(f"Hours must be a number, got {type(hours).__name__}.")
    amount = Decimal(str(hours)) if isinstance(hours, float) else Decimal(hours)
    if not amount.is_finite() or amount <= 0:
        raise ValueError(_("A number of hours must be positive, got %(hours)s.") % {"hours": hours})
    microseconds = int((amount * 3_600_000_000).to_integral_value())
    return datetime.timedelta(microseconds=microseconds)


def add_working_days(
    moment: datetime.datetime, days: int, *, calendar: WorkCalendar
) -> datetime.datetime:
    """The end (23:59:59) of the ``days``-th working day after the day of ``moment``.

    The day the period starts in is not counted (民事诉讼法 第八十五条); holidays and
    weekends are skipped and make-up working days count (行政处罚法 第八十五条).
    """
    day = _local(moment).date()
    remaining = _whole_days(days)
    while remaining:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return end_of_day(day)


def add_working_hours(
    moment: datetime.datetime, hours: Amount, *, calendar: WorkCalendar
) -> datetime.datetime:
    """The moment ``hours`` working hours after ``moment``.

    Only time inside working periods of working days counts; from outside working time
    the count starts at the next period. A limit used up exactly at the end of a period
    ends there (17:30), not at the next morning.
    """
    local = _local(moment)
    remaining = _positive_duration(hours)
    per_day = calendar.working_time_per_day
    if not per_day:
        raise ValueError(_("No working periods are configured."))
    first_day = day = local.date()
    last_day = first_day + datetime.timedelta(days=MAX_SPAN_DAYS)
    while day <= last_day:
        if calendar.is_working_day(day):
            if day != first_day and remaining > per_day:
                # A whole working day is used up: no need to look at its periods.
                remaining -= per_day
            else:
                for start, end in calendar.working_periods_on(day):
                    start = max(start, local)  # noqa: PLW2901 - the part still ahead of us
                    if start >= end:
                        continue
                    if remaining <= end - start:
                        return start + remaining
                    remaining -= end - start
        day += datetime.timedelta(days=1)
    raise ValueError(
        _("The time limit does not end within %(years)d years of working time.")
        % {"years": MAX_SPAN_DAYS // 365}
    )


def add_natural_hours(moment: datetime.datetime, hours: Amount) -> datetime.datetime:
    """``hours`` natural hours after ``moment`` (紧急工作时: round the clock)."""
    return _local(moment) + _positive_duration(hours)


def add_calendar_days(
    moment: datetime.datetime, days: int, *, calendar: WorkCalendar
) -> datetime.datetime:
    """The end of the day ``days`` calendar days after the day of ``moment``.

    For periods in natural days (e.g. 行政处罚法 第六十七条 fifteen days to pay a fine,
    第六十条 ninety days to decide). The start day is not counted; a period whose last
    day is a day off ends at the end of the next working day (民事诉讼法 第八十五条).
    """
    day = _local(moment).date() + datetime.timedelta(days=_whole_days(days))
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return end_of_day(day)


def add_time_limit(
    moment: datetime.datetime, amount: Amount, unit: str, *, calendar: WorkCalendar
) -> datetime.datetime:
    """Apply a category's time limit (amount + TimeLimitUnit) from ``moment``."""
    try:
        unit = TimeLimitUnit(unit)
    except ValueError:
        raise ValueError(f"Unknown time-limit unit {unit!r}.") from None
    if unit == TimeLimitUnit.WORKING_HOURS:
        return add_working_hours(moment, amount, calendar=calendar)
    if unit == TimeLimitUnit.EMERGENCY_HOURS:
        return add_natural_hours(moment, amount)
    return add_working_days(moment, _integral(amount), calendar=calendar)


def _integral(amount: Amount) -> int:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | float | int):
        raise ValueError(f"A time limit must be a number, got {type(amount).__name__}.")
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError(
            _("A time limit in working days must be a whole number of days, got %(amount)s.")
            % {"amount": amount}
        )
    return int(value)
