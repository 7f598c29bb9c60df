"""Checking the chain from the web: the audit administrator asks for a run, the worker
does it (a request never walks a million entries, and a thread would die with its
gunicorn worker), and the page shows its progress and result.

The check itself is ``records.verify.chain_verify``, the one ``verify-records`` runs.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from yangguang.org.models import User
from yangguang.records.enums import VerificationStatus
from yangguang.records.models import RecordEntry, VerificationRun
from yangguang.records.services import record_append
from yangguang.records.verify import chain_verify

# A run whose worker has written no progress for this long was abandoned (the worker
# died) and is claimed again. Progress is written every PROGRESS_BATCH entries.
LEASE = datetime.timedelta(minutes=10)
PROGRESS_BATCH = 5000
UNFINISHED = (VerificationStatus.QUEUED, VerificationStatus.RUNNING)


def verification_request(
    *, actor: User, evidence: bool = False, now: datetime.datetime | None = None
) -> VerificationRun:
    """Queue a check of the chain (with the evidence files re-hashed if ``evidence``),
    or return the one already queued or running: two at once would only compete.

    Side effect: a ``record.verification.request`` entry naming who asked.
    """
    now = now or timezone.now()
    with transaction.atomic():
        pending = VerificationRun.objects.select_for_update().filter(status__in=UNFINISHED).first()
        if pending is not None:
            return pending
        run = VerificationRun.objects.create(
            requested_by=actor, requested_at=now, evidence=evidence
        )
        record_append(
            action="record.verification.request",
            target=run,
            actor=actor,
            changes={"status": [None, run.status], "evidence": [None, evidence]},
        )
    return run


def _claim(now: datetime.datetime) -> VerificationRun | None:
    """Take the oldest queued run, or an abandoned one, for this worker. The conditional
    UPDATE is the claim: of two workers, one updates the row and the other none."""
    due = Q(status=VerificationStatus.QUEUED) | Q(
        status=VerificationStatus.RUNNING, heartbeat_at__lt=now - LEASE
    )
    for run in VerificationRun.objects.filter(due).order_by("requested_at", "pk")[:5]:
        claimed = VerificationRun.objects.filter(
            pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
        ).update(
            status=VerificationStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            entries_checked=0,
            entries_total=RecordEntry.objects.count(),
        )
        if claimed:
            return VerificationRun.objects.get(pk=run.pk)
    return None


def verification_run_next(
    *, now: datetime.datetime | None = None, between_batches: Callable[[], None] | None = None
) -> VerificationRun | None:
    """Run the next queued check, if any (the worker calls this every round). Never
    inside a transaction: the progress it writes must be seen while it runs.
    ``between_batches`` is called after each batch of entries (the worker sends the
    text messages that came due meanwhile).

    Side effects: progress written to the run as it goes; the result on the run and in
    a ``record.verification.finish`` entry (passed or failed, entries and problems).
    """
    run = _claim(now or timezone.now())
    if run is None:
        return None

    def progress(checked: int) -> None:
        VerificationRun.objects.filter(pk=run.pk).update(
            entries_checked=checked, heartbeat_at=timezone.now()
        )
        if between_batches:
            between_batches()

    # The problems are stored as text, in the bureau's language.
    with translation.override(settings.LANGUAGE_CODE):
        report = chain_verify(
            evidence=run.evidence,
            anchor_file=settings.RECORD_ANCHOR_FILE,
            anchor_must_exist=False,
            batch=PROGRESS_BATCH,
            progress=progress,
        )
        problems = [str(problem.message) for problem in report.problems]
    run.status = VerificationStatus.PASSED if report.ok else VerificationStatus.FAILED
    run.entries_checked = report.entries
    run.finished_at = timezone.now()
    run.heartbeat_at = run.finished_at
    run.head_hash = report.head
    run.digests = report.digests
    run.evidence_files = report.evidence_files
    run.problems = problems
    with transaction.atomic():
        run.save(
            update_fields=[
                "status",
                "entries_checked",
                "finished_at",
                "heartbeat_at",
                "head_hash",
                "digests",
                "evidence_files",
                "problems",
            ]
        )
        record_append(
            action="record.verification.finish",
            target=run,
            actor=None,
            changes={
                "status": [VerificationStatus.RUNNING, run.status],
                "entries": [None, report.entries],
                "head_hash": [None, report.head],
                "problems": [None, run.problems],
                "requested_by": [None, run.requested_by.name or run.requested_by.username],
            },
        )
    return run


def verification_runs(*, limit: int = 20) -> list[VerificationRun]:
    return list(VerificationRun.objects.select_related("requested_by")[:limit])
