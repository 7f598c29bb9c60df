"""The published decisions in public (事后公开): the search page, a decision's page, the
withdrawal notice in its place, the check page's hash, the Atom feed, the CSV download
and the sitemap — and what is not public (proposed, refused, removed) nowhere."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.cases.conftest import people as people  # noqa: PLC0414 - the fixture
from tests.disclosure.opendata_helpers import (
    NOW,
    published_company,
    published_individual,
    rows,
    withdraw,
)
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication

pytestmark = pytest.mark.django_db
S = PublicationStatus
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def visitor() -> Client:
    return Client()  # no cookie: the pages speak Chinese, the default


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def hidden(people) -> list[Publication]:
    """A proposed, a refused and a removed decision, each with a known 文号."""
    made = rows(people, 3, start=100)
    for publication, status in zip(made, (S.PROPOSED, S.REFUSED, S.REMOVED), strict=True):
        Publication.objects.filter(pk=publication.pk).update(status=status)
    return made


def test_search_by_document_number_finds_the_decision(people, visitor):
    wanted = published_company(people)
    rows(people, 5)
    page = visitor.get("/decisions/", {"number": wanted.document_number})
    body = text(page)
    assert page.status_code == 200
    assert "1 项决定" in body or "1 decision" in body
    assert wanted.document_number in body
    assert "阳光餐饮有限公司" in body
    assert f"/decisions/{wanted.verify_token}/" in body


def test_the_list_filters_by_street_and_dates_and_pages(people, visitor):
    made = rows(people, 45)
    page = visitor.get("/decisions/", {"street": "西街道"})
    assert made[2].document_number in text(page)
    assert made[0].document_number not in text(page)
    first = text(visitor.get("/decisions/"))
    assert made[0].document_number in first
    assert made[20].document_number not in first
    third = text(visitor.get("/decisions/", {"page": "3"}))
    assert made[40].document_number in third
    assert made[0].document_number not in third
    ranged = text(visitor.get("/decisions/", {"from": "2026-09-29", "to": "2026-09-30"}))
    assert made[1].document_number in ranged
    assert made[2].document_number not in ranged


def test_the_list_makes_as_many_queries_for_three_decisions_as_for_one(people, visitor):
    rows(people, 1)
    visitor.get("/decisions/")  # the lists of categories and streets are cached
    with CaptureQueriesContext(connection) as one:
        visitor.get("/decisions/")
    rows(people, 2, start=10)
    with CaptureQueriesContext(connection) as three:
        assert text(visitor.get("/decisions/")).count('class="card decision-row"') == 3
    assert len(three) == len(one)


@pytest.mark.parametrize(
    "query",
    [
        {"from": "２０２６-01-01"},
        {"from": "٢٠٢٦-01-01"},
        {"from": "2026-10-01", "to": "2026-09-01"},
        {"q": "占" * 10_000},
        {"number": "号" * 10_000},
        {"page": "99999999999999999999"},
        {"page": "٣"},
        {"page": "0"},
        {"org": "\u202e公司"},
    ],
)
def test_bad_search_input_gets_the_form_back_with_a_message(people, visitor, query):
    response = visitor.get("/decisions/", query)
    assert response.status_code == 400
    body = text(response)
    assert 'role="alert"' in body
    assert 'name="number"' in body


def test_a_nul_character_is_refused_before_the_page(visitor, db):
    response = visitor.get("/decisions/", {"q": "a\x00b"})
    assert response.status_code == 400


def test_a_page_past_the_end_says_so(people, visitor):
    rows(people, 3)
    response = visitor.get("/decisions/", {"page": "500"})
    assert response.status_code == 200
    assert "/decisions/" in text(response)
    assert 'role="alert"' in text(response)


def test_the_decision_page_shows_the_published_content(people, visitor):
    publication = published_company(people)
    body = text(visitor.get(f"/decisions/{publication.verify_token}/"))
    for shown in (
        publication.document_number,
        publication.title,
        publication.basis,
        "罚款6,000.00元",
        "阳光餐饮有限公司",
        publication.party_credit_code,
        publication.content_sha256,
        "2026-09-30",  # decided
        "2026-10-09",  # published
        "2031-10-09",  # published until
        f"/v/{publication.verify_token}/",
    ):
        assert shown in body, shown


def test_an_individual_is_shown_as_published_without_personal_data(people, visitor):
    publication = published_individual(people)
    body = text(visitor.get(f"/decisions/{publication.verify_token}/"))
    assert "张某" in body
    for secret in ("张三", "13912345678", "阳光市东街道一号", "370802198005"):
        assert secret not in body


def test_a_withdrawn_decision_shows_only_the_notice(people, visitor):
    publication = withdraw(people, published_company(people))
    body = text(visitor.get(f"/decisions/{publication.verify_token}/"))
    assert publication.document_number in body
    assert "该决定已被行政复议决定撤销。" in body
    assert "2026-11-16" in body
    for content in ("阳光餐饮有限公司", publication.basis, "罚款6,000.00元", publication.facts):
        assert content not in body, content
    listing = text(visitor.get("/decisions/"))
    assert "该决定已被行政复议决定撤销。" in listing
    assert "阳光餐饮有限公司" not in listing


def test_what_is_not_public_is_404_and_absent_everywhere(people, visitor):
    made = hidden(people)
    rows(people, 1)
    listing = text(visitor.get("/decisions/"))
    feed = text(visitor.get("/decisions/feed.atom"))
    download = text(visitor.get("/decisions.csv"))
    sitemap = text(visitor.get("/sitemap-decisions.xml"))
    api = text(visitor.get("/api/v1/public/decisions/"))
    for publication in made:
        assert visitor.get(f"/decisions/{publication.verify_token}/").status_code == 404
        assert visitor.get(f"/v/{publication.verify_token}/").status_code == 404
        for where in (listing, feed, download, sitemap, api):
            assert publication.document_number not in where
            assert publication.verify_token not in where
    assert visitor.get("/decisions/not-a-token!/").status_code == 404
    assert visitor.get("/decisions/" + "a" * 40 + "/").status_code == 404


def test_the_check_page_confirms_number_dates_and_hash(people, visitor):
    publication = published_company(people)
    body = text(visitor.get(f"/v/{publication.verify_token}/"))
    assert publication.document_number in body
    assert publication.content_sha256 in body
    assert "2026-10-09" in body
    assert "一致" in body
    assert "不一致" not in body


def test_the_check_page_says_when_the_content_no_longer_matches(people, visitor):
    publication = published_company(people)
    Publication.objects.filter(pk=publication.pk).update(result="罚款1元")
    body = text(visitor.get(f"/v/{publication.verify_token}/"))
    assert "不一致" in body


def test_the_check_page_of_a_withdrawn_decision_shows_both_dates(people, visitor):
    publication = withdraw(people, published_company(people))
    body = text(visitor.get(f"/v/{publication.verify_token}/"))
    assert "2026-10-09" in body
    assert "2026-11-16" in body
    assert "阳光餐饮有限公司" not in body


def test_the_atom_feed_is_valid_xml_with_the_latest_decisions(people, visitor):
    withdrawn = withdraw(people, published_company(people))
    rows(people, 60, start=10)
    response = visitor.get("/decisions/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 50
    for entry in entries:
        assert entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/decisions/")
    assert root.find(f"{ATOM}author/{ATOM}name").text
    first = entries[0]  # withdrawn last: its update is the newest
    assert withdrawn.document_number in first.find(f"{ATOM}title").text
    assert "阳光餐饮有限公司" not in response.content.decode()


def test_the_csv_has_a_bom_the_columns_and_no_personal_data(people, visitor):
    company = published_company(people)
    individual = published_individual(people)
    response = visitor.get("/decisions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == [
        "文号",
        "案由",
        "当事人",
        "统一社会信用代码",
        "处罚结果",
        "罚款金额",
        "执法机关",
        "决定日期",
        "街道",
        "类别",
        "状态",
    ]
    by_number = {row[0]: row for row in table[1:]}
    assert by_number[company.document_number][2:4] == [
        "阳光餐饮有限公司",
        company.party_credit_code,
    ]
    assert by_number[individual.document_number][2:4] == ["张某", ""]
    for secret in ("张三", "13912345678", "阳光市东街道一号", "370802198005", "李四"):
        assert secret not in raw.decode("utf-8")


def test_the_csv_takes_the_same_filters_and_refuses_bad_ones(people, visitor):
    made = rows(people, 4)
    raw = text(visitor.get("/decisions.csv", {"street": "西街道"}))
    assert made[2].document_number in raw
    assert made[0].document_number not in raw
    bad = visitor.get("/decisions.csv", {"to": "2026-13-01"})
    assert bad.status_code == 400
    assert 'role="alert"' in text(bad)


def test_the_csv_is_capped_with_a_message(people, visitor, monkeypatch):
    from yangguang.disclosure import opendata

    monkeypatch.setattr(opendata, "CSV_MAX_ROWS", 2)
    monkeypatch.setattr(opendata.csv_rows, "__kwdefaults__", {"limit": 2})
    rows(people, 3)
    table = list(csv.reader(io.StringIO(text(visitor.get("/decisions.csv")).lstrip("\ufeff"))))
    assert len(table) == 4  # the header, two decisions, the message
    assert "2" in table[-1][0]
    assert "3" in table[-1][0]


def test_the_sitemap_lists_the_public_pages_and_published_decisions(people, visitor):
    publication = published_company(people)
    withdrawn = withdraw(people, published_individual(people))
    index = ET.fromstring(visitor.get("/sitemap.xml").content)  # noqa: S314
    locations = [node.text for node in index.iter(f"{SITEMAP}loc")]
    assert locations == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-decisions.xml",
    ]
    pages = ET.fromstring(visitor.get("/sitemap-pages.xml").content)  # noqa: S314
    listed = {node.text for node in pages.iter(f"{SITEMAP}loc")}
    assert {"http://testserver/", "http://testserver/decisions/"} <= listed
    assert not any(url.endswith((".csv", ".atom", ".geojson", ".xml")) for url in listed)
    decisions = visitor.get("/sitemap-decisions.xml").content.decode()
    assert f"http://testserver/decisions/{publication.verify_token}/" in decisions
    assert withdrawn.verify_token not in decisions


def test_every_bad_field_is_named_at_once_in_chinese(db, visitor):
    response = visitor.get("/decisions/", {"from": "２０２６-01-01", "page": "٣"})
    body = text(response)
    assert response.status_code == 400
    assert "请按 YYYY-MM-DD 格式、用半角阿拉伯数字填写日期" in body
    assert "请用半角阿拉伯数字填写 1 至 10000 之间的页码。" in body
