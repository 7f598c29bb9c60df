"""The merchant file: credit codes checked (GB 32100-2015), the default zone in front of
the door, the import all or nothing with every bad row named, the 责任书 and its signature."""

import io
import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from tests.merchants.helpers import DOOR, IN_ZONE, at, credit_code, merchant, shop
from yangguang.grids.geometry import area_m2, geometry_from_geojson
from yangguang.merchants.enums import LetterStatus
from yangguang.merchants.imports import HEADERS, ImportRefused, merchants_import
from yangguang.merchants.models import Merchant, Shop
from yangguang.merchants.services import letter_issue, letter_sign_electronic, merchant_save
from yangguang.merchants.zones import covers, default_zone
from yangguang.notify.models import Message
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db


def test_the_default_zone_is_frontage_by_depth_in_front_of_the_door():
    zone = default_zone(lon=DOOR[0], lat=DOOR[1], frontage_m=6, depth_m=5, facing=180)
    assert area_m2(geometry_from_geojson(zone)) == pytest.approx(30, rel=0.01)
    assert covers(zone, lon=IN_ZONE[0], lat=IN_ZONE[1])
    behind = (DOOR[0], DOOR[1] + 4 / 111_195)  # inside the shop, 4 m north
    assert not covers(zone, lon=behind[0], lat=behind[1])
    east = default_zone(lon=DOOR[0], lat=DOOR[1], frontage_m=6, depth_m=5, facing=90)
    three_m_east = (DOOR[0] + 3 / (111_195 * math.cos(math.radians(DOOR[1]))), DOOR[1])
    assert covers(east, lon=three_m_east[0], lat=three_m_east[1])
    assert not covers(zone, lon=three_m_east[0] + 0.00002, lat=three_m_east[1])


def test_a_wrong_credit_code_and_a_landline_are_refused_by_field(city):
    with pytest.raises(ValidationError) as refused:
        merchant(city, credit_code=credit_code()[:-1] + "0", phone="0537-1234567")
    errors = refused.value.message_dict
    assert "check character" in errors["credit_code"][0]
    assert "mobile" in errors["phone"][0]
    merchant(city)
    with pytest.raises(ValidationError, match="on file already"):
        merchant(city)


def test_full_width_digits_are_read_and_a_handling_unit_cannot_keep_the_file(city):
    owner = merchant(city, phone="１３９１２３４００８８")
    assert owner.phone == "13912340088"
    with pytest.raises(PermissionDenied):
        merchant_save(fields={}, actor=city.people[PostCode.HANDLER])


def test_a_drawn_zone_must_be_a_shop_front_not_a_district(city):
    lon, lat = DOOR
    huge = {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat]]],
    }
    with pytest.raises(ValidationError) as refused:
        shop(city, merchant(city), zone=huge)
    assert "too large" in refused.value.message_dict["zone"][0]


def workbook(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def row(n: int, **changes) -> list:
    values = {
        "统一社会信用代码": credit_code(n),
        "名称": f"示例商店{n}",
        "经营者": "李四",
        "手机": f"1380000{n:04d}",
        "注册地址": "示例路",
        "经营类别": "零售",
        "许可证": "食品经营许可证:JY1370800000001:2027-06-30",
        "招牌名": f"示例{n}号",
        "店铺地址": f"东街{n}号",
        "街道": "东街",
        "经度": DOOR[0],
        "纬度": DOOR[1],
        "门面宽度(米)": 6,
        "朝向(度)": 180,
        **changes,
    }
    return [values[h] for h in HEADERS]


def test_import_of_merchants_is_all_or_nothing_and_names_every_bad_row(city):
    inspector = city.people[PostCode.INSPECTOR]
    bad = workbook(
        [
            row(1),
            row(2, 统一社会信用代码="91370800MA3C00000X"),
            row(3, 手机="12345"),
            row(4, 经度="abc"),
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        merchants_import(upload=bad, actor=inspector, now=at(2026, 3, 1))
    problems = refused.value.problems
    assert any(p.startswith("Row 3, 统一社会信用代码") for p in problems)
    assert any(p.startswith("Row 4, 手机") for p in problems)
    assert any(p.startswith("Row 5, 经度") for p in problems)
    assert not Merchant.objects.exists()
    assert not Shop.objects.exists()

    good = workbook([row(1), row(1, 招牌名="示例1号二店", 店铺地址="东街1号之二"), row(2)])
    assert merchants_import(upload=good, actor=inspector, now=at(2026, 3, 1)) == (2, 3)
    first = Merchant.objects.get(credit_code=credit_code(1))
    assert first.shops.count() == 2
    assert first.licences[0]["valid_until"] == "2027-06-30"


def test_import_refuses_a_file_that_is_not_a_workbook_or_lacks_columns(city):
    inspector = city.people[PostCode.INSPECTOR]
    with pytest.raises(ImportRefused, match="not a readable"):
        merchants_import(upload=io.BytesIO(b"\x00" * 100), actor=inspector)
    book = Workbook()
    book.active.append(["名称"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(ImportRefused, match="Missing columns"):
        merchants_import(upload=out, actor=inspector)


def test_a_letter_writes_the_zone_and_duties_texts_a_link_and_is_signed_once(city):
    owner = merchant(city)
    front = shop(city, owner, frontage_m=Decimal("8"))
    letter = letter_issue(shop=front, actor=city.people[PostCode.INSPECTOR], now=at(2026, 3, 2, 9))
    assert letter.number == "门前三包〔2026〕第1号"
    assert [d["name"] for d in letter.duties] == ["市容整洁", "环境卫生", "设施、绿化整洁"]
    sms = Message.objects.get(purpose="merchant_link")
    assert sms.phone == owner.phone
    assert "/merchant/" in sms.secret_body
    letter_sign_electronic(letter=letter, phone=owner.phone, now=at(2026, 3, 2, 10))
    letter.refresh_from_db()
    assert (letter.status, letter.signed_at) == (LetterStatus.SIGNED, at(2026, 3, 2, 10))
    with pytest.raises(ValidationError):
        letter_sign_electronic(letter=letter, phone=owner.phone)
    newer = letter_issue(shop=front, actor=city.people[PostCode.INSPECTOR], now=at(2026, 4, 1, 9))
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SUPERSEDED
    assert newer.number.endswith("第2号")
