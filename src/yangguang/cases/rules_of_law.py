"""What the law requires of a case, as pure functions of the case and the local rules:
limitation, officers, summary-procedure limits, hearing, legal review, collective
discussion, deadlines and the surcharge. ``procedure.py`` calls them as guards; the
tests call them directly, one test per article.
"""

import calendar
import datetime
import itertools
from decimal import Decimal

from django.utils.translation import gettext as _

from yangguang.cases import law
from yangguang.cases.discretion import departs, proposal_of
from yangguang.cases.enums import PartyKind, PenaltyKind
from yangguang.cases.models import Case, CaseRules, Instalment

CENT = Decimal("0.01")

# Penalty kinds that always mean a hearing may be asked for (第六十三条) and a decision
# is major (第五十八条, local lists) and heavy enough for collective discussion.
HEAVY_KINDS = frozenset(
    {
        PenaltyKind.SUSPEND_LICENCE,
        PenaltyKind.REVOKE_LICENCE,
        PenaltyKind.RESTRICT_BUSINESS,
        PenaltyKind.STOP_BUSINESS,
        PenaltyKind.CLOSE_DOWN,
    }
)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def limitation_ends(case: Case) -> datetime.date:
    """第三十六条: the last day an act can still be discovered and punished — 2 years (5
    where life, health or financial safety was harmed) from the act or, for a continuing
    act, from its end. A continuing act has not yet begun to run out."""
    years = law.LIMITATION_YEARS_SAFETY if case.harmed_safety else law.LIMITATION_YEARS
    if case.act_ended_on is None:
        return datetime.date.max
    return add_years(case.act_ended_on, years)


def limitation_problem(case: Case) -> str:
    if case.discovered_on > limitation_ends(case):
        years = law.LIMITATION_YEARS_SAFETY if case.harmed_safety else law.LIMITATION_YEARS
        return _(
            "The act ended on %(ended)s and was discovered on %(found)s, more than "
            "%(years)d years later: it may no longer be punished (行政处罚法第三十六条)."
        ) % {"ended": case.act_ended_on, "found": case.discovered_on, "years": years}
    return ""


def simple_procedure_problem(*, party_kind: str, kinds: list[str], fine: Decimal) -> str:
    """第五十一条: only a warning, or a fine of at most 200 yuan (individual) or 3,000 yuan
    (organisation), may be decided on the spot."""
    allowed = {PenaltyKind.WARNING, PenaltyKind.FINE}
    if not kinds or set(kinds) - allowed:
        return _("The summary procedure allows only a warning or a fine (行政处罚法第五十一条).")
    limit = (
        law.SIMPLE_FINE_LIMIT_INDIVIDUAL
        if party_kind == PartyKind.INDIVIDUAL
        else law.SIMPLE_FINE_LIMIT_ORGANISATION
    )
    if fine > limit:
        return _(
            "A fine of %(fine)s yuan is above the summary-procedure limit of %(limit)s yuan "
            "for this party: use the ordinary procedure (行政处罚法第五十一条)."
        ) % {"fine": fine, "limit": limit}
    if PenaltyKind.FINE in kinds and fine <= 0:
        return _("Enter the amount of the fine.")
    return ""


def on_the_spot_collection_problem(*, fine: Decimal, hard_to_enforce: bool) -> str:
    """第六十八条: collect on the spot only up to 100 yuan, or when it would be hard to
    enforce afterwards."""
    if fine <= law.ON_THE_SPOT_COLLECTION_LIMIT or hard_to_enforce:
        return ""
    return _(
        "A fine above %(limit)s yuan may be collected on the spot only where payment "
        "would otherwise be hard to enforce; the party pays at the bank "
        "(行政处罚法第六十八条、第六十七条)."
    ) % {"limit": law.ON_THE_SPOT_COLLECTION_LIMIT}


def _fine_at_least(case: Case, individual: Decimal, organisation: Decimal, fine: Decimal) -> bool:
    threshold = individual if case.party_kind == PartyKind.INDIVIDUAL else organisation
    return fine >= threshold > 0


def hearing_due(case: Case, rules: CaseRules, *, kinds: list[str], fine: Decimal) -> bool:
    """第六十三条: a hearing must be offered for a large fine (较大数额, set locally),
    confiscation of a large value, and the licence and business penalties."""
    return bool(
        _fine_at_least(case, rules.hearing_fine_individual, rules.hearing_fine_organisation, fine)
        or case.confiscation_value >= rules.hearing_confiscation_value > 0
        or set(kinds) & HEAVY_KINDS
    )


