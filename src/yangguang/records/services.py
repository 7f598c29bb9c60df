"""Writes to the record log: appending entries, closing daily digests, keeping the
anchor file current, and the entries that record reading a record (personal data
shown, record printed)."""

import datetime
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.org.models import User
from yangguang.records.actions import ACTIONS
from yangguang.records.anchor import (
    Anchor,
    AnchorError,
    anchor_file_write,
    anchor_latest,
    anchor_read,
)
from yangguang.records.chain import GENESIS_HASH, EntryContent
from yangguang.records.context import current_client
from yangguang.records.diff import json_safe
from yangguang.records.models import DailyDigest, RecordEntry
from yangguang.records.registry import Target, target_for
from yangguang.records.verify import anchor_problems, anchor_signature_problem

# One PostgreSQL advisory lock serialises appends (and digest closing), so the chain
# never forks: each appender reads the head and writes the next entry while holding it
# until its transaction ends. SQLite needs nothing: its writers are serialised already
# (transactions begin IMMEDIATE, see settings).
CHAIN_LOCK_KEY = 0x59474C4F47  # "YGLOG"


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _head() -> tuple[int, str, datetime.datetime | None]:
    last = (
        RecordEntry.objects.order_by("-sequence")
        .values_list("sequence", "entry_hash", "recorded_at")
        .first()
    )
    return last if last else (0, GENESIS_HASH, None)


@dataclass(frozen=True)
class Pending:
    """One entry to append with ``record_append_many``."""

    action: str
    target: Target | models.Model
    changes: dict = field(default_factory=dict)
    personal: dict = field(default_factory=dict)
    reason: str = ""
    evidence: tuple[str, ...] = ()


def record_append(
    *,
    action: str,
    target: Target | models.Model,
    actor: User | None,
    changes: dict | None = None,
    personal: dict[str, str] | None = None,
    reason: str = "",
    evidence: Sequence[str] = (),
) -> RecordEntry:
    """Append one entry to the chain, inside the caller's transaction.

    Call it from the service that makes the change, in the same transaction, so the
    change and its record commit or roll back together. ``personal`` names the fields
    of ``changes`` that hold personal data ({"phone": "phone"}), to be masked for
    viewers without the right. The client address and device come from the request
    (records.context). Side effect: holds the chain lock until the transaction ends.
    """
    pending = Pending(action, target, changes or {}, personal or {}, reason, tuple(evidence))
    return record_append_many(entries=[pending], actor=actor)[0]


def record_append_many(*, entries: Sequence[Pending], actor: User | None) -> list[RecordEntry]:
    """Append several entries by one actor at once (an import): one lock, one insert."""
    for pending in entries:
        if pending.action not in ACTIONS:
            raise ValueError(
                f"Unknown record action {pending.action!r}: add it to records/actions.py"
            )
    targets = [
        target_for(p.target) if isinstance(p.target, models.Model) else p.target for p in entries
    ]
    client = current_client()
    with transaction.atomic():
        _lock_chain()
        sequence, prev_hash, last_time = _head()
        now = timezone.now()
        # Keep time monotonic along the chain even if application servers' clocks differ.
        recorded_at = max(now, last_time) if last_time else now
        rows = []
        for pending, target in zip(entries, targets, strict=True):
            sequence += 1
            content = EntryContent(
                sequence=sequence,
                recorded_at=recorded_at,
                actor_id=actor.pk if actor else None,
                actor_name=actor.name if actor else "",
                actor_unit_id=actor.unit_id if actor else None,
                unit_id=target.unit.pk if target.unit else None,
                object_type=target.object_type,
                object_id=target.object_id,
                object_repr=target.object_repr,
                action=pending.action,
                changes=json_safe(pending.changes),
                personal=pending.personal,
                reason=pending.reason,
                client_ip=client.ip,
                client_device=client.device,
                evidence=list(pending.evidence),
                prev_hash=prev_hash,
            )
            prev_hash = content.hash()
            rows.append(RecordEntry(**asdict(content), entry_hash=prev_hash))
        return RecordEntry.objects.bulk_create(rows, batch_size=1000)


