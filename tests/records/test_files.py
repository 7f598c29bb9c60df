"""Typing evidence by content (``sniff``) and reading photo EXIF (``photo_metadata``)."""

import io
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.records import samples
from yangguang.records.enums import EvidenceKind
from yangguang.records.exif import PhotoMetadata, photo_metadata
from yangguang.records.files import (
    HEAD_BYTES,
    RejectedFile,
    Sniffed,
    sniff,
)

PHOTO, AUDIO, VIDEO, DOCUMENT = (
    EvidenceKind.PHOTO,
    EvidenceKind.AUDIO,
    EvidenceKind.VIDEO,
    EvidenceKind.DOCUMENT,
)
OOXML = "application/vnd.openxmlformats-officedocument."
ACCEPTED = (
    "photos (JPEG, PNG, WebP, HEIC, GIF, TIFF), audio (MP3, M4A, AAC, WAV, AMR, Ogg, FLAC), "
    "video (MP4, MOV, 3GP, AVI, MKV, WebM, FLV, MPEG-TS) and documents (PDF, OFD, Word, "
    "Excel, PowerPoint)"
)
NO_METADATA = PhotoMetadata(taken_at=None, latitude=None, longitude=None, camera="")


def rejection(head: bytes, name: str) -> RejectedFile:
    with pytest.raises(RejectedFile) as caught:
        sniff(head[:HEAD_BYTES], name=name)
    return caught.value


