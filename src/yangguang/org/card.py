"""The bureau's 执法公示卡: the badge an officer wears, credit-card size (85.6 × 54 mm),
front and back, as a PDF with the embedded font of ``core/printing.py``.

Front: photo, name, unit, certificate number, rank, 执法类别. Back: the bureau's name,
a QR code to the officer's public identity page (``identity.identity_url``, on the
public site's address), the validity and "请扫码核验". The page shows the certificate's
standing when it is scanned, so a badge never outlives a suspension or the end of
validity. The province's own card (行政执法证) and its QR code are not ours to print.

Two layouts: ``a4`` puts front and back side by side on an A4 sheet with crop marks
(cut out, glue back to back, laminate); ``card`` gives one card-size page per side,
for a card printer.
"""

import datetime
import io

import segno
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from yangguang.core.printing import FONT, MONO, TITLE_FONT, draw_fitted, printable
from yangguang.org.identity import PublicStatus, identity_url, public_status
from yangguang.org.models import Certificate, OfficerPhoto
from yangguang.org.selectors import bureau_root

WIDTH, HEIGHT = 85.6 * mm, 54 * mm
LAYOUTS = ("a4", "card")
BAND = colors.HexColor("#1d5fa8")  # the site's primary blue
MUTED = colors.HexColor("#5f6b7a")
QR_SIZE = 30 * mm
PHOTO = (22 * mm, 29 * mm)
GAP = 16 * mm  # between front and back on the A4 sheet (their crop marks apart)
MARK, MARK_OFFSET = 4 * mm, 2 * mm


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _photo(canvas: Canvas, photo: OfficerPhoto | None, *, x: float, y: float) -> None:
    width, height = PHOTO
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.4)
    canvas.rect(x, y, width, height)
    if photo is None:
        canvas.setFillColor(MUTED)
        draw_fitted(
            canvas, "照片", x=x, y=y + height / 2 - 2, font=FONT, size=8, width=width, centred=True
        )
        canvas.setFillColor(colors.black)
        return
    image = ImageReader(io.BytesIO(bytes(photo.image)))
    canvas.drawImage(image, x, y, width, height, preserveAspectRatio=True, anchor="c")


