"""Certificates' public side (事中公示): the standing in plain words (``public_status``),
the random identity-page key, 执法类别/区域, the officer's photo (checked by the seal's
own image check) and the 执法公示卡 PDF."""

import datetime
import io
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader

from tests.factories import CertificateFactory, UserFactory
from tests.printed import qr_matches
from yangguang.org.card import HEIGHT, WIDTH, card_pdf
from yangguang.org.enums import CertificateStatus, PostCode
from yangguang.org.identity import PublicStatus, identity_url, public_status, verifier_url
from yangguang.org.models import OfficerPhoto, Rank
from yangguang.org.services import (
    certificate_add,
    certificate_update,
    officer_photo_remove,
    officer_photo_set,
    unit_seal_validate,
    user_update,
)
from yangguang.records.models import RecordEntry

NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def officer(org_tree):
    rank = Rank.objects.create(name="一级主办", category="行政执法类", sort_order=1)
    return UserFactory(
        name="周明",
        unit=org_tree.squadron1,
        posts=[PostCode.OFFICER],
        phone="13900000001",
        rank=rank,
    )


@pytest.fixture
def certificate(officer):
    return certificate_add(
        holder=officer,
        number="37089900000042",
        issuing_authority="阳光市人民政府",
        valid_from=TODAY - 400 * DAY,
        valid_to=TODAY + 400 * DAY,
        status=CertificateStatus.VALID,
        enforcement_category="城市管理综合执法",
        enforcement_area="阳光区",
    )


def photo_bytes(*, kind: str = "JPEG", size: tuple[int, int] = (300, 400)) -> bytes:
    """A picture with EXIF (a camera model and a GPS block) as a phone writes it."""
    image = Image.new("RGB", size, (40, 90, 160))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    exif[0x8825] = {1: "N", 2: (36.0, 30.0, 0.0)}  # GPSInfo
    output = io.BytesIO()
    image.save(output, kind, exif=exif.tobytes())
    return output.getvalue()


# --- public_status ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "valid_from", "valid_to", "expected"),
    [
        (CertificateStatus.VALID, TODAY - DAY, TODAY + DAY, PublicStatus.VALID),
        (CertificateStatus.VALID, TODAY, TODAY, PublicStatus.VALID),  # first and last day
        (CertificateStatus.VALID, TODAY - 9 * DAY, TODAY - DAY, PublicStatus.EXPIRED),
        (CertificateStatus.VALID, TODAY + DAY, TODAY + 9 * DAY, PublicStatus.NOT_YET_VALID),
        (CertificateStatus.SUSPENDED, TODAY - DAY, TODAY + DAY, PublicStatus.SUSPENDED),
        (CertificateStatus.SUSPENDED, TODAY - 9 * DAY, TODAY - DAY, PublicStatus.SUSPENDED),
        (CertificateStatus.REVOKED, TODAY - DAY, TODAY + DAY, PublicStatus.REVOKED),
        (CertificateStatus.CANCELLED, TODAY - DAY, TODAY + DAY, PublicStatus.REVOKED),
        (CertificateStatus.CANCELLED, TODAY - 9 * DAY, TODAY - DAY, PublicStatus.REVOKED),
    ],
)
def test_public_status_says_the_standing_on_the_day(
    officer, status, valid_from, valid_to, expected
):
    certificate = CertificateFactory(
        holder=officer, status=status, valid_from=valid_from, valid_to=valid_to
    )
    assert public_status(certificate, TODAY) == expected


def test_public_status_words_are_the_plain_chinese_ones(officer):
    from django.utils import translation

    with translation.override("zh-hans"):
        labels = [str(status.label) for status in PublicStatus]
    assert labels == ["有效", "已过期", "已暂停", "已注销", "尚未生效"]


def test_a_certificate_expires_the_day_after_its_last_day(certificate):
    assert public_status(certificate, certificate.valid_to) == PublicStatus.VALID
    assert public_status(certificate, certificate.valid_to + DAY) == PublicStatus.EXPIRED


def test_a_deactivated_officers_certificate_reads_revoked(certificate, officer):
    user_update(
        user=officer,
        name=officer.name,
        phone=officer.phone,
        unit=officer.unit,
        rank=officer.rank,
        is_active=False,
        actor=None,
    )
    certificate.refresh_from_db()
    assert public_status(certificate, TODAY) == PublicStatus.REVOKED


# --- The certificate's public fields ----------------------------------------------------


def test_each_certificate_gets_its_own_random_card_token(certificate, officer):
    other = CertificateFactory(holder=officer)
    assert len(certificate.card_token) >= 24
    assert certificate.card_token != other.card_token
    assert certificate.number not in certificate.card_token


def test_category_and_area_are_recorded_and_kept_by_an_update_that_omits_them(certificate):
    entry = RecordEntry.objects.filter(action="org.certificate.add").get()
    assert entry.changes["enforcement_category"] == [None, "城市管理综合执法"]
    certificate_update(
        certificate=certificate,
        number=certificate.number,
        issuing_authority=certificate.issuing_authority,
        valid_from=certificate.valid_from,
        valid_to=certificate.valid_to,
        status=CertificateStatus.SUSPENDED,
    )
    certificate.refresh_from_db()
    assert (certificate.enforcement_category, certificate.enforcement_area) == (
        "城市管理综合执法",
        "阳光区",
    )
    update = RecordEntry.objects.filter(action="org.certificate.update").get()
    assert update.changes == {"status": ["valid", "suspended"]}


