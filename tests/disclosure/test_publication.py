"""Publishing decisions (事后公开): one test or a few per rule, the source in the name.

行政处罚法 第四十八条 (publication of decisions with social impact; withdrawal within three
days when set aside), 第八十五条 (working days), 国办发〔2018〕118号 (penalty decisions
within 7 working days), 政府信息公开条例 第二十六条 (others within 20), the provincial rules
on what is never published and what is hidden (docs/disclosure.md)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.cases.conftest import reviewed_case
from tests.cases.helpers import P, at, company, go, person
from tests.cases.test_law import decided, notified, spot
from yangguang.cases.enums import DeadlineKind, DeadlineState, Status
from yangguang.cases.identity import generate_id_number
from yangguang.cases.models import Case, CaseDeadline
from yangguang.cases.procedure import ProcedureRefused
from yangguang.core import events
from yangguang.disclosure import handlers
from yangguang.disclosure.enums import PublicationStatus, RefusalGround
from yangguang.disclosure.models import DisclosureRules, Publication
from yangguang.disclosure.services import (
    PublicationRefused,
    publication_approve,
    publication_edit,
    publication_refuse,
    publication_withdraw,
    publications_remove_expired,
)
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db
S = PublicationStatus
ZHANG_ID = generate_id_number("370802", datetime.date(1980, 5, 1), 12)


def decided_individual(people, *, name="张三", id_number=ZHANG_ID, facts=None):
    """An individual's 10,000-yuan fine decided on 2026-09-30 (after waiver)."""
    party = person(name=name, id_number=id_number, phone="13912345678", address="阳光市东街道一号")
    case = notified(people, party=party)
    if facts is not None:
        Case.objects.filter(pk=case.pk).update(facts=facts)
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))
    return go(case, "decide", P.LEADER, people, now=at(2026, 9, 30, 11))


def publication_of(case) -> Publication:
    return Publication.objects.get(case=case)


def test_the_cases_domain_tells_disclosure_of_decisions_through_core_events():
    assert handlers.on_case_decided in events.handlers_of(events.CASE_DECIDED)
    assert handlers.on_decision_set_aside in events.handlers_of(events.CASE_DECISION_SET_ASIDE)


def test_118_penalty_decision_is_due_for_publication_in_7_working_days_across_national_day(
    people,
):
    """国办发〔2018〕118号: within 7 working days. Decided on 09-30, the 国庆 holiday
    (10-01…10-07) does not count and Saturday 10-10 is a make-up working day: due 10-15."""
    case = decided(people)
    publication = publication_of(case)
    assert publication.status == S.PROPOSED
    assert publication.due_at == at(2026, 10, 15, 23, 59, 59)
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.PUBLICATION)
    assert (deadline.state, deadline.due_at) == (DeadlineState.OPEN, publication.due_at)
    assert RecordEntry.objects.filter(action="disclosure.propose").count() == 1


def test_gov_information_art26_other_decisions_within_20_working_days(people):
    rules = DisclosureRules.objects.get_or_create(pk=1)[0]
    rules.propose_no_penalty = True
    rules.save()
    case = notified(people, fine="6000", party=company())
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))
    go(
        case,
        "decide",
        P.LEADER,
        people,
        now=at(2026, 9, 30, 11),
        outcome="no_penalty",
        education_note="已对当事人进行法治教育",
    )
    # 20 working days from 09-30: 10-08 … 11-03 (10-10 counts, weekends do not).
    assert publication_of(case).due_at == at(2026, 11, 3, 23, 59, 59)


def test_organisation_is_published_by_name_and_credit_code_and_approval_freezes_a_hash(people):
    case = decided(people)
    publication = publication_of(case)
    assert publication.party == "阳光餐饮有限公司"
    assert publication.party_is_organisation
    assert publication.party_credit_code == case.party_credit_code
    assert publication.document_number == case.documents.get(kind="decision").number
    assert "罚款6,000.00元" in publication.result
    published = publication_approve(
        publication_id=publication.pk, actor=people[P.LEGAL_REVIEWER], now=at(2026, 10, 9, 10)
    )
    assert published.status == S.PUBLISHED
    assert len(published.content_sha256) == 64
    assert published.publish_until == at(2031, 10, 9, 10)  # organisations: 5 years
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.PUBLICATION)
    assert deadline.state == DeadlineState.MET
    entry = RecordEntry.objects.get(action="disclosure.publish")
    assert published.content_sha256 in str(entry.changes)