def _day_end(day: datetime.date) -> datetime.datetime:
    """The first moment of the next day, Asia/Shanghai."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


@transaction.atomic
def digests_close(*, today: datetime.date | None = None) -> list[DailyDigest]:
    """Store the chain head at the end of every finished day not yet closed.

    Days run from the first entry's day (or the day after the last digest) to
    yesterday; a day without entries repeats the previous head, so the series has no
    holes. Holds the chain lock, so no entry of a closed day can still be on its way.
    """
    today = today or timezone.localdate()
    _lock_chain()
    last_digest = DailyDigest.objects.order_by("-day").first()
    if last_digest:
        day = last_digest.day + datetime.timedelta(days=1)
    else:
        first = (
            RecordEntry.objects.order_by("sequence").values_list("recorded_at", flat=True).first()
        )
        if first is None:
            return []
        day = timezone.localtime(first).date()
    closed = []
    while day < today:
        head = (
            RecordEntry.objects.filter(recorded_at__lt=_day_end(day))
            .order_by("-sequence")
            .values_list("sequence", "entry_hash")
            .first()
        ) or (0, GENESIS_HASH)
        closed.append(DailyDigest.objects.create(day=day, last_sequence=head[0], head_hash=head[1]))
        day += datetime.timedelta(days=1)
    return closed


def _hash_at(sequence: int) -> str | None:
    if sequence == 0:
        return GENESIS_HASH
    entries = RecordEntry.objects.filter(sequence=sequence)
    return entries.values_list("entry_hash", flat=True).first()


def anchor_update(*, path: Path, now: datetime.datetime | None = None) -> Anchor | None:
    """Write the anchor of the latest closed day to ``path``, unless it holds it already.
    Returns the anchor written, or None (no day closed yet, or nothing new).

    The file never moves backwards: it refuses (AnchorError, nothing written) to replace
    an anchor that does not carry this system's signature or that the chain no longer
    holds (cut short or rewritten since), and to anchor a digest the chain does not
    have. Those are the alarms ``verify-records`` would raise; the old file stays as the
    evidence. Side effect: ``path`` is replaced atomically.
    """
    anchor = anchor_latest(now=now)
    source = str(path)
    if path.exists():
        previous = anchor_read(path=path)
        problem = anchor_signature_problem(anchor=previous, source=source)
        if problem:
            raise AnchorError(problem.message)
        unchanged = anchor is not None and (
            (previous.day, previous.last_sequence, previous.head_hash)
            == (anchor.day, anchor.last_sequence, anchor.head_hash)
        )
        anchored_hash = _hash_at(previous.last_sequence)
        if unchanged and anchored_hash == previous.head_hash:
            return None  # the usual round: one lookup
        problems = anchor_problems(
            anchor=previous,
            source=source,
            entries=RecordEntry.objects.count(),
            anchored_hash=anchored_hash,
            digest=DailyDigest.objects.filter(day=previous.day).first(),
        )
        if problems:
            raise AnchorError(" ".join(p.message for p in problems))
    if anchor is None:
        return None
    if _hash_at(anchor.last_sequence) != anchor.head_hash:
        raise AnchorError(
            _(
                "The daily digest of %(day)s names entry %(n)d with a hash the chain does not "
                "have: no anchor written. Run verify-records."
            )
            % {"day": anchor.day.isoformat(), "n": anchor.last_sequence}
        )
    anchor_file_write(path=path, anchor=anchor)
    return anchor


@transaction.atomic
def record_personal_data_view(*, entry: RecordEntry, actor: User, reason: str = "") -> RecordEntry:
    """Record that ``actor`` was shown the personal data of ``entry`` unmasked."""
    return record_append(
        action="record.personal_data.view",
        target=Target("records.recordentry", str(entry.sequence), f"#{entry.sequence}", entry.unit),
        actor=actor,
        changes={"sequence": [None, entry.sequence], "fields": [None, sorted(entry.personal)]},
        reason=reason,
    )


@transaction.atomic
def record_export(*, target: Target, actor: User, entries: int) -> RecordEntry:
    """Record that ``actor`` printed the record of ``target``."""
    return record_append(
        action="record.export",
        target=target,
        actor=actor,
        changes={"entries": [None, entries]},
    )
