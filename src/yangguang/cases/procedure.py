"""The administrative-penalty procedure as one explicit state machine (行政处罚法 第五章).

``moves.MOVES`` is the table. ``case_transition`` is the only function that changes a
case's status: it locks the row, checks the table, the actor's right and scope, and
the verb's legal guards (investigation.py, decision.py, rules_of_law.py), applies the
change, opens and meets deadlines and records the move in the chain — in one
transaction. Whatever the law forbids raises ``ProcedureRefused`` with the reason and
the article.
"""

import datetime
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases import decision, investigation
from yangguang.cases.context import (
    Context,
    ProcedureRefused,
    is_case_officer,
    lead_officer,
    officers_problem,
    refuse,
)
from yangguang.cases.documents import documents_for_move
from yangguang.cases.enums import SET_ASIDE_RESULTS
from yangguang.cases.models import Case, CaseRules, PartyAccess
from yangguang.cases.moves import MOVES, Move
from yangguang.core import events
from yangguang.core.saving import field_values, save_changed
from yangguang.org.models import User
from yangguang.org.rules import permission_name
from yangguang.records.diff import changes_between, snapshot
from yangguang.records.services import record_append
from yangguang.worktime.selectors import work_calendar

__all__ = ["MOVES", "ProcedureRefused", "allowed_verbs", "case_rules", "case_transition"]

GUARDS: dict[str, Callable[[Context], None]] = {
    "decide_on_the_spot": investigation.decide_on_the_spot,
    "record_filing": investigation.record_filing,
    "file": investigation.file_case,
    "refuse_filing": investigation.refuse_filing,
    "preserve": investigation.preserve,
    "decide_preserved": investigation.decide_preserved,
    "end_investigation": investigation.end_investigation,
    "review": investigation.review,
    "send_back": investigation.send_back,
    "legal_review": investigation.legal_review,
    "legal_return": investigation.legal_return,
    "discuss": investigation.discuss,
    "notify": investigation.notify,
    "record_statement": investigation.record_statement,
    "waive_rights": investigation.waive_rights,
    "request_hearing": investigation.request_hearing,
    "schedule_hearing": investigation.schedule_hearing,
    "hold_hearing": investigation.hold_hearing,
    "extend_decision": investigation.extend_decision,
    "decide": decision.decide,
    "withdraw": decision.end_undecided,
    "transfer": decision.end_undecided,
    "serve": decision.serve,
    "defer_payment": decision.defer_payment,
    "record_payment": decision.record_payment,
    "record_remedy": decision.record_remedy,
    "record_remedy_result": decision.record_remedy_result,
    "remind": decision.remind,
    "apply_to_court": decision.apply_to_court,
    "close": decision.close,
    "archive": decision.archive,
}

TRACKED = [
    "status",
    "penalty_kinds",
    "fine",
    "outcome",
    "hearing_offered",
    "legal_review_required",
    "discussion_required",
    "extension_days",
    "payment_due",
    "paid_on",
    "remedy_started_on",
    "remedy_ended_on",
    "remedy_result",
    "remedy_result_on",
    "service_method",
]


def allowed_verbs(case: Case, user: User) -> list[str]:
    """The verbs the table and the post matrix let this user try on this case now."""
    return [
        verb
        for verb, move in MOVES.items()
        if case.procedure in move.procedures
        and case.status in move.sources
        and user.has_perm(permission_name(move.action))
    ]


def case_rules() -> CaseRules:
    rules, _created = CaseRules.objects.get_or_create(pk=1)
    return rules


def case_transition(
    *,
    case_id: int,
    verb: str,
    actor: User | None = None,
    party: PartyAccess | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
    evidence: Sequence[str] = (),
    **payload,
) -> Case:
    """Apply ``verb`` to the case, or raise ProcedureRefused saying why not.

    The step is taken by a member of staff (``actor``) or by the party through their
    link (``party``, only for the table's ``by_party`` verbs). Side effects, in one
    transaction: the case's changed columns saved, deadlines opened and met, the step's
    documents issued, and one record entry (carrying ``evidence`` hashes, if any)."""
    move = MOVES.get(verb)
    if move is None:
        raise ProcedureRefused(_("Unknown action."), "unknown")
    if (actor is None) == (party is None):
        raise ValueError("a step is taken either by a member of staff or by the party")
    with transaction.atomic():
        if party is not None:
            case = _case_for_party(party, case_id, move)
        else:
            case = _case_for_staff(actor, case_id, move)
        if case.procedure not in move.procedures:
            refuse(
                _("“%(verb)s” does not belong to the %(procedure)s.")
                % {"verb": move.label, "procedure": case.get_procedure_display()},
                "wrong_procedure",
            )
        if case.status not in move.sources:
            refuse(
                _("“%(verb)s” is not possible while the case is “%(status)s”.")
                % {"verb": move.label, "status": case.get_status_display()},
                "wrong_status",
            )
        if actor and move.by_case_officer and not is_case_officer(case, actor):
            refuse(_("Only the case's own officers may do this."), "not_permitted")
        reason = reason.strip()
        if move.needs_reason and not reason:
            refuse(_("Give the reason."), "reason_required")
        ctx = Context(
            case=case,
            # Documents made from the party's submissions name the lead officer.
            actor=actor or lead_officer(case),
            payload=payload,
            now=now or timezone.now(),
            rules=case_rules(),
            calendar=work_calendar(),
            reason=reason,
            by_party=party is not None,
        )
        if move.names_officers:
            problem = officers_problem(case, ctx.today)
            if problem:
                refuse(problem, "law")
        before, values = snapshot(case, TRACKED), field_values(case)
        GUARDS[verb](ctx)
        if move.target:
            case.status = move.target
        save_changed(case, values)
        issued = documents_for_move(ctx, verb)
        changes = changes_between(before, snapshot(case, TRACKED)) | ctx.changes
        if issued:
            changes["documents"] = [f"{d.title} {d.number} {d.sha256}".strip() for d in issued]
        record_append(
            action=f"case.{verb}",
            target=case,
            actor=actor,
            changes=changes,
            reason=reason or (_("Sent by the party through their link") if party else ""),
            evidence=list(evidence),
        )
        _announce(verb, case, ctx)
    return case


def _announce(verb: str, case: Case, ctx: Context) -> None:
    """Tell the other domains, in this transaction (core.events)."""
    if verb in ("decide", "decide_on_the_spot"):
        events.announce(events.CASE_DECIDED, case=case, now=ctx.now)
    elif verb == "record_remedy_result" and case.remedy_result in SET_ASIDE_RESULTS:
        events.announce(
            events.CASE_DECISION_SET_ASIDE,
            case=case,
            ground=case.remedy_result,
            set_aside_on=case.remedy_result_on,
            now=ctx.now,
        )


def _case_for_staff(actor: User, case_id: int, move: Move) -> Case:
    """The case locked, if it is in the actor's scope and their posts allow the step."""
    from yangguang.cases.selectors import get_case_for_user

    case = get_case_for_user(user=actor, case_id=case_id, for_update=True)
    if not actor.has_perm(permission_name(move.action)):
        refuse(_("Your posts do not allow “%(verb)s”.") % {"verb": move.label}, "not_permitted")
    return case


def _case_for_party(party: PartyAccess, case_id: int, move: Move) -> Case:
    """The case of the party's link, locked, if the party may take the step."""
    if party.case_id != case_id or party.revoked_at is not None:
        raise ValueError("the party's link does not open this case")
    if not move.by_party:
        refuse(_("Only the bureau can take this step."), "not_permitted")
    return Case.objects.select_for_update().get(pk=case_id)
