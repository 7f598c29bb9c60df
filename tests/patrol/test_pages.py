"""The duty bar and the positions pages: who may do what, each look recorded, odd input
never a 500. Pages are asked for in English (the language cookie), so asserts read
msgids."""

import datetime
import json

import pytest
from django.conf import settings
from django.urls import reverse

from tests.patrol.helpers import MONDAY, fix
from yangguang.org.enums import PostCode
from yangguang.patrol.models import DutyShift, Position
from yangguang.patrol.services import duty_start, positions_add
from yangguang.records.models import RecordEntry

MINUTE = datetime.timedelta(minutes=1)
NOW = MONDAY + 30 * MINUTE


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def as_(client, city, code):
    client.force_login(city.people[code])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_fixes(client, body):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(reverse("backoffice:duty_positions"), data, content_type="application/json")


@pytest.fixture
def on_duty(city):
    inspector = city.people[PostCode.INSPECTOR]
    shift = duty_start(user=inspector, now=MONDAY)
    positions_add(user=inspector, fixes=[fix(MONDAY + MINUTE), fix(MONDAY + 5 * MINUTE)], now=NOW)
    return shift


# --- The duty bar ----------------------------------------------------------------------


def test_inspector_starts_and_ends_duty_from_the_bar(client, city):
    as_(client, city, PostCode.INSPECTOR)
    home = client.get(reverse("backoffice:home"))
    assert b'id="duty-bar"' in home.content
    patrol = client.get(reverse("backoffice:patrol"))
    assert b'id="duty-bar"' in patrol.content
    bar = client.get(reverse("backoffice:duty_bar"), {"next": "/reports/patrol/"})
    assert b'id="duty-start-form"' in bar.content
    assert b'data-on-duty="0"' in bar.content
    assert b"duty_positions" not in bar.content  # no position address off duty
    response = client.post(reverse("backoffice:duty_start"), {"next": "/reports/patrol/"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/patrol/"
    bar = client.get(reverse("backoffice:duty_bar"))
    assert b'data-on-duty="1"' in bar.content
    assert reverse("backoffice:duty_positions").encode() in bar.content
    assert post_fixes(client, {"fixes": [fix(NOW)]}).json()["accepted"] == 1
    response = client.post(reverse("backoffice:duty_end"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("backoffice:home")
    assert not DutyShift.objects.filter(ended_at__isnull=True).exists()
    refused = post_fixes(client, {"fixes": [fix(NOW)]})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_on_duty"
    assert Position.objects.count() == 1


def test_starting_twice_is_a_message_not_an_error(client, city):
    as_(client, city, PostCode.INSPECTOR)
    client.post(reverse("backoffice:duty_start"))
    response = client.post(reverse("backoffice:duty_start"), follow=True)
    assert response.status_code == 200
    assert b"You are already on duty." in response.content


def test_staff_without_patrol_have_no_bar(client, city):
    as_(client, city, PostCode.DISPATCHER)
    assert b'id="duty-bar"' not in client.get(reverse("backoffice:home")).content
    assert client.get(reverse("backoffice:duty_bar")).status_code == 403
    assert client.post(reverse("backoffice:duty_start")).status_code == 403
    assert post_fixes(client, {"fixes": [fix(NOW)]}).status_code == 403


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"\x00\x00\x00", 400),
        (b"\xff\xfe", 400),
        ("[1, 2]", 400),
        ({"fixes": "x"}, 400),
        ({"fixes": [fix(NOW)] * 51}, 400),
        (b'{"fixes": [{"lon": NaN, "lat": 35.4, "at": 0}]}', 200),
        ({"fixes": [{"lon": 116.6, "lat": 35.4, "at": "\x00"}]}, 200),
        (b"[" * 100000, 413),
    ],
)
def test_odd_position_posts_are_answered_never_a_500(client, city, body, status):
    as_(client, city, PostCode.INSPECTOR)
    client.post(reverse("backoffice:duty_start"))
    response = post_fixes(client, body)
    assert response.status_code == status
    if status == 200:
        assert response.json()["accepted"] == 0
        assert response.json()["rejected"][0]["index"] == 0
    else:
        assert response.json()["error"]["code"]


def test_deep_json_is_refused(client, city):
    as_(client, city, PostCode.INSPECTOR)
    client.post(reverse("backoffice:duty_start"))
    assert post_fixes(client, b"[" * 5000 + b"]" * 5000).status_code == 400


# --- Who is where ------------------------------------------------------------------------


@pytest.mark.parametrize("code", [PostCode.INSPECTOR, PostCode.DISPATCHER, PostCode.AUDIT_ADMIN])
def test_without_view_positions_everything_is_403(client, city, on_duty, code):
    as_(client, city, code)
    for url in (
        reverse("backoffice:patrol_positions"),
        reverse("backoffice:patrol_positions_json"),
        reverse("backoffice:patrol_shift", args=[on_duty.pk]),
        reverse("backoffice:patrol_grid", args=[1]),
    ):
        assert client.get(url).status_code == 403, url
    assert not RecordEntry.objects.filter(action="patrol.positions.view").exists()


def test_shift_lead_sees_who_is_on_duty_and_the_look_is_recorded(client, city, on_duty):
    as_(client, city, PostCode.SHIFT_LEAD)
    page = client.get(reverse("backoffice:patrol_positions"))
    assert page.status_code == 200
    assert "inspector用户" in page.content.decode()
    assert b'id="patrol-markers"' in page.content
    views = RecordEntry.objects.filter(action="patrol.positions.view")
    assert views.count() == 1
    assert views.get().actor_id == city.people[PostCode.SHIFT_LEAD].pk
    client.get(reverse("backoffice:patrol_positions"))
    assert views.count() == 1  # the same look within ten minutes: once


def test_the_json_for_the_command_map(client, city, on_duty):
    as_(client, city, PostCode.LEADER)
    response = client.get(reverse("backoffice:patrol_positions_json"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [row] = response.json()
    assert {"user_id", "name", "post", "lon", "lat", "at", "shift_id", "track_url"} <= set(row)
    assert row["name"] == "inspector用户"
    assert row["shift_id"] == on_duty.pk
    assert row["at"].startswith("2026-11-23T09:05:00")
    assert row["track_url"] == reverse("backoffice:patrol_shift", args=[on_duty.pk])
    assert RecordEntry.objects.filter(
        action="patrol.positions.view", object_type="patrol.onduty"
    ).exists()


def test_the_track_page_and_its_record(client, city, on_duty):
    as_(client, city, PostCode.SQUAD_LEADER)  # same squadron as the inspector
    page = client.get(reverse("backoffice:patrol_shift", args=[on_duty.pk]))
    assert page.status_code == 200
    assert b'id="patrol-track"' in page.content
    entry = RecordEntry.objects.get(action="patrol.positions.view")
    assert entry.object_type == "patrol.dutyshift"
    assert entry.object_id == str(on_duty.pk)
    assert entry.changes["person"] == [None, "inspector用户"]
    assert entry.personal == {"person": "name"}


def test_a_viewer_outside_the_scope_does_not_find_the_shift(client, city, on_duty):
    from tests.factories import UserFactory

    outsider = UserFactory(
        username="leader2", unit=city.org.squadron2, posts=[PostCode.SQUAD_LEADER]
    )
    client.force_login(outsider)
    assert client.get(reverse("backoffice:patrol_shift", args=[on_duty.pk])).status_code == 404
    assert client.get(reverse("backoffice:patrol_positions_json")).json() == []


def test_grid_page_lists_what_the_figures_count(client, city, on_duty):
    from yangguang.grids.models import Grid

    grid = Grid.objects.get(code="370899001001001")
    as_(client, city, PostCode.SHIFT_LEAD)
    page = client.get(reverse("backoffice:patrol_positions"))
    link = reverse("backoffice:patrol_grid", args=[grid.pk])
    assert link.encode() in page.content
    detail = client.get(link, {"from": "2026-11-23", "to": "2026-11-23"})
    assert detail.status_code == 200
    text = detail.content.decode()
    track = reverse("backoffice:patrol_shift", args=[on_duty.pk])
    assert text.count(track) == 3  # one shift, two fixes


@pytest.mark.parametrize(
    "query",
    [
        {"from": "bad"},
        {"from": "2026-11-24", "to": "2026-11-20"},
        {"from": "2025-01-01", "to": "2026-11-23"},
        {"from": "9999-12-31"},
    ],
)
def test_odd_periods_fall_back_to_today_with_a_message(client, city, on_duty, query):
    as_(client, city, PostCode.SHIFT_LEAD)
    page = client.get(reverse("backoffice:patrol_positions"), query)
    assert page.status_code == 200
    assert b'class="error-box"' in page.content


def test_nul_bytes_in_the_period_are_a_bad_request(client, city):
    as_(client, city, PostCode.SHIFT_LEAD)
    page = client.get(reverse("backoffice:patrol_positions"), {"from": "2026-11-23\x00"})
    assert page.status_code == 400  # the project's bad-input guard (bad_input.py)


def test_menu_shows_positions_to_viewers_only(client, city):
    as_(client, city, PostCode.SHIFT_LEAD)
    link = reverse("backoffice:patrol_positions").encode()
    assert link in client.get(reverse("backoffice:home")).content
    as_(client, city, PostCode.INSPECTOR)
    assert link not in client.get(reverse("backoffice:home")).content


def test_the_shift_has_a_record_timeline_for_viewers(client, city, on_duty):
    url = reverse("backoffice:timeline", args=["patrol.dutyshift", on_duty.pk])
    as_(client, city, PostCode.SHIFT_LEAD)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Went on patrol duty" in page.content
    as_(client, city, PostCode.DISPATCHER)
    assert client.get(url).status_code == 404


def test_the_on_duty_list_takes_a_fixed_number_of_queries(client, city, on_duty):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yangguang.patrol.selectors import on_duty as on_duty_now

    viewer = city.people[PostCode.SHIFT_LEAD]
    on_duty_now(viewer)  # the viewer's posts and scope, cached on the user
    with CaptureQueriesContext(connection) as one:
        on_duty_now(viewer)
    for code in (PostCode.OFFICER, PostCode.SQUAD_LEADER):
        person = city.people[code]
        duty_start(user=person, now=MONDAY)
        positions_add(user=person, fixes=[fix(MONDAY + MINUTE)], now=NOW)
    with CaptureQueriesContext(connection) as three:
        rows = on_duty_now(viewer)
    assert len(rows) == 3
    assert all(row.last is not None for row in rows)
    assert len(three) == len(one)


def test_the_audit_administrator_reads_who_looked(client, city, on_duty):
    as_(client, city, PostCode.SHIFT_LEAD)
    client.get(reverse("backoffice:patrol_positions_json"))
    client.get(reverse("backoffice:patrol_shift", args=[on_duty.pk]))
    as_(client, city, PostCode.AUDIT_ADMIN)
    page = client.get(reverse("backoffice:audit"))
    assert page.status_code == 200
    assert page.content.decode().count("Patrol positions viewed") >= 2
