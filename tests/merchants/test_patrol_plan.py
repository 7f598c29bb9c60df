"""重点巡查: how often a shop is inspected follows its merchant's grade — the active
scheme's patrols a month (default A 1, B 2, C 4, D 8)."""

import pytest

from tests.merchants.helpers import at, merchant, shop
from tests.merchants.test_repair_and_rectification import failed_inspection
from yangguang.credit.enums import EventKind
from yangguang.credit.events import event_record
from yangguang.credit.selectors import active_rules
from yangguang.merchants.selectors import patrol_plan
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db


def test_a_shop_is_due_by_its_grades_interval_and_at_once_if_never_inspected(city):
    good = shop(city, merchant(city, n=1), trade_name="好店")
    poor_owner = merchant(city, n=2)
    poor = shop(city, poor_owner, trade_name="差店", longitude=good.longitude + 0.001)
    event_record(
        merchant=poor_owner,
        kind=EventKind.PENALTY_DECIDED,
        severity="grave",
        source=poor,
        reason="处罚",
        occurred_at=at(2026, 11, 1),
        now=at(2026, 11, 1),
    )  # 700 points: C, four inspections a month
    _scheme, rules = active_rules()
    plan = patrol_plan(today=at(2026, 11, 2).date(), rules=rules)
    assert [(item.shop, item.grade) for item in plan] == [(good, "A"), (poor, "C")]

    for front in (good, poor):
        failed_inspection(city, front, now=at(2026, 11, 2, 10))
    assert patrol_plan(today=at(2026, 11, 8).date(), rules=rules) == []
    assert [i.shop for i in patrol_plan(today=at(2026, 11, 9).date(), rules=rules)] == [poor]
    later = patrol_plan(today=at(2026, 12, 2).date(), rules=rules)
    assert [(i.shop, i.due_on.isoformat()) for i in later] == [
        (poor, "2026-11-09"),
        (good, "2026-12-02"),
    ]


def test_the_plan_page_lists_the_due_shops_for_the_patrol(client, city):
    front = shop(city, merchant(city), trade_name="老张小吃")
    client.force_login(city.people[PostCode.INSPECTOR])
    page = client.get("/staff/merchants/patrol-plan/?street=%E4%B8%9C%E8%A1%97").content.decode()
    assert "老张小吃" in page
    assert f"/staff/shops/{front.pk}/inspect/" in page
    assert client.get("/staff/merchants/patrol-plan/?street=%00").status_code in (200, 400)
    client.force_login(city.people[PostCode.SYSTEM_ADMIN])
    assert client.get("/staff/merchants/patrol-plan/").status_code == 403