# --- sniff: accepted ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        pytest.param(
            samples.jpeg_with_exif(), "IMG_0001.JPG", ("image/jpeg", PHOTO, ".jpg"), id="jpeg"
        ),
        pytest.param(samples.png(), "截图.png", ("image/png", PHOTO, ".png"), id="png"),
        pytest.param(samples.image("GIF"), "a.gif", ("image/gif", PHOTO, ".gif"), id="gif"),
        pytest.param(samples.image("WEBP"), "a.webp", ("image/webp", PHOTO, ".webp"), id="webp"),
        pytest.param(samples.image("TIFF"), "scan.tif", ("image/tiff", PHOTO, ".tiff"), id="tiff"),
        pytest.param(
            samples.heic_head(), "IMG_0002.HEIC", ("image/heic", PHOTO, ".heic"), id="heic"
        ),
        pytest.param(
            samples.iso_bmff(b"mif1", (b"mif1", b"miaf")),
            "a.heif",
            ("image/heif", PHOTO, ".heif"),
            id="heif",
        ),
        pytest.param(samples.mp3(id3=True), "a.mp3", ("audio/mpeg", AUDIO, ".mp3"), id="mp3-id3"),
        pytest.param(samples.mp3(), "a.mp3", ("audio/mpeg", AUDIO, ".mp3"), id="mp3-frames"),
        pytest.param(samples.aac_adts(), "a.aac", ("audio/aac", AUDIO, ".aac"), id="aac-adts"),
        pytest.param(
            samples.iso_bmff(b"M4A ", (b"M4A ", b"mp42", b"isom")),
            "录音.m4a",
            ("audio/mp4", AUDIO, ".m4a"),
            id="m4a",
        ),
        pytest.param(samples.wav(), "a.wav", ("audio/wav", AUDIO, ".wav"), id="wav"),
        pytest.param(samples.amr(), "a.amr", ("audio/amr", AUDIO, ".amr"), id="amr"),
        pytest.param(
            samples.amr(wideband=True), "a.awb", ("audio/amr-wb", AUDIO, ".awb"), id="amr-wb"
        ),
        pytest.param(samples.ogg_opus(), "a.opus", ("audio/ogg", AUDIO, ".opus"), id="opus"),
        pytest.param(samples.ogg_vorbis(), "a.ogg", ("audio/ogg", AUDIO, ".ogg"), id="vorbis"),
        pytest.param(samples.flac_head(), "a.flac", ("audio/flac", AUDIO, ".flac"), id="flac"),
        pytest.param(samples.mp4_head(), "DSJ_0001.MP4", ("video/mp4", VIDEO, ".mp4"), id="mp4"),
        pytest.param(
            samples.iso_bmff(b"mp42", (b"mp42", b"isom")),
            "a.mp4",
            ("video/mp4", VIDEO, ".mp4"),
            id="mp4-mp42",
        ),
        pytest.param(
            samples.iso_bmff(b"XYZ1", (b"XYZ1", b"isom")),
            "a.mp4",
            ("video/mp4", VIDEO, ".mp4"),
            id="mp4-compatible",
        ),
        pytest.param(
            samples.iso_bmff(b"qt  ", (b"qt  ",)),
            "IMG_0003.MOV",
            ("video/quicktime", VIDEO, ".mov"),
            id="mov",
        ),
        pytest.param(
            b"\x00\x00\x00\x08wide" + bytes(100),
            "old.mov",
            ("video/quicktime", VIDEO, ".mov"),
            id="mov-no-ftyp",
        ),
        pytest.param(
            samples.iso_bmff(b"3gp4", (b"isom", b"3gp4")),
            "a.3gp",
            ("video/3gpp", VIDEO, ".3gp"),
            id="3gp",
        ),
        pytest.param(samples.avi_head(), "a.avi", ("video/x-msvideo", VIDEO, ".avi"), id="avi"),
        pytest.param(
            samples.matroska_head(), "a.mkv", ("video/x-matroska", VIDEO, ".mkv"), id="mkv"
        ),
        pytest.param(
            samples.matroska_head(b"webm"), "a.webm", ("video/webm", VIDEO, ".webm"), id="webm"
        ),
        pytest.param(samples.flv_head(), "a.flv", ("video/x-flv", VIDEO, ".flv"), id="flv"),
        pytest.param(samples.mpeg_ts(), "a.ts", ("video/mp2t", VIDEO, ".ts"), id="mpeg-ts"),
        pytest.param(
            samples.mpeg_ts(timestamps=True), "a.mts", ("video/mp2t", VIDEO, ".m2ts"), id="m2ts"
        ),
        pytest.param(samples.pdf(), "决定书.pdf", ("application/pdf", DOCUMENT, ".pdf"), id="pdf"),
        pytest.param(
            samples.docx(),
            "笔录.docx",
            (OOXML + "wordprocessingml.document", DOCUMENT, ".docx"),
            id="docx",
        ),
        pytest.param(
            samples.xlsx(),
            "台账.xlsx",
            (OOXML + "spreadsheetml.sheet", DOCUMENT, ".xlsx"),
            id="xlsx",
        ),
        pytest.param(
            samples.ooxml_skeleton("ppt/presentation.xml"),
            "a.pptx",
            (OOXML + "presentationml.presentation", DOCUMENT, ".pptx"),
            id="pptx",
        ),
        pytest.param(
            samples.legacy_word(), "a.doc", ("application/msword", DOCUMENT, ".doc"), id="doc"
        ),
        pytest.param(
            samples.ole2(streams=("Workbook",)),
            "a.xls",
            ("application/vnd.ms-excel", DOCUMENT, ".xls"),
            id="xls",
        ),
        pytest.param(
            samples.ole2(streams=("Current User", "PowerPoint Document")),
            "a.ppt",
            ("application/vnd.ms-powerpoint", DOCUMENT, ".ppt"),
            id="ppt",
        ),
        pytest.param(
            samples.ofd(), "电子发票.ofd", ("application/ofd", DOCUMENT, ".ofd"), id="ofd"
        ),
    ],
)
def test_sniff_types_accepted_content(head: bytes, name: str, expected: tuple) -> None:
    assert sniff(head[:HEAD_BYTES], name=name) == Sniffed(*expected)


def test_sniff_follows_content_when_the_extension_differs() -> None:
    assert sniff(samples.png(), name="photo.jpg") == Sniffed("image/png", PHOTO, ".png")


def test_sniff_ignores_a_name_without_extension() -> None:
    assert sniff(samples.pdf(), name="决定书") == Sniffed("application/pdf", DOCUMENT, ".pdf")


def test_sniff_takes_an_office_package_at_its_word_when_its_parts_lie_beyond_the_head() -> None:
    package = samples.zip_archive({"[Content_Types].xml": "<Types/>", "docProps/app.xml": "<x/>"})

    assert sniff(package, name="报告.xlsx") == Sniffed(
        OOXML + "spreadsheetml.sheet", DOCUMENT, ".xlsx"
    )


def test_sniff_takes_a_compound_file_at_its_word_among_legacy_office_formats() -> None:
    head = samples.ole2(first_sector=bytes(32))

    assert sniff(head, name="报表.et") == Sniffed("application/vnd.ms-excel", DOCUMENT, ".xls")


