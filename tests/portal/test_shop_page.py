"""The shop's public page behind its board's QR code (一铺一码): the shop, zone, duties,
grade, 文明商家 titles and recent inspections; never the operator, a phone or an
inspector; 404 for anything but an open shop's code; a "report a problem here" link
that fills in the report form; a bounded number of queries however long the history."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.browser.conftest import PHONE, browser  # noqa: F401 — the phone-sized browser
from tests.merchants.helpers import at, merchant, shop
from tests.reports.helpers import photo
from yangguang.cases.identity import generate_credit_code
from yangguang.credit.enums import EventKind
from yangguang.credit.events import event_record
from yangguang.disclosure.models import BureauProfile
from yangguang.merchants.inspections import Finding, inspection_record
from yangguang.merchants.models import Campaign, CampaignEntry
from yangguang.merchants.services import shop_close, shop_zone_set
from yangguang.merchants.zones import covers, default_zone
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db
OPERATOR, OPERATOR_PHONE = "张三丰", "13912340001"


@pytest.fixture
def front(city):
    BureauProfile.objects.create(pk=1, name="阳光市城市管理局", phone="0537-1234567")
    return shop(city, merchant(city, n=1), trade_name="老张小吃", address="东街道一号")


def page(client, token: str):
    return client.get(reverse("portal:shop", args=[token]))


def inspect(city, front, *, now, passed=True):
    first = (
        Finding("appearance", "无店外经营、占道经营", True)
        if passed
        else Finding("appearance", "无店外经营、占道经营", False, "门前摆放桌椅", [photo()])
    )
    return inspection_record(
        shop=front,
        findings=[
            first,
            Finding("sanitation", "地面无垃圾、污水、污迹", True),
            Finding("facilities", "公共设施完好、无占用", True),
        ],
        actor=city.people[PostCode.INSPECTOR],
        now=now,
    )


def test_the_page_shows_the_shop_zone_duties_grade_and_grid(client, front):
    response = page(client, front.board_token)

    assert response.status_code == 200
    html = response.content.decode()
    assert "老张小吃" in html
    assert "东街道一号" in html
    assert "A 诚信" in html  # 1,000 points under the active scheme's bands
    assert "370899001001001" in html
    assert "第一中队" in html
    assert "0537-1234567" in html
    for duty in front.duties.all():
        assert duty.name in html
        assert duty.description in html
    assert 'id="shop-zone"' in html  # the zone for the map
    assert "leaflet/leaflet.js" in html
    assert "<script>" not in html  # no inline script (CSP): the map's script is a file


def test_the_page_never_shows_the_operator_a_phone_or_a_sole_traders_registered_name(client, front):
    html = page(client, front.board_token).content.decode()

    assert front.merchant.operator_name == OPERATOR
    assert front.merchant.phone == OPERATOR_PHONE
    assert OPERATOR not in html
    assert OPERATOR_PHONE not in html
    assert front.merchant.name not in html  # 个体工商户: often the operator's own name
    assert front.merchant.credit_code not in html


def test_an_organisations_registered_name_is_shown(client, city, front):
    company = merchant(
        city,
        n=2,
        credit_code=generate_credit_code("9", "1", "370811", "MA3C0002"),
        name="阳光餐饮管理有限公司",
    )
    branch = shop(city, company, trade_name="阳光餐厅", address="东街道五号")

    html = page(client, branch.board_token).content.decode()

    assert "阳光餐饮管理有限公司" in html
    assert OPERATOR not in html


def test_recent_inspections_show_the_day_and_each_dutys_result_and_no_inspector_or_note(
    client, city, front
):
    inspect(city, front, now=at(2026, 3, 10, 10))
    inspect(city, front, now=at(2026, 4, 14, 10), passed=False)

    html = page(client, front.board_token).content.decode()

    assert html.index('datetime="2026-04-14"') < html.index('datetime="2026-03-10"')
    assert "✗" in html
    inspector = city.people[PostCode.INSPECTOR]
    for private in ("门前摆放桌椅", inspector.name, inspector.phone, inspector.username):
        assert private not in html, private


def test_civilised_titles_are_listed_newest_first(client, city, front):
    campaign = Campaign.objects.create(
        name="2026年文明商家评选",
        kind="civilised",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 5, 31),
        criteria=[{"item": "门前整洁", "max_points": 100}],
        weight_inspectors=100,
        weight_streets=0,
        weight_public=0,
        title="2026年度东街文明商家",
        created_at=at(2026, 3, 1, 9),
    )
    entry = CampaignEntry.objects.create(campaign=campaign, shop=front, awarded=True)
    for source, when, reason in (
        (front, at(2025, 12, 20, 10), "2025年度文明商家"),
        (entry, at(2026, 6, 10, 10), "Title awarded"),
    ):
        event_record(
            merchant=front.merchant,
            shop=front,
            kind=EventKind.CIVILISED_TITLE,
            source=source,
            reason=reason,
            occurred_at=when,
            now=when,
        )

    html = page(client, front.board_token).content.decode()

    assert html.index("2026年度东街文明商家") < html.index("2025年度文明商家")


@pytest.mark.parametrize(
    "token",
    ["unknown0000", "x" * 200, "abc\x00def", "ａｂｃ", "..", "a b", "%2F"],
)
def test_an_unknown_or_odd_code_is_not_found(client, front, token):
    assert page(client, token).status_code == 404


def test_a_nul_byte_in_the_address_is_not_found(client, front):
    assert client.get(f"/shops/{front.board_token}%00/").status_code == 404


def test_a_closed_shops_page_is_not_found(client, city, front):
    shop_close(shop=front, actor=city.people[PostCode.INSPECTOR], reason="已停业")
    assert page(client, front.board_token).status_code == 404


def _report_link(html: str) -> str:
    found = re.search(r'<a class="button primary shop-report" href="([^"]+)"', html)
    assert found is not None
    return unescape(found.group(1))


def test_the_report_button_carries_a_point_in_the_zone_and_names_the_shop(client, front):
    link = _report_link(page(client, front.board_token).content.decode())

    parts = urlsplit(link)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert parts.path == reverse("portal:report")
    assert covers(front.zone, lon=float(query["lon"]), lat=float(query["lat"]))
    # A default zone starts at the door: the report is placed there.
    assert abs(float(query["lon"]) - front.longitude) < 1e-6
    assert abs(float(query["lat"]) - front.latitude) < 1e-6
    assert query["address"] == "东街道一号"
    assert "老张小吃" in query["description"]

    form = client.get(link).content.decode()
    assert f'value="{float(query["lat"])}"' in form
    assert f'value="{float(query["lon"])}"' in form
    assert 'value="东街道一号"' in form
    assert "老张小吃" in form


def test_a_drawn_zone_away_from_the_door_takes_the_report_inside_it(client, city, front):
    south = front.latitude - 20 / 111_195  # the zone drawn across the street, 20 m away
    zone = default_zone(lon=front.longitude, lat=south, frontage_m=6, depth_m=5, facing=180)
    shop_zone_set(
        shop=front,
        zone=zone,
        actor=city.people[PostCode.INSPECTOR],
        frontage_m="6",
        depth_m="5",
        facing=180,
        duties=None,
    )
    front.refresh_from_db()

    response = page(client, front.board_token)
    query = parse_qs(urlsplit(_report_link(response.content.decode())).query)

    lon, lat = float(query["lon"][0]), float(query["lat"][0])
    assert covers(front.zone, lon=lon, lat=lat)
    assert not covers(front.zone, lon=front.longitude, lat=front.latitude)
    assert response.context["zone_size"] is None  # "as drawn on the map"


@pytest.mark.parametrize(
    "query",
    [
        {"lon": "１１６.５", "lat": "３５.４"},  # full-width digits
        {"lon": "999", "lat": "35.4"},
        {"lon": "1e3", "lat": "35.4"},
        {"lon": "nan", "lat": "inf"},
        {"lon": "116.5"},
    ],
)
def test_the_report_form_leaves_out_a_position_it_cannot_read(client, city, query):
    response = client.get(reverse("portal:report"), query)

    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_the_report_form_drops_control_characters_and_cuts_long_text(client, city):
    response = client.get(
        reverse("portal:report"),
        {"address": "东街\x07道一号", "description": "门前" * 5000, "lon": "116.5", "lat": "35.4"},
    )

    initial = response.context["form"].initial
    assert initial["address"] == "东街道一号"
    assert len(initial["description"]) == 4000
    assert (initial["longitude"], initial["latitude"]) == (116.5, 35.4)


def test_a_nul_byte_in_a_report_link_is_refused_with_a_message(client, city):
    response = client.get(reverse("portal:report"), {"address": "东街\x00道一号"})
    assert response.status_code == 400


def test_the_page_takes_the_same_few_queries_with_one_or_many_inspections_and_titles(
    client, city, front, django_assert_max_num_queries
):
    inspect(city, front, now=at(2026, 3, 10, 10))
    with django_assert_max_num_queries(10) as few:
        assert page(client, front.board_token).status_code == 200
    for day in range(11, 19):
        inspect(city, front, now=at(2026, 3, day, 10), passed=day % 2 == 0)
    for source, day in ((front.merchant, 20), (front.grid, 21)):
        event_record(
            merchant=front.merchant,
            shop=front,
            kind=EventKind.CIVILISED_TITLE,
            source=source,
            reason=f"称号{day}",
            occurred_at=at(2026, 3, day, 12),
            now=at(2026, 3, day, 12),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(client, front.board_token).content.decode()
    assert "称号21" in html
    assert html.count('class="shop-inspection"') == 5  # the latest five


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_fits_a_phone_and_draws_the_zone(browser, live_server, city):  # noqa: F811
    from selenium.webdriver.common.by import By

    long_name = "老张小吃" * 12 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3  # no place to break
    front = shop(city, merchant(city, n=1), trade_name=long_name[:100], address="东街道一号")
    inspect(city, front, now=at(2026, 3, 10, 10))

    browser.get(f"{live_server.url}{reverse('portal:shop', args=[front.board_token])}")

    assert long_name[:20] in browser.page_source
    width = browser.execute_script("return window.innerWidth")
    assert width == PHONE[0]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    zone = browser.find_elements(By.CSS_SELECTOR, "#shop-map.leaflet-container")
    assert zone  # Leaflet loaded from the site itself and drew the map
    errors = [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
    ]
    assert errors == []  # no script or style refused by the CSP
