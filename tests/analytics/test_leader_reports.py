"""Leaders' reports (月报, 季报, 年报): the schedule on a pinned clock, a generation's PDF
and .xlsx read back, the texts to the leaders only, the record entry, regeneration,
and a failure that leaves the report failed with nothing half-written."""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.analytics.test_evaluation import SEPTEMBER, september  # noqa: F401 - fixture
from yangguang.analytics import leader_reports
from yangguang.analytics.leader_reports import (
    leader_report_generate,
    leader_report_request,
    leader_reports_due,
    leader_reports_run,
)
from yangguang.analytics.models import LeaderReport
from yangguang.analytics.periods import PeriodKind, period_containing, period_from_code
from yangguang.notify.models import Message
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.reports.models import PostTally, Supervision
from yangguang.worktime.calendar import SHANGHAI

NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)


def at(year, month, day, hour):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored(media: Path) -> list[str]:
    folder = media / "leader-reports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def queued() -> set[tuple[str, str]]:
    return {
        (report.kind, report.period_start.isoformat())
        for report in LeaderReport.objects.filter(status=LeaderReport.Status.QUEUED)
    }


# --- The schedule ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_month_just_ended_is_queued_from_two_oclock_once():
    with time_machine.travel(at(2026, 12, 1, 1), tick=False):
        assert leader_reports_due() == []
    with time_machine.travel(at(2026, 12, 1, 3), tick=False):
        first = leader_reports_due()
        assert [(r.kind, r.period_start) for r in first] == [
            (PeriodKind.MONTH, datetime.date(2026, 11, 1))
        ]
        assert first[0].requested_by is None
        assert first[0].period_end == datetime.date(2026, 11, 30)
        assert leader_reports_due() == []
    with time_machine.travel(at(2026, 12, 15, 3), tick=False):
        assert leader_reports_due() == []
    assert LeaderReport.objects.count() == 1


@pytest.mark.django_db
def test_new_year_queues_the_month_the_quarter_and_the_year():
    with time_machine.travel(at(2027, 1, 1, 3), tick=False):
        leader_reports_due()
        leader_reports_due()
    assert queued() == {
        (PeriodKind.MONTH, "2026-12-01"),
        (PeriodKind.QUARTER, "2026-10-01"),
        (PeriodKind.YEAR, "2026-01-01"),
    }
    assert LeaderReport.objects.count() == 3


@pytest.mark.django_db
def test_a_report_asked_for_before_its_period_ended_is_queued_again(personas):
    november = period_from_code("2026-11")
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        report = leader_report_request(november, personas[PostCode.LEADER])
        leader_report_generate(report)
    assert report.status == LeaderReport.Status.READY
    with time_machine.travel(at(2026, 12, 1, 3), tick=False):
        assert [r.pk for r in leader_reports_due()] == [report.pk]
        assert leader_reports_due() == []
    report.refresh_from_db()
    assert report.status == LeaderReport.Status.QUEUED
    assert report.requested_by is None


@pytest.mark.django_db
def test_a_future_period_cannot_be_asked_for(personas):
    from django.core.exceptions import ValidationError

    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError):
        leader_report_request(period_from_code("2026-12"), personas[PostCode.LEADER])
    assert not LeaderReport.objects.exists()


# --- Generation ------------------------------------------------------------------------


@pytest.fixture
def open_order(september, personas):  # noqa: F811 - the fixture imported above
    return Supervision.objects.create(
        report=september["D"],
        issued_by=personas[PostCode.LEADER],
        issued_at=datetime.datetime(2026, 9, 20, 9, tzinfo=SHANGHAI),
        instruction="限期处置",
        deadline=datetime.datetime(2026, 9, 25, 18, tzinfo=SHANGHAI),
    )


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_generation_writes_a_readable_pdf_and_xlsx_and_texts_the_leaders(
    september,  # noqa: F811
    open_order,
    personas,
    media,
):
    PostTally.objects.create(
        n=3,
        day=datetime.date(2026, 9, 10),
        user=personas[PostCode.DISPATCHER],
        action="report.dispatch",
    )
    with time_machine.travel(NOW, tick=False):
        report = leader_report_request(SEPTEMBER, personas[PostCode.LEADER])
        leader_report_generate(report)
    report.refresh_from_db()
    assert report.status == LeaderReport.Status.READY
    assert report.generated_at == NOW
    assert report.pdf.name.startswith("leader-reports/2026-09-month-")
    assert len(stored(media)) == 2

    pdf = report.pdf.read()
    report.pdf.close()
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    text = pdf_text(pdf)
    assert "测试局" in text  # the bureau, in the title
    assert "一社区" in text
    assert "市政处" in text
    assert september["D"].tracking_number in text  # overdue, and under 督办
    assert "东街道" in text
    assert personas[PostCode.DISPATCHER].name in text  # the dispatchers' top 10

    workbook = load_workbook(io.BytesIO(report.xlsx.read()))
    report.xlsx.close()
    assert len(workbook.sheetnames) == 13
    overview = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert overview[1][1:] == (5, 0, 5)  # received: September, August, change
    assert overview[2][1:] == (4, 0, 4)  # registered
    daily = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert len(daily) == 1 + 30
    assert sum(row[1] for row in daily[1:]) == 5
    dispatchers = list(workbook.worksheets[10].iter_rows(values_only=True))
    assert dispatchers[1][:3] == (1, personas[PostCode.DISPATCHER].name, 3)
    notable = list(workbook.worksheets[-2].iter_rows(values_only=True))
    assert notable[1][0] == september["D"].tracking_number
    assert notable[1][3] == (datetime.date(2026, 11, 2) - datetime.date(2026, 9, 17)).days

    texts = Message.objects.filter(purpose="leader_report")
    assert [m.phone for m in texts] == [personas[PostCode.LEADER].phone]
    assert "测试" not in texts[0].body
    assert personas[PostCode.LEADER].name not in texts[0].body
    entry = RecordEntry.objects.get(action="leader_report.generate")
    assert entry.actor_id == personas[PostCode.LEADER].pk
    assert entry.changes["pdf_sha256"] == [None, report.pdf_sha256]


