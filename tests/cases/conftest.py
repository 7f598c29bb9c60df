from decimal import Decimal

import pytest

from tests.cases.helpers import P, at, go, load_catalogue, new_case, violation
from yangguang.cases.services import case_assess


@pytest.fixture
def people(certified):
    """Personas with certificates for the officer and the squadron leader, and the
    starter violation catalogue."""
    load_catalogue()
    certified[P.LEGAL_REVIEWER].legal_qualification = "A20213700000001"
    certified[P.LEGAL_REVIEWER].save(update_fields=["legal_qualification"])
    return certified


def reviewed_case(people, *, fine="10000", party=None, code="DQ-001", day=(2026, 9, 1)):
    """An ordinary case, filed, assessed with ``fine`` yuan, investigated and reviewed.

    DQ-001 (大气污染防治法 第一百一十八条) proposes 5,000–20,000 yuan in its general
    grade. For an individual, 10,000 yuan needs a hearing offer (≥ 3,000), a legal
    review and a collective discussion (≥ 10,000) under the default local rules.
    """
    overrides = {"party": party} if party else {}
    case = new_case(people, now=at(*day, 9), **overrides)
    go(case, "file", P.SQUAD_LEADER, people, now=at(*day, 10))
    case_assess(
        case_id=case.pk,
        actor=people[P.OFFICER],
        violation=violation(code),
        circumstances={"harm": "minor"},
        penalty_kinds=["fine"],
        fine=Decimal(fine),
    )
    go(case, "end_investigation", P.OFFICER, people, now=at(*day, 11))
    return go(case, "review", P.SQUAD_LEADER, people, now=at(*day, 12))
