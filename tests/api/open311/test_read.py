"""Reading: discovery, services and requests through Django's test client, every JSON
document checked against the schemas, every XML document parsed."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.open311.helpers import json_document, registered, xml_document
from tests.reports.helpers import submit
from yangguang.categories.models import Category

BASE = "/open311/v2"


def numbers(response) -> list[str]:
    return [request["service_request_id"] for request in json_document(response, "requests")]


def test_discovery_describes_this_endpoint_in_both_formats(client, org_tree):
    as_json = json_document(client.get(f"{BASE}/discovery.json"), "discovery")
    as_xml = xml_document(client.get(f"{BASE}/discovery.xml"), "discovery")

    endpoint = as_json["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert as_json["contact"].startswith("测试局")
    assert as_xml.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2"
    assert [f.text for f in as_xml.iter("format")] == ["text/xml", "application/json"]


@pytest.mark.django_db
def test_service_list_has_one_service_per_active_current_category(client):
    current = Category.objects.filter(standard__is_current=True, is_active=True)
    Category.objects.filter(kind="component", code="01001").update(is_active=False)

    services = json_document(client.get(f"{BASE}/services.json"), "services")
    as_xml = xml_document(client.get(f"{BASE}/services.xml"), "services")

    codes = [service["service_code"] for service in services]
    assert len(codes) == len(set(codes)) == current.count()
    assert "C01001" not in codes
    assert {code[0] for code in codes} == {"C", "E"}
    assert [s.findtext("service_code") for s in as_xml.findall("service")] == codes
    stall = next(service for service in services if service["service_code"] == "E09006")
    assert stall == {
        "service_code": "E09006",
        "service_name": "占道经营",
        "description": "街面秩序类 · 占道经营",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "街面秩序类",
    }


@pytest.mark.django_db
def test_service_keywords_are_comma_separated(client):
    Category.objects.filter(kind="event", code="09006").update(keywords="摆摊 小贩，流动摊点")
    services = json_document(client.get(f"{BASE}/services.json"), "services")
    stall = next(service for service in services if service["service_code"] == "E09006")
    assert stall["keywords"] == "摆摊,小贩,流动摊点"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["X01037", "C99999", "01037", "C"])
def test_service_definition_unknown_code_is_404(client, code):
    response = client.get(f"{BASE}/services/{code}.json")
    assert response.status_code == 404
    assert json_document(response, "errors")[0]["code"] == 404
    response = client.get(f"{BASE}/services/{code}.xml")
    assert (response.status_code, xml_document(response, "errors").findtext("error/code")) == (
        404,
        "404",
    )


@pytest.mark.django_db
def test_service_definition_known_code_has_no_attributes(client):
    definition = json_document(client.get(f"{BASE}/services/E09006.json"), "service_definition")
    as_xml = xml_document(client.get(f"{BASE}/services/E09006.xml"), "service_definition")
    assert definition == {"service_code": "E09006", "attributes": []}
    assert as_xml.findtext("service_code") == "E09006"
    assert list(as_xml.find("attributes")) == []


def test_requests_by_default_are_the_last_90_days_newest_first(client, published):
    p = published
    assert numbers(client.get(f"{BASE}/requests.json")) == [
        p.rejected.tracking_number,
        p.closed.tracking_number,
        p.stall.tracking_number,
        p.lamp.tracking_number,
    ]


def test_requests_status_maps_terminal_states_to_closed(client, published):
    p = published
    response = client.get(f"{BASE}/requests.json", {"status": "closed"})
    closed = {r["service_request_id"]: r for r in json_document(response, "requests")}
    assert set(closed) == {p.closed.tracking_number, p.rejected.tracking_number}
    # A rejected report is closed with its reason; it was never dispatched.
    rejected = closed[p.rejected.tracking_number]
    assert (rejected["status_notes"], rejected["agency_responsible"]) == (
        "请向供电公司反映。",
        "测试局",
    )
    assert rejected["expected_datetime"] is None
    open_ = json_document(client.get(f"{BASE}/requests.json", {"status": "open"}), "requests")
    assert {r["status_notes"] for r in open_} == {""}


def test_requests_service_code_list_filters_by_kind_and_code(client, published):
    p = published
    assert numbers(client.get(f"{BASE}/requests.json", {"service_code": "E09006"})) == [
        p.stall.tracking_number
    ]
    # 事件 01037 (路灯异常) is not 部件 01037 (路灯).
    assert numbers(client.get(f"{BASE}/requests.json", {"service_code": "E01037"})) == []
    both = client.get(f"{BASE}/requests.json", {"service_code": "C01037, E09006,nonsense"})
    assert set(numbers(both)) == {
        p.lamp.tracking_number,
        p.stall.tracking_number,
        p.closed.tracking_number,
        p.rejected.tracking_number,
    }


def test_requests_id_list_overrides_other_filters(client, published):
    p = published
    ids = ",".join(r.tracking_number for r in (p.old, p.void, p.merged, p.question, p.stall))
    response = client.get(
        f"{BASE}/requests.json",
        {"service_request_id": ids, "status": "closed", "service_code": "C01037"},
    )
    assert numbers(response) == [p.stall.tracking_number, p.old.tracking_number]


def test_requests_dates_select_by_received_time(client, published):
    p = published
    day = datetime.timedelta(days=1)
    response = client.get(
        f"{BASE}/requests.json",
        {"start_date": (p.long_ago - day).isoformat(), "end_date": (p.long_ago + day).isoformat()},
    )
    assert numbers(response) == [p.old.tracking_number]
    # start_date alone: 90 days from it; end_date alone: 90 days up to it.
    since = client.get(f"{BASE}/requests.json", {"start_date": (p.long_ago - day).isoformat()})
    assert numbers(since) == [p.old.tracking_number]
    until = client.get(f"{BASE}/requests.json", {"end_date": timezone.now().isoformat()})
    assert p.old.tracking_number not in numbers(until)
    assert len(numbers(until)) == 4


def test_requests_date_with_unencoded_plus_offset_is_understood(client, published):
    start = timezone.localtime() - datetime.timedelta(hours=1)
    raw = start.isoformat(timespec="seconds")
    assert raw.endswith("+08:00")
    response = client.get(f"{BASE}/requests.json?start_date={raw}")
    assert len(numbers(response)) == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-11-01"},
        {"start_date": "2026-11-01T10:00:00"},
        {"end_date": "yesterday"},
        {"start_date": "2026-02-30T10:00:00Z"},
        {"start_date": "2026-11-02T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"status": "pending"},
        {"page": "0"},
        {"page_size": "many"},
    ],
)
def test_requests_bad_filter_is_400_in_both_formats(client, query):
    response = client.get(f"{BASE}/requests.json", query)
    assert response.status_code == 400
    errors = json_document(response, "errors")
    assert [error["code"] for error in errors] == [400]
    response = client.get(f"{BASE}/requests.xml", query)
    assert (response.status_code, xml_document(response, "errors").findtext("error/code")) == (
        400,
        "400",
    )


def test_requests_pages_with_page_and_page_size(client, published):
    p = published
    second = client.get(f"{BASE}/requests.json", {"page": "2", "page_size": "3"})
    beyond = client.get(f"{BASE}/requests.json", {"page": "3", "page_size": "3"})
    assert numbers(second) == [p.lamp.tracking_number]
    assert numbers(beyond) == []
    empty = xml_document(client.get(f"{BASE}/requests.xml", {"page": "3"}), "service_requests")
    assert list(empty) == []


def test_request_by_id_is_a_list_of_one(client, published):
    p = published
    one = json_document(client.get(f"{BASE}/requests/{p.stall.tracking_number}.json"), "requests")
    as_xml = xml_document(
        client.get(f"{BASE}/requests/{p.stall.tracking_number}.xml"), "service_requests"
    )
    assert [(r["service_request_id"], r["service_code"]) for r in one] == [
        (p.stall.tracking_number, "E09006")
    ]
    assert [r.findtext("service_request_id") for r in as_xml.findall("request")] == [
        p.stall.tracking_number
    ]
    # Rounded to about a hundred metres: a street, not a door.
    assert as_xml.findtext("request/lat") == str(round(p.stall.latitude, 3))
    assert as_xml.find("request/media_url").text is None


@pytest.mark.parametrize("which", ["void", "merged", "question"])
def test_request_by_id_hidden_or_unknown_is_404(client, published, which):
    number = getattr(published, which).tracking_number
    response = client.get(f"{BASE}/requests/{number}.json")
    assert response.status_code == 404
    assert json_document(response, "errors")[0]["code"] == 404
    assert client.get(f"{BASE}/requests/0000000000000.xml").status_code == 404


def test_token_known_resolves_to_the_request(client, published):
    number = published.lamp.tracking_number
    response = client.get(f"{BASE}/tokens/{number}.json")
    as_xml = xml_document(client.get(f"{BASE}/tokens/{number}.xml"), "service_requests")
    assert response.status_code == 200
    assert json_document(response, "tokens") == [{"service_request_id": number, "token": number}]
    assert as_xml.findtext("request/token") == number


@pytest.mark.django_db
def test_token_unknown_is_404(client):
    response = client.get(f"{BASE}/tokens/nope.json")
    assert response.status_code == 404
    assert json_document(response, "errors")[0]["code"] == 404
    response = client.get(f"{BASE}/tokens/nope.xml")
    assert (response.status_code, xml_document(response, "errors").tag) == (404, "errors")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["services.html", "requests.csv", "discovery.yaml", "requests/1.txt"]
)
def test_unknown_format_is_404(client, path):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 404
    assert xml_document(response, "errors").findtext("error/code") == "404"


@pytest.mark.django_db
def test_jurisdiction_empty_or_ours_is_served_another_is_404(client, settings):
    settings.PUBLIC_BASE_URL = "https://12319.example.gov.cn"
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": ""}).status_code == 200
    ours = client.get(f"{BASE}/services.json", {"jurisdiction_id": "12319.Example.gov.cn"})
    assert ours.status_code == 200
    other = client.get(f"{BASE}/services.json", {"jurisdiction_id": "sf.gov"})
    assert other.status_code == 404
    assert json_document(other, "errors")[0]["description"] == "Unknown jurisdiction “sf.gov”."


@pytest.mark.django_db
def test_errors_default_to_chinese_and_follow_accept_language():
    """People reading a bare error get the bureau's language; programs may ask for English."""
    url = f"{BASE}/services.json?jurisdiction_id=sf.gov"
    chinese = Client().get(url)
    assert chinese["Content-Language"] == "zh-hans"
    assert json_document(chinese, "errors")[0]["description"] == "未知的辖区“sf.gov”。"
    english = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").get(url)
    assert english["Content-Language"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "requests/%00.json",
        "tokens/%00.xml",
        "services/C%00.json",
        "requests.json?service_request_id=%00",
        "requests.json?service_code=C%00",
    ],
)
def test_nul_character_anywhere_is_400(client, path):
    response = client.get(f"{BASE}/{path}")
    assert response.status_code == 400


