"""Machine events: video analytics and sensors report problems with an API key; an
event delivered twice is one report."""

import base64
import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from tests.api.helpers import api_as, api_client, error_of
from tests.records import samples
from tests.reports.helpers import INSIDE
from yangguang.api.models import ApiClient, ClientKind
from yangguang.api.services import MachineEvent, api_client_register, machine_event_submit
from yangguang.org.enums import PostCode
from yangguang.records.models import EvidenceLink
from yangguang.reports.enums import Channel, ReportKind, Status
from yangguang.reports.models import Report

EVENTS = reverse("api:events")
EVENT = {
    "event_id": "cam-17:2026-11-22T08:00:00:0042",
    "category": {"code": "01037", "kind": "component"},
    "description": "视频识别：路灯不亮",
    **INSIDE,
}


@pytest.fixture
def machine(city):
    client, key = api_client_register(name="视频分析平台", kind=ClientKind.MACHINE, actor=None)
    return client, key


def as_machine(key: str):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    return client


def send(key: str, **overrides):
    return as_machine(key).post(EVENTS, {**EVENT, **overrides}, format="json")


def test_new_event_becomes_a_problem_report_201(machine, city):
    client, key = machine

    response = send(key)

    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json() == {
        "id": report.pk,
        "tracking_number": report.tracking_number,
        "status": Status.SUBMITTED,
        "created_at": response.json()["created_at"],
        "event_id": EVENT["event_id"],
    }
    assert (report.channel, report.kind, report.created_by, report.category) == (
        Channel.MACHINE,
        ReportKind.PROBLEM,
        None,
        city.lamp,
    )
    assert report.source_reference == f"{client.pk}:{EVENT['event_id']}"
    assert report.grid.code == "370899001001001"


def test_same_event_again_is_200_with_the_same_report(machine):
    _client, key = machine
    first = send(key)

    again = send(key, description="重复推送")

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Report.objects.count() == 1
    assert Report.objects.get().description == EVENT["description"]


def test_same_event_id_from_another_client_is_another_report(machine):
    _client, key = machine
    _other, other_key = api_client_register(name="噪声传感器", kind=ClientKind.MACHINE, actor=None)

    assert send(key).status_code == 201
    assert send(other_key).status_code == 201
    assert Report.objects.count() == 2


def test_snapshot_is_stored_as_evidence_of_the_report(machine):
    _client, key = machine

    response = send(key, snapshot=base64.b64encode(samples.jpeg()).decode())

    assert response.status_code == 201
    link = EvidenceLink.objects.get(object_type="reports.report")
    assert (link.object_id, link.evidence.kind) == (str(response.json()["id"]), "photo")


def test_occurrence_time_is_kept_as_an_internal_note(machine):
    _client, key = machine
    occurred = timezone.localtime().replace(microsecond=0) - datetime.timedelta(hours=1)

    send(key, occurred_at=occurred.isoformat())

    note = Report.objects.get().notes.get()
    assert (note.text, note.is_public, note.author) == (
        f"视频分析平台: the event occurred at {occurred:%Y-%m-%d %H:%M:%S}.",
        False,
        None,
    )


def test_event_in_the_future_is_400(machine):
    _client, key = machine
    response = send(key, occurred_at=(timezone.now() + datetime.timedelta(hours=1)).isoformat())
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "occurred_at": ["The event cannot have occurred in the future."]
    }


@pytest.mark.parametrize(
    ("snapshot", "message"),
    [
        ("not base64!", "The snapshot is not valid base64."),
        (base64.b64encode(samples.png()).decode(), "The snapshot is not a JPEG image."),
    ],
)
def test_bad_snapshot_is_400_and_creates_nothing(machine, snapshot, message):
    _client, key = machine

    response = send(key, snapshot=snapshot)

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"snapshot": [message]}
    assert Report.objects.count() == 0


def test_snapshot_over_5_mb_is_400(machine):
    _client, key = machine
    too_big = base64.b64encode(samples.jpeg() + b"\0" * (5 * 1024 * 1024)).decode()

    response = send(key, snapshot=too_big)

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"snapshot": ["The snapshot is larger than 5 MB."]}


def test_event_outside_china_is_400_from_the_service(machine):
    _client, key = machine
    response = send(key, latitude=60.0, longitude=10.0)
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "latitude": ["The position is outside China; check latitude and longitude."]
    }


def test_missing_or_wrong_key_is_401(machine):
    for client in (api_client(), as_machine("wrong-key")):
        response = client.post(EVENTS, EVENT, format="json")
        assert response.status_code == 401
        assert error_of(response)["code"] in {"not_authenticated", "authentication_failed"}
        assert response["WWW-Authenticate"] == 'ApiKey realm="api"'
    assert Report.objects.count() == 0


def test_key_of_a_disabled_client_is_403(machine):
    client, key = machine
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)

    response = send(key)

    assert response.status_code == 403
    assert error_of(response) == {
        "code": "permission_denied",
        "message": "This API client is disabled.",
        "fields": {},
    }


def test_key_of_an_open311_client_is_403(city):
    _client, key = api_client_register(name="市民App", kind=ClientKind.OPEN311, actor=None)
    response = send(key)
    assert response.status_code == 403
    assert error_of(response)["message"] == "This API key is not for machine events."


def test_staff_session_is_not_a_machine_client(city):
    response = api_as(city.people[PostCode.INTAKE]).post(EVENTS, EVENT, format="json")
    assert response.status_code == 401


def test_client_over_its_hourly_limit_is_429(machine):
    client, key = machine
    ApiClient.objects.filter(pk=client.pk).update(requests_per_hour=1)

    assert send(key).status_code == 201
    response = send(key, event_id="another")

    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Report.objects.count() == 1


def test_body_larger_than_any_event_is_413(machine):
    _client, key = machine
    response = as_machine(key).post(
        EVENTS, "x" * (8 * 1024 * 1024 + 1), content_type="application/json"
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_event_delivered_twice_at_once_is_one_report(city):
    if connection.vendor != "postgresql":
        pytest.skip("row locking across connections is the PostgreSQL case")
    client, _key = api_client_register(name="视频分析平台", kind=ClientKind.MACHINE, actor=None)
    event = MachineEvent(
        event_id="cam-1:0001",
        description="视频识别：占道经营",
        category=city.lamp,
        latitude=INSIDE["latitude"],
        longitude=INSIDE["longitude"],
    )
    start = threading.Barrier(2)
    created: list[bool] = []

    def deliver() -> None:
        try:
            start.wait()
            created.append(machine_event_submit(client=client, event=event)[1])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(created) == [False, True]
    assert Report.objects.filter(channel=Channel.MACHINE).count() == 1
