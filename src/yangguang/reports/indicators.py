"""Evaluation indicators of the loop (reference.md §1.7), computed from the reports
themselves, for any set of reports (a unit's, a grid's, a period's) — each count is a
measure of ``reports.measures``, the definitions the command centre's summaries use.

Definitions, for the reports received in the period:
- 受理数: all received; 立案数: problems registered (not rejected, void, merged or waiting);
- 应结案数: registered problems that are closed or overdue (red light);
- 结案率 = 结案数 / 应结案数; 按期结案率 = problems closed whose handling was done by the
  deadline / 应结案数;
- 返工率: of the problems handled at least once, those sent back for rework;
- 延期率: of the dispatched, those with an approved extension;
- 反馈率: of the finished (closed, answered or not registered), those with a reply;
- 满意率: of the rated, those satisfied or basically satisfied;
- 721 shares: of the handled, by disposal mode (service, management, enforcement).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from yangguang.reports.enums import DisposalMode
from yangguang.reports.measures import MEASURES, with_facts
from yangguang.reports.models import Report

# Each count of an Indicators object and the measure it is (reports.measures: the
# one definition, shared with the command centre's summaries).
COUNTED = {
    "received": "received",
    "registered": "registered",
    "due": "due_closing",
    "closed": "closed",
    "closed_on_time": "closed_on_time",
    "handled": "mode_set",
    "handled_once": "handled_once",
    "reworked": "reworked",
    "dispatched": "dispatched",
    "extended": "extended",
    "finished": "finished",
    "answered": "answered",
    "rated": "rated",
    "satisfied": "satisfied",
    "service": "mode_service",
    "management": "mode_management",
    "enforcement": "mode_enforcement",
}


def _counts(now=None) -> dict:
    """The aggregates of every count, for a queryset annotated by ``with_facts``."""
    return {name: Count("id", filter=MEASURES[code].condition) for name, code in COUNTED.items()}


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Indicators:
    label: str
    counts: dict[str, int]

    def rate(self, part: str, whole: str) -> Decimal | None:
        return _rate(self.counts[part], self.counts[whole])

    @property
    def closing_rate(self):
        return self.rate("closed", "due")

    @property
    def on_time_rate(self):
        return self.rate("closed_on_time", "due")

    @property
    def rework_rate(self):
        return self.rate("reworked", "handled_once")

    @property
    def extension_rate(self):
        return self.rate("extended", "dispatched")

    @property
    def feedback_rate(self):
        return self.rate("answered", "finished")

    @property
    def satisfaction_rate(self):
        return self.rate("satisfied", "rated")

    @property
    def shares_721(self) -> dict[str, Decimal | None]:
        return {mode: self.rate(mode, "handled") for mode in DisposalMode.values}


def indicators(reports: QuerySet[Report], *, label: str = "") -> Indicators:
    counts = with_facts(reports.order_by()).aggregate(**_counts())
    return Indicators(label, {key: value or 0 for key, value in counts.items()})


GROUPS = {
    "unit": ("unit", "unit__name"),
    "street": ("street", "street__name"),
    "grid": ("grid", "grid__code"),
}


def indicators_by(reports: QuerySet[Report], *, by: str) -> list[Indicators]:
    """One row per unit, sub-district or grid (reports without one are left out)."""
    key, name = GROUPS[by]
    rows = (
        with_facts(reports.filter(**{f"{key}__isnull": False}))
        .order_by()
        .values(key, name)
        .annotate(**_counts())
        .order_by(name)
    )
    return [Indicators(row[name], {field: row[field] or 0 for field in COUNTED}) for row in rows]
