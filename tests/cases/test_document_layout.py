"""The notices and decisions read like the provincial templates (docs/documents.md):
prose paragraphs in the template's order, the vendored OFL font embedded, the seal line
with the bureau's electronic seal, and "第 X 页 共 Y 页" on documents of several pages."""

import io
import re
from importlib import resources

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image, ImageDraw

from tests.cases.helpers import P, at
from yangguang.cases.render import document_pdf
from yangguang.core.demo_cases import Cast, ordinary_case_with_hearing
from yangguang.org.models import UnitSeal
from yangguang.org.selectors import bureau_root
from yangguang.org.services import unit_seal_set
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(people):
    cast = Cast(
        officer=people[P.OFFICER],
        partner=people[P.SQUAD_LEADER],
        approver=people[P.SQUAD_LEADER],
        reviewer=people[P.LEGAL_REVIEWER],
        leader=people[P.LEADER],
    )
    return ordinary_case_with_hearing(cast=cast, start=at(2026, 9, 1, 9))


def pages_text(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    # Lines are joined: the order, not the line breaks, is the template's.
    return [
        page.get_textpage().get_text_range().replace("\r", "").replace("\n", "")
        for page in document
    ]


def in_order(text: str, words: list[str]) -> list[int]:
    """The position of each word, each searched after the one before; fails on the
    first word missing there."""
    positions, start = [], 0
    for word in words:
        found = text.find(word, start)
        assert found >= 0, f"{word!r} missing after {text[max(0, start - 40) : start]!r}"
        positions.append(found)
        start = found + len(word)
    return positions


def seal_png(size: int = 400) -> bytes:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=(220, 0, 0, 255), width=size // 25)
    draw.regular_polygon((size / 2, size / 2, size / 6), 5, fill=(220, 0, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def red_share(image: Image.Image) -> float:
    pixels = list(image.convert("RGB").get_flattened_data())
    red = sum(1 for r, g, b in pixels if r > 180 and g < 120 and b < 120)
    return red / len(pixels)


def test_the_decision_reads_as_prose_in_the_templates_order(heard, tmp_path):
    decision = heard.documents.get(kind="decision")
    pdf = document_pdf(decision)
    text = "".join(pages_text(pdf))
    day = decision.issued_at.astimezone(heard.filed_at.tzinfo).date()
    in_order(
        text,
        [
            "行政处罚决定书",
            decision.number,
            "当事人：刘德明",
            "经查，",
            "以上事实有",
            "等证据证实",
            "违反了《中华人民共和国大气污染防治法》",
            "《行政处罚事先告知书》",
            "依据《中华人民共和国大气污染防治法》第一百一十八条第一款",
            "本机关决定对你作出如下行政处罚：罚款25,000.00元",
            "收到本决定书之日起15日内缴纳罚款",
            "百分之三加处罚款",
            "六十日内",
            "行政复议",
            "六个月内",
            "行政诉讼",
            bureau_root().name,
            f"{day.year}年{day.month}月{day.day}日",
        ],
    )
    assert "违法事实和证据" not in text  # no form labels: prose
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=100 / 72).to_pil()
    image.save(tmp_path / "decision-1.png")
    assert image.size == (827, 1170)  # A4 at 100 dpi


def test_the_prior_notice_reads_as_prose_with_the_statement_and_hearing_rights(heard):
    notice = heard.documents.get(kind="prior_notice")
    text = "".join(pages_text(document_pdf(notice)))
    day = notice.issued_at.astimezone(heard.filed_at.tzinfo).date()
    in_order(
        text,
        [
            "行政处罚事先告知书",
            notice.number,
            "当事人：刘德明",
            "经查，",
            "以上事实有",
            "违反了",
            "依据",
            "本机关拟对你作出如下行政处罚：",
            "陈述和申辩",
            "个工作日内",
            "听证",
            bureau_root().name,
            f"{day.year}年{day.month}月{day.day}日",
        ],
    )


def test_the_documents_embed_the_packaged_ofl_font_whose_licence_ships_with_it(heard):
    pdf = document_pdf(heard.documents.get(kind="decision"))
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSerifCJKsc-Regular", pdf)
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSerifCJKsc-Bold", pdf)
    assert b"/FontFile2" in pdf
    fonts = resources.files("yangguang.core") / "fonts"
    licence = (fonts / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    for name in ("NotoSerifCJKsc-Regular.ttf", "NotoSerifCJKsc-Bold.ttf"):
        assert (fonts / name).read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines


def test_a_document_of_several_pages_numbers_them_and_one_page_does_not(heard):
    pages = pages_text(document_pdf(heard.documents.get(kind="decision")))
    assert len(pages) == 2
    assert "第 1 页 共 2 页" in pages[0]
    assert "第 2 页 共 2 页" in pages[1]
    single = pages_text(document_pdf(heard.documents.get(kind="hearing_notice")))
    assert len(single) == 1
    assert "页 共" not in single[0]


def test_the_bureaus_electronic_seal_is_pressed_over_the_seal_line(heard, people, tmp_path):
    decision = heard.documents.get(kind="decision")
    last = len(pages_text(document_pdf(decision))) - 1
    plain = pypdfium2.PdfDocument(document_pdf(decision))[last].render(scale=100 / 72).to_pil()
    assert red_share(plain) == 0

    unit_seal_set(
        unit=bureau_root(),
        content=seal_png(),
        name="seal.png",
        now=at(2026, 9, 1, 8),
        actor=people[P.SYSTEM_ADMIN],
    )
    sealed = pypdfium2.PdfDocument(document_pdf(decision))[last].render(scale=100 / 72).to_pil()
    sealed.save(tmp_path / "decision-sealed.png")
    width, height = sealed.size
    # The seal sits in the right half, above the QR code at the foot of the text.
    assert red_share(sealed.crop((width // 2, 0, width, height))) > 0.002
    assert red_share(sealed.crop((0, 0, width // 3, height))) == 0
    entry = RecordEntry.objects.filter(action="org.unit.update").latest("sequence")
    assert entry.changes["seal"][0] is None
    assert entry.changes["seal"][1] == UnitSeal.objects.get().sha256


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "seal.png", None),  # a JPEG named .png
        (b"just some text, not an image at all\n" * 4, "seal.png", None),
        (b"", "seal.png", None),
    ],
)
def test_the_seal_must_be_a_real_png(people, content, name, code):
    with pytest.raises(ValidationError):
        unit_seal_set(
            unit=bureau_root(), content=content, name=name, now=at(2026, 9, 1), actor=None
        )
    assert not UnitSeal.objects.exists()


def test_the_seal_is_too_small_to_print_below_100_pixels(people):
    with pytest.raises(ValidationError, match="100"):
        unit_seal_set(
            unit=bureau_root(), content=seal_png(60), name="s.png", now=at(2026, 9, 1), actor=None
        )


def test_the_system_administrator_uploads_the_seal_in_the_admin(client, people):
    client.force_login(people[P.SYSTEM_ADMIN])
    upload = io.BytesIO(seal_png())
    upload.name = "seal.png"
    response = client.post(
        reverse("admin:org_unitseal_add"), {"unit": bureau_root().pk, "upload": upload}
    )
    assert response.status_code == 302
    assert UnitSeal.objects.get().unit == bureau_root()

    text = io.BytesIO(b"<html><script>alert(1)</script></html>")
    text.name = "seal.png"
    refused = client.post(
        reverse("admin:org_unitseal_change", args=[UnitSeal.objects.get().pk]),
        {"upload": text},
    )
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["upload"]

    client.force_login(people[P.OFFICER])
    assert client.get(reverse("admin:org_unitseal_changelist")).status_code in (302, 403)


def test_an_organisation_is_named_with_its_credit_code_and_representative(people):
    from tests.cases.conftest import reviewed_case
    from tests.cases.helpers import company
    from yangguang.cases.documents import document_issue
    from yangguang.cases.procedure import case_rules

    case = reviewed_case(people, party=company())
    now = at(2026, 9, 8, 10)
    notice = document_issue(
        case=case, kind="prior_notice", actor=people[P.OFFICER], now=now, rules=case_rules()
    )
    text = "".join(pages_text(document_pdf(notice)))
    in_order(
        text,
        [
            f"城管罚告字〔{now.year}〕第1号",
            "当事人：阳光餐饮有限公司",
            f"统一社会信用代码：{case.party_credit_code}",
            "法定代表人：李四",
            "住址：阳光市西街道二号",
            "经查，当事人在东街道人行道上摆摊设点",
            "你单位的上述行为违反了",
            "本机关拟对你单位作出如下行政处罚：",
            "你单位有权进行陈述和申辩",
        ],
    )
