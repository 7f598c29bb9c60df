"""Documents (文书) and the electronic case file (电子卷宗): issued by the moves,
numbered, hashed, rendered as PDF with the Chinese font embedded (checked by text
extraction and by rendering to pixels) and as .docx; the public check page shows no
personal data."""

import io
import re

import pypdfium2
import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from tests.cases.helpers import P, at
from yangguang.cases.documents import content_hash
from yangguang.cases.models import CaseDocument, CaseRules
from yangguang.cases.render import case_file_pdf, document_docx, document_pdf
from yangguang.core.demo_cases import Cast, ordinary_case_with_hearing

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


def dark_share(pdf: bytes, box: tuple[float, float, float, float]) -> float:
    """Share of dark pixels inside ``box`` (fractions of the page: left, top, right,
    bottom) of page 1 rendered at 100 dpi."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=100 / 72).to_pil().convert("L")
    width, height = image.size
    left, top, right, bottom = box
    region = image.crop(
        (int(left * width), int(top * height), int(right * width), int(bottom * height))
    )
    histogram = region.histogram()
    return sum(histogram[:128]) / sum(histogram)


def test_the_moves_issue_the_standard_documents_numbered_by_the_scheme(heard):
    kinds = list(heard.documents.values_list("kind", flat=True))
    for kind in (
        "filing_approval",
        "preservation_notice",
        "investigation_report",
        "legal_review_opinion",
        "discussion_minutes",
        "prior_notice",
        "hearing_rights_notice",
        "statement_record",
        "hearing_notice",
        "hearing_record",
        "decision",
        "service_receipt",
        "closing_approval",
    ):
        assert kind in kinds
    decision = heard.documents.get(kind="decision")
    assert decision.number == "城管罚决字〔2026〕第1号"
    assert heard.documents.get(kind="prior_notice").number == "城管罚告字〔2026〕第1号"


def test_the_number_pattern_is_local_configuration(people, heard):
    CaseRules.objects.filter(pk=1).update(
        bureau_abbreviation="阳城管", document_number_pattern="{abbreviation}{code}〔{year}〕{n}号"
    )
    from yangguang.cases.documents import _next_number

    rules = CaseRules.objects.get(pk=1)
    assert _next_number("decision", at(2026, 12, 1), rules) == "阳城管罚决〔2026〕2号"


def test_decision_states_what_article_59_requires(heard):
    """Party, facts, kind and basis, how and by when to perform, remedies, authority, date."""
    text = "".join(f"{a}{b}" for a, b in heard.documents.get(kind="decision").sections)
    for required in (
        "刘德明",
        "经查，",
        "等证据证实",
        "《中华人民共和国大气污染防治法》第一百一十八条第一款",
        "罚款25,000.00元",
        "收到本决定书之日起15日内",
        "六十日内",
        "行政复议",
        "行政诉讼",
    ):
        assert required in text, required


def test_the_hash_covers_the_content_and_the_check_page_shows_no_personal_data(client, heard):
    decision = heard.documents.get(kind="decision")
    assert decision.sha256 == content_hash(
        kind=decision.kind,
        number=decision.number,
        issued_at=decision.issued_at,
        sections=decision.sections,
    )
    page = client.get(f"/v/{decision.verify_token}/").content.decode()
    assert decision.number in page
    assert decision.sha256 in page
    assert "刘德明" not in page
    assert heard.party_id_number not in page
    assert client.get("/v/not-a-token/").status_code == 404


def test_document_pdf_embeds_the_font_and_renders_chinese(heard):
    decision = heard.documents.get(kind="decision")
    pdf = document_pdf(decision)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "行政处罚决定书" in text
    assert decision.number in text
    fonts = re.findall(rb"/FontFile2", pdf)
    assert fonts, "the Chinese font must be embedded"
    # The title band holds glyphs; a blank margin does not.
    assert dark_share(pdf, (0.2, 0.12, 0.8, 0.24)) > 0.02
    assert dark_share(pdf, (0.0, 0.0, 0.05, 0.05)) == 0


def test_document_docx_holds_the_text_with_an_east_asian_font(heard):
    decision = heard.documents.get(kind="decision")
    word = DocxDocument(io.BytesIO(document_docx(decision)))
    body = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "行政处罚决定书" in body
    assert decision.number in body
    assert not cells, "a decision is prose, not a form"
    assert "当事人：刘德明" in body
    assert body.index("经查") < body.index("行政复议") < body.rindex("日")
    fonts = word.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋"
    )
    filing = DocxDocument(io.BytesIO(document_docx(heard.documents.get(kind="filing_approval"))))
    assert "刘德明" in "".join(c.text for t in filing.tables for r in t.rows for c in r.cells)
    assert word.inline_shapes, "the QR code is in the document"


def test_case_file_has_cover_index_with_pages_documents_and_record(heard):
    pdf = case_file_pdf(heard)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    assert "行政处罚案卷" in pages[0]
    assert "卷内目录" in pages[1]
    count = CaseDocument.objects.filter(case=heard).count()
    assert len(pages) > count + 2
    decision = heard.documents.get(kind="decision")
    decision_page = next(
        i for i, text in enumerate(pages, start=1) if decision.number in text and "经查" in text
    )
    listed = rf"行政处罚决定书\s*{re.escape(decision.number)}\s*\S+\s*{decision_page}\s"
    assert re.search(listed, pages[1])
    record_page = int(re.search(r"全过程记录\s*—\s*—\s*(\d+)", pages[1]).group(1))
    assert "全过程记录" in pages[record_page - 1]
    assert "#" in pages[record_page - 1]
    assert dark_share(pdf, (0.2, 0.12, 0.8, 0.24)) > 0.02


def test_officers_write_inquiry_records_and_numbered_correction_orders(people):
    from tests.cases.helpers import new_case
    from yangguang.cases.context import ProcedureRefused
    from yangguang.cases.services import case_write_record

    case = new_case(people)
    now = at(2026, 9, 1, 11)
    inquiry = case_write_record(
        case_id=case.pk,
        actor=people[P.OFFICER],
        kind="inquiry_record",
        text="问：你是否在此摆摊？答：是。",
        place="东街道一号",
        now=now,
    )
    assert (inquiry.title, inquiry.number) == ("询问笔录", "")
    assert any("问：你是否在此摆摊" in text for _heading, text in inquiry.sections)
    order = case_write_record(
        case_id=case.pk,
        actor=people[P.SQUAD_LEADER],
        kind="rectification_notice",
        text="责令你于2026年9月3日前自行清理占道物品。",
        now=now,
    )
    assert order.number == f"城管责改字〔{now.year}〕第1号"
    with pytest.raises(ProcedureRefused, match="own officers"):
        case_write_record(
            case_id=case.pk, actor=people[P.LEADER], kind="inquiry_record", text="问答"
        )
