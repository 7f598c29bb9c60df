"""Two dispatchers acting on one report at once: exactly one succeeds (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from tests.reports.helpers import submit
from yangguang.org.enums import PostCode
from yangguang.reports.enums import Status
from yangguang.reports.models import Report
from yangguang.reports.workflow import TransitionRefused, report_transition


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_dispatchers_at_once_exactly_one_wins(city):
    if connection.vendor != "postgresql":
        pytest.skip("row locking across connections is the PostgreSQL case")
    report, _ = submit(city)
    report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
    dispatchers = [city.people[PostCode.DISPATCHER], city.people[PostCode.SHIFT_LEAD]]
    targets = [city.org.municipal, city.org.squadron1]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def dispatch(index: int) -> None:
        try:
            start.wait()
            report_transition(
                report=report, verb="dispatch", actor=dispatchers[index], unit=targets[index]
            )
            outcomes.append("dispatched")
        except TransitionRefused as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatch, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["dispatched", "wrong_status"]
    stored = Report.objects.get(pk=report.pk)
    assert stored.status == Status.DISPATCHED
    assert stored.unit in targets
