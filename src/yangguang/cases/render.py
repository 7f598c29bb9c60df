"""Documents as PDF (Chinese font embedded) and .docx, and the electronic case file
(电子卷宗): cover, index with page numbers, every document, the evidence list and the
whole-process record, as one PDF.

The notices and decisions (documents.PROSE_KINDS) are laid out after GB/T 9704-2012 as
far as a 文书 needs it (docs/documents.md): A4, margins 37/35/28/26 mm (top, bottom,
left, right), title in the title font at 22 pt (二号), body at 16 pt (三号) on a 28 pt
pitch with two-character indents, the number under the title, the seal line — the
bureau's name centred over the date, the date four characters from the right — with the
bureau's electronic seal (org.UnitSeal) pressed over both, and "第 X 页 共 Y 页" on every
page of a document longer than one page. Forms (审批表, 笔录) stay tables.

Each document carries a QR code to the public check page (``/v/<token>/``), which
confirms its number, date and content hash without showing personal data.
"""

import io
from collections.abc import Sequence
from functools import lru_cache

import segno
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from yangguang.cases.documents import PROSE_KINDS, bureau_name
from yangguang.cases.models import Case, CaseDocument
from yangguang.core.printing import FONT, GRID, SHADE, SMALL, TEXT, TITLE_FONT, para, printable
from yangguang.core.sequences import public_url
from yangguang.org.models import UnitSeal
from yangguang.org.selectors import bureau_root
from yangguang.records.models import EvidenceLink, RecordEntry
from yangguang.records.pdf import entry_table, evidence_table
from yangguang.records.presenters import present

# GB/T 9704-2012: 三号 (16 pt) body, 二号 (22 pt) title; 22 lines of 28 characters on
# a 156 × 225 mm type area (a 28-29 pt line pitch).
SIZE, PITCH = 16, 28
MARGINS = {"top": 37 * mm, "bottom": 35 * mm, "left": 28 * mm, "right": 26 * mm}
BODY = ParagraphStyle("doc-body", parent=TEXT, fontSize=12, leading=20)
LABEL = ParagraphStyle("doc-label", parent=TEXT, fontSize=12, leading=20)
PROSE = ParagraphStyle(
    "doc-prose",
    parent=TEXT,
    fontSize=SIZE,
    leading=PITCH,
    firstLineIndent=2 * SIZE,
    alignment=TA_JUSTIFY,
)
PARTY = ParagraphStyle("doc-party", parent=PROSE, firstLineIndent=0, alignment=0)
BUREAU = ParagraphStyle(
    "doc-bureau", parent=TEXT, fontName=TITLE_FONT, fontSize=22, leading=32, alignment=TA_CENTER
)
DOC_TITLE = ParagraphStyle(
    "doc-title", parent=BUREAU, fontName=TITLE_FONT, fontSize=22, leading=32, spaceAfter=4
)
NUMBER = ParagraphStyle("doc-number", parent=TEXT, fontSize=SIZE, leading=PITCH, alignment=TA_RIGHT)
QR_SIZE = 22 * mm
# Kinds that carry the bureau's seal: the prose documents and the notices given to the
# party on the spot.
SEALED_KINDS = PROSE_KINDS | {"spot_decision", "preservation_notice", "rectification_notice"}
# About the size of a bureau's round seal (4.2 cm; docs/documents.md); whatever the PNG's
# pixel size, it is printed this wide.
SEAL_SIZE = 42 * mm
SEAL_OPACITY = 0.85


def verify_url(document: CaseDocument) -> str:
    return public_url(reverse("portal:document", args=[document.verify_token]))


def _date(document: CaseDocument) -> str:
    day = timezone.localtime(document.issued_at).date()
    return f"{day.year}年{day.month}月{day.day}日"


def _chunks(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)] or [""]


def _draw_qr(canvas: Canvas, data: str, *, x: float, y: float) -> None:
    """A QR code (segno, as the .docx has it) drawn as one path of dark modules with a
    two-module quiet zone: a few hundred path operations, where ReportLab's QR widget
    builds and validates a shape object per module (most of a case file's time)."""
    code = segno.make(data, error="m", micro=False)
    rows = list(code.matrix_iter(border=2))
    module = QR_SIZE / len(rows)
    path = canvas.beginPath()
    for row_number, row in enumerate(rows):
        top = y + QR_SIZE - (row_number + 1) * module
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(x + start * module, top, (column - start) * module, module)
            else:
                column += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _draw_check(
    canvas: Canvas, document: CaseDocument, *, qr_x: float, text_x: float, text_width: float
) -> None:
    """The check page's QR code with its address and the hash beside it, the address
    and hash broken to ``text_width``."""
    url = verify_url(document)
    _draw_qr(canvas, url, x=qr_x, y=0)
    size = 6.5
    per_line = max(16, int(text_width / (0.6 * size)))  # Courier: 0.6 em a character
    lines = [(FONT, printable("扫码核验文书编号、日期和内容摘要："))]
    lines += [("Courier", chunk) for chunk in _chunks(url, per_line)]
    lines += [("Courier", chunk) for chunk in _chunks(f"SHA-256 {document.sha256}", per_line)]
    text = canvas.beginText(text_x, QR_SIZE - size)
    text.setLeading(size * 1.25)
    for font, line in lines:
        text.setFont(font, size)
        text.textLine(line)
    canvas.drawText(text)


