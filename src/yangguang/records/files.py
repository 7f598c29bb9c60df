"""What an evidence file really is, judged from its content, and what its EXIF says.

Pure functions: no database, no models. ``sniff`` types a file from its first bytes and
refuses what cannot be evidence (programs, archives, web and text files, unknown data);
the name the file arrived with only goes into the messages, except for the two Office
containers whose first bytes may not show which Office format they hold (see ``_zip`` and
``_ole2``). EXIF is read by ``records.exif`` (Pillow), never by decoding pixels.

Magic numbers come from puremagic's signature table. This module keeps the policy (what
is accepted, under which type, and how a refusal is worded) and the few structural checks
that a signature cannot make and a wrong answer would turn into a policy hole: which
Office format a zip or compound file holds, and whether an app hides in a zip (puremagic
1.x calls every zip a .docx); which brand an ISO media file carries (HEIC vs AVIF, M4A vs
MP4); whether MPEG audio frames really follow each other; MPEG-TS packets; and text.
puremagic 2's deep scanners do some of these, but need Python 3.12.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.records.enums import EvidenceKind

# Enough for every check below: the part names at the start of an Office zip, the
# directory of a small compound file, and 40-odd MPEG-TS packets.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Sniffed:
    mime_type: str
    kind: EvidenceKind
    extension: str  # with the dot: ".jpg"


class RejectedFile(ValidationError):  # noqa: N818 - a ValidationError, as Django names them
    """A file refused as evidence because of what its content is. It carries one message,
    and ``code`` says why: empty, executable, archive, text, unsupported or unknown."""


@dataclass(frozen=True)
class _Refusal:
    code: str
    what: str


# --- Accepted formats -------------------------------------------------------------------

_JPEG = Sniffed("image/jpeg", EvidenceKind.PHOTO, ".jpg")
_PNG = Sniffed("image/png", EvidenceKind.PHOTO, ".png")
_GIF = Sniffed("image/gif", EvidenceKind.PHOTO, ".gif")
_WEBP = Sniffed("image/webp", EvidenceKind.PHOTO, ".webp")
_TIFF = Sniffed("image/tiff", EvidenceKind.PHOTO, ".tiff")
_HEIC = Sniffed("image/heic", EvidenceKind.PHOTO, ".heic")
_HEIF = Sniffed("image/heif", EvidenceKind.PHOTO, ".heif")

_MP3 = Sniffed("audio/mpeg", EvidenceKind.AUDIO, ".mp3")
_AAC = Sniffed("audio/aac", EvidenceKind.AUDIO, ".aac")
_M4A = Sniffed("audio/mp4", EvidenceKind.AUDIO, ".m4a")
_WAV = Sniffed("audio/wav", EvidenceKind.AUDIO, ".wav")
_AMR = Sniffed("audio/amr", EvidenceKind.AUDIO, ".amr")
_AMR_WB = Sniffed("audio/amr-wb", EvidenceKind.AUDIO, ".awb")
_OGG = Sniffed("audio/ogg", EvidenceKind.AUDIO, ".ogg")
_OPUS = Sniffed("audio/ogg", EvidenceKind.AUDIO, ".opus")
_FLAC = Sniffed("audio/flac", EvidenceKind.AUDIO, ".flac")

_MP4 = Sniffed("video/mp4", EvidenceKind.VIDEO, ".mp4")
_MOV = Sniffed("video/quicktime", EvidenceKind.VIDEO, ".mov")
_3GP = Sniffed("video/3gpp", EvidenceKind.VIDEO, ".3gp")
_3G2 = Sniffed("video/3gpp2", EvidenceKind.VIDEO, ".3g2")
_AVI = Sniffed("video/x-msvideo", EvidenceKind.VIDEO, ".avi")
_MKV = Sniffed("video/x-matroska", EvidenceKind.VIDEO, ".mkv")
_WEBM = Sniffed("video/webm", EvidenceKind.VIDEO, ".webm")
_OGV = Sniffed("video/ogg", EvidenceKind.VIDEO, ".ogv")
_FLV = Sniffed("video/x-flv", EvidenceKind.VIDEO, ".flv")
_TS = Sniffed("video/mp2t", EvidenceKind.VIDEO, ".ts")
_M2TS = Sniffed("video/mp2t", EvidenceKind.VIDEO, ".m2ts")

_PDF = Sniffed("application/pdf", EvidenceKind.DOCUMENT, ".pdf")
_OFD = Sniffed("application/ofd", EvidenceKind.DOCUMENT, ".ofd")
_DOC = Sniffed("application/msword", EvidenceKind.DOCUMENT, ".doc")
_XLS = Sniffed("application/vnd.ms-excel", EvidenceKind.DOCUMENT, ".xls")
_PPT = Sniffed("application/vnd.ms-powerpoint", EvidenceKind.DOCUMENT, ".ppt")
_OOXML = "application/vnd.openxmlformats-officedocument."
_DOCX = Sniffed(_OOXML + "wordprocessingml.document", EvidenceKind.DOCUMENT, ".docx")
_XLSX = Sniffed(_OOXML + "spreadsheetml.sheet", EvidenceKind.DOCUMENT, ".xlsx")
_PPTX = Sniffed(_OOXML + "presentationml.presentation", EvidenceKind.DOCUMENT, ".pptx")

_ALL_ACCEPTED = (
    *(_JPEG, _PNG, _GIF, _WEBP, _TIFF, _HEIC, _HEIF),
    *(_MP3, _AAC, _M4A, _WAV, _AMR, _AMR_WB, _OGG, _OPUS, _FLAC),
    *(_MP4, _MOV, _3GP, _3G2, _AVI, _MKV, _WEBM, _OGV, _FLV, _TS, _M2TS),
    *(_PDF, _OFD, _DOC, _XLS, _PPT, _DOCX, _XLSX, _PPTX),
)
_ACCEPTED = gettext_lazy(
    "photos (JPEG, PNG, WebP, HEIC, GIF, TIFF), audio (MP3, M4A, AAC, WAV, AMR, Ogg, FLAC), "
    "video (MP4, MOV, 3GP, AVI, MKV, WebM, FLV, MPEG-TS) and documents (PDF, OFD, Word, "
    "Excel, PowerPoint)"
)

# A name ending in one of these claims to be evidence; when the content is something
# refused, the message says that name and content disagree.
_EVIDENCE_SUFFIXES = frozenset(
    {accepted.extension for accepted in _ALL_ACCEPTED}
    | {".jpeg", ".jpe", ".jfif", ".tif", ".hif", ".m4b", ".oga", ".m4v", ".mts", ".mpeg"}
    | {".wps", ".et", ".dps"}  # WPS Office's names for Word, Excel and PowerPoint files
)

# --- Messages ---------------------------------------------------------------------------

# (plain, when the name claims to be evidence)
_MESSAGES = {
    "executable": (
        gettext_lazy(
            "“%(name)s” is an executable program (%(what)s), not a photo, recording or "
            "document, and cannot be stored as evidence."
        ),
        gettext_lazy(
            "“%(name)s” ends in “%(extension)s” but is really an executable program "
            "(%(what)s): name and content disagree. It cannot be stored as evidence."
        ),
    ),
    "archive": (
        gettext_lazy(
            "“%(name)s” is a compressed archive (%(what)s); upload the files inside it one by one."
        ),
        gettext_lazy(
            "“%(name)s” ends in “%(extension)s” but is really a compressed archive "
            "(%(what)s): name and content disagree. Upload the files inside it one by one."
        ),
    ),
    "text": (
        gettext_lazy(
            "“%(name)s” is a text or web file (%(what)s); such files are not accepted as "
            "evidence. Save or print it as a PDF and upload that instead."
        ),
        gettext_lazy(
            "“%(name)s” ends in “%(extension)s” but is really a text or web file "
            "(%(what)s): name and content disagree. Text and web files are not accepted as "
            "evidence."
        ),
    ),
    "unsupported": (
        gettext_lazy(
            "“%(name)s” is in %(what)s format, which is not accepted as evidence. Accepted "
            "are %(accepted)s."
        ),
        gettext_lazy(
            "“%(name)s” ends in “%(extension)s” but is really in %(what)s format: name and "
            "content disagree. That format is not accepted as evidence; accepted are "
            "%(accepted)s."
        ),
    ),
    "unknown": (
        gettext_lazy(
            "The type of “%(name)s” could not be recognised from its content; accepted are "
            "%(accepted)s."
        ),
        gettext_lazy(
            "“%(name)s” ends in “%(extension)s”, but its content is not of that type and its "
            "real type could not be recognised. Accepted are %(accepted)s."
        ),
    ),
}


def sniff(head: bytes, *, name: str) -> Sniffed:
    """Type a file from its first bytes (``HEAD_BYTES`` of them; more do no harm).

    The result follows the content: a PNG named ``.jpg`` is a PNG. Raises RejectedFile,
    whose message names the file and what it really is, for anything that cannot be
    evidence.
    """
    if not head:
        raise RejectedFile(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    suffix = _suffix(name)
    found = _detect(head[:HEAD_BYTES], suffix) or _Refusal("unknown", "")
    if isinstance(found, Sniffed):
        return found
    plain, disguised = _MESSAGES[found.code]
    template = disguised if suffix in _EVIDENCE_SUFFIXES else plain
    params = {"name": name, "extension": suffix, "what": found.what, "accepted": _ACCEPTED}
    raise RejectedFile(template % params, code=found.code)


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def _detect(head: bytes, suffix: str) -> Sniffed | _Refusal | None:
    # The structural checks first: where they speak, a signature would guess.
    found = (
        _own_magic(head)
        or _zip(head, suffix)
        or _ole2(head, suffix)
        or _iso_bmff(head)
        or _mpeg_audio(head)
        or _mpeg_ts(head)
        or _ogg(head)
    )
    if found:
        return found
    matches = _signatures(head)
    text = _decode_text(head)
    # A text-only head is text, whatever a short signature says ("Get free…" is no
    # QuickTime "free" atom), unless it is a PDF, whose head often is plain ASCII.
    if text is not None and not (matches and matches[0].mime_type == "application/pdf"):
        return _text(head)
    return _from_signature(matches[0]) if matches else None


# Signatures puremagic 1.x lacks or takes for something else.
_OWN_MAGIC: tuple[tuple[bytes, Sniffed | _Refusal], ...] = (
    (b"#!AMR-WB\n", _AMR_WB),  # puremagic: AMR, and before the "#!" of scripts
    (b"#!AMR\n", _AMR),
    (b"\x00asm", _Refusal("executable", "WebAssembly")),
    # Hikvision's own container (exported body-camera and DVR files): needs converting.
    (b"IMKH", _Refusal("unsupported", "Hikvision IMKH")),
)


def _own_magic(head: bytes) -> Sniffed | _Refusal | None:
    found = next((found for prefix, found in _OWN_MAGIC if head.startswith(prefix)), None)
    if found is None and head.startswith(b"\xca\xfe\xba\xbe"):
        # Java class files and universal Mach-O binaries share this magic; a class file
        # has its version (45 and up) where a Mach-O has its small count of architectures.
        java = int.from_bytes(head[4:8], "big") >= 45
        found = _Refusal("executable", "Java class" if java else "macOS Mach-O")
    elif found is None and head.startswith(b"#!"):
        line = head[:80].split(b"\n", 1)[0].decode("ascii", "replace").strip()
        found = _Refusal("executable", _("script “%(line)s”") % {"line": line})
    return found


def _signatures(head: bytes) -> list[puremagic.PureMagicWithConfidence]:
    """puremagic's matches at the start of the head, best first (a head has no footer)."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return []
    return [match for match in matches if match.offset >= 0]


