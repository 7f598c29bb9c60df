"""Helpers for tests of cases: the starter catalogue, a party, a case opened by the
squadron's two certified officers, and one move by a persona."""

import datetime
from zoneinfo import ZoneInfo

from yangguang.cases.catalogue import catalogue_save, items_from_json
from yangguang.cases.enums import PartyKind, Procedure, ReviewPoint, Source
from yangguang.cases.identity import generate_credit_code, generate_id_number
from yangguang.cases.models import Violation
from yangguang.cases.procedure import case_transition
from yangguang.cases.services import NewCase, Party, case_open
from yangguang.org.enums import PostCode

SH = ZoneInfo("Asia/Shanghai")
P = PostCode


def at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SH)


def load_catalogue() -> None:
    catalogue_save(items=items_from_json(), actor=None, source="starter")


def violation(code: str) -> Violation:
    return Violation.objects.get(code=code, is_current=True)


def person(**overrides) -> Party:
    values = {
        "kind": PartyKind.INDIVIDUAL,
        "name": "张三丰",
        "id_number": generate_id_number("370802", datetime.date(1980, 5, 1), 12),
        "phone": "13912345678",
        "address": "阳光市东街道一号",
    }
    return Party(**(values | overrides))


def company(**overrides) -> Party:
    values = {
        "kind": PartyKind.ORGANISATION,
        "name": "阳光餐饮有限公司",
        "credit_code": generate_credit_code("9", "1", "370802", "MA3C0001"),
        "representative": "李四",
        "phone": "05371234567",
        "address": "阳光市西街道二号",
    }
    return Party(**(values | overrides))


def officers(people) -> list:
    """The officer and the squadron leader with their certificates (``certified``)."""
    return [
        (people[P.OFFICER], people[P.OFFICER].certificates.get().number),
        (people[P.SQUAD_LEADER], people[P.SQUAD_LEADER].certificates.get().number),
    ]


def new_case(people, *, now=None, **overrides):
    values = {
        "procedure": Procedure.ORDINARY,
        "source": Source.PATROL,
        "title": "占道经营",
        "facts": "当事人在东街道人行道上摆摊设点，占用面积约6平方米。",
        "place": "东街道一号门前",
        "act_started_on": datetime.date(2026, 9, 1),
        "act_ended_on": datetime.date(2026, 9, 1),
        "discovered_on": datetime.date(2026, 9, 1),
        "officers": officers(people),
        "party": person(),
        **overrides,
    }
    when = now or at(2026, 9, 1, 10)
    return case_open(data=NewCase(**values), actor=people[P.OFFICER], now=when)


def go(case, verb, who, people, *, now, reason="", **payload):
    """One move by the persona holding post ``who``. A legal review confirms every
    review point unless the test says otherwise."""
    if verb == "legal_review":
        payload.setdefault("points", list(ReviewPoint.values))
    return case_transition(
        case_id=case.pk, verb=verb, actor=people[who], reason=reason, now=now, **payload
    )
