"""The public pages before enforcement (事前公开) and the system administrator's pages
that feed them: in Chinese, semantic tables, no personal data, bad input answered
without a 500, and only the system administrator publishing."""

import dataclasses
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.cases.helpers import at, load_catalogue
from tests.core.test_every_page import english_phrases, problems, raw_choice_values
from yangguang.cases.catalogue import catalogue_save, items_from_json
from yangguang.cases.identity import generate_credit_code
from yangguang.cases.models import Violation
from yangguang.core.demo_before import ITEMS_V1, ITEMS_V2
from yangguang.disclosure.before import bureau_profile_save, list_version_publish, list_xlsx
from yangguang.disclosure.enums import ListKind
from yangguang.disclosure.models import BureauProfile, ListVersion
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db
P = PostCode
KIND = ListKind.RANDOM_INSPECTION
CODE = generate_credit_code("1", "1", "370899", "MB123456")
PAGES = ["/bureau/", "/powers/", "/powers/DQ-001/", "/procedure/", "/inspections/"]


@pytest.fixture
def published(city):
    """The city's bureau with its profile, the catalogue and two list versions."""
    load_catalogue()
    admin = city.people[P.SYSTEM_ADMIN]
    bureau_profile_save(
        actor=admin,
        name="测试区综合行政执法局",
        credit_code=CODE,
        phone="12319",
        court="测试区人民法院",
        duties="负责城市管理领域的行政处罚。",
    )
    for day, rows in ((1, ITEMS_V1), (20, ITEMS_V2)):
        list_version_publish(
            kind=KIND, rows=rows, note=f"第{day}日调整", actor=admin, now=at(2026, 10, day, 9)
        )
    return city


def _personal(city) -> list[str]:
    """What must never be on a public page: the staff's names and phones."""
    return [p.name for p in city.people.values()] + [p.phone for p in city.people.values()]


@pytest.mark.parametrize("url", [*PAGES, "/inspections/versions/1/"])
def test_public_pages_render_in_chinese_without_personal_data(published, url):
    response = Client().get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert problems(html, english_phrases(), raw_choice_values()) == []
    assert [text for text in _personal(published) if text in html] == []
    assert "<th scope=" in html


def test_the_bureau_page_shows_the_profile_and_the_units(published):
    html = Client().get("/bureau/").content.decode()

    for text in ("测试区综合行政执法局", CODE, "12319", "测试区人民法院", "第一中队", "东街道"):
        assert text in html


def test_the_areas_map_is_one_outline_per_squadron(published):
    data = Client().get(reverse("portal:bureau_areas")).json()

    assert [f["properties"]["street"] for f in data["features"]] == ["第一中队"]
    assert data["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert data["features"][0]["properties"]["community"] == "东街道"


def test_the_power_list_equals_the_catalogue(published):
    html = Client().get("/powers/").content.decode()

    for violation in Violation.objects.filter(is_current=True):
        assert reverse("portal:power", args=[violation.code]) in html


def test_a_power_shows_its_grades_remedies_and_guide(published):
    violation = Violation.objects.get(code="DQ-001", is_current=True)

    html = Client().get(f"/powers/{violation.code}/").content.decode()

    assert violation.penalty_article in html
    for grade in violation.grades.all():
        assert grade.conditions in html
    for text in ("测试区人民法院", "60 日", "6 个月", "第四十六条", "申请听证", "缴纳罚款"):
        assert text in html


def test_the_procedure_page_holds_three_generated_charts(published):
    html = Client().get("/procedure/").content.decode()

    assert html.count('<svg class="flow-chart"') == 3
    assert "当场" in html


def test_every_version_stays_readable_with_what_changed(published):
    client = Client()

    current = client.get("/inspections/").content.decode()
    first = client.get("/inspections/versions/1/").content.decode()

    assert "生活垃圾分类投放管理检查" in current
    assert "生活垃圾分类投放管理检查" not in first.split("全部版本")[0]
    assert "这不是现行版本" in first
    assert "第20日调整" in current
    assert "新增" in current


def test_a_version_downloads_as_a_workbook(published):
    response = Client().get(reverse("portal:inspections_xlsx") + "?version=1")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == len(ITEMS_V1) + 1
    assert sheet["A2"].value == ITEMS_V1[0]["item"]


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/versions/١/",
        "/inspections/versions/１/",
        "/inspections/versions/0/",
        "/inspections/versions/99999999999999999999/",
        "/inspections/versions/1.0/",
        "/inspections/versions/%00/",
        "/inspections/list.xlsx?version=%00",
        "/inspections/list.xlsx?version=²",
        "/powers/%00/",
        "/powers/" + "x" * 300 + "/",
        "/powers/ＤＱ-001/",
    ],
)
def test_odd_addresses_are_not_found(published, url):
    assert Client().get(url).status_code in {400, 404}  # a NUL is refused before the view


def test_pages_before_anything_is_published_render(db):
    for url in [*PAGES[:2], "/procedure/", "/inspections/"]:
        assert Client().get(url).status_code == 200


def test_a_huge_body_to_a_public_page_is_not_a_500(published):
    response = Client().generic(
        "POST", "/inspections/", b"x" * (11 * 1024 * 1024), content_type="text/plain"
    )

    assert response.status_code in {400, 405, 413}


