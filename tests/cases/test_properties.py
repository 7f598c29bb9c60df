"""Property-based test of the procedure: random sequences of verbs, by random posts, with
random payloads and random passing of time. Whatever is accepted, the law holds:

- no penalty is decided without the prior notice (行政处罚法 第四十四、六十二条) and none
  heavier than notified (第四十五条);
- a case that qualifies for a hearing is always offered one (第六十三条);
- no summary-procedure case exceeds the limits of 第五十一条;
- the surcharge never exceeds the fine (第七十二条);
- no decision comes after 90 days unless a configured extension allows it (第六十条).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.helpers import P, at, company, new_case, person, violation
from yangguang.cases import law
from yangguang.cases.context import decision_due
from yangguang.cases.enums import Outcome, PartyKind, Procedure, ReviewPoint, Status
from yangguang.cases.models import Case, CaseRules
from yangguang.cases.moves import MOVES
from yangguang.cases.procedure import ProcedureRefused, case_transition
from yangguang.cases.rules_of_law import hearing_due, surcharge
from yangguang.cases.services import case_assess
from yangguang.worktime.selectors import work_calendar

HOURS = [0, 1, 2, 2, 20, 30, 30, 24 * 3, 24 * 6, 24 * 8, 24 * 12, 24 * 95]
AMOUNTS = [Decimal(a) for a in (0, 50, 100, 150, 200, 201, 3000, 3001, 6000, 10000, 60000)]
KINDS = st.sampled_from(
    [[], ["warning"], ["fine"], ["fine"], ["warning", "fine"], ["fine", "confiscate_property"]]
)
STEP = st.fixed_dictionaries(
    {
        "hours": st.sampled_from(
            [0, 1, 2, 2, 20, 30, 30, 24 * 3, 24 * 6, 24 * 8, 24 * 12, 24 * 95]
        ),
        "fine": st.sampled_from(AMOUNTS),
        "kinds": KINDS,
        "outcome": st.sampled_from(list(Outcome.values)),
        "flag": st.booleans(),
        "text": st.sampled_from(["", "已核实", "已核实", "已核实"]),
        "method": st.sampled_from(["direct", "post", "electronic", "on_the_spot"]),
        "days_ahead": st.sampled_from([1, 8, 12, 20]),
        "presider": st.sampled_from([P.OFFICER, P.LEADER]),
    }
)


REWINDS = {"refuse_filing", "withdraw", "transfer", "send_back", "legal_return", "assess"}
SIDE_STEPS = {"preserve", "decide_preserved", "extend_decision", "defer_payment", "remind"}
PERSONAS = [P.OFFICER, P.SQUAD_LEADER, P.LEGAL_REVIEWER, P.LEADER]


def next_move(data, case: Case, people) -> tuple[str, object]:
    """A verb the table allows from the case's status, by a persona whose post allows
    it (a case officer where the verb needs one) — so sequences go deep and only the
    law's guards refuse."""
    verbs = [
        verb
        for verb, move in sorted(MOVES.items())
        if case.procedure in move.procedures and case.status in move.sources
    ]
    if case.status in {Status.PROPOSED, Status.INVESTIGATING}:
        verbs.append("assess")
    if not verbs:
        return "", None
    # Moves that end, rewind or side-step the case are drawn less often, so that most
    # sequences reach the decision and beyond.
    weighted = [v for v in verbs for _ in range(1 if v in REWINDS | SIDE_STEPS else 6)]
    verb = data.draw(st.sampled_from(weighted))
    if verb == "assess":
        return verb, people[P.OFFICER]
    move = MOVES[verb]
    allowed = [
        code
        for code in PERSONAS
        if people[code].has_perm(f"yangguang.{move.action}")
        and (not move.by_case_officer or code in {P.OFFICER, P.SQUAD_LEADER})
    ]
    return verb, people[data.draw(st.sampled_from(allowed))]


