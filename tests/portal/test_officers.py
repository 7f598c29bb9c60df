"""The officers' public pages (事中公示): the list of officers on duty, the identity page
behind the 执法公示卡's QR code, the lookup by certificate number, the photo, and the
links from the document check page. The standing follows the certificate at once."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.urls import reverse
from PIL import Image

from tests.factories import CertificateFactory, UserFactory
from yangguang.org.enums import CertificateStatus, PostCode
from yangguang.org.models import Certificate, Rank
from yangguang.org.services import certificate_update, officer_photo_set, user_update
from yangguang.portal.officer_views import PER_PAGE

NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)
PHONE = "13912340001"
ID_NUMBER = "370802198005010012"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def officer(org_tree, clock):
    rank = Rank.objects.create(name="二级主办", category="行政执法类", sort_order=2)
    return UserFactory(
        username="zhoum",
        name="周明",
        unit=org_tree.squadron1,
        posts=[PostCode.OFFICER],
        phone=PHONE,
        rank=rank,
    )


@pytest.fixture
def certificate(officer):
    return CertificateFactory(
        holder=officer,
        number="37089900000042",
        valid_from=TODAY - 300 * DAY,
        valid_to=TODAY + 10 * DAY,
        enforcement_category="城市管理综合执法",
        enforcement_area="阳光区东街道",
        note=f"身份证 {ID_NUMBER}",  # internal: never on a public page
    )


def officer_in(unit, name: str, **certificate) -> Certificate:
    holder = UserFactory(name=name, unit=unit, posts=[PostCode.OFFICER], phone=PHONE)
    values = {"valid_from": TODAY - 300 * DAY, "valid_to": TODAY + 300 * DAY}
    return CertificateFactory(holder=holder, **(values | certificate))


def suspend(certificate: Certificate) -> None:
    certificate_update(
        certificate=certificate,
        number=certificate.number,
        issuing_authority=certificate.issuing_authority,
        valid_from=certificate.valid_from,
        valid_to=certificate.valid_to,
        status=CertificateStatus.SUSPENDED,
    )


def identity_url(certificate: Certificate) -> str:
    return reverse("portal:officer", args=[certificate.card_token])


def status_box(html: str) -> str:
    """The identity page's status line: its class and its words."""
    found = re.search(r'<p class="officer-status ([\w-]+)" role="status">(.*?)</p>', html, re.S)
    assert found, html
    words = " ".join(re.sub(r"<[^>]+>", " ", found.group(2)).split())
    return f"{found.group(1)} {words}"


def assert_nothing_personal(html: str, officer) -> None:
    for personal in (PHONE, ID_NUMBER, officer.username, "139****0001"):
        assert personal not in html


# --- The identity page ------------------------------------------------------------------


def test_the_identity_page_shows_the_card_and_valid_in_green(client, certificate, officer):
    html = client.get(identity_url(certificate)).content.decode()

    assert status_box(html).startswith("officer-valid ✓ 有效 该执法证今日有效")
    for shown in ("周明", "37089900000042", "阳光市人民政府", "第一中队", "二级主办"):
        assert shown in html
    assert "城市管理综合执法" in html
    assert "阳光区东街道" in html
    assert_nothing_personal(html, officer)


def test_a_suspension_shows_on_the_identity_page_at_once(client, certificate):
    assert "有效" in status_box(client.get(identity_url(certificate)).content.decode())

    suspend(certificate)

    page = client.get(identity_url(certificate))
    assert status_box(page.content.decode()).startswith("officer-invalid ✕ 已暂停")
    assert "no-cache" in page["Cache-Control"]


def test_the_page_says_expired_the_day_after_the_last_day(client, certificate, clock):
    clock.move_to(NOW + 10 * DAY, tick=False)
    assert "officer-valid" in status_box(client.get(identity_url(certificate)).content.decode())

    clock.move_to(NOW + 11 * DAY, tick=False)

    box = status_box(client.get(identity_url(certificate)).content.decode())
    assert box.startswith("officer-invalid ✕ 已过期")
    assert "持证人不得凭此证执法" in box


