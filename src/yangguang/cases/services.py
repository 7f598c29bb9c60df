"""Writes to cases outside the procedure's moves: opening a case, recording the facts,
the party and the discretion assessment, and the on-the-spot summary decision.
Status changes go through ``procedure.case_transition`` only."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases import law
from yangguang.cases.context import team_problem
from yangguang.cases.discretion import Facts, propose
from yangguang.cases.enums import PartyKind, Procedure, Source, Status
from yangguang.cases.identity import validate_credit_code, validate_id_number
from yangguang.cases.models import Case, CaseCounter, CaseOfficer, CaseViolation, Violation
from yangguang.cases.procedure import ProcedureRefused, case_transition
from yangguang.cases.selectors import get_case_for_user
from yangguang.core.saving import field_values, save_changed
from yangguang.core.sequences import counter_next
from yangguang.org.models import Unit, User
from yangguang.org.rules import Action, allowed
from yangguang.records.diff import changes_between, snapshot
from yangguang.records.enums import PersonalKind
from yangguang.records.services import record_append

# Personal data a case's record holds, and how it is masked (records.presenters).
PARTY_PERSONAL = {
    "party_name": PersonalKind.NAME,
    "party_id_number": PersonalKind.ID_NUMBER,
    "party_phone": PersonalKind.PHONE,
    "party_address": PersonalKind.OTHER,
    "party_representative": PersonalKind.NAME,
}
PARTY_FIELDS = [
    "party_kind",
    "party_name",
    "party_id_number",
    "party_credit_code",
    "party_representative",
    "party_phone",
    "party_address",
]
FACT_FIELDS = [
    "title",
    "facts",
    "place",
    "act_started_on",
    "act_ended_on",
    "discovered_on",
    "harmed_safety",
    "complex_case",
]
# Written only by procedure.case_transition (one writer per status).
ONE_WRITER = frozenset({"status"})
# While the facts may still change: before the investigation ends.
EDITABLE = {Status.PROPOSED, Status.INVESTIGATING}


@dataclass
class Party:
    kind: str = PartyKind.INDIVIDUAL
    name: str = ""
    id_number: str = ""
    credit_code: str = ""
    representative: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class NewCase:
    procedure: str
    source: str
    title: str
    act_started_on: datetime.date
    discovered_on: datetime.date
    officers: list[tuple[User, str]]  # (officer, certificate number shown)
    unit: Unit | None = None
    facts: str = ""
    place: str = ""
    act_ended_on: datetime.date | None = None
    harmed_safety: bool = False
    complex_case: bool = False
    party: Party = field(default_factory=Party)
    violation: Violation | None = None
    report_id: int | None = None


def _party_problems(party: Party) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if party.kind not in PartyKind.values:
        errors["party_kind"] = [_("Choose whether the party is a person or an organisation.")]
    try:
        if party.id_number:
            party.id_number = validate_id_number(party.id_number)
    except ValidationError as error:
        errors["party_id_number"] = error.messages
    try:
        if party.credit_code:
            party.credit_code = validate_credit_code(party.credit_code)
    except ValidationError as error:
        errors["party_credit_code"] = error.messages
    return errors


def _date_problems(
    *,
    started: datetime.date,
    ended: datetime.date | None,
    discovered: datetime.date,
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if started > today:
        errors["act_started_on"] = [_("The act cannot begin in the future.")]
    if ended and ended < started:
        errors["act_ended_on"] = [_("The act cannot end before it began.")]
    if discovered > today:
        errors["discovered_on"] = [_("The discovery cannot be in the future.")]
    elif discovered < started:
        errors["discovered_on"] = [_("The act cannot be discovered before it began.")]
    return errors


def _team(
    officers: list[tuple[User, str]], day: datetime.date
) -> tuple[list[tuple[User, str]], dict[str, list[str]]]:
    """第四十二条: at least two officers, each showing a certificate of their own that is
    valid on the day. An empty number takes the officer's certificate valid that day.
    Returns the officers with their certificate numbers, and the problems."""
    if len(officers) > law.MAXIMUM_CASE_OFFICERS:
        message = _("Name at most %(n)d officers.") % {"n": law.MAXIMUM_CASE_OFFICERS}
        return [], {"officers": [message]}
    problems = []
    seen = set()
    team = []
    for officer, number in officers:
        if officer.pk in seen:
            problems.append(_("%(name)s is named twice.") % {"name": officer})
        seen.add(officer.pk)
        certificate = (
            officer.certificates.filter(number=number).first()
            if number
            else next((c for c in officer.certificates.all() if c.is_valid_on(day)), None)
        )
        if number and certificate is None:
            problems.append(
                _("%(number)s is not a certificate of %(name)s.")
                % {"number": number, "name": officer}
            )
        elif certificate and not certificate.is_valid_on(day):
            problems.append(
                _("%(number)s of %(name)s is not valid on %(day)s (行政处罚法第四十二条).")
                % {"number": number, "name": officer, "day": day.isoformat()}
            )
        team.append((officer, certificate.number if certificate else ""))
    problem = team_problem([officer for officer, _number in officers], day)
    if problem:
        problems.append(problem)
    return team, ({"officers": problems} if problems else {})


def _report_visible(actor: User, report_id: int) -> bool:
    from yangguang.reports.selectors import reports_visible_to

    return reports_visible_to(actor).filter(pk=report_id).exists()


def report_for_number(*, actor: User, tracking_number: str) -> int | None:
    """The id of a report the actor may see, by its tracking number."""
    from yangguang.reports.selectors import reports_visible_to

    return (
        reports_visible_to(actor)
        .filter(tracking_number=tracking_number.strip())
        .values_list("pk", flat=True)
        .first()
    )


def _next_case_number(now: datetime.datetime) -> str:
    """Year + sequence: 2026-00042. The year's counter row is locked while counting."""
    year = timezone.localtime(now).year
    return f"{year}-{counter_next(CaseCounter, year=year):05d}"


