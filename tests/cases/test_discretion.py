"""The discretion engine (自由裁量) over the starter catalogue's published standards
(行政处罚法 第三十二、三十三、三十四条)."""

from decimal import Decimal

import pytest

from tests.cases.helpers import load_catalogue, violation
from yangguang.cases.catalogue import GradeData, catalogue_save, items_from_json
from yangguang.cases.discretion import Facts, Harm, Proposal, departs, propose

pytestmark = pytest.mark.django_db

INDIVIDUAL, ORGANISATION = "individual", "organisation"


@pytest.fixture(autouse=True)
def _catalogue():
    load_catalogue()


def test_art33_first_minor_offence_corrected_in_time_proposes_no_penalty():
    """初次违法且危害后果轻微并及时改正的，可以不予行政处罚 (第三十三条第一款)."""
    proposal = propose(
        violation=violation("DQ-001"),
        facts=Facts(first_offence=True, corrected_in_time=True, harm=Harm.MINOR),
        party_kind=ORGANISATION,
    )
    assert proposal.no_penalty
    assert not proposal.no_penalty_mandatory  # "可以": the officers still decide
    assert "第三十三条" in proposal.reasons[0]


def test_art33_minor_corrected_harmless_act_must_go_unpunished():
    """违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚 (第三十三条第一款)."""
    proposal = propose(
        violation=violation("HW-004"),
        facts=Facts(minor=True, corrected_in_time=True, harm=Harm.NONE),
        party_kind=INDIVIDUAL,
    )
    assert (proposal.no_penalty, proposal.no_penalty_mandatory) == (True, True)
    assert "第三十三条第一款" in proposal.reasons[0]


def test_art33_minor_but_harmful_act_is_punished_in_the_lightest_grade():
    proposal = propose(
        violation=violation("HW-004"),
        facts=Facts(quantity=Decimal(3), harm=Harm.MINOR),
        party_kind=INDIVIDUAL,
    )
    assert not proposal.no_penalty


def test_quantity_picks_the_lightest_grade_that_covers_it():
    """A standard measured in m² (常德 首查免罚: 占道 ≤ 5 ㎡)."""
    item = items_from_json()[0]
    item.code, item.local_basis_required = "T-1", False
    item.grades = [
        GradeData("minor", "any", "5平方米以下", Decimal(0), Decimal(0), "fixed", Decimal(5), True),
        GradeData("general", "any", "5至20平方米", Decimal(50), Decimal(200), "fixed", Decimal(20)),
        GradeData("serious", "any", "20平方米以上", Decimal(200), Decimal(500), "fixed"),
    ]
    catalogue_save(items=[item], actor=None, source="test")
    small = Facts(quantity=Decimal(4), corrected_in_time=True, harm=Harm.NONE)
    assert propose(violation=violation("T-1"), facts=small, party_kind=INDIVIDUAL).no_penalty
    middle = propose(violation=violation("T-1"), facts=Facts(quantity=Decimal(6)), party_kind="x")
    large = propose(violation=violation("T-1"), facts=Facts(quantity=Decimal(21)), party_kind="x")
    assert (middle.grade, large.grade) == ("general", "serious")


def test_art33_no_subjective_fault_means_no_penalty():
    proposal = propose(
        violation=violation("DQ-001"), facts=Facts(no_fault=True), party_kind=ORGANISATION
    )
    assert (proposal.no_penalty, proposal.no_penalty_mandatory) == (True, True)
    assert "第三十三条第二款" in proposal.reasons[0]


def test_art33_repeat_offender_is_not_exempt_even_if_corrected():
    proposal = propose(
        violation=violation("DQ-001"),
        facts=Facts(first_offence=True, corrected_in_time=True, repeat=True),
        party_kind=ORGANISATION,
    )
    assert not proposal.no_penalty
    assert proposal.grade == "serious"  # one grade heavier than 一般


def test_art34_general_grade_gives_the_published_range():
    proposal = propose(violation=violation("DQ-001"), facts=Facts(), party_kind=ORGANISATION)
    assert (proposal.grade, proposal.fine_min, proposal.fine_max) == (
        "general",
        Decimal(5000),
        Decimal(20000),
    )


def test_serious_harm_raises_the_grade_to_at_least_serious():
    proposal = propose(
        violation=violation("DQ-001"), facts=Facts(harm=Harm.SERIOUS), party_kind=ORGANISATION
    )
    assert (proposal.grade, proposal.fine_min, proposal.fine_max) == (
        "serious",
        Decimal(20000),
        Decimal(35000),
    )


def test_art32_mitigation_lowers_by_one_grade_within_the_standard():
    proposal = propose(
        violation=violation("DQ-001"),
        facts=Facts(harm=Harm.SERIOUS, mitigating=True),
        party_kind=ORGANISATION,
    )
    assert proposal.grade == "general"
    assert any("第三十二条" in reason for reason in proposal.reasons)