def test_sniff_reads_only_the_head() -> None:
    assert sniff(samples.mp4_head(size=10_000_000)[:HEAD_BYTES], name="a.mp4").kind == VIDEO


# --- sniff: refused -----------------------------------------------------------------------


def test_sniff_refuses_an_elf_program_named_like_a_photo() -> None:
    error = rejection(samples.elf(), "photo.jpg")

    assert error.messages == [
        "“photo.jpg” ends in “.jpg” but is really an executable program (Linux/Unix ELF): "
        "name and content disagree. It cannot be stored as evidence."
    ]
    assert error.code == "executable"


def test_sniff_refuses_a_windows_program_named_like_a_pdf() -> None:
    error = rejection(samples.pe(), "scan.pdf")

    assert error.messages == [
        "“scan.pdf” ends in “.pdf” but is really an executable program (Windows EXE/DLL): "
        "name and content disagree. It cannot be stored as evidence."
    ]


def test_sniff_refuses_a_program_under_its_own_name() -> None:
    error = rejection(samples.pe(), "setup.exe")

    assert error.messages == [
        "“setup.exe” is an executable program (Windows EXE/DLL), not a photo, recording or "
        "document, and cannot be stored as evidence."
    ]


def test_sniff_refuses_a_script_named_like_a_photo() -> None:
    error = rejection(samples.shell_script(), "a.jpg")

    assert error.messages == [
        "“a.jpg” ends in “.jpg” but is really an executable program (script “#!/bin/sh”): "
        "name and content disagree. It cannot be stored as evidence."
    ]


@pytest.mark.parametrize(
    ("head", "what"),
    [
        pytest.param(samples.java_class(), "Java class", id="java"),
        pytest.param(b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(100), "macOS Mach-O", id="mach-o"),
        pytest.param(
            b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + bytes(100), "macOS Mach-O", id="mach-o-universal"
        ),
        pytest.param(samples.windows_shortcut(), "Windows LNK", id="lnk"),
        pytest.param(samples.msi(), "Windows Installer MSI", id="msi"),
        pytest.param(samples.apk(), "Android APK", id="apk"),
        pytest.param(b"<?php system($_GET['c']); ?>", "PHP", id="php"),
        pytest.param(b"\x00asm\x01\x00\x00\x00" + bytes(100), "WebAssembly", id="wasm"),
    ],
)
def test_sniff_refuses_programs(head: bytes, what: str) -> None:
    error = rejection(head, "x")

    assert error.messages == [
        f"“x” is an executable program ({what}), not a photo, recording or document, and "
        "cannot be stored as evidence."
    ]
    assert error.code == "executable"


def test_sniff_refuses_a_zip_archive() -> None:
    error = rejection(samples.zip_archive(), "evidence.zip")

    assert error.messages == [
        "“evidence.zip” is a compressed archive (ZIP); upload the files inside it one by one."
    ]
    assert error.code == "archive"


def test_sniff_refuses_an_archive_named_like_a_document() -> None:
    error = rejection(samples.zip_archive(), "合同.docx")

    assert error.messages == [
        "“合同.docx” ends in “.docx” but is really a compressed archive (ZIP): name and "
        "content disagree. Upload the files inside it one by one."
    ]


@pytest.mark.parametrize(
    ("head", "what"),
    [
        pytest.param(samples.gzip_file(), "gzip", id="gzip"),
        pytest.param(samples.tar_file(), "tar", id="tar"),
        pytest.param(samples.rar_head(), "RAR", id="rar"),
        pytest.param(b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(100), "7-Zip", id="7z"),
    ],
)
def test_sniff_refuses_archives(head: bytes, what: str) -> None:
    error = rejection(head, "现场.bin")

    assert error.messages == [
        f"“现场.bin” is a compressed archive ({what}); upload the files inside it one by one."
    ]


@pytest.mark.parametrize(
    ("head", "what"),
    [
        pytest.param(samples.html(), "HTML web page", id="html"),
        pytest.param(samples.svg(), "SVG drawing", id="svg"),
        pytest.param(b'<?xml version="1.0"?><case/>', "XML", id="xml"),
        pytest.param(samples.text(), "plain text", id="utf-8"),
        pytest.param(samples.text("gb18030"), "plain text", id="gb18030"),
        pytest.param(samples.text("utf-16"), "plain text", id="utf-16"),
    ],
)
def test_sniff_refuses_text_and_web_files(head: bytes, what: str) -> None:
    error = rejection(head, "page.htm")

    assert error.messages == [
        f"“page.htm” is a text or web file ({what}); such files are not accepted as "
        "evidence. Save or print it as a PDF and upload that instead."
    ]
    assert error.code == "text"


