"""Checks of the small images the organisation keeps in its own tables: a unit's
electronic seal and an officer's photo. One code path for both: the content (never the
name) must be an accepted image type (``records.files.sniff``, the evidence checks)
that Pillow reads, within a byte and a pixel limit."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from yangguang.records.files import RejectedFile, sniff

_UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


@dataclass(frozen=True)
class ImageRule:
    """What one kind of image must be, and how a refusal of it is worded."""

    max_bytes: int
    mime_types: frozenset[str]
    pixels: tuple[int, int]  # lowest and highest width and height
    too_large: Promise
    wrong_type: Promise
    unreadable: Promise
    wrong_size: Promise  # with %(low)d and %(high)d


SEAL = ImageRule(
    max_bytes=2 * 1024 * 1024,
    mime_types=frozenset({"image/png"}),
    pixels=(100, 3000),
    too_large=_("The seal image may be at most 2 MB."),
    wrong_type=_("The seal image must be a PNG (with a transparent background)."),
    unreadable=_("The seal image cannot be read."),
    wrong_size=_("The seal image must be between %(low)d and %(high)d pixels wide and high."),
)

OFFICER_PHOTO = ImageRule(
    max_bytes=5 * 1024 * 1024,
    mime_types=frozenset({"image/jpeg", "image/png"}),
    pixels=(100, 6000),
    too_large=_("The officer's photo may be at most 5 MB."),
    wrong_type=_("The officer's photo must be a JPEG or PNG picture."),
    unreadable=_("The officer's photo cannot be read."),
    wrong_size=_("The officer's photo must be between %(low)d and %(high)d pixels wide and high."),
)

# The photo as kept and shown: a portrait for a badge, a few tens of kilobytes.
PHOTO_SIDE = 600
PHOTO_QUALITY = 85


def image_validate(*, content: bytes, name: str, rule: ImageRule) -> tuple[int, int]:
    """The image's (width, height) in pixels; ValidationError when ``content`` breaks
    ``rule``. The codes: too_large, the evidence checks' own (empty, executable …),
    wrong_type, unreadable, size."""
    if len(content) > rule.max_bytes:
        raise ValidationError(str(rule.too_large), code="too_large")
    try:
        sniffed = sniff(content, name=name)
    except RejectedFile as refused:
        raise ValidationError(refused.messages[0], code=refused.code) from refused
    if sniffed.mime_type not in rule.mime_types:
        raise ValidationError(str(rule.wrong_type), code="wrong_type")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            width, height = image.size
    except _UNREADABLE as error:
        raise ValidationError(str(rule.unreadable), code="unreadable") from error
    low, high = rule.pixels
    if not (low <= width <= high and low <= height <= high):
        raise ValidationError(
            str(rule.wrong_size) % {"low": low, "high": high},
            code="size",
        )
    return width, height


def photo_normalise(content: bytes) -> tuple[bytes, int, int]:
    """A checked photo as it is kept: turned upright, at most ``PHOTO_SIDE`` pixels,
    re-encoded as JPEG with no EXIF or other metadata (a phone's photo carries where
    and with what it was taken). Returns the JPEG and its width and height."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            upright = ImageOps.exif_transpose(image).convert("RGBA")
    except _UNREADABLE as error:
        raise ValidationError(str(OFFICER_PHOTO.unreadable), code="unreadable") from error
    upright.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
    # Pixels only, transparency on white: no info, EXIF, ICC or XMP carried over.
    clean = Image.new("RGB", upright.size, "white")
    clean.paste(upright, mask=upright.getchannel("A"))
    output = io.BytesIO()
    clean.save(output, "JPEG", quality=PHOTO_QUALITY, optimize=True)
    return output.getvalue(), clean.width, clean.height