def test_the_identity_url_follows_the_public_address(certificate, settings):
    settings.PUBLIC_BASE_URL = "https://zf.example.gov.cn/"
    assert identity_url(certificate) == (
        f"https://zf.example.gov.cn/officers/{certificate.card_token}/"
    )


def test_the_verifier_link_is_made_only_when_configured(certificate, settings):
    settings.CERTIFICATE_VERIFIER_URL = ""
    assert verifier_url(certificate) == ""
    settings.CERTIFICATE_VERIFIER_URL = "https://sfj.example.gov.cn/zfz?no={number}&x={y}"
    certificate.number = "浙A 01/2"
    assert verifier_url(certificate) == (
        "https://sfj.example.gov.cn/zfz?no=%E6%B5%99A%2001%2F2&x={y}"
    )


# --- The officer's photo ----------------------------------------------------------------


def test_the_photo_is_kept_as_a_small_jpeg_without_metadata(officer):
    photo = officer_photo_set(
        user=officer,
        content=photo_bytes(size=(1200, 1600)),
        name="zhou.jpg",
        now=NOW,
        actor=None,
    )
    with Image.open(io.BytesIO(bytes(photo.image))) as kept:
        assert kept.format == "JPEG"
        assert kept.size == (450, 600)
        assert dict(kept.getexif()) == {}
    entry = RecordEntry.objects.filter(action="org.user.update").latest("sequence")
    assert entry.changes == {"photo": [None, photo.sha256]}


def test_a_png_photo_is_accepted_too(officer):
    photo = officer_photo_set(
        user=officer, content=photo_bytes(kind="PNG"), name="p.png", now=NOW, actor=None
    )
    assert (photo.width, photo.height) == (300, 400)


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 400, "photo.jpg", "executable"),  # a program named .jpg
        (b"just some text, not a picture at all\n" * 4, "photo.jpg", "text"),
        (b"", "photo.jpg", "empty"),
        (b"GIF89a" + b"\x00" * 100, "photo.jpg", "wrong_type"),
        (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "photo.jpg", "too_large"),
    ],
)
def test_a_photo_that_is_not_a_jpeg_or_png_is_refused(officer, content, name, code):
    with pytest.raises(ValidationError) as refused:
        officer_photo_set(user=officer, content=content, name=name, now=NOW, actor=None)
    assert refused.value.code == code
    assert not OfficerPhoto.objects.exists()


def test_a_tiny_photo_is_refused_by_the_same_check_as_the_seal(officer):
    with pytest.raises(ValidationError, match="between 100 and 6000 pixels"):
        officer_photo_set(
            user=officer, content=photo_bytes(size=(60, 80)), name="p.jpg", now=NOW, actor=None
        )
    # The seal's check is the same code path with its own rule: a JPEG is no seal.
    with pytest.raises(ValidationError, match="must be a PNG"):
        unit_seal_validate(content=photo_bytes(), name="seal.jpg")


def test_removing_the_photo_is_recorded(officer):
    photo = officer_photo_set(
        user=officer, content=photo_bytes(), name="p.jpg", now=NOW, actor=None
    )
    officer_photo_remove(user=officer, actor=None)
    assert not OfficerPhoto.objects.exists()
    entry = RecordEntry.objects.filter(action="org.user.update").latest("sequence")
    assert entry.changes == {"photo": [photo.sha256, None]}


# --- The 执法公示卡 ---------------------------------------------------------------------


def test_the_card_carries_the_officer_and_a_qr_code_to_the_identity_page(
    certificate, officer, org_tree, settings
):
    settings.PUBLIC_BASE_URL = "https://zf.example.gov.cn"
    officer_photo_set(user=officer, content=photo_bytes(), name="p.jpg", now=NOW, actor=None)

    reader = PdfReader(io.BytesIO(card_pdf(certificate=certificate, day=TODAY)))

    assert len(reader.pages) == 1  # A4: front and back side by side
    text = reader.pages[0].extract_text()
    for expected in (
        "执法公示卡",
        "周明",
        "第一中队",
        "37089900000042",
        "一级主办",
        "城市管理综合执法",
        "测试局",  # the bureau, on the back
        "请扫码核验",
        f"{certificate.valid_to.year}年{certificate.valid_to.month}月{certificate.valid_to.day}日",
    ):
        assert expected in text, expected
    assert "13900000001" not in text
    images = [image.image for image in reader.pages[0].images]
    assert len(images) == 2  # the photo and the QR code
    assert any(qr_matches(image, identity_url(certificate)) for image in images)


def test_the_card_size_layout_has_a_front_and_a_back_page_of_85_6_by_54_mm(certificate):
    reader = PdfReader(io.BytesIO(card_pdf(certificate=certificate, day=TODAY, layout="card")))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
            round(WIDTH, 1),
            round(HEIGHT, 1),
        )
    assert "周明" in reader.pages[0].extract_text()
    assert "请扫码核验" in reader.pages[1].extract_text()
    assert len(reader.pages[1].images) == 1  # the QR code (no photo on file)


def test_no_card_for_a_certificate_not_valid_today(certificate):
    with pytest.raises(ValidationError, match="valid today"):
        card_pdf(certificate=certificate, day=certificate.valid_to + DAY)
    with pytest.raises(ValidationError, match="layout"):
        card_pdf(certificate=certificate, day=TODAY, layout="poster")