# puremagic's answers for the accepted formats that its signatures tell apart reliably;
# MPEG audio, ISO media, zip and compound files are never taken from it (see _detect).
_BY_MIME = {
    "image/jpeg": _JPEG,
    "image/png": _PNG,
    "image/gif": _GIF,
    "image/webp": _WEBP,
    "image/tiff": _TIFF,
    "audio/flac": _FLAC,
    "audio/wave": _WAV,
    "audio/x-wav": _WAV,
    "video/avi": _AVI,
    "video/x-msvideo": _AVI,
    "video/x-matroska": _MKV,
    "video/webm": _WEBM,
    "video/x-flv": _FLV,
    "video/quicktime": _MOV,  # QuickTime files that start with an atom, not "ftyp"
    "application/pdf": _PDF,
}
_UNTRUSTED_MIME = frozenset({"audio/mpeg", "audio/aac", "video/mp4", "video/3gpp", "audio/mp4"})
_EXECUTABLES = {
    ".exe": "Windows EXE/DLL",
    ".dll": "Windows EXE/DLL",
    ".lnk": "Windows LNK",
    ".class": "Java class",
    ".dex": "Android DEX",
    ".swf": "Adobe Flash SWF",
    ".crx": "Chrome CRX",
    ".msi": "Windows Installer MSI",
}
_EXECUTABLE_NAMES = {"ELF": "Linux/Unix ELF", "Mach-O": "macOS Mach-O"}
_ARCHIVES = {
    ".zip": "ZIP",
    ".rar": "RAR",
    ".7z": "7-Zip",
    ".gz": "gzip",
    ".tgz": "gzip",
    ".bz2": "bzip2",
    ".xz": "xz",
    ".zst": "Zstandard",
    ".tar": "tar",
    ".cab": "CAB",
    ".z": "compress",
    ".lz": "lzip",
    ".lz4": "LZ4",
    ".rpm": "RPM",
    ".deb": "Debian",
}


