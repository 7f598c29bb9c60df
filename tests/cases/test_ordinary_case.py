"""A whole ordinary case with a hearing, across posts, from opening to the archive —
and every step in the record chain (行政处罚法 第四十七条 全过程记录)."""

import datetime
from decimal import Decimal

import pytest

from tests.cases.helpers import P, at, go, new_case, violation
from yangguang.cases.enums import DeadlineState, Status
from yangguang.cases.models import CaseDeadline
from yangguang.cases.procedure import allowed_verbs
from yangguang.cases.services import case_assess
from yangguang.records.models import RecordEntry
from yangguang.records.verify import chain_verify

pytestmark = pytest.mark.django_db


def test_an_ordinary_case_with_a_hearing_from_opening_to_the_archive(people):
    case = new_case(people, now=at(2026, 9, 1, 9), title="餐饮油烟超标排放")
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    go(case, "preserve", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 11), items="油烟检测报告原件")
    go(case, "decide_preserved", P.OFFICER, people, now=at(2026, 9, 3), decision="作为证据附卷")
    case = case_assess(
        case_id=case.pk,
        actor=people[P.OFFICER],
        violation=violation("DQ-001"),
        circumstances={"harm": "minor"},
        penalty_kinds=["fine"],
        fine=Decimal(12000),
    )
    assert case.proposal["grade"] == "general"
    go(case, "end_investigation", P.OFFICER, people, now=at(2026, 9, 4))
    case = go(case, "review", P.SQUAD_LEADER, people, now=at(2026, 9, 7))
    assert (case.hearing_offered, case.legal_review_required, case.discussion_required) == (
        True,
        True,
        True,
    )
    assert "legal_review" in allowed_verbs(case, people[P.LEGAL_REVIEWER])
    go(case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 9, 8), opinion="事实清楚")
    go(case, "discuss", P.LEADER, people, now=at(2026, 9, 9), minutes="同意拟处罚款一万二千元")
    go(case, "notify", P.OFFICER, people, now=at(2026, 9, 10))
    go(case, "record_statement", P.OFFICER, people, now=at(2026, 9, 11), text="已安装净化设施")
    go(case, "request_hearing", P.OFFICER, people, now=at(2026, 9, 11, 15))
    go(
        case,
        "schedule_hearing",
        P.SQUAD_LEADER,
        people,
        now=at(2026, 9, 14),
        hearing_at=at(2026, 9, 28, 9),
        presider=people[P.LEADER],
    )
    go(case, "hold_hearing", P.LEADER, people, now=at(2026, 9, 28, 11), transcript="当事人到场陈述")
    go(case, "legal_review", P.LEGAL_REVIEWER, people, now=at(2026, 9, 29), opinion="听证后维持")
    go(case, "discuss", P.LEADER, people, now=at(2026, 9, 30, 9), minutes="酌情减为一万元")
    case = go(case, "decide", P.LEADER, people, now=at(2026, 9, 30, 10), fine="10000")
    case = go(case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="direct")
    assert case.payment_due == datetime.date(2026, 10, 23)
    go(
        case,
        "record_payment",
        P.OFFICER,
        people,
        now=at(2026, 10, 20),
        paid_on=datetime.date(2026, 10, 20),
        amount="10000",
        bank_receipt="ICBC-20261020-001",
    )
    go(case, "close", P.SQUAD_LEADER, people, now=at(2026, 10, 21))
    case = go(case, "archive", P.SQUAD_LEADER, people, now=at(2026, 10, 22))

    assert case.status == Status.ARCHIVED
    assert case.fine == Decimal(10000)
    assert not CaseDeadline.objects.filter(case=case, state=DeadlineState.MISSED).exists()
    actions = list(
        RecordEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[0] == "case.open"
    assert actions[-1] == "case.archive"
    assert {"case.hold_hearing", "case.decide", "case.record_payment"} <= set(actions)
    assert chain_verify().problems == []
