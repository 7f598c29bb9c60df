"""Sample files for tests, built in code rather than checked in.

Where a library writes the format (Pillow, zipfile, wave, tarfile, gzip) the sample is a
real, complete file. Elsewhere it is a correct *head*: the first bytes of such a file, as
much as type detection reads (``records.files.HEAD_BYTES``) and no more; each builder's
docstring says which.
"""

import gzip
import io
import random
import tarfile
import wave
import zipfile

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

EXIF_IFD = 0x8769
GPS_IFD = 0x8825
# Root-entry class id of a Windows Installer package ({000C1084-0000-0000-C000-…46}).
MSI_CLASS = bytes.fromhex("84100c0000000000c000000000000046")

# --- Photos -------------------------------------------------------------------------------


def photo_exif(
    *,
    taken: str | None = "2026:10:08 14:30:05",
    offset: str | None = None,
    modified: str | None = None,
    latitude: float | None = 35.41,
    longitude: float | None = 116.59,
    make: str = "HIKVISION",
    model: str = "DSJ-HKAW1",
) -> Image.Exif:
    """EXIF as a phone or body camera writes it: DateTimeOriginal (and OffsetTimeOriginal
    when given) in the Exif IFD, DateTime (``modified``) in IFD0, GPS in degrees, minutes
    and seconds with N/S and E/W references. Defaults: 35.41°N 116.59°E (济宁)."""
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if modified:
        exif[0x0132] = modified
    if taken:
        exif.get_ifd(EXIF_IFD)[0x9003] = taken
    if offset:
        exif.get_ifd(EXIF_IFD)[0x9011] = offset
    gps = exif.get_ifd(GPS_IFD)
    if latitude is not None:
        gps[1], gps[2] = ("N" if latitude >= 0 else "S"), _dms(abs(latitude))
    if longitude is not None:
        gps[3], gps[4] = ("E" if longitude >= 0 else "W"), _dms(abs(longitude))
    return exif


def _dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    whole = int(degrees)
    minutes = (degrees - whole) * 60
    seconds = round((minutes - int(minutes)) * 60 * 1000)
    return IFDRational(whole), IFDRational(int(minutes)), IFDRational(seconds, 1000)


def image(image_format: str, *, exif: Image.Exif | None = None, size: int = 16) -> bytes:
    """A small, complete image in any format Pillow writes (JPEG, PNG, GIF, WEBP, TIFF)."""
    buffer = io.BytesIO()
    options: dict[str, object] = {} if exif is None else {"exif": exif}
    if exif is not None and image_format == "TIFF":
        # Pillow's TIFF writer drops the Exif and GPS IFDs of an Exif object, but writes
        # them given as nested dictionaries.
        ifds = {tag: exif.get_ifd(tag) for tag in (EXIF_IFD, GPS_IFD)}
        options = {"tiffinfo": {**exif, **{tag: ifd for tag, ifd in ifds.items() if ifd}}}
    Image.new("RGB", (size, size), (200, 60, 40)).save(buffer, image_format, **options)
    return buffer.getvalue()


def jpeg_with_exif(exif: Image.Exif | None = None) -> bytes:
    """A complete JPEG carrying ``exif`` (by default ``photo_exif()``)."""
    return image("JPEG", exif=photo_exif() if exif is None else exif)


def jpeg() -> bytes:
    """A complete JPEG without EXIF."""
    return image("JPEG")


def png() -> bytes:
    """A complete PNG without EXIF."""
    return image("PNG")


def with_jpeg_size(data: bytes, width: int, height: int) -> bytes:
    """The JPEG ``data`` with its frame header claiming another size (the pixel data is
    not changed, so only a reader that decodes would notice)."""
    at = data.index(b"\xff\xc0") + 5  # SOF0: marker, length, precision, then height, width
    return data[:at] + height.to_bytes(2, "big") + width.to_bytes(2, "big") + data[at + 4 :]


def iso_bmff(major: bytes, compatible: tuple[bytes, ...] = (), *, size: int = 4096) -> bytes:
    """Head of an ISO base-media file (MP4, MOV, 3GP, M4A, HEIC: the brands say which):
    an ``ftyp`` box, then an ``mdat`` box filling ``size`` bytes."""
    ftyp = (16 + 4 * len(compatible)).to_bytes(4, "big") + b"ftyp" + major + bytes(4)
    ftyp += b"".join(compatible)
    rest = size - len(ftyp)
    return ftyp + rest.to_bytes(4, "big") + b"mdat" + bytes(rest - 8)