@pytest.mark.parametrize(
    ("status", "word"),
    [(CertificateStatus.REVOKED, "已注销"), (CertificateStatus.CANCELLED, "已注销")],
)
def test_revoked_and_cancelled_read_cancelled_in_red(client, officer, status, word):
    certificate = CertificateFactory(holder=officer, status=status)
    assert status_box(client.get(identity_url(certificate)).content.decode()).startswith(
        f"officer-invalid ✕ {word}"
    )


def test_the_provincial_verifier_is_linked_when_configured(client, certificate, settings):
    settings.CERTIFICATE_VERIFIER_URL = ""
    assert "sfj.example" not in client.get(identity_url(certificate)).content.decode()
    settings.CERTIFICATE_VERIFIER_URL = "https://sfj.example.gov.cn/check?no={number}"
    html = client.get(identity_url(certificate)).content.decode()
    assert 'href="https://sfj.example.gov.cn/check?no=37089900000042"' in html


@pytest.mark.parametrize("token", ["nope", "x" * 200, "37089900000042", "A" * 24])
def test_an_unknown_card_token_is_not_found(client, certificate, token):
    assert client.get(f"/officers/{token}/").status_code == 404
    assert client.get(f"/officers/{token}/photo.jpg").status_code == 404


# --- The photo --------------------------------------------------------------------------


def test_the_photo_is_served_as_jpeg_and_shown_on_the_pages(client, certificate, officer):
    photo_url = reverse("portal:officer_photo", args=[certificate.card_token])
    assert client.get(photo_url).status_code == 404
    assert photo_url not in client.get(identity_url(certificate)).content.decode()
    picture = io.BytesIO()
    Image.new("RGB", (300, 400), (10, 20, 30)).save(picture, "PNG")
    officer_photo_set(user=officer, content=picture.getvalue(), name="z.png", now=NOW, actor=None)

    response = client.get(photo_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).format == "JPEG"
    assert photo_url in client.get(identity_url(certificate)).content.decode()
    assert photo_url in client.get(reverse("portal:officers")).content.decode()


# --- The list ---------------------------------------------------------------------------


def test_the_list_shows_only_officers_valid_today(client, org_tree, certificate, officer):
    officer_in(org_tree.squadron2, "郭磊")
    officer_in(org_tree.squadron2, "马晓东", valid_to=TODAY - DAY)
    officer_in(org_tree.squadron2, "林志远", status=CertificateStatus.SUSPENDED)
    officer_in(org_tree.squadron2, "何伟", status=CertificateStatus.REVOKED)
    officer_in(org_tree.squadron2, "许静", valid_from=TODAY + DAY)
    gone = officer_in(org_tree.squadron2, "韩冰")
    user_update(
        user=gone.holder,
        name=gone.holder.name,
        phone=PHONE,
        unit=gone.holder.unit,
        rank=None,
        is_active=False,
        actor=None,
    )

    html = client.get(reverse("portal:officers")).content.decode()

    for shown in ("周明", "郭磊", "37089900000042", "二级主办", "城市管理综合执法"):
        assert shown in html
    for hidden in ("马晓东", "林志远", "何伟", "许静", "韩冰"):
        assert hidden not in html
    assert identity_url(certificate) in html
    assert_nothing_personal(html, officer)


def test_an_officer_leaves_the_list_the_moment_the_certificate_is_suspended(client, certificate):
    assert "周明" in client.get(reverse("portal:officers")).content.decode()
    suspend(certificate)
    assert "周明" not in client.get(reverse("portal:officers")).content.decode()


def test_the_list_filters_by_unit_and_says_so_for_a_bad_unit(client, org_tree, certificate):
    officer_in(org_tree.squadron2, "郭磊")
    url = reverse("portal:officers")

    second = client.get(url, {"unit": org_tree.squadron2.pk}).content.decode()
    brigade = client.get(url, {"unit": org_tree.brigade.pk})
    bad = client.get(url, {"unit": "1 OR 1=1"})

    assert "郭磊" in second
    assert "周明" not in second
    assert brigade.status_code == 400  # no officer belongs to the brigade itself
    assert bad.status_code == 400
    assert "清单中没有该单位" in bad.content.decode()
    assert "周明" in bad.content.decode()
    assert "郭磊" in bad.content.decode()