def test_redaction_of_an_individual_zhang_san_becomes_zhang_mou_without_id_phone_address(people):
    facts = (
        "张三于2026年9月1日在东街道摆摊，电话13912345678，住阳光市东街道一号，身份证号" + ZHANG_ID
    )
    case = decided_individual(people, facts=facts)
    publication = publication_of(case)
    assert publication.party == "张某"
    assert publication.party_credit_code == ""
    public_text = " ".join(
        str(getattr(publication, name))
        for name in ("title", "facts", "basis", "result", "party", "area", "authority")
    )
    for secret in ("张三", "13912345678", ZHANG_ID, "阳光市东街道一号"):
        assert secret not in public_text
    assert publication.facts.startswith("张某于2026年9月1日")


def test_compound_surnames_and_the_local_name_rules(people):
    rules = DisclosureRules.objects.get_or_create(pk=1)[0]
    rules.individual_name_rule = "surname_moumou"
    rules.save()
    case = decided_individual(people, name="欧阳明月")
    assert publication_of(case).party == "欧阳某某"


def test_the_legal_office_cannot_publish_text_naming_the_party_or_holding_a_phone(people):
    case = decided_individual(people)
    publication = publication_of(case)
    reviewer = people[P.LEGAL_REVIEWER]
    with pytest.raises(ValidationError) as caught:
        publication_edit(
            publication_id=publication.pk,
            actor=reviewer,
            facts="张三在人行道摆摊，电话139 1234 5678",
        )
    message = str(caught.value)
    assert "张三" in message
    assert "mobile" in message
    fixed = "当事人张某在人行道摆摊，经责令改正拒不改正。"
    edited = publication_edit(publication_id=publication.pk, actor=reviewer, facts=fixed)
    assert edited.facts == fixed
    assert RecordEntry.objects.filter(action="disclosure.edit").count() == 1


def test_only_the_legal_office_approves(people):
    publication = publication_of(decided(people))
    with pytest.raises(PublicationRefused) as caught:
        publication_approve(publication_id=publication.pk, actor=people[P.OFFICER])
    assert caught.value.code == "not_permitted"
    assert publication_of(publication.case).status == S.PROPOSED


def test_decisions_against_minors_are_never_published_online(people):
    """The provincial rules: 被处罚者是未成年人 → never online. 17 when the act began."""
    minor = generate_id_number("370802", datetime.date(2009, 3, 1), 14)
    case = decided_individual(people, name="王小明", id_number=minor)
    publication = publication_of(case)
    assert (publication.status, publication.refusal_ground) == (S.REFUSED, RefusalGround.MINOR)
    assert not CaseDeadline.objects.filter(case=case, kind=DeadlineKind.PUBLICATION).exists()
    with pytest.raises(PublicationRefused):
        publication_approve(publication_id=publication.pk, actor=people[P.LEGAL_REVIEWER])


def test_a_non_public_case_is_refused_with_its_reason_recorded(people):
    publication = publication_of(decided(people))
    reviewer = people[P.LEGAL_REVIEWER]
    with pytest.raises(PublicationRefused) as caught:
        publication_refuse(
            publication_id=publication.pk, actor=reviewer, ground="trade_secret", reason="  "
        )
    assert caught.value.code == "reason_required"
    refused = publication_refuse(
        publication_id=publication.pk,
        actor=reviewer,
        ground=RefusalGround.TRADE_SECRET,
        reason="违法事实涉及当事人配方工艺，属商业秘密",
        now=at(2026, 10, 9),
    )
    assert (refused.status, refused.refusal_ground) == (S.REFUSED, RefusalGround.TRADE_SECRET)
    entry = RecordEntry.objects.get(action="disclosure.refuse")
    assert entry.reason == "违法事实涉及当事人配方工艺，属商业秘密"
    assert CaseDeadline.objects.get(case=publication.case, kind="publication").state == "met"


