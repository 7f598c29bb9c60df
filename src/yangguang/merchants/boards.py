"""The 门前三包 公示牌 (一铺一码): a printable board for each shop front, A4 or A5, one
page a shop, a street's boards in one PDF, with the embedded font of
``core/printing.py``.

Each board: the bureau, the title, the shop's trade name and address, its duties as
written, the zone (frontage × depth, or drawn on the map), the merchant's grade under
the active credit scheme, the grid and the squadron responsible, the bureau's public
telephone for complaints, and a large QR code to the shop's public page
(``shop_public.board_url``). The page shows the grade and inspections when scanned, so
a board stays true after a regrading. No operator's name or phone: the board hangs in
the street.

The board is drawn on an A4 page; A5 is the same drawing scaled (ISO sizes share the
shape), so both print alike.
"""

import io
from collections.abc import Iterable

import segno
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Spacer

from yangguang.core.printing import (
    FONT,
    MONO,
    TEXT,
    TITLE_FONT,
    draw_fitted,
    para,
)
from yangguang.disclosure.selectors import bureau_profile
from yangguang.merchants.models import Shop
from yangguang.merchants.shop_public import (
    active_rules,
    board_url,
    shop_grade,
    zone_size,
)

SIZES = {"A4": A4, "A5": A5}
WIDTH, HEIGHT = A4
BAND = colors.HexColor("#1d5fa8")  # the site's primary blue
MUTED = colors.HexColor("#5f6b7a")
QR_SIZE = 80 * mm
NUMERALS = "一二三四五六七八九十"

DUTY = ParagraphStyle("board-duty", parent=TEXT, fontSize=14, leading=21, spaceAfter=4)
DUTY_HEAD = ParagraphStyle(
    "board-duty-head", parent=TEXT, fontName=TITLE_FONT, fontSize=16, leading=23, spaceAfter=5
)


def _zone_words(shop: Shop) -> str:
    size = zone_size(shop)
    if size is None:
        return "责任区域：按地图划定的范围（扫码查看地图）"
    frontage, depth = size
    return f"责任区域：门前 {frontage} 米（门面宽）× {depth} 米（纵深）"


def _duties(shop: Shop) -> list:
    flowables = [para("门前三包责任内容", DUTY_HEAD)]
    for index, duty in enumerate(shop.duties.all()):
        number = NUMERALS[index] if index < len(NUMERALS) else str(index + 1)
        flowables.append(para(f"{number}、{duty.name}：{duty.description}", DUTY))
    flowables += [Spacer(1, 2 * mm), para(_zone_words(shop), DUTY)]
    return flowables


