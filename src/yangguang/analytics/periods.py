"""Evaluation periods: a month, a quarter or a year of the bureau's calendar (the
数字城管 evaluation runs monthly, with quarterly and yearly summaries)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CHOICES = (MONTH, QUARTER, YEAR)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)d Q%(quarter)d") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        return str(self.start.year)

    @property
    def code(self) -> str:
        """The period in a URL: 2026-11, 2026-Q4, 2026."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def previous(self) -> "Period":
        return period_containing(self.kind, self.start - datetime.timedelta(days=1))

    def next(self) -> "Period":
        return period_containing(self.kind, self.end + datetime.timedelta(days=1))


def period_containing(kind: str, day: datetime.date) -> Period:
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        months = 1
    elif kind == PeriodKind.QUARTER:
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        months = 3
    elif kind == PeriodKind.YEAR:
        start = day.replace(month=1, day=1)
        months = 12
    else:
        raise ValueError(kind)
    month = start.month - 1 + months
    following = start.replace(year=start.year + month // 12, month=month % 12 + 1)
    return Period(kind, start, following - datetime.timedelta(days=1))


class PeriodCodeError(ValueError):
    """Not a period: neither 2026-11, 2026-Q4 nor 2026."""


def period_from_code(code: str) -> Period:
    """The period a URL names (PeriodCodeError for anything else)."""
    code = code.strip()
    if not code.isascii():
        raise PeriodCodeError(code)
    parts = code.split("-")
    if parts[0] == "0000":
        raise PeriodCodeError(code)
    if len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 4:
        return period_containing(PeriodKind.YEAR, datetime.date(int(parts[0]), 1, 1))
    if len(parts) == 2 and parts[0].isdigit() and len(parts[0]) == 4:
        year = int(parts[0])
        if parts[1][:1] == "Q" and parts[1][1:] in {"1", "2", "3", "4"}:
            month = (int(parts[1][1:]) - 1) * 3 + 1
            return period_containing(PeriodKind.QUARTER, datetime.date(year, month, 1))
        if parts[1].isdigit() and len(parts[1]) == 2 and 1 <= int(parts[1]) <= 12:
            return period_containing(PeriodKind.MONTH, datetime.date(year, int(parts[1]), 1))
    raise PeriodCodeError(code)