def set_aside(case, people, *, now, result, on, body, **payload):
    """The squadron leader records how a reconsideration or lawsuit ended."""
    return go(
        case,
        "record_remedy_result",
        P.SQUAD_LEADER,
        people,
        now=now,
        result=result,
        result_on=on,
        body=body,
        **payload,
    )


def published_and_served(people):
    case = decided(people)
    publication = publication_approve(
        publication_id=publication_of(case).pk,
        actor=people[P.LEGAL_REVIEWER],
        now=at(2026, 10, 9, 10),
    )
    go(case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    return case, publication


def test_art48_revoked_decision_is_withdrawn_within_3_working_days_with_its_reason(people):
    """第四十八条第二款 with 第八十五条: revoked on Friday 11-13, withdraw by Wednesday 11-18."""
    case, publication = published_and_served(people)
    set_aside(
        case,
        people,
        now=at(2026, 11, 13, 16),
        result="revoked",
        on=datetime.date(2026, 11, 13),
        body="阳光区人民政府",
        reference="阳政复决字〔2026〕第5号",
    )
    publication.refresh_from_db()
    assert publication.status == S.PUBLISHED  # still up until the legal office withdraws it
    assert publication.withdrawal_due_at == at(2026, 11, 18, 23, 59, 59)
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.WITHDRAWAL)
    assert deadline.state == DeadlineState.OPEN
    withdrawn = publication_withdraw(
        publication_id=publication.pk,
        actor=people[P.LEGAL_REVIEWER],
        reason="该决定已被阳光区人民政府行政复议决定撤销。",
        now=at(2026, 11, 16, 9),
    )
    assert (withdrawn.status, withdrawn.withdrawal_ground) == (S.WITHDRAWN, "revoked")
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET


def test_art48_withdrawal_after_the_third_working_day_is_missed_and_shows_red(people):
    case, publication = published_and_served(people)
    set_aside(
        case,
        people,
        now=at(2026, 11, 13, 16),
        result="confirmed_unlawful",
        on=datetime.date(2026, 11, 13),
        body="阳光区人民法院",
    )
    publication_withdraw(
        publication_id=publication.pk,
        actor=people[P.LEGAL_REVIEWER],
        reason="该决定已被人民法院判决确认违法。",
        now=at(2026, 11, 19, 9),
    )
    deadline = CaseDeadline.objects.get(case=case, kind=DeadlineKind.WITHDRAWAL)
    assert deadline.state == DeadlineState.MISSED


def test_an_upheld_decision_stays_published(people):
    case, publication = published_and_served(people)
    set_aside(
        case,
        people,
        now=at(2026, 11, 13, 16),
        result="upheld",
        on=datetime.date(2026, 11, 13),
        body="阳光区人民政府",
    )
    publication.refresh_from_db()
    assert (publication.status, publication.withdrawal_due_at) == (S.PUBLISHED, None)
    assert not CaseDeadline.objects.filter(case=case, kind=DeadlineKind.WITHDRAWAL).exists()