def case_open(*, data: NewCase, actor: User, now: datetime.datetime | None = None) -> Case:
    """Open a case (立案申请, or the start of a summary decision). Raises
    ValidationError by field for anything that cannot be stored."""
    if not allowed(actor, Action.CASE_INVESTIGATE):
        raise ProcedureRefused(_("Your posts do not allow opening cases."), "not_permitted")
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if data.procedure not in Procedure.values:
        errors["procedure"] = [_("Choose the procedure.")]
    if data.source not in Source.values:
        errors["source"] = [_("Choose where the case came from.")]
    if not data.title.strip():
        errors["title"] = [_("State the cause of the case (案由).")]
    errors |= _date_problems(
        started=data.act_started_on,
        ended=data.act_ended_on,
        discovered=data.discovered_on,
        today=timezone.localdate(now),
    )
    errors |= _party_problems(data.party)
    team, problems = _team(data.officers, timezone.localdate(now))
    errors |= problems
    unit = data.unit or actor.unit
    if unit is None:
        errors["unit"] = [_("Choose the unit handling the case.")]
    if data.report_id is not None and not _report_visible(actor, data.report_id):
        errors["report"] = [_("No report with this tracking number in your units.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = Case.objects.create(
            number=_next_case_number(now),
            procedure=data.procedure,
            source=data.source,
            report_id=data.report_id,
            unit=unit,
            title=data.title.strip(),
            facts=data.facts.strip(),
            place=data.place.strip(),
            act_started_on=data.act_started_on,
            act_ended_on=data.act_ended_on,
            discovered_on=data.discovered_on,
            harmed_safety=data.harmed_safety,
            complex_case=data.complex_case,
            party_kind=data.party.kind,
            party_name=data.party.name.strip(),
            party_id_number=data.party.id_number,
            party_credit_code=data.party.credit_code,
            party_representative=data.party.representative.strip(),
            party_phone=data.party.phone.strip(),
            party_address=data.party.address.strip(),
            violation=data.violation,
            created_by=actor,
        )
        CaseOfficer.objects.bulk_create(
            CaseOfficer(case=case, user=user, certificate_number=number, is_lead=index == 0)
            for index, (user, number) in enumerate(team)
        )
        record_append(
            action="case.open",
            target=case,
            actor=actor,
            changes=snapshot(
                case, ["number", "procedure", "source", "report_id", *FACT_FIELDS, *PARTY_FIELDS]
            )
            | {"officers": [f"{u} {n}" for u, n in team]},
            personal=PARTY_PERSONAL,
        )
    return case


def _editable(case: Case) -> None:
    if case.status not in EDITABLE:
        raise ProcedureRefused(
            _("The facts are fixed once the investigation has ended; send the case back first."),
            "wrong_status",
        )


def case_update_facts(
    *,
    case_id: int,
    actor: User,
    party: Party | None = None,
    now: datetime.datetime | None = None,
    **facts: object,
) -> Case:
    """Record what the investigation established: the facts and the party."""
    if not allowed(actor, Action.CASE_INVESTIGATE):
        raise ProcedureRefused(_("Your posts do not allow this."), "not_permitted")
    unknown = set(facts) - set(FACT_FIELDS)
    if unknown:
        raise ValueError(f"Not a fact of the case: {sorted(unknown)}")
    with transaction.atomic():
        case = get_case_for_user(user=actor, case_id=case_id, for_update=True)
        _editable(case)
        before, values = snapshot(case, FACT_FIELDS + PARTY_FIELDS), field_values(case)
        for name, value in facts.items():
            setattr(case, name, value.strip() if isinstance(value, str) else value)
        if party is not None:
            errors = _party_problems(party)
            if errors:
                raise ValidationError(errors)
            case.party_kind, case.party_name = party.kind, party.name.strip()
            case.party_id_number, case.party_credit_code = party.id_number, party.credit_code
            case.party_representative = party.representative.strip()
            case.party_phone, case.party_address = party.phone.strip(), party.address.strip()
        errors = _date_problems(
            started=case.act_started_on,
            ended=case.act_ended_on,
            discovered=case.discovered_on,
            today=timezone.localdate(now or timezone.now()),
        )
        if not case.title:
            errors["title"] = [_("State the cause of the case (案由).")]
        if errors:
            raise ValidationError(errors)
        save_changed(case, values, guarded=ONE_WRITER)
        record_append(
            action="case.facts",
            target=case,
            actor=actor,
            changes=changes_between(before, snapshot(case, FACT_FIELDS + PARTY_FIELDS)),
            personal=PARTY_PERSONAL,
        )
    return case


def case_assess(
    *,
    case_id: int,
    actor: User,
    violation: Violation,
    circumstances: dict,
    quantity: Decimal | None = None,
    penalty_kinds: list[str] | None = None,
    fine: Decimal | None = None,
    departure_reason: str = "",
    additional: bool = False,
) -> Case:
    """Assess a violation: the circumstances, the discretion engine's proposal and,
    optionally, the penalty the officers propose for it. Without ``additional`` it is
    the case's main violation (its 案由); with it, another act of the same party, assessed
    on its own (分别裁量). The case's penalty is the sum of its violations' (合并执行)."""
    if not allowed(actor, Action.CASE_INVESTIGATE):
        raise ProcedureRefused(_("Your posts do not allow this."), "not_permitted")
    if not violation.is_current:
        raise ValidationError(
            {"violation": [_("This version of the item has been replaced; choose the current.")]}
        )
    with transaction.atomic():
        case = get_case_for_user(user=actor, case_id=case_id, for_update=True)
        _editable(case)
        tracked = ["violation_id", "circumstances", "quantity", "grade", "penalty_kinds", "fine"]
        before, values = snapshot(case, tracked), field_values(case)
        facts = Facts.from_json(circumstances, quantity)
        try:
            proposal = propose(violation=violation, facts=facts, party_kind=case.party_kind)
        except ValueError as error:
            raise ValidationError({"quantity": [str(error)]}) from None
        row = _violation_row(case, violation, additional=additional)
        row.circumstances, row.quantity = facts.as_json(), quantity
        row.proposal, row.grade = proposal.as_json(), proposal.grade
        if penalty_kinds is not None:
            row.penalty_kinds = list(penalty_kinds)
        if fine is not None:
            row.fine = fine
        row.save()
        if not additional:
            case.violation, case.circumstances, case.quantity = (
                violation,
                row.circumstances,
                quantity,
            )
            case.proposal, case.grade = row.proposal, row.grade
        _sum_violations(case)
        case.departure_reason = departure_reason.strip()
        save_changed(case, values, guarded=ONE_WRITER)
        record_append(
            action="case.assess",
            target=case,
            actor=actor,
            changes=changes_between(before, snapshot(case, tracked))
            | {
                "assessed": [None, f"{violation.code} {violation.name}"],
                "reasons": proposal.reasons,
            },
            reason=case.departure_reason,
        )
    return case


def _violation_row(case: Case, violation: Violation, *, additional: bool) -> CaseViolation:
    rows = {row.position: row for row in case.violations.select_related("violation")}
    if not additional:
        main = rows.get(0)
        if main is None:
            return CaseViolation(case=case, violation=violation, position=0)
        if any(r.violation_id == violation.pk for p, r in rows.items() if p != 0):
            raise ValidationError(
                {"violation": [_("This violation is already one of the case's other acts.")]}
            )
        main.violation = violation
        return main
    if 0 not in rows:
        raise ValidationError({"violation": [_("Assess the main violation first.")]})
    for row in rows.values():
        if row.violation.code == violation.code:
            if row.position == 0:
                raise ValidationError(
                    {
                        "violation": [
                            _(
                                "This is the case's main violation; one act is not "
                                "penalised twice (行政处罚法第二十九条)."
                            )
                        ]
                    }
                )
            row.violation = violation
            return row
    return CaseViolation(case=case, violation=violation, position=max(rows) + 1)


def _sum_violations(case: Case) -> None:
    """The case's penalty: every kind its violations carry and the sum of their fines."""
    kinds: list[str] = []
    total = Decimal(0)
    for row in case.violations.all():
        kinds += [kind for kind in row.penalty_kinds if kind not in kinds]
        total += row.fine
    case.penalty_kinds, case.fine = kinds, total


def case_violation_remove(*, case_id: int, actor: User, violation: Violation) -> Case:
    """Take another act off the case (not its main violation)."""
    if not allowed(actor, Action.CASE_INVESTIGATE):
        raise ProcedureRefused(_("Your posts do not allow this."), "not_permitted")
    with transaction.atomic():
        case = get_case_for_user(user=actor, case_id=case_id, for_update=True)
        _editable(case)
        row = case.violations.filter(violation__code=violation.code, position__gt=0).first()
        if row is None:
            raise ValidationError({"violation": [_("Not one of the case's other acts.")]})
        row.delete()
        before, values = snapshot(case, ["penalty_kinds", "fine"]), field_values(case)
        _sum_violations(case)
        save_changed(case, values, guarded=ONE_WRITER)
        record_append(
            action="case.assess",
            target=case,
            actor=actor,
            changes=changes_between(before, snapshot(case, ["penalty_kinds", "fine"]))
            | {"removed": [f"{violation.code} {violation.name}", None]},
        )
    return case


def case_decide_on_the_spot(
    *,
    data: NewCase,
    actor: User,
    circumstances: dict,
    penalty_kinds: list[str],
    fine: Decimal,
    party_informed: bool,
    collect_on_the_spot: bool = False,
    hard_to_enforce: bool = False,
    receipt: str = "",
    now: datetime.datetime | None = None,
) -> Case:
    """A summary-procedure decision (当场处罚, 第五十一、五十二条) in one transaction:
    the case, its assessment and the decision handed over — or nothing."""
    data.procedure = Procedure.SIMPLE
    if data.violation is None:
        raise ValidationError({"violation": [_("Choose the violation from the catalogue.")]})
    with transaction.atomic():
        case = case_open(data=data, actor=actor, now=now)
        case_assess(
            case_id=case.pk,
            actor=actor,
            violation=data.violation,
            circumstances=circumstances,
        )
        return case_transition(
            case_id=case.pk,
            verb="decide_on_the_spot",
            actor=actor,
            now=now,
            penalty_kinds=penalty_kinds,
            fine=fine,
            party_informed=party_informed,
            collect_on_the_spot=collect_on_the_spot,
            hard_to_enforce=hard_to_enforce,
            receipt=receipt,
        )


def case_write_record(
    *,
    case_id: int,
    actor: User,
    kind: str,
    text: str,
    place: str = "",
    at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
):
    """An officer's written record of the investigation (询问笔录, 现场检查（勘验）笔录) or a
    correction order (责令（限期）改正通知书), issued as a document of the case."""
    from yangguang.cases.context import is_case_officer, officers_problem
    from yangguang.cases.documents import KINDS, WRITTEN_KINDS, document_issue
    from yangguang.cases.procedure import case_rules

    if kind not in WRITTEN_KINDS:
        raise ValidationError({"kind": [_("Choose the kind of record.")]})
    if not text.strip():
        raise ValidationError({"text": [_("Write down what was said or seen.")]})
    now = now or timezone.now()
    with transaction.atomic():
        case = get_case_for_user(user=actor, case_id=case_id, for_update=True)
        if not is_case_officer(case, actor):
            raise ProcedureRefused(_("Only the case's own officers may do this."), "not_permitted")
        _editable(case)
        # 第四十二条: a record or an order is made by two certified officers.
        problem = officers_problem(case, timezone.localdate(now))
        if problem:
            raise ProcedureRefused(problem, "law")
        document = document_issue(
            case=case,
            kind=kind,
            actor=actor,
            now=now,
            rules=case_rules(),
            extra={"text": text.strip(), "place": place.strip(), "at": at or now},
        )
        record_append(
            action="case.write_record",
            target=case,
            actor=actor,
            changes={
                "documents": [None, f"{KINDS[kind].title} {document.number} {document.sha256}"]
            },
        )
    return document
