"""Walking the chain: finds the first entry that was altered, deleted or inserted, and
checks the daily digests (and, optionally, the stored evidence files) against it."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import storages
from django.utils.translation import gettext as _

from yangguang.records.chain import CONTENT_FIELDS, GENESIS_HASH, EntryContent
from yangguang.records.models import DailyDigest, Evidence, RecordEntry


@dataclass(frozen=True)
class Problem:
    kind: str  # altered | deleted | inserted | digest | evidence
    sequence: int
    message: str


@dataclass
class VerifyReport:
    entries: int = 0
    head: str = GENESIS_HASH
    digests: int = 0
    evidence_files: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(batch: int) -> Iterable[tuple]:
    return (
        RecordEntry.objects.order_by("sequence")
        .values_list(*CONTENT_FIELDS, "entry_hash")
        .iterator(chunk_size=batch)
    )


def _check_chain(report: VerifyReport, batch: int) -> dict[int, str]:
    """Walk every entry; stop at the first break. Returns sequence → hash of the
    entries the daily digests point at (only those: a million hashes would not fit)."""
    wanted = set(DailyDigest.objects.values_list("last_sequence", flat=True))
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
    report.head = prev_hash
    return hashes


def _check_digests(report: VerifyReport, hashes: dict[int, str]) -> None:
    for digest in DailyDigest.objects.order_by("day"):
        report.digests += 1
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


def chain_verify(*, evidence: bool = False, batch: int = 5000) -> VerifyReport:
    """Check the whole chain, then the daily digests, then (optionally) evidence files."""
    report = VerifyReport()
    hashes = _check_chain(report, batch)
    if report.ok:
        _check_digests(report, hashes)
    if evidence:
        _check_evidence(report)
    return report
