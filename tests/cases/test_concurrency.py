"""Two approvers filing one case at once: exactly one succeeds (PostgreSQL), and the
case has one decision deadline."""

import threading

import pytest
from django.db import connection, connections

from tests.cases.helpers import P, at, new_case
from yangguang.cases.enums import DeadlineKind, Status
from yangguang.cases.models import Case, CaseDeadline
from yangguang.cases.procedure import ProcedureRefused, case_transition
from yangguang.records.models import RecordEntry


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvers_filing_at_once_exactly_one_wins(people):
    if connection.vendor != "postgresql":
        pytest.skip("row locking across connections is the PostgreSQL case")
    case = new_case(people)
    approvers = [people[P.SQUAD_LEADER], people[P.LEADER]]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def file(index: int) -> None:
        try:
            start.wait()
            case_transition(
                case_id=case.pk, verb="file", actor=approvers[index], now=at(2026, 9, 1, 10)
            )
            outcomes.append("filed")
        except ProcedureRefused as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["filed", "wrong_status"]
    assert Case.objects.get(pk=case.pk).status == Status.INVESTIGATING
    assert CaseDeadline.objects.filter(case=case, kind=DeadlineKind.DECISION).count() == 1
    assert RecordEntry.objects.filter(action="case.file").count() == 1
