"""The REST API over the report loop: scoping, masking, entry by staff, every verb as a
POST action across posts, refusals as 409, and the one error shape."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.api.helpers import api_as, api_client, error_of
from tests.grids.test_import import collection, feature, square
from tests.reports.helpers import INSIDE, deliver, in_progress, photo, submit
from yangguang.api.serializers import VERB_INPUTS, ReasonSerializer
from yangguang.grids.services import grids_import
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.reports.enums import Channel, DisposalMode, ReportKind, Status
from yangguang.reports.models import Report, Supervision
from yangguang.reports.workflow import MOVES, report_transition

P = PostCode
LIST = reverse("api:report-list")


def detail_url(report) -> str:
    return reverse("api:report-detail", args=[report.pk])


def verb_url(report, verb: str) -> str:
    return reverse(f"api:report-{verb}", args=[report.pk])


def go(city, code, report, verb, **body):
    return api_as(city.people[code]).post(verb_url(report, verb), body, format="json")


def go_with_photos(city, code, report, verb, photos, **body):
    """A verb with photos: multipart/form-data, one ``photos`` part per photo."""
    return api_as(city.people[code]).post(
        verb_url(report, verb), {**body, "photos": photos}, format="multipart"
    )


def squadron2_grid():
    """A third grid, patrolled by squadron 2; returns a position inside it."""
    grids_import(
        collection=collection([feature("370899001002001", square(0, 1), squadron="ZD02")]),
    )
    return {"longitude": INSIDE["longitude"], "latitude": INSIDE["latitude"] + 0.0009}


def ids(response) -> list[int]:
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


# --- Scope --------------------------------------------------------------------------------


def test_list_squad_leader_sees_only_his_squadrons_reports(city):
    mine, _ = submit(city)
    other, _ = submit(city, **squadron2_grid())
    assert other.grid.squadron == city.org.squadron2

    leader = api_as(city.people[P.SQUAD_LEADER])

    assert ids(leader.get(LIST)) == [mine.pk]
    assert leader.get(detail_url(other)).status_code == 404
    assert sorted(ids(api_as(city.people[P.INTAKE]).get(LIST))) == sorted([mine.pk, other.pk])


def test_list_handler_sees_only_his_units_reports(city):
    mine, _ = submit(city)
    other, _ = submit(city)
    waiting, _ = submit(city)
    for report, unit in ((mine, city.org.municipal), (other, city.org.squadron2)):
        report_transition(report=report, verb="accept", actor=city.people[P.INTAKE])
        report_transition(
            report=report, verb="dispatch", actor=city.people[P.DISPATCHER], unit=unit
        )
    handler = api_as(city.people[P.HANDLER])

    assert ids(handler.get(LIST)) == [mine.pk]
    assert ids(handler.get(LIST, {"queue": "handle"})) == [mine.pk]
    assert handler.get(detail_url(other)).status_code == 404
    assert handler.get(detail_url(waiting)).status_code == 404


def test_list_filters_by_status_queue_category_unit_and_text(city):
    first, _ = submit(city, address="解放路12号")
    second, _ = submit(city, description="窨井盖缺失")
    report_transition(report=second, verb="accept", actor=city.people[P.INTAKE])
    shift_lead = api_as(city.people[P.SHIFT_LEAD])

    assert ids(shift_lead.get(LIST, {"status": "registered"})) == [second.pk]
    assert ids(shift_lead.get(LIST, {"queue": "intake"})) == [first.pk]
    assert ids(shift_lead.get(LIST, {"queue": "dispatch"})) == [second.pk]
    assert ids(shift_lead.get(LIST, {"q": "解放路"})) == [first.pk]
    assert ids(shift_lead.get(LIST, {"q": second.tracking_number})) == [second.pk]
    assert ids(shift_lead.get(LIST, {"category": "01037"})) == [second.pk, first.pk]
    assert ids(shift_lead.get(LIST, {"category": "99999"})) == []
    assert ids(shift_lead.get(LIST, {"unit": city.org.municipal.pk})) == []
    assert ids(shift_lead.get(LIST, {"ordering": "created_at"})) == [first.pk, second.pk]


def test_list_queue_of_another_post_is_400(city):
    submit(city)
    response = api_as(city.people[P.INSPECTOR]).get(LIST, {"queue": "dispatch"})
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"queue": ["This is not one of your queues."]}


def test_list_takes_the_same_queries_for_one_or_three_reports(city):
    client = api_as(city.people[P.INTAKE])
    submit(city)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    one = count()
    submit(city)
    submit(city)
    assert count() == one


def test_queues_count_the_users_queues(city):
    submit(city)
    submit(city)
    response = api_as(city.people[P.INTAKE]).get(reverse("api:queues"))
    assert response.status_code == 200
    assert response.json() == [{"code": "intake", "label": "Awaiting intake", "count": 2}]


# --- Personal data ------------------------------------------------------------------------


def test_detail_shows_reporters_contacts_to_intake_and_masks_them_for_the_inspector(city):
    report, _ = submit(city)

    intake = api_as(city.people[P.INTAKE]).get(detail_url(report)).json()
    inspector = api_as(city.people[P.INSPECTOR]).get(detail_url(report)).json()

    assert [(r["name"], r["phone"]) for r in intake["reporters"]] == [("王小明", "13912345678")]
    assert [(r["name"], r["phone"]) for r in inspector["reporters"]] == [("王*明", "139****5678")]


def test_list_masks_phones_even_for_intake(city):
    submit(city)
    rows = api_as(city.people[P.INTAKE]).get(LIST).json()["results"]
    assert [(r["name"], r["phone"]) for r in rows[0]["reporters"]] == [("王小明", "139****5678")]


def test_detail_offers_the_verbs_of_the_users_posts(city):
    report, _ = submit(city)
    intake = api_as(city.people[P.INTAKE]).get(detail_url(report)).json()
    inspector = api_as(city.people[P.INSPECTOR]).get(detail_url(report)).json()
    assert [a["verb"] for a in intake["actions"]] == ["accept", "reject", "void", "answer", "merge"]
    assert inspector["actions"] == []


# --- Entry by staff -----------------------------------------------------------------------

HOTLINE = {
    "channel": "hotline",
    "kind": "problem",
    "category": {"code": "01037", "kind": "component"},
    "description": "路灯不亮",
    "address": "东街道一社区门口",
    **INSIDE,
    "reporter_name": "李四",
    "reporter_phone": "13700000001",
}


def test_create_hotline_call_by_intake_returns_201_with_the_token(city):
    response = api_as(city.people[P.INTAKE]).post(LIST, HOTLINE, format="json")

    assert response.status_code == 201
    body = response.json()
    report = Report.objects.get()
    assert (body["id"], body["status"], body["category"]["code"]) == (
        report.pk,
        "submitted",
        "01037",
    )
    assert (report.channel, report.kind, report.created_by) == (
        Channel.HOTLINE,
        ReportKind.PROBLEM,
        city.people[P.INTAKE],
    )
    assert report.grid.code == "370899001001001"
    assert len(body["tracking_token"]) > 20
    assert response["Location"] == detail_url(report)
    assert "tracking_token" not in api_as(city.people[P.INTAKE]).get(detail_url(report)).json()


def test_create_patrol_finding_by_inspector(city):
    body = {**HOTLINE, "channel": "patrol", "reporter_name": "", "reporter_phone": ""}
    response = api_as(city.people[P.INSPECTOR]).post(LIST, body, format="json")
    assert response.status_code == 201
    assert Report.objects.get().channel == Channel.PATROL


@pytest.mark.parametrize(
    ("code", "channel", "message"),
    [
        (P.HANDLER, "hotline", "Your post may not enter reports."),
        (P.INSPECTOR, "hotline", "Your post may not take hotline calls."),
        (P.INTAKE, "patrol", "Your post may not file patrol findings."),
    ],
)
def test_create_without_the_posts_right_is_403(city, code, channel, message):
    response = api_as(city.people[code]).post(LIST, {**HOTLINE, "channel": channel}, format="json")
    assert response.status_code == 403
    assert error_of(response) == {"code": "permission_denied", "message": message, "fields": {}}
    assert Report.objects.count() == 0


def test_create_patrol_finding_of_a_question_is_400(city):
    body = {**HOTLINE, "channel": "patrol", "kind": "consultation"}
    response = api_as(city.people[P.INSPECTOR]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"kind": ["A patrol finding is a problem."]}


def test_create_hotline_question_without_a_place(city):
    body = {
        "channel": "hotline",
        "kind": "consultation",
        "description": "占道经营许可怎么办理？",
        "reporter_phone": "13700000001",
    }
    response = api_as(city.people[P.INTAKE]).post(LIST, body, format="json")
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["category"]) == ("consultation", None)


def test_create_with_invalid_input_is_400_by_field(city):
    body = {**HOTLINE, "reporter_phone": "12345", "description": "", "channel": "web"}
    response = api_as(city.people[P.INTAKE]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "channel": ["Staff enter hotline calls or patrol findings."],
        "description": ["This field may not be blank."],
    }


def test_create_refused_by_the_service_is_400_with_its_message(city):
    body = {**HOTLINE, "reporter_phone": "12345"}
    response = api_as(city.people[P.INTAKE]).post(LIST, body, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "reporter_phone": ["Give an 11-digit mobile number or a landline with its area code."]
    }


def test_create_with_an_unknown_category_is_400(city):
    body = {**HOTLINE, "category": {"code": "99999"}}
    response = api_as(city.people[P.INTAKE]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"category": ["No category in use has this code."]}


# --- The loop -----------------------------------------------------------------------------


def test_every_verb_of_the_loop_has_an_input_and_reasons_are_required():
    assert set(VERB_INPUTS) == set(MOVES)
    for verb, move in MOVES.items():
        if move.needs_reason:
            assert VERB_INPUTS[verb] is ReasonSerializer or "reason" in (
                VERB_INPUTS[verb]().fields
            ), verb


def test_the_whole_loop_through_the_api_across_posts(city):
    report, _ = submit(city)
    duplicate, _ = submit(city, reporter_name="李四", reporter_phone="13700000001")
    people = city.people

    accepted = go(city, P.INTAKE, report, "accept", category={"code": "01037", "kind": "component"})
    assert (accepted.status_code, accepted.json()["status"]) == (200, "registered")
    merged = go(city, P.INTAKE, duplicate, "merge", into=report.pk)
    assert merged.json()["merged_into"] == {"id": report.pk, "tracking_number": str(report)}

    dispatched = go(city, P.DISPATCHER, report, "dispatch", unit=city.org.municipal.pk)
    assert dispatched.json()["unit"] == {"id": city.org.municipal.pk, "name": "市政处"}
    returned = go(city, P.HANDLER, report, "return", reason="不属于我单位管辖")
    assert (returned.json()["status"], returned.json()["unit"]) == ("returned", None)
    go(city, P.SHIFT_LEAD, report, "dispatch", unit=city.org.municipal.pk)
    assert go(city, P.HANDLER, report, "claim").json()["status"] == "in_progress"

    go(city, P.HANDLER, report, "request_delay", amount="2", reason="需采购灯具")
    delayed = go(city, P.SHIFT_LEAD, report, "approve_delay").json()
    assert (delayed["status"], delayed["delay_count"]) == ("in_progress", 1)
    go(city, P.HANDLER, report, "request_shelve", reason="线路改造")
    assert go(city, P.SHIFT_LEAD, report, "approve_shelve").json()["status"] == "shelved"
    assert go(city, P.SHIFT_LEAD, report, "resume").json()["deadline"] is not None

    due = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    ordered = api_as(people[P.LEADER]).post(
        reverse("api:report-supervise", args=[report.pk]),
        {"instruction": "请加快处理", "deadline": due},
        format="json",
    )
    assert ordered.status_code == 201
    answered = api_as(people[P.HANDLER]).post(
        reverse("api:supervision-reply", args=[ordered.json()["id"]]),
        {"reply": "已安排今晚抢修"},
        format="json",
    )
    assert (answered.status_code, answered.json()["reply"]) == (200, "已安排今晚抢修")

    handled = go_with_photos(
        city,
        P.HANDLER,
        report,
        "handle",
        [photo(size=20)],
        result="已更换灯泡",
        disposal_mode="service",
    ).json()
    assert (handled["status"], handled["disposal_mode"]) == ("handled", DisposalMode.SERVICE)
    failed = go(city, P.INSPECTOR, report, "verify_fail", reason="仍不亮").json()
    assert (failed["status"], failed["rework_count"]) == ("in_progress", 1)
    go_with_photos(
        city,
        P.HANDLER,
        report,
        "handle",
        [photo(size=22)],
        result="更换线路",
        disposal_mode="service",
    )
    assert go(city, P.INSPECTOR, report, "verify_pass").json()["status"] == "verified"

    replied = api_as(people[P.SHIFT_LEAD]).post(
        reverse("api:report-reply", args=[report.pk]), {"text": "路灯已修复"}, format="json"
    )
    assert (replied.status_code, replied.json()["public_reply"]) == (200, "路灯已修复")
    deliver()
    closed = go(city, P.SHIFT_LEAD, report, "close").json()
    assert closed["status"] == "closed"

    timeline = api_as(people[P.SHIFT_LEAD]).get(reverse("api:report-timeline", args=[duplicate.pk]))
    assert [entry["action"] for entry in timeline.json()] == ["report.submit", "report.merge"]


def test_timeline_lists_the_reports_record_entries(city):
    report, _ = submit(city)
    report_transition(report=report, verb="accept", actor=city.people[P.INTAKE])
    go(city, P.DISPATCHER, report, "dispatch", unit=city.org.municipal.pk)

    response = api_as(city.people[P.HANDLER]).get(reverse("api:report-timeline", args=[report.pk]))

    assert response.status_code == 200
    entries = response.json()
    assert [entry["action"] for entry in entries] == [
        "report.submit",
        "report.accept",
        "report.dispatch",
    ]
    assert [entry["sequence"] for entry in entries] == list(
        RecordEntry.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert entries[2]["actor"] == "dispatcher用户"


def test_timeline_of_a_report_another_was_merged_into(city):
    report, _ = submit(city)
    duplicate, _ = submit(city)
    report_transition(report=duplicate, verb="merge", actor=city.people[P.INTAKE], into=report)

    response = api_as(city.people[P.INTAKE]).get(reverse("api:report-timeline", args=[report.pk]))

    assert [entry["action"] for entry in response.json()] == ["report.submit", "report.merged_in"]


def test_reopen_and_answer_through_the_api(city):
    question, _ = submit(city, kind=ReportKind.CONSULTATION, category=None)
    answered = go(city, P.INTAKE, question, "answer", reply="周一至周五办理")
    assert (answered.status_code, answered.json()["status"]) == (200, "closed")

    rejected = go(city, P.INTAKE, submit(city)[0], "reject", reason="重复")
    assert rejected.json()["status"] == "rejected"


def test_timeline_masks_the_reporters_phone(city):
    report, _ = submit(city)
    entries = api_as(city.people[P.INTAKE]).get(reverse("api:report-timeline", args=[report.pk]))
    # "field" is the field's name for people (records.presenters), in the API's language.
    changes = {row["field"]: row for row in entries.json()[0]["changes"]}
    assert (changes["reporter's phone"]["after"], changes["reporter's phone"]["masked"]) == (
        "139****5678",
        True,
    )


def test_note_is_added(city):
    report, _ = submit(city)
    response = api_as(city.people[P.INSPECTOR]).post(
        reverse("api:report-notes", args=[report.pk]), {"text": "已到现场"}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["text"], response.json()["public"]) == ("已到现场", False)


# --- Refusals and the one error shape -----------------------------------------------------


def test_close_before_verification_is_409_with_reason_and_code(city):
    report, _ = submit(city)
    response = go(city, P.SHIFT_LEAD, report, "close")
    assert response.status_code == 409
    assert error_of(response) == {
        "code": "wrong_status",
        "message": "Cannot Close a report that is “Awaiting intake”.",
        "fields": {},
    }
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_dispatch_by_the_inspector_is_409_not_permitted(city):
    report, _ = submit(city)
    report_transition(report=report, verb="accept", actor=city.people[P.INTAKE])
    response = go(city, P.INSPECTOR, report, "dispatch", unit=city.org.municipal.pk)
    assert response.status_code == 409
    error = error_of(response)
    assert (error["code"], error["fields"]) == ("not_permitted", {})
    assert error["message"] == "Your post may not do this (Dispatch reports (派遣))."
    assert Report.objects.get(pk=report.pk).status == Status.REGISTERED


def test_verb_without_its_reason_is_400_by_field(city):
    report, _ = submit(city)
    response = go(city, P.INTAKE, report, "reject")
    assert response.status_code == 400
    assert error_of(response) == {
        "code": "invalid",
        "message": "Check the fields marked.",
        "fields": {"reason": ["This field is required."]},
    }


def test_merge_into_a_report_outside_the_scope_is_400(city):
    report, _ = submit(city)
    response = go(city, P.INTAKE, report, "merge", into=report.pk + 1000)
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"into": ["No report with this id among yours."]}


def test_report_outside_the_scope_is_404_for_reads_and_verbs(city):
    report, _ = submit(city, **squadron2_grid())
    leader = api_as(city.people[P.SQUAD_LEADER])
    for response in (leader.get(detail_url(report)), leader.post(verb_url(report, "claim"))):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_unknown_endpoint_is_404_in_the_error_shape(city):
    response = api_as(city.people[P.INTAKE]).get("/api/v1/nothing/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_anonymous_request_is_401(db):
    response = api_client().get(LIST)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_post_that_may_not_supervise_is_409(city):
    report, _ = submit(city)
    due = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    response = api_as(city.people[P.INTAKE]).post(
        reverse("api:report-supervise", args=[report.pk]),
        {"instruction": "快办", "deadline": due},
        format="json",
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "not_permitted"
    assert Supervision.objects.count() == 0


def test_supervision_due_in_the_past_is_400_from_the_service(city):
    report, _ = submit(city)
    due = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = api_as(city.people[P.LEADER]).post(
        reverse("api:report-supervise", args=[report.pk]),
        {"instruction": "快办", "deadline": due},
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "deadline": ["The reply deadline must be in the future."]
    }


def test_malformed_json_is_400(city):
    response = api_as(city.people[P.INTAKE]).post(
        LIST, "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_category_code_shared_by_a_component_and_an_event_needs_its_kind(city):
    body = {**HOTLINE, "category": {"code": "01037"}}
    response = api_as(city.people[P.INTAKE]).post(LIST, body, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "category": ["Several categories in use have this code; give its kind or standard."]
    }


# --- Field photos (issue 11) -------------------------------------------------------------


def test_handling_without_the_after_photo_is_refused_with_409(city):
    report = in_progress(city)
    response = go(city, P.HANDLER, report, "handle", result="已更换", disposal_mode="service")
    assert response.status_code == 409
    assert error_of(response)["code"] == "photo_required"
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_handling_with_photos_in_multipart_lists_them_on_the_report(city):
    report = in_progress(city)
    response = go_with_photos(
        city,
        P.HANDLER,
        report,
        "handle",
        [photo("a.jpg", size=20), photo("b.jpg", size=21)],
        result="已更换",
        disposal_mode="service",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "handled"
    assert [(p["stage"], p["verb"], p["public"]) for p in body["photos"]] == [
        ("handling", "handle", False),
        ("handling", "handle", False),
    ]
    assert len(body["evidence"]) == 2


def test_a_file_that_is_not_a_photo_is_refused_with_400_and_nothing_stored(city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yangguang.records.models import Evidence

    report = in_progress(city)
    stored = Evidence.objects.count()
    fake = SimpleUploadedFile("after.jpg", b"MZ\x90\x00" + bytes(300), "image/jpeg")
    response = go_with_photos(
        city, P.HANDLER, report, "handle", [photo(), fake], result="已更换", disposal_mode="service"
    )
    assert response.status_code == 400
    assert "is not a photo" in error_of(response)["fields"]["photos"][0]
    assert (Evidence.objects.count(), Report.objects.get(pk=report.pk).status) == (
        stored,
        Status.IN_PROGRESS,
    )


def test_ten_photos_are_refused_with_400(city):
    report = in_progress(city)
    response = go_with_photos(
        city,
        P.HANDLER,
        report,
        "handle",
        [photo(f"{n}.jpg", size=10 + n) for n in range(10)],
        result="已更换",
        disposal_mode="service",
    )
    assert response.status_code == 400
    assert "photos" in error_of(response)["fields"]


def test_photos_in_a_json_body_are_refused_with_400(city):
    report = in_progress(city)
    response = go(
        city,
        P.HANDLER,
        report,
        "handle",
        result="已更换",
        disposal_mode="service",
        photos=["/9j/4AAQSkZJRg=="],
    )
    assert response.status_code == 400


def test_verification_takes_photos_in_multipart(city):
    report = in_progress(city)
    go_with_photos(
        city, P.HANDLER, report, "handle", [photo()], result="已更换", disposal_mode="service"
    )
    response = go_with_photos(city, P.INSPECTOR, report, "verify_pass", [photo(size=30)])
    assert response.status_code == 200
    assert [p["stage"] for p in response.json()["photos"]] == ["handling", "verification"]


def test_the_schema_documents_multipart_photos_for_the_photo_verbs(city):
    schema = api_as(city.people[P.HANDLER]).get("/api/schema/", {"format": "json"}).json()
    for verb in ("handle", "verify_pass", "verify_fail"):
        body = schema["paths"][f"/api/v1/reports/{{id}}/{verb}/"]["post"]["requestBody"]
        assert set(body["content"]) >= {"application/json", "multipart/form-data"}
    accept = schema["paths"]["/api/v1/reports/{id}/accept/"]["post"]["requestBody"]
    assert set(accept["content"]) == {"application/json"}


def test_the_inspector_approves_a_photo_for_the_public_and_others_may_not(city):
    report = in_progress(city)
    body = go_with_photos(
        city, P.HANDLER, report, "handle", [photo()], result="已更换", disposal_mode="service"
    ).json()
    photo_id = body["photos"][0]["id"]
    url = reverse("api:report-photo-public", args=[report.pk, photo_id])
    refused = api_as(city.people[P.HANDLER]).post(url, {"public": True}, format="json")
    assert (refused.status_code, error_of(refused)["code"]) == (409, "not_permitted")
    approved = api_as(city.people[P.INSPECTOR]).post(url, {"public": True}, format="json")
    assert (approved.status_code, approved.json()["public"]) == (200, True)
    assert RecordEntry.objects.filter(action="report.photo_publish").count() == 1
    withdrawn = api_as(city.people[P.SHIFT_LEAD]).post(url, {"public": False}, format="json")
    assert (withdrawn.status_code, withdrawn.json()["public"]) == (200, False)
    other = reverse("api:report-photo-public", args=[report.pk, photo_id + 1000])
    assert (
        api_as(city.people[P.INSPECTOR]).post(other, {"public": True}, format="json").status_code
        == 404
    )