def payload(step: dict, now: datetime.datetime, people) -> dict:
    return {
        "penalty_kinds": step["kinds"],
        "fine": step["fine"],
        "outcome": step["outcome"],
        "education_note": step["text"],
        "opinion": step["text"],
        "points": list(ReviewPoint.values) if step["flag"] else ["facts"],
        "minutes": step["text"],
        "text": step["text"],
        "items": step["text"],
        "decision": step["text"],
        "transcript": step["text"],
        "hearing_at": now + datetime.timedelta(days=step["days_ahead"]),
        "presider": people[step["presider"]],
        "method": step["method"],
        "pay_by": now.date() + datetime.timedelta(days=step["days_ahead"] * 3),
        "paid_on": now.date(),
        "started_on": now.date() - datetime.timedelta(days=step["days_ahead"]),
        "ended_on": None if step["flag"] else now.date(),
        "amount": step["fine"] * 3,
        "bank_receipt": step["text"],
        "party_informed": step["flag"],
        "collect_on_the_spot": step["flag"],
        "hard_to_enforce": not step["flag"],
        "receipt": step["text"],
    }


def check_the_law(case: Case, rules: CaseRules) -> None:
    calendar = work_calendar()
    if case.procedure == Procedure.SIMPLE and case.decided_at:
        limit = (
            law.SIMPLE_FINE_LIMIT_INDIVIDUAL
            if case.party_kind == PartyKind.INDIVIDUAL
            else law.SIMPLE_FINE_LIMIT_ORGANISATION
        )
        assert case.fine <= limit
        assert set(case.penalty_kinds) <= {"warning", "fine"}
    if case.procedure == Procedure.ORDINARY and case.decided_at:
        due = decision_due(case, calendar)
        assert case.decided_at <= due
        assert case.extension_days in {0, rules.decision_extension_days}
        if case.outcome == Outcome.PENALTY:
            assert case.notified_at is not None
            assert case.notified_at <= case.decided_at
            assert case.fine <= case.notified_fine
            assert set(case.penalty_kinds) <= set(case.notified_kinds)
    if case.notified_at:
        due = hearing_due(case, rules, kinds=case.notified_kinds, fine=case.notified_fine)
        assert case.hearing_offered == due
    if case.heard_at:
        assert case.hearing_requested_at is not None
        assert case.hearing_offered
    for days in (0, 1, 10, 40, 400):
        if case.payment_due:
            day = case.payment_due + datetime.timedelta(days=days)
            assert Decimal(0) <= surcharge(case, day) <= case.fine


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    setup=st.tuples(st.booleans(), st.booleans(), st.sampled_from([0, 30])),
    steps=st.lists(STEP, min_size=15, max_size=50),
    data=st.data(),
)
def test_random_verb_sequences_never_break_the_law(people, setup, steps, data):
    simple, organisation, extension = setup
    rules, _created = CaseRules.objects.update_or_create(
        pk=1, defaults={"decision_extension_days": extension}
    )
    now = at(2026, 9, 1, 10)
    case = new_case(
        people,
        now=now,
        procedure=Procedure.SIMPLE if simple else Procedure.ORDINARY,
        party=company() if organisation else person(),
        violation=violation("DQ-001"),
    )
    for step in steps:
        verb, actor = next_move(data, case, people)
        if not verb:
            break
        now += datetime.timedelta(hours=step["hours"])
        try:
            if verb == "assess":
                case_assess(
                    case_id=case.pk,
                    actor=actor,
                    violation=violation("DQ-001"),
                    circumstances={"repeat": step["flag"]},
                    penalty_kinds=step["kinds"],
                    fine=step["fine"],
                    departure_reason=step["text"],
                )
            else:
                case_transition(
                    case_id=case.pk,
                    verb=verb,
                    actor=actor,
                    reason=step["text"],
                    now=now,
                    **payload(step, now, people),
                )
        except (ProcedureRefused, ValidationError):
            pass
        case.refresh_from_db()
        check_the_law(case, rules)
    assert case.status in Status.values
