"""Documents as PDF (Chinese font embedded) and .docx, and the electronic case file
(电子卷宗): cover, index with page numbers, every document, the evidence list and the
whole-process record, as one PDF.

Each document carries a QR code to the public check page (``/v/<token>/``), which
confirms its number, date and content hash without showing personal data.
"""

import io
from collections.abc import Sequence

import segno
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from yangguang.cases.documents import bureau_name
from yangguang.cases.models import Case, CaseDocument
from yangguang.core.printing import FONT, GRID, SHADE, SMALL, TEXT, para, printable
from yangguang.core.sequences import public_url
from yangguang.records.models import EvidenceLink, RecordEntry
from yangguang.records.pdf import entry_table, evidence_table
from yangguang.records.presenters import present

BODY = ParagraphStyle("doc-body", parent=TEXT, fontSize=11, leading=18)
LABEL = ParagraphStyle("doc-label", parent=TEXT, fontSize=11, leading=18)
BUREAU = ParagraphStyle("doc-bureau", parent=TEXT, fontSize=15, leading=22, alignment=TA_CENTER)
DOC_TITLE = ParagraphStyle(
    "doc-title", parent=TEXT, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=2
)
NUMBER = ParagraphStyle("doc-number", parent=TEXT, fontSize=11, leading=16, alignment=TA_RIGHT)
SIGNATURE = ParagraphStyle("doc-sign", parent=BODY, alignment=TA_RIGHT)
QR_SIZE = 26 * mm


def verify_url(document: CaseDocument) -> str:
    return public_url(reverse("portal:document", args=[document.verify_token]))


def _date(document: CaseDocument) -> str:
    day = timezone.localtime(document.issued_at).date()
    return f"{day.year}年{day.month}月{day.day}日"


class _QrCode(Flowable):
    """The check page's QR code with the hash beside it."""

    def __init__(self, document: CaseDocument, width: float) -> None:
        super().__init__()
        self.url = verify_url(document)
        self.sha256 = document.sha256
        self.width, self.height = width, QR_SIZE

    def draw(self) -> None:
        widget = QrCodeWidget(self.url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(
            QR_SIZE,
            QR_SIZE,
            transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0],
        )
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, self.width - QR_SIZE, 0)
        lines = [
            printable("扫码核验文书编号、日期和内容摘要："),
            self.url,
            "SHA-256:",
            self.sha256[:32],
            self.sha256[32:],
        ]
        text = self.canv.beginText(0, QR_SIZE - 10)
        for line, font in zip(lines, [FONT, "Courier", FONT, "Courier", "Courier"], strict=True):
            text.setFont(font, 7.5)
            text.textLine(line)
        self.canv.drawText(text)


def document_story(document: CaseDocument, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        para(bureau_name(), BUREAU),
        para(document.title, DOC_TITLE),
    ]
    if document.number:
        story.append(para(document.number, NUMBER))
    story.append(Spacer(1, 4 * mm))
    rows, loose = [], []
    for heading, text in document.sections:
        if heading:
            rows.append([para(heading, LABEL), para(text, BODY)])
        else:
            if rows:
                loose.append(_table(rows, width))
                rows = []
            loose.append(para(f"\u3000\u3000{text}", BODY))
            loose.append(Spacer(1, 2 * mm))
    if rows:
        loose.append(_table(rows, width))
    story += loose
    story += [
        Spacer(1, 8 * mm),
        para(f"{bureau_name()}（印章）", SIGNATURE),
        para(_date(document), SIGNATURE),
        Spacer(1, 6 * mm),
        _QrCode(document, width),
    ]
    return story


def _table(rows: list, width: float) -> Table:
    table = Table(rows, colWidths=[width * 0.24, width * 0.76])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _template(buffer: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=bureau_name(),
    )


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
    canvas.restoreState()


def document_pdf(document: CaseDocument) -> bytes:
    buffer = io.BytesIO()
    template = _template(buffer, f"{document.title} {document.number}".strip())
    template.build(
        document_story(document, template.width),
        onFirstPage=_page_number,
        onLaterPages=_page_number,
    )
    return buffer.getvalue()


def _east_asian(style, east_asia: str) -> None:
    style.font.name = "Times New Roman"
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), east_asia)


