"""/api/v1/merchants/ (the merchant file: masking by post, adding through the service),
/api/v1/credit/repairs/<id>/decision/ (the legal office decides; 403 for others, 409 the
second time) and /api/v1/public/shops/<token>/ (the board's public view, nothing
personal)."""

import json

import pytest

from tests.api.helpers import api_as, api_client, error_of
from tests.merchants.helpers import at, credit_code, merchant, shop
from yangguang.cases.identity import generate_credit_code
from yangguang.credit.enums import EventKind, RepairStatus
from yangguang.credit.events import event_record
from yangguang.credit.models import CreditScore
from yangguang.credit.repair import repair_apply
from yangguang.merchants.models import Merchant
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db
P = PostCode
LIST = "/api/v1/merchants/"
OCCURRED = at(2026, 3, 20, 10)
DECIDED = at(2026, 7, 2, 10)  # after the 3 months of general dishonesty


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(DECIDED, tick=False)


@pytest.fixture
def owner(city):
    owner = merchant(city, operator_name="张三丰", phone="13912340001")
    shop(city, owner)
    return owner


@pytest.fixture
def application(city, owner):
    front = owner.shops.get()
    event = event_record(
        merchant=owner,
        shop=front,
        kind=EventKind.RECTIFICATION_OVERDUE,
        source=front,
        reason="整改逾期未完成",
        occurred_at=OCCURRED,
        now=OCCURRED,
    )
    return repair_apply(
        event=event,
        commitment="本店承诺今后遵守门前三包责任。",
        correction="已清理店外桌椅。",
        now=at(2026, 7, 1, 10),
    )


def _points(merchant_id: int) -> int:
    return CreditScore.objects.get(merchant_id=merchant_id).points


# --- The merchant file ---------------------------------------------------------------------


def test_the_list_masks_the_operator_even_for_those_who_may_reveal(city, owner):
    response = api_as(city.people[P.SQUAD_LEADER]).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["operator"] == "张*丰"
    assert item["phone"] == "139****0001"
    assert item["credit_code"] == owner.credit_code
    assert item["score"] == {"year": 2026, "points": 1000, "grade": "A", "list": "red"}
    [front] = item["shops"]
    assert (front["trade_name"], front["street"], front["status"]) == ("老张小吃", "东街", "open")
    assert front["board_token"] == owner.shops.get().board_token


def test_the_list_filters_by_word_street_and_grade(city, owner):
    other = merchant(city, n=2, name="阳光五金店")
    shop(city, other, trade_name="五金", street_name="西街")
    client = api_as(city.people[P.INSPECTOR])

    def ids(query: str) -> list[int]:
        return [m["id"] for m in client.get(f"{LIST}?{query}").json()["results"]]

    assert ids("q=五金") == [other.pk]
    assert ids("q=老张") == [owner.pk]
    assert set(ids(f"q={owner.credit_code[:8].lower()}")) == {owner.pk, other.pk}
    assert ids(f"q={owner.credit_code}") == [owner.pk]
    assert ids("street=西街") == [other.pk]
    assert set(ids("grade=A")) == {owner.pk, other.pk}
    assert ids("grade=D") == []


@pytest.mark.parametrize("query", ["q=", "street=", "grade=", "q=%00", "page=0", "page=１"])
def test_odd_list_parameters_are_a_400(city, owner, query):
    response = api_as(city.people[P.INSPECTOR]).get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


def test_the_detail_shows_the_operator_in_full_only_to_those_who_may_reveal(city, owner):
    front = owner.shops.get()
    event_record(
        merchant=owner,
        shop=front,
        kind=EventKind.RECTIFICATION_OVERDUE,
        source=front,
        reason="整改逾期未完成",
        occurred_at=OCCURRED,
        now=OCCURRED,
    )
    url = f"{LIST}{owner.pk}/"
    revealed = api_as(city.people[P.SQUAD_LEADER]).get(url).json()
    masked = api_as(city.people[P.INSPECTOR]).get(url).json()

    assert (revealed["operator"], revealed["phone"]) == ("张三丰", "13912340001")
    assert (masked["operator"], masked["phone"]) == ("张*丰", "139****0001")
    assert "张三丰" not in json.dumps(masked, ensure_ascii=False)
    [event] = masked["events"]
    assert event["kind"] == "rectification_overdue"
    assert event["points"] == -50
    assert event["reason"] == "整改逾期未完成"
    assert event["source_type"] == "merchants.shop"
    assert event["source_id"] == str(front.pk)
    assert event["repaired_at"] is None
    assert masked["score"]["points"] == 950


