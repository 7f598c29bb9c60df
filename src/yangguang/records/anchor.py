"""The record chain's anchor: the head of the latest closed day, signed, kept outside
the database.

The daily digests live in the same database as the chain, so whoever can empty or
shorten the chain can delete its digests with it. An anchor is the latest digest (day,
last entry, entry count, head hash) signed with an HMAC whose key is not in the
database (``YANGGUANG_ANCHOR_KEY``, or one derived from ``SECRET_KEY``), in a file
(``YANGGUANG_ANCHOR_FILE``) that close-digests and the worker keep current and that the
bureau copies elsewhere. ``verify-records`` checks that the chain still holds the
anchored entry with the anchored hash: a chain emptied or cut short, digests and all,
fails against it.

The file is one JSON object (UTF-8)::

    {"anchor": "yangguang-record-anchor", "version": 1, "day": "2026-12-01",
     "last_sequence": 1234, "entries": 1234, "head_sha256": "…",
     "written_at": "2026-12-02T00:05:00.000000+00:00", "key_id": "…",
     "hmac_sha256": "…"}

``hmac_sha256`` is the HMAC-SHA256 of the canonical JSON (records/chain.py) of the
other fields; ``key_id`` names the key (a hash of it, revealing nothing) so that a
changed key is told apart from a forgery. The chain is gapless from entry 1, so
``entries`` equals ``last_sequence``; both are kept for the reader.
"""

import datetime
import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from yangguang.records.chain import canonical_json, timestamp
from yangguang.records.models import DailyDigest

FORMAT = "yangguang-record-anchor"
VERSION = 1
KEY_SALT = "yangguang.records.anchor"
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class AnchorError(Exception):
    """An anchor that cannot be read, or may not be written; the message says why."""


@dataclass(frozen=True)
class Anchor:
    day: datetime.date
    last_sequence: int
    entries: int
    head_hash: str
    written_at: datetime.datetime
    key_id: str
    signature: str = ""

    def fields(self) -> dict:
        """What the signature covers: everything but the signature."""
        return {
            "anchor": FORMAT,
            "version": VERSION,
            "day": self.day.isoformat(),
            "last_sequence": self.last_sequence,
            "entries": self.entries,
            "head_sha256": self.head_hash,
            "written_at": timestamp(self.written_at),
            "key_id": self.key_id,
        }


def _secret() -> str:
    return settings.RECORD_ANCHOR_KEY or settings.SECRET_KEY


def anchor_key_id() -> str:
    """This system's key, named by a hash of it (a different salt from the signature's)."""
    return salted_hmac(f"{KEY_SALT}.key-id", "", secret=_secret(), algorithm="sha256").hexdigest()[
        :16
    ]


def _signature(anchor: Anchor) -> str:
    return salted_hmac(
        KEY_SALT, canonical_json(anchor.fields()), secret=_secret(), algorithm="sha256"
    ).hexdigest()


def anchor_signed(*, anchor: Anchor) -> bool:
    """Whether ``anchor`` carries this system's signature over its fields."""
    return constant_time_compare(anchor.signature, _signature(anchor))


def anchor_latest(*, now: datetime.datetime | None = None) -> Anchor | None:
    """The signed anchor of the latest closed day; None before any day is closed."""
    digest = DailyDigest.objects.order_by("-day").first()
    if digest is None:
        return None
    anchor = Anchor(
        day=digest.day,
        last_sequence=digest.last_sequence,
        entries=digest.last_sequence,
        head_hash=digest.head_hash,
        written_at=now or timezone.now(),
        key_id=anchor_key_id(),
    )
    return replace(anchor, signature=_signature(anchor))


def anchor_dumps(*, anchor: Anchor) -> str:
    return json.dumps({**anchor.fields(), "hmac_sha256": anchor.signature}, indent=2) + "\n"


def _field(data: dict, name: str, source: str, valid) -> object:
    value = data.get(name)
    try:
        if valid(value):
            return value
    except (TypeError, ValueError):
        pass
    raise AnchorError(
        _("The anchor %(source)s has a missing or malformed field: %(field)s.")
        % {"source": source, "field": name}
    )


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _sha256(value: object) -> bool:
    return isinstance(value, str) and SHA256_HEX.fullmatch(value) is not None


def anchor_loads(*, text: str, source: str) -> Anchor:
    """Parse an anchor; AnchorError naming ``source`` and the bad field if malformed.
    (The signature is checked apart: ``anchor_signed``.)"""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("anchor") != FORMAT:
        raise AnchorError(
            _("%(source)s is not a record anchor written by export-anchor.") % {"source": source}
        )
    _field(data, "version", source, lambda v: v == VERSION)
    day = _field(data, "day", source, datetime.date.fromisoformat)
    written_at = _field(
        data, "written_at", source, lambda v: datetime.datetime.fromisoformat(v).tzinfo
    )
    return Anchor(
        day=datetime.date.fromisoformat(day),
        last_sequence=_field(data, "last_sequence", source, _count),
        entries=_field(data, "entries", source, _count),
        head_hash=_field(data, "head_sha256", source, _sha256),
        written_at=datetime.datetime.fromisoformat(written_at),
        key_id=_field(data, "key_id", source, lambda v: isinstance(v, str)),
        signature=_field(data, "hmac_sha256", source, _sha256),
    )


def anchor_read(*, path: Path) -> Anchor:
    """The anchor in ``path``; AnchorError if missing, unreadable or malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AnchorError(_("The anchor file %(path)s does not exist.") % {"path": path}) from exc
    except UnicodeDecodeError:
        text = ""
    except OSError as exc:
        raise AnchorError(
            _("The anchor file %(path)s cannot be read: %(error)s.")
            % {"path": path, "error": exc.strerror or exc}
        ) from exc
    return anchor_loads(text=text, source=str(path))


def anchor_file_write(*, path: Path, anchor: Anchor) -> None:
    """Replace ``path`` with ``anchor`` atomically: written and synced beside it, then
    renamed over it, so a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(anchor_dumps(anchor=anchor))
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise AnchorError(
            _("The anchor file %(path)s cannot be written: %(error)s.")
            % {"path": path, "error": exc.strerror or exc}
        ) from exc
