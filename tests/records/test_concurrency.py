"""Concurrent writers keep one chain: no fork, no gap (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections, transaction

from yangguang.records.models import RecordEntry
from yangguang.records.registry import Target
from yangguang.records.services import record_append
from yangguang.records.verify import chain_verify

WRITERS = 8
ENTRIES_EACH = 1000


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_concurrent_writers_leave_one_chain_that_verifies():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; this is the PostgreSQL case")
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            target = Target("tests.writer", str(writer), f"writer {writer}", None)
            for n in range(ENTRIES_EACH):
                with transaction.atomic():
                    record_append(
                        action="config.update", target=target, actor=None, changes={"n": [None, n]}
                    )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    total = WRITERS * ENTRIES_EACH
    assert list(
        RecordEntry.objects.order_by("sequence").values_list("sequence", flat=True)
    ) == list(range(1, total + 1))
    report = chain_verify()
    assert (report.ok, report.entries) == (True, total)
    per_writer = {
        writer: RecordEntry.objects.filter(object_id=str(writer)).count()
        for writer in range(WRITERS)
    }
    assert per_writer == dict.fromkeys(range(WRITERS), ENTRIES_EACH)
