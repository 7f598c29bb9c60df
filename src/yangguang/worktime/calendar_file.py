"""Calendar files: CSV with the columns ``date,kind,name``, and the files shipped in
``data/`` (one ``<year>.csv`` per official annual notice, their sources in
``data/sources.csv``).

Parsing is pure (no database) so that the data migration can use it too.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from yangguang.worktime.enums import DayKind

DATA_DIR = Path(__file__).resolve().parent / "data"
# The years a calendar may be configured for (the statutory rules hold for 2000–2099).
CALENDAR_YEARS = range(2000, 2100)
NAME_MAX_LENGTH = 50  # SpecialDay.name

KINDS = {
    "holiday": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "休息": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "补班": DayKind.WORKDAY,
    "调休上班": DayKind.WORKDAY,
}
HEADER_FIRST_CELLS = {"date", "日期"}
DATE_PATTERN = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


@dataclass(frozen=True)
class CalendarRow:
    line: int
    date: datetime.date
    kind: DayKind
    name: str


class CalendarImportError(ValueError):
    """A calendar file with errors; ``errors`` lists (line number, reason) for every
    bad line. Line 0 means the file as a whole."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"{line}: {reason}" for line, reason in errors))


def make_up_day_problem(*, day: datetime.date, kind: str) -> str | None:
    """A make-up working day (调休上班) must fall on a weekend, or it changes nothing."""
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return _("A make-up working day (调休上班) must be a Saturday or Sunday.")
    return None


def _parse_date(text: str) -> datetime.date | None:
    match = DATE_PATTERN.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _parse_row(line: int, cells: list[str]) -> tuple[CalendarRow | None, list[str]]:
    if len(cells) < 3 or any(cells[3:]):
        return None, [
            _("Expected 3 columns (date,kind,name), found %(count)d.")
            % {"count": len([cell for cell in cells if cell])}
        ]
    raw_date, raw_kind, name = cells[:3]
    problems = []
    day = _parse_date(raw_date)
    if day is None:
        problems.append(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": raw_date}
        )
    elif day.year not in CALENDAR_YEARS:
        problems.append(
            _("Year %(year)d is outside %(first)d–%(last)d.")
            % {"year": day.year, "first": CALENDAR_YEARS[0], "last": CALENDAR_YEARS[-1]}
        )
    kind = KINDS.get(raw_kind.lower())
    if kind is None:
        problems.append(
            _("Unknown kind “%(value)s”: use holiday (放假) or workday (上班).")
            % {"value": raw_kind}
        )
    if not name:
        problems.append(_("The name is empty."))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(_("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    if day is not None and kind is not None:
        problem = make_up_day_problem(day=day, kind=kind)
        if problem:
            problems.append(problem)
    if problems or day is None or kind is None:
        return None, problems
    return CalendarRow(line=line, date=day, kind=kind, name=name), []


def parse_calendar_csv(*, text: str) -> list[CalendarRow]:
    """Every row of a ``date,kind,name`` file, or CalendarImportError listing every bad line.

    An optional header row (``date,kind,name`` or ``日期,类型,名称``) and blank lines are
    skipped. Kinds may be written holiday/放假/休息 or workday/上班/补班/调休上班; dates
    as 2026-10-01 or 2026/10/1 (as spreadsheets save them).
    """
    rows: list[CalendarRow] = []
    errors: list[tuple[int, str]] = []
    first_line_of: dict[datetime.date, int] = {}
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    seen_content = False
    for raw in reader:
        line = reader.line_num
        cells = [cell.strip() for cell in raw]
        if not any(cells):
            continue
        if not seen_content and cells[0].lower() in HEADER_FIRST_CELLS:
            seen_content = True
            continue
        seen_content = True
        row, problems = _parse_row(line, cells)
        errors.extend((line, problem) for problem in problems)
        if row is None:
            continue
        if row.date in first_line_of:
            errors.append(
                (
                    line,
                    _("%(date)s is already listed on line %(line)d.")
                    % {"date": row.date.isoformat(), "line": first_line_of[row.date]},
                )
            )
            continue
        first_line_of[row.date] = line
        rows.append(row)
    if not errors and not rows:
        errors.append((0, _("The file lists no days.")))
    if errors:
        raise CalendarImportError(errors)
    return rows


def shipped_calendar_path(year: int) -> Path | None:
    """The official calendar shipped for ``year``, if any."""
    path = DATA_DIR / f"{year}.csv"
    return path if path.is_file() else None


def shipped_source(year: int) -> str:
    """The notice the shipped calendar of ``year`` transcribes (from data/sources.csv)."""
    with (DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if int(row["year"]) == year:
                return row["source"].strip()
    raise LookupError(f"data/sources.csv names no source for {year}.")
