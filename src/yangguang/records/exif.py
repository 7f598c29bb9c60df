"""What a photo's EXIF says: when and where it was taken, and with which camera.

Reads the EXIF block without decoding pixels, so a 200-megapixel phone photo costs no
more than a thumbnail and no decompression-bomb check can drop its metadata.
"""

import math
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from PIL import Image

_CHINA_TIME = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class PhotoMetadata:
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None
    camera: str


_NO_METADATA = PhotoMetadata(None, None, None, "")
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME = re.compile(r"(\d{4}):(\d\d):(\d\d)[ T](\d\d):(\d\d):(\d\d)")
_OFFSET = re.compile(r"([+-])(\d\d):(\d\d)")


def photo_metadata(source: str | os.PathLike[str] | BinaryIO) -> PhotoMetadata:
    """When and where a photo was taken, and with what camera, from its EXIF.

    ``source`` is a path or a seekable binary file (read from its start; its position is
    restored). The EXIF block is found in the JPEG, PNG, WebP or TIFF structure and given
    to Pillow's EXIF reader, so no pixel is ever decoded and an image of any size is
    cheap. A time without a recorded offset is taken as China time. Anything else (HEIC,
    not a photo, damaged EXIF) gives empty metadata: it must never stop a file from being
    stored.
    """
    try:
        if isinstance(source, str | os.PathLike):
            with Path(source).open("rb") as file:
                return _metadata(file)
        position = source.tell()
        try:
            return _metadata(source)
        finally:
            source.seek(position)
    except Exception:  # Pillow's EXIF reader raises many kinds of error on bad data.
        return _NO_METADATA


def _metadata(file: BinaryIO) -> PhotoMetadata:
    exif = _read_exif(file)
    if exif is None:
        return _NO_METADATA
    latitude, longitude = _coordinates(exif.get_ifd(_GPS_IFD))
    return PhotoMetadata(
        taken_at=_taken_at(exif),
        latitude=latitude,
        longitude=longitude,
        camera=_camera(exif),
    )


def _read_exif(file: BinaryIO) -> Image.Exif | None:
    file.seek(0)
    head = file.read(12)
    exif = Image.Exif()
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        # A TIFF file is itself the EXIF structure (read in place, so inside the open file).
        file.seek(0)
        exif.load_from_fp(file)
        return exif
    if head.startswith(b"\xff\xd8"):
        data = _jpeg_exif(file)
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        data = _png_exif(file)
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        data = _webp_exif(file)
    else:
        return None
    if not data:
        return None
    exif.load(data)
    return exif


def _jpeg_exif(file: BinaryIO) -> bytes | None:
    """The APP1 "Exif" segment; segments are walked by their lengths up to the pixels."""
    position = 2
    while True:
        file.seek(position)
        header = file.read(4)
        if len(header) < 4 or header[0] != 0xFF:
            return None
        if header[1] == 0xFF:  # fill byte
            position += 1
            continue
        if header[1] in (0xD9, 0xDA):  # end of image, start of scan
            return None
        length = int.from_bytes(header[2:4], "big")
        if length < 2:
            return None
        if header[1] == 0xE1:
            segment = file.read(length - 2)
            if segment.startswith(b"Exif\x00\x00"):
                return segment
        position += 2 + length


def _png_exif(file: BinaryIO) -> bytes | None:
    """The eXIf chunk; chunks (image data included) are skipped by their lengths."""
    position = 8
    while True:
        file.seek(position)
        header = file.read(8)
        if len(header) < 8 or header[4:8] == b"IEND":
            return None
        length = int.from_bytes(header[:4], "big")
        if header[4:8] == b"eXIf":
            return file.read(length)
        position += 8 + length + 4  # header, data, CRC


def _webp_exif(file: BinaryIO) -> bytes | None:
    position = 12
    while True:
        file.seek(position)
        header = file.read(8)
        if len(header) < 8:
            return None
        length = int.from_bytes(header[4:8], "little")
        if header[:4] == b"EXIF":
            return file.read(length)
        position += 8 + length + (length & 1)


def _taken_at(exif: Image.Exif) -> datetime | None:
    details = exif.get_ifd(_EXIF_IFD)
    # DateTimeOriginal with OffsetTimeOriginal, else DateTime with OffsetTime.
    for value, offset in (
        (details.get(0x9003), details.get(0x9011)),
        (exif.get(0x0132), details.get(0x9010)),
    ):
        match = _DATETIME.fullmatch(_exif_text(value))
        if match is None:
            continue
        try:
            return datetime(*(int(part) for part in match.groups()), tzinfo=_zone(offset))
        except ValueError:  # "0000:00:00 00:00:00" and other placeholders
            continue
    return None


def _zone(offset: Any) -> tzinfo:
    match = _OFFSET.fullmatch(_exif_text(offset))
    if match is None:
        return _CHINA_TIME
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return _CHINA_TIME
    return timezone(-delta if sign == "-" else delta)


def _coordinates(gps: dict[int, Any]) -> tuple[float | None, float | None]:
    latitude = _degrees(gps.get(2), gps.get(1), "N", "S", 90)
    longitude = _degrees(gps.get(4), gps.get(3), "E", "W", 180)
    # Receivers without a fix write 0/0; one coordinate alone places nothing.
    if latitude is None or longitude is None or latitude == longitude == 0:
        return None, None
    return latitude, longitude


def _degrees(value: Any, reference: Any, positive: str, negative: str, limit: int) -> float | None:
    parts = value if isinstance(value, tuple) else (value,)
    try:
        degrees, minutes, seconds = (float(part) for part in (*parts, 0, 0)[:3])
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(part) and part >= 0 for part in (degrees, minutes, seconds)):
        return None
    if minutes >= 60 or seconds >= 60:
        return None
    total = degrees + minutes / 60 + seconds / 3600
    direction = _exif_text(reference).upper()
    if total > limit or direction not in (positive, negative, ""):
        return None
    return round(-total if direction == negative else total, 7)


def _camera(exif: Image.Exif) -> str:
    make, model = _exif_text(exif.get(0x010F)), _exif_text(exif.get(0x0110))
    if make and model.lower().startswith(make.lower()):  # "Canon" + "Canon EOS R5"
        make = ""
    return " ".join(f"{make} {model}".split())


def _exif_text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()
