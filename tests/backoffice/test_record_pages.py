"""The record pages: timeline, evidence upload, entry (personal data revealed and the
viewing recorded), printed record, audit list and digests."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from tests.records import samples
from yangguang.org import services as org
from yangguang.org.enums import PostCode
from yangguang.records.models import Evidence, EvidenceLink, RecordEntry
from yangguang.records.services import digests_close
from yangguang.records.verify import chain_verify


def timeline_url(unit) -> str:
    return reverse("backoffice:timeline", args=["org.unit", unit.pk])


def upload_url(unit) -> str:
    return reverse("backoffice:evidence_upload", args=["org.unit", unit.pk])


def test_timeline_shows_the_units_record(client, personas, org_tree):
    client.force_login(personas[PostCode.SQUAD_LEADER])
    response = client.get(timeline_url(org_tree.squadron1))
    assert response.status_code == 200
    assert [view.action for view in response.context["entries"]] == ["单位已创建"]
    assert "第一中队" in response.content.decode()


def test_timeline_of_a_unit_outside_scope_is_404(client, personas, org_tree):
    client.force_login(personas[PostCode.SQUAD_LEADER])
    assert client.get(timeline_url(org_tree.squadron2)).status_code == 404


def test_timeline_of_an_unknown_object_type_is_404(client, personas):
    client.force_login(personas[PostCode.LEADER])
    url = reverse("backoffice:timeline", args=["auth.permission", 1])
    assert client.get(url).status_code == 404


def test_system_administrator_reads_no_timeline(client, personas, org_tree):
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    assert client.get(timeline_url(org_tree.bureau)).status_code == 403


def test_timeline_takes_the_same_queries_for_one_or_three_entries(client, personas, org_tree):
    leader = personas[PostCode.LEADER]
    client.force_login(leader)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(timeline_url(org_tree.squadron2)).status_code == 200
        return len(queries)

    one = count()
    for name in ("二中队甲", "二中队乙"):
        org.unit_update(
            unit=org_tree.squadron2,
            name=name,
            parent=org_tree.brigade,
            code="ZD02",
            handling_type=None,
            is_external=False,
            phone="",
            sort_order=0,
            is_active=True,
            actor=leader,
        )
    assert count() == one


def test_photo_upload_is_stored_by_its_hash_with_exif(client, personas, org_tree):
    officer = personas[PostCode.OFFICER]
    client.force_login(officer)
    photo = SimpleUploadedFile("现场.jpg", samples.jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(upload_url(org_tree.squadron1), {"file": photo, "note": "现场照片"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.mime_type, evidence.original_name) == (
        "photo",
        "image/jpeg",
        "现场.jpg",
    )
    assert evidence.taken_at.isoformat() == "2026-10-08T06:30:05+00:00"
    assert (round(evidence.latitude, 4), round(evidence.longitude, 4)) == (35.41, 116.59)
    stored = RecordEntry.objects.get(action="evidence.store")
    attached = RecordEntry.objects.get(action="evidence.attach")
    assert stored.evidence == attached.evidence == [evidence.sha256]
    assert attached.object_id == str(org_tree.squadron1.pk)
    assert chain_verify(evidence=True).ok
    detail = client.get(reverse("backoffice:evidence", args=[evidence.sha256])).content.decode()
    assert "2026-10-08 14:30:05" in detail
    assert "35.410000, 116.590000" in detail


def test_same_file_twice_is_stored_once(client, personas, org_tree):
    client.force_login(personas[PostCode.OFFICER])
    content = samples.jpeg_with_exif()
    for unit in (org_tree.squadron1, org_tree.squadron1):
        client.post(upload_url(unit), {"file": SimpleUploadedFile("a.jpg", content)})
    assert Evidence.objects.count() == 1
    assert EvidenceLink.objects.count() == 1
    assert RecordEntry.objects.filter(action__startswith="evidence.").count() == 2


def test_executable_renamed_jpg_is_refused_and_nothing_written(client, personas, org_tree):
    client.force_login(personas[PostCode.OFFICER])
    before = RecordEntry.objects.count()
    fake = SimpleUploadedFile("photo.jpg", samples.elf(), content_type="image/jpeg")
    response = client.post(upload_url(org_tree.squadron1), {"file": fake})
    assert response.status_code == 400
    body = response.content.decode()
    assert "photo.jpg" in body
    assert "可执行程序" in body
    assert Evidence.objects.count() == 0
    assert RecordEntry.objects.count() == before


def test_recording_needs_its_details(client, personas, org_tree):
    client.force_login(personas[PostCode.OFFICER])
    video = SimpleUploadedFile("执法记录仪.mp4", samples.mp4_head())
    response = client.post(upload_url(org_tree.squadron1), {"file": video})
    assert response.status_code == 400
    assert "执法记录仪" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_recording_with_its_details_is_stored(client, personas, org_tree):
    officer = personas[PostCode.OFFICER]
    client.force_login(officer)
    video = SimpleUploadedFile("执法记录仪.mp4", samples.mp4_head())
    response = client.post(
        upload_url(org_tree.squadron1),
        {
            "file": video,
            "device": "DSJ-0042",
            "recorder": officer.pk,
            "recording_started_at": "2026-11-20T09:00",
            "recording_ended_at": "2026-11-20T09:12",
            "scene": "scene",
            "scene_note": "占道经营现场",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.device, evidence.recorder) == ("video", "DSJ-0042", officer)
    assert evidence.recording_ended_at - evidence.recording_started_at == datetime.timedelta(
        minutes=12
    )
    assert RecordEntry.objects.get(action="evidence.store").changes["device"] == [None, "DSJ-0042"]


def test_oversized_upload_is_refused_before_reading(client, personas, org_tree, settings):
    settings.EVIDENCE_MAX_BYTES = dict.fromkeys(("photo", "audio", "video", "document"), 1024)
    client.force_login(personas[PostCode.OFFICER])
    big = SimpleUploadedFile("big.jpg", samples.jpeg_with_exif() + b"\0" * (3 * 1024 * 1024))
    response = client.post(upload_url(org_tree.squadron1), {"file": big})
    assert response.status_code == 413
    assert Evidence.objects.count() == 0


def test_photo_over_its_kind_limit_is_refused(client, personas, org_tree, settings):
    settings.EVIDENCE_MAX_BYTES = {"photo": 100, "audio": 10**9, "video": 10**9, "document": 10**9}
    client.force_login(personas[PostCode.OFFICER])
    photo = SimpleUploadedFile("a.jpg", samples.jpeg_with_exif())
    response = client.post(upload_url(org_tree.squadron1), {"file": photo})
    assert response.status_code == 400
    assert Evidence.objects.count() == 0


def test_auditor_cannot_upload(client, personas, org_tree):
    client.force_login(personas[PostCode.AUDIT_ADMIN])
    photo = SimpleUploadedFile("a.jpg", samples.jpeg_with_exif())
    assert client.post(upload_url(org_tree.squadron1), {"file": photo}).status_code == 403


def test_evidence_file_is_served_only_to_those_who_see_its_object(client, personas, org_tree):
    client.force_login(personas[PostCode.OFFICER])
    content = samples.jpeg_with_exif()
    client.post(upload_url(org_tree.squadron1), {"file": SimpleUploadedFile("a.jpg", content)})
    sha = Evidence.objects.get().sha256
    response = client.get(reverse("backoffice:evidence_file", args=[sha]))
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/jpeg"
    client.force_login(personas[PostCode.HANDLER])
    assert client.get(reverse("backoffice:evidence_file", args=[sha])).status_code == 404


def test_personal_data_is_masked_until_revealed_and_the_reveal_is_recorded(client, personas):
    officer = personas[PostCode.OFFICER]
    entry = RecordEntry.objects.get(action="org.user.create", object_id=str(officer.pk))
    auditor = personas[PostCode.AUDIT_ADMIN]
    client.force_login(auditor)
    url = reverse("backoffice:entry", args=[entry.sequence])
    masked = client.get(url).content.decode()
    assert officer.phone not in masked
    assert f"{officer.phone[:3]}****{officer.phone[-4:]}" in masked
    shown = client.post(url, {"reason": "核查投诉"}).content.decode()
    assert officer.phone in shown
    viewing = RecordEntry.objects.get(action="record.personal_data.view")
    assert (viewing.actor, viewing.reason, viewing.changes["sequence"]) == (
        auditor,
        "核查投诉",
        [None, entry.sequence],
    )


def test_reveal_needs_the_right(client, personas, org_tree):
    org.unit_update(
        unit=org_tree.squadron1,
        name="第一中队",
        parent=org_tree.brigade,
        code="ZD01",
        handling_type=None,
        is_external=False,
        phone="0537-1234567",
        sort_order=0,
        is_active=True,
    )
    entry = RecordEntry.objects.filter(action="org.unit.update").last()
    client.force_login(personas[PostCode.OFFICER])
    assert client.post(reverse("backoffice:entry", args=[entry.sequence])).status_code == 403


def test_printed_record_lists_every_entry_with_its_hash(client, personas, org_tree):
    client.force_login(personas[PostCode.LEADER])
    url = reverse("backoffice:timeline_pdf", args=["org.unit", org_tree.squadron1.pk])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    created = RecordEntry.objects.get(
        action="org.unit.create", object_id=str(org_tree.squadron1.pk)
    )
    assert created.entry_hash in text.replace("\n", "")
    assert "第一中队" in text
    assert RecordEntry.objects.filter(action="record.export").count() == 1


def test_audit_list_shows_everything_to_the_auditor(client, personas):
    client.force_login(personas[PostCode.AUDIT_ADMIN])
    response = client.get(reverse("backoffice:audit"), {"action": "org.user.create"})
    assert response.status_code == 200
    assert len(response.context["entries"]) == len(personas)


def test_digests_page_and_csv(client, personas):
    digests_close(today=datetime.date.today() + datetime.timedelta(days=2))  # noqa: DTZ011
    client.force_login(personas[PostCode.AUDIT_ADMIN])
    assert client.get(reverse("backoffice:digests")).status_code == 200
    csv = b"".join(client.get(reverse("backoffice:digests"), {"format": "csv"}).streaming_content)
    assert csv.decode().startswith("day,last_sequence,head_sha256")


def test_sign_in_and_failed_attempt_are_recorded(client, personas):
    client.post(reverse("backoffice:login"), {"username": "officer", "password": "wrong"})
    client.post(
        reverse("backoffice:login"),
        {"username": "officer", "password": "correct-horse-battery-9"},
        REMOTE_ADDR="10.0.0.7",
    )
    failed = RecordEntry.objects.get(action="auth.login_failed")
    signed_in = RecordEntry.objects.get(action="auth.login")
    assert failed.object_id == signed_in.object_id == str(personas[PostCode.OFFICER].pk)
    assert signed_in.client_ip == "10.0.0.7"
    client.post(reverse("backoffice:logout"))
    assert RecordEntry.objects.filter(action="auth.logout").count() == 1


@pytest.mark.parametrize("code", [PostCode.SYSTEM_ADMIN, PostCode.LEADER])
def test_audit_pages_are_the_auditors(client, personas, code):
    client.force_login(personas[code])
    assert client.get(reverse("backoffice:audit")).status_code == 403
    assert client.get(reverse("backoffice:digests")).status_code == 403
