"""巡查覆盖率 and 在岗率 of a grid: pure functions over times, no database
(definitions in docs/patrol.md).

The period is cut into hourly **patrol slots**: the hours [hour_from, hour_to) of each
working day. A grid's 巡查覆盖率 is the share of slots in which at least one on-duty
position fell inside the grid; its 在岗率 is the time its assigned officers were on duty
within the slots, over (officers × the slots' length). Slots not begun at ``now`` do not
count yet; the slot under way counts up to ``now``.
"""

import bisect
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

HOUR = datetime.timedelta(hours=1)
Interval = tuple[datetime.datetime, datetime.datetime]


def patrol_slots(
    *,
    first_day: datetime.date,
    last_day: datetime.date,
    is_working_day: Callable[[datetime.date], bool],
    hour_from: int,
    hour_to: int,
    tz: datetime.tzinfo,
    now: datetime.datetime,
) -> list[Interval]:
    """The (start, end) of each patrol slot of the days, the last one cut at ``now``."""
    slots: list[Interval] = []
    day = first_day
    while day <= last_day:
        if is_working_day(day):
            midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=tz)
            for hour in range(hour_from, hour_to):
                start = midnight + datetime.timedelta(hours=hour)
                if start >= now:
                    return slots
                slots.append((start, min(start + HOUR, now)))
        day += datetime.timedelta(days=1)
    return slots


def covered_slots(slots: list[Interval], moments: Iterable[datetime.datetime]) -> int:
    """How many slots hold at least one of ``moments``."""
    hit = set()
    ordered = sorted(moments)
    index = 0
    for number, (start, end) in enumerate(slots):
        while index < len(ordered) and ordered[index] < start:
            index += 1
        if index < len(ordered) and ordered[index] < end:
            hit.add(number)
    return len(hit)


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def time_within(slots: list[Interval], intervals: Iterable[Interval]) -> datetime.timedelta:
    """The time of ``intervals`` (merged: overlaps count once) inside the slots."""
    total = datetime.timedelta()
    starts = [slot_start for slot_start, _end in slots]
    for start, end in _merged(intervals):
        # Slots are ordered and apart: only those from the one holding ``start`` on.
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        for slot_start, slot_end in slots[first:]:
            if slot_start >= end:
                break
            overlap = min(end, slot_end) - max(start, slot_start)
            if overlap > datetime.timedelta():
                total += overlap
    return total


def slots_length(slots: list[Interval]) -> datetime.timedelta:
    return sum((end - start for start, end in slots), datetime.timedelta())


@dataclass(frozen=True)
class GridRates:
    slots: int
    covered: int
    coverage: float | None  # 巡查覆盖率, 0–1; None without slots
    officers: int
    on_duty: datetime.timedelta
    on_duty_rate: float | None  # 在岗率, 0–1; None without officers or slots


def grid_rates(
    *,
    slots: list[Interval],
    moments: Iterable[datetime.datetime],
    officer_shifts: dict[int, list[Interval]],
    officers: int,
) -> GridRates:
    """The two figures of one grid: ``moments`` are the times of on-duty positions
    inside it, ``officer_shifts`` the duty intervals of each assigned officer (an
    officer without shifts may be absent), ``officers`` how many are assigned."""
    covered = covered_slots(slots, moments)
    on_duty = sum(
        (time_within(slots, intervals) for intervals in officer_shifts.values()),
        datetime.timedelta(),
    )
    length = slots_length(slots)
    return GridRates(
        slots=len(slots),
        covered=covered,
        coverage=covered / len(slots) if slots else None,
        officers=officers,
        on_duty=on_duty,
        on_duty_rate=on_duty / (length * officers) if officers and length else None,
    )
