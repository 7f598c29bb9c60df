"""The command centre's map: who may open it, the points it draws (filtered, scoped,
capped), one report's popup, the grids' open load, and bad filter values answered 400."""

import datetime
import json
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory
from tests.reports.helpers import INSIDE, submit
from yangguang.org.enums import PostCode
from yangguang.reports.enums import DeadlineState, Status
from yangguang.reports.models import Report

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)
JSON_URLS = ["backoffice:command_map_reports", "backoffice:command_map_grids"]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def as_(client, user):
    client.force_login(user)
    return client


def points(client, **query):
    response = client.get(reverse("backoffice:command_map_reports"), query)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("post", [PostCode.SHIFT_LEAD, PostCode.DISPATCHER, PostCode.LEADER])
def test_the_command_centre_posts_open_the_map(client, city, clock, post):
    response = as_(client, city.people[post]).get(reverse("backoffice:command_map"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="command-map"' in page
    assert reverse("backoffice:command_map_reports") in page
    assert "leaflet.markercluster.js" in page
    assert "leaflet-heat.js" in page
    # No tile server in the tests: the demo's offline base layer is drawn instead.
    assert "demo-base-layer" in page
    assert reverse("backoffice:command_map") in page  # the menu entry


@pytest.mark.parametrize("post", [PostCode.OFFICER, PostCode.HANDLER, PostCode.AUDIT_ADMIN])
def test_other_posts_are_refused_everywhere(client, city, clock, post):
    report, _token = submit(city)
    user = as_(client, city.people[post])
    assert user.get(reverse("backoffice:command_map")).status_code == 403
    for name in JSON_URLS:
        assert user.get(reverse(name)).status_code == 403
    url = reverse("backoffice:command_map_report", args=[report.pk])
    assert user.get(url).status_code == 403


@pytest.mark.parametrize("name", ["backoffice:command_map", *JSON_URLS])
def test_the_map_needs_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:login"))


def test_points_are_the_visible_reports_with_a_place_newest_first(client, city, clock):
    older, _ = submit(city)
    newer, _ = submit(city, longitude=INSIDE["longitude"] + 0.0001)
    submit(city, longitude=None, latitude=None, address="不知在哪")
    Report.objects.filter(pk=older.pk).update(created_at=NOW - datetime.timedelta(days=3))
    body = points(as_(client, city.people[PostCode.SHIFT_LEAD]))
    assert body["count"] == 2
    assert body["truncated"] is False
    assert [point[0] for point in body["points"]] == [newer.pk, older.pk]
    _pk, lat, lon, status, light = body["points"][0]
    assert (lat, lon) == (round(newer.latitude, 6), round(newer.longitude, 6))
    assert (status, light) == (Status.SUBMITTED, DeadlineState.NORMAL)


def test_points_filter_by_state_light_category_and_days(client, city, clock):
    first, _ = submit(city)
    second, _ = submit(city)
    closed, _ = submit(city)
    Report.objects.filter(pk=second.pk).update(
        deadline_state=DeadlineState.OVERDUE, created_at=NOW - datetime.timedelta(days=10)
    )
    Report.objects.filter(pk=closed.pk).update(status=Status.VOID)
    user = as_(client, city.people[PostCode.DISPATCHER])

    def ids(**query):
        return {point[0] for point in points(user, **query)["points"]}

    assert ids() == {first.pk, second.pk, closed.pk}
    assert ids(state="open") == {first.pk, second.pk}
    assert ids(state="overdue") == {second.pk}
    assert ids(state="void") == {closed.pk}
    assert ids(category=city.lamp.code) == {first.pk, second.pk, closed.pk}
    assert ids(category=f"component:{city.lamp.major_code}") == {first.pk, second.pk, closed.pk}
    assert ids(category="event:01") == set()
    assert ids(category="99999") == set()
    assert ids(since="2026-11-20") == {first.pk, closed.pk}
    assert ids(until="2026-11-20") == {second.pk}
    assert ids(since="2026-11-13", until="2026-11-13") == {second.pk}
    # A finished report has no light on the map.
    (point,) = points(user, state="void")["points"]
    assert point[3:] == [Status.VOID, ""]


def test_points_stop_at_the_cap_and_say_so(client, city, clock, settings):
    settings.MAP_POINTS_MAX = 2
    made = [submit(city)[0] for _ in range(3)]
    for number, report in enumerate(made):
        Report.objects.filter(pk=report.pk).update(
            created_at=NOW - datetime.timedelta(hours=3 - number)
        )
    body = points(as_(client, city.people[PostCode.SHIFT_LEAD]))
    assert body["truncated"] is True
    assert body["count"] == 3
    assert [point[0] for point in body["points"]] == [made[2].pk, made[1].pk]


def test_points_are_scoped_to_the_reader(client, city, clock, org_tree):
    submit(city)
    # A dispatcher of another bureau's tree sees nothing of this one.
    from tests.factories import UnitFactory
    from yangguang.org.enums import UnitKind

    other = UnitFactory(name="别的局", kind=UnitKind.BUREAU)
    stranger = UserFactory(username="stranger", unit=other, posts=[PostCode.DISPATCHER])
    assert points(as_(client, stranger))["points"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"state": "nonsense"}, "state"),
        ({"state": "x" * 500}, "state"),
        ({"category": "٠١٠٣٧"}, "category"),  # Arabic-Indic digits
        ({"category": "０１０３７"}, "category"),  # full-width digits
        ({"category": "bogus:01"}, "category"),
        ({"category": "01037; drop"}, "category"),
        ({"since": "2026-13-01"}, "since"),
        ({"since": "２０２６-11-01"}, "since"),
        ({"since": "99999999-01-01"}, "since"),
        ({"since": "1900-01-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"since": "2026-11-20", "until": "2026-11-01"}, "until"),
    ],
)
def test_bad_filter_values_are_answered_400_with_a_message(client, city, clock, query, field):
    response = as_(client, city.people[PostCode.SHIFT_LEAD]).get(
        reverse("backoffice:command_map_reports"), query
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == field
    assert error["message"]


def test_a_nul_byte_is_refused_not_a_500(client, city, clock):
    user = as_(client, city.people[PostCode.SHIFT_LEAD])
    response = user.get(reverse("backoffice:command_map_reports") + "?state=open%00")
    assert response.status_code == 400
    response = user.get(reverse("backoffice:command_map") + "?category=%00")
    assert response.status_code == 400


def test_the_page_shows_a_bad_filter_instead_of_failing(client, city, clock):
    response = as_(client, city.people[PostCode.SHIFT_LEAD]).get(
        reverse("backoffice:command_map"), {"since": "2026-02-30"}
    )
    assert response.status_code == 200
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_popup_tells_the_report_without_the_reporter(client, city, clock):
    report, _token = submit(city)
    user = as_(client, city.people[PostCode.SHIFT_LEAD])
    response = user.get(reverse("backoffice:command_map_report", args=[report.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_number"] == report.tracking_number
    assert body["category"] == city.lamp.name
    assert body["status"] == Status.SUBMITTED
    assert body["status_label"]
    assert body["light"] == DeadlineState.NORMAL
    assert body["address"] == report.address
    assert body["url"] == reverse("backoffice:report", args=[report.pk])
    text = json.dumps(body, ensure_ascii=False)
    assert "王小明" not in text
    assert "13912345678" not in text
    assert "路灯不亮" not in text  # the reporter's own words stay on the report page


@pytest.mark.parametrize("report_id", ["99999999", "99999999999999999999999999", "٣", "1.5"])
def test_the_popup_of_a_report_that_is_not_there_is_404(client, city, clock, report_id):
    submit(city)
    user = as_(client, city.people[PostCode.SHIFT_LEAD])
    url = reverse("backoffice:command_map_report", args=["0"])
    url = url.replace("0.json", f"{report_id}.json")
    assert user.get(url).status_code == 404


def test_the_popup_is_scoped_to_the_reader(client, city, clock):
    from tests.factories import UnitFactory
    from yangguang.org.enums import UnitKind

    report, _token = submit(city)
    other = UnitFactory(name="别的局", kind=UnitKind.BUREAU)
    stranger = UserFactory(username="stranger", unit=other, posts=[PostCode.DISPATCHER])
    url = reverse("backoffice:command_map_report", args=[report.pk])
    assert as_(client, stranger).get(url).status_code == 404


def test_grids_carry_their_open_load_and_a_link_to_the_list(client, city, clock):
    from yangguang.reports.tally import tallies_rebuild

    submit(city)
    late, _ = submit(city)
    yellow, _ = submit(city)
    done, _ = submit(city)
    Report.objects.filter(pk=late.pk).update(deadline_state=DeadlineState.OVERDUE)
    Report.objects.filter(pk=yellow.pk).update(deadline_state=DeadlineState.WARNING)
    Report.objects.filter(pk=done.pk).update(status=Status.VOID)
    tallies_rebuild()
    response = as_(client, city.people[PostCode.SHIFT_LEAD]).get(
        reverse("backoffice:command_map_grids")
    )
    assert response.status_code == 200
    features = {f["properties"]["code"]: f for f in response.json()["features"]}
    loaded = features["370899001001001"]["properties"]
    assert (loaded["open"], loaded["warning"], loaded["overdue"]) == (3, 1, 1)
    assert loaded["url"] == (
        reverse("backoffice:queue", args=["all"]) + "?grid=370899001001001&measure=open"
    )
    assert loaded["street"]
    assert loaded["community"]
    empty = features["370899001001002"]["properties"]
    assert (empty["open"], empty["warning"], empty["overdue"]) == (0, 0, 0)
    assert features["370899001001001"]["geometry"]["type"] == "Polygon"


def test_the_patrol_layer_needs_the_right_and_the_endpoint(client, city, clock, settings):
    from yangguang.backoffice.map_views import patrol_url

    dispatcher = city.people[PostCode.DISPATCHER]  # not among the position viewers
    assert patrol_url(dispatcher) == ""
    page = as_(client, dispatcher).get(reverse("backoffice:command_map")).content.decode()
    assert 'value="patrol"' not in page
    lead = city.people[PostCode.SHIFT_LEAD]
    positions = reverse("backoffice:patrol_positions_json")
    assert patrol_url(lead) == positions
    page = as_(client, lead).get(reverse("backoffice:command_map")).content.decode()
    assert 'value="patrol"' in page
    assert f'data-patrol-url="{positions}"' in page


def test_without_the_positions_endpoint_the_patrol_layer_is_left_out(city, monkeypatch):
    from yangguang.backoffice import map_views

    monkeypatch.setattr(map_views, "PATROL_POSITIONS", "backoffice:no_such_positions")
    assert map_views.patrol_url(city.people[PostCode.SHIFT_LEAD]) == ""


def test_the_tile_server_replaces_the_base_layer(client, city, clock, settings):
    settings.MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?tk={tk}&x={x}&y={y}&z={z}"
    settings.MAP_TILE_SUBDOMAINS = "01234567"
    settings.MAP_TILE_KEY = "abc123"
    page = (
        as_(client, city.people[PostCode.SHIFT_LEAD])
        .get(reverse("backoffice:command_map"))
        .content.decode()
    )
    assert 'data-tile-subdomains="01234567"' in page
    assert 'data-tile-key="abc123"' in page
    assert 'data-base-layer-url=""' in page


def test_the_shipped_base_layer_is_what_the_generator_makes():
    from yangguang.core.demo_base_layer import OUTPUT, base_layer, render

    shipped = Path(OUTPUT).read_text(encoding="utf-8")
    assert shipped == render(base_layer())


def test_the_base_layer_has_the_shop_street_where_the_shops_are():
    from yangguang.core.demo_base_layer import base_layer
    from yangguang.core.demo_geometry import demo_district
    from yangguang.core.demo_merchants import ROAD, SHOPS, SUB_DISTRICT

    district = demo_district()
    features = base_layer(district)["features"]
    names = {f["properties"]["name"] for f in features}
    assert {ROAD, "和平路", "建设路", "阳光区", SUB_DISTRICT, "朝阳社区"} <= names
    (road,) = [f for f in features if f["properties"]["name"] == ROAD]
    assert road["properties"]["kind"] == "road"
    coordinates = road["geometry"]["coordinates"]
    (west, lat), (east, lat2) = coordinates[0], coordinates[-1]
    assert lat == lat2
    street = next(s for s in district.streets if s.name == SUB_DISTRICT)
    # The shops' centre line (demo_merchants._Street) is the sub-district's centroid's.
    assert abs(lat - street.polygon.centroid.y) < 1e-6
    span = len(SHOPS) // 2 * 14.0 / (111_195 * 0.815)  # about 20 doors in degrees
    assert east - west > span
    for feature in features:
        assert feature["properties"]["kind"] in {
            "district",
            "subdistrict",
            "community",
            "road",
            "street",
        }
        assert len(feature["properties"]["label_at"]) == 2
