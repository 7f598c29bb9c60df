"""The merchant file's staff pages (一户一档): the list with search and filters, a merchant
with the operator masked by post, adding one, registering a shop on patrol, its zone,
its 责任书, the workbook import; refusals shown, odd input never a 500.

Pages are asked for in English (the language cookie), so the asserts read msgids."""

import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from tests.merchants.helpers import DOOR, at, credit_code, merchant, shop
from tests.reports.helpers import photo
from yangguang.core.privacy import mask_phone
from yangguang.credit.models import CreditScore
from yangguang.merchants.enums import LetterStatus, ShopStatus
from yangguang.merchants.imports import HEADERS
from yangguang.merchants.inspections import Finding, inspection_record
from yangguang.merchants.models import Duty, Merchant, ResponsibilityLetter, Shop
from yangguang.merchants.services import letter_issue
from yangguang.notify.models import Message
from yangguang.org.enums import PostCode

NOW = at(2026, 3, 2, 10)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def as_(client, city, code):
    client.force_login(city.people[code])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _shop_post(**overrides):
    data = {
        "trade_name": "王记面馆",
        "address": "东街道二号",
        "street_name": "东街",
        "longitude": f"{DOOR[0]:.7f}",
        "latitude": f"{DOOR[1]:.7f}",
        "frontage_m": "8",
        "facing": "180",
        "duties": [duty.code for duty in Duty.objects.filter(active=True)],
    }
    data.update(overrides)
    return data


def _merchant_post(**overrides):
    data = {
        "credit_code": credit_code(7),
        "name": "任城区王记面馆",
        "operator_name": "王小明",
        "phone": "13912340007",
        "address": "阳光市东街道二号",
        "business_type": "餐饮",
        "licences": "食品经营许可证:JY13708000000007:2027-06-30",
    }
    data.update(overrides)
    return data


# The list ---------------------------------------------------------------------------------


def test_list_searches_by_name_trade_name_and_credit_code(client, city):
    first = merchant(city, n=1)
    second = merchant(city, n=2, name="任城区李家水果店")
    shop(city, first)
    shop(city, second, trade_name="李家鲜果", street_name="西街")
    client = as_(client, city, PostCode.INSPECTOR)
    url = reverse("backoffice:merchants")

    def found(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [m.pk for m in response.context["page"]]

    assert sorted(found()) == sorted([first.pk, second.pk])
    assert found(q="鲜果") == [second.pk]
    assert found(q="李家水果") == [second.pk]
    assert found(q=second.credit_code.lower()) == [second.pk]
    assert found(street="东街") == [first.pk]
    assert found(street="西街") == [second.pk]


def test_list_filters_by_grade_and_shows_open_rectifications(client, city):
    first = merchant(city, n=1)
    second = merchant(city, n=2)
    CreditScore.objects.filter(merchant=second).update(grade="C", points=700)
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:merchants"), {"grade": "C"}
    )
    assert [m.pk for m in response.context["page"]] == [second.pk]
    assert [m.open_rectifications for m in response.context["page"]] == [0]
    content = response.content.decode()
    assert "C / 700" in content
    assert first.name not in content


def test_list_and_detail_show_open_rectifications_and_inspections(client, city):
    owner = merchant(city)
    front = shop(city, owner)
    inspection_record(
        shop=front,
        findings=[
            Finding(
                duty=duty.code,
                item=duty.checklist[0],
                passed=duty.code != "appearance",
                note="门前摆放桌椅" if duty.code == "appearance" else "",
                photos=[photo("before.jpg")] if duty.code == "appearance" else [],
            )
            for duty in front.duties.all()
        ],
        actor=city.people[PostCode.INSPECTOR],
        now=NOW,
    )
    client = as_(client, city, PostCode.INSPECTOR)
    listed = client.get(reverse("backoffice:merchants"))
    assert [m.open_rectifications for m in listed.context["page"]] == [1]
    detail = client.get(reverse("backoffice:merchant", args=[owner.pk]))
    item = detail.context["shops"][0]
    assert [i.passed for i in item["inspections"]] == [False]
    assert len(item["rectifications"]) == 1
    assert "门前摆放桌椅" in detail.content.decode()


def test_list_masks_the_operator_even_for_those_who_may_reveal(client, city):
    owner = merchant(city)
    content = (
        as_(client, city, PostCode.LEADER).get(reverse("backoffice:merchants")).content.decode()
    )
    assert mask_phone(owner.phone) in content
    assert owner.phone not in content
    assert owner.operator_name not in content


