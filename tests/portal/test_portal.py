"""The public site: report, follow, rate — without logging in, and without anyone's
personal data on the public pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.records import samples
from tests.reports.helpers import INSIDE, deliver, go, in_progress, photo, submit
from yangguang.org.enums import PostCode
from yangguang.records.models import EvidenceLink
from yangguang.reports.enums import DisposalMode, Rating, Status
from yangguang.reports.models import Report, Reporter, ReportPhoto
from yangguang.reports.services import report_photo_publish, report_reply, token_hash
from yangguang.reports.workflow import report_transition


def form_data(city, **overrides):
    return {
        "kind": "problem",
        "category": city.lamp.pk,
        "description": "路灯不亮",
        "address": "一社区门口",
        "name": "王小明",
        "phone": "13912345678",
        **INSIDE,
        **overrides,
    }


def test_home_is_public_and_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "我要反映" in response.content.decode() or "反映" in response.content.decode()


def test_citizen_files_a_report_with_a_photo_and_gets_a_private_link(client, city):
    photo = SimpleUploadedFile("现场.jpg", samples.jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(reverse("portal:report"), {**form_data(city), "photos": photo})
    assert response.status_code == 302
    report = Report.objects.get()
    assert response.url.startswith("/track/")
    assert response.url.endswith("?new=1")
    page = client.get(response.url)
    assert report.tracking_number in page.content.decode()
    assert EvidenceLink.objects.filter(object_id=str(report.pk)).count() == 1


def test_bad_input_is_shown_in_chinese_and_nothing_written(client, city):
    response = client.post(reverse("portal:report"), form_data(city, phone="123", description=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "这个字段是必填项" in body or "必填" in body
    assert Report.objects.count() == 0


def test_executable_photo_is_refused(client, city):
    fake = SimpleUploadedFile("photo.jpg", samples.elf())
    response = client.post(reverse("portal:report"), {**form_data(city), "photos": fake})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_too_many_reports_from_one_address(client, city, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("portal:report"), form_data(city)).status_code == 302
    assert client.post(reverse("portal:report"), form_data(city)).status_code == 429
    assert Report.objects.count() == 2


def test_tracking_page_shows_progress_and_reply_but_no_names(client, city):
    report, token = submit(city)
    people = city.people
    report_transition(report=report, verb="accept", actor=people[PostCode.INTAKE])
    report_transition(
        report=report, verb="dispatch", actor=people[PostCode.DISPATCHER], unit=city.org.municipal
    )
    report_transition(report=report, verb="claim", actor=people[PostCode.HANDLER])
    report_transition(
        report=report,
        verb="handle",
        actor=people[PostCode.HANDLER],
        result="已更换灯泡",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo()],
    )
    report_transition(report=report, verb="verify_pass", actor=people[PostCode.INSPECTOR])
    report_reply(report=report, text="路灯已修好，谢谢！", actor=people[PostCode.SHIFT_LEAD])
    deliver()
    report_transition(report=report, verb="close", actor=people[PostCode.SHIFT_LEAD])
    body = client.get(reverse("portal:track", args=[token])).content.decode()
    assert "路灯已修好，谢谢！" in body
    assert "市政处" in body  # the unit, never a person
    for person in people.values():
        assert person.name not in body
    assert "王小明" not in body
    assert "13912345678" not in body


def test_rating_once_closed_then_never_again(client, city):
    report, token = submit(city)
    Report.objects.filter(pk=report.pk).update(status=Status.CLOSED, public_reply="好")
    assert (
        client.post(
            reverse("portal:rate", args=[token]), {"rating": Rating.UNSATISFIED}
        ).status_code
        == 302
    )
    assert Report.objects.get(pk=report.pk).rating == Rating.UNSATISFIED
    again = client.post(reverse("portal:rate", args=[token]), {"rating": Rating.SATISFIED})
    assert again.status_code == 400
    assert Report.objects.get(pk=report.pk).rating == Rating.UNSATISFIED


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("portal:track", args=["not-a-token"])).status_code == 404


def test_lookup_by_number_and_phone_end(client, city):
    report, _ = submit(city)
    ok = client.post(
        reverse("portal:lookup"), {"number": report.tracking_number, "phone_end": "5678"}
    )
    assert ok.status_code == 200
    assert report.tracking_number in ok.content.decode()
    wrong = client.post(
        reverse("portal:lookup"), {"number": report.tracking_number, "phone_end": "0000"}
    )
    assert wrong.status_code == 400


def test_merged_reporter_follows_the_master_report(client, city):
    master, _ = submit(city)
    duplicate, token = submit(city, reporter_phone="13700000001")
    report_transition(
        report=duplicate, verb="merge", actor=city.people[PostCode.INTAKE], into=master
    )
    body = client.get(reverse("portal:track", args=[token])).content.decode()
    assert master.tracking_number in body


@pytest.mark.parametrize("path", ["/area.geojson"])
def test_area_shows_grid_outlines_only(client, city, path):
    data = client.get(path).json()
    assert {feature["properties"]["code"] for feature in data["features"]} == {
        "370899001001001",
        "370899001001002",
    }
    assert set(data["features"][0]["properties"]) == {"code", "street"}


# A complaint about a neighbour: a third person's name, a flat and a phone number.
COMPLAINT = {
    "description": "阳光花园3号楼2单元501室的张建国长期在楼道堆放杂物，他的电话13800138000",
    "address": "阳光花园3号楼2单元501室",
}
NEVER_PUBLIC = ["张建国", "501室", "2单元", "3号楼", "阳光花园", "楼道", "13800138000"]


def _tracking_pages(client, report, token) -> list[str]:
    by_link = client.get(reverse("portal:track", args=[token]))
    by_number = client.post(
        reverse("portal:lookup"), {"number": report.tracking_number, "phone_end": "5678"}
    )
    assert (by_link.status_code, by_number.status_code) == (200, 200)
    return [by_link, by_number]


def _assert_public_only(pages) -> None:
    for page in pages:
        body = page.content.decode()
        for words in NEVER_PUBLIC:
            assert words not in body, words
        for event in page.context["events"]:
            for words in NEVER_PUBLIC:
                assert words not in event.text, words


def test_tracking_page_before_registration_shows_category_and_community_only(client, city):
    """个人信息保护法 art 6, art 28; 等保2.0 GB/T 22239-2019 8.1.4.10: the page is reached
    by a tracking number and four digits too, so it shows no one's words."""
    report, token = submit(city, **COMPLAINT)
    pages = _tracking_pages(client, report, token)
    _assert_public_only(pages)
    for page in pages:
        assert (page.context["what"], page.context["where"]) == ("路灯", "东街道一社区")


