"""An 整改 not done by its deadline may go into the report loop as a patrol finding, at
the shop's place, and from there to a case."""

import html
import re

import pytest

from tests.merchants.helpers import at, merchant, shop
from tests.merchants.test_repair_and_rectification import failed_inspection
from yangguang.merchants.inspections import rectifications_expire
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db


def test_an_overdue_rectification_offers_the_patrol_form_filled_with_the_shop(client, city):
    front = shop(city, merchant(city), trade_name="老张小吃")
    failed_inspection(city, front, now=at(2026, 11, 2, 10))
    rectification = front.rectifications.get()
    client.force_login(city.people[PostCode.INSPECTOR])
    page = client.get(f"/staff/rectifications/{rectification.pk}/").content.decode()
    assert "/staff/reports/patrol/?" not in page  # still open: nothing to file

    rectifications_expire(now=at(2026, 11, 6, 0, 1))
    page = client.get(f"/staff/rectifications/{rectification.pk}/").content.decode()
    link = html.unescape(re.search(r'href="(/staff/reports/patrol/\?[^"]+)"', page).group(1))
    form = client.get(link).content.decode()
    assert f'value="{front.latitude}"' in form or f"{front.latitude:.5f}" in form
    assert "老张小吃" in form
    assert "门前摆放桌椅" in form

    client.force_login(city.people[PostCode.LEGAL_REVIEWER])  # may read, may not patrol
    page = client.get(f"/staff/rectifications/{rectification.pk}/").content.decode()
    assert "/staff/reports/patrol/?" not in page


def test_the_patrol_form_leaves_out_what_does_not_fit(client, city):
    client.force_login(city.people[PostCode.INSPECTOR])
    response = client.get("/staff/reports/patrol/?lon=１１６&lat=abc&description=%01x")
    assert response.status_code == 200
    assert "１１６" not in response.content.decode()
