"""What every step of the procedure works with: the context of one move, the refusal,
and the helpers for money, officers, the party and the procedure's deadlines."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases import law
from yangguang.cases.deadlines import deadline_open, deadlines_meet
from yangguang.cases.enums import DISCLOSURE_DEADLINES, DeadlineState, PenaltyKind
from yangguang.cases.identity import validate_credit_code, validate_id_number
from yangguang.cases.models import Case, CaseDeadline, CaseRules
from yangguang.org.models import User
from yangguang.org.services import EnforcementTeamError, enforcement_team_check
from yangguang.worktime.calendar import WorkCalendar, add_calendar_days


class ProcedureRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """A move the table, the post matrix or the law does not allow."""

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass
class Context:
    case: Case
    actor: User
    payload: dict
    now: datetime.datetime
    rules: CaseRules
    calendar: WorkCalendar
    reason: str
    by_party: bool = False  # the party's own step, through their link
    # What the step changed beyond the case's tracked columns, for its record entry.
    changes: dict = field(default_factory=dict)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


def refuse(reason: str, code: str = "refused") -> None:
    raise ProcedureRefused(reason, code)


# --- helpers -----------------------------------------------------------------------


def money(value: object, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        refuse(_("%(label)s must be an amount in yuan.") % {"label": label}, "invalid")
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        refuse(_("%(label)s must be an amount in yuan.") % {"label": label}, "invalid")
    return amount


def kinds_of(value: object) -> list[str]:
    kinds = list(value or [])
    unknown = [k for k in kinds if k not in PenaltyKind.values]
    if unknown:
        refuse(_("Unknown penalty kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}, "invalid")
    return kinds


def moment(value: object, label: str) -> datetime.datetime:
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        refuse(_("%(label)s needs a date and time.") % {"label": label}, "invalid")
    return value


def is_case_officer(case: Case, user: User) -> bool:
    return case.officers.filter(user=user).exists()


def lead_officer(case: Case) -> User:
    return case.officers.select_related("user").order_by("-is_lead", "pk").first().user


def officers_problem(case: Case, day: datetime.date) -> str:
    """第四十二条 for the case's own officers on the day of a step."""
    return team_problem([officer.user for officer in case.officers.select_related("user")], day)


def team_problem(officers: list[User], day: datetime.date) -> str:
    """第四十二条: at least two officers, each with a certificate valid on the day
    (the check every enforcement action uses, org.services.enforcement_team_check)."""
    try:
        enforcement_team_check(officers=officers, on=day, minimum=law.MINIMUM_OFFICERS)
    except EnforcementTeamError as error:
        return _(
            "At least %(n)d officers with enforcement certificates valid on %(day)s must "
            "handle the case (行政处罚法第四十二条): %(problems)s"
        ) % {"n": law.MINIMUM_OFFICERS, "day": day, "problems": " ".join(error.messages)}
    return ""


def party_problem(case: Case) -> str:

    if not case.party_name:
        return _("Name the party (当事人) first.")
    try:
        if case.is_individual:
            if not case.party_id_number:
                return _("Enter the party's identity number.")
            validate_id_number(case.party_id_number)
        else:
            if not case.party_credit_code:
                return _("Enter the organisation's unified social credit code.")
            if not case.party_representative:
                return _("Enter the organisation's legal representative.")
            validate_credit_code(case.party_credit_code)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def decision_due(case: Case, calendar: WorkCalendar) -> datetime.datetime | None:
    """第六十条: 90 calendar days from filing, plus a configured extension."""
    if not case.filed_at:
        return None
    return add_calendar_days(
        case.filed_at, law.DECISION_DAYS + case.extension_days, calendar=calendar
    )


def open_deadline(ctx: Context, kind: str, article: str, due: datetime.datetime) -> None:
    deadline_open(case=ctx.case, kind=kind, article=article, started_at=ctx.now, due_at=due)


def meet_deadlines(ctx: Context, *kinds: str) -> None:
    deadlines_meet(case=ctx.case, kinds=kinds, now=ctx.now)


def cancel_open_deadlines(ctx: Context) -> None:
    """The procedure has ended: its own deadlines no longer apply (publication and
    withdrawal, which outlive it, keep running)."""
    CaseDeadline.objects.filter(case=ctx.case, state=DeadlineState.OPEN).exclude(
        kind__in=DISCLOSURE_DEADLINES
    ).update(state=DeadlineState.CANCELLED)


def running_deadline(ctx: Context, kind: str) -> CaseDeadline | None:
    return CaseDeadline.objects.filter(case=ctx.case, kind=kind, state=DeadlineState.OPEN).first()


def penalty_from_payload(ctx: Context) -> tuple[list[str], Decimal]:
    """Penalty kinds and fine from the payload, defaulting to the case's."""
    case = ctx.case
    kinds = kinds_of(ctx.payload.get("penalty_kinds", case.penalty_kinds))
    fine = money(ctx.payload.get("fine", case.fine), _("The fine"))
    if PenaltyKind.FINE in kinds and fine <= 0:
        refuse(_("Enter the amount of the fine."), "invalid")
    if PenaltyKind.FINE not in kinds and fine > 0:
        refuse(_("A fine needs the penalty kind 罚款."), "invalid")
    return kinds, fine