def test_sniff_refuses_a_web_page_named_like_a_photo() -> None:
    error = rejection(samples.html(), "IMG_0001.jpg")

    assert error.messages == [
        "“IMG_0001.jpg” ends in “.jpg” but is really a text or web file (HTML web page): "
        "name and content disagree. Text and web files are not accepted as evidence."
    ]


@pytest.mark.parametrize(
    ("head", "what"),
    [
        pytest.param(samples.image("BMP"), "BMP", id="bmp"),
        pytest.param(samples.iso_bmff(b"avif", (b"avif", b"mif1", b"miaf")), "AVIF", id="avif"),
        pytest.param(samples.odt_skeleton(), "OpenDocument (ODF)", id="odt"),
        pytest.param(samples.ole2(first_sector=bytes(32)), "OLE2", id="ole2"),
        pytest.param(b"IMKH\x01\x01\x00\x00" + bytes(100), "Hikvision IMKH", id="hikvision"),
    ],
)
def test_sniff_refuses_formats_not_accepted(head: bytes, what: str) -> None:
    error = rejection(head, "x.dat")

    assert error.messages == [
        f"“x.dat” is in {what} format, which is not accepted as evidence. Accepted are {ACCEPTED}."
    ]
    assert error.code == "unsupported"


def test_sniff_refuses_unrecognised_content() -> None:
    error = rejection(samples.random_bytes(), "data.bin")

    assert error.messages == [
        f"The type of “data.bin” could not be recognised from its content; accepted are {ACCEPTED}."
    ]
    assert error.code == "unknown"


def test_sniff_refuses_unrecognised_content_named_like_a_video() -> None:
    error = rejection(samples.random_bytes(), "DSJ_0001.mp4")

    assert error.messages == [
        "“DSJ_0001.mp4” ends in “.mp4”, but its content is not of that type and its real "
        f"type could not be recognised. Accepted are {ACCEPTED}."
    ]


def test_sniff_refuses_frame_sync_bytes_without_a_following_frame() -> None:
    head = b"\xff\xfb\x90\x00" + samples.random_bytes()

    assert rejection(head, "a.mp3").code == "unknown"


def test_sniff_refuses_text_that_merely_looks_like_an_atom() -> None:
    assert rejection(b"Get free parking near the market", "a.txt").code == "text"


def test_sniff_refuses_an_empty_file() -> None:
    error = rejection(b"", "空.jpg")

    assert error.messages == ["“空.jpg” is empty."]
    assert error.code == "empty"


def test_rejected_file_is_a_validation_error() -> None:
    assert isinstance(rejection(samples.elf(), "a"), ValidationError) is True


# --- photo_metadata -----------------------------------------------------------------------


def test_photo_metadata_reads_time_place_and_camera_from_a_jpeg() -> None:
    metadata = photo_metadata(io.BytesIO(samples.jpeg_with_exif()))

    assert metadata.taken_at is not None
    assert metadata.taken_at.isoformat() == "2026-10-08T14:30:05+08:00"
    assert metadata.taken_at.tzname() == "CST"
    assert metadata.latitude == pytest.approx(35.41, abs=1e-6)
    assert metadata.longitude == pytest.approx(116.59, abs=1e-6)
    assert metadata.camera == "HIKVISION DSJ-HKAW1"


def test_photo_metadata_reads_a_path(tmp_path) -> None:
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(samples.jpeg_with_exif())

    assert photo_metadata(path) == photo_metadata(io.BytesIO(samples.jpeg_with_exif()))
    assert photo_metadata(str(path)).camera == "HIKVISION DSJ-HKAW1"


def test_photo_metadata_restores_the_file_position() -> None:
    file = io.BytesIO(samples.jpeg_with_exif())
    file.seek(100)

    photo_metadata(file)

    assert file.tell() == 100


