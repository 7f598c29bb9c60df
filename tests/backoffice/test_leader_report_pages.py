"""The leaders' reports page: who may open it, the generate-now form (queued, odd input
answered in Chinese, never a 500), a failure shown with its error, and the downloads
with their file names."""

import datetime
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse

from yangguang.analytics.leader_reports import leader_report_generate, leader_report_request
from yangguang.analytics.models import LeaderReport
from yangguang.analytics.periods import PeriodKind, period_from_code
from yangguang.org.enums import PostCode
from yangguang.worktime.calendar import SHANGHAI

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)
PAGE = "backoffice:leader_reports"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("post", [PostCode.HANDLER, PostCode.INSPECTOR, PostCode.INTAKE])
def test_posts_outside_the_command_centre_are_refused(client, personas, clock, post):
    report = LeaderReport.objects.create(
        kind=PeriodKind.MONTH,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
        requested_at=NOW,
    )
    client = logged_in(client, personas[post])
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(PAGE), {"period": "2026-11"}).status_code == 403
    url = reverse("backoffice:leader_report_download", args=[report.pk, "pdf"])
    assert client.get(url).status_code == 403
    assert LeaderReport.objects.get().status == LeaderReport.Status.QUEUED


@pytest.mark.django_db
def test_the_page_lists_reports_and_queues_one_on_request(client, personas, clock):
    client = logged_in(client, personas[PostCode.LEADER])
    page = client.get(reverse(PAGE))
    assert page.status_code == 200
    assert 'value="2026-11"' in page.content.decode()  # last month, proposed
    response = client.post(reverse(PAGE), {"period": "2026-Q3"})
    assert response.status_code == 302
    report = LeaderReport.objects.get()
    assert (report.kind, report.period_start) == (PeriodKind.QUARTER, datetime.date(2026, 7, 1))
    assert report.status == LeaderReport.Status.QUEUED
    assert report.requested_by == personas[PostCode.LEADER]
    listed = client.get(reverse(PAGE)).content.decode()
    assert "2026-07-01" in listed
    assert personas[PostCode.LEADER].name in listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period",
    ["2026-13", "abc", "2026-Q5", "2026\x00-11", "\x00", "２０２６", "", "2027-01"],
)
def test_odd_periods_are_answered_in_chinese(client, personas, clock, period):
    client = logged_in(client, personas[PostCode.DISPATCHER])
    response = client.post(reverse(PAGE), {"period": period})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error"' in body
    assert "\x00" not in body
    assert not LeaderReport.objects.exists()


@pytest.mark.django_db
def test_a_failure_is_shown_with_its_error(client, personas, clock):
    report = LeaderReport.objects.create(
        kind=PeriodKind.MONTH,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        requested_at=NOW,
        status=LeaderReport.Status.FAILED,
        error="RuntimeError: chart could not be drawn",
    )
    body = logged_in(client, personas[PostCode.SHIFT_LEAD]).get(reverse(PAGE)).content.decode()
    assert "chart could not be drawn" in body
    url = reverse("backoffice:leader_report_download", args=[report.pk, "pdf"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_downloads_carry_the_file_and_its_name(client, personas, clock):
    with time_machine.travel(NOW, tick=False):
        report = leader_report_generate(
            leader_report_request(period_from_code("2026-11"), personas[PostCode.LEADER])
        )
    assert report.status == LeaderReport.Status.READY
    client = logged_in(client, personas[PostCode.LEADER])
    page = client.get(reverse(PAGE)).content.decode()
    pdf_url = reverse("backoffice:leader_report_download", args=[report.pk, "pdf"])
    xlsx_url = reverse("backoffice:leader_report_download", args=[report.pk, "xlsx"])
    assert pdf_url in page
    assert xlsx_url in page
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    disposition = unquote(pdf["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert "测试局" in disposition
    assert disposition.endswith(('.pdf"', ".pdf"))
    xlsx = client.get(xlsx_url)
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content).startswith(b"PK")
    assert ".xlsx" in unquote(xlsx["Content-Disposition"])
    for bad in (["999999", "pdf"], [str(report.pk), "exe"], ["１", "pdf"]):
        url = reverse("backoffice:leader_report_download", args=bad)
        assert client.get(url).status_code == 404
