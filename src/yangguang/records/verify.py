"""Walking the chain: finds the first entry that was altered, deleted or inserted;
checks the daily digests against it, that it is not empty while the database holds
what it records, and that it still holds its anchor (records/anchor.py); optionally
re-hashes the stored evidence files."""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.storage import storages
from django.utils.translation import gettext as _

from yangguang.records.anchor import (
    Anchor,
    AnchorError,
    anchor_key_id,
    anchor_read,
    anchor_signed,
)
from yangguang.records.chain import CONTENT_FIELDS, GENESIS_HASH, EntryContent
from yangguang.records.models import DailyDigest, Evidence, RecordEntry

# What only a recorded service creates: while any exists, an empty chain was erased.
RECORDED_MODELS = (("org", "User"), ("reports", "Report"), ("cases", "Case"))


@dataclass(frozen=True)
class Problem:
    kind: str  # altered | deleted | inserted | digest | empty | anchor | evidence
    sequence: int
    message: str


@dataclass
class VerifyReport:
    entries: int = 0
    head: str = GENESIS_HASH
    digests: int = 0
    evidence_files: int = 0
    problems: list[Problem] = field(default_factory=list)
    anchor: Anchor | None = None  # the anchor the chain was checked against
    anchor_source: str = ""  # where it was looked for

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(batch: int) -> Iterable[tuple]:
    return (
        RecordEntry.objects.order_by("sequence")
        .values_list(*CONTENT_FIELDS, "entry_hash")
        .iterator(chunk_size=batch)
    )


def _check_chain(
    report: VerifyReport,
    batch: int,
    anchored: int | None,
    progress: Callable[[int], None] | None = None,
) -> dict[int, str]:
    """Walk every entry; stop at the first break. Returns sequence → hash of the
    entries the daily digests and the anchor point at (only those: a million hashes
    would not fit)."""
    wanted = set(DailyDigest.objects.values_list("last_sequence", flat=True))
    if anchored is not None:
        wanted.add(anchored)
    expected_sequence = 1
    prev_hash = GENESIS_HASH
    hashes: dict[int, str] = {}
    for row in _rows(batch):
        content = EntryContent(*row[:-1])
        stored_hash = row[-1]
        if content.sequence != expected_sequence:
            missing = {"first": expected_sequence, "last": content.sequence - 1}
            message = (
                _("Entry %(first)d is missing: it was deleted.") % missing
                if missing["first"] == missing["last"]
                else _("Entries %(first)d to %(last)d are missing: they were deleted.") % missing
            )
            report.problems.append(Problem("deleted", expected_sequence, message))
            return hashes
        if content.hash() != stored_hash:
            report.problems.append(
                Problem(
                    "altered",
                    content.sequence,
                    _("Entry %(n)d was altered: its content no longer matches its hash.")
                    % {"n": content.sequence},
                )
            )
            return hashes
        if content.prev_hash != prev_hash:
            report.problems.append(
                Problem(
                    "inserted",
                    content.sequence,
                    _(
                        "Entry %(n)d does not follow entry %(prev)d: it was inserted or "
                        "the entries before it were replaced."
                    )
                    % {"n": content.sequence, "prev": content.sequence - 1},
                )
            )
            return hashes
        if content.sequence in wanted:
            hashes[content.sequence] = stored_hash
        prev_hash = stored_hash
        expected_sequence += 1
        report.entries += 1
        if progress and report.entries % batch == 0:
            progress(report.entries)
    report.head = prev_hash
    return hashes


def _check_digests(report: VerifyReport, hashes: dict[int, str]) -> None:
    """Each digest names an entry the chain has, with its hash; the days follow each
    other without a hole (close-digests closes every day, with or without entries) and
    their heads never move back."""
    previous: DailyDigest | None = None
    for digest in DailyDigest.objects.order_by("day"):
        report.digests += 1
        if previous and digest.day != previous.day + datetime.timedelta(days=1):
            report.problems.append(
                Problem(
                    "digest",
                    previous.last_sequence,
                    _("The daily digests of %(first)s to %(last)s are missing: they were deleted.")
                    % {
                        "first": (previous.day + datetime.timedelta(days=1)).isoformat(),
                        "last": (digest.day - datetime.timedelta(days=1)).isoformat(),
                    },
                )
            )
            return
        if previous and digest.last_sequence < previous.last_sequence:
            report.problems.append(
                Problem(
                    "digest",
                    digest.last_sequence,
                    _(
                        "The digest of %(day)s names entry %(n)d, before entry %(prev)d of the "
                        "day before: the digests were rewritten."
                    )
                    % {
                        "day": digest.day.isoformat(),
                        "n": digest.last_sequence,
                        "prev": previous.last_sequence,
                    },
                )
            )
            return
        previous = digest
        expected = GENESIS_HASH if digest.last_sequence == 0 else hashes.get(digest.last_sequence)
        if expected != digest.head_hash:
            report.problems.append(
                Problem(
                    "digest",
                    digest.last_sequence,
                    _(
                        "The digest of %(day)s names entry %(n)d with head %(head)s, which the "
                        "chain does not have."
                    )
                    % {
                        "day": digest.day.isoformat(),
                        "n": digest.last_sequence,
                        "head": digest.head_hash[:16],
                    },
                )
            )
            return


def _check_not_erased(report: VerifyReport) -> None:
    """An empty chain is right only in a database that holds nothing it would record."""
    if report.entries:
        return
    counts = {}
    for app_label, model_name in RECORDED_MODELS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            counts[model_name.lower()] = 0
        else:
            counts[model_name.lower()] = model._base_manager.count()
    if any(counts.values()):
        report.problems.append(
            Problem(
                "empty",
                1,
                _(
                    "The record chain is empty, yet the database holds %(user)d accounts, "
                    "%(report)d reports and %(case)d cases: the record was erased."
                )
                % counts,
            )
        )


