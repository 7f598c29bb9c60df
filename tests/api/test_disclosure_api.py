"""GET /api/v1/public/decisions/ and /<token>/: published decisions as open data, no
sign-in, the portal's filters and messages in the API's one error shape; a withdrawn
decision gives its notice only; what is not public is 404."""

import pytest

from tests.api.helpers import api_client, error_of
from tests.cases.conftest import people as people  # noqa: PLC0414 - the fixture
from tests.disclosure.opendata_helpers import (
    NOW,
    published_company,
    published_individual,
    rows,
    withdraw,
)
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication

pytestmark = pytest.mark.django_db
S = PublicationStatus
LIST = "/api/v1/public/decisions/"


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_list_needs_no_sign_in_and_gives_the_published_content(people):
    company = published_company(people)
    response = api_client().get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    item = body["results"][0]
    assert item["token"] == company.verify_token
    assert item["status"] == "published"
    assert item["url"] == f"http://testserver/decisions/{company.verify_token}/"
    assert item["check_url"] == f"http://testserver/v/{company.verify_token}/"
    assert item["withdrawal"] is None
    decision = item["decision"]
    assert decision["party"] == "阳光餐饮有限公司"
    assert decision["party_credit_code"] == company.party_credit_code
    assert decision["fine"] == "6000.00"
    assert decision["decided_on"] == "2026-09-30"
    assert decision["content_sha256"] == company.content_sha256
    assert sorted(item) == [
        "check_url",
        "decision",
        "document_number",
        "publish_until",
        "published_at",
        "status",
        "token",
        "url",
        "withdrawal",
    ]


def test_an_individual_is_given_as_published_with_nothing_personal(people):
    published_individual(people)
    raw = api_client().get(LIST).content.decode()
    assert "张某" in raw
    for secret in ("张三", "13912345678", "阳光市东街道一号", "370802198005"):
        assert secret not in raw


def test_a_withdrawn_decision_gives_its_notice_only(people):
    publication = withdraw(people, published_company(people))
    item = api_client().get(f"{LIST}{publication.verify_token}/").json()
    assert item["status"] == "withdrawn"
    assert item["decision"] is None
    assert item["withdrawal"]["ground"] == "revoked"
    assert item["withdrawal"]["reason"] == "该决定已被行政复议决定撤销。"
    assert item["withdrawal"]["withdrawn_at"].startswith("2026-11-16T15:00:00")
    assert "阳光餐饮有限公司" not in api_client().get(LIST).content.decode()


def test_the_filters_and_pages(people):
    made = rows(people, 60)
    client = api_client()
    found = client.get(LIST, {"number": made[7].document_number}).json()
    assert [item["document_number"] for item in found["results"]] == [made[7].document_number]
    assert client.get(LIST, {"street": "西街道"}).json()["count"] == 30
    assert client.get(LIST, {"org": "第4"}).json()["count"] == 6  # companies 4, 40 … 48
    ranged = client.get(LIST, {"from": "2026-09-29", "to": "2026-09-30"}).json()
    assert ranged["count"] == 2
    first = client.get(LIST).json()
    assert (first["count"], len(first["results"])) == (60, 50)
    assert first["next"].endswith("page=2")
    second = client.get(LIST, {"page": "2"}).json()
    assert [item["token"] for item in second["results"]] == [p.verify_token for p in made[50:]]


def test_what_is_not_public_is_404_and_not_listed(people):
    made = rows(people, 3)
    for publication, status in zip(made, (S.PROPOSED, S.REFUSED, S.REMOVED), strict=True):
        Publication.objects.filter(pk=publication.pk).update(status=status)
    client = api_client()
    assert client.get(LIST).json()["count"] == 0
    for publication in made:
        response = client.get(f"{LIST}{publication.verify_token}/")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert error_of(client.get(f"{LIST}{'a' * 40}/"))["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "２０２６-01-01"}, "from"),
        ({"to": "٢٠٢٦-01-01"}, "to"),
        ({"from": "2026-10-01", "to": "2026-09-01"}, "to"),
        ({"q": "占" * 10_000}, "q"),
        ({"number": "号" * 61}, "number"),
        ({"org": "公司\u202e"}, "org"),
        ({"page": "99999999999999999999"}, "page"),
        ({"page": "٣"}, "page"),
    ],
)
def test_bad_input_is_400_in_the_error_shape(db, query, field):
    response = api_client().get(LIST, query)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


def test_a_nul_character_and_a_page_past_the_end(people):
    rows(people, 2)
    client = api_client()
    nul = client.get(LIST, {"q": "a\x00"})
    assert (nul.status_code, error_of(nul)["code"]) == (400, "invalid")
    past = client.get(LIST, {"page": "5"})
    assert (past.status_code, error_of(past)["code"]) == (404, "not_found")


def test_messages_follow_the_language(db):
    client = api_client()
    client.cookies["django_language"] = "zh-hans"
    error = error_of(client.get(LIST, {"from": "2026-02-30"}))
    assert error["fields"]["from"] == ["没有这个日期。"]


def test_anonymous_callers_are_limited_per_address(db, settings):
    from yangguang.api.disclosure_views import PublicReadThrottle

    PublicReadThrottle.rate = "3/min"
    try:
        client = api_client()
        answers = [client.get(LIST).status_code for _ in range(4)]
        other = api_client().get(LIST, REMOTE_ADDR="10.0.0.9")
    finally:
        PublicReadThrottle.rate = "120/min"
    assert answers == [200, 200, 200, 429]
    assert other.status_code == 200