class _FormFoot(Flowable):
    """The foot of a form: the bureau's name and the date at the right, the check block
    (QR code and hash) at the left, on one band so it never takes a page of its own."""

    def __init__(self, document: CaseDocument) -> None:
        super().__init__()
        self.document = document
        self.name, self.date = printable(bureau_name()), _date(document)
        self.height = QR_SIZE

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        size = BODY.fontSize
        canvas = self.canv
        canvas.setFont(FONT, size)
        canvas.drawRightString(self.width, self.height - size, self.name)
        canvas.drawRightString(self.width, self.height - size - BODY.leading, self.date)
        widest = max(stringWidth(self.name, FONT, size), stringWidth(self.date, FONT, size))
        text_x = QR_SIZE + 2 * mm
        _draw_check(
            canvas,
            self.document,
            qr_x=0,
            text_x=text_x,
            text_width=self.width - widest - 4 * mm - text_x,
        )


@lru_cache(maxsize=4)
def _seal_png(sha256: str, content: bytes) -> bytes:
    """The seal PNG made slightly transparent, so the name and date show through."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A").point(lambda value: int(value * SEAL_OPACITY))
    rgba.putalpha(alpha)
    buffer = io.BytesIO()
    rgba.save(buffer, format="PNG")
    return buffer.getvalue()


def bureau_seal() -> ImageReader | None:
    root = bureau_root()
    seal = UnitSeal.objects.filter(unit=root).first() if root else None
    return ImageReader(io.BytesIO(_seal_png(seal.sha256, bytes(seal.image)))) if seal else None


class _SealLine(Flowable):
    """The seal line (GB/T 9704 7.3.5.1): the date four characters from the right edge,
    the bureau's name centred over it, the seal centred on both with them a little below
    its centre. The space is kept even without an electronic seal, for the stamp. The
    check block (QR code and hash) takes the empty left side."""

    def __init__(self, document: CaseDocument, seal: ImageReader | None) -> None:
        super().__init__()
        self.document, self.seal = document, seal
        self.name, self.date = printable(bureau_name()), _date(document)
        self.height = SEAL_SIZE * 0.5 + 2 * PITCH

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        name_width = stringWidth(self.name, FONT, SIZE)
        date_width = stringWidth(self.date, FONT, SIZE)
        centre = self.width - 4 * SIZE - date_width / 2
        # A long name keeps two characters from the edge; the date is centred under it.
        if centre + name_width / 2 > self.width - 2 * SIZE:
            centre = self.width - 2 * SIZE - name_width / 2
        name_y = self.height - SEAL_SIZE * 0.5 - SIZE * 0.4
        date_y = name_y - PITCH
        canvas.setFont(FONT, SIZE)
        canvas.drawCentredString(centre, name_y, self.name)
        canvas.drawCentredString(centre, date_y, self.date)
        text_x = QR_SIZE + 2 * mm
        room = centre - max(name_width, date_width) / 2 - 4 * mm - text_x
        _draw_check(canvas, self.document, qr_x=0, text_x=text_x, text_width=room)
        if self.seal is not None:
            seal_centre_y = (name_y + date_y) / 2 + SIZE * 1.1
            canvas.drawImage(
                self.seal,
                centre - SEAL_SIZE / 2,
                seal_centre_y - SEAL_SIZE / 2,
                SEAL_SIZE,
                SEAL_SIZE,
                mask="auto",
                preserveAspectRatio=True,
            )


def _heading(document: CaseDocument) -> list[Flowable]:
    story: list[Flowable] = [para(bureau_name(), BUREAU), para(document.title, DOC_TITLE)]
    if document.number:
        story.append(para(document.number, NUMBER))
    story.append(Spacer(1, PITCH / 2))
    return story


def _prose(document: CaseDocument) -> list[Flowable]:
    """当事人 lines flush left, then the paragraphs indented by two characters."""
    story: list[Flowable] = []
    for heading, text in document.sections:
        if heading:
            story.append(para(f"{heading}：{text or '—'}", PARTY))
        else:
            story.append(para(text, PROSE))
    return story


def _form(document: CaseDocument, width: float) -> list[Flowable]:
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
    return loose


def document_story(
    document: CaseDocument, width: float, *, seal: ImageReader | None = None
) -> list[Flowable]:
    story = _heading(document)
    if document.kind in PROSE_KINDS:
        story += _prose(document)
    else:
        story += _form(document, width)
    if document.kind in SEALED_KINDS:
        # The seal line never stands alone on a page (GB/T 9704 7.3.5.1 wants it with text).
        last = story.pop()
        return [*story, KeepTogether([last, Spacer(1, PITCH / 2), _SealLine(document, seal)])]
    return [*story, Spacer(1, 8 * mm), _FormFoot(document)]


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
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=title,
        author=bureau_name(),
    )


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {document.page} —")
    canvas.restoreState()


class _PagedCanvas(Canvas):
    """Holds the pages back until the end, to print "第 X 页 共 Y 页" on each once the
    count is known (GB/T 9704: 4号 below the type area; only when there are several)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            if total > 1:
                self.setFont(FONT, 14)
                self.drawCentredString(
                    A4[0] / 2, MARGINS["bottom"] - 7 * mm - 14, f"第 {number} 页 共 {total} 页"
                )
            super().showPage()
        super().save()