def test_individuals_and_organisations_get_their_own_ranges():
    """大气污染防治法 第一百一十九条第二款: 单位 1万–10万, 个人 500–2000."""
    person = propose(violation=violation("DQ-003"), facts=Facts(), party_kind=INDIVIDUAL)
    company = propose(violation=violation("DQ-003"), facts=Facts(), party_kind=ORGANISATION)
    assert person.fine_max <= Decimal(2000)
    assert company.fine_min >= Decimal(10000)


def test_percent_of_construction_cost_turns_into_yuan():
    """城乡规划法 第六十四条: 建设工程造价百分之五以上百分之十以下."""
    proposal = propose(
        violation=violation("GH-001"),
        facts=Facts(quantity=Decimal(200000)),
        party_kind=INDIVIDUAL,
    )
    assert Decimal(10000) <= proposal.fine_min <= proposal.fine_max <= Decimal(20000)


def test_percent_of_cost_needs_the_cost():
    with pytest.raises(ValueError, match="quantity"):
        propose(violation=violation("GH-001"), facts=Facts(), party_kind=INDIVIDUAL)


def test_local_basis_items_say_so_instead_of_inventing_a_range():
    proposal = propose(violation=violation("SR-001"), facts=Facts(), party_kind=INDIVIDUAL)
    assert proposal.local_basis_required
    assert (proposal.fine_min, proposal.fine_max) == (Decimal(0), Decimal(0))


def test_departs_outside_the_range_and_for_any_fine_where_no_penalty_is_mandatory():
    proposal = Proposal(grade="general", fine_min=Decimal(5000), fine_max=Decimal(20000))
    assert not departs(proposal, Decimal(5000))
    assert departs(proposal, Decimal("4999.99"))
    assert departs(proposal, Decimal(20001))
    mandatory = Proposal(no_penalty=True, no_penalty_mandatory=True)
    assert departs(mandatory, Decimal(1))
    assert not departs(mandatory, Decimal(0))


def test_proposal_survives_its_json_form():
    proposal = propose(violation=violation("DQ-001"), facts=Facts(), party_kind=ORGANISATION)
    assert Proposal.from_json(proposal.as_json()) == proposal


def test_art29_several_acts_are_assessed_separately_and_executed_together(people):
    """分别裁量、合并执行: another act gets its own proposal; the case's penalty is the sum.
    The same act is not penalised twice (行政处罚法第二十九条)."""
    from django.core.exceptions import ValidationError

    from tests.cases.helpers import P, at, go, new_case
    from yangguang.cases.discretion import proposal_of
    from yangguang.cases.services import case_assess

    case = new_case(people)
    officer = people[P.OFFICER]
    with pytest.raises(ValidationError, match="main violation first"):
        case_assess(
            case_id=case.pk,
            actor=officer,
            violation=violation("HW-002"),
            circumstances={},
            additional=True,
        )
    case_assess(
        case_id=case.pk,
        actor=officer,
        violation=violation("DQ-001"),
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(6000),
    )
    with pytest.raises(ValidationError, match="第二十九条"):
        case_assess(
            case_id=case.pk,
            actor=officer,
            violation=violation("DQ-001"),
            circumstances={},
            additional=True,
        )
    case = case_assess(
        case_id=case.pk,
        actor=officer,
        violation=violation("HW-002"),
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(150),
        additional=True,
    )
    assert (case.penalty_kinds, case.fine) == (["fine"], Decimal(6150))
    combined_range = proposal_of(case)
    assert (combined_range.fine_min, combined_range.fine_max) == (Decimal(5100), Decimal(20200))
    assert case.violation.code == "DQ-001"  # the main violation stays the 案由
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    case = go(case, "end_investigation", P.OFFICER, people, now=at(2026, 9, 2))
    report = case.documents.get(kind="investigation_report")
    text = "".join(b for _a, b in report.sections)
    assert "分别裁量" in text
    assert "合并执行：罚款6,150.00元" in text
    assert "《中华人民共和国固体废物污染环境防治法》" in text


def test_removing_another_act_takes_its_fine_off_the_case(people):
    from tests.cases.helpers import P, new_case
    from yangguang.cases.services import case_assess, case_violation_remove

    case = new_case(people)
    for code, fine, additional in (("DQ-001", 6000, False), ("HW-002", 150, True)):
        case_assess(
            case_id=case.pk,
            actor=people[P.OFFICER],
            violation=violation(code),
            circumstances={},
            penalty_kinds=["fine"],
            fine=Decimal(fine),
            additional=additional,
        )
    case = case_violation_remove(
        case_id=case.pk, actor=people[P.OFFICER], violation=violation("HW-002")
    )
    assert case.fine == Decimal(6000)
    assert case.violations.count() == 1
