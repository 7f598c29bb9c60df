"""One test (or a few) per rule of law the procedure enforces, the article in the name.
行政处罚法 (2021) unless another law is named; reference.md §2."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.cases.conftest import reviewed_case
from tests.cases.helpers import P, at, company, go, new_case, person, violation
from tests.factories import CertificateFactory
from yangguang.cases.enums import DeadlineKind, DeadlineState, Outcome, Status
from yangguang.cases.models import Case, CaseDeadline, CaseRules
from yangguang.cases.procedure import ProcedureRefused
from yangguang.cases.rules_of_law import surcharge
from yangguang.cases.services import NewCase, case_assess, case_decide_on_the_spot
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(ProcedureRefused) as caught:
        call(*args, **kwargs)
    return caught.value.reason


def notified(people, *, fine="10000", now=None, **kwargs):
    """A reviewed case through legal review and discussion, notified on 2026-09-29."""
    case = reviewed_case(people, fine=fine, **kwargs)
    case.refresh_from_db()
    if case.legal_review_required:
        go(case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 9, 2, 10), opinion="同意")
    if case.discussion_required:
        go(case, "discuss", P.LEADER, people, now=at(2026, 9, 3, 10), minutes="一致同意")
    return go(case, "notify", P.OFFICER, people, now=now or at(2026, 9, 29, 10))


# --- 第三十六条 limitation --------------------------------------------------------------


def test_art36_act_undiscovered_for_two_years_cannot_be_filed(people):
    case = new_case(
        people,
        act_started_on=datetime.date(2024, 8, 1),
        act_ended_on=datetime.date(2024, 8, 31),
        discovered_on=datetime.date(2026, 9, 1),
    )
    reason = refused(go, case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    assert "第三十六条" in reason
    assert Case.objects.get(pk=case.pk).status == Status.PROPOSED


def test_art36_two_years_to_the_day_is_still_in_time(people):
    case = new_case(
        people,
        act_started_on=datetime.date(2024, 9, 1),
        act_ended_on=datetime.date(2024, 9, 1),
        discovered_on=datetime.date(2026, 9, 1),
    )
    assert go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10)).status == (
        Status.INVESTIGATING
    )


def test_art36_five_years_where_life_health_or_financial_safety_was_harmed(people):
    case = new_case(
        people,
        act_started_on=datetime.date(2022, 8, 1),
        act_ended_on=datetime.date(2022, 8, 31),
        discovered_on=datetime.date(2026, 9, 1),
        harmed_safety=True,
    )
    assert go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10)).status == (
        Status.INVESTIGATING
    )


def test_art36_a_continuing_act_counts_from_its_end(people):
    case = new_case(
        people,
        act_started_on=datetime.date(2020, 1, 1),
        act_ended_on=None,
        discovered_on=datetime.date(2026, 9, 1),
    )
    assert go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10)).status == (
        Status.INVESTIGATING
    )


# --- 第四十二条 two certified officers -----------------------------------------------


def opening_refused(people, **overrides) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        new_case(people, **overrides)
    assert not Case.objects.exists()
    return caught.value.message_dict["officers"]


def test_art42_one_officer_cannot_open_a_case(people):
    officer = people[P.OFFICER]
    problems = opening_refused(people, officers=[(officer, officer.certificates.get().number)])
    assert any("第四十二条" in problem for problem in problems)


def test_art42_a_partner_whose_certificate_expired_cannot_open_a_case(people):
    leader = people[P.SQUAD_LEADER]
    leader.certificates.update(
        valid_from=datetime.date(2015, 1, 1), valid_to=datetime.date(2020, 12, 31)
    )
    problems = opening_refused(people)
    assert any("第四十二条" in problem for problem in problems)


def test_art42_an_empty_certificate_number_takes_the_one_valid_that_day(people):
    officer, leader = people[P.OFFICER], people[P.SQUAD_LEADER]
    case = new_case(people, officers=[(officer, ""), (leader, "")])
    assert sorted(case.officers.values_list("certificate_number", flat=True)) == sorted(
        [officer.certificates.get().number, leader.certificates.get().number]
    )


def test_art42_a_certificate_expiring_after_opening_stops_the_next_step(people):
    leader = people[P.SQUAD_LEADER]
    leader.certificates.update(valid_to=datetime.date(2026, 9, 1))
    case = new_case(people)  # on 9-1, still valid
    reason = refused(go, case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 2, 10))
    assert "第四十二条" in reason
    assert Case.objects.get(pk=case.pk).status == Status.PROPOSED


def test_art42_written_records_are_made_by_two_certified_officers(people):
    from yangguang.cases.services import case_write_record

    case = new_case(people)
    people[P.SQUAD_LEADER].certificates.update(valid_to=datetime.date(2026, 9, 1))
    reason = refused(
        case_write_record,
        case_id=case.pk,
        actor=people[P.OFFICER],
        kind="inquiry_record",
        text="问：你是否在此摆摊？答：是。",
        now=at(2026, 9, 2, 10),
    )
    assert "第四十二条" in reason
    assert not case.documents.exists()


def test_art42_every_step_the_officers_take_in_the_bureaus_name_checks_them():
    """The table says which steps are the officers' enforcement acts (their documents
    name them); case_transition checks 第四十二条 for exactly those."""
    from yangguang.cases.moves import MOVES

    assert {verb for verb, move in MOVES.items() if move.names_officers} == {
        "decide_on_the_spot",
        "file",
        "preserve",
        "decide_preserved",
        "end_investigation",
        "notify",
        "serve",
        "remind",
    }


def test_art42_serving_the_decision_needs_two_certified_officers_that_day(people):
    case = decided(people)
    people[P.SQUAD_LEADER].certificates.update(valid_to=datetime.date(2026, 10, 7))
    reason = refused(go, case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    assert "第四十二条" in reason
    assert Case.objects.get(pk=case.pk).status == Status.DECIDED


def test_art42_a_certificate_of_someone_else_is_refused_at_opening(people):
    officer, leader = people[P.OFFICER], people[P.SQUAD_LEADER]
    with pytest.raises(Exception, match="not a certificate of"):
        new_case(people, officers=[(officer, leader.certificates.get().number), (leader, "x")])
    assert not Case.objects.exists()


# --- 第五十一、五十二、六十八、七十条 summary procedure ---------------------------------------


def spot(people, *, fine, party=None, now=None, **kwargs):
    data = NewCase(
        procedure="simple",
        source="patrol",
        title="占道经营",
        facts="人行道摆摊，当场改正",
        act_started_on=datetime.date(2026, 9, 1),
        discovered_on=datetime.date(2026, 9, 1),
        officers=[
            (people[P.OFFICER], people[P.OFFICER].certificates.get().number),
            (people[P.SQUAD_LEADER], people[P.SQUAD_LEADER].certificates.get().number),
        ],
        violation=violation("SR-001"),
        party=party or person(),
    )
    values = {"penalty_kinds": ["fine"], "fine": Decimal(fine), "party_informed": True}
    return case_decide_on_the_spot(
        data=data,
        actor=people[P.OFFICER],
        circumstances={},
        now=now or at(2026, 9, 1, 10),
        **(values | kwargs),
    )


def test_art51_individual_fine_of_200_is_decided_on_the_spot(people):
    case = spot(people, fine="200")
    assert case.status == Status.SERVED
    assert case.service_method == "on_the_spot"
    assert case.payment_due == datetime.date(2026, 9, 16)  # 第六十七条: 15 days


def test_art51_individual_fine_above_200_is_refused_and_nothing_is_written(people):
    entries = RecordEntry.objects.count()
    reason = refused(spot, people, fine="201")
    assert "第五十一条" in reason
    assert not Case.objects.exists()
    assert RecordEntry.objects.count() == entries


def test_art51_organisation_may_be_fined_3000_but_not_more(people):
    assert spot(people, fine="3000", party=company()).status == Status.SERVED
    assert "第五十一条" in refused(spot, people, fine="3000.01", party=company())


def test_art51_only_warning_or_fine(people):
    reason = refused(spot, people, fine="0", penalty_kinds=["confiscate_property"])
    assert "第五十一条" in reason


def test_art52_art44_the_party_must_have_been_told_and_heard(people):
    reason = refused(spot, people, fine="50", party_informed=False)
    assert "第四十四条" in reason


def test_art52_summary_decision_must_be_filed_with_the_bureau_before_closing(people):
    case = spot(people, fine="50", collect_on_the_spot=True, receipt="财0001")
    assert "第五十二条" in refused(go, case, "close", P.SQUAD_LEADER, people, now=at(2026, 9, 2))
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.FILING_RECORD)
    assert deadline.due_at == at(2026, 9, 3, 23, 59, 59)  # 2 working days (configurable)
    go(case, "record_filing", P.SQUAD_LEADER, people, now=at(2026, 9, 2, 9))
    assert go(case, "close", P.SQUAD_LEADER, people, now=at(2026, 9, 2, 10)).status == (
        Status.CLOSED
    )


def test_art68_fine_up_to_100_may_be_collected_on_the_spot(people):
    case = spot(people, fine="100", collect_on_the_spot=True, receipt="财0002")
    assert case.paid_amount == Decimal(100)
    assert case.payment_due is None


def test_art68_fine_above_100_is_paid_at_the_bank_unless_hard_to_enforce(people):
    assert "第六十八条" in refused(
        spot, people, fine="150", collect_on_the_spot=True, receipt="财0003"
    )
    case = spot(people, fine="150", collect_on_the_spot=True, hard_to_enforce=True, receipt="财4")
    assert case.collected_on_the_spot


def test_art70_on_the_spot_collection_needs_the_receipt_number(people):
    assert "第七十条" in refused(spot, people, fine="50", collect_on_the_spot=True)


# --- 第五十六条 preserved evidence -------------------------------------------------------


def test_art56_preserved_evidence_is_decided_within_7_working_days_across_a_holiday(people):
    case = new_case(people)
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 29, 9))
    go(case, "preserve", P.SQUAD_LEADER, people, now=at(2026, 9, 29, 10), items="三轮车一辆")
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.PRESERVATION)
    assert deadline.due_at == at(2026, 10, 14, 23, 59, 59)  # 10-1…10-7 off, 10-10 worked
    case_assess(
        case_id=case.pk,
        actor=people[P.OFFICER],
        violation=violation("DQ-001"),
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(6000),
    )
    reason = refused(go, case, "end_investigation", P.OFFICER, people, now=at(2026, 10, 9))
    assert "第五十六条" in reason
    go(case, "decide_preserved", P.OFFICER, people, now=at(2026, 10, 9), decision="退还当事人")
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET


# --- 第五十七、五十八条 collective discussion and legal review -----------------------------


def test_art58_major_fine_needs_legal_review_before_the_notice(people):
    case = reviewed_case(people, fine="10000")
    assert case.legal_review_required
    assert "第五十八条" in refused(go, case, "notify", P.OFFICER, people, now=at(2026, 9, 2))


def test_art58_reviewer_may_not_have_investigated_the_case(people):
    case = reviewed_case(people, fine="10000")
    people[P.SQUAD_LEADER].posts.add(*people[P.LEGAL_REVIEWER].posts.all())
    people[P.SQUAD_LEADER]._post_codes = None
    reason = refused(
        go, case, "legal_review", P.SQUAD_LEADER, people, now=at(2026, 9, 2), opinion="同意"
    )
    assert "第五十八条" in reason


def test_art58_a_fine_outside_the_proposed_range_forces_legal_review(people):
    """DQ-001 proposes 5,000–20,000 in its general grade; 4,000 leaves the range."""
    case = new_case(people)
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    case_assess(
        case_id=case.pk,
        actor=people[P.OFFICER],
        violation=violation("DQ-001"),
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(4000),
    )
    reason = refused(go, case, "end_investigation", P.OFFICER, people, now=at(2026, 9, 1, 11))
    assert "reason" in reason
    case_assess(
        case_id=case.pk,
        actor=people[P.OFFICER],
        violation=violation("DQ-001"),
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(4000),
        departure_reason="当事人经济困难，已全部整改",
    )
    go(case, "end_investigation", P.OFFICER, people, now=at(2026, 9, 1, 11))
    case = go(case, "review", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 12))
    assert case.legal_review_required


def test_art58_a_first_time_reviewer_needs_the_legal_qualification(people):
    """第五十八条第二款: 初次从事法制审核的人员应当取得法律职业资格."""
    from yangguang.org.services import user_set_legal_qualification

    reviewer = people[P.LEGAL_REVIEWER]
    user_set_legal_qualification(user=reviewer, qualification="", since=None, actor=None)
    case = reviewed_case(people, fine="10000")
    reason = refused(
        go, case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 9, 2), opinion="同意"
    )
    assert "第五十八条第二款" in reason
    # A reviewer who started before the revised law came into force may go on.
    user_set_legal_qualification(
        user=reviewer, qualification="", since=datetime.date(2019, 3, 1), actor=None
    )
    go(case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 9, 2), opinion="同意")
    assert Case.objects.get(pk=case.pk).status == Status.LEGAL_REVIEWED


def test_art58_the_reviewer_confirms_every_review_point(people):
    """The points of 国办发〔2018〕118号 (reference.md §3), each confirmed, or no review."""
    case = reviewed_case(people, fine="10000")
    reason = refused(
        go,
        case,
        "legal_review",
        P.LEGAL_REVIEWER,
        people,
        now=at(2026, 9, 2),
        opinion="同意",
        points=["subject", "facts", "basis"],
    )
    assert "The discretion is appropriate" in reason  # the missing points, by name
    assert "The facts are clear" not in reason
    go(case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 9, 2), opinion="同意")
    assert Case.objects.get(pk=case.pk).status == Status.LEGAL_REVIEWED


def test_art57_major_fine_needs_collective_discussion_before_the_notice(people):
    case = reviewed_case(people, fine="10000")
    go(case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 9, 2), opinion="同意")
    assert "第五十七条" in refused(go, case, "notify", P.OFFICER, people, now=at(2026, 9, 2))


def test_art57_art58_small_fine_needs_neither(people):
    case = reviewed_case(people, fine="6000", party=company())
    assert (case.legal_review_required, case.discussion_required) == (False, False)
    assert go(case, "notify", P.OFFICER, people, now=at(2026, 9, 2)).status == Status.NOTIFIED


# --- 第四十四、四十五、六十二条 prior notice, statement and defence -----------------------------


def test_art44_art62_no_penalty_decision_before_the_notice(people):
    case = reviewed_case(people, fine="6000", party=company())
    reason = refused(go, case, "decide", P.LEADER, people, now=at(2026, 9, 2))
    assert "第六十二条" in reason


def test_art45_art62_decision_waits_for_the_statement_period(people):
    case = notified(people, fine="6000", party=company())
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.STATEMENT)
    assert deadline.due_at == at(2026, 10, 12, 23, 59, 59)  # 5 working days over the holiday
    assert "第四十五条" in refused(go, case, "decide", P.LEADER, people, now=at(2026, 10, 9))
    case = go(case, "decide", P.LEADER, people, now=at(2026, 10, 13, 9))
    assert case.status == Status.DECIDED


def test_art62_a_party_who_waives_may_be_decided_at_once(people):
    case = notified(people, fine="6000", party=company())
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))
    assert go(case, "decide", P.LEADER, people, now=at(2026, 9, 30, 11)).status == (Status.DECIDED)


def test_art45_no_heavier_penalty_than_notified(people):
    case = notified(people, fine="6000", party=company())
    go(case, "record_statement", P.OFFICER, people, now=at(2026, 9, 30), text="已整改，请从轻")
    reason = refused(go, case, "decide", P.LEADER, people, now=at(2026, 10, 13), fine="7000")
    assert "第四十五条" in reason
    case = go(case, "decide", P.LEADER, people, now=at(2026, 10, 13), fine="5000")
    assert case.fine == Decimal(5000)


# --- 第六十三、六十四条 hearing ------------------------------------------------------------


def test_art63_a_large_fine_always_offers_a_hearing(people):
    case = notified(people, fine="10000")
    assert case.hearing_offered
    assert CaseDeadline.objects.filter(case=case, kind=DeadlineKind.HEARING_REQUEST).exists()


def test_art63_thresholds_are_local_configuration(people):
    CaseRules.objects.update_or_create(pk=1, defaults={"hearing_fine_individual": 20000})
    case = notified(people, fine="10000")
    assert not case.hearing_offered
    assert "第六十三条" in refused(
        go, case, "request_hearing", P.OFFICER, people, now=at(2026, 9, 30)
    )


def test_art64_hearing_requested_within_5_working_days_across_a_holiday(people):
    case = notified(people, fine="10000")
    # Notified 9-29: 9-30, 10-8, 10-9, 10-10 (make-up Saturday) and 10-12.
    reason = refused(go, case, "request_hearing", P.OFFICER, people, now=at(2026, 10, 13, 9))
    assert "第六十四条" in reason
    case = go(case, "request_hearing", P.OFFICER, people, now=at(2026, 10, 12, 17))
    assert case.status == Status.HEARING_REQUESTED


def test_art64_no_decision_while_a_hearing_may_still_be_requested(people):
    case = notified(people, fine="10000")
    go(case, "record_statement", P.OFFICER, people, now=at(2026, 9, 30), text="无异议")
    reason = refused(go, case, "decide", P.LEADER, people, now=at(2026, 10, 12, 9))
    assert "第六十四条" in reason


def schedule(case, people, *, hearing_at, presider=P.LEADER):
    """The squadron leader schedules the hearing on 9-30 10:00."""
    return go(
        case,
        "schedule_hearing",
        P.SQUAD_LEADER,
        people,
        now=at(2026, 9, 30, 10),
        hearing_at=hearing_at,
        presider=people[presider],
    )


def test_art64_notice_7_working_days_before_the_hearing(people):
    """第六十四条第二项 "七日前通知", counted per 第八十五条: notified on day 0, the hearing
    may be held on working day 7, not earlier."""
    case = notified(people, fine="10000")
    go(case, "request_hearing", P.OFFICER, people, now=at(2026, 9, 30, 9))
    # Notified 9-30: 10-1…10-7 are the National Day holiday; working days 10-8 (1),
    # 10-9 (2), 10-10 (3, a make-up Saturday), 10-12 (4) … 10-15 (7).
    assert "第六十四条" in refused(schedule, case, people, hearing_at=at(2026, 10, 14, 15))
    case = schedule(case, people, hearing_at=at(2026, 10, 15, 9))
    assert case.status == Status.HEARING_SCHEDULED


def test_art64_the_presider_did_not_investigate(people):
    case = notified(people, fine="10000")
    go(case, "request_hearing", P.OFFICER, people, now=at(2026, 9, 30, 9))
    reason = refused(schedule, case, people, hearing_at=at(2026, 10, 20, 9), presider=P.OFFICER)
    assert "第六十四条" in reason


def test_art58_art65_after_a_hearing_review_and_discussion_come_again(people):
    case = notified(people, fine="10000")
    go(case, "request_hearing", P.OFFICER, people, now=at(2026, 9, 30, 9))
    schedule(case, people, hearing_at=at(2026, 10, 20, 9))
    go(case, "hold_hearing", P.LEADER, people, now=at(2026, 10, 20, 11), transcript="听证笔录")
    assert "第五十八条" in refused(go, case, "decide", P.LEADER, people, now=at(2026, 10, 21))
    go(case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 10, 21), opinion="维持")
    assert "第五十七条" in refused(go, case, "decide", P.LEADER, people, now=at(2026, 10, 22))
    go(case, "discuss", P.LEADER, people, now=at(2026, 10, 22, 9), minutes="维持原拟处罚")
    case = go(case, "decide", P.LEADER, people, now=at(2026, 10, 22, 10))
    assert (case.status, case.outcome) == (Status.DECIDED, Outcome.PENALTY)


# --- 第六十条 ninety days ------------------------------------------------------------------


def test_art60_no_decision_after_90_days_without_an_extension(people):
    case = notified(people, fine="6000", party=company())
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))
    # Filed 9-1: the 90th day is 11-30.
    assert "第六十条" in refused(go, case, "decide", P.LEADER, people, now=at(2026, 12, 1, 9))
    assert go(case, "decide", P.LEADER, people, now=at(2026, 11, 30, 17)).status == (Status.DECIDED)


def test_art60_an_extension_only_where_configured(people):
    case = notified(people, fine="6000", party=company())
    reason = refused(
        go, case, "extend_decision", P.LEADER, people, now=at(2026, 11, 1), reason="案情复杂"
    )
    assert "第六十条" in reason
    CaseRules.objects.update_or_create(pk=1, defaults={"decision_extension_days": 30})
    go(case, "extend_decision", P.LEADER, people, now=at(2026, 11, 1), reason="案情复杂")
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 11, 2))
    assert go(case, "decide", P.LEADER, people, now=at(2026, 12, 10)).status == Status.DECIDED


# --- 第三十三条 no penalty ---------------------------------------------------------------


def test_art33_no_penalty_decision_records_the_education(people):
    case = reviewed_case(people, fine="6000", party=company())
    reason = refused(go, case, "decide", P.LEADER, people, now=at(2026, 9, 2), outcome="no_penalty")
    assert "第三十三条" in reason
    case = go(
        case,
        "decide",
        P.LEADER,
        people,
        now=at(2026, 9, 2),
        outcome="no_penalty",
        education_note="已对当事人进行法治教育，当事人签署告知承诺书",
    )
    assert (case.outcome, case.fine, case.penalty_kinds) == ("no_penalty", Decimal(0), [])


# --- 第六十一、六十七、七十二条 service, payment, surcharge -----------------------------------


def decided(people):
    case = notified(people, fine="6000", party=company())
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))
    return go(case, "decide", P.LEADER, people, now=at(2026, 9, 30, 11))


def test_art61_served_within_7_working_days_and_electronically_only_with_consent(people):
    case = decided(people)
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.SERVICE)
    assert deadline.due_at == at(2026, 10, 15, 23, 59, 59)
    reason = refused(go, case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="electronic")
    assert "第六十一条" in reason
    case = go(case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="direct")
    deadline.refresh_from_db()
    assert (case.status, deadline.state) == (Status.SERVED, DeadlineState.MET)


def test_art67_fine_paid_within_15_days_of_service(people):
    case = go(decided(people), "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    assert case.payment_due == datetime.date(2026, 10, 23)


def test_art72_surcharge_is_3_percent_a_day_capped_at_the_fine(people):
    case = go(decided(people), "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    assert surcharge(case, datetime.date(2026, 10, 23)) == Decimal(0)
    assert surcharge(case, datetime.date(2026, 10, 25)) == Decimal(360)  # 2 days × 3 % × 6,000
    assert surcharge(case, datetime.date(2027, 3, 1)) == Decimal(6000)
    reason = refused(
        go,
        case,
        "record_payment",
        P.OFFICER,
        people,
        now=at(2026, 10, 26),
        paid_on=datetime.date(2026, 10, 25),
        amount="6000",
        bank_receipt="B-1",
    )
    assert "第七十二条" in reason
    case = go(
        case,
        "record_payment",
        P.OFFICER,
        people,
        now=at(2026, 10, 26),
        paid_on=datetime.date(2026, 10, 25),
        amount="6360",
        bank_receipt="B-1",
    )
    assert go(case, "close", P.SQUAD_LEADER, people, now=at(2026, 10, 27)).status == Status.CLOSED


def test_art73_days_of_reconsideration_or_lawsuit_add_no_surcharge(people):
    """第七十三条: the decision still runs, but the surcharge does not count the days."""
    case = go(decided(people), "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    # Due 10-23; the party sues on 10-25 and the court decides on 11-04.
    case = go(
        case,
        "record_remedy",
        P.SQUAD_LEADER,
        people,
        now=at(2026, 11, 5),
        started_on=datetime.date(2026, 10, 25),
        ended_on=datetime.date(2026, 11, 4),
    )
    # 10-24 (1 day) counts, 10-25…11-04 (11 days) do not, 11-05 and 11-06 count: 3 days.
    assert surcharge(case, datetime.date(2026, 11, 6)) == Decimal(540)  # 3 × 3 % × 6,000
    assert case.status == Status.SERVED  # 复议、诉讼期间不停止执行
    reason = refused(
        go,
        case,
        "record_remedy",
        P.SQUAD_LEADER,
        people,
        now=at(2026, 11, 5),
        started_on=datetime.date(2026, 11, 1),
        ended_on=datetime.date(2026, 10, 30),
    )
    assert "before" in reason


def served(people):
    """A 6,000-yuan fine served by post on 10-08: due 10-23 (第六十七条)."""
    return go(decided(people), "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")


def plan(case, people, instalments=None, **payload):
    values = {"reason": "经营困难，申请分期", "applied_on": datetime.date(2026, 10, 9)}
    if instalments is not None:
        values["instalments"] = [{"due_on": day, "amount": amount} for day, amount in instalments]
    return go(case, "defer_payment", P.LEADER, people, now=at(2026, 10, 10), **(values | payload))


def pay(case, people, *, on, amount, receipt="B-1"):
    return go(
        case,
        "record_payment",
        P.OFFICER,
        people,
        now=at(on.year, on.month, on.day, 16),
        paid_on=on,
        amount=amount,
        bank_receipt=receipt,
    )


def test_art66_deferred_payment_moves_the_due_date(people):
    case = plan(served(people), people, pay_by=datetime.date(2026, 12, 31))
    assert case.payment_due == datetime.date(2026, 12, 31)
    assert surcharge(case, datetime.date(2026, 12, 31)) == Decimal(0)
    assert surcharge(case, datetime.date(2027, 1, 2)) == Decimal(360)  # 2 days × 3 % × 6,000


def test_art66_only_on_the_partys_application(people):
    """第六十六条第二款: "经当事人申请和行政机关批准"."""
    case = served(people)
    reason = refused(plan, case, people, pay_by=datetime.date(2026, 12, 31), applied_on=None)
    assert "第六十六条" in reason
    assert Case.objects.get(pk=case.pk).payment_due == datetime.date(2026, 10, 23)


def test_art66_instalments_must_cover_what_is_owed(people):
    case = served(people)
    short = [
        (datetime.date(2026, 11, 10), Decimal(2000)),
        (datetime.date(2026, 12, 10), Decimal(2000)),
    ]
    assert "第六十六条" in refused(plan, case, people, short)
    backwards = [
        (datetime.date(2026, 12, 10), Decimal(3000)),
        (datetime.date(2026, 11, 10), Decimal(3000)),
    ]
    assert "after the one before" in refused(plan, case, people, backwards)
    past = [(datetime.date(2026, 10, 1), Decimal(6000))]
    assert "past" in refused(plan, case, people, past)
    assert not case.instalments.exists()


def test_art66_each_instalment_is_recorded_and_the_last_settles_the_fine(people):
    case = plan(
        served(people),
        people,
        [
            (datetime.date(2026, 11, 10), Decimal(2000)),
            (datetime.date(2026, 12, 10), Decimal(4000)),
        ],
    )
    assert case.payment_due == datetime.date(2026, 11, 10)
    case = pay(case, people, on=datetime.date(2026, 11, 9), amount="2000", receipt="B-1")
    assert (case.payment_due, case.paid_on) == (datetime.date(2026, 12, 10), None)
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.PAYMENT, state="open")
    assert deadline.due_at == at(2026, 12, 10, 23, 59, 59)
    case = pay(case, people, on=datetime.date(2026, 12, 10), amount="4000", receipt="B-2")
    assert (case.paid_on, case.paid_amount) == (datetime.date(2026, 12, 10), Decimal(6000))
    entries = RecordEntry.objects.filter(action="case.record_payment").order_by("sequence")
    assert [e.changes["instalment_paid"][1] for e in entries] == [
        "1/2 2000.00 2026-11-09 B-1",
        "2/2 4000.00 2026-12-10 B-2",
    ]
    assert go(case, "close", P.SQUAD_LEADER, people, now=at(2026, 12, 11)).status == Status.CLOSED


def test_art66_art72_only_the_late_instalment_is_surcharged(people):
    """第七十二条 applied per instalment: the first paid on time owes nothing extra; the
    second, two days late, owes 3 % of its own 4,000 yuan a day — not of the fine."""
    case = plan(
        served(people),
        people,
        [
            (datetime.date(2026, 11, 10), Decimal(2000)),
            (datetime.date(2026, 12, 10), Decimal(4000)),
        ],
    )
    case = pay(case, people, on=datetime.date(2026, 11, 10), amount="2000")
    assert surcharge(case, datetime.date(2026, 12, 12)) == Decimal(240)  # 2 × 3 % × 4,000
    reason = refused(pay, case, people, on=datetime.date(2026, 12, 12), amount="4000")
    assert "4240" in reason
    assert "第七十二条" in reason
    case = pay(case, people, on=datetime.date(2026, 12, 12), amount="4240", receipt="B-2")
    assert case.paid_amount == Decimal(6240)


def test_art66_a_part_payment_without_a_plan_is_refused_citing_article_66(people):
    """Outside testing: a part payment was refused citing 第七十二条 with a surcharge of
    0.00. Without an approved plan the fine is paid in one sum (第六十六条)."""
    case = served(people)
    reason = refused(pay, case, people, on=datetime.date(2026, 10, 20), amount="2000")
    assert "第六十六条" in reason
    assert "surcharge" not in reason


def test_art66_the_plan_issues_its_approval_form_and_its_decision(people):
    case = plan(
        served(people),
        people,
        [
            (datetime.date(2026, 11, 10), Decimal(2000)),
            (datetime.date(2026, 12, 10), Decimal(4000)),
        ],
    )
    approval = case.documents.get(kind="payment_plan_approval")
    decision = case.documents.get(kind="payment_plan_decision")
    assert approval.title == "延期（分期）缴纳罚款审批表"
    assert decision.number == "城管缓缴字〔2026〕第1号"
    text = "".join(body for _heading, body in decision.sections)
    assert "第六十六条第二款" in text
    assert "第1期：2026年11月10日前缴纳2,000.00元" in text
    assert "第2期：2026年12月10日前缴纳4,000.00元" in text
    entry = RecordEntry.objects.get(action="case.defer_payment")
    assert entry.changes["instalments"] == [None, ["2026-11-10 2000.00", "2026-12-10 4000.00"]]


# --- 第三十四条 a fine only a local regulation sets ---------------------------------------


def stall_case(people, fine, reason=""):
    """SR-001 占道经营: the national regulation sets no amount, and this bureau has
    configured no local standard (the starter catalogue's item)."""
    case = new_case(people)
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    case_assess(
        case_id=case.pk,
        actor=people[P.OFFICER],
        violation=violation("SR-001"),
        circumstances={"first_offence": True, "harm": "minor"},
        quantity=Decimal(6),
        penalty_kinds=["fine"],
        fine=Decimal(fine),
        departure_reason=reason,
    )
    return case


def test_art34_a_fine_without_a_published_standard_needs_a_written_reason(people):
    """Outside testing: a ¥30,000 fine for a 6 m² first-offence stall was accepted with
    no range and no reason."""
    case = stall_case(people, "30000")
    reason = refused(go, case, "end_investigation", P.OFFICER, people, now=at(2026, 9, 1, 11))
    assert "第三十四条" in reason
    assert Case.objects.get(pk=case.pk).status == Status.INVESTIGATING


def test_art34_art58_a_fine_without_a_published_standard_forces_the_legal_review(people):
    case = stall_case(people, "200", reason="当地条例第二十条：处五十元以上二百元以下罚款")
    go(case, "end_investigation", P.OFFICER, people, now=at(2026, 9, 1, 11))
    case = go(case, "review", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 12))
    assert case.legal_review_required
    assert "第五十八条" in refused(go, case, "notify", P.OFFICER, people, now=at(2026, 9, 1, 13))


