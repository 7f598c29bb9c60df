"""Staff sessions end after an idle period and after their absolute lifetime, and the
end is recorded (等保2.0 GB/T 22239-2019 8.1.4.1 b 登录连接超时自动退出; OWASP ASVS
V3.3.2)."""

import datetime

import pytest
from django.urls import reverse

from tests.api.helpers import api_client
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

P = PostCode
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
HOME = reverse("backoffice:home")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def at(clock, **delta) -> None:
    clock.move_to(START + datetime.timedelta(**delta), tick=False)


def test_a_session_idle_for_thirty_minutes_ends(client, personas, clock):
    client.force_login(personas[P.OFFICER])
    assert client.get(HOME).status_code == 200
    at(clock, minutes=29)
    assert client.get(HOME).status_code == 200

    at(clock, minutes=29 + 31)
    response = client.get(HOME)

    assert response.status_code == 302
    assert response.url == f"{reverse('backoffice:login')}?next={HOME}&timeout=1"
    assert client.get(HOME).status_code == 302  # signed out for good
    ended = RecordEntry.objects.get(action="auth.session_expired")
    assert (ended.actor, ended.changes) == (personas[P.OFFICER], {"cause": [None, "idle"]})
    assert ended.reason == "空闲 30 分钟"  # the request's language, Chinese by default


def test_activity_keeps_the_session(client, personas, clock):
    client.force_login(personas[P.OFFICER])
    for step in range(1, 8):
        at(clock, minutes=20 * step)
        assert client.get(HOME).status_code == 200


def test_the_idle_timeout_is_configurable(client, personas, clock, settings):
    settings.IDLE_TIMEOUT_MINUTES = 5
    client.force_login(personas[P.OFFICER])
    client.get(HOME)
    at(clock, minutes=6)
    assert client.get(HOME).status_code == 302


def test_an_active_session_still_ends_at_its_lifetime(client, personas, clock, settings):
    """YANGGUANG_SESSION_SECONDS is an absolute lifetime, counted from the sign-in."""
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client.force_login(personas[P.OFFICER])
    for step in range(1, 20):
        at(clock, minutes=25 * step)  # 7 h 55 min of steady work
        assert client.get(HOME).status_code == 200
    at(clock, hours=8, minutes=5)
    assert client.get(HOME).status_code == 302
    ended = RecordEntry.objects.get(action="auth.session_expired")
    assert ended.changes == {"cause": [None, "lifetime"]}


def test_an_idle_api_session_is_refused_not_redirected(personas, clock):
    client = api_client()
    client.force_login(personas[P.INTAKE])
    assert client.get(reverse("api:report-list")).status_code == 200
    at(clock, minutes=45)
    assert client.get(reverse("api:report-list")).status_code in {401, 403}
