"""The report pages: queues by post, the report with its verbs, entry by hotline and
patrol, reply and close, exports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.records import samples
from tests.reports.helpers import INSIDE, deliver, handled, in_progress, photo, submit
from yangguang.org.enums import PostCode
from yangguang.records.models import Evidence, RecordEntry
from yangguang.reports.enums import Status
from yangguang.reports.models import Report, ReportPhoto
from yangguang.reports.workflow import report_transition


def as_(client, city, code):
    client.force_login(city.people[code])
    return client


def test_intake_queue_lists_new_reports(client, city):
    report, _ = submit(city)
    response = as_(client, city, PostCode.INTAKE).get(reverse("backoffice:queue", args=["intake"]))
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [report.pk]
    assert ("intake", 1) in [(queue.code, count) for queue, count in response.context["tabs"]]


def test_queue_of_another_post_is_404(client, city):
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:queue", args=["dispatch"])
    )
    assert response.status_code == 404


def test_handler_sees_only_his_units_reports(client, city):
    mine, _ = submit(city)
    other, _ = submit(city)
    for report, unit in ((mine, city.org.municipal), (other, city.org.squadron2)):
        report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
        report_transition(
            report=report, verb="dispatch", actor=city.people[PostCode.DISPATCHER], unit=unit
        )
    client = as_(client, city, PostCode.HANDLER)
    page = client.get(reverse("backoffice:queue", args=["handle"])).context["page"]
    assert [r.pk for r in page] == [mine.pk]
    assert client.get(reverse("backoffice:report", args=[other.pk])).status_code == 404


def test_illegal_move_is_refused_with_its_reason_on_the_page(client, city):
    report, _ = submit(city)
    response = as_(client, city, PostCode.SHIFT_LEAD).post(
        reverse("backoffice:report_act", args=[report.pk, "close"])
    )
    assert response.status_code == 409
    assert "待受理" in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_verbs_shown_follow_the_post(client, city):
    report, _ = submit(city)
    intake = as_(client, city, PostCode.INTAKE).get(reverse("backoffice:report", args=[report.pk]))
    assert [verb for verb, _label, _form in intake.context["verbs"]] == [
        "accept",
        "reject",
        "void",
        "answer",
        "merge",
    ]
    inspector = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:report", args=[report.pk])
    )
    assert inspector.context["verbs"] == []


def test_accept_and_dispatch_through_the_pages(client, city):
    report, _ = submit(city)
    as_(client, city, PostCode.INTAKE).post(
        reverse("backoffice:report_act", args=[report.pk, "accept"]), {"category": city.lamp.pk}
    )
    response = as_(client, city, PostCode.DISPATCHER).post(
        reverse("backoffice:report_act", args=[report.pk, "dispatch"]),
        {"unit": city.org.municipal.pk},
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == Status.DISPATCHED


def test_bulk_dispatch(client, city):
    reports = [submit(city)[0] for _ in range(3)]
    for report in reports:
        report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
    response = as_(client, city, PostCode.DISPATCHER).post(
        reverse("backoffice:bulk_dispatch"),
        {"unit": city.org.municipal.pk, "report": [r.pk for r in reports]},
    )
    assert response.status_code == 302
    assert set(Report.objects.values_list("status", flat=True)) == {Status.DISPATCHED}


def test_reporter_phone_is_masked_for_the_handler(client, city):
    report, _ = submit(city)
    report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
    report_transition(
        report=report,
        verb="dispatch",
        actor=city.people[PostCode.DISPATCHER],
        unit=city.org.municipal,
    )
    handler_page = as_(client, city, PostCode.HANDLER).get(
        reverse("backoffice:report", args=[report.pk])
    )
    assert "13912345678" not in handler_page.content.decode()
    assert "139****5678" in handler_page.content.decode()
    intake_page = as_(client, city, PostCode.INTAKE).get(
        reverse("backoffice:report", args=[report.pk])
    )
    assert "13912345678" in intake_page.content.decode()


def test_reply_then_close_through_the_pages(client, city):
    report, _ = submit(city)
    Report.objects.filter(pk=report.pk).update(status=Status.VERIFIED)
    client = as_(client, city, PostCode.SHIFT_LEAD)
    refused = client.post(reverse("backoffice:report_act", args=[report.pk, "close"]))
    assert refused.status_code == 409
    client.post(
        reverse("backoffice:report_reply", args=[report.pk]), {"text": "已处理完毕，谢谢。"}
    )
    deliver()
    assert (
        client.post(reverse("backoffice:report_act", args=[report.pk, "close"])).status_code == 302
    )
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED


def test_hotline_entry_records_a_question(client, city):
    response = as_(client, city, PostCode.INTAKE).post(
        reverse("backoffice:hotline"),
        {
            "kind": "consultation",
            "description": "渣土车夜间能否通行？",
            "reporter_phone": "13600000000",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.channel, report.created_by) == (
        "consultation",
        "hotline",
        city.people[PostCode.INTAKE],
    )


def test_hotline_entry_shows_errors_and_writes_nothing(client, city):
    response = as_(client, city, PostCode.INTAKE).post(
        reverse("backoffice:hotline"),
        {"kind": "problem", "description": "x", "reporter_phone": "123"},
    )
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_patrol_finding_needs_a_photo(client, city):
    client = as_(client, city, PostCode.INSPECTOR)
    without = client.post(reverse("backoffice:patrol"), {"description": "井盖缺失", **INSIDE})
    assert without.status_code == 400
    photo = SimpleUploadedFile("现场.jpg", samples.jpeg_with_exif())
    done = client.post(
        reverse("backoffice:patrol"),
        {"description": "井盖缺失", "category": city.lamp.pk, "photos": photo, **INSIDE},
    )
    assert done.status_code == 302
    assert Report.objects.get().channel == "patrol"


def test_patrol_page_is_not_for_the_dispatcher(client, city):
    assert (
        as_(client, city, PostCode.DISPATCHER).get(reverse("backoffice:patrol")).status_code == 403
    )


def test_exports_hold_the_filtered_reports_without_personal_data(client, city):
    submit(city)
    submit(city, description="另一处路灯")
    client = as_(client, city, PostCode.INTAKE)
    csv_response = client.get(reverse("backoffice:queue_export", args=["intake", "csv"]))
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 3
    assert "13912345678" not in text
    assert "王小明" not in text
    xlsx_response = client.get(
        reverse("backoffice:queue_export", args=["intake", "xlsx"]), {"q": "另一处"}
    )
    workbook = load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content)))
    assert workbook.active.max_row == 2


@pytest.mark.parametrize("code", ["intake", "all"])
def test_queue_page_takes_the_same_queries_for_one_or_three_reports(client, city, code):
    client = as_(client, city, PostCode.INTAKE)
    submit(city)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("backoffice:queue", args=[code])).status_code == 200
        return len(queries)

    one = count()
    submit(city)
    submit(city)
    assert count() == one


def test_outbox_shows_failed_messages_to_the_shift_leader(client, city):
    from yangguang.notify.models import Message, MessageStatus

    submit(city)
    Message.objects.update(status=MessageStatus.FAILED, last_error="空号", secret_body="")
    page = as_(client, city, PostCode.SHIFT_LEAD).get(reverse("backoffice:outbox")).content.decode()
    assert "空号" in page
    assert as_(client, city, PostCode.OFFICER).get(reverse("backoffice:outbox")).status_code == 403


def test_date_filters_take_whole_local_days(client, city):
    """“Received from/until” are days in Beijing time: a report of 23:59 on the last
    day is in, one of 00:00 the day after is out (and one of 23:59 the day before)."""
    import datetime
    from zoneinfo import ZoneInfo

    def at(day, hour, minute):
        return datetime.datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))

    inside, late, early = submit(city)[0], submit(city)[0], submit(city)[0]
    Report.objects.filter(pk=inside.pk).update(created_at=at(10, 23, 59))
    Report.objects.filter(pk=late.pk).update(created_at=at(11, 0, 0))
    Report.objects.filter(pk=early.pk).update(created_at=at(9, 23, 59))
    response = as_(client, city, PostCode.INTAKE).get(
        reverse("backoffice:queue", args=["intake"]), {"since": "2026-11-10", "until": "2026-11-10"}
    )
    assert [r.pk for r in response.context["page"]] == [inside.pk]


# --- The public summary (个人信息保护法 art 6, art 28; 等保2.0 GB/T 22239-2019 8.1.4.10) ---

COMPLAINT = {
    "description": "阳光花园3号楼2单元501室的张建国长期在楼道堆放杂物",
    "address": "阳光花园3号楼2单元501室",
}


def test_accept_form_proposes_the_default_public_summary(client, city):
    report, _ = submit(city, **COMPLAINT)
    page = as_(client, city, PostCode.INTAKE).get(reverse("backoffice:report", args=[report.pk]))
    accept_form = next(form for verb, _label, form in page.context["verbs"] if verb == "accept")
    assert accept_form["public_summary"].value() == "路灯 · 东街道一社区"
    assert 'value="路灯 · 东街道一社区"' in page.content.decode()


def test_accept_through_the_page_with_an_edited_public_summary(client, city):
    report, _ = submit(city, **COMPLAINT)
    response = as_(client, city, PostCode.INTAKE).post(
        reverse("backoffice:report_act", args=[report.pk, "accept"]),
        {"category": city.lamp.pk, "public_summary": "楼道堆放杂物 · 东街道一社区"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.public_summary) == (
        Status.REGISTERED,
        "楼道堆放杂物 · 东街道一社区",
    )


@pytest.mark.parametrize(
    ("summary", "error"),
    [
        ("楼道堆放杂物，联系13800138000", "公开摘要中含有手机号码"),
        ("当事人身份证11010519491231002X", "公开摘要中含有身份证号码"),
        ("王小明反映楼道堆放杂物", "公开摘要中含有反映人的姓名"),
    ],
)
def test_accept_page_refuses_personal_data_in_the_public_summary(client, city, summary, error):
    """PIPL art 6, art 28: the page says why in Chinese and registers nothing."""
    report, _ = submit(city, **COMPLAINT)
    response = as_(client, city, PostCode.INTAKE).post(
        reverse("backoffice:report_act", args=[report.pk, "accept"]),
        {"category": city.lamp.pk, "public_summary": summary},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_public_summary_changed_on_the_page_by_the_shift_lead_is_recorded(client, city):
    """等保2.0 8.1.4.10: a later change of the published text is its own record entry."""
    report, _ = submit(city, **COMPLAINT)
    report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
    client = as_(client, city, PostCode.SHIFT_LEAD)
    assert client.get(reverse("backoffice:report", args=[report.pk])).context["may_edit_summary"]
    response = client.post(
        reverse("backoffice:report_public_summary", args=[report.pk]),
        {"text": "楼道堆放杂物 · 东街道一社区"},
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).public_summary == "楼道堆放杂物 · 东街道一社区"
    entry = RecordEntry.objects.get(action="report.public_summary", object_id=str(report.pk))
    assert entry.changes == {
        "public_summary": ["路灯 · 东街道一社区", "楼道堆放杂物 · 东街道一社区"]
    }


def test_public_summary_change_page_refuses_a_phone_number(client, city):
    report, _ = submit(city, **COMPLAINT)
    report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
    response = as_(client, city, PostCode.INTAKE).post(
        reverse("backoffice:report_public_summary", args=[report.pk]),
        {"text": "张建国 138 0013 8000"},
    )
    assert response.status_code == 400
    assert "公开摘要中含有手机号码" in response.content.decode()
    assert Report.objects.get(pk=report.pk).public_summary == "路灯 · 东街道一社区"


def test_public_summary_change_by_the_dispatcher_is_refused(client, city):
    report, _ = submit(city, **COMPLAINT)
    report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
    client = as_(client, city, PostCode.DISPATCHER)
    page = client.get(reverse("backoffice:report", args=[report.pk]))
    assert not page.context["may_edit_summary"]
    response = client.post(
        reverse("backoffice:report_public_summary", args=[report.pk]), {"text": "别的摘要"}
    )
    assert response.status_code == 409
    assert Report.objects.get(pk=report.pk).public_summary == "路灯 · 东街道一社区"


# --- Field photos (issue 11) -------------------------------------------------------------


def test_the_handling_form_takes_photos_from_the_phone_camera(client, city):
    report = in_progress(city)
    page = as_(client, city, PostCode.HANDLER).get(reverse("backoffice:report", args=[report.pk]))
    html = page.content.decode()
    action = reverse("backoffice:report_act", args=[report.pk, "handle"])
    assert f'action="{action}" enctype="multipart/form-data"' in html
    assert 'accept="image/*" capture="environment"' in html
    assert "处置后照片" in html


def test_handling_on_the_page_without_a_photo_is_refused_with_the_reason(client, city):
    report = in_progress(city)
    response = as_(client, city, PostCode.HANDLER).post(
        reverse("backoffice:report_act", args=[report.pk, "handle"]),
        {"result": "已更换灯具", "disposal_mode": "service"},
    )
    assert response.status_code == 409
    assert "处置后照片" in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_handling_on_the_page_with_photos_shows_them_at_their_step(client, city):
    report = in_progress(city)
    client = as_(client, city, PostCode.HANDLER)
    response = client.post(
        reverse("backoffice:report_act", args=[report.pk, "handle"]),
        {
            "result": "已更换灯具",
            "disposal_mode": "service",
            "photos": [photo("a.jpg", size=20), photo("b.jpg", size=21)],
        },
    )
    assert response.status_code == 302
    assert ReportPhoto.objects.filter(report=report).count() == 2
    page = client.get(reverse("backoffice:report", args=[report.pk]))
    steps = [(label, len(photos)) for label, photos in page.context["photo_steps"]]
    assert steps == [("处置后", 2)]
    assert page.content.decode().count('class="evidence-photo"') == 2


def test_a_non_image_on_the_page_is_refused_with_a_chinese_error_and_nothing_stored(client, city):
    report = in_progress(city)
    stored = Evidence.objects.count()
    response = as_(client, city, PostCode.HANDLER).post(
        reverse("backoffice:report_act", args=[report.pk, "handle"]),
        {
            "result": "已更换灯具",
            "disposal_mode": "service",
            "photos": [SimpleUploadedFile("after.jpg", b"%PDF-1.7\n" + bytes(200), "image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert "“after.jpg”不是照片" in response.content.decode()
    assert Evidence.objects.count() == stored
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_only_the_inspector_or_shift_leader_approves_a_photo_for_the_public(client, city):
    report = handled(city)
    field_photo = ReportPhoto.objects.get(report=report)
    url = reverse("backoffice:report_photo_public", args=[report.pk, field_photo.pk])
    refused = as_(client, city, PostCode.HANDLER).post(url, {"public": "1"})
    assert refused.status_code == 409
    assert not ReportPhoto.objects.get(pk=field_photo.pk).is_public
    approved = as_(client, city, PostCode.INSPECTOR).post(url, {"public": "1"})
    assert approved.status_code == 302
    assert ReportPhoto.objects.get(pk=field_photo.pk).is_public
    assert RecordEntry.objects.filter(action="report.photo_publish").count() == 1
    withdrawn = as_(client, city, PostCode.SHIFT_LEAD).post(url, {"public": "0"})
    assert withdrawn.status_code == 302
    assert not ReportPhoto.objects.get(pk=field_photo.pk).is_public


def test_a_photo_of_another_report_is_404(client, city):
    report = handled(city)
    other, _ = submit(city)
    field_photo = ReportPhoto.objects.get(report=report)
    response = as_(client, city, PostCode.SHIFT_LEAD).post(
        reverse("backoffice:report_photo_public", args=[other.pk, field_photo.pk]), {"public": "1"}
    )
    assert response.status_code == 404
