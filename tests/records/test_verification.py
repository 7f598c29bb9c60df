"""Checking the chain from the web: the audit administrator asks, the worker runs
``chain_verify`` and writes its progress, the page follows it; the start and the result
are in the chain."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.records.test_chain import TARGET, raw
from yangguang.org.enums import PostCode
from yangguang.records.enums import VerificationStatus
from yangguang.records.models import RecordEntry, VerificationRun
from yangguang.records.services import record_append
from yangguang.records.verification import LEASE, verification_request, verification_run_next
from yangguang.records.verify import chain_verify

NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=datetime.UTC)


@pytest.fixture
def auditor(personas):
    for n in range(1, 6):
        record_append(action="config.update", target=TARGET, actor=None, changes={"n": [0, n]})
    return personas[PostCode.AUDIT_ADMIN]


def test_request_is_queued_and_recorded_with_who_asked(auditor):
    run = verification_request(actor=auditor, evidence=True, now=NOW)

    entry = RecordEntry.objects.order_by("sequence").last()
    assert (run.status, run.requested_by, run.evidence) == (
        VerificationStatus.QUEUED,
        auditor,
        True,
    )
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        "record.verification.request",
        auditor,
        "records.verificationrun",
        str(run.pk),
    )


def test_second_request_while_one_waits_returns_that_one(auditor):
    first = verification_request(actor=auditor, now=NOW)

    assert verification_request(actor=auditor, now=NOW) == first
    assert VerificationRun.objects.count() == 1


def test_run_checks_the_chain_and_records_the_result(auditor):
    run = verification_request(actor=auditor, now=NOW)
    entries = RecordEntry.objects.count()

    done = verification_run_next(now=NOW)

    assert done.pk == run.pk
    assert (done.status, done.entries_total, done.entries_checked, done.problems) == (
        VerificationStatus.PASSED,
        entries,
        entries,
        [],
    )
    last = RecordEntry.objects.order_by("sequence").last()
    assert last.action == "record.verification.finish"
    assert last.changes["status"] == ["running", "passed"]
    assert last.changes["requested_by"] == [None, auditor.name]
    assert chain_verify().ok is True


def test_run_names_what_broke(auditor):
    raw("UPDATE records_recordentry SET reason = %s WHERE sequence = 3", ["改过"])
    verification_request(actor=auditor, now=NOW)

    run = verification_run_next(now=NOW)

    assert run.status == VerificationStatus.FAILED
    # In the bureau's language, whatever the worker's: the page shows them as stored.
    assert run.problems == ["第 3 条记录条目被篡改：其内容与哈希值不再相符。"]


def test_nothing_to_run_is_none(auditor):
    assert verification_run_next(now=NOW) is None


def test_run_abandoned_by_a_dead_worker_is_claimed_again(auditor):
    run = verification_request(actor=auditor, now=NOW)
    VerificationRun.objects.filter(pk=run.pk).update(
        status=VerificationStatus.RUNNING, heartbeat_at=NOW - LEASE - datetime.timedelta(seconds=1)
    )

    assert verification_run_next(now=NOW).status == VerificationStatus.PASSED


def test_running_run_with_a_fresh_heartbeat_is_left_alone(auditor):
    run = verification_request(actor=auditor, now=NOW)
    VerificationRun.objects.filter(pk=run.pk).update(
        status=VerificationStatus.RUNNING, heartbeat_at=NOW
    )

    assert verification_run_next(now=NOW) is None


def test_progress_is_written_between_batches(auditor):
    seen = []

    report = chain_verify(batch=2, progress=seen.append)

    assert report.entries >= 5
    assert seen == list(range(2, report.entries + 1, 2))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_round_runs_the_requested_check(auditor):
    """The worker's round (outside any transaction, as in production) runs the check."""
    run = verification_request(actor=auditor, now=timezone.now())

    call_command("worker", "--once")

    run.refresh_from_db()
    assert run.status == VerificationStatus.PASSED


# --- The pages ----------------------------------------------------------------------------


def test_audit_administrator_starts_a_check_and_follows_it(client, auditor):
    client.force_login(auditor)

    response = client.post(reverse("backoffice:verify"), {"evidence": "1"})

    run = VerificationRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:verification", args=[run.pk])
    assert run.evidence is True
    page = client.get(response.url).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "等待后台任务" in page


def test_finished_check_shows_its_result_without_refreshing(client, auditor):
    verification_request(actor=auditor, now=NOW)
    run = verification_run_next(now=NOW)
    client.force_login(auditor)

    page = client.get(reverse("backoffice:verification", args=[run.pk])).content.decode()

    assert 'http-equiv="refresh"' not in page
    assert "记录链完整" in page
    assert (
        f"{run.entries_checked} / {run.entries_total}"
        in client.get(reverse("backoffice:verify")).content.decode()
    )


def test_broken_chain_is_shown_with_its_problems(client, auditor):
    raw("UPDATE records_recordentry SET reason = %s WHERE sequence = 3", ["改过"])
    verification_request(actor=auditor, now=NOW)
    run = verification_run_next(now=NOW)
    client.force_login(auditor)

    page = client.get(reverse("backoffice:verification", args=[run.pk])).content.decode()

    assert "记录链已被破坏" in page
    assert "第 3 条" in page


@pytest.mark.parametrize(
    "code", [PostCode.SYSTEM_ADMIN, PostCode.SECURITY_ADMIN, PostCode.LEADER, PostCode.OFFICER]
)
def test_other_posts_may_not_start_or_see_checks(client, auditor, personas, code):
    run = verification_request(actor=auditor, now=NOW)
    client.force_login(personas[code])

    assert client.get(reverse("backoffice:verify")).status_code == 403
    assert client.post(reverse("backoffice:verify")).status_code == 403
    assert client.get(reverse("backoffice:verification", args=[run.pk])).status_code == 403
    assert VerificationRun.objects.count() == 1


def test_unknown_check_is_404(client, auditor):
    client.force_login(auditor)

    assert client.get(reverse("backoffice:verification", args=[999])).status_code == 404
