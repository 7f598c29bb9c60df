"""Posting service requests: api_key, limits, service codes, location and the mapping
of intake's refusals to Open311 errors. Posts are made with CSRF checks on, as an API
client (without a session) would meet them."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.api.open311.helpers import go, json_document, xml_document
from tests.reports.helpers import INSIDE
from yangguang.api.models import ApiClient, ClientKind
from yangguang.api.services import api_client_register
from yangguang.org.enums import PostCode
from yangguang.reports.enums import Channel, ReportKind, Status
from yangguang.reports.models import Report

URL = "/open311/v2/requests.{fmt}"


@pytest.fixture
def app():
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def form(city, api_key) -> dict:
    return {
        "api_key": api_key,
        "jurisdiction_id": "",
        "service_code": "C01037",
        "lat": str(INSIDE["latitude"]),
        "long": str(INSIDE["longitude"]),
        "address_string": "东街道一社区门口",
        "description": "路灯不亮，晚上很黑",
        "first_name": "小明",
        "last_name": "王",
        "phone": "+86 139 1234 5678",
        "email": "xiaoming@example.com",
        "device_id": "device-1",
        "account_id": "account-1",
        "media_url": "http://example.com/photo.jpg",
        "attribute[WHISPER]": "ignored",
    }


def test_post_creates_report_and_get_shows_it_without_the_reporter(app, form, city):
    response = app.post(URL.format(fmt="json"), form)

    assert response.status_code == 200
    [receipt] = json_document(response, "post_response")
    report = Report.objects.get(tracking_number=receipt["service_request_id"])
    assert (report.kind, report.channel, report.status) == (
        ReportKind.PROBLEM,
        Channel.OPEN311,
        Status.SUBMITTED,
    )
    assert (report.category.kind, report.category.code) == ("component", "01037")
    assert (report.description, report.address, report.grid.code) == (
        "路灯不亮，晚上很黑",
        "东街道一社区门口",
        "370899001001001",
    )
    assert report.source_reference == "随手拍应用"
    reporter = report.reporters.get()
    assert (reporter.name, reporter.phone, reporter.email, reporter.channel) == (
        "王小明",
        "13912345678",
        "xiaoming@example.com",
        Channel.OPEN311,
    )
    assert receipt["account_id"] is None
    assert report.tracking_number in receipt["service_notice"]

    for fmt in ("json", "xml"):
        shown = app.get(f"/open311/v2/requests/{report.tracking_number}.{fmt}")
        body = shown.content.decode("utf-8")
        assert shown.status_code == 200
        assert report.tracking_number in body
        for personal in ("王小明", "小明", "13912345678", "1234 5678", "xiaoming", "device-1"):
            assert personal not in body
    go(city, report, "accept", PostCode.INTAKE)  # lists show registered reports
    [request] = json_document(app.get(URL.format(fmt="json")), "requests")
    assert (request["service_request_id"], request["status"], request["service_code"]) == (
        report.tracking_number,
        "open",
        "C01037",
    )


def test_post_in_xml_answers_well_formed_xml(app, form):
    response = app.post(URL.format(fmt="xml"), form)

    assert response.status_code == 200
    document = xml_document(response, "service_requests")
    [request] = document.findall("request")
    assert [child.tag for child in request] == [
        "service_request_id",
        "service_notice",
        "account_id",
    ]
    assert Report.objects.filter(tracking_number=request.findtext("service_request_id")).exists()
    assert request.find("account_id").text is None


def test_post_multipart_is_accepted(app, form):
    response = app.post(URL.format(fmt="json"), form)  # the test client sends multipart
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code == 200
    urlencoded = app.post(
        URL.format(fmt="json"), urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert urlencoded.status_code == 200
    assert Report.objects.filter(channel=Channel.OPEN311).count() == 2


def test_post_address_alone_or_position_alone_is_a_location(app, form):
    by_address = {k: v for k, v in form.items() if k not in {"lat", "long"}}
    by_address_id = {
        **{k: v for k, v in by_address.items() if k != "address_string"},
        "address_id": "东街道12号",
    }
    by_position = {k: v for k, v in form.items() if k != "address_string"}
    for data in (by_address, by_address_id, by_position):
        assert app.post(URL.format(fmt="json"), data).status_code == 200
    assert sorted(Report.objects.values_list("address", flat=True)) == [
        "",
        "东街道12号",
        "东街道一社区门口",
    ]


def test_post_without_description_takes_the_service_name(app, form):
    form.pop("description")
    [receipt] = json_document(app.post(URL.format(fmt="json"), form), "post_response")
    assert Report.objects.get(tracking_number=receipt["service_request_id"]).description == "路灯"


def test_post_anonymous_is_accepted(app, form):
    for field in ("first_name", "last_name", "phone", "email"):
        form.pop(field)
    assert app.post(URL.format(fmt="json"), form).status_code == 200
    assert Report.objects.get().reporters.get().name == ""


def test_post_latin_name_keeps_its_order(app, form):
    form.update(first_name="Ming", last_name="Wang")
    app.post(URL.format(fmt="json"), form)
    assert Report.objects.get().reporters.get().name == "Ming Wang"


def assert_error(response, status: int, fmt: str) -> list[str]:
    assert response.status_code == status
    if fmt == "json":
        errors = json_document(response, "errors")
        assert {error["code"] for error in errors} == {status}
        return [error["description"] for error in errors]
    document = xml_document(response, "errors")
    assert {error.findtext("code") for error in document.findall("error")} == {str(status)}
    return [error.findtext("description") for error in document.findall("error")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_api_key_is_403(app, form, fmt):
    form.pop("api_key")
    descriptions = assert_error(app.post(URL.format(fmt=fmt), form), 403, fmt)
    assert descriptions == ["Give a valid api_key to post service requests."]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_with_wrong_key_is_403(app, form, fmt):
    form["api_key"] = "not-a-key"
    assert_error(app.post(URL.format(fmt=fmt), form), 403, fmt)


def test_post_with_inactive_or_machine_key_is_403(app, form):
    ApiClient.objects.update(is_active=False)
    assert_error(app.post(URL.format(fmt="json"), form), 403, "json")
    _machine, machine_key = api_client_register(
        name="视频分析", kind=ClientKind.MACHINE, actor=None
    )
    form["api_key"] = machine_key
    assert_error(app.post(URL.format(fmt="json"), form), 403, "json")
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_over_the_hourly_limit_is_429(app, form, fmt):
    _client, key = api_client_register(
        name="小应用", kind=ClientKind.OPEN311, requests_per_hour=2, actor=None
    )
    form["api_key"] = key
    for _ in range(2):
        assert app.post(URL.format(fmt=fmt), form).status_code == 200

    response = app.post(URL.format(fmt=fmt), form)

    assert_error(response, 429, fmt)
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Report.objects.count() == 2


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_unknown_service_code_is_404(app, form, fmt):
    form["service_code"] = "C99999"
    assert assert_error(app.post(URL.format(fmt=fmt), form), 404, fmt) == [
        "Unknown service_code “C99999”."
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_service_code_is_400(app, form, fmt):
    form.pop("service_code")
    assert assert_error(app.post(URL.format(fmt=fmt), form), 400, fmt) == [
        "service_code is required."
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_unknown_jurisdiction_is_404(app, form, fmt):
    form["jurisdiction_id"] = "sf.gov"
    assert_error(app.post(URL.format(fmt=fmt), form), 404, fmt)
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_location_is_400(app, form, fmt):
    for field in ("lat", "long", "address_string"):
        form.pop(field)
    descriptions = assert_error(app.post(URL.format(fmt=fmt), form), 400, fmt)
    assert descriptions == [
        "address_string: Say where it is: pick the place on the map or write the address."
    ]
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_description_too_long_is_400(app, form, fmt):
    form["description"] = "路" * 4001
    descriptions = assert_error(app.post(URL.format(fmt=fmt), form), 400, fmt)
    assert descriptions == ["description: The description is longer than 4000 characters."]


def test_post_several_refusals_are_several_errors(app, form):
    form.update(description="路" * 4001, phone="12345", lat="35.4")
    form.pop("long")
    descriptions = assert_error(app.post(URL.format(fmt="json"), form), 400, "json")
    assert sorted(description.split(":")[0] for description in descriptions) == [
        "description",
        "lat",
        "phone",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lat", "north"),
        ("long", "nan"),
        ("lat", "inf"),
        ("email", "not-an-address"),
        ("description", "路灯\x00坏了"),
    ],
)
def test_post_malformed_field_is_400(app, form, field, value):
    form[field] = value
    descriptions = assert_error(app.post(URL.format(fmt="json"), form), 400, "json")
    assert [description.split(":")[0] for description in descriptions] == [field]
    assert not Report.objects.exists()


def test_post_position_outside_china_is_400(app, form):
    form.update(lat="37.76", long="-122.46")
    descriptions = assert_error(app.post(URL.format(fmt="json"), form), 400, "json")
    assert descriptions == ["lat: The position is outside China; check latitude and longitude."]
