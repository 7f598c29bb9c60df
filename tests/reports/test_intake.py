"""Intake from every channel: located on the grids, routed, numbered, acknowledged."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.records import samples
from tests.reports.helpers import INSIDE, deliver, submit
from yangguang.notify.models import Message, MessageStatus
from yangguang.org.enums import PostCode
from yangguang.records.models import EvidenceLink, RecordEntry
from yangguang.reports.enums import Channel, ReportKind, Status
from yangguang.reports.models import Report
from yangguang.reports.services import NewReport, report_submit, token_hash


def test_public_report_is_located_routed_and_acknowledged(city):
    report, token = submit(city)
    assert report.status == Status.SUBMITTED
    assert len(report.tracking_number) == 13
    assert (report.grid.code, report.community, report.street) == (
        "370899001001001",
        city.org.community1,
        city.org.street,
    )
    # 部件先属主: the street lamp goes to its owner, the municipal unit.
    assert report.proposed_unit == city.org.municipal
    reporter = report.reporters.get()
    assert reporter.token_hash == token_hash(token)
    assert deliver() == 1
    receipt = Message.objects.get(purpose="receipt")
    assert (receipt.phone, receipt.status) == ("13912345678", MessageStatus.SENT)
    assert report.tracking_number in receipt.body
    # The tracking token reaches the phone but is masked in the stored text and gone
    # from the outbox once sent (等保2.0 GB/T 22239-2019 8.1.4.8; tests/notify).
    assert token not in receipt.body
    assert "/track/***/" in receipt.body
    assert receipt.secret_body == ""


def test_submission_is_recorded_with_personal_data_marked(city):
    report, _token = submit(city)
    entry = RecordEntry.objects.get(action="report.submit", object_id=str(report.pk))
    assert entry.personal == {"reporter_name": "name", "reporter_phone": "phone"}
    assert entry.changes["grid"] == [None, "370899001001001"]


def test_tracking_numbers_count_up_within_a_day(city):
    first, _ = submit(city)
    second, _ = submit(city)
    assert int(second.tracking_number) == int(first.tracking_number) + 1


def test_anonymous_report_needs_no_contact(city):
    report, _ = submit(city, reporter_name="", reporter_phone="")
    assert report.reporters.get().phone == ""
    assert deliver() == 0


def test_event_goes_to_the_territory_first(city):
    """事件先属地: 占道经营 (an enforcement matter) goes to the grid's squadron."""
    from yangguang.categories.models import Category

    stall = Category.objects.get(standard__code="GB/T 47678.5-2026", kind="event", code="09006")
    report, _ = submit(city, category=stall)
    assert report.proposed_unit == city.org.squadron1


def test_report_outside_every_grid_still_finds_the_owner(city):
    """A component's owner handles it wherever it is (先属主)."""
    report, _ = submit(city, longitude=117.5, latitude=36.5)
    assert (report.grid, report.street) == (None, None)
    assert report.proposed_unit == city.org.municipal


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"description": "字" * 4001}, "description"),
        ({"reporter_phone": "12345"}, "reporter_phone"),
        ({"longitude": None, "latitude": None, "address": ""}, "address"),
        ({"latitude": 40.0, "longitude": None}, "latitude"),
        ({"latitude": 116.6, "longitude": 35.4}, "latitude"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(city, overrides, field):
    with pytest.raises(ValidationError) as error:
        submit(city, **overrides)
    assert field in error.value.message_dict
    assert Report.objects.count() == 0
    assert not RecordEntry.objects.filter(action="report.submit").exists()


def test_hotline_question_needs_no_location_or_category(city):
    report, _ = submit(
        city,
        kind=ReportKind.CONSULTATION,
        channel=Channel.HOTLINE,
        category=None,
        description="请问占道经营的处罚标准是什么？",
        address="",
        longitude=None,
        latitude=None,
        actor=city.people[PostCode.INTAKE],
    )
    assert (report.kind, report.proposed_unit, report.created_by) == (
        ReportKind.CONSULTATION,
        None,
        city.people[PostCode.INTAKE],
    )


def test_photos_are_stored_as_evidence_of_the_report(city):
    photo = SimpleUploadedFile("现场.jpg", samples.jpeg_with_exif())
    report, _ = report_submit(
        data=NewReport(
            kind=ReportKind.PROBLEM,
            channel=Channel.PATROL,
            description="井盖缺失",
            category=city.lamp,
            **INSIDE,
        ),
        actor=city.people[PostCode.INSPECTOR],
        photos=[photo],
    )
    link = EvidenceLink.objects.get(object_type="reports.report", object_id=str(report.pk))
    assert link.evidence.kind == "photo"


def test_a_non_photo_attachment_is_refused(city):
    fake = SimpleUploadedFile("photo.jpg", samples.elf())
    with pytest.raises(ValidationError):
        report_submit(
            data=NewReport(kind=ReportKind.PROBLEM, channel=Channel.WEB, description="x", **INSIDE),
            actor=None,
            photos=[fake],
        )
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "路灯\x00不亮"}, "description"),
        ({"reporter_email": "not-an-address"}, "reporter_email"),
    ],
)
def test_text_that_cannot_be_stored_is_refused(city, overrides, field):
    with pytest.raises(ValidationError) as error:
        submit(city, **overrides)
    assert field in error.value.message_dict
    assert Report.objects.count() == 0
