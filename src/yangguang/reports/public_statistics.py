"""The report loop in public (issue 12, "open data and statistics"): for a month, per
sub-district (街道), the reports received, 结案率, 按期结案率, 满意率 and the top
categories — computed from the reports themselves, with the definitions of
``reports.indicators`` (reference.md §1.7), never formulas of their own.

A report belongs to the month it was received in (``created_at``, Asia/Shanghai) and to
the sub-district its grid's community hangs under: ``Report.street``, which intake sets
from the grid (``routing.locate``: the grid's community's parent). Reports that could not
be located on a grid count in the bureau's total only.

Everything is a handful of GROUP BY queries over the month's reports (the ``created_at``
index bounds them), whatever the number of reports: one for the streets' counts, one for
the bureau's total, one for the categories per street and one for the bureau's top
categories. No report is loaded into Python.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.org.enums import UnitKind
from yangguang.org.models import Unit
from yangguang.reports.indicators import Indicators, _counts
from yangguang.reports.measures import with_facts
from yangguang.reports.models import Report

TOP = 5
# The first month anyone may ask for: the platform holds nothing older, and it keeps
# the datetime arithmetic far from its limits.
FIRST_YEAR = 2000
MONTH_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)


class MonthError(ValueError):
    """A month that cannot be shown, with the reason in words."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime(self.year, self.month, 1, tzinfo=timezone.get_default_timezone())

    @property
    def end(self) -> datetime.datetime:
        """The first moment of the next month (exclusive)."""
        return self.next().start

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)


def month_of(moment: datetime.datetime) -> Month:
    day = timezone.localtime(moment).date()
    return Month(day.year, day.month)


def last_full_month(now: datetime.datetime | None = None) -> Month:
    return month_of(now or timezone.now()).previous()


def month_parse(text: str, *, now: datetime.datetime | None = None) -> Month:
    """``YYYY-MM`` in ASCII digits, a month that has begun. Raises MonthError."""
    found = MONTH_TEXT.fullmatch(text.strip())
    if found is None:
        raise MonthError(_("Give the month as year and month, for example 2026-05."))
    year, number = int(found.group(1)), int(found.group(2))
    if not 1 <= number <= 12:
        raise MonthError(_("A month is numbered from 01 to 12."))
    month = Month(year, number)
    if year < FIRST_YEAR:
        raise MonthError(_("There are no statistics before %(year)d.") % {"year": FIRST_YEAR})
    if month > month_of(now or timezone.now()):
        raise MonthError(_("That month has not begun yet."))
    return month


@dataclass(frozen=True)
class CategoryCount:
    name: str
    count: int


@dataclass(frozen=True)
class StreetFigures:
    street: Unit
    indicators: Indicators
    top_categories: list[CategoryCount]


@dataclass(frozen=True)
class MonthlyStatistics:
    month: Month
    # Set while the month is still running: the figures are those up to this moment.
    as_of: datetime.datetime | None
    streets: list[StreetFigures]
    # The bureau's whole month, reports located on no grid included.
    total: Indicators
    top_categories: list[CategoryCount]

    @property
    def unlocated(self) -> int:
        located = sum(row.indicators.counts["received"] for row in self.streets)
        return self.total.counts["received"] - located


def public_streets() -> list[Unit]:
    return list(
        Unit.objects.filter(kind=UnitKind.STREET, is_active=True).order_by(
            "sort_order", "code", "pk"
        )
    )


def _top(rows: list[dict], size: int) -> list[CategoryCount]:
    ordered = sorted(rows, key=lambda row: (-row["n"], row["category__name"]))
    return [CategoryCount(row["category__name"], row["n"]) for row in ordered[:size]]


def public_statistics(
    *,
    month: Month,
    street: Unit | None = None,
    now: datetime.datetime | None = None,
    top: int = TOP,
) -> MonthlyStatistics:
    """The month's figures for every active sub-district (or only ``street``), each
    with its top ``top`` categories, and the bureau's total and top categories."""
    now = now or timezone.now()
    received = with_facts(
        Report.objects.filter(created_at__gte=month.start, created_at__lt=month.end)
    )
    counts = _counts(now)
    streets = [street] if street is not None else public_streets()
    by_street = received.filter(street__in=streets).order_by()
    rows = {row["street"]: row for row in by_street.values("street").annotate(**counts)}
    categorised = Q(category__isnull=False)
    pairs: dict[int, list[dict]] = {}
    for row in (
        by_street.filter(categorised)
        .values("street", "category", "category__name")
        .annotate(n=Count("id"))
    ):
        pairs.setdefault(row["street"], []).append(row)
    figures = [
        StreetFigures(
            street=unit,
            indicators=Indicators(
                unit.name, {key: (rows.get(unit.pk) or {}).get(key) or 0 for key in counts}
            ),
            top_categories=_top(pairs.get(unit.pk, []), top),
        )
        for unit in streets
    ]
    scope = received if street is None else by_street
    total = scope.order_by().aggregate(**counts)
    bureau_top = list(
        scope.filter(categorised)
        .order_by()
        .values("category", "category__name")
        .annotate(n=Count("id"))
        .order_by("-n", "category__name")[:top]
    )
    return MonthlyStatistics(
        month=month,
        as_of=now if month.end > now else None,
        streets=figures,
        total=Indicators(street.name if street else "", {k: v or 0 for k, v in total.items()}),
        top_categories=_top(bureau_top, top),
    )
