"""What a leaders' report says (``analytics.leader_reports``): the figures of one period
beside the period before, the intake by day, channel, 721 mode and category, the
rankings of areas, units and posts, and the notable items — gathered once, then drawn
as a PDF and written as an .xlsx (``analytics.leader_report_render``).

Every figure comes from the evaluation (``analytics.evaluation``) and the summaries
(``reports.tally``), so the report and the command centre's pages cannot disagree.
Notable items carry tracking numbers, categories and units only: no personal data.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.analytics.evaluation import POST_KINDS, Row, evaluate, evaluate_posts, totals
from yangguang.analytics.models import Subject
from yangguang.analytics.periods import Period, PeriodKind
from yangguang.categories.models import Category
from yangguang.org.selectors import bureau_root
from yangguang.reports import tally
from yangguang.reports.enums import Channel, DisposalMode
from yangguang.reports.measures import MEASURES, OPEN, OVERDUE, RATES
from yangguang.reports.models import Report, Supervision

# The figures of the overview, before the rates and the 综合指标值.
OVERVIEW_MEASURES = ("received", "registered", "closed")
TOP_CATEGORIES = 10
TOP_POSTS = 10
NOTABLE_ITEMS = 10


@dataclass(frozen=True)
class OverviewLine:
    label: str
    value: int | Decimal | None
    previous: int | Decimal | None
    is_rate: bool = False

    @property
    def change(self) -> int | Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class Ranking:
    code: str
    title: str
    rows: list[Row]
    # (figure code, column label) shown beside the rank: the composite for areas and
    # units, the main figures for posts.
    columns: list[tuple[str, str]]
    posts: bool = False


@dataclass(frozen=True)
class NotableReport:
    tracking_number: str
    category: str
    unit: str
    days_overdue: int


@dataclass(frozen=True)
class NotableSupervision:
    tracking_number: str
    category: str
    unit: str
    issued_on: datetime.date
    days_overdue: int


@dataclass
class LeaderReportContent:
    bureau: str
    period: Period
    previous: Period
    generated_at: datetime.datetime
    overview: list[OverviewLine] = field(default_factory=list)
    daily: list[tuple[datetime.date, int]] = field(default_factory=list)
    channels: list[tuple[str, int]] = field(default_factory=list)
    modes: list[tuple[str, int]] = field(default_factory=list)
    categories: list[tuple[str, int, int]] = field(default_factory=list)  # received, registered
    rankings: list[Ranking] = field(default_factory=list)
    overdue_reports: list[NotableReport] = field(default_factory=list)
    open_supervisions: list[NotableSupervision] = field(default_factory=list)

    @property
    def title(self) -> str:
        return report_title(self.bureau, self.period)


def period_words(period: Period) -> str:
    """The period as a title writes it: 2026年11月, 2026年第4季度, 2026年."""
    if period.kind == PeriodKind.MONTH:
        return _("%(month)d %(year)d (month)") % {
            "year": period.start.year,
            "month": period.start.month,
        }
    if period.kind == PeriodKind.QUARTER:
        return _("Q%(quarter)d %(year)d (quarter)") % {
            "year": period.start.year,
            "quarter": (period.start.month - 1) // 3 + 1,
        }
    return _("%(year)d (year)") % {"year": period.start.year}


def report_title(bureau: str, period: Period) -> str:
    """阳光区城市管理局 数字城管运行月报（2026年11月）."""
    titles = {
        PeriodKind.MONTH: _("%(bureau)s digital city management monthly report (%(period)s)"),
        PeriodKind.QUARTER: _("%(bureau)s digital city management quarterly report (%(period)s)"),
        PeriodKind.YEAR: _("%(bureau)s digital city management annual report (%(period)s)"),
    }
    return titles[period.kind] % {"bureau": bureau, "period": period_words(period)}


def _overview(period: Period, previous: Period) -> list[OverviewLine]:
    now, before = totals(period), totals(previous)
    lines = [
        OverviewLine(
            str(MEASURES[code].label),
            now.figures[code].value,
            before.figures[code].value,
        )
        for code in OVERVIEW_MEASURES
    ]
    lines += [
        OverviewLine(str(rate.label), now.rates[code].value, before.rates[code].value, True)
        for code, rate in RATES.items()
    ]
    lines.append(
        OverviewLine(
            _("Composite indicator (综合指标值)"), now.composite, before.composite, is_rate=True
        )
    )
    return lines


def _daily(period: Period) -> list[tuple[datetime.date, int]]:
    sums = tally.measure_sums_by(
        tally.report_rows(since=period.start, until=period.end), "day", ["received"]
    )
    days = []
    day = period.start
    while day <= period.end:
        days.append((day, sums.get(day, {}).get("received", 0)))
        day += datetime.timedelta(days=1)
    return days


def _channels(period: Period) -> list[tuple[str, int]]:
    sums = tally.measure_sums_by(
        tally.report_rows(since=period.start, until=period.end), "channel", ["received"]
    )
    labels = dict(Channel.choices)
    return [(str(labels[code]), sums.get(code, {}).get("received", 0)) for code in Channel.values]


def _modes(period: Period) -> list[tuple[str, int]]:
    codes = [f"mode_{mode.value}" for mode in DisposalMode]
    sums = tally.measure_sums(tally.report_rows(since=period.start, until=period.end), codes)
    return [(str(mode.label), sums[f"mode_{mode.value}"]) for mode in DisposalMode]


def _categories(period: Period) -> list[tuple[str, int, int]]:
    sums = tally.measure_sums_by(
        tally.report_rows(since=period.start, until=period.end),
        "category",
        ["received", "registered"],
    )
    names = dict(
        Category.objects.filter(pk__in=[k for k in sums if k is not None]).values_list("pk", "name")
    )
    rows = [
        (names.get(key, _("No category")), counts["received"], counts["registered"])
        for key, counts in sums.items()
    ]
    rows.sort(key=lambda row: (-row[1], -row[2], row[0]))
    return rows[:TOP_CATEGORIES]


POST_COLUMNS = {
    "inspector": [
        ("registered", gettext_lazy("Valid (有效上报数)")),
        ("received", gettext_lazy("Filed (上报数)")),
    ],
    "intake": [("taken_in", gettext_lazy("Taken in (受理数)"))],
    "dispatcher": [("dispatched", gettext_lazy("Dispatched (派遣数)"))],
}


def _rankings(period: Period) -> list[Ranking]:
    composite = [("composite", _("Composite indicator (综合指标值)"))]
    rankings = [
        Ranking(str(subject.value), str(subject.label), evaluate(subject, period), composite)
        for subject in (Subject.STREET, Subject.COMMUNITY, Subject.UNIT)
    ]
    for code, kind in POST_KINDS.items():
        rankings.append(
            Ranking(
                code,
                str(kind.label),
                evaluate_posts(code, period)[:TOP_POSTS],
                [(figure, str(label)) for figure, label in POST_COLUMNS[code]],
                posts=True,
            )
        )
    return rankings


def _days_late(deadline: datetime.datetime | None, now: datetime.datetime) -> int:
    if deadline is None or deadline >= now:
        return 0
    return (timezone.localdate(now) - timezone.localdate(deadline)).days


def _overdue_reports(now: datetime.datetime) -> list[NotableReport]:
    reports = (
        Report.objects.filter(OPEN & OVERDUE, deadline__isnull=False)
        .select_related("category", "unit")
        .order_by("deadline", "pk")[:NOTABLE_ITEMS]
    )
    return [
        NotableReport(
            report.tracking_number,
            report.category.name if report.category else "—",
            report.unit.name if report.unit else "—",
            _days_late(report.deadline, now),
        )
        for report in reports
    ]


def _open_supervisions(now: datetime.datetime) -> list[NotableSupervision]:
    orders = (
        Supervision.objects.filter(replied_at__isnull=True)
        .select_related("report", "report__category", "report__unit")
        .order_by("deadline", "pk")[:NOTABLE_ITEMS]
    )
    return [
        NotableSupervision(
            order.report.tracking_number,
            order.report.category.name if order.report.category else "—",
            order.report.unit.name if order.report.unit else "—",
            timezone.localdate(order.issued_at),
            _days_late(order.deadline, now),
        )
        for order in orders
    ]


def leader_report_content(period: Period, *, now: datetime.datetime) -> LeaderReportContent:
    """Everything the report of ``period`` shows, in the active language."""
    root = bureau_root()
    previous = period.previous()
    return LeaderReportContent(
        bureau=root.name if root else "",
        period=period,
        previous=previous,
        generated_at=now,
        overview=_overview(period, previous),
        daily=_daily(period),
        channels=_channels(period),
        modes=_modes(period),
        categories=_categories(period),
        rankings=_rankings(period),
        overdue_reports=_overdue_reports(now),
        open_supervisions=_open_supervisions(now),
    )