def _header(canvas: Canvas, bureau: str) -> None:
    top = HEIGHT - 8 * mm
    canvas.setFillColor(BAND)
    canvas.rect(8 * mm, top - 42 * mm, WIDTH - 16 * mm, 42 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    inner = WIDTH - 32 * mm
    draw_fitted(
        canvas, bureau, x=16 * mm, y=top - 13 * mm, font=FONT, size=14, width=inner, centred=True
    )
    draw_fitted(
        canvas,
        "门前三包责任公示牌",
        x=16 * mm,
        y=top - 33 * mm,
        font=TITLE_FONT,
        size=32,
        width=inner,
        centred=True,
    )


def _qr(canvas: Canvas, url: str, *, x: float, y: float) -> None:
    code = io.BytesIO()
    segno.make(url, error="q", micro=False).save(code, kind="png", scale=8, border=2)
    code.seek(0)
    canvas.drawImage(ImageReader(code), x, y, QR_SIZE, QR_SIZE)


def _facts(canvas: Canvas, rows: list[tuple[str, str, float]], *, x: float, top: float) -> None:
    width = 88 * mm
    y = top
    for label, value, size in rows:
        canvas.setFillColor(MUTED)
        draw_fitted(canvas, label, x=x, y=y, font=FONT, size=10.5, width=width)
        canvas.setFillColor(colors.black)
        value_y = y - 3 * mm - size
        draw_fitted(canvas, value, x=x, y=value_y, font=TITLE_FONT, size=size, width=width)
        y = value_y - 9 * mm


def _board(canvas: Canvas, shop: Shop, *, bureau: str, phone: str, rules) -> None:
    canvas.setStrokeColor(BAND)
    canvas.setLineWidth(1.5)
    canvas.rect(8 * mm, 8 * mm, WIDTH - 16 * mm, HEIGHT - 16 * mm)
    _header(canvas, bureau)
    inner_x, inner_width = 16 * mm, WIDTH - 32 * mm
    canvas.setFillColor(colors.black)
    draw_fitted(
        canvas,
        shop.trade_name,
        x=inner_x,
        y=HEIGHT - 66 * mm,
        font=TITLE_FONT,
        size=28,
        width=inner_width,
        centred=True,
    )
    canvas.setFillColor(MUTED)
    draw_fitted(
        canvas,
        f"地址：{shop.address}",
        x=inner_x,
        y=HEIGHT - 76 * mm,
        font=FONT,
        size=13,
        width=inner_width,
        centred=True,
    )
    canvas.setStrokeColor(colors.HexColor("#b8c2cc"))
    canvas.setLineWidth(0.6)
    canvas.line(inner_x, HEIGHT - 82 * mm, inner_x + inner_width, HEIGHT - 82 * mm)

    # The duties and the zone: shrunk to their box when a bureau has many (五包, 六包).
    box_bottom, box_top = 120 * mm, HEIGHT - 85 * mm
    frame = Frame(
        inner_x,
        box_bottom,
        inner_width,
        box_top - box_bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
    )
    frame.addFromList(
        [KeepInFrame(inner_width, box_top - box_bottom, _duties(shop), mode="shrink")], canvas
    )
    canvas.line(inner_x, 116 * mm, inner_x + inner_width, 116 * mm)

    grade = shop_grade(shop, rules)
    grid = shop.grid
    squadron = grid.squadron if grid is not None and grid.squadron_id else None
    _facts(
        canvas,
        [
            ("信用等级", grade.label if grade else "暂未评定", 24),
            ("所在网格", grid.code if grid else "—", 14),
            ("责任中队", squadron.name if squadron else "—", 14),
            ("监督投诉电话", phone or "—", 18),
        ],
        x=inner_x,
        top=106 * mm,
    )

    url = board_url(shop)
    qr_x = WIDTH - inner_x - QR_SIZE
    canvas.setFillColor(colors.black)
    draw_fitted(
        canvas,
        "扫码查看公示信息 · 反映问题",
        x=qr_x,
        y=106 * mm,
        font=TITLE_FONT,
        size=12,
        width=QR_SIZE,
        centred=True,
    )
    _qr(canvas, url, x=qr_x, y=22 * mm)
    canvas.setFillColor(MUTED)
    draw_fitted(
        canvas, url, x=qr_x - 10 * mm, y=16 * mm, font=MONO, size=8, width=QR_SIZE + 10 * mm
    )


def board_pdf(shops: Iterable[Shop], *, size: str = "A4") -> bytes:
    """The boards of ``shops``, one page each, in their order. ValidationError for an
    unknown size or no shop."""
    if size not in SIZES:
        raise ValidationError(_("A board is printed on A4 or A5."), code="size")
    shops = list(shops)
    if not shops:
        raise ValidationError(_("There is no shop to print a board for."), code="empty")
    prefetch_related_objects(shops, "merchant__score", "grid__squadron", "duties")
    profile = bureau_profile()
    rules = active_rules()
    page_width, page_height = SIZES[size]
    scale = min(page_width / WIDTH, page_height / HEIGHT)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, page_height), invariant=True)
    canvas.setTitle("门前三包责任公示牌")
    for shop in shops:
        canvas.saveState()
        canvas.translate((page_width - WIDTH * scale) / 2, (page_height - HEIGHT * scale) / 2)
        canvas.scale(scale, scale)
        _board(canvas, shop, bureau=profile.name, phone=profile.phone, rules=rules)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
