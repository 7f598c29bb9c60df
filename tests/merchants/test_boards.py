"""The 门前三包 公示牌 (一铺一码): one page a shop, A4 or A5, with the shop, its duties,
zone, grade, grid and squadron, the bureau's complaint line and a QR code to the shop's
public page — and nothing about the operator."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5

from tests.merchants.helpers import at, merchant, shop
from tests.printed import qr_matches
from yangguang.disclosure.models import BureauProfile
from yangguang.merchants.boards import board_pdf
from yangguang.merchants.selectors import street_shops
from yangguang.merchants.services import shop_close, shop_zone_set
from yangguang.merchants.shop_public import board_url
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(city, settings):
    settings.PUBLIC_BASE_URL = "https://zf.example.gov.cn"
    BureauProfile.objects.create(pk=1, name="阳光市城市管理局", phone="0537-1234567")
    first = shop(city, merchant(city, n=1), trade_name="老张小吃", address="东街道一号")
    second = shop(city, merchant(city, n=2), trade_name="李记五金", address="东街道三号")
    return [first, second]


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_board_carries_the_shop_duties_grade_grid_squadron_phone_and_a_qr_to_its_page(
    street,
):
    front = street[0]
    pdf = board_pdf([front])

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "阳光市城市管理局",
        "门前三包责任公示牌",
        "老张小吃",
        "东街道一号",
        "A 诚信",  # a new merchant's 1,000 points, labelled by the active scheme's band
        "370899001001001",
        "第一中队",
        "0537-1234567",
        "6.0",  # the default zone: frontage × depth
        board_url(front),
    ):
        assert expected in text, expected
    for duty in front.duties.all():
        assert duty.name in text
    assert board_url(front).endswith(f"/shops/{front.board_token}/")
    images = [image.image for image in reader.pages[0].images]
    assert len(images) == 1
    assert qr_matches(images[0], board_url(front))


def test_each_page_of_an_a5_street_pdf_scans_to_its_own_shops_page(street):
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(board_pdf(street, size="A5"))
    scanned = [
        [code.text for code in zxingcpp.read_barcodes(page.render(scale=2).to_pil())]
        for page in document
    ]

    assert scanned == [[board_url(front)] for front in street]


def test_a_board_never_shows_the_operator_or_a_phone_of_the_merchant(street):
    text = "".join(_text(board_pdf(street)))
    assert "张三丰" not in text
    for owner in (s.merchant for s in street):
        assert owner.phone not in text
        assert owner.name not in text  # a sole trader's registered name


def test_a_drawn_zone_is_said_to_be_drawn_on_the_map(street, city):
    front = street[0]
    shop_zone_set(
        shop=front,
        zone=front.zone,
        actor=city.people[PostCode.INSPECTOR],
        frontage_m="6",
        depth_m="5",
        facing=180,
        duties=None,
    )
    front.refresh_from_db()
    assert front.zone_drawn
    assert "地图" in _text(board_pdf([front]))[0]


def test_a_streets_boards_come_in_one_pdf_one_page_a_shop_in_address_order(street, city):
    shop(city, merchant(city, n=3), trade_name="西街茶铺", street_name="西街")
    pdf = board_pdf(street_shops("东街"))

    pages = _text(pdf)
    assert len(pages) == 2
    assert "老张小吃" in pages[0]
    assert "李记五金" in pages[1]
    assert all("西街茶铺" not in page for page in pages)


def test_a5_boards_are_a5_pages(street):
    reader = PdfReader(io.BytesIO(board_pdf(street, size="A5")))

    assert len(reader.pages) == 2
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == (round(A5[0]), round(A5[1]))
    assert "李记五金" in reader.pages[1].extract_text()
    a4 = PdfReader(io.BytesIO(board_pdf(street[:1]))).pages[0]
    assert round(float(a4.mediabox.width)) == round(A4[0])


def test_a_closed_shop_leaves_the_streets_boards(street, city):
    shop_close(shop=street[1], actor=city.people[PostCode.INSPECTOR], reason="已停业")
    assert len(_text(board_pdf(street_shops("东街")))) == 1


def test_an_unknown_size_or_no_shop_is_refused(street):
    with pytest.raises(ValidationError, match="A4 or A5"):
        board_pdf(street, size="A3")
    with pytest.raises(ValidationError, match="no shop"):
        board_pdf([])


def test_a_merchant_without_a_score_gets_a_board_saying_so(street):
    from yangguang.credit.models import CreditScore

    CreditScore.objects.filter(merchant=street[0].merchant).delete()
    front = type(street[0]).objects.get(pk=street[0].pk)
    assert "暂未评定" in _text(board_pdf([front]))[0]


def test_the_grade_follows_the_score_at_printing(street):
    from yangguang.credit.enums import EventKind
    from yangguang.credit.events import event_record

    event_record(
        merchant=street[0].merchant,
        kind=EventKind.PENALTY_DECIDED,
        severity="serious",  # -200: 800 points, band C
        source=street[0],
        reason="测试",
        occurred_at=at(2026, 6, 1, 10),
        now=at(2026, 6, 1, 10),
    )
    assert "C 警示" in _text(board_pdf([street[0]]))[0]


def test_a_streets_boards_take_the_same_queries_for_two_shops_or_four(
    street, city, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as two:
        board_pdf(street_shops("东街"))
    for n in (3, 4):
        shop(city, merchant(city, n=n), trade_name=f"第{n}家", address=f"东街道{n}号")
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert len(_text(board_pdf(street_shops("东街")))) == 4


# --- The back office downloads -------------------------------------------------------


def _as(client, city, code):
    client.force_login(city.people[code])
    return client


def test_an_inspector_downloads_a_shops_board_and_a_streets_boards(client, city, street):
    _as(client, city, PostCode.INSPECTOR)

    one = client.get(reverse("backoffice:board_shop", args=[street[0].pk]))
    assert one.status_code == 200
    assert one["Content-Type"] == "application/pdf"
    assert "attachment" in one["Content-Disposition"]
    assert "老张小吃" in _text(one.content)[0]

    both = client.get(reverse("backoffice:board_street"), {"street": "东街", "size": "A5"})
    assert both.status_code == 200
    reader = PdfReader(io.BytesIO(both.content))
    assert len(reader.pages) == 2
    assert round(float(reader.pages[0].mediabox.width)) == round(A5[0])


@pytest.mark.parametrize("code", [PostCode.HANDLER, PostCode.INTAKE, PostCode.LEGAL_REVIEWER])
def test_staff_without_the_merchant_right_get_no_board(client, city, street, code):
    _as(client, city, code)
    assert client.get(reverse("backoffice:board_shop", args=[street[0].pk])).status_code == 403
    response = client.get(reverse("backoffice:board_street"), {"street": "东街"})
    assert response.status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, street):
    response = client.get(reverse("backoffice:board_shop", args=[street[0].pk]))
    assert response.status_code == 302
    assert reverse("backoffice:login") in response["Location"]


@pytest.mark.parametrize("shop_id", ["999999", "１", "-1", "1e3", "9" * 40])
def test_an_unknown_or_odd_shop_id_is_not_found(client, city, street, shop_id):
    _as(client, city, PostCode.INSPECTOR)
    assert client.get(f"/staff/boards/shop/{shop_id}.pdf").status_code == 404


def test_a_closed_shop_has_no_board(client, city, street):
    shop_close(shop=street[0], actor=city.people[PostCode.INSPECTOR], reason="已停业")
    _as(client, city, PostCode.INSPECTOR)
    assert client.get(reverse("backoffice:board_shop", args=[street[0].pk])).status_code == 404


@pytest.mark.parametrize("street_name", ["", "西街", "东" * 51, "东街\x07"])
def test_an_unknown_street_is_not_found(client, city, street, street_name):
    _as(client, city, PostCode.INSPECTOR)
    response = client.get(reverse("backoffice:board_street"), {"street": street_name})
    assert response.status_code == 404


@pytest.mark.parametrize("size", ["A3", "a0", "A4\x07", "ｘ"])
def test_an_unknown_size_is_refused_with_a_message(client, city, street, size):
    _as(client, city, PostCode.INSPECTOR)
    response = client.get(reverse("backoffice:board_street"), {"street": "东街", "size": size})
    assert response.status_code == 400
    one = client.get(reverse("backoffice:board_shop", args=[street[0].pk]), {"size": size})
    assert one.status_code == 400


def test_the_size_may_be_written_in_lower_case(client, city, street):
    _as(client, city, PostCode.INSPECTOR)
    response = client.get(reverse("backoffice:board_shop", args=[street[0].pk]), {"size": "a5"})
    assert response.status_code == 200
