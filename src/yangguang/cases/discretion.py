"""The discretion engine (自由裁量): from a violation's published standard (裁量基准,
行政处罚法 第三十四条) and the facts of the case, propose the grade and the fine range,
or no penalty, with the reasons and their articles.

It proposes; the officer decides. A penalty outside the proposed range needs a written
reason and forces the legal review (``departs``; procedure.py enforces it).
"""

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from yangguang.cases.enums import GRADE_ORDER, FineBasis, Grade, GradeParty
from yangguang.cases.models import DiscretionGrade, Violation


class Harm:
    NONE = "none"
    MINOR = "minor"
    SERIOUS = "serious"


@dataclass(frozen=True)
class Facts:
    """The circumstances the standard turns on (the case's ``circumstances``)."""

    minor: bool = False  # 违法行为轻微, as the standard's minor grade describes it
    first_offence: bool = False  # first in this jurisdiction within 12 months
    corrected_in_time: bool = False  # corrected when ordered (责令改正后及时改正)
    harm: str = Harm.MINOR
    no_fault: bool = False  # 没有主观过错, proven by the party
    repeat: bool = False  # offended again after a penalty or a correction order
    mitigating: bool = False  # 第三十二条: 主动消除或者减轻危害后果 and the like
    aggravating: bool = False  # obstruction, serious social impact and the like
    quantity: Decimal | None = None  # area (m²), days or cost, as the standard measures

    @classmethod
    def from_json(cls, data: dict, quantity: Decimal | None = None) -> "Facts":
        known = {name for name in cls.__dataclass_fields__ if name != "quantity"}
        return cls(**{k: v for k, v in data.items() if k in known}, quantity=quantity)

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("quantity")
        return data


@dataclass(frozen=True)
class Proposal:
    no_penalty: bool = False
    no_penalty_mandatory: bool = False
    grade: str = ""
    fine_min: Decimal = Decimal(0)
    fine_max: Decimal = Decimal(0)
    reasons: list[str] = field(default_factory=list)
    local_basis_required: bool = False

    def as_json(self) -> dict:
        data = asdict(self)
        data["fine_min"] = str(self.fine_min)
        data["fine_max"] = str(self.fine_max)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Proposal":
        if not data:
            return cls()
        values = dict(data)
        values["fine_min"] = Decimal(values.get("fine_min", "0"))
        values["fine_max"] = Decimal(values.get("fine_max", "0"))
        return cls(**values)


