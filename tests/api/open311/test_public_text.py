"""Open311's public text is the public summary approved at registration (受理), never
the reporter's words: a complaint naming a neighbour and a flat shows neither, in JSON
or XML, listed or alone, before or after registration.

个人信息保护法 (PIPL) art 6 (minimum necessary) and art 28 (sensitive personal
information); 等保2.0 GB/T 22239-2019 8.1.4.10 (个人信息保护)."""

import pytest

from tests.api.open311.helpers import go, json_document, xml_document
from tests.reports.helpers import submit
from yangguang.org.enums import PostCode

BASE = "/open311/v2"
# A complaint about a neighbour: a third person's name, a flat and a phone number.
COMPLAINT = {
    "description": "阳光花园3号楼2单元501室的张建国长期在楼道堆放杂物，他的电话13800138000",
    "address": "阳光花园3号楼2单元501室",
    "reporter_name": "王小明",
    "reporter_phone": "13912345678",
}
NEVER_PUBLIC = ["张建国", "501室", "2单元", "3号楼", "阳光花园", "楼道", "13800138000"]
NEVER_PUBLIC += ["王小明", "13912345678"]  # the reporter


def reads(client, report) -> dict[str, str]:
    """Every Open311 document in which the report may appear, by path, as text."""
    paths = [
        f"requests/{report.tracking_number}.{{fmt}}",
        f"requests.{{fmt}}?service_request_id={report.tracking_number}",
        "requests.{fmt}",
        "requests.{fmt}?status=open",
        "requests.{fmt}?status=closed",
        f"tokens/{report.tracking_number}.{{fmt}}",
    ]
    bodies = {}
    for fmt in ("json", "xml"):
        for path in paths:
            response = client.get(f"{BASE}/{path.format(fmt=fmt)}")
            assert response.status_code == 200, path
            bodies[path.format(fmt=fmt)] = response.content.decode("utf-8")
    return bodies


def assert_nothing_personal(client, report) -> None:
    for path, body in reads(client, report).items():
        for words in NEVER_PUBLIC:
            assert words not in body, (path, words)


def request_of(client, report) -> dict:
    (request,) = json_document(
        client.get(f"{BASE}/requests/{report.tracking_number}.json"), "requests"
    )
    return request


def test_before_registration_only_category_status_and_community(client, city):
    """PIPL art 6: before 受理 the public reads what kind of problem, its status and
    roughly where — no description at all."""
    report, _ = submit(city, **COMPLAINT)

    request = request_of(client, report)

    assert_nothing_personal(client, report)
    assert (request["service_name"], request["status"]) == ("路灯", "open")
    assert (request["description"], request["address"]) == (None, "东街道一社区")
    assert request["media_url"] is None


def test_before_registration_in_xml_the_description_is_empty(client, city):
    report, _ = submit(city, **COMPLAINT)
    document = xml_document(
        client.get(f"{BASE}/requests/{report.tracking_number}.xml"), "service_requests"
    )
    assert document.findtext("request/description") == ""
    assert document.findtext("request/address") == "东街道一社区"


def test_after_registration_the_default_summary(client, city):
    """等保2.0 8.1.4.10: what is published is what intake approved."""
    report, _ = submit(city, **COMPLAINT)
    go(city, report, "accept", PostCode.INTAKE)

    request = request_of(client, report)

    assert_nothing_personal(client, report)
    assert (request["description"], request["address"]) == ("路灯 · 东街道一社区", "东街道一社区")
    listed = json_document(client.get(f"{BASE}/requests.json"), "requests")
    assert [r["description"] for r in listed] == ["路灯 · 东街道一社区"]


def test_after_registration_an_edited_summary_in_both_formats(client, city):
    report, _ = submit(city, **COMPLAINT)
    go(city, report, "accept", PostCode.INTAKE, public_summary="杂物堆放 · 东街道一社区")

    document = xml_document(client.get(f"{BASE}/requests.xml"), "service_requests")

    assert_nothing_personal(client, report)
    assert request_of(client, report)["description"] == "杂物堆放 · 东街道一社区"
    assert document.findtext("request/description") == "杂物堆放 · 东街道一社区"
    assert document.findtext("request/address") == "东街道一社区"


def test_rejected_report_never_registered_has_no_description(client, city):
    """A report not taken up is listed as closed with the staff's reason, and still
    without the reporter's words."""
    report, _ = submit(city, **COMPLAINT)
    go(city, report, "reject", PostCode.INTAKE, reason="属于物业管理范围，请联系物业。")

    request = request_of(client, report)

    assert_nothing_personal(client, report)
    assert (request["status"], request["description"]) == ("closed", None)
    assert request["status_notes"] == "属于物业管理范围，请联系物业。"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_position_is_rounded_to_the_street(client, city, fmt):
    """PIPL art 28 (行踪轨迹): about a hundred metres, not the door."""
    report, _ = submit(city, **COMPLAINT)
    go(city, report, "accept", PostCode.INTAKE)
    response = client.get(f"{BASE}/requests/{report.tracking_number}.{fmt}")
    if fmt == "json":
        request = json_document(response, "requests")[0]
        latitude, longitude = request["lat"], request["long"]
    else:
        document = xml_document(response, "service_requests")
        latitude = float(document.findtext("request/lat"))
        longitude = float(document.findtext("request/long"))
    assert (latitude, longitude) == (round(report.latitude, 3), round(report.longitude, 3))
