"""What every printed document shares: the embedded Chinese font, the paragraph styles
and the table colours.

The font is embedded (as a subset) in every PDF, so a document renders the same on a
machine without Chinese fonts — a non-embedded standard font (STSong-Light) extracts
as text but prints blank there. By default it is WenQuanYi Micro Hei (文泉驿微米黑,
Apache-2.0 or GPLv3 with the font-embedding exception), installed from PyPI with the
package ``paperang-p2-fonts-cjk``; ``YANGGUANG_PDF_FONT`` points to another TrueType
file (.ttf, or .ttc with ``YANGGUANG_PDF_FONT_INDEX``), e.g. the bureau's licensed 仿宋.
"""

from pathlib import Path
from xml.sax.saxutils import escape

import paperang_p2_fonts_cjk
from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

FONT = "YangguangCJK"
MONO = "Courier"
DEFAULT_FONT_FILE = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"


def _register_font() -> None:
    path = settings.PDF_FONT or str(DEFAULT_FONT_FILE)
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=settings.PDF_FONT_INDEX))


_register_font()

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
