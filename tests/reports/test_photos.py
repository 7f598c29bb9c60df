"""Field photos of the loop (issue 11): the after-photo at 处置, photos at 核查, bounded,
photos only, nothing half-written; public only once staff approve, without EXIF."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.records import samples
from tests.reports.helpers import go, handled, in_progress, photo
from yangguang.categories.models import Category
from yangguang.categories.services import category_configure
from yangguang.org.enums import PostCode
from yangguang.records.evidence import evidence_add
from yangguang.records.models import Evidence, EvidenceLink, RecordEntry
from yangguang.records.registry import target_for
from yangguang.records.verify import chain_verify
from yangguang.reports.enums import DisposalMode, PhotoStage, Status
from yangguang.reports.models import Report, ReportPhoto
from yangguang.reports.photos import PHOTOS_MAX, photo_public_copy
from yangguang.reports.selectors import report_photos_by_step, report_public_photos
from yangguang.reports.services import report_photo_publish
from yangguang.reports.workflow import TransitionRefused

P = PostCode
HANDLING = {"result": "已更换灯具", "disposal_mode": DisposalMode.SERVICE}


def handle(report, city, **data):
    return go(report, "handle", P.HANDLER, city, **HANDLING, **data)


def counts():
    return (Evidence.objects.count(), EvidenceLink.objects.count(), ReportPhoto.objects.count())


def test_categories_require_the_after_photo_by_default_except_noise(db):
    national = Category.objects.filter(standard__code="GB/T 47678.5-2026")
    assert national.filter(after_photo_required=False).count() == 1
    assert national.get(after_photo_required=False).name == "噪声扰民"
    assert not national.filter(verification_photo_required=True).exists()


def test_handling_without_the_after_photo_is_refused_and_writes_nothing(city):
    report = in_progress(city)
    entries = RecordEntry.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        handle(report, city)
    assert refused.value.code == "photo_required"
    assert "处置后照片" in refused.value.reason
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS
    assert RecordEntry.objects.count() == entries


def test_handling_with_photos_files_them_at_the_step_and_records_their_hashes(city):
    report = in_progress(city)
    report = handle(report, city, photos=[photo("a.jpg", size=16), photo("b.jpg", size=20)])
    assert report.status == Status.HANDLED
    photos = list(ReportPhoto.objects.filter(report=report))
    assert [(p.stage, p.verb, p.round, p.is_public) for p in photos] == [
        (PhotoStage.HANDLING, "handle", 0, False),
        (PhotoStage.HANDLING, "handle", 0, False),
    ]
    entry = RecordEntry.objects.filter(action="report.handle").get()
    assert sorted(entry.evidence) == sorted(p.evidence.sha256 for p in photos)
    assert entry.changes["evidence"] == [
        None,
        [f"{p.evidence.original_name} ({p.evidence.sha256[:12]})" for p in photos],
    ]
    assert chain_verify().ok


def test_a_category_without_the_rule_is_handled_without_a_photo(city):
    lamp = city.lamp
    category_configure(
        category=lamp,
        handling_type=lamp.handling_type,
        limit_amount=lamp.limit_amount,
        limit_unit=lamp.limit_unit,
        can_lead_to_case=lamp.can_lead_to_case,
        keywords=lamp.keywords,
        is_active=True,
        after_photo_required=False,
        actor=None,
    )
    entry = RecordEntry.objects.filter(action="categories.category.configure").last()
    assert entry.changes["after_photo_required"] == [True, False]
    report = handle(in_progress(city), city)
    assert report.status == Status.HANDLED


def test_configuring_a_category_without_the_photo_flags_keeps_them(city):
    lamp = city.lamp
    Category.objects.filter(pk=lamp.pk).update(verification_photo_required=True)
    lamp.refresh_from_db()
    category_configure(
        category=lamp,
        handling_type=lamp.handling_type,
        limit_amount=lamp.limit_amount,
        limit_unit=lamp.limit_unit,
        can_lead_to_case=lamp.can_lead_to_case,
        keywords="路灯",
        is_active=True,
    )
    lamp.refresh_from_db()
    assert (lamp.after_photo_required, lamp.verification_photo_required) == (True, True)


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_written(city):
    report = in_progress(city)
    before = counts()
    document = SimpleUploadedFile("after.jpg", b"%PDF-1.7\n" + b"x" * 200, "image/jpeg")
    with pytest.raises(ValidationError) as refused:
        handle(report, city, photos=[photo(), document])
    assert refused.value.message_dict["photos"] == [
        "“after.jpg” is not a photo: attach pictures only (JPEG, PNG, WebP, HEIC)."
    ]
    assert counts() == before
    assert Report.objects.get(pk=report.pk).status == Status.IN_PROGRESS


def test_at_most_nine_photos_a_step(city):
    report = in_progress(city)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        handle(report, city, photos=[photo(size=10 + n) for n in range(PHOTOS_MAX + 1)])
    assert "9" in refused.value.message_dict["photos"][0]
    assert counts() == before
    handle(report, city, photos=[photo(size=10 + n) for n in range(PHOTOS_MAX)])
    assert ReportPhoto.objects.filter(report=report).count() == PHOTOS_MAX


def test_a_photo_over_the_evidence_limit_is_refused(city, settings):
    settings.EVIDENCE_MAX_BYTES = {**settings.EVIDENCE_MAX_BYTES, "photo": 100}
    report = in_progress(city)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        handle(report, city, photos=[photo(size=64)])
    assert "a photo may be at most 100" in refused.value.message_dict["photos"][0]
    assert counts() == before


def test_a_step_refused_after_its_photos_are_checked_leaves_no_evidence(city):
    report = in_progress(city)
    before = counts()
    with pytest.raises(TransitionRefused) as refused:
        go(report, "handle", P.HANDLER, city, result="", photos=[photo()])
    assert refused.value.code == "result_required"
    assert counts() == before


def test_photos_on_a_step_that_takes_none_are_refused(city):
    report = in_progress(city)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "request_shelve", P.HANDLER, city, reason="等待", photos=[photo()])
    assert refused.value.code == "photos_not_taken"


def test_verification_takes_photos_and_may_require_them(city):
    report = handled(city)
    Category.objects.filter(pk=city.lamp.pk).update(verification_photo_required=True)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "verify_fail", P.INSPECTOR, city, reason="仍不亮")
    assert refused.value.code == "photo_required"
    report = go(report, "verify_fail", P.INSPECTOR, city, reason="仍不亮", photos=[photo(size=30)])
    assert report.rework_count == 1
    report = handle(report, city, photos=[photo(size=31)])
    report = go(report, "verify_pass", P.INSPECTOR, city, photos=[photo(size=32)])
    assert report.status == Status.VERIFIED
    rows = list(ReportPhoto.objects.filter(report=report).values_list("stage", "verb", "round"))
    assert rows == [
        (PhotoStage.HANDLING, "handle", 0),
        (PhotoStage.VERIFICATION, "verify_fail", 0),
        (PhotoStage.HANDLING, "handle", 1),
        (PhotoStage.VERIFICATION, "verify_pass", 1),
    ]
    steps = [(label, len(photos)) for label, photos in report_photos_by_step(report)]
    handling, verification = "After handling (处置后)", "Verification (核查)"
    assert steps == [(handling, 1), (verification, 1), (handling, 1), (verification, 1)]


def test_photos_are_not_public_until_staff_approve(city):
    report = handled(city)
    field_photo = ReportPhoto.objects.get(report=report)
    assert list(report_public_photos(report)) == []
    with pytest.raises(TransitionRefused) as refused:
        report_photo_publish(photo=field_photo, public=True, actor=city.people[P.HANDLER])
    assert refused.value.code == "not_permitted"
    approved = report_photo_publish(photo=field_photo, public=True, actor=city.people[P.INSPECTOR])
    assert approved.is_public
    assert len(approved.public_key) == 32
    assert list(report_public_photos(report)) == [approved]
    entry = RecordEntry.objects.filter(action="report.photo_publish").get()
    assert entry.evidence == [field_photo.evidence.sha256]
    assert entry.actor_id == city.people[P.INSPECTOR].pk

    withdrawn = report_photo_publish(
        photo=field_photo, public=False, actor=city.people[P.SHIFT_LEAD]
    )
    assert (withdrawn.public_key, withdrawn.public_approved_at) == ("", None)
    assert RecordEntry.objects.filter(action="report.photo_withdraw").count() == 1
    assert chain_verify().ok


def test_the_public_copy_has_no_exif(city):
    report = in_progress(city)
    report = handle(report, city, photos=[photo(exif=True)])
    field_photo = ReportPhoto.objects.get(report=report)
    assert field_photo.evidence.latitude is not None  # the original keeps its EXIF
    copy = photo_public_copy(field_photo)
    with Image.open(io.BytesIO(copy)) as public:
        assert public.format == "JPEG"
        assert dict(public.getexif()) == {}
        assert "exif" not in public.info
    assert b"HIKVISION" not in copy


def test_a_photo_without_a_public_copy_cannot_be_approved(city):
    heic = SimpleUploadedFile("after.heic", samples.heic_head(), "image/heic")
    report = handle(in_progress(city), city, photos=[heic])  # a photo, Pillow cannot read it
    field_photo = ReportPhoto.objects.get(report=report)
    with pytest.raises(ValidationError):
        report_photo_publish(photo=field_photo, public=True, actor=city.people[P.INSPECTOR])
    assert not ReportPhoto.objects.get(pk=field_photo.pk).is_public


def test_before_and_after_photos_side_by_side_and_record_page_photos_apart(city):
    report = in_progress(city, photos=[photo("reported.jpg", size=40)])
    evidence_add(
        upload=photo("later.jpg", size=41),
        name="later.jpg",
        target=target_for(report),
        actor=city.people[P.SHIFT_LEAD],
    )
    report = handle(report, city, photos=[photo("after.jpg", size=42)])
    steps = [
        (label, [item.evidence.original_name for item in items])
        for label, items in report_photos_by_step(report)
    ]
    assert steps == [
        ("Before (reported)", ["reported.jpg"]),
        ("After handling (处置后)", ["after.jpg"]),
        ("Added on the record page", ["later.jpg"]),
    ]