def _from_signature(match: puremagic.PureMagicWithConfidence) -> Sniffed | _Refusal:
    extension = match.extension.lower()
    if match.mime_type in _BY_MIME:
        return _BY_MIME[match.mime_type]
    if extension == ".amr":
        return _AMR
    if match.mime_type in _UNTRUSTED_MIME:
        # Looser than the checks above: a damaged file or a lookalike stays unknown.
        return _Refusal("unknown", "")
    program = _EXECUTABLES.get(extension) or next(
        (label for part, label in _EXECUTABLE_NAMES.items() if part in match.name), None
    )
    if program:
        return _Refusal("executable", program)
    if extension in _ARCHIVES:
        return _Refusal("archive", _ARCHIVES[extension])
    return _Refusal("unsupported", extension.lstrip(".").upper() or match.name)


# --- Structural checks: ISO media brands, MPEG audio and TS, Ogg codecs -----------------

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm"})
_HEIF_BRANDS = frozenset({b"mif1", b"mif2", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_M4A_BRANDS = frozenset({b"M4A ", b"M4B ", b"F4A ", b"F4B "})
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9"}
    | {b"mp41", b"mp42", b"mp71", b"avc1", b"dash", b"mmp4", b"f4v ", b"MSNV", b"XAVC"}
    | {b"M4V ", b"M4VH", b"M4VP", b"NDSC", b"NDSH", b"NDSM", b"NDSP", b"NDSS", b"NDXC"}
)
# Photo formats on the same box structure that are not accepted, named here so that
# their "isom" compatibility does not make them videos.
_FOREIGN_BRANDS = {
    b"crx ": "Canon CR3",
    b"jp2 ": "JPEG 2000",
    b"jpx ": "JPEG 2000",
    b"jpm ": "JPEG 2000",
    b"mjp2": "Motion JPEG 2000",
}
_MAJOR_BRANDS = (
    dict.fromkeys(_HEIC_BRANDS, _HEIC)
    | dict.fromkeys(_HEIF_BRANDS, _HEIF)
    | dict.fromkeys(_M4A_BRANDS, _M4A)
    | dict.fromkeys(_MP4_BRANDS, _MP4)
    | {b"qt  ": _MOV}
)
_COMPATIBLE_BRANDS = (
    (_HEIC_BRANDS, _HEIC),
    (_MP4_BRANDS, _MP4),
    (_M4A_BRANDS, _M4A),
    (frozenset({b"qt  "}), _MOV),
)


def _iso_bmff(head: bytes) -> Sniffed | _Refusal | None:
    size = int.from_bytes(head[:4], "big")
    if head[4:8] != b"ftyp" or size < 16:
        return None
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    brands = compatible | {major}
    avif = bool(brands & _AVIF_BRANDS and not brands & _HEIC_BRANDS)
    if major in _FOREIGN_BRANDS or avif:
        return _Refusal("unsupported", "AVIF" if avif else _FOREIGN_BRANDS[major])
    if major in _HEIF_BRANDS and compatible & _HEIC_BRANDS:
        return _HEIC
    if major in _MAJOR_BRANDS:
        return _MAJOR_BRANDS[major]
    if major.startswith(b"3g"):
        return _3G2 if major.startswith(b"3g2") else _3GP
    return next((found for known, found in _COMPATIBLE_BRANDS if compatible & known), None)


# Bit rates in kbit/s by (MPEG-1?, layer), index 1..14; sample rates by version bits.
_BITRATES = {
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {0: (11025, 12000, 8000), 2: (22050, 24000, 16000), 3: (44100, 48000, 32000)}


def _mpeg_audio(head: bytes) -> Sniffed | None:
    if head.startswith(b"ID3"):
        return _MP3
    # Frame sync is too common in other data (a UTF-16 byte-order mark has it): the next
    # frame must follow where the first one says it ends. Frames are shorter than 3 KB.
    for frame_length, found in ((_mp3_frame_length, _MP3), (_adts_frame_length, _AAC)):
        length = frame_length(head)
        if length and frame_length(head[length:]):
            return found
    return None


def _mp3_frame_length(header: bytes) -> int | None:
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version = (header[1] >> 3) & 3  # 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    layer = 4 - ((header[1] >> 1) & 3)  # 4 means reserved
    bitrate_index, rate_index = header[2] >> 4, (header[2] >> 2) & 3
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrate = _BITRATES[version == 3, layer][bitrate_index - 1] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    if layer == 3 and version != 3:
        return 72 * bitrate // rate + padding
    return 144 * bitrate // rate + padding


def _adts_frame_length(header: bytes) -> int | None:
    if len(header) < 7 or header[0] != 0xFF or header[1] & 0xF6 != 0xF0:
        return None
    if (header[2] >> 2) & 0xF > 12:  # sampling-frequency index
        return None
    length = ((header[3] & 3) << 11) | (header[4] << 3) | (header[5] >> 5)
    return length if length > 7 else None


def _mpeg_ts(head: bytes) -> Sniffed | None:
    # 188-byte packets (TS) or 192 with a 4-byte time stamp first (M2TS, AVCHD); the sync
    # byte must be there in at least five packets, and in every packet of the head.
    for offset, stride, found in ((0, 188, _TS), (4, 192, _M2TS)):
        starts = range(offset, min(len(head), HEAD_BYTES), stride)
        if len(starts) >= 5 and all(head[i] == 0x47 for i in starts):
            return found
    return None


def _ogg(head: bytes) -> Sniffed | None:
    if not head.startswith(b"OggS"):
        return None
    first_packet = head[27 : 27 + 255 + 64]
    if b"OpusHead" in first_packet:
        return _OPUS
    if b"\x80theora" in first_packet:
        return _OGV
    return _OGG


# --- Containers: zip (Office, OFD, apps, archives), OLE2 compound files -----------------

_ZIP_MEMBERS: tuple[tuple[str, Sniffed | _Refusal], ...] = (
    ("OFD.xml", _OFD),
    ("AndroidManifest.xml", _Refusal("executable", "Android APK")),
    ("classes.dex", _Refusal("executable", "Android APK")),
    ("AppxManifest.xml", _Refusal("executable", "Windows APPX/MSIX")),
    ("Payload/", _Refusal("executable", "iOS IPA")),
    ("META-INF/MANIFEST.MF", _Refusal("executable", "Java JAR")),
)
# Parts of an Office Open XML package (which also has a "[Content_Types].xml").
_OOXML_PARTS: tuple[tuple[str, Sniffed | _Refusal], ...] = (
    ("word/", _DOCX),
    ("xl/", _XLSX),
    ("ppt/", _PPTX),
)
_OOXML_SUFFIXES = {".docx": _DOCX, ".xlsx": _XLSX, ".pptx": _PPTX}


def _zip(head: bytes, suffix: str) -> Sniffed | _Refusal | None:
    """A zip holds Office Open XML, OFD, apps or anything else, told apart by the part
    names in the local headers at its start. An Office package whose telling part lies
    beyond the head is taken at its name's word, among the Office formats only."""
    if not head.startswith(b"PK\x03\x04"):
        return None
    names = _zip_names(head)
    office = "[Content_Types].xml" in names
    for prefix, found in _ZIP_MEMBERS + (_OOXML_PARTS if office else ()):
        if any(name.startswith(prefix) for name in names):
            return found
    if office and suffix in _OOXML_SUFFIXES:
        return _OOXML_SUFFIXES[suffix]
    if names[:1] == ["mimetype"]:
        # OpenDocument and EPUB: the first entry, stored, holds the media type.
        media_type = head[38:98]
        if media_type.startswith(b"application/vnd.oasis.opendocument"):
            return _Refusal("unsupported", "OpenDocument (ODF)")
        if media_type.startswith(b"application/epub+zip"):
            return _Refusal("unsupported", "EPUB")
    return _Refusal("archive", "ZIP")


def _zip_names(head: bytes) -> list[str]:
    names = []
    for match in re.finditer(b"PK\x03\x04", head):
        start = match.start() + 30
        length = int.from_bytes(head[start - 4 : start - 2], "little")
        raw = head[start : start + length]
        if len(raw) == length:
            names.append(raw.decode("utf-8", "replace"))
    return names


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_STREAMS = (
    ("WordDocument", _DOC),
    ("Workbook", _XLS),
    ("Book", _XLS),
    ("PowerPoint Document", _PPT),
)
# WPS Office names its legacy Word, Excel and PowerPoint files .wps, .et and .dps.
_OLE2_SUFFIXES = {".doc": _DOC, ".wps": _DOC, ".xls": _XLS, ".et": _XLS, ".ppt": _PPT, ".dps": _PPT}
# Root-entry class ids of Windows Installer packages, patches and transforms.
_MSI_CLASSES = frozenset(
    bytes.fromhex(f"{kind}100c0000000000c000000000000046") for kind in ("84", "86", "82")
)


def _ole2(head: bytes, suffix: str) -> Sniffed | _Refusal | None:
    """A compound file is a legacy Office document, an installer (MSI) or something else.
    Its directory says which when it lies within the head; otherwise the start of the
    first sector can (Word and Excel streams usually come first); otherwise the name's
    extension decides among the legacy Office formats."""
    if not head.startswith(_OLE2):
        return None
    sector = 1 << int.from_bytes(head[0x1E:0x20], "little")
    entries = _ole2_directory(head, sector)
    if any(clsid in _MSI_CLASSES for _name, clsid in entries):
        return _Refusal("executable", "Windows Installer MSI")
    streams = {name for name, _clsid in entries}
    for stream, found in _OLE2_STREAMS:
        if stream in streams:
            return found
    first = head[sector : sector + 4]
    if first == b"\xec\xa5\xc1\x00":  # the Word file information block
        return _DOC
    if first[:2] == b"\x09\x08" and first[2:4] in (b"\x08\x00", b"\x10\x00"):  # Excel BOF
        return _XLS
    return _OLE2_SUFFIXES.get(suffix, _Refusal("unsupported", "OLE2"))


def _ole2_directory(head: bytes, sector: int) -> list[tuple[str, bytes]]:
    """(name, class id) of the entries in the first directory sector, if within head."""
    if sector not in (512, 4096):
        return []
    start = (int.from_bytes(head[0x30:0x34], "little") + 1) * sector
    entries = []
    for at in range(start, min(start + sector, len(head) - 127), 128):
        entry = head[at : at + 128]
        if entry[0x42] == 0:  # unused
            continue
        length = min(int.from_bytes(entry[0x40:0x42], "little"), 64)
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        entries.append((name, entry[0x50:0x60]))
    return entries


# --- Text and web files -----------------------------------------------------------------

_CONTROL_ALLOWED = frozenset("\t\n\v\f\r\x1a\x1b")  # whitespace, DOS end of file, ANSI escape
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\n\v\f\r\x1a\x1b"
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<script", "<iframe")


def _text(head: bytes) -> _Refusal | None:
    text = _decode_text(head[:HEAD_BYTES])
    if text is None:
        return None
    start = text.lstrip().lower()
    if start.startswith("<?php"):
        return _Refusal("executable", "PHP")
    # Whichever root comes first: an SVG may hold a script, a web page an SVG.
    markup = start[:4096] if start.startswith("<") else ""
    svg = markup.find("<svg")
    html = min((at for at in map(markup.find, _HTML_MARKERS) if at >= 0), default=-1)
    if svg >= 0 and (html < 0 or svg < html):
        what = _("SVG drawing")
    elif html >= 0:
        what = _("HTML web page")
    elif start.startswith("<?xml"):
        what = "XML"
    elif start.startswith("{\\rtf"):
        what = "RTF"
    else:
        what = _("plain text")
    return _Refusal("text", what)


def _decode_text(head: bytes) -> str | None:
    """The head as text, or None when it is binary. Text is UTF-16 with a byte-order mark,
    or bytes free of control codes other than whitespace: that covers UTF-8, GB 18030 and
    the 8-bit encodings alike, and as only ASCII is looked for, Latin-1 decodes them all."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = codecs.getincrementaldecoder("utf-16")().decode(head, final=False)
        except UnicodeDecodeError:
            return None
        controls = (char for char in text if unicodedata.category(char) == "Cc")
        return None if any(char not in _CONTROL_ALLOWED for char in controls) else text
    if head.translate(None, _TEXT_BYTES):
        return None
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