@pytest.mark.django_db
def test_write_methods_other_than_post_are_refused(client):
    assert client.put(f"{BASE}/requests.json").status_code == 405
    assert client.post(f"{BASE}/services.json").status_code == 405


def test_no_personal_data_in_any_read(client, published, city):
    """Reporters are never listed, and what citizens wrote is never published: before
    registration a request has no description and its address is the community
    (个人信息保护法 art 6; 等保2.0 GB/T 22239-2019 8.1.4.10)."""
    written, _ = submit(
        city,
        description="我是王小明，电话 13912345678，邮箱 xm@example.com，身份证 110101199003071234",
        address="王小明家门口，座机 0537-2345678",
        reporter_name="王小明",
        reporter_phone="13912345678",
    )
    paths = [
        "requests.{fmt}",
        "requests.{fmt}?status=closed",
        f"requests/{written.tracking_number}.{{fmt}}",
        f"requests/{published.closed.tracking_number}.{{fmt}}",
        f"tokens/{written.tracking_number}.{{fmt}}",
        "services.{fmt}",
        "discovery.{fmt}",
    ]
    for fmt in ("json", "xml"):
        for path in paths:
            body = client.get(f"{BASE}/{path.format(fmt=fmt)}").content.decode("utf-8")
            for personal in ("王小明", "13912345678", "xm@example.com", "110101199003071234"):
                assert personal not in body, (path, fmt, personal)
            assert "0537-2345678" not in body

    request = json_document(
        client.get(f"{BASE}/requests/{written.tracking_number}.json"), "requests"
    )[0]
    assert (request["description"], request["address"]) == (None, "东街道一社区")


def test_request_list_queries_do_not_grow_with_rows(client, city, django_assert_num_queries):
    registered(city)
    with django_assert_num_queries(3):
        assert len(numbers(client.get(f"{BASE}/requests.json"))) == 1
    registered(city)
    registered(city)
    with django_assert_num_queries(3):
        assert len(numbers(client.get(f"{BASE}/requests.json"))) == 3


def test_xml_drops_characters_xml_cannot_carry(client, city):
    report = registered(city, public_summary="路灯坏了\x01")
    as_xml = xml_document(
        client.get(f"{BASE}/requests/{report.tracking_number}.xml"), "service_requests"
    )
    assert as_xml.findtext("request/description") == "路灯坏了"
