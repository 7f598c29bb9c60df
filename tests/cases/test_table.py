"""The procedure's transition table, checked over every (from, to) pair and every
(status, verb) pair: the table is what the law allows, and the transition function
enforces exactly the table."""

import datetime

import pytest

from tests.factories import UserFactory
from yangguang.cases.enums import Procedure, Status
from yangguang.cases.models import Case
from yangguang.cases.moves import MOVES
from yangguang.cases.procedure import ProcedureRefused, case_transition
from yangguang.org.rules import EVERY_WORKING_POST

S = Status

# Where each status may lead in one move (staying put is not listed). Written out by
# hand from 行政处罚法 第五章 so that a change to the table must change this too.
EXPECTED = {
    S.PROPOSED: {S.SERVED, S.INVESTIGATING, S.NOT_FILED},
    S.NOT_FILED: {S.ARCHIVED},
    S.INVESTIGATING: {S.INVESTIGATED, S.WITHDRAWN, S.TRANSFERRED},
    S.INVESTIGATED: {S.REVIEWED, S.INVESTIGATING, S.WITHDRAWN, S.TRANSFERRED},
    S.REVIEWED: {
        S.LEGAL_REVIEWED,
        S.INVESTIGATING,
        S.DISCUSSED,
        S.NOTIFIED,
        S.DECIDED,
        S.WITHDRAWN,
        S.TRANSFERRED,
    },
    S.LEGAL_REVIEWED: {
        S.DISCUSSED,
        S.NOTIFIED,
        S.INVESTIGATING,
        S.DECIDED,
        S.WITHDRAWN,
        S.TRANSFERRED,
    },
    S.DISCUSSED: {S.NOTIFIED, S.INVESTIGATING, S.DECIDED, S.WITHDRAWN, S.TRANSFERRED},
    S.NOTIFIED: {S.HEARING_REQUESTED, S.DECIDED, S.WITHDRAWN, S.TRANSFERRED},
    S.HEARING_REQUESTED: {S.HEARING_SCHEDULED, S.WITHDRAWN, S.TRANSFERRED},
    S.HEARING_SCHEDULED: {S.HEARD, S.WITHDRAWN, S.TRANSFERRED},
    S.HEARD: {
        S.LEGAL_REVIEWED,
        S.INVESTIGATING,
        S.DISCUSSED,
        S.DECIDED,
        S.WITHDRAWN,
        S.TRANSFERRED,
    },
    S.DECIDED: {S.SERVED},
    S.SERVED: {S.COURT_APPLIED, S.CLOSED},
    S.COURT_APPLIED: {S.CLOSED},
    S.CLOSED: {S.ARCHIVED},
    S.ARCHIVED: set(),
    S.WITHDRAWN: {S.ARCHIVED},
    S.TRANSFERRED: {S.ARCHIVED},
}


def test_the_table_leads_exactly_where_the_law_allows_for_every_from_to_pair():
    for source in Status:
        for target in Status:
            possible = any(
                source in move.sources and move.target == target for move in MOVES.values()
            )
            assert possible == (target in EXPECTED[source]), (source, target)


def test_every_status_can_reach_the_archive():
    for start in Status:
        seen, frontier = {start}, [start]
        while frontier:
            for target in EXPECTED[frontier.pop()]:
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
        assert S.ARCHIVED in seen, start


@pytest.fixture
def everyone(org_tree):
    """One account holding every working post, so only the table can refuse."""
    return UserFactory(unit=org_tree.bureau, posts=sorted(EVERY_WORKING_POST))


@pytest.mark.django_db
@pytest.mark.parametrize("verb", sorted(MOVES))
def test_every_status_and_verb_pair_is_checked_by_the_transition_function(verb, everyone):
    move = MOVES[verb]
    procedure = Procedure.SIMPLE if Procedure.SIMPLE in move.procedures else Procedure.ORDINARY
    for status in Status:
        case = Case.objects.create(
            number=f"T-{list(Status).index(status)}",
            procedure=procedure,
            status=status,
            source="patrol",
            unit=everyone.unit,
            title="表",
            act_started_on=datetime.date(2026, 9, 1),
            discovered_on=datetime.date(2026, 9, 1),
            created_by=everyone,
        )
        refusal = ""
        try:
            case_transition(case_id=case.pk, verb=verb, actor=everyone, reason="理由")
        except ProcedureRefused as refused:
            refusal = refused.reason
        table_refused = "is not possible while" in refusal
        assert table_refused == (status not in move.sources), (verb, status, refusal)


@pytest.mark.django_db
def test_a_verb_of_the_other_procedure_is_refused(everyone):
    case = Case.objects.create(
        number="T-simple",
        procedure=Procedure.SIMPLE,
        status=S.PROPOSED,
        source="patrol",
        unit=everyone.unit,
        title="表",
        act_started_on=datetime.date(2026, 9, 1),
        discovered_on=datetime.date(2026, 9, 1),
        created_by=everyone,
    )
    with pytest.raises(ProcedureRefused, match="does not belong"):
        case_transition(case_id=case.pk, verb="file", actor=everyone)
