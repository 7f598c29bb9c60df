"""The public statistics pages: the report loop per sub-district and month with SVG
charts and their tables, and the annual enforcement statistics report with its PDF and
.xlsx — in Chinese, without script, without personal data, and bad input answered with
a message."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cases.helpers import P, at, load_catalogue, new_case
from tests.reports.helpers import submit
from yangguang.cases.enums import Outcome
from yangguang.cases.models import Case
from yangguang.reports.enums import Rating, Status
from yangguang.reports.models import Report

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 10, 10, tzinfo=SH)
PERSONAL = ("王小明", "13912345678", "东街道一社区门口", "路灯不亮", "张三丰", "阳光市东街道一号")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def october(city, clock):
    clock.move_to(datetime.datetime(2026, 10, 12, 9, tzinfo=SH), tick=False)
    report, _token = submit(city)
    clock.move_to(NOW, tick=False)
    Report.objects.filter(pk=report.pk).update(
        status=Status.CLOSED,
        deadline=NOW,
        handled_at=NOW - datetime.timedelta(days=20),
        rating=Rating.SATISFIED,
    )
    return city


@pytest.fixture
def decisions(certified, clock):
    load_catalogue()
    for moment in (at(2025, 6, 1, 10), at(2026, 3, 1, 10)):
        day = (moment - datetime.timedelta(days=10)).date()
        case = new_case(
            certified,
            now=moment - datetime.timedelta(days=10),
            act_started_on=day,
            act_ended_on=day,
            discovered_on=day,
        )
        Case.objects.filter(pk=case.pk).update(
            decided_at=moment, outcome=Outcome.PENALTY, penalty_kinds=["fine"], fine=2000
        )
    return certified


def page(response) -> str:
    return response.content.decode()


def test_the_month_page_shows_last_month_per_street_with_charts(client, october):
    response = client.get(reverse("portal:statistics"))

    assert response.status_code == 200
    html = page(response)
    assert "2026年10月" in html
    assert '<th scope="row">东街道</th>' in html
    assert "100.00%" in html
    assert html.count("<svg") == 5  # four indicators and the top categories
    assert html.count('role="img"') == 5
    assert html.count("<table") >= 6  # the streets, each chart's figures, the categories
    assert 'scope="col"' in html
    assert "<script" not in html
    assert re.search(r'(src|href)="(https?:)?//', html) is None  # nothing from elsewhere
    for text in PERSONAL:
        assert text not in html


def test_the_month_page_for_one_street(client, october):
    response = client.get(
        reverse("portal:statistics"), {"month": "2026-10", "street": october.org.street.pk}
    )

    assert response.status_code == 200
    assert "东街道" in page(response)


def test_the_running_month_says_up_to_when(client, october):
    response = client.get(reverse("portal:statistics"), {"month": "2026-11"})

    assert response.status_code == 200
    assert "截至" in page(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"month": "2026-13"}, "月份"),
        ({"month": "２０２６-１０"}, "2026-05"),
        ({"month": "2027-01"}, "尚未开始"),
        ({"month": "1999-12"}, "2000"),
        ({"month": "x" * 500}, "2026-05"),
        ({"street": "abc"}, "街道"),
        ({"street": "２"}, "街道"),
        ({"street": "999999"}, "街道"),
    ],
)
def test_bad_input_gets_a_chinese_message(client, october, query, message):
    response = client.get(reverse("portal:statistics"), query)

    assert response.status_code == 400
    html = page(response)
    assert 'role="alert"' in html
    assert message in html


def test_a_nul_character_is_refused_with_a_page(client, october):
    response = client.get("/statistics/?month=2026-10%00")

    assert response.status_code == 400


def test_the_annual_report_of_an_ended_year_is_final(client, decisions):
    response = client.get(reverse("portal:statistics_annual", args=[2025]))

    assert response.status_code == 200
    html = page(response)
    assert "2025年度行政执法统计年报" in html
    assert "2026年1月31日" in html
    assert "截至" not in html
    assert reverse("portal:statistics_annual_pdf", args=[2025]) in html
    assert reverse("portal:statistics_annual_xlsx", args=[2025]) in html
    for text in PERSONAL:
        assert text not in html


def test_the_running_year_is_provisional(client, decisions):
    response = client.get(reverse("portal:statistics_annual", args=[2026]))

    assert response.status_code == 200
    html = page(response)
    assert "截至2026年11月10日" in html
    assert "0.20" in html  # 2000 yuan = 0.20 万元


@pytest.mark.parametrize(
    ("year", "message"), [(2027, "尚未开始"), (10**20, "尚未开始"), (0, "以前")]
)
def test_a_year_without_a_report_is_not_found_with_a_message(client, db, clock, year, message):
    response = client.get(f"/statistics/annual/{year}/")

    assert response.status_code == 404
    assert message in page(response)


def test_the_downloads_open(client, decisions):
    pdf = client.get(reverse("portal:statistics_annual_pdf", args=[2025]))
    xlsx = client.get(reverse("portal:statistics_annual_xlsx", args=[2025]))

    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "行政处罚" in text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert "行政执法统计年报" in sheet["A1"].value


def test_the_list_of_annual_reports(client, db, clock):
    response = client.get(reverse("portal:statistics_annual_index"))

    assert response.status_code == 200
    assert reverse("portal:statistics_annual", args=[2025]) in page(response)
    assert reverse("portal:statistics_annual", args=[2026]) in page(response)


def test_officers_are_not_named(client, decisions):
    html = page(client.get(reverse("portal:statistics_annual", args=[2026])))

    assert decisions[P.OFFICER].name not in html


def test_the_month_page_queries_do_not_grow_with_the_reports(client, october, clock):
    url = reverse("portal:statistics")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    clock.move_to(datetime.datetime(2026, 10, 13, 9, tzinfo=SH), tick=False)
    submit(october)
    submit(october)
    clock.move_to(NOW, tick=False)
    cache.clear()  # the page keeps its figures for a few minutes

    with CaptureQueriesContext(connection) as three:
        response = client.get(url)

    assert response.context["stats"].total.counts["received"] == 3
    assert len(three) == len(one)


def test_the_figures_are_kept_for_a_few_minutes_then_recomputed(client, october, clock):
    """Public figures need not be live: a report filed after a visit shows once the
    page's figures expire (ANNUAL_CACHE_SECONDS), not on the next visit."""
    from yangguang.portal.statistics_views import ANNUAL_CACHE_SECONDS

    url = reverse("portal:statistics")
    before = client.get(url).context["stats"].total.counts["received"]
    clock.move_to(datetime.datetime(2026, 10, 13, 9, tzinfo=SH), tick=False)
    submit(october)
    clock.move_to(NOW, tick=False)
    assert client.get(url).context["stats"].total.counts["received"] == before
    clock.move_to(NOW + datetime.timedelta(seconds=ANNUAL_CACHE_SECONDS + 1), tick=False)
    assert client.get(url).context["stats"].total.counts["received"] == before + 1