def test_photo_metadata_uses_the_recorded_offset() -> None:
    exif = samples.photo_exif(taken="2026:10:08 15:30:05", offset="+09:00")

    metadata = photo_metadata(io.BytesIO(samples.jpeg_with_exif(exif)))

    assert metadata.taken_at is not None
    assert metadata.taken_at.isoformat() == "2026-10-08T15:30:05+09:00"


def test_photo_metadata_falls_back_to_the_modification_time() -> None:
    exif = samples.photo_exif(taken=None, modified="2026:10:09 08:00:00")

    metadata = photo_metadata(io.BytesIO(samples.jpeg_with_exif(exif)))

    assert metadata.taken_at is not None
    assert metadata.taken_at.isoformat() == "2026-10-09T08:00:00+08:00"


def test_photo_metadata_ignores_a_placeholder_time() -> None:
    exif = samples.photo_exif(taken="0000:00:00 00:00:00")

    assert photo_metadata(io.BytesIO(samples.jpeg_with_exif(exif))).taken_at is None


def test_photo_metadata_signs_south_and_west() -> None:
    exif = samples.photo_exif(latitude=-33.8688, longitude=-70.6693)

    metadata = photo_metadata(io.BytesIO(samples.jpeg_with_exif(exif)))

    assert (metadata.latitude, metadata.longitude) == (
        pytest.approx(-33.8688, abs=1e-6),
        pytest.approx(-70.6693, abs=1e-6),
    )


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        pytest.param(95.0, 116.59, id="latitude-beyond-the-pole"),
        pytest.param(35.41, 190.0, id="longitude-beyond-the-date-line"),
        pytest.param(0.0, 0.0, id="no-fix"),
        pytest.param(35.41, None, id="latitude-alone"),
    ],
)
def test_photo_metadata_ignores_invalid_coordinates(
    latitude: float, longitude: float | None
) -> None:
    exif = samples.photo_exif(latitude=latitude, longitude=longitude)

    metadata = photo_metadata(io.BytesIO(samples.jpeg_with_exif(exif)))

    assert (metadata.latitude, metadata.longitude) == (None, None)
    assert metadata.camera == "HIKVISION DSJ-HKAW1"


def test_photo_metadata_does_not_repeat_the_make_in_the_camera() -> None:
    exif = samples.photo_exif(make="Canon\x00", model=" Canon EOS R5 ")

    assert photo_metadata(io.BytesIO(samples.jpeg_with_exif(exif))).camera == "Canon EOS R5"


@pytest.mark.parametrize("image_format", ["PNG", "WEBP", "TIFF"])
def test_photo_metadata_reads_other_photo_formats(image_format: str) -> None:
    data = samples.image(image_format, exif=samples.photo_exif())

    metadata = photo_metadata(io.BytesIO(data))

    assert metadata.taken_at == datetime.fromisoformat("2026-10-08T14:30:05+08:00")
    assert metadata.camera == "HIKVISION DSJ-HKAW1"


def test_photo_metadata_never_decodes_pixels() -> None:
    # 60 000 × 60 000 pixels: Pillow would refuse to open this as a decompression bomb.
    data = samples.with_jpeg_size(samples.jpeg_with_exif(), 60_000, 60_000)

    metadata = photo_metadata(io.BytesIO(data))

    assert metadata.taken_at == datetime.fromisoformat("2026-10-08T14:30:05+08:00")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(samples.jpeg(), id="jpeg-without-exif"),
        pytest.param(samples.png(), id="png"),
        pytest.param(samples.heic_head(), id="heic"),
        pytest.param(samples.pdf(), id="not-a-photo"),
        pytest.param(samples.random_bytes(), id="garbage"),
        pytest.param(b"", id="empty"),
    ],
)
def test_photo_metadata_is_empty_without_exif(data: bytes) -> None:
    assert photo_metadata(io.BytesIO(data)) == NO_METADATA


def test_photo_metadata_is_empty_for_corrupt_exif() -> None:
    data = samples.jpeg_with_exif()
    at = data.index(b"Exif\x00\x00") + 6
    corrupt = data[:at] + b"MM\x00*\xff\xff\xff\xf0" + samples.random_bytes(64) + data[at + 72 :]

    assert photo_metadata(io.BytesIO(corrupt)) == NO_METADATA


def test_photo_metadata_is_empty_for_a_missing_file(tmp_path) -> None:
    assert photo_metadata(tmp_path / "missing.jpg") == NO_METADATA