def test_list_query_count_does_not_grow_with_rows(client, city):
    client = as_(client, city, PostCode.INSPECTOR)
    owner = merchant(city, n=1)
    shop(city, owner)
    client.get(reverse("backoffice:merchants"))  # warm up the session and menu
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("backoffice:merchants"))
    for n in (2, 3):
        shop(city, merchant(city, n=n), trade_name=f"小店{n}")
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("backoffice:merchants"))
    assert len(response.context["page"]) == 3
    assert len(three) == len(one)


def test_list_pages_by_fifty(client, city):
    for n in range(1, 53):
        merchant(city, n=n)
    client = as_(client, city, PostCode.INSPECTOR)
    second = client.get(reverse("backoffice:merchants"), {"page": "2"})
    assert len(second.context["page"]) == 2


def test_administrators_have_no_merchant_pages(client, city):
    merchant(city)
    response = as_(client, city, PostCode.SYSTEM_ADMIN).get(reverse("backoffice:merchants"))
    assert response.status_code == 403


# A merchant -------------------------------------------------------------------------------


def test_add_merchant_saves_it_with_its_licences(client, city):
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:merchant_new"), _merchant_post()
    )
    added = Merchant.objects.get(credit_code=credit_code(7))
    assert response.status_code == 302
    assert response.url == reverse("backoffice:merchant", args=[added.pk])
    assert added.licences == [
        {"kind": "食品经营许可证", "number": "JY13708000000007", "valid_until": "2027-06-30"}
    ]


def test_add_merchant_with_a_wrong_check_character_names_it(client, city):
    good = credit_code(7)
    wrong = good[:17] + ("1" if good[17] != "1" else "2")
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:merchant_new"), _merchant_post(credit_code=wrong)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["credit_code"] == [
        f"The check character of this unified social credit code is wrong: expected {good[17]}."
    ]
    assert list(response.context["form"].errors) == ["credit_code"]
    assert not Merchant.objects.exists()


def test_operator_is_masked_for_an_inspector(client, city):
    owner = merchant(city)
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:merchant", args=[owner.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert (response.context["operator"], response.context["phone"]) == (
        "张*丰",
        mask_phone(owner.phone),
    )
    assert owner.phone not in content
    assert owner.operator_name not in content


@pytest.mark.parametrize("post", [PostCode.LEGAL_REVIEWER, PostCode.LEADER])
def test_operator_is_shown_to_those_who_may_reveal_personal_data(client, city, post):
    owner = merchant(city)
    content = (
        as_(client, city, post).get(reverse("backoffice:merchant", args=[owner.pk])).content
    ).decode()
    assert owner.phone in content
    assert owner.operator_name in content


def test_detail_shows_shops_zone_letter_and_score(client, city):
    owner = merchant(city)
    front = shop(city, owner)
    letter = letter_issue(shop=front, actor=city.people[PostCode.INSPECTOR], now=NOW)
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:merchant", args=[owner.pk])
    )
    content = response.content.decode()
    assert [item["shop"].pk for item in response.context["shops"]] == [front.pk]
    assert response.context["shops"][0]["letter"] == letter
    assert letter.number in content
    assert front.board_token in content
    assert f'id="zone-{front.pk}"' in content  # the zone's GeoJSON for the map
    assert response.context["score"].points == CreditScore.objects.get(merchant=owner).points


def test_edit_by_an_inspector_keeps_the_masked_operator(client, city):
    owner = merchant(city)
    client = as_(client, city, PostCode.INSPECTOR)
    form = client.get(reverse("backoffice:merchant_edit", args=[owner.pk])).context["form"]
    assert (form.initial["operator_name"], form.initial["phone"]) == ("", "")
    response = client.post(
        reverse("backoffice:merchant_edit", args=[owner.pk]),
        _merchant_post(
            credit_code=owner.credit_code, operator_name="", phone="", business_type="小吃"
        ),
    )
    owner.refresh_from_db()
    assert response.status_code == 302
    assert (owner.business_type, owner.operator_name, owner.phone) == (
        "小吃",
        "张三丰",
        "13912340001",
    )


# Shops ------------------------------------------------------------------------------------


def test_patrol_registers_a_shop_with_a_photo_of_the_front(client, city):
    owner = merchant(city)
    client = as_(client, city, PostCode.INSPECTOR)
    page = client.get(reverse("backoffice:shop_new", args=[owner.pk]))
    assert 'capture="environment"' in page.content.decode()
    response = client.post(
        reverse("backoffice:shop_new", args=[owner.pk]),
        {**_shop_post(), "front_photo": photo("front.jpg")},
    )
    added = Shop.objects.get(merchant=owner)
    assert response.status_code == 302
    assert (added.trade_name, added.frontage_m, added.grid.code) == (
        "王记面馆",
        8,
        "370899001001001",
    )
    assert len(added.front_photo) == 64
    assert added.duties.count() == Duty.objects.filter(active=True).count()