def legal_review_reasons(
    case: Case, rules: CaseRules, *, kinds: list[str], fine: Decimal
) -> list[str]:
    """第五十八条: a legal review before the decision for major decisions (the local
    重大 list), decisions after a hearing, difficult cases, and a penalty outside the
    proposed discretion range."""
    reasons = []
    if _fine_at_least(case, rules.major_fine_individual, rules.major_fine_organisation, fine):
        reasons.append(_("a major fine on the local list (第五十八条第一款第一项)"))
    if set(kinds) & HEAVY_KINDS:
        reasons.append(_("a licence or business penalty (第五十八条第一款第一项)"))
    if case.heard_at:
        reasons.append(_("a decision after a hearing (第五十八条第一款第二项)"))
    if case.complex_case:
        reasons.append(_("a difficult or complex case (第五十八条第一款第三项)"))
    proposal = proposal_of(case)
    if departs(proposal, fine) and proposal.local_basis_required:
        reasons.append(_("a fine without a published discretion standard (第三十四条)"))
    elif departs(proposal, fine):
        reasons.append(_("a penalty outside the proposed discretion range (裁量基准)"))
    return reasons


def discussion_reasons(
    case: Case, rules: CaseRules, *, kinds: list[str], fine: Decimal
) -> list[str]:
    """第五十七条第二款: the bureau's leaders discuss collectively before penalising a
    complex or major violation."""
    reasons = []
    if _fine_at_least(
        case, rules.collective_fine_individual, rules.collective_fine_organisation, fine
    ):
        reasons.append(_("a major fine (第五十七条第二款)"))
    if set(kinds) & HEAVY_KINDS:
        reasons.append(_("a licence or business penalty (第五十七条第二款)"))
    if case.complex_case:
        reasons.append(_("a complex case (第五十七条第二款)"))
    return reasons


def _paused_days(case: Case, after: datetime.date, on: datetime.date) -> int:
    """Days of (after, on] during reconsideration or a lawsuit (第七十三条第三款)."""
    if not case.remedy_started_on:
        return 0
    start = max(case.remedy_started_on, after + datetime.timedelta(days=1))
    end = min(case.remedy_ended_on or on, on)
    return max(0, (end - start).days + 1)


def _late_fee(amount: Decimal, days: int) -> Decimal:
    """3 % of ``amount`` a day, never more than the amount itself (第七十二条)."""
    return min(amount, (amount * law.SURCHARGE_RATE_PER_DAY * max(days, 0)).quantize(CENT))


def unpaid_instalments(case: Case) -> list[Instalment]:
    return list(case.instalments.filter(paid_on__isnull=True).order_by("position"))


def instalment_surcharge(case: Case, instalment: Instalment, on: datetime.date) -> Decimal:
    """第六十六条 with 第七十二条: an instalment paid after its own date is surcharged on
    its own amount; the instalments paid on time are not. Days of reconsideration or a
    lawsuit do not count (第七十三条第三款)."""
    if on <= instalment.due_on:
        return Decimal(0)
    days = (on - instalment.due_on).days - _paused_days(case, instalment.due_on, on)
    return _late_fee(instalment.amount, days)


def surcharge(case: Case, on: datetime.date) -> Decimal:
    """第七十二条第一款第一项: 3 % of the fine for each day paid late, never more than the
    fine itself; days of reconsideration or a lawsuit do not count (第七十三条第三款).
    Under an approved plan (第六十六条), the surcharges of the late instalments."""
    plan = unpaid_instalments(case)
    if plan:
        return sum((instalment_surcharge(case, i, on) for i in plan), Decimal(0))
    if not case.payment_due or case.fine <= 0 or on <= case.payment_due:
        return Decimal(0)
    days = (on - case.payment_due).days - _paused_days(case, case.payment_due, on)
    return _late_fee(case.fine, days)


def amount_due(case: Case, on: datetime.date) -> Decimal:
    """What the party pays next, as of ``on``: the fine with its surcharge or, under an
    approved plan, the next instalment with its own."""
    plan = unpaid_instalments(case)
    if plan:
        return plan[0].amount + instalment_surcharge(case, plan[0], on)
    return case.fine + surcharge(case, on)


def outstanding(case: Case) -> Decimal:
    """The part of the fine not yet paid (surcharges aside)."""
    paid = sum((i.amount for i in case.instalments.filter(paid_on__isnull=False)), Decimal(0))
    return case.fine - paid


def plan_problem(  # noqa: PLR0911 - one return per rule
    *, plan: list[tuple[datetime.date, Decimal]], owed: Decimal, today: datetime.date
) -> str:
    """第六十六条第二款: a deferral or instalment plan covers what is still owed, in
    instalments due one after another, none in the past."""
    if not plan:
        return _("Give the date (and amount) of each payment.")
    if len(plan) > law.MAXIMUM_INSTALMENTS:
        return _("A plan has at most %(n)d instalments.") % {"n": law.MAXIMUM_INSTALMENTS}
    days = [day for day, _amount in plan]
    if days[0] < today:
        return _("A payment date cannot be in the past.")
    if any(later <= earlier for earlier, later in itertools.pairwise(days)):
        return _("Each instalment falls due after the one before.")
    if any(amount <= 0 for _day, amount in plan):
        return _("Each instalment is an amount above zero.")
    total = sum((amount for _day, amount in plan), Decimal(0))
    if total != owed:
        return _(
            "The instalments add up to %(total)s yuan; %(owed)s yuan of the fine is still "
            "owed (行政处罚法第六十六条第二款)."
        ) % {"total": total, "owed": owed}
    return ""