def document_pdf(document: CaseDocument) -> bytes:
    buffer = io.BytesIO()
    template = _template(buffer, f"{document.title} {document.number}".strip())
    template.build(
        document_story(document, template.width, seal=bureau_seal()),
        canvasmaker=_PagedCanvas,
    )
    return buffer.getvalue()


def _east_asian(style, east_asia: str) -> None:
    style.font.name = "Times New Roman"
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), east_asia)


def document_docx(document: CaseDocument) -> bytes:
    """The same document as .docx for editing and printing in Word or WPS: the fonts are
    named, not embedded — 仿宋 for the text and 宋体 (bold) for the title, as a Chinese
    Windows has them; the bureau's 仿宋_GB2312 and 方正小标宋 can be set in the styles."""
    word = DocxDocument()
    section = word.sections[0]
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _east_asian(word.styles["Normal"], "仿宋")
    word.styles["Normal"].font.size = Pt(SIZE)
    _east_asian(word.styles["Title"], "宋体")
    word.styles["Title"].font.size = Pt(22)
    word.styles["Title"].font.bold = True
    word.add_heading(bureau_name(), level=0).alignment = 1
    word.add_heading(document.title, level=0).alignment = 1
    if document.number:
        word.add_paragraph(document.number).alignment = 2
    prose = document.kind in PROSE_KINDS
    rows = [] if prose else [section for section in document.sections if section[0]]
    if rows:
        table = word.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for heading, text in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = heading, text
    for heading, text in document.sections:
        if heading and prose:
            word.add_paragraph(f"{heading}：{text}")
        elif not heading:
            word.add_paragraph(text).paragraph_format.first_line_indent = Pt(2 * SIZE)
    word.add_paragraph()
    word.add_paragraph(bureau_name()).alignment = 2
    word.add_paragraph(_date(document)).alignment = 2
    code = io.BytesIO()
    segno.make(verify_url(document), error="m", micro=False).save(
        code, kind="png", scale=8, border=2
    )
    code.seek(0)
    word.add_picture(code, width=Mm(22))
    check = word.add_paragraph(f"扫码核验：{verify_url(document)}\nSHA-256：{document.sha256}")
    for run in check.runs:
        run.font.size = Pt(8)
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
    seal = bureau_seal()
    pages: dict[str, int] = {}
    result = b""
    for _pass in range(2):
        known = dict(pages)
        buffer = io.BytesIO()
        template = _template(buffer, f"{case.number} {case.title}")
        width = template.width
        story = _cover(case, documents, known, width)
        for document in documents:
            story += [
                _Mark(f"doc-{document.pk}", pages),
                *document_story(document, width, seal=seal),
            ]
            story.append(PageBreak())
        story += [_Mark("evidence", pages), para("证据清单", DOC_TITLE), Spacer(1, 4 * mm)]
        story.append(evidence_table(evidence, width) if evidence else para("（无）", BODY))
        story += [PageBreak(), _Mark("record", pages), para("全过程记录", DOC_TITLE)]
        for view in entries:
            story += [entry_table(view, width), Spacer(1, 2 * mm)]
        template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
        result = buffer.getvalue()
    return result
