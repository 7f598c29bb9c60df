"""Time limits of reports on the working calendar (reference.md §1.6): the deadline of
the handling, its yellow light at 80 % of the limit, extensions."""

import datetime
from decimal import Decimal

from yangguang.categories.models import Category
from yangguang.worktime.calendar import (
    SHANGHAI,
    WorkCalendar,
    add_natural_hours,
    add_time_limit,
    add_working_hours,
)
from yangguang.worktime.enums import TimeLimitUnit

# Used when a category has no limit configured: a bureau should set one, but a report
# must never run without a deadline.
FALLBACK_LIMIT = (Decimal(2), TimeLimitUnit.WORKING_DAYS)
WARNING_SHARE = Decimal("0.8")


def limit_of(category: Category | None) -> tuple[Decimal, str]:
    if category is None or category.limit_amount is None or not category.limit_unit:
        return FALLBACK_LIMIT
    return category.limit_amount, category.limit_unit


def warning_moment(
    start: datetime.datetime, amount: Decimal, unit: str, *, calendar: WorkCalendar
) -> datetime.datetime:
    """When 80 % of the limit is used. A limit in working days runs from the next day
    (the start day is not counted), each day worth a day of working hours, so the light
    turns yellow during working time."""
    share = amount * WARNING_SHARE
    if unit == TimeLimitUnit.EMERGENCY_HOURS:
        return add_natural_hours(start, share)
    if unit == TimeLimitUnit.WORKING_HOURS:
        return add_working_hours(start, share, calendar=calendar)
    hours_per_day = Decimal(calendar.working_time_per_day.total_seconds()) / 3600
    local = start.astimezone(SHANGHAI)
    next_day = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI
    )
    return add_working_hours(next_day, share * hours_per_day, calendar=calendar)


def deadlines_from(
    start: datetime.datetime, category: Category | None, *, calendar: WorkCalendar
) -> tuple[datetime.datetime, datetime.datetime]:
    """(yellow-light moment, deadline) for a report dispatched at ``start``."""
    amount, unit = limit_of(category)
    deadline = add_time_limit(start, amount, unit, calendar=calendar)
    return warning_moment(start, amount, unit, calendar=calendar), deadline


def extended(
    deadline: datetime.datetime,
    amount: Decimal,
    category: Category | None,
    *,
    calendar: WorkCalendar,
) -> datetime.datetime:
    """The deadline after an approved extension of ``amount`` in the category's unit."""
    _limit, unit = limit_of(category)
    return add_time_limit(deadline, amount, unit, calendar=calendar)
