"""Evaluation indicators of the loop (reference.md §1.7), computed from the reports
themselves, for any set of reports (a unit's, a grid's, a period's).

Definitions, for the reports received in the period:
- 受理数: all received; 立案数: problems registered (not rejected, void or waiting);
- 应结案数: registered problems that are closed or past their deadline;
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

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from yangguang.reports.enums import DisposalMode, Rating, ReportKind, Status
from yangguang.reports.models import Report

PROBLEM = Q(kind=ReportKind.PROBLEM)
REGISTERED = (
    PROBLEM
    & ~Q(status__in=[Status.SUBMITTED, Status.REJECTED, Status.VOID])
    & Q(merged_into__isnull=True)
)
FINISHED = Q(status__in=[Status.CLOSED, Status.REJECTED])


def _counts(now) -> dict:
    return {
        "received": Count("id"),
        "registered": Count("id", filter=REGISTERED),
        "due": Count("id", filter=REGISTERED & (Q(status=Status.CLOSED) | Q(deadline__lt=now))),
        "closed": Count("id", filter=PROBLEM & Q(status=Status.CLOSED)),
        "closed_on_time": Count(
            "id",
            filter=PROBLEM
            & Q(status=Status.CLOSED, handled_at__isnull=False, handled_at__lte=F("deadline")),
        ),
        "handled": Count("id", filter=PROBLEM & ~Q(disposal_mode="")),
        "reworked": Count("id", filter=PROBLEM & Q(rework_count__gt=0)),
        "dispatched": Count("id", filter=PROBLEM & Q(dispatched_at__isnull=False)),
        "extended": Count("id", filter=PROBLEM & Q(delay_count__gt=0)),
        "finished": Count("id", filter=FINISHED),
        "answered": Count("id", filter=FINISHED & ~Q(public_reply="")),
        "rated": Count("id", filter=~Q(rating="")),
        "satisfied": Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
        "service": Count("id", filter=Q(disposal_mode=DisposalMode.SERVICE)),
        "management": Count("id", filter=Q(disposal_mode=DisposalMode.MANAGEMENT)),
        "enforcement": Count("id", filter=Q(disposal_mode=DisposalMode.ENFORCEMENT)),
    }


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
        return self.rate("reworked", "handled")

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
    counts = reports.order_by().aggregate(**_counts(timezone.now()))
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
        reports.filter(**{f"{key}__isnull": False})
        .order_by()
        .values(key, name)
        .annotate(**_counts(timezone.now()))
        .order_by(name)
    )
    return [
        Indicators(row[name], {field: row[field] or 0 for field in _counts(timezone.now())})
        for row in rows
    ]
