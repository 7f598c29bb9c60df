"""The endpoint as a real client sees it: the PyPI ``georeport`` client against a live
server, in both formats. Its XML reading (xmltodict) gives strings, and a dict rather
than a list for a single element."""

import datetime

import pytest
from georeport import GeoReport

from tests.api.open311.helpers import as_list, assert_valid

# live_server needs committed data; serialized_rollback brings back the migrations' data
# (categories, handling-unit types) after the flush.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FORMATS = ["json", "xml"]


parse = datetime.datetime.fromisoformat


def client_for(live_server, fmt: str) -> GeoReport:
    return GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)


@live
@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list_and_definition_read_by_georeport_client(live_server, fmt):
    client = client_for(live_server, fmt)

    services = client.get_service_list()
    definition = client.get_service_definition("C01037")

    by_code = {service["service_code"]: service for service in services}
    assert len(by_code) == len(services) > 300
    lamp, lamp_failure = by_code["C01037"], by_code["E01037"]
    assert (lamp["service_name"], lamp["group"], lamp["type"]) == (
        "路灯",
        "市政公用设施",
        "realtime",
    )
    assert lamp_failure["service_name"] == "路灯异常"
    assert lamp["metadata"] == (False if fmt == "json" else "false")
    assert definition["service_code"] == "C01037"
    assert definition["attributes"] == ([] if fmt == "json" else None)
    if fmt == "json":
        assert_valid(services, "services")
        assert_valid(definition, "service_definition")


@live
@pytest.mark.parametrize("fmt", FORMATS)
def test_service_requests_read_by_georeport_client_with_filters(live_server, published, fmt):
    client = client_for(live_server, fmt)
    p = published

    def numbers(**filters) -> set[str]:
        found = client.get_service_requests(**filters)
        if fmt == "json":
            assert_valid(found, "requests")
        return {request["service_request_id"] for request in as_list(found)}

    shown = {p.lamp, p.stall, p.closed, p.rejected}
    assert numbers() == {r.tracking_number for r in shown}
    assert numbers(status="open") == {p.lamp.tracking_number, p.stall.tracking_number}
    assert numbers(status="closed") == {p.closed.tracking_number, p.rejected.tracking_number}
    assert numbers(status="open,closed") == {r.tracking_number for r in shown}
    assert numbers(service_code="E09006") == {p.stall.tracking_number}
    assert numbers(service_code="E09006,C01037", status="open") == {
        p.lamp.tracking_number,
        p.stall.tracking_number,
    }
    # The id list overrides the other filters; void and merged reports stay hidden.
    assert numbers(
        service_request_id=f"{p.closed.tracking_number},{p.void.tracking_number},{p.old.tracking_number}",
        status="open",
    ) == {p.closed.tracking_number, p.old.tracking_number}
    window = {
        "start_date": (p.long_ago - datetime.timedelta(days=1)).isoformat(timespec="seconds"),
        "end_date": (p.long_ago + datetime.timedelta(days=1)).isoformat(timespec="seconds"),
    }
    assert numbers(**window) == {p.old.tracking_number}


@live
@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_read_by_georeport_client(live_server, published, fmt):
    client = client_for(live_server, fmt)
    closed = published.closed

    request = client.get_service_request(closed.tracking_number)

    if fmt == "json":
        assert_valid([request], "requests")
    assert (request["service_request_id"], request["status"]) == (closed.tracking_number, "closed")
    assert (request["service_code"], request["service_name"]) == ("C01037", "路灯")
    assert request["status_notes"] == "路灯已修复，感谢您的反映。"
    assert request["agency_responsible"] == "市政处"
    # The public summary approved at registration, never the reporter's words.
    assert request["description"] == "路灯 · 东街道一社区"
    assert request["address"] == "东街道一社区"
    assert request["requested_datetime"].endswith("+08:00")
    # Whole seconds, as the spec's examples.
    assert parse(request["updated_datetime"]) == closed.closed_at.replace(microsecond=0)
    assert parse(request["expected_datetime"]) == closed.deadline.replace(microsecond=0)
    assert float(request["lat"]) == round(closed.latitude, 3)
    assert float(request["long"]) == round(closed.longitude, 3)
    assert request["media_url"] is None