def anchor_signature_problem(*, anchor: Anchor, source: str) -> Problem | None:
    """Why ``anchor`` cannot be trusted, or None when it carries this system's signature."""
    if anchor_signed(anchor=anchor):
        return None
    ours = anchor_key_id()
    if anchor.key_id != ours:
        message = _(
            "The anchor %(source)s is signed with another key (%(theirs)s; this system's is "
            "%(ours)s): it was forged, or YANGGUANG_ANCHOR_KEY or SECRET_KEY changed."
        ) % {"source": source, "theirs": anchor.key_id[:16], "ours": ours}
    else:
        message = _(
            "The anchor %(source)s does not carry a valid signature: it was altered or forged."
        ) % {"source": source}
    return Problem("anchor", anchor.last_sequence, message)


def anchor_problems(
    *,
    anchor: Anchor,
    source: str,
    entries: int,
    anchored_hash: str | None,
    digest: DailyDigest | None,
) -> list[Problem]:
    """What the chain (``entries`` long, ``anchored_hash`` at the anchor's entry) and the
    database's digest of the anchored day lack against a signed anchor."""
    facts = {
        "source": source,
        "day": anchor.day.isoformat(),
        "n": anchor.last_sequence,
        "entries": entries,
        "anchored": anchor.entries,
    }
    problems = []
    if entries < anchor.entries:
        problems.append(
            Problem(
                "anchor",
                entries + 1,
                _(
                    "The chain holds %(entries)d entries, fewer than the %(anchored)d of its "
                    "anchor of %(day)s (%(source)s): entries %(first)d to %(anchored)d were "
                    "deleted."
                )
                % {**facts, "first": entries + 1},
            )
        )
    elif anchored_hash != anchor.head_hash:
        problems.append(
            Problem(
                "anchor",
                anchor.last_sequence,
                _(
                    "Entry %(n)d does not have the hash anchored on %(day)s (%(source)s): the "
                    "record up to it was rewritten."
                )
                % facts,
            )
        )
    if digest is None:
        problems.append(
            Problem(
                "anchor",
                anchor.last_sequence,
                _(
                    "The daily digest of %(day)s, which the anchor %(source)s holds, is missing "
                    "from the database: it was deleted."
                )
                % facts,
            )
        )
    elif (digest.last_sequence, digest.head_hash) != (anchor.last_sequence, anchor.head_hash):
        problems.append(
            Problem(
                "anchor",
                anchor.last_sequence,
                _(
                    "The daily digest of %(day)s differs from the anchor %(source)s (entry "
                    "%(n)d): it was rewritten."
                )
                % facts,
            )
        )
    return problems


def _load_anchor(
    report: VerifyReport, path: Path | None, must_exist: bool
) -> tuple[Anchor | None, list[Problem]]:
    """The signed anchor in ``path``, or the problem with it. A missing file is a problem
    unless ``must_exist`` is off and no day has been closed yet (a new installation)."""
    if path is None:
        return None, []
    report.anchor_source = str(path)
    if not must_exist and not path.exists() and not DailyDigest.objects.exists():
        return None, []
    try:
        anchor = anchor_read(path=path)
    except AnchorError as exc:
        return None, [Problem("anchor", 0, str(exc))]
    problem = anchor_signature_problem(anchor=anchor, source=str(path))
    return (None, [problem]) if problem else (anchor, [])


def _check_evidence(report: VerifyReport) -> None:
    storage = storages["evidence"]
    for evidence in Evidence.objects.order_by("pk").iterator(chunk_size=500):
        digest = hashlib.sha256()
        try:
            with storage.open(evidence.storage_name, "rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1024 * 1024), b""):
                    digest.update(chunk)
        except OSError:
            report.problems.append(
                Problem(
                    "evidence", 0, _("Evidence file %(sha)s is missing.") % {"sha": evidence.sha256}
                )
            )
            continue
        report.evidence_files += 1
        if digest.hexdigest() != evidence.sha256:
            report.problems.append(
                Problem(
                    "evidence",
                    0,
                    _("Evidence file %(sha)s was altered: its content has another hash.")
                    % {"sha": evidence.sha256},
                )
            )


def chain_verify(
    *,
    evidence: bool = False,
    anchor_file: Path | None = None,
    anchor_must_exist: bool = True,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Check the whole chain; then, if it is unbroken, the daily digests, that it is not
    empty while accounts, reports or cases exist, and that it holds the anchor in
    ``anchor_file`` (if given); then (optionally) the evidence files. ``progress`` is
    called with the number of entries checked after every ``batch`` of them."""
    report = VerifyReport()
    anchor, anchor_file_problems = _load_anchor(report, anchor_file, anchor_must_exist)
    hashes = _check_chain(report, batch, anchor.last_sequence if anchor else None, progress)
    if report.ok:
        _check_digests(report, hashes)
        _check_not_erased(report)
        if anchor:
            report.problems += anchor_problems(
                anchor=anchor,
                source=str(anchor_file),
                entries=report.entries,
                anchored_hash=GENESIS_HASH
                if anchor.last_sequence == 0
                else hashes.get(anchor.last_sequence),
                digest=DailyDigest.objects.filter(day=anchor.day).first(),
            )
            report.anchor = anchor
    report.problems += anchor_file_problems
    if evidence:
        _check_evidence(report)
    return report
