"""Helpers for the merchant and credit tests: a merchant on file with a shop in the
``city`` fixture's first grid, and a point in that shop's zone."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tests.grids.test_import import ORIGIN_LAT, ORIGIN_LON, STEP_LAT, STEP_LON
from yangguang.cases.identity import generate_credit_code
from yangguang.merchants.services import ShopFields, merchant_save, shop_register
from yangguang.org.enums import PostCode

SH = ZoneInfo("Asia/Shanghai")
# The door of the first shop: the middle of the city's first grid.
DOOR = (ORIGIN_LON + STEP_LON / 2, ORIGIN_LAT + STEP_LAT / 2)
# 2 m south of the door: in a zone facing south (the default), 5 m deep.
IN_ZONE = (DOOR[0], DOOR[1] - 2 / 111_195)
FAR = (ORIGIN_LON + STEP_LON / 5, ORIGIN_LAT + STEP_LAT / 5)


def at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SH)


def credit_code(n: int = 1) -> str:
    return generate_credit_code("9", "2", "370811", f"MA3C{n:04d}")


def merchant(city, *, n: int = 1, now=None, **overrides):
    fields = {
        "credit_code": credit_code(n),
        "name": f"任城区老张小吃店{n}",
        "operator_name": "张三丰",
        "phone": f"1391234{n:04d}",
        "address": "阳光市东街道一号",
        "business_type": "餐饮",
        **overrides,
    }
    return merchant_save(
        fields=fields, actor=city.people[PostCode.INSPECTOR], now=now or at(2026, 3, 1, 9)
    )


def shop(city, owner, *, lon=None, lat=None, now=None, **overrides):
    lon = DOOR[0] if lon is None else lon
    lat = DOOR[1] if lat is None else lat
    values = {
        "trade_name": "老张小吃",
        "address": "东街道一号",
        "street_name": "东街",
        "longitude": lon,
        "latitude": lat,
        "frontage_m": Decimal("6"),
        **overrides,
    }
    return shop_register(
        merchant=owner,
        data=ShopFields(**values),
        actor=city.people[PostCode.INSPECTOR],
        now=now or at(2026, 3, 1, 9),
    )
