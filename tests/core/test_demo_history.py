"""The demo's month of history (issue 14): reports of the last 30 days in every
sub-district, by several channels, taken through the loop by the demo's staff, so the
command centre's rankings, 721 pie, top categories and lights have figures. The demo
is loaded once (as tests/core/test_demo.py does) and its facts checked together."""

import datetime
import zoneinfo
from collections import Counter

import pytest

from yangguang.analytics.evaluation import evaluate, evaluate_posts
from yangguang.analytics.live import live_figures
from yangguang.analytics.periods import PeriodKind, period_containing
from yangguang.core.demo import demo_city_load
from yangguang.core.demo_history import DAYS_BACK, MARK, demo_history_load
from yangguang.org.enums import UnitKind
from yangguang.org.models import Unit
from yangguang.patrol.models import DutyShift
from yangguang.records.models import RecordEntry
from yangguang.reports.enums import Channel, DeadlineState, DisposalMode, Status
from yangguang.reports.models import Report
from yangguang.reports.tally import tallies_rebuild, tallies_snapshot

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert demo_city_load().created is True


def test_demo_month_of_history(demo):
    history = Report.objects.filter(description__endswith=MARK)
    assert history.count() >= 120
    assert demo_history_load(now=NOW) == 0  # once only
    assert DutyShift.objects.exists()  # the patrols are loaded too

    # The last 30 days, never after the load.
    first = min(history.values_list("created_at", flat=True))
    assert first.date() >= (NOW - datetime.timedelta(days=DAYS_BACK + 1)).date()
    assert max(history.values_list("created_at", flat=True)) <= NOW

    # Every sub-district and most communities; many grids, some with clusters.
    problems = history.exclude(grid=None)
    streets = set(problems.values_list("street", flat=True))
    assert streets == set(Unit.objects.filter(kind=UnitKind.STREET).values_list("pk", flat=True))
    assert len(set(problems.values_list("community", flat=True))) >= 8
    per_grid = Counter(problems.values_list("grid", flat=True))
    assert len(per_grid) >= 40
    assert max(per_grid.values()) >= 5  # a hot spot

    # Channels and who entered them.
    channels = Counter(history.values_list("channel", flat=True))
    assert {Channel.WEB, Channel.HOTLINE, Channel.PATROL, Channel.OPEN311} <= set(channels)
    assert not history.filter(channel=Channel.HOTLINE, created_by=None).exists()
    assert set(
        history.filter(channel=Channel.HOTLINE).values_list("created_by__username", flat=True)
    ) == {"shouli"}
    for report in history.filter(channel=Channel.PATROL).select_related("grid")[:10]:
        assert report.grid.officers.filter(pk=report.created_by_id).exists()
    assert (
        not history.filter(channel__in=[Channel.WEB, Channel.OPEN311])
        .exclude(created_by=None)
        .exists()
    )

    # Every stage and light.
    statuses = Counter(history.values_list("status", flat=True))
    for status in (Status.CLOSED, Status.REJECTED, Status.IN_PROGRESS, Status.HANDLED):
        assert statuses[status], status
    assert history.filter(deadline_state=DeadlineState.OVERDUE).exists()
    assert history.filter(rework_count__gt=0, status=Status.CLOSED).exists()
    assert history.filter(delay_count__gt=0).exists()
    assert RecordEntry.objects.filter(action="report.return").exists()
    assert history.filter(kind="consultation", status=Status.CLOSED).exclude(public_reply="")
    closed = history.filter(status=Status.CLOSED, kind="problem")
    assert not closed.filter(public_reply="").exists()
    assert closed.exclude(rating="").count() >= 0.5 * closed.count()
    late = [r for r in closed if r.deadline and r.handled_at and r.handled_at > r.deadline]
    assert late
    # Handling units and squadrons took them on.
    assert (
        Report.objects.filter(unit__kind=UnitKind.HANDLING).values("unit").distinct().count() >= 3
    )
    modes = Counter(history.exclude(disposal_mode="").values_list("disposal_mode", flat=True))
    assert set(modes) == set(DisposalMode.values)
    assert modes[DisposalMode.SERVICE] > modes[DisposalMode.ENFORCEMENT]

    # The summaries are what the services made them: a rebuild changes nothing.
    before = tallies_snapshot()
    tallies_rebuild()
    assert tallies_snapshot() == before

    # The command centre has something to show, this month and last.
    this_month = period_containing(PeriodKind.MONTH, NOW.date())
    last_month = this_month.previous()
    for period in (this_month, last_month):
        for subject in ("street", "community", "unit"):
            rows = evaluate(subject, period)
            scored = [row for row in rows if row.composite is not None]
            assert len(scored) >= 2, (subject, period)
            assert len({row.composite for row in scored}) >= 2, (subject, period)
    filed = [
        row.figures["received"].value
        for row in evaluate_posts("inspector", this_month)
        if "received" in row.figures
    ]
    assert len(filed) >= 2
    assert len(set(filed)) >= 2
    assert len(evaluate_posts("intake", this_month)) >= 1
    figures = live_figures(now=NOW)
    assert figures["shares_721"]["handled"] > 0
    assert len(figures["top_categories"]) >= 5
    counts = [item["count"] for item in figures["top_categories"]]
    assert counts[0] > counts[-1]
