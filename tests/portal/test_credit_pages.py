"""The public credit pages: the active scheme's criteria as published, and the red and
black lists by trade name and street — no operator's name or phone."""

import pytest

from tests.merchants.helpers import at, merchant, shop
from yangguang.credit.enums import EventKind
from yangguang.credit.events import event_record

pytestmark = pytest.mark.django_db


def test_the_criteria_page_publishes_grades_points_lists_and_repair_periods(client):
    page = client.get("/credit/").content.decode()
    for text in ("A 诚信", "≥ 950", "D 失信", "+100", "-300", "0家店铺", "满3个月"):
        assert text in page, text


def test_the_black_list_names_the_shop_not_the_operator_and_the_red_list_the_clean_ones(city):
    from django.test import Client

    clean = shop(city, merchant(city, n=1), trade_name="清白小吃")
    owner = merchant(city, n=2, operator_name="王五六", phone="13955556666")
    dirty = shop(city, owner, trade_name="违规烧烤", longitude=clean.longitude + 0.001)
    event_record(
        merchant=owner,
        kind=EventKind.PENALTY_DECIDED,
        severity="grave",
        source=dirty,
        reason="处罚",
        occurred_at=at(2026, 9, 30),
        now=at(2026, 9, 30),
    )
    client = Client()
    black = client.get("/credit/black/").content.decode()
    red = client.get("/credit/red/").content.decode()
    assert "违规烧烤" in black
    assert "清白小吃" not in black
    assert "清白小吃" in red
    assert f"/shops/{dirty.board_token}/" in black
    for page in (black, red):
        assert "王五六" not in page
        assert "13955556666" not in page
        assert owner.credit_code not in page


@pytest.mark.parametrize("path", ["/credit/grey/", "/credit/red/?page=%00", "/credit/red/?page=９"])
def test_odd_addresses_are_refused_or_the_first_page_never_an_error(client, path):
    assert client.get(path).status_code in (200, 400, 404)