def _front(canvas: Canvas, certificate: Certificate, photo: OfficerPhoto | None) -> None:
    holder = certificate.holder
    canvas.setFillColor(BAND)
    canvas.rect(0, HEIGHT - 10 * mm, WIDTH, 10 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    draw_fitted(
        canvas,
        "执法公示卡",
        x=0,
        y=HEIGHT - 7 * mm,
        font=TITLE_FONT,
        size=12,
        width=WIDTH,
        centred=True,
    )
    _photo(canvas, photo, x=5 * mm, y=HEIGHT - 13 * mm - PHOTO[1])
    rows = [
        ("姓名", holder.name),
        ("单位", holder.unit.name if holder.unit else ""),
        ("证号", certificate.number),
        ("职级", holder.rank.name if holder.rank else ""),
        ("类别", certificate.enforcement_category),
    ]
    left, top = 31 * mm, HEIGHT - 17 * mm
    for index, (label, value) in enumerate(rows):
        y = top - index * 6.2 * mm
        canvas.setFillColor(MUTED)
        draw_fitted(canvas, label, x=left, y=y, font=FONT, size=7, width=9 * mm)
        canvas.setFillColor(colors.black)
        font, size = (TITLE_FONT, 11) if index == 0 else (FONT, 8.5)
        draw_fitted(
            canvas, value, x=left + 9 * mm, y=y, font=font, size=size, width=WIDTH - left - 13 * mm
        )


def _back(canvas: Canvas, certificate: Certificate, bureau: str, url: str) -> None:
    canvas.setFillColor(BAND)
    canvas.rect(0, HEIGHT - 10 * mm, WIDTH, 10 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    draw_fitted(
        canvas,
        bureau,
        x=4 * mm,
        y=HEIGHT - 7 * mm,
        font=TITLE_FONT,
        size=11,
        width=WIDTH - 8 * mm,
        centred=True,
    )
    code = io.BytesIO()
    segno.make(url, error="m", micro=False).save(code, kind="png", scale=8, border=2)
    code.seek(0)
    canvas.drawImage(ImageReader(code), 4 * mm, 6 * mm, QR_SIZE, QR_SIZE)
    left, width = 37 * mm, WIDTH - 41 * mm
    canvas.setFillColor(colors.black)
    draw_fitted(
        canvas, "请扫码核验", x=left, y=HEIGHT - 17 * mm, font=TITLE_FONT, size=12, width=width
    )
    lines = [
        f"有效期自 {_day(certificate.valid_from)}",
        f"至 {_day(certificate.valid_to)}",
        f"执法区域 {certificate.enforcement_area}" if certificate.enforcement_area else "",
    ]
    for index, line in enumerate(lines):
        draw_fitted(
            canvas,
            line,
            x=left,
            y=HEIGHT - 24 * mm - index * 4.5 * mm,
            font=FONT,
            size=7.5,
            width=width,
        )
    canvas.setFillColor(MUTED)
    per_line = int(width / (0.6 * 5))  # Courier: 0.6 em a character
    for index in range(0, min(len(url), per_line * 3), per_line):
        y = 14 * mm - (index // per_line) * 2.4 * mm
        draw_fitted(
            canvas, url[index : index + per_line], x=left, y=y, font=MONO, size=5, width=width
        )


def _crop_marks(canvas: Canvas, x: float, y: float) -> None:
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.25)
    for corner_x, out_x in ((x, -1), (x + WIDTH, 1)):
        for corner_y, out_y in ((y, -1), (y + HEIGHT, 1)):
            start_x = corner_x + out_x * MARK_OFFSET
            start_y = corner_y + out_y * MARK_OFFSET
            canvas.line(start_x, corner_y, start_x + out_x * MARK, corner_y)
            canvas.line(corner_x, start_y, corner_x, start_y + out_y * MARK)


def _side(canvas: Canvas, x: float, y: float, draw) -> None:
    canvas.saveState()
    canvas.translate(x, y)
    draw()
    canvas.restoreState()


def card_pdf(*, certificate: Certificate, day: datetime.date, layout: str = "a4") -> bytes:
    """The 执法公示卡 of ``certificate`` (holder, unit and rank loaded). Only a
    certificate valid on ``day`` gets a card; ValidationError otherwise."""
    standing = public_status(certificate, day)
    if standing != PublicStatus.VALID:
        raise ValidationError(
            _("A card is printed only for a certificate valid today; this one is %(status)s.")
            % {"status": standing.label},
            code="not_valid",
        )
    if layout not in LAYOUTS:
        raise ValidationError(_("Unknown card layout."), code="layout")
    photo = OfficerPhoto.objects.filter(user=certificate.holder).first()
    root = bureau_root()
    bureau, url = (root.name if root else ""), identity_url(certificate)
    buffer = io.BytesIO()
    size = A4 if layout == "a4" else (WIDTH, HEIGHT)
    canvas = Canvas(buffer, pagesize=size, invariant=True)
    canvas.setTitle(f"执法公示卡 {certificate.number}")

    def front() -> None:
        _front(canvas, certificate, photo)

    def back() -> None:
        _back(canvas, certificate, bureau, url)

    if layout == "card":
        front()
        canvas.showPage()
        back()
    else:
        page_width, page_height = A4
        left = (page_width - 2 * WIDTH - GAP) / 2
        bottom = page_height - 30 * mm - HEIGHT
        canvas.setFont(FONT, 9)
        canvas.drawString(
            left,
            page_height - 20 * mm,
            printable(f"执法公示卡 · {certificate.number} · 沿裁切线裁下，正反两面对贴后塑封"),
        )
        for index, (label, draw) in enumerate((("正面", front), ("背面", back))):
            x = left + index * (WIDTH + GAP)
            _side(canvas, x, bottom, draw)
            _crop_marks(canvas, x, bottom)
            canvas.setFillColor(MUTED)
            canvas.setFont(FONT, 8)
            canvas.drawCentredString(x + WIDTH / 2, bottom - 9 * mm, label)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