def test_registration_reads_full_width_digits(client, city):
    owner = merchant(city)
    wide = f"{DOOR[0]:.6f}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_new", args=[owner.pk]), _shop_post(longitude=wide)
    )
    assert response.status_code == 302
    assert Shop.objects.get(merchant=owner).longitude == pytest.approx(DOOR[0], abs=1e-6)


def test_registration_without_a_position_says_so(client, city):
    owner = merchant(city)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_new", args=[owner.pk]), _shop_post(longitude="east")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["longitude"] == ["Pick the place on the map."]
    assert not Shop.objects.exists()


def test_handler_cannot_register_a_shop(client, city):
    owner = merchant(city)
    response = as_(client, city, PostCode.HANDLER).post(
        reverse("backoffice:shop_new", args=[owner.pk]), _shop_post()
    )
    assert response.status_code == 403
    assert "Your posts do not allow this." in response.content.decode()
    assert not Shop.objects.exists()


def test_zone_change_sets_frontage_depth_facing_and_duties(client, city):
    front = shop(city, merchant(city))
    first_duty = Duty.objects.filter(active=True).first()
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_zone", args=[front.pk]),
        {
            "frontage_m": "10",
            "depth_m": "3",
            "facing": "90",
            "zone": "",
            "duties": [first_duty.code],
        },
    )
    front.refresh_from_db()
    assert response.status_code == 302
    assert (front.frontage_m, front.depth_m, front.facing, front.zone_drawn) == (10, 3, 90, False)
    assert list(front.duties.all()) == [first_duty]


def test_zone_drawn_on_the_map_is_kept(client, city):
    front = shop(city, merchant(city))
    lon, lat = DOOR
    d = 0.00003
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat - d], [lon, lat - d], [lon, lat]]
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_zone", args=[front.pk]),
        {
            "frontage_m": "6",
            "depth_m": "5",
            "facing": "180",
            "zone": json.dumps({"type": "Polygon", "coordinates": [ring]}),
            "duties": [d.code for d in front.duties.all()],
        },
    )
    front.refresh_from_db()
    assert response.status_code == 302
    assert front.zone_drawn is True
    assert front.zone["type"] == "Polygon"


@pytest.mark.parametrize("zone", ["[[[", '{"type": "Polygon"}', "x\x00", "[" * 5000])
def test_a_bad_zone_is_refused_with_a_message(client, city, zone):
    front = shop(city, merchant(city))
    before = front.zone
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_zone", args=[front.pk]),
        {
            "frontage_m": "6",
            "depth_m": "5",
            "facing": "180",
            "zone": zone,
            "duties": [d.code for d in front.duties.all()],
        },
    )
    front.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["zone_form"].errors) == ["zone"]
    assert front.zone == before


def test_close_the_shop_with_a_reason(client, city):
    front = shop(city, merchant(city))
    client = as_(client, city, PostCode.INSPECTOR)
    empty = client.post(reverse("backoffice:shop_close", args=[front.pk]), {"reason": ""})
    assert empty.status_code == 400
    response = client.post(reverse("backoffice:shop_close", args=[front.pk]), {"reason": "停业"})
    front.refresh_from_db()
    assert response.status_code == 302
    assert front.status == ShopStatus.CLOSED


# 责任书 ------------------------------------------------------------------------------------


def test_issuing_a_letter_texts_the_merchant(client, city):
    owner = merchant(city)
    front = shop(city, owner)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_letter", args=[front.pk]), {"step": "issue"}
    )
    letter = ResponsibilityLetter.objects.get(shop=front)
    assert response.status_code == 302
    assert letter.status == LetterStatus.ISSUED
    assert list(
        Message.objects.filter(phone=owner.phone, purpose="merchant_link").values_list(
            "phone", flat=True
        )
    ) == [owner.phone]


def test_paper_scan_signs_the_letter(client, city):
    front = shop(city, merchant(city))
    letter = letter_issue(shop=front, actor=city.people[PostCode.INSPECTOR], now=NOW)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_letter", args=[front.pk]),
        {"step": "scan", "scan": photo("scan.jpg")},
    )
    letter.refresh_from_db()
    assert response.status_code == 302
    assert (letter.status, len(letter.scan)) == (LetterStatus.SIGNED, 64)


def test_handler_cannot_issue_a_letter(client, city):
    front = shop(city, merchant(city))
    response = as_(client, city, PostCode.HANDLER).post(
        reverse("backoffice:shop_letter", args=[front.pk]), {"step": "issue"}
    )
    assert response.status_code == 403
    assert "Your posts do not allow this." in response.content.decode()
    assert not ResponsibilityLetter.objects.exists()


