"""The hash chain: what an entry's hash covers, and how it is computed.

An entry's hash is the SHA-256 of its canonical content: a JSON object with sorted
keys, no whitespace, UTF-8, holding every recorded field and the previous entry's hash.
Changing any field of any entry, removing one or splicing one in breaks the chain at
that entry. The canonical form must never change once records exist: a new field
means a new, versioned payload, not an edit of this one.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

GENESIS_HASH = "0" * 64
PAYLOAD_VERSION = 1


def canonical_json(value: object) -> bytes:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def timestamp(moment: datetime.datetime) -> str:
    """UTC, microseconds: the form both SQLite and PostgreSQL give back unchanged."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class EntryContent:
    """Everything an entry's hash covers."""

    sequence: int
    recorded_at: datetime.datetime
    actor_id: int | None
    actor_name: str
    actor_unit_id: int | None
    unit_id: int | None
    object_type: str
    object_id: str
    object_repr: str
    action: str
    changes: dict
    personal: dict
    reason: str
    client_ip: str
    client_device: str
    evidence: list
    prev_hash: str

    def payload(self) -> dict:
        return {
            "v": PAYLOAD_VERSION,
            "sequence": self.sequence,
            "recorded_at": timestamp(self.recorded_at),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_unit_id": self.actor_unit_id,
            "unit_id": self.unit_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "changes": self.changes,
            "personal": self.personal,
            "reason": self.reason,
            "client_ip": self.client_ip,
            "client_device": self.client_device,
            "evidence": self.evidence,
            "prev_hash": self.prev_hash,
        }

    def hash(self) -> str:
        return hashlib.sha256(canonical_json(self.payload())).hexdigest()


# The model fields, in EntryContent's order, so selectors and verify read exactly these.
CONTENT_FIELDS = [
    "sequence",
    "recorded_at",
    "actor_id",
    "actor_name",
    "actor_unit_id",
    "unit_id",
    "object_type",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "personal",
    "reason",
    "client_ip",
    "client_device",
    "evidence",
    "prev_hash",
]
