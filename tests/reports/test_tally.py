"""The loop's summaries (docs/command-centre.md): maintained with every change, equal
to a rebuild from the reports and the record, folded without changing a figure, and
each measure's figure equal to the list of reports it selects."""

import datetime

import pytest
import time_machine
from django.db.models import Sum

from tests.reports.helpers import deliver, go, handled, photo, submit
from yangguang.org.enums import PostCode
from yangguang.reports import tally
from yangguang.reports.enums import Channel, Rating, ReportKind
from yangguang.reports.measures import MEASURES, reports_of_measure
from yangguang.reports.models import GridLoad, PostTally, Report, ReportTally
from yangguang.reports.services import deadlines_check, report_rate, report_reply
from yangguang.worktime.calendar import SHANGHAI

NOW = datetime.datetime(2026, 11, 18, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    """The fixtures' own records are written the day before (the record's times only
    move forward)."""
    with time_machine.travel(NOW - datetime.timedelta(days=1), tick=False):
        yield


@pytest.fixture
def loop(clock, city):
    """Reports in many states, made through the services: closed and rated, reworked,
    overdue, rejected, merged, a question answered, one waiting for intake."""
    with time_machine.travel(NOW, tick=False):
        closed = handled(city)
        go(closed, "verify_pass", PostCode.INSPECTOR, city, photos=[photo()])
        report_reply(report=closed, text="已修复", actor=city.people[PostCode.SHIFT_LEAD])
        deliver()
        go(closed, "close", PostCode.SHIFT_LEAD, city)
        reworked = handled(city, channel=Channel.HOTLINE, actor=city.people[PostCode.INTAKE])
        go(reworked, "verify_fail", PostCode.INSPECTOR, city, reason="灯仍不亮")
        late = handled(city)
        rejected, _ = submit(city)
        go(rejected, "reject", PostCode.INTAKE, city, reason="不属于城管职责")
        question, _ = submit(city, kind=ReportKind.CONSULTATION, category=None)
        go(question, "answer", PostCode.INTAKE, city, reply="请拨打12345")
        master, _ = submit(city)
        duplicate, _ = submit(city)
        go(duplicate, "merge", PostCode.INTAKE, city, into=master)
        waiting, _ = submit(city, channel=Channel.PATROL, actor=city.people[PostCode.INSPECTOR])
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        report_rate(report=Report.objects.get(pk=closed.pk), rating=Rating.SATISFIED, comment="")
    # A month later: the one still in progress is overdue.
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        deadlines_check()
    return {"closed": closed, "reworked": reworked, "late": late, "waiting": waiting}


def test_summaries_maintained_equal_summaries_rebuilt(loop):
    maintained = tally.tallies_snapshot()
    assert all(maintained.values())
    tally.tallies_rebuild()
    assert tally.tallies_snapshot() == maintained


def test_folding_changes_no_figure(loop):
    before = tally.tallies_snapshot()
    appended = ReportTally.objects.count()
    assert tally.tallies_fold() > 0
    assert ReportTally.objects.count() < appended
    assert not ReportTally.objects.filter(folded=False).exists()
    assert tally.tallies_snapshot() == before
    assert tally.tallies_fold() == 0


def test_a_fold_that_lost_a_race_writes_nothing(loop, monkeypatch):
    """Two folders read the same rows (SQLite has no row locks): the one that finds
    fewer rows to delete than it read rolls back."""
    before = tally.tallies_snapshot()
    real_filter = ReportTally.objects.filter

    class Gone:
        def delete(self):
            return (0, {})

    calls = {"n": 0}

    def racing_filter(*args, **kwargs):
        if "id__in" in kwargs:
            calls["n"] += 1
            return Gone()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ReportTally.objects, "filter", racing_filter)
    tally.tallies_fold()
    monkeypatch.undo()
    assert calls["n"] >= 1
    assert tally.tallies_snapshot() == before


@pytest.mark.parametrize("code", sorted(MEASURES))
def test_each_measure_counts_exactly_the_reports_it_lists(loop, code):
    counted = tally.measure_sums(tally.report_rows(), [code])[code]
    listed = reports_of_measure(Report.objects.all(), code)
    assert counted == listed.count()


def test_the_loop_fixture_reaches_the_interesting_measures(loop):
    sums = tally.measure_sums(tally.report_rows(), MEASURES)
    for code in ("closed", "reworked", "overdue", "answered", "satisfied", "registered"):
        assert sums[code] > 0, code
    assert sums["received"] == Report.objects.count()


def test_grid_load_counts_the_open_reports_of_each_grid(loop, city):
    load = tally.open_load_by_grid()
    grid = loop["late"].grid_id
    open_in_grid = reports_of_measure(Report.objects.filter(grid_id=grid), "open").count()
    assert sum(load[grid].values()) == open_in_grid
    assert load[grid]["overdue"] >= 1


def test_steps_are_counted_for_the_person_who_took_them(loop, city):
    steps = tally.post_sums(
        since=NOW.date(), until=NOW.date(), actions=["report.accept", "report.verify_fail"]
    )
    intake = city.people[PostCode.INTAKE].pk
    inspector = city.people[PostCode.INSPECTOR].pk
    assert steps[intake]["report.accept"] == 3
    assert steps[inspector]["report.verify_fail"] == 1


def test_reports_received_late_in_the_evening_count_on_their_local_day(clock, city):
    """The day of a summary is the bureau's (Asia/Shanghai), not UTC's."""
    evening = datetime.datetime(2026, 11, 18, 23, 30, tzinfo=SHANGHAI)
    with time_machine.travel(evening, tick=False):
        submit(city)
    days = set(ReportTally.objects.values_list("day", flat=True))
    assert days == {datetime.date(2026, 11, 18)}


def test_a_save_that_touches_no_fact_appends_nothing(loop):
    before = ReportTally.objects.count()
    report = Report.objects.get(pk=loop["late"].pk)
    report.public_summary = "路灯不亮"
    report.save(update_fields=["public_summary", "updated_at"])
    assert ReportTally.objects.count() == before


def test_a_save_of_a_report_loaded_without_its_facts_still_counts(loop):
    report = Report.objects.only("pk", "status").get(pk=loop["waiting"].pk)
    report.status = "void"
    report.save(update_fields=["status"])
    counted = tally.measure_sums(tally.report_rows(), ["received"])["received"]
    assert counted == Report.objects.count()
    tally.tallies_fold()
    assert ReportTally.objects.filter(status="void").aggregate(n=Sum("n"))["n"] == 1
    maintained = tally.tallies_snapshot()
    tally.tallies_rebuild()
    assert tally.tallies_snapshot() == maintained


def test_rebuild_then_more_work_stays_equal(loop, city):
    tally.tallies_rebuild()
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        report = handled(city)
        go(report, "verify_pass", PostCode.INSPECTOR, city, photos=[photo()])
    maintained = tally.tallies_snapshot()
    tally.tallies_rebuild()
    assert tally.tallies_snapshot() == maintained
    assert PostTally.objects.exists()
    assert GridLoad.objects.exists()
