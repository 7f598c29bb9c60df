"""The 权责清单 (list of powers and duties), generated from the violation catalogue.

One source: each power is a current ``cases.models.Violation`` with its
``DiscretionGrade`` rows — the very rows ``cases.discretion.propose`` reads — so the
published 裁量基准 (行政处罚法 第三十四条) is what the discretion engine applies, and a
new catalogue version shows here at once. The remedies (第三十九条 救济渠道) come from
the local case rules (复议机关) and the bureau's profile (the court).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from yangguang.cases import law
from yangguang.cases.enums import GRADE_ORDER, FineBasis, penalty_kind_labels
from yangguang.cases.models import CaseRules, DiscretionGrade, Violation
from yangguang.disclosure.selectors import bureau_profile

# 行政复议法 第二十条: sixty days from knowing of the decision; 行政诉讼法 第四十六条: six
# months. Fixed by the laws, not configuration.
RECONSIDERATION_DAYS = 60
LAWSUIT_MONTHS = law.LITIGATION_MONTHS
RECONSIDERATION_ARTICLE = "《中华人民共和国行政复议法》第二十条"
LAWSUIT_ARTICLE = "《中华人民共和国行政诉讼法》第四十六条"
# The codes the catalogue uses: letters, digits and dashes (SR-001).
CODE_MAX = 20


@dataclass(frozen=True)
class GradeRow:
    grade: str
    party: str
    conditions: str
    fine_min: Decimal
    fine_max: Decimal
    fine_basis: str  # the unit's label (元, 元/平方米 …)
    is_fixed: bool
    quantity_up_to: Decimal | None
    no_penalty_possible: bool


@dataclass(frozen=True)
class FineRange:
    basis: str
    low: Decimal
    high: Decimal
    is_fixed: bool


@dataclass(frozen=True)
class Power:
    code: str
    version: int
    name: str
    domain: str
    kind: str  # 职权类别
    violated_basis: str
    violated_text: str
    penalty_basis: str
    penalty_text: str
    penalty_kinds: list[str]
    measures: list[str]
    local_basis_required: bool
    first_offence_exemption: bool
    grades: list[GradeRow]
    ranges: list[FineRange]


@dataclass(frozen=True)
class Remedies:
    authority: str
    reconsideration_body: str
    reconsideration_days: int
    reconsideration_article: str
    court: str
    lawsuit_months: int
    lawsuit_article: str


def _grade_rows(violation: Violation) -> list[GradeRow]:
    order = {code: position for position, code in enumerate(GRADE_ORDER)}
    grades = sorted(violation.grades.all(), key=lambda g: (order.get(g.grade, 9), g.party))
    return [
        GradeRow(
            grade=g.get_grade_display(),
            party=g.get_party_display(),
            conditions=g.conditions,
            fine_min=g.fine_min,
            fine_max=g.fine_max,
            fine_basis=g.get_fine_basis_display(),
            is_fixed=g.fine_basis == FineBasis.FIXED,
            quantity_up_to=g.quantity_up_to,
            no_penalty_possible=g.no_penalty_possible,
        )
        for g in grades
    ]


def _ranges(violation: Violation) -> list[FineRange]:
    """The fine's range over all grades, one per way of counting (元, 元/平方米 …)."""
    spans: dict[str, tuple[Decimal, Decimal]] = {}
    labels: dict[str, str] = {}
    for g in violation.grades.all():
        low, high = spans.get(g.fine_basis, (g.fine_min, g.fine_max))
        spans[g.fine_basis] = (min(low, g.fine_min), max(high, g.fine_max))
        labels[g.fine_basis] = g.get_fine_basis_display()
    return [
        FineRange(labels[basis], low, high, basis == FineBasis.FIXED)
        for basis, (low, high) in spans.items()
    ]


def _power(violation: Violation) -> Power:
    return Power(
        code=violation.code,
        version=violation.version,
        name=violation.name,
        domain=violation.domain,
        kind=_("Administrative penalty"),
        violated_basis=violation.basis,
        violated_text=violation.violated_text,
        penalty_basis=violation.penalty_basis,
        penalty_text=violation.penalty_text,
        penalty_kinds=penalty_kind_labels(violation.penalty_kinds),
        measures=list(violation.measures),
        local_basis_required=violation.local_basis_required,
        first_offence_exemption=violation.first_offence_exemption,
        grades=_grade_rows(violation),
        ranges=_ranges(violation),
    )


def _current():
    return Violation.objects.filter(is_current=True).prefetch_related(
        Prefetch("grades", queryset=DiscretionGrade.objects.order_by("party", "fine_max"))
    )


def powers() -> list[Power]:
    """Every power, in the catalogue's order of codes."""
    return [_power(v) for v in _current().order_by("code")]


def power(code: str) -> Power | None:
    if not code or len(code) > CODE_MAX or "\x00" in code:
        return None
    found = _current().filter(code=code).first()
    return _power(found) if found else None


def remedies() -> Remedies:
    """Where a party may turn against a decision (救济渠道)."""
    rules = CaseRules.objects.filter(pk=1).first() or CaseRules()
    profile = bureau_profile()
    return Remedies(
        authority=profile.name,
        reconsideration_body=rules.reconsideration_body,
        reconsideration_days=RECONSIDERATION_DAYS,
        reconsideration_article=RECONSIDERATION_ARTICLE,
        court=profile.court,
        lawsuit_months=LAWSUIT_MONTHS,
        lawsuit_article=LAWSUIT_ARTICLE,
    )


@dataclass(frozen=True)
class ServiceGuide:
    """The figures of the 服务指南: how long a party has for each of their steps."""

    statement_working_days: int
    hearing_request_working_days: int
    hearing_fine_individual: Decimal
    hearing_fine_organisation: Decimal
    hearing_confiscation_value: Decimal
    payment_days: int
    payment_instructions: str


def service_guide() -> ServiceGuide:
    rules = CaseRules.objects.filter(pk=1).first() or CaseRules()
    return ServiceGuide(
        statement_working_days=rules.statement_working_days,
        hearing_request_working_days=law.HEARING_REQUEST_WORKING_DAYS,
        hearing_fine_individual=rules.hearing_fine_individual,
        hearing_fine_organisation=rules.hearing_fine_organisation,
        hearing_confiscation_value=rules.hearing_confiscation_value,
        payment_days=law.PAYMENT_DAYS,
        payment_instructions=rules.payment_instructions,
    )