# Import -----------------------------------------------------------------------------------


def _row(n: int, **overrides) -> list[str]:
    values = {
        "统一社会信用代码": credit_code(n),
        "名称": f"任城区小店{n}",
        "经营者": "李四",
        "手机": f"1381234{n:04d}",
        "注册地址": "示例路1号",
        "经营类别": "餐饮",
        "许可证": "",
        "招牌名": f"小店{n}",
        "店铺地址": f"示例路{n}号",
        "街道": "示例路",
        "经度": f"{DOOR[0]:.6f}",
        "纬度": f"{DOOR[1]:.6f}",
        "门面宽度(米)": "6",
        "朝向(度)": "180",
        **overrides,
    }
    return [values[heading] for heading in HEADERS]


def _workbook(*rows: list[str]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("merchants.xlsx", out.getvalue())


def test_import_adds_every_row(client, city):
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:merchant_import"), {"workbook": _workbook(_row(1), _row(2))}
    )
    assert response.status_code == 302
    assert sorted(Merchant.objects.values_list("credit_code", flat=True)) == sorted(
        [credit_code(1), credit_code(2)]
    )
    assert Shop.objects.count() == 2


def test_import_with_a_bad_row_writes_nothing_and_names_the_row(client, city):
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:merchant_import"),
        {"workbook": _workbook(_row(1), _row(2, 手机="12345"))},
    )
    assert response.status_code == 400
    assert response.context["problems"] == [
        "Row 3, 手机: Give the operator's 11-digit mobile number."
    ]
    assert "Row 3, 手机" in response.content.decode()
    assert not Merchant.objects.exists()
    assert not Shop.objects.exists()


def test_import_of_a_file_that_is_no_workbook_is_refused(client, city):
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:merchant_import"),
        {"workbook": SimpleUploadedFile("merchants.xlsx", b"\x00not a workbook")},
    )
    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) == 1
    assert problems[0].startswith("This is not a readable .xlsx workbook")


def test_import_over_the_size_limit_is_refused(client, city, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:merchant_import"), {"workbook": _workbook(_row(1))}
    )
    assert response.status_code == 400
    assert "workbook" in response.context["form"].errors
    assert not Merchant.objects.exists()


def test_import_template_downloads(client, city):
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:merchant_import_template")
    )
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_handler_cannot_import(client, city):
    response = as_(client, city, PostCode.HANDLER).post(
        reverse("backoffice:merchant_import"), {"workbook": _workbook(_row(1))}
    )
    assert response.status_code == 403
    assert not Merchant.objects.exists()


# Odd input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/staff/merchants/99999999999999999999999/",
        "/staff/merchants/１２/",
        "/staff/merchants/٣/",
        "/staff/merchants/999/",
        "/staff/shops/99999999999999999999999/zone/",
        "/staff/shops/１/letter/",
        "/staff/merchants/99999999999999999999999/shops/new/",
    ],
)
def test_odd_ids_are_404(client, city, path):
    merchant(city)
    assert as_(client, city, PostCode.INSPECTOR).get(path).status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"q": "\x00"}, 400),  # NUL bytes are refused before any view
        ({"street": "\x00"}, 400),
        ({"page": "\x00"}, 400),
        ({"q": "x" * 10_000}, 200),
        ({"grade": "Z"}, 200),
        ({"page": "99999999999999999999"}, 200),
        ({"q": "１２３"}, 200),
    ],
)
def test_odd_list_queries_are_no_500(client, city, query, status):
    merchant(city)
    response = as_(client, city, PostCode.INSPECTOR).get(reverse("backoffice:merchants"), query)
    assert response.status_code == status


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "老\x00张"},
        {"credit_code": "\x00" * 18},
        {"phone": "１３９１２３４０００７\x00"},
        {"name": "张" * 100_000},
        {"licences": "许可证:1:2027-13-45"},
    ],
)
def test_odd_merchant_input_is_a_message(client, city, overrides):
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:merchant_new"), _merchant_post(**overrides)
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Merchant.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"frontage_m": "1e999"},
        {"frontage_m": "NaN"},
        {"facing": "99999999999999999999"},
        {"latitude": "9" * 500},
        {"trade_name": "\x00"},
        {"duties": ["no-such-duty"]},
        {"duties": []},
    ],
)
def test_odd_shop_input_is_a_message(client, city, overrides):
    owner = merchant(city)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_new", args=[owner.pk]), _shop_post(**overrides)
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Shop.objects.exists()


def test_unknown_letter_step_is_400(client, city):
    front = shop(city, merchant(city))
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_letter", args=[front.pk]), {"step": "\x00"}
    )
    assert response.status_code == 400
    assert not ResponsibilityLetter.objects.exists()