def document_docx(document: CaseDocument) -> bytes:
    """The same document as .docx (fonts 宋体 and 黑体 named, not embedded)."""
    word = DocxDocument()
    _east_asian(word.styles["Normal"], "宋体")
    word.styles["Normal"].font.size = Pt(12)
    _east_asian(word.styles["Title"], "黑体")
    word.add_paragraph(bureau_name()).alignment = 1
    word.add_heading(document.title, level=0).alignment = 1
    if document.number:
        word.add_paragraph(document.number).alignment = 2
    rows = [section for section in document.sections if section[0]]
    if rows:
        table = word.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for heading, text in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = heading, text
    for heading, text in document.sections:
        if not heading:
            word.add_paragraph(f"\u3000\u3000{text}")
    word.add_paragraph(f"{bureau_name()}（印章）").alignment = 2
    word.add_paragraph(_date(document)).alignment = 2
    code = io.BytesIO()
    segno.make(verify_url(document), error="m", micro=False).save(
        code, kind="png", scale=8, border=2
    )
    code.seek(0)
    word.add_picture(code, width=Mm(28))
    word.add_paragraph(f"扫码核验：{verify_url(document)}\nSHA-256：{document.sha256}")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


class _Mark(Flowable):
    """Notes the page a part of the case file starts on (for the index)."""

    def __init__(self, key: str, pages: dict[str, int]) -> None:
        super().__init__()
        self.key, self.pages = key, pages
        self.width = self.height = 0

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


def _cover(case: Case, documents: Sequence[CaseDocument], pages: dict, width: float) -> list:
    rows = [
        ["案件编号", case.number],
        ["案由", case.title],
        ["当事人", case.party_name],
        ["程序", case.get_procedure_display()],
        ["立案日期", case.filed_at and timezone.localtime(case.filed_at).date().isoformat()],
        ["结案日期", case.closed_at and timezone.localtime(case.closed_at).date().isoformat()],
        ["处理结果", case.get_outcome_display() or "—"],
        ["承办机构", case.unit.name],
    ]
    story = [
        para(bureau_name(), BUREAU),
        para("行政处罚案卷", DOC_TITLE),
        Spacer(1, 10 * mm),
        _table([[para(a, LABEL), para(b or "—", BODY)] for a, b in rows], width),
        PageBreak(),
        para("卷内目录", DOC_TITLE),
        Spacer(1, 4 * mm),
    ]
    index = [[para(h, SMALL) for h in ("序号", "文书名称", "文号", "日期", "页码")]]
    entries = [(d.title, d.number, _date(d), f"doc-{d.pk}") for d in documents]
    entries += [("证据清单", "", "", "evidence"), ("全过程记录", "", "", "record")]
    for number, (title, code, day, key) in enumerate(entries, start=1):
        index.append(
            [
                para(number, SMALL),
                para(title, SMALL),
                para(code or "—", SMALL),
                para(day or "—", SMALL),
                para(pages.get(key, ""), SMALL),
            ]
        )
    table = Table(
        index,
        colWidths=[width * 0.08, width * 0.34, width * 0.32, width * 0.16, width * 0.10],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ]
        )
    )
    return [*story, table, PageBreak()]


def case_file_pdf(case: Case, *, revealed: bool = True) -> bytes:
    """The electronic case file. Built twice: the first pass finds the page each part
    starts on, the second prints those numbers in the index."""
    documents = list(case.documents.order_by("issued_at", "pk"))
    evidence = list(
        EvidenceLink.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .select_related("evidence")
        .order_by("pk")
    )
    entries = [
        present(entry, revealed=revealed)
        for entry in RecordEntry.objects.filter(
            object_type="cases.case", object_id=str(case.pk)
        ).order_by("sequence")
    ]
    pages: dict[str, int] = {}
    result = b""
    for _pass in range(2):
        known = dict(pages)
        buffer = io.BytesIO()
        template = _template(buffer, f"{case.number} {case.title}")
        width = template.width
        story = _cover(case, documents, known, width)
        for document in documents:
            story += [_Mark(f"doc-{document.pk}", pages), *document_story(document, width)]
            story.append(PageBreak())
        story += [_Mark("evidence", pages), para("证据清单", DOC_TITLE), Spacer(1, 4 * mm)]
        story.append(evidence_table(evidence, width) if evidence else para("（无）", BODY))
        story += [PageBreak(), _Mark("record", pages), para("全过程记录", DOC_TITLE)]
        for view in entries:
            story += [entry_table(view, width), Spacer(1, 2 * mm)]
        template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
        result = buffer.getvalue()
    return result