# --- the system administrator's pages -----------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "post", [P.SECURITY_ADMIN, P.AUDIT_ADMIN, P.LEADER, P.OFFICER, P.LEGAL_REVIEWER]
)
def test_others_may_not_open_or_publish(published, post):
    client = _client(published.people[post])

    assert client.get(reverse("backoffice:disclosure_setup")).status_code == 403
    assert client.get(reverse("backoffice:disclosure_profile")).status_code == 403
    response = client.post(
        reverse("backoffice:disclosure_list_publish"), {"rows": "a\t重点\tb\tc\td\te\tf\tg"}
    )
    assert response.status_code == 403
    assert ListVersion.objects.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(published):
    response = Client().get(reverse("backoffice:disclosure_setup"))

    assert response.status_code == 302


def test_the_system_administrator_publishes_pasted_rows(published):
    client = _client(published.people[P.SYSTEM_ADMIN])
    lines = "\n".join(
        "\t".join(row[key] for key in ITEMS_V2[0])
        for row in [*ITEMS_V2, {**ITEMS_V1[0], "item": "新事项"}]
    )

    response = client.post(
        reverse("backoffice:disclosure_list_publish"), {"rows": lines, "note": "新增一项"}
    )

    assert response.status_code == 302
    assert ListVersion.objects.order_by("-number").first().rows[-1]["item"] == "新事项"
    assert "新增一项" in Client().get("/inspections/").content.decode()


def test_bad_rows_on_the_page_publish_nothing_and_are_named_in_chinese(published):
    client = _client(published.people[P.SYSTEM_ADMIN])

    response = client.post(
        reverse("backoffice:disclosure_list_publish"),
        {
            "rows": "甲\t特别\t对象\t依据\t主体\t内容\t方式\t频次\n"
            "乙\t一般\t\t依据\t主体\t\t方式\t频次"
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "第 1 行，类别" in html
    assert "第 2 行，检查对象：必须填写" in html
    assert ListVersion.objects.count() == 2


def test_a_workbook_upload_publishes_a_version(published):
    client = _client(published.people[P.SYSTEM_ADMIN])
    workbook = io.BytesIO(list_xlsx(ListVersion.objects.get(number=1)))
    workbook.name = "list.xlsx"

    response = client.post(reverse("backoffice:disclosure_list_publish"), {"workbook": workbook})

    assert response.status_code == 302
    assert ListVersion.objects.get(number=3).rows == ITEMS_V1


@pytest.mark.parametrize(
    "data",
    [
        {"rows": "甲\x00\t重点"},
        {"note": "x" * 201, "rows": "a"},
        {"rows": "x" * 200_001},
        {"workbook": io.BytesIO(b"not a workbook")},
    ],
)
def test_bad_input_on_the_publish_page_is_a_400(published, data):
    client = _client(published.people[P.SYSTEM_ADMIN])
    if "workbook" in data:
        data["workbook"].name = "list.xlsx"

    response = client.post(reverse("backoffice:disclosure_list_publish"), data)

    assert response.status_code == 400
    assert ListVersion.objects.count() == 2


def test_the_profile_page_checks_the_credit_code(published):
    client = _client(published.people[P.SYSTEM_ADMIN])
    wrong = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")

    response = client.post(
        reverse("backoffice:disclosure_profile"), {"name": "测试局", "credit_code": wrong}
    )

    assert response.status_code == 400
    assert "校验" in response.content.decode() or "统一社会信用代码" in response.content.decode()
    assert BureauProfile.objects.get().credit_code == CODE


def test_the_profile_page_saves(published):
    client = _client(published.people[P.SYSTEM_ADMIN])

    response = client.post(
        reverse("backoffice:disclosure_profile"),
        {"name": "新名称局", "credit_code": CODE, "hours": "工作日"},
    )

    assert response.status_code == 302
    assert BureauProfile.objects.get().name == "新名称局"
    assert "新名称局" in Client().get("/bureau/").content.decode()


def test_the_setup_pages_are_in_the_system_administrators_menu(published):
    html = _client(published.people[P.SYSTEM_ADMIN]).get(reverse("backoffice:home")).content
    other = _client(published.people[P.LEADER]).get(reverse("backoffice:home")).content

    url = reverse("backoffice:disclosure_setup").encode()
    assert url in html
    assert url not in other
    setup = _client(published.people[P.SYSTEM_ADMIN]).get(url.decode()).content.decode()
    assert problems(setup, english_phrases(), raw_choice_values()) == []


def _queries(url: str) -> int:
    client = Client()
    client.get(url)  # sessions, caches and the like settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_do_not_query_per_row(published):
    before = {url: _queries(url) for url in ("/powers/", "/bureau/", "/inspections/")}
    items = [i for i in items_from_json() if i.grades][:3]
    catalogue_save(
        items=[dataclasses.replace(i, code=f"ZZ-{n:03d}") for n, i in enumerate(items)],
        actor=None,
        source="test",
    )
    list_version_publish(
        kind=KIND,
        rows=[*ITEMS_V2, *({**ITEMS_V1[0], "item": f"事项{n}"} for n in range(20))],
        note="",
        actor=published.people[P.SYSTEM_ADMIN],
        now=at(2026, 10, 25, 9),
    )

    assert {url: _queries(url) for url in before} == before