def heic_head() -> bytes:
    """Head of an iPhone HEIC photo."""
    return iso_bmff(b"heic", (b"mif1", b"heic"))


# --- Audio --------------------------------------------------------------------------------


def mp3(*, frames: int = 8, id3: bool = False) -> bytes:
    """MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each) of silence-like
    zeros, with an empty ID3v2.4 tag in front when ``id3``."""
    frame = b"\xff\xfb\x90\x00" + bytes(417 - 4)
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x00" if id3 else b""
    return tag + frame * frames


def aac_adts(*, frames: int = 8) -> bytes:
    """Raw AAC-LC frames in ADTS headers (44.1 kHz, stereo), 107 bytes each."""
    length = 7 + 100
    header = bytes(
        [
            0xFF,
            0xF1,
            0x50,
            0x80 | (length >> 11),
            (length >> 3) & 0xFF,
            ((length & 7) << 5) | 0x1F,
            0xFC,
        ]
    )
    return (header + bytes(100)) * frames


def wav(*, seconds: float = 0.1) -> bytes:
    """A complete WAV file: 8 kHz mono 16-bit silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(bytes(2 * int(8000 * seconds)))
    return buffer.getvalue()


def amr(*, frames: int = 10, wideband: bool = False) -> bytes:
    """An AMR (or AMR-WB) file of empty speech frames."""
    if wideband:
        return b"#!AMR-WB\n" + b"\x44" * frames
    return b"#!AMR\n" + (b"\x3c" + bytes(31)) * frames


def flac_head() -> bytes:
    """Head of a FLAC file: the marker and a STREAMINFO block (44.1 kHz, mono, 16 bit)."""
    streaminfo = (4096).to_bytes(2, "big") * 2 + bytes(6)
    streaminfo += ((44100 << 44) | (15 << 36)).to_bytes(8, "big") + bytes(16)
    return b"fLaC" + b"\x80" + len(streaminfo).to_bytes(3, "big") + streaminfo


def ogg_opus() -> bytes:
    """Head of an Ogg Opus file: the two header pages (OpusHead, OpusTags), CRCs right."""
    opus_head = b"OpusHead\x01\x01" + (312).to_bytes(2, "little") + (48000).to_bytes(4, "little")
    vendor = b"yangguang"
    tags = b"OpusTags" + len(vendor).to_bytes(4, "little") + vendor + bytes(4)
    return ogg_page(opus_head + bytes(3), sequence=0) + ogg_page(tags, sequence=1)


def ogg_vorbis() -> bytes:
    """Head of an Ogg Vorbis file: the identification header page."""
    ident = b"\x01vorbis" + bytes(4) + b"\x01" + (44100).to_bytes(4, "little")
    ident += bytes(12) + b"\xb8\x01"
    return ogg_page(ident, sequence=0)


def ogg_page(packet: bytes, *, sequence: int) -> bytes:
    """One Ogg page holding one packet (the first page of a stream when sequence is 0)."""
    lacing = bytes([255] * (len(packet) // 255) + [len(packet) % 255])
    header = b"OggS\x00" + bytes([2 if sequence == 0 else 0]) + bytes(8)
    header += (0x59616E67).to_bytes(4, "little") + sequence.to_bytes(4, "little")
    crc = _ogg_crc(header + bytes(4) + bytes([len(lacing)]) + lacing + packet)
    return header + crc.to_bytes(4, "little") + bytes([len(lacing)]) + lacing + packet


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


# --- Video --------------------------------------------------------------------------------


def mp4_head(size: int = 4096) -> bytes:
    """Head of an MP4 video as phones and body cameras write it (brand isom)."""
    return iso_bmff(b"isom", (b"isom", b"iso2", b"avc1", b"mp41"), size=size)


def avi_head() -> bytes:
    """Head of an AVI file: the RIFF header and the start of its header list."""
    avih = b"avih" + (56).to_bytes(4, "little") + bytes(56)
    header_list = b"LIST" + (4 + len(avih)).to_bytes(4, "little") + b"hdrl" + avih
    return b"RIFF" + (1 << 20).to_bytes(4, "little") + b"AVI " + header_list


def matroska_head(doctype: bytes = b"matroska") -> bytes:
    """Head of a Matroska file (doctype b"webm" for WebM): the EBML header and the start
    of a Segment of unknown size."""
    elements = (
        (b"\x42\x86", b"\x01"),  # EBMLVersion
        (b"\x42\xf7", b"\x01"),  # EBMLReadVersion
        (b"\x42\xf2", b"\x04"),  # EBMLMaxIDLength
        (b"\x42\xf3", b"\x08"),  # EBMLMaxSizeLength
        (b"\x42\x82", doctype),  # DocType
        (b"\x42\x87", b"\x04"),  # DocTypeVersion
        (b"\x42\x85", b"\x02"),  # DocTypeReadVersion
    )
    body = b"".join(id_ + bytes([0x80 | len(value)]) + value for id_, value in elements)
    segment = b"\x18\x53\x80\x67\x01" + b"\xff" * 7
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body + segment


def flv_head() -> bytes:
    """Head of an FLV file with audio and video: the header and the first tag size."""
    return b"FLV\x01\x05" + (9).to_bytes(4, "big") + bytes(4)


def mpeg_ts(*, packets: int = 64, timestamps: bool = False) -> bytes:
    """MPEG transport-stream null packets (188 bytes each), or M2TS ones (192 bytes, a
    4-byte time stamp first) when ``timestamps``."""
    packet = b"\x47\x1f\xff\x10" + b"\xff" * 184
    prefix = bytes(4) if timestamps else b""
    return (prefix + packet) * packets


# --- Documents ----------------------------------------------------------------------------


def pdf() -> bytes:
    """A complete one-page PDF with a correct cross-reference table."""
    objects = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def zip_archive(members: dict[str, bytes | str] | None = None) -> bytes:
    """A complete zip file (deflated) of ``members``, in their order; by default a few
    photos' worth of random bytes and a note."""
    if members is None:
        rng = random.Random(7)
        members = {"现场/IMG_0001.jpg": rng.randbytes(3000), "说明.txt": "现场照片"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
)
_OVERRIDE = '<Override PartName="/{part}" ContentType="{content_type}"/>'
_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="{type}" Target="{target}"/></Relationships>'
)
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_OOXML = "application/vnd.openxmlformats-officedocument."