@pytest.mark.django_db
def test_regeneration_replaces_the_files_and_is_recorded(september, personas, media):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        report = leader_report_request(SEPTEMBER, personas[PostCode.LEADER])
        leader_report_generate(report)
    first = stored(media)
    later = NOW + datetime.timedelta(days=1)
    september["A"].rating = ""
    september["A"].save()
    with time_machine.travel(later, tick=False):
        again = leader_report_request(SEPTEMBER, personas[PostCode.SHIFT_LEAD])
        assert again.pk == report.pk
        assert again.status == LeaderReport.Status.QUEUED
        leader_report_generate(again)
    again.refresh_from_db()
    assert again.status == LeaderReport.Status.READY
    assert again.requested_by == personas[PostCode.SHIFT_LEAD]
    assert len(stored(media)) == 2
    assert stored(media) != first
    assert RecordEntry.objects.filter(action="leader_report.generate").count() == 2
    assert LeaderReport.objects.count() == 1


@pytest.mark.django_db
def test_a_failure_leaves_the_report_failed_and_nothing_half_written(
    september,  # noqa: F811
    personas,
    media,
    monkeypatch,
):
    def broken(content):
        raise RuntimeError("chart could not be drawn")

    monkeypatch.setattr(leader_reports, "leader_report_xlsx", broken)
    with time_machine.travel(NOW, tick=False):
        report = leader_report_request(SEPTEMBER, personas[PostCode.LEADER])
        assert leader_reports_run() == 0  # September's, and October's from the schedule
    report.refresh_from_db()
    assert report.status == LeaderReport.Status.FAILED
    assert "chart could not be drawn" in report.error
    assert not report.pdf
    assert not report.xlsx
    assert report.pdf_sha256 == ""
    assert stored(media) == []
    assert not Message.objects.filter(purpose="leader_report").exists()
    assert not RecordEntry.objects.filter(action="leader_report.generate").exists()


@pytest.mark.django_db
def test_a_failure_after_the_files_were_written_keeps_the_previous_ones(
    september,  # noqa: F811
    personas,
    media,
    monkeypatch,
):
    with time_machine.travel(NOW, tick=False):
        report = leader_report_request(SEPTEMBER, personas[PostCode.LEADER])
        leader_report_generate(report)
    before = stored(media)
    previous = (report.pdf.name, report.pdf_sha256)

    def refused(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(leader_reports, "message_enqueue", refused)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        leader_report_generate(leader_report_request(SEPTEMBER, personas[PostCode.LEADER]))
    report.refresh_from_db()
    assert report.status == LeaderReport.Status.FAILED
    assert "outbox unavailable" in report.error
    assert (report.pdf.name, report.pdf_sha256) == previous
    assert stored(media) == before
    assert RecordEntry.objects.filter(action="leader_report.generate").count() == 1


@pytest.mark.django_db
def test_an_empty_quarter_and_year_still_generate(org_tree, media):
    with time_machine.travel(at(2027, 1, 1, 3), tick=False):
        assert leader_reports_run() == 3
    for report in LeaderReport.objects.all():
        assert report.status == LeaderReport.Status.READY, report.error
    year = LeaderReport.objects.get(kind=PeriodKind.YEAR)
    assert "测试局" in pdf_text(year.pdf.read())
    year.pdf.close()
    assert period_containing(PeriodKind.YEAR, year.period_start).end == year.period_end