@pytest.mark.parametrize("merchant_id", ["0", "99999", "１", "99999999999999999999", "a"])
def test_a_bad_merchant_id_is_404(city, owner, merchant_id):
    response = api_as(city.people[P.INSPECTOR]).get(f"{LIST}{merchant_id}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def _body(**overrides) -> dict:
    return {
        "credit_code": credit_code(7),
        "name": "阳光便利店",
        "operator_name": "李四",
        "phone": "13900001111",
        "address": "阳光市西街道二号",
        "business_type": "零售",
        "licences": [{"kind": "食品经营许可证", "number": "JY123", "valid_until": "2028-06-30"}],
        **overrides,
    }


def test_an_officer_adds_a_merchant(city):
    response = api_as(city.people[P.OFFICER]).post(LIST, _body(), format="json")
    assert response.status_code == 201
    body = response.json()
    saved = Merchant.objects.get(pk=body["id"])
    assert saved.credit_code == credit_code(7)
    assert saved.licences == [
        {"kind": "食品经营许可证", "number": "JY123", "valid_until": "2028-06-30"}
    ]
    assert body["licences"][0]["valid_until"] == "2028-06-30"
    assert body["operator"] == "李*"  # an officer may not reveal personal data
    assert body["shops"] == []


def test_a_bad_credit_code_is_a_400_naming_it_and_writes_nothing(city):
    response = api_as(city.people[P.OFFICER]).post(
        LIST, _body(credit_code="91370811MA3C00000X"), format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["credit_code"]
    assert not Merchant.objects.exists()


def test_a_bad_phone_and_a_missing_name_are_named(city):
    body = _body(phone="12345")
    del body["name"]
    response = api_as(city.people[P.OFFICER]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"name"}
    response = api_as(city.people[P.OFFICER]).post(LIST, _body(phone="12345"), format="json")
    assert set(error_of(response)["fields"]) == {"phone"}
    assert not Merchant.objects.exists()


def test_a_handling_unit_cannot_add_a_merchant(city):
    response = api_as(city.people[P.HANDLER]).post(LIST, _body(), format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not Merchant.objects.exists()


def test_the_merchant_file_needs_credentials(city, owner):
    assert api_client().get(LIST).status_code == 401


# --- 信用修复 ------------------------------------------------------------------------------


def _decide(client, application, **body):
    return client.post(
        f"/api/v1/credit/repairs/{application.pk}/decision/",
        {"approve": True, "reason": "", **body},
        format="json",
    )


def test_the_legal_reviewer_approves_and_the_points_come_back(city, application):
    merchant_id = application.event.merchant_id
    assert _points(merchant_id) == 950
    response = _decide(api_as(city.people[P.LEGAL_REVIEWER]), application)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["points"], body["merchant"]) == ("approved", 1000, merchant_id)
    assert _points(merchant_id) == 1000
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED
    assert application.event.repaired_at == DECIDED


def test_an_inspector_cannot_decide(city, application):
    response = _decide(api_as(city.people[P.INSPECTOR]), application)
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == RepairStatus.SUBMITTED
    assert _points(application.event.merchant_id) == 950


def test_a_decision_taken_already_is_a_conflict(city, application):
    client = api_as(city.people[P.LEGAL_REVIEWER])
    assert _decide(client, application).status_code == 200
    response = _decide(client, application, approve=False, reason="重复")
    assert response.status_code == 409
    assert error_of(response)["code"] == "decided"
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED


def test_a_refusal_needs_its_reason(city, application):
    response = _decide(api_as(city.people[P.LEGAL_REVIEWER]), application, approve=False)
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["reason"]


@pytest.mark.parametrize("application_id", ["0", "99999", "１", "99999999999999999999"])
def test_a_bad_application_id_is_404(city, application_id):
    response = api_as(city.people[P.LEGAL_REVIEWER]).post(
        f"/api/v1/credit/repairs/{application_id}/decision/", {"approve": True}, format="json"
    )
    assert response.status_code == 404


# --- The public shop view ------------------------------------------------------------------


def test_the_public_shop_view_needs_no_sign_in_and_shows_nothing_personal(city, owner):
    front = owner.shops.get()
    response = api_client().get(f"/api/v1/public/shops/{front.board_token}/")
    assert response.status_code == 200
    body = response.json()
    assert body["trade_name"] == "老张小吃"
    assert body["registered_name"] == ""  # a sole trader's name may be the operator's
    assert (body["address"], body["street"]) == ("东街道一号", "东街")
    assert body["zone"]["type"] == "Polygon"
    assert body["duties"]
    assert {"name", "description"} == set(body["duties"][0])
    assert body["grade"]["grade"] == "A"
    assert body["titles"] == []
    assert body["inspections"] == []
    assert body["url"].endswith(f"/{front.board_token}/")
    text = response.content.decode()
    for personal in ("张三丰", "13912340001", "张*丰", "139****0001"):
        assert personal not in text


def test_an_organisation_s_registered_name_is_shown(city):
    code = generate_credit_code("9", "1", "370811", "MA3C0003")
    company = merchant(city, n=3, credit_code=code, name="阳光餐饮有限公司")
    front = shop(city, company)
    assert company.is_sole_trader is False
    body = api_client().get(f"/api/v1/public/shops/{front.board_token}/").json()
    assert body["registered_name"] == "阳光餐饮有限公司"


@pytest.mark.parametrize("token", ["unknown", "x" * 17, "%00", "ａｂｃ"])
def test_an_unknown_board_code_is_404(city, owner, token):
    response = api_client().get(f"/api/v1/public/shops/{token}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