def test_tracking_page_and_timeline_after_registration_show_the_summary(client, city):
    """PIPL art 6; 等保2.0 8.1.4.10: the approved summary, through the whole loop."""
    report, token = submit(city, **COMPLAINT)
    people = city.people
    report_transition(
        report=report,
        verb="accept",
        actor=people[PostCode.INTAKE],
        public_summary="杂物堆放 · 东街道一社区",
    )
    report_transition(
        report=report, verb="dispatch", actor=people[PostCode.DISPATCHER], unit=city.org.municipal
    )
    pages = _tracking_pages(client, report, token)
    _assert_public_only(pages)
    body = pages[0].content.decode()
    assert "杂物堆放 · 东街道一社区" in body
    events = pages[0].context["events"]
    assert len(events) == 3  # received, registered, passed to the handling unit
    assert "市政处" in events[-1].text


# --- Field photos on the tracking page (issue 11) ----------------------------------------


def _handled_with_gps_photo(city):
    report = in_progress(city)
    return go(
        report,
        "handle",
        PostCode.HANDLER,
        city,
        result="已更换灯泡",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo(exif=True)],
    )


def test_the_tracking_page_shows_no_photo_until_staff_approve_it(client, city):

    report = _handled_with_gps_photo(city)
    body = client.get(reverse("portal:track", args=[_token_of(city, report)])).content.decode()
    assert "/track/photo/" not in body
    assert ReportPhoto.objects.get(report=report).evidence.sha256 not in body


def _token_of(city, report):
    """A fresh tracking token for ``report``'s reporter (the submit's was not kept)."""
    token = f"token-{report.pk}-photos"
    Reporter.objects.filter(report=report).update(token_hash=token_hash(token))
    return token


def test_an_approved_photo_is_shown_as_a_copy_without_exif(client, city):

    report = _handled_with_gps_photo(city)
    field_photo = ReportPhoto.objects.get(report=report)
    report_photo_publish(photo=field_photo, public=True, actor=city.people[PostCode.INSPECTOR])
    field_photo.refresh_from_db()
    body = client.get(reverse("portal:track", args=[_token_of(city, report)])).content.decode()
    url = reverse("portal:photo", args=[field_photo.public_key])
    assert url in body
    assert field_photo.evidence.sha256 not in body
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert "private" in response["Cache-Control"]
    with Image.open(io.BytesIO(response.content)) as public:
        assert dict(public.getexif()) == {}
    assert b"HIKVISION" not in response.content


def test_the_lookup_page_shows_approved_photos_too(client, city):

    report = _handled_with_gps_photo(city)
    field_photo = ReportPhoto.objects.get(report=report)
    report_photo_publish(photo=field_photo, public=True, actor=city.people[PostCode.SHIFT_LEAD])
    field_photo.refresh_from_db()
    page = client.post(
        reverse("portal:lookup"), {"number": report.tracking_number, "phone_end": "5678"}
    )
    assert reverse("portal:photo", args=[field_photo.public_key]) in page.content.decode()


def test_a_withdrawn_or_unknown_photo_key_is_404(client, city):

    report = _handled_with_gps_photo(city)
    field_photo = ReportPhoto.objects.get(report=report)
    inspector = city.people[PostCode.INSPECTOR]
    report_photo_publish(photo=field_photo, public=True, actor=inspector)
    field_photo.refresh_from_db()
    url = reverse("portal:photo", args=[field_photo.public_key])
    assert client.get(url).status_code == 200
    report_photo_publish(photo=field_photo, public=False, actor=inspector)
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:photo", args=["x" * 32])).status_code == 404
    assert client.get("/track/photo/short.jpg").status_code == 404