def test_the_list_is_paginated(client, org_tree, clock):
    for number in range(PER_PAGE + 1):
        officer_in(org_tree.squadron1, f"队员{number:02d}")
    url = reverse("portal:officers")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    junk = client.get(url, {"page": "x"})

    assert first.count('class="card officer-row"') == PER_PAGE
    assert second.count('class="card officer-row"') == 1
    assert junk.status_code == 200


def test_the_list_takes_the_same_queries_for_one_or_three_officers(
    client, org_tree, certificate, django_assert_num_queries
):
    url = reverse("portal:officers")
    client.get(url)
    with django_assert_num_queries(3) as one:
        client.get(url)
    officer_in(org_tree.squadron1, "郭磊")
    officer_in(org_tree.squadron2, "马晓东")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


# --- The lookup by certificate number ---------------------------------------------------


def test_the_lookup_finds_the_certificate_whatever_its_standing(client, certificate, officer):
    url = reverse("portal:officer_lookup")
    html = client.get(url, {"number": "37089900000042"}).content.decode()
    assert status_box(html).startswith("officer-valid ✓ 有效")
    assert "周明" in html
    assert_nothing_personal(html, officer)

    suspend(certificate)
    # Typed with full-width digits and spaces, as a phone's Chinese keyboard may.
    html = client.get(url, {"number": " ３７０８９９ ００００００４２"}).content.decode()
    assert status_box(html).startswith("officer-invalid ✕ 已暂停")


def test_an_unknown_number_is_answered_in_chinese(client, certificate):
    response = client.get(reverse("portal:officer_lookup"), {"number": "37089900009999"})
    assert response.status_code == 404
    assert "未查到证件号码为 37089900009999 的执法证" in response.content.decode()


def test_the_empty_lookup_form_asks_for_a_number(client, clock):
    response = client.get(reverse("portal:officer_lookup"))
    assert response.status_code == 200
    assert "按证件号码查询" in response.content.decode()


@pytest.mark.parametrize(
    "number",
    [
        "3708\x0099",  # NUL byte
        "3" * 5000,  # very long
        "3" * 40,  # longer than any certificate number
        "3708\u202e99",  # right-to-left override
        "3708\u200b99",  # zero-width space
        "   ",
        "\ufeff",
        "😀" * 10,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
    ],
)
def test_bad_lookup_input_gets_a_message_never_an_error(client, certificate, number):
    response = client.get(reverse("portal:officer_lookup"), {"number": number})
    assert response.status_code in {400, 404}
    html = response.content.decode()
    assert 'class="error-box"' in html
    assert "<script>alert(1)</script>" not in html
    assert "\x00" not in html


def test_undecodable_bytes_in_the_lookup_get_a_message(client, certificate):
    response = client.get("/officers/lookup/?number=%ED%B3%BF%FF%C0%AF")
    assert response.status_code in {400, 404}
    assert 'class="error-box"' in response.content.decode()


# --- The document check page ------------------------------------------------------------


def test_the_document_check_page_links_the_officers_to_their_identity_pages(client, certified):
    from tests.cases.helpers import P, at, go, load_catalogue, new_case

    load_catalogue()
    case = new_case(certified, now=at(2026, 9, 1, 9))
    go(case, "file", P.SQUAD_LEADER, certified, now=at(2026, 9, 1, 10))
    document = case.documents.get(kind="filing_approval")

    html = client.get(reverse("portal:document", args=[document.verify_token])).content.decode()

    for code in (P.OFFICER, P.SQUAD_LEADER):
        certificate = certified[code].certificates.get()
        assert f'href="{identity_url(certificate)}"' in html
        assert certificate.number in html
    assert "执法人员证件号" in html
    assert "13800000005" not in html  # the officer persona's phone