def test_a_decision_set_aside_before_publication_is_not_published(people):
    case = decided(people)
    go(case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    set_aside(
        case,
        people,
        now=at(2026, 10, 9, 16),
        result="void",
        on=datetime.date(2026, 10, 9),
        body="阳光区人民法院",
    )
    publication = publication_of(case)
    assert (publication.status, publication.refusal_ground) == (S.REFUSED, RefusalGround.SET_ASIDE)


def test_the_remedy_result_is_a_step_of_the_procedure_with_its_own_checks(people):
    case = decided(people)
    go(case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    with pytest.raises(ProcedureRefused):  # before the decision was served
        go(
            case,
            "record_remedy_result",
            P.SQUAD_LEADER,
            people,
            now=at(2026, 10, 9),
            result="revoked",
            result_on=datetime.date(2026, 10, 1),
            body="阳光区人民政府",
        )
    with pytest.raises(ProcedureRefused):  # by a post without the right
        go(
            case,
            "record_remedy_result",
            P.OFFICER,
            people,
            now=at(2026, 10, 9),
            result="revoked",
            result_on=datetime.date(2026, 10, 9),
            body="阳光区人民政府",
        )


def test_closing_the_case_leaves_the_publication_deadline_running(people):
    _case, publication = published_and_served(people)
    assert publication.status == S.PUBLISHED
    other = decided(people)
    go(other, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    go(
        other,
        "record_payment",
        P.OFFICER,
        people,
        now=at(2026, 10, 9),
        paid_on=datetime.date(2026, 10, 9),
        amount="6000",
        bank_receipt="B-2",
    )
    go(other, "close", P.SQUAD_LEADER, people, now=at(2026, 10, 9, 12))
    deadline = CaseDeadline.objects.get(case=other, kind=DeadlineKind.PUBLICATION)
    assert deadline.state == DeadlineState.OPEN


def test_retention_removes_an_individuals_decision_after_2_years_and_an_organisations_after_5(
    people,
):
    individual = publication_of(decided_individual(people))
    organisation = publication_of(decided(people))
    reviewer = people[P.LEGAL_REVIEWER]
    for publication in (individual, organisation):
        publication_approve(publication_id=publication.pk, actor=reviewer, now=at(2026, 10, 9, 10))
    assert publications_remove_expired(now=at(2028, 10, 9, 9)) == 0
    assert publications_remove_expired(now=at(2028, 10, 9, 10)) == 1
    individual.refresh_from_db()
    assert (individual.status, individual.removed_at) == (S.REMOVED, at(2028, 10, 9, 10))
    assert publications_remove_expired(now=at(2028, 10, 9, 11)) == 0  # idempotent
    assert publications_remove_expired(now=at(2031, 10, 9, 10)) == 1
    assert RecordEntry.objects.filter(action="disclosure.remove").count() == 2


def test_summary_procedure_decisions_are_proposed_only_where_the_local_rule_says(people):
    def spot_case():
        return spot(people, fine="50")

    first = spot_case()
    assert first.status == Status.SERVED
    assert not Publication.objects.filter(case=first).exists()
    rules = DisclosureRules.objects.get_or_create(pk=1)[0]
    rules.propose_simple = True
    rules.save()
    assert publication_of(spot_case()).status == S.PROPOSED


def test_a_failing_handler_rolls_the_decision_back(people, monkeypatch):
    """Handlers run in the case's transaction: the decision and its publication commit
    or roll back together."""
    case = notified(people, fine="6000", party=company())
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))

    def broken(**_kwargs):
        raise RuntimeError("disclosure unavailable")

    monkeypatch.setattr("yangguang.disclosure.services.publication_propose", broken, raising=True)
    with pytest.raises(RuntimeError):
        go(case, "decide", P.LEADER, people, now=at(2026, 9, 30, 11))
    case.refresh_from_db()
    assert case.status != Status.DECIDED
    assert case.decided_at is None


def test_reviewed_case_helper_is_not_published_before_a_decision(people):
    case = reviewed_case(people, party=company())
    assert not Publication.objects.filter(case=case).exists()


def test_overdue_publication_is_an_indicator(people):
    """A publication past its 7 working days counts as overdue; one made in time counts
    toward the share published in time."""
    from yangguang.disclosure.selectors import publication_figures

    late = publication_of(decided(people))
    timely = publication_of(decided_individual(people))
    reviewer = people[P.LEGAL_REVIEWER]
    publication_approve(publication_id=timely.pk, actor=reviewer, now=at(2026, 10, 9, 10))
    figures = publication_figures(reviewer, at(2026, 10, 16, 9))
    assert (figures["running"], figures["overdue"]) == (1, 1)
    assert (figures["met"], figures["missed"], figures["on_time_rate"]) == (1, 0, 100.0)
    publication_approve(publication_id=late.pk, actor=reviewer, now=at(2026, 10, 16, 10))
    figures = publication_figures(reviewer, at(2026, 10, 16, 11))
    assert (figures["running"], figures["missed"], figures["on_time_rate"]) == (0, 1, 50.0)