def docx(text: str = "现场检查笔录") -> bytes:
    """A complete, minimal Word document of one paragraph."""
    document = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    override = _OVERRIDE.format(
        part="word/document.xml", content_type=_OOXML + "wordprocessingml.document.main+xml"
    )
    return zip_archive(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(overrides=override),
            "_rels/.rels": _RELATIONSHIPS.format(type=_OFFICE_DOCUMENT, target="word/document.xml"),
            "word/document.xml": document,
        }
    )


def xlsx() -> bytes:
    """A complete, minimal Excel workbook of one empty sheet."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    workbook = (
        f'<workbook xmlns="{main}" xmlns:r="{relationships}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    overrides = _OVERRIDE.format(
        part="xl/workbook.xml", content_type=_OOXML + "spreadsheetml.sheet.main+xml"
    ) + _OVERRIDE.format(
        part="xl/worksheets/sheet1.xml", content_type=_OOXML + "spreadsheetml.worksheet+xml"
    )
    return zip_archive(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(overrides=overrides),
            "_rels/.rels": _RELATIONSHIPS.format(type=_OFFICE_DOCUMENT, target="xl/workbook.xml"),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": _RELATIONSHIPS.format(
                type=relationships + "/worksheet", target="worksheets/sheet1.xml"
            ),
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData/></worksheet>',
        }
    )


def ooxml_skeleton(main_part: str) -> bytes:
    """An Office Open XML package of content types, relationships and ``main_part``
    (e.g. "ppt/presentation.xml"): enough to be typed, not to be opened by Office."""
    return zip_archive(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(overrides=""),
            "_rels/.rels": _RELATIONSHIPS.format(type=_OFFICE_DOCUMENT, target=main_part),
            main_part: "<root/>",
        }
    )


def ofd() -> bytes:
    """An OFD (GB/T 33190) package skeleton: OFD.xml pointing at an empty document."""
    entry = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>yangguang-sample</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    document = '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>'
    return zip_archive({"OFD.xml": entry, "Doc_0/Document.xml": document})


def odt_skeleton() -> bytes:
    """An OpenDocument text skeleton: the stored "mimetype" entry first, then content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ole2(
    *, streams: tuple[str, ...] = (), root_class: bytes = bytes(16), first_sector: bytes = b""
) -> bytes:
    """Head of a compound file (legacy Office, MSI), version 3 with 512-byte sectors.

    With ``streams`` the directory (root entry of class ``root_class``, then one entry per
    stream) is sector 0, right after the header. Without, the directory is placed far
    beyond the head, and sector 0 holds ``first_sector`` (e.g. a Word stream's start).
    """
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x20] = b"\x3e\x00\x03\x00\xfe\xff\x09\x00"  # versions, byte order, 2**9
    header[0x20:0x22] = b"\x06\x00"  # mini sectors of 2**6
    header[0x30:0x34] = (0 if streams else 1000).to_bytes(4, "little")
    header[0x38:0x3C] = (4096).to_bytes(4, "little")  # mini-stream cutoff
    if not streams:
        return bytes(header) + first_sector.ljust(512, b"\x00")
    entries = [_ole2_entry("Root Entry", 5, root_class)]
    entries += [_ole2_entry(name, 2, bytes(16)) for name in streams]
    directory = b"".join(entries)
    return bytes(header) + directory.ljust(-(-len(directory) // 512) * 512, b"\x00")


def _ole2_entry(name: str, entry_type: int, class_id: bytes) -> bytes:
    entry = bytearray(128)
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    entry[: len(encoded)] = encoded
    entry[0x40:0x42] = len(encoded).to_bytes(2, "little")
    entry[0x42] = entry_type
    entry[0x44:0x50] = b"\xff" * 12  # no siblings, no child
    entry[0x50:0x60] = class_id
    return bytes(entry)


def legacy_word() -> bytes:
    """Head of a Word 97–2003 .doc: the WordDocument stream (file information block
    magic first) in sector 0, the directory beyond the head, as in large documents."""
    return ole2(first_sector=b"\xec\xa5\xc1\x00" + bytes(28))


def msi() -> bytes:
    """Head of a Windows Installer package: a compound file of the MSI class."""
    return ole2(streams=("\x05SummaryInformation",), root_class=MSI_CLASS)


# --- Programs -----------------------------------------------------------------------------


def elf() -> bytes:
    """Head of a 64-bit Linux executable: the ELF header, then zeros."""
    header = b"\x7fELF\x02\x01\x01" + bytes(9)
    header += (2).to_bytes(2, "little") + (0x3E).to_bytes(2, "little")  # executable, x86-64
    return header.ljust(512, b"\x00")


def pe() -> bytes:
    """Head of a Windows executable: the MZ header with its DOS stub, then the PE header."""
    head = bytearray(512)
    head[0:2] = b"MZ"
    head[0x3C:0x40] = (0x80).to_bytes(4, "little")  # where the PE header is
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    head[0x4E : 0x4E + len(stub)] = stub
    head[0x80:0x86] = b"PE\x00\x00\x4c\x01"  # signature, machine i386
    return bytes(head)


def java_class() -> bytes:
    """Head of a Java 17 class file."""
    return b"\xca\xfe\xba\xbe\x00\x00\x00\x3d" + bytes(56)


def shell_script() -> bytes:
    return b"#!/bin/sh\nrm -rf /\n"


def windows_shortcut() -> bytes:
    """Head of a Windows shortcut (.lnk): its 76-byte header."""
    clsid = b"\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
    return (b"\x4c\x00\x00\x00" + clsid).ljust(76, b"\x00")


def apk() -> bytes:
    """An Android app package skeleton (manifest and code entries)."""
    return zip_archive({"AndroidManifest.xml": b"\x03\x00\x08\x00", "classes.dex": b"dex\n035\x00"})


# --- Archives, text, junk -----------------------------------------------------------------


def gzip_file() -> bytes:
    return gzip.compress(b"\xff\xd8\xff" + bytes(1000), mtime=0)


def tar_file() -> bytes:
    """A complete (uncompressed) tar archive of one member."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        content = b"\xff\xd8\xff" + bytes(1000)
        info = tarfile.TarInfo("IMG_0001.jpg")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def rar_head() -> bytes:
    """Head of a RAR 5 archive: its signature and main archive header."""
    return b"Rar!\x1a\x07\x01\x00" + b"\x33\x92\xb5\xe5\x0a\x01\x05\x06\x00\x05\x01\x01\x80\x80\x00"


def html() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><script>alert(document.cookie)</script></head></html>\n"


def svg() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>\n"
    )


def text(encoding: str = "utf-8") -> bytes:
    return "现场检查笔录\r\n当事人：张三\r\n".encode(encoding)


def random_bytes(size: int = 4096, *, seed: int = 20261008) -> bytes:
    """Reproducible noise; with the default seed it starts like no known format."""
    return random.Random(seed).randbytes(size)
