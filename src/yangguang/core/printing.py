"""What every printed document shares: the embedded Chinese fonts, the paragraph styles
and the table colours.

The fonts are embedded (as subsets) in every PDF, so a document renders the same on a
machine without Chinese fonts — a non-embedded standard font (STSong-Light) extracts
as text but prints blank there. By default they are Noto Serif CJK SC Regular (body)
and Bold (titles), 宋体-style, SIL Open Font License 1.1, shipped in ``core/fonts/``
with their licence (OFL.txt) and built by ``tools/build_fonts.py`` (docs/documents.md).
``YANGGUANG_PDF_FONT`` and ``YANGGUANG_PDF_TITLE_FONT`` point to other TrueType files
(.ttf, or .ttc with ``…_INDEX``), e.g. the bureau's licensed 仿宋_GB2312 and 方正小标宋.
"""

from importlib import resources
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors, textsplit
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, paragraph

FONT = "YangguangCJK"
TITLE_FONT = "YangguangCJKTitle"
MONO = "Courier"
FONTS = resources.files("yangguang.core") / "fonts"
DEFAULT_FONT_FILE = FONTS / "NotoSerifCJKsc-Regular.ttf"
DEFAULT_TITLE_FONT_FILE = FONTS / "NotoSerifCJKsc-Bold.ttf"
FONT_LICENCE = FONTS / "OFL.txt"


def _register_fonts() -> None:
    # The package is installed as files (setuptools), so the resources are real paths.
    chosen = [
        (FONT, settings.PDF_FONT, settings.PDF_FONT_INDEX, DEFAULT_FONT_FILE),
        (
            TITLE_FONT,
            settings.PDF_TITLE_FONT,
            settings.PDF_TITLE_FONT_INDEX,
            DEFAULT_TITLE_FONT_FILE,
        ),
    ]
    for name, path, index, default in chosen:
        pdfmetrics.registerFont(TTFont(name, path or str(default), subfontIndex=index))


_register_fonts()

# Line breaking (禁则): closing marks never start a line. ReportLab's CJK wrap keeps
# the characters of this list from doing so (they hang in the margin), but the list
# misses most full-width closing marks; both wrapping paths read it.
_CANNOT_START = "，。；：？！、》〉」』】〕）”’…"
textsplit.ALL_CANNOT_START += _CANNOT_START
paragraph.ALL_CANNOT_START += _CANNOT_START

TEXT = ParagraphStyle("text", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
SMALL = ParagraphStyle("small", parent=TEXT, fontSize=7.5, leading=10)
HASH = ParagraphStyle("hash", fontName=MONO, fontSize=7, leading=9, wordWrap="CJK")
TITLE = ParagraphStyle("title", parent=TEXT, fontSize=15, leading=20, spaceAfter=4)
HEADING = ParagraphStyle(
    "heading", parent=TEXT, fontSize=11, leading=16, spaceBefore=6, spaceAfter=3
)
GRID = colors.HexColor("#b8c2cc")
SHADE = colors.HexColor("#eef2f6")

# Characters some CJK fonts lack, and the nearest character they have, so nothing
# prints as an empty box.
SUBSTITUTES = str.maketrans({"²": "2", "³": "3", "–": "-"})


def printable(text: object) -> str:
    return str(text).translate(SUBSTITUTES)


def para(text: object, style: ParagraphStyle = TEXT) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(printable(text)).replace("\n", "<br/>"), style)


def fit_size(text: str, font: str, size: float, width: float, smallest: float = 5) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width`` (cards, boards)."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def draw_fitted(
    canvas: Canvas,
    text: object,
    *,
    x: float,
    y: float,
    font: str,
    size: float,
    width: float,
    centred: bool = False,
) -> None:
    """One line of ``text`` at (x, y), shrunk until it fits ``width``."""
    value = printable(text)
    canvas.setFont(font, fit_size(value, font, size, width))
    if centred:
        canvas.drawCentredString(x + width / 2, y, value)
    else:
        canvas.drawString(x, y, value)