def _yuan(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _range(grade: DiscretionGrade, quantity: Decimal | None) -> tuple[Decimal, Decimal]:
    if grade.fine_basis == FineBasis.FIXED:
        return grade.fine_min, grade.fine_max
    if quantity is None:
        raise ValueError(
            _("The standard is per %(basis)s: enter the quantity first.")
            % {"basis": grade.get_fine_basis_display()}
        )
    factor = quantity / 100 if grade.fine_basis == FineBasis.PERCENT_OF_COST else quantity
    return _yuan(grade.fine_min * factor), _yuan(grade.fine_max * factor)


def _grade_by_quantity(grades: list[DiscretionGrade], quantity: Decimal | None) -> int:
    """Index into GRADE_ORDER: the lightest grade whose quantity limit covers the
    quantity, or 一般 when the standard does not measure quantity."""
    available = {g.grade: g for g in grades}
    if quantity is not None:
        for position, code in enumerate(GRADE_ORDER):
            grade = available.get(code)
            if grade and (grade.quantity_up_to is None or quantity <= grade.quantity_up_to):
                return position
    return GRADE_ORDER.index(Grade.GENERAL)


def _nearest_available(position: int, grades: list[DiscretionGrade]) -> DiscretionGrade:
    """The grade at ``position`` or, if the standard lacks it, the nearest lighter one,
    else the nearest heavier one."""
    available = {g.grade: g for g in grades}
    for candidate in list(range(position, -1, -1)) + list(range(position + 1, len(GRADE_ORDER))):
        if GRADE_ORDER[candidate] in available:
            return available[GRADE_ORDER[candidate]]
    raise LookupError("a standard without grades")


def propose(*, violation: Violation, facts: Facts, party_kind: str) -> Proposal:
    grades = [g for g in violation.grades.all() if g.party in {GradeParty.ANY, party_kind}]
    # 第三十三条第二款: no subjective fault, proven → no penalty.
    if facts.no_fault:
        return Proposal(
            no_penalty=True,
            no_penalty_mandatory=True,
            reasons=[
                _(
                    "The party proved there was no subjective fault: no penalty "
                    "(行政处罚法第三十三条第二款)."
                )
            ],
        )
    position = _grade_by_quantity(grades, facts.quantity)
    is_minor = (facts.minor or GRADE_ORDER[position] == Grade.MINOR) and not (
        facts.repeat or facts.aggravating
    )
    corrected = facts.corrected_in_time and not facts.repeat
    # 第三十三条第一款: minor, corrected in time, no harm → no penalty.
    if is_minor and corrected and facts.harm == Harm.NONE:
        return Proposal(
            no_penalty=True,
            no_penalty_mandatory=True,
            grade=Grade.MINOR,
            reasons=[
                _(
                    "The violation is minor, was corrected in time and caused no harm: "
                    "no penalty (行政处罚法第三十三条第一款). The party must still be "
                    "educated."
                )
            ],
        )
    # 第三十三条第一款: first offence, minor harm, corrected in time → may go unpunished.
    if facts.first_offence and corrected and facts.harm in {Harm.NONE, Harm.MINOR}:
        minor = next((g for g in grades if g.grade == Grade.MINOR), None)
        low, high = _range(minor, facts.quantity) if minor else (Decimal(0), Decimal(0))
        return Proposal(
            no_penalty=True,
            grade=Grade.MINOR,
            fine_min=low,
            fine_max=high,
            reasons=[
                _(
                    "First offence with minor harm, corrected in time: no penalty may be "
                    "imposed (行政处罚法第三十三条第一款, 首违不罚). The party must still be "
                    "educated."
                )
            ],
        )
    if not grades:
        return Proposal(
            local_basis_required=True,
            reasons=[
                _(
                    "The national law sets no fine for this violation: apply the local "
                    "regulation and the bureau's published standard (第三十四条)."
                )
            ],
        )
    reasons = []
    if facts.quantity is not None:
        reasons.append(
            _("By the quantity %(quantity)s the standard gives the grade %(grade)s.")
            % {"quantity": facts.quantity, "grade": Grade(GRADE_ORDER[position]).label}
        )
    if facts.harm == Harm.SERIOUS and position < GRADE_ORDER.index(Grade.SERIOUS):
        position = GRADE_ORDER.index(Grade.SERIOUS)
        reasons.append(_("Serious harmful consequences: at least the serious grade."))
    if facts.repeat or facts.aggravating:
        position = min(position + 1, len(GRADE_ORDER) - 1)
        reasons.append(_("Repeated or aggravated violation: one grade heavier."))
    if facts.mitigating:
        position = max(position - 1, 0)
        reasons.append(
            _("The party reduced the harm on their own initiative: one grade lighter (第三十二条).")
        )
    grade = _nearest_available(position, grades)
    low, high = _range(grade, facts.quantity)
    reasons.append(
        _("Grade %(grade)s: %(conditions)s")
        % {"grade": grade.get_grade_display(), "conditions": grade.conditions}
    )
    return Proposal(grade=grade.grade, fine_min=low, fine_max=high, reasons=reasons)


def departs(proposal: Proposal, fine: Decimal) -> bool:
    """True when a fine leaves the proposed range, is any fine where no penalty was
    mandatory, or is any fine where no range is published — only a local regulation
    sets it and the bureau has configured no standard for it (第三十四条): such a fine
    is as open as one outside a range, so it too needs a written reason and the legal
    review. Where no penalty is only allowed (首违可不罚), a fine within the minor grade
    stays inside."""
    if proposal.no_penalty_mandatory or proposal.local_basis_required:
        return fine > 0
    if not proposal.grade:
        return False
    return not (proposal.fine_min <= fine <= proposal.fine_max)


def combined(proposals: list[Proposal]) -> Proposal:
    """The proposal for several violations decided together (分别裁量、合并执行): the sum
    of their ranges. No range where a local regulation must supply one."""
    if len(proposals) == 1:
        return proposals[0]
    if not proposals or any(p.local_basis_required for p in proposals):
        return Proposal(local_basis_required=bool(proposals))
    if all(p.no_penalty_mandatory for p in proposals):
        return Proposal(no_penalty=True, no_penalty_mandatory=True)
    graded = [p for p in proposals if p.grade or p.no_penalty_mandatory]
    if len(graded) < len(proposals):
        return Proposal()
    return Proposal(
        grade="combined",
        fine_min=sum((p.fine_min for p in proposals if not p.no_penalty_mandatory), Decimal(0)),
        fine_max=sum((p.fine_max for p in proposals if not p.no_penalty_mandatory), Decimal(0)),
        reasons=[reason for p in proposals for reason in p.reasons],
    )


def proposal_of(case) -> Proposal:
    """The case's proposal: its violations' combined, or (before any assessment of
    separate violations) the one stored on the case."""
    rows = list(case.violations.all())
    if not rows:
        return Proposal.from_json(case.proposal)
    return combined([Proposal.from_json(row.proposal) for row in rows])