def test_art34_a_configured_local_standard_gives_the_range(people):
    """Once the bureau publishes a local standard for the item, a fine inside it needs
    no reason, as for any item with a range."""
    from yangguang.cases.catalogue import GradeData, catalogue_save, items_from_json

    starter = next(item for item in items_from_json() if item.code == "SR-001")
    standard = GradeData(
        grade="general",
        party="any",
        conditions="占道经营，责令改正后拒不改正",
        fine_min=Decimal(50),
        fine_max=Decimal(200),
        fine_basis="fixed",
    )
    local = dataclasses.replace(starter, local_basis_required=False, grades=[standard])
    catalogue_save(items=[local], actor=None, source="本地裁量基准")
    case = stall_case(people, "150")
    case = go(case, "end_investigation", P.OFFICER, people, now=at(2026, 9, 1, 11))
    case = go(case, "review", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 12))
    assert not case.legal_review_required


# --- 行政强制法 第五十三、五十四条 court enforcement ---------------------------------------------


def test_enforcement_law_art54_art53_court_after_reminder_and_lapse_of_litigation(people):
    case = go(decided(people), "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    reason = refused(go, case, "apply_to_court", P.LEADER, people, now=at(2027, 5, 1))
    assert "第五十四条" in reason
    go(case, "remind", P.OFFICER, people, now=at(2027, 3, 1))
    assert "第五十三条" in refused(go, case, "apply_to_court", P.LEADER, people, now=at(2027, 4, 8))
    assert "第五十三条" in refused(go, case, "apply_to_court", P.LEADER, people, now=at(2027, 7, 9))
    case = go(case, "apply_to_court", P.LEADER, people, now=at(2027, 5, 1))
    assert case.status == Status.COURT_APPLIED


# --- 第八十五条 working days ---------------------------------------------------------------


def test_art85_days_counted_in_working_days_skip_the_national_day(people):
    case = notified(people, fine="10000")
    due = {d.kind: d.due_at for d in CaseDeadline.objects.filter(case=case, state="open")}
    assert due[DeadlineKind.HEARING_REQUEST] == at(2026, 10, 12, 23, 59, 59)
    # 第六十条's 90 days are calendar days: filed 9-1 → 11-30.
    assert due[DeadlineKind.DECISION] == at(2026, 11, 30, 23, 59, 59)


def test_a_fresh_certificate_holder_can_replace_an_expired_one(people):
    """第四十二条 is checked on the day of each step, not once."""
    people[P.SQUAD_LEADER].certificates.update(valid_to=datetime.date(2026, 9, 30))
    case = new_case(people)
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    case_assess(
        case_id=case.pk,
        actor=people[P.OFFICER],
        violation=violation("DQ-001"),
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(6000),
    )
    assert "第四十二条" in refused(
        go, case, "end_investigation", P.OFFICER, people, now=at(2026, 10, 9)
    )
    CertificateFactory(holder=people[P.SQUAD_LEADER], number="37NEW0001")
    case.officers.filter(user=people[P.SQUAD_LEADER]).update(certificate_number="37NEW0001")
    assert go(case, "end_investigation", P.OFFICER, people, now=at(2026, 10, 9)).status == (
        Status.INVESTIGATED
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 10, 8), 6, datetime.date(2027, 4, 8)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 11, 30), 3, datetime.date(2028, 2, 29)),
    ],
)
def test_enforcement_law_months_end_on_the_same_day_or_the_month_end(day, months, expected):
    from yangguang.cases.rules_of_law import add_months

    assert add_months(day, months) == expected
