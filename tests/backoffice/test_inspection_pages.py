"""The inspection pages: a shop's checklist on a phone (a failed item needs a finding and a
photo and opens a 整改 request due on a working day), the 整改 queue and the inspector's
check of the merchant's correction; and the command that marks requests overdue."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.merchants.helpers import SH, at, merchant, shop
from tests.reports.helpers import photo
from yangguang.merchants.enums import RectificationStatus
from yangguang.merchants.inspections import (
    Finding,
    inspection_record,
    rectification_submit,
)
from yangguang.merchants.models import Inspection, Rectification
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db

FRIDAY = at(2026, 3, 13, 10)  # no holiday near: Monday 16 … Wednesday 18 March
ITEMS = 10  # the three default duties' checklists: 4 + 3 + 3 items


def as_(client, city, code):
    client.force_login(city.people[code])
    client.cookies["django_language"] = "en"  # assert on the English msgids
    return client


def all_pass(**extra) -> dict:
    data = {f"item{n}_result": "pass" for n in range(1, ITEMS + 1)}
    data.update(extra)
    return data


@pytest.fixture
def front(city):
    return shop(city, merchant(city))


def test_the_checklist_page_lists_every_item_with_a_camera_input(client, city, front):
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:shop_inspect", args=[front.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('capture="environment"') == ITEMS
    assert body.count('accept="image/*"') == ITEMS
    assert "无店外经营、占道经营" in body
    assert 'name="viewport"' in body


def test_a_failed_item_without_a_photo_is_refused_with_the_services_message(
    client, city, front, time_machine
):
    time_machine.move_to(FRIDAY, tick=False)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_inspect", args=[front.pk]),
        all_pass(item1_result="fail", item1_note="桌椅摆到人行道上"),
    )
    assert response.status_code == 400
    assert "Item 1 failed: say what was found and add a photo." in response.content.decode()
    assert Inspection.objects.count() == 0
    assert Rectification.objects.count() == 0


def test_a_failed_item_with_its_photo_opens_a_rectification_due_three_working_days_on(
    client, city, front, time_machine
):
    time_machine.move_to(FRIDAY, tick=False)
    client = as_(client, city, PostCode.INSPECTOR)
    response = client.post(
        reverse("backoffice:shop_inspect", args=[front.pk]),
        all_pass(
            item1_result="fail",
            item1_note="桌椅摆到人行道上",
            item1_photos=photo("before.jpg"),
            note="午间巡查",
        ),
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:inspection", args=[inspection.pk])
    rectification = Rectification.objects.get()
    # Friday → Monday, Tuesday, Wednesday: the weekend does not count.
    assert rectification.due_at == datetime.datetime(2026, 3, 18, 23, 59, 59, tzinfo=SH)
    assert (inspection.passed, inspection.note, inspection.items.count()) == (
        False,
        "午间巡查",
        ITEMS,
    )
    assert len(rectification.item.photos) == 1
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "2026-03-18 23:59" in page.content.decode()
    assert reverse("backoffice:rectification", args=[rectification.pk]) in page.content.decode()


def test_an_inspection_of_every_item_passed_opens_nothing(client, city, front, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_inspect", args=[front.pk]), all_pass()
    )
    assert response.status_code == 302
    assert Inspection.objects.get().passed is True
    assert Rectification.objects.count() == 0


def test_a_closed_shop_is_not_inspected_and_the_page_says_why(client, city, front):
    from yangguang.merchants.services import shop_close

    shop_close(shop=front, actor=city.people[PostCode.INSPECTOR], reason="店铺已搬走")
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_inspect", args=[front.pk]), all_pass()
    )
    assert response.status_code == 400
    assert "The shop is closed." in response.content.decode()
    assert Inspection.objects.count() == 0


def test_only_posts_that_inspect_may_open_the_checklist(client, city, front):
    url = reverse("backoffice:shop_inspect", args=[front.pk])
    assert as_(client, city, PostCode.INTAKE).get(url).status_code == 403
    assert as_(client, city, PostCode.INTAKE).post(url, all_pass()).status_code == 403
    assert Inspection.objects.count() == 0


@pytest.mark.parametrize("shop_id", ["999999", "٣", "１", "99999999999999999999999", "x"])
def test_a_bad_shop_id_is_404(client, city, shop_id):
    url = reverse("backoffice:shop_inspect", args=[shop_id])
    assert as_(client, city, PostCode.INSPECTOR).get(url).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        all_pass(item1_result="maybe"),
        all_pass(item1_note="a\x00b"),
        all_pass(note="x" * 5000),
        all_pass(item1_result="fail", item1_note="坏了", item1_photos=None),
    ],
)
def test_odd_input_gives_a_page_with_the_problem_not_an_error(client, city, front, data):
    data = {key: value for key, value in data.items() if value is not None}
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_inspect", args=[front.pk]), data
    )
    assert response.status_code == 400
    assert Inspection.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_refused(client, city, front, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    text = SimpleUploadedFile("note.jpg", b"not a picture at all", content_type="image/jpeg")
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:shop_inspect", args=[front.pk]),
        all_pass(item1_result="fail", item1_note="坏了", item1_photos=text),
    )
    assert response.status_code == 400
    assert "is not a photo" in response.content.decode()
    assert Inspection.objects.count() == 0


# --- The 整改 queue and the check --------------------------------------------------------


def _opened(city, front, *, now=FRIDAY, item="无店外经营、占道经营") -> Rectification:
    findings = [
        Finding(
            duty=duty.code,
            item=item if duty.code == "appearance" else duty.checklist[0],
            passed=duty.code != "appearance",
            note="桌椅摆到人行道上" if duty.code == "appearance" else "",
            photos=[photo("before.jpg")] if duty.code == "appearance" else [],
        )
        for duty in front.duties.all()
    ]
    inspection_record(shop=front, findings=findings, actor=city.people[PostCode.INSPECTOR], now=now)
    return Rectification.objects.filter(shop=front).latest("pk")


def _submitted(city, front, **kwargs) -> Rectification:
    rectification = _opened(city, front, **kwargs)
    return rectification_submit(
        rectification=rectification,
        photos=[photo("after.jpg", size=24)],
        now=rectification.opened_at + datetime.timedelta(days=1),
    )


def test_the_queue_marks_a_passed_deadline_red_and_filters_by_status_and_street(
    client, city, time_machine
):
    owner = merchant(city)
    east = shop(city, owner, street_name="东街")
    west = shop(city, owner, street_name="西街", trade_name="老张分店")
    late = _opened(city, east)
    fresh = _opened(city, west, now=at(2026, 3, 20, 10))
    time_machine.move_to(at(2026, 3, 19, 9), tick=False)  # after Wednesday 18th
    client = as_(client, city, PostCode.INSPECTOR)
    page = client.get(reverse("backoffice:rectifications"))
    assert [r.pk for r in page.context["page"]] == [late.pk, fresh.pk]
    assert [r.late for r in page.context["page"]] == [True, False]
    assert page.content.decode().count('class="tag light-tag-overdue late"') == 1
    overdue = client.get(reverse("backoffice:rectifications"), {"status": "overdue"})
    assert [r.pk for r in overdue.context["page"]] == [late.pk]
    by_street = client.get(reverse("backoffice:rectifications"), {"street": "西街"})
    assert [r.pk for r in by_street.context["page"]] == [fresh.pk]
    corrected = client.get(reverse("backoffice:rectifications"), {"status": "corrected"})
    assert list(corrected.context["page"]) == []


@pytest.mark.parametrize("query", [{"status": "nonsense"}, {"street": "x\x00"}, {"page": "٣"}])
def test_the_queue_with_an_odd_filter_answers_without_an_error(client, city, front, query):
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:rectifications"), query
    )
    assert response.status_code in (200, 400)


def test_the_queue_takes_the_same_queries_for_one_or_three_requests(client, city, time_machine):
    owner = merchant(city)
    client = as_(client, city, PostCode.INSPECTOR)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("backoffice:rectifications")).status_code == 200
        return len(queries)

    _opened(city, shop(city, owner))
    one = count()
    _opened(city, shop(city, owner, trade_name="二店"))
    _opened(city, shop(city, owner, trade_name="三店"))
    assert count() == one


def test_the_request_shows_the_failed_items_photos_and_the_after_photos(client, city, front):
    rectification = _submitted(city, front)
    response = as_(client, city, PostCode.INSPECTOR).get(
        reverse("backoffice:rectification", args=[rectification.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    for sha256 in rectification.item.photos + rectification.after_photos:
        assert reverse("backoffice:evidence_file", args=[sha256]) in body
    assert reverse("backoffice:rectification_check", args=[rectification.pk]) in body
    # The evidence behind the thumbnails opens for the inspector.
    sha256 = rectification.after_photos[0]
    download = client.get(reverse("backoffice:evidence_file", args=[sha256]))
    assert download.status_code == 200
    download.close()


def test_accepting_the_correction_closes_the_request(client, city, front, time_machine):
    rectification = _submitted(city, front)
    time_machine.move_to(at(2026, 3, 16, 11), tick=False)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:rectification_check", args=[rectification.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CORRECTED
    assert rectification.closed_by == city.people[PostCode.INSPECTOR]


def test_sending_back_needs_the_reason_and_reopens_the_request(client, city, front, time_machine):
    rectification = _submitted(city, front)
    time_machine.move_to(at(2026, 3, 16, 11), tick=False)
    client = as_(client, city, PostCode.INSPECTOR)
    url = reverse("backoffice:rectification_check", args=[rectification.pk])
    refused = client.post(url, {"decision": "return"})
    assert refused.status_code == 400
    assert "Say what is still wrong." in refused.content.decode()
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.SUBMITTED
    response = client.post(url, {"decision": "return", "reason": "桌椅还在人行道上"})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN
    entry = RecordEntry.objects.filter(action="merchants.rectification_check").get()
    assert entry.reason == "桌椅还在人行道上"


def test_a_request_not_awaiting_the_check_cannot_be_checked(client, city, front):
    rectification = _opened(city, front)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:rectification_check", args=[rectification.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == 400
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_a_post_without_the_right_cannot_check(client, city, front):
    rectification = _submitted(city, front)
    response = as_(client, city, PostCode.LEGAL_REVIEWER).post(
        reverse("backoffice:rectification_check", args=[rectification.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == 403
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.SUBMITTED


@pytest.mark.parametrize("decision", ["", "maybe", "accept\x00"])
def test_an_odd_decision_is_a_400(client, city, front, decision):
    rectification = _submitted(city, front)
    response = as_(client, city, PostCode.INSPECTOR).post(
        reverse("backoffice:rectification_check", args=[rectification.pk]),
        {"decision": decision},
    )
    assert response.status_code == 400


# --- The command ---------------------------------------------------------------------------


def test_expire_rectifications_marks_the_requests_past_their_deadline(city, front, time_machine):
    late = _opened(city, front)
    fresh = _opened(city, shop(city, front.merchant, trade_name="二店"), now=at(2026, 3, 20, 10))
    time_machine.move_to(at(2026, 3, 19, 9), tick=False)
    out = io.StringIO()
    call_command("expire_rectifications", stdout=out)
    assert out.getvalue().strip() == "1 整改 request(s) now overdue."
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert (late.status, fresh.status) == (RectificationStatus.OVERDUE, RectificationStatus.OPEN)
    out = io.StringIO()
    call_command("expire_rectifications", stdout=out)
    assert out.getvalue().strip() == "0 整改 request(s) now overdue."
