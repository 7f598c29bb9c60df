"""The steps up to the decision: the summary decision on the spot, filing, preserved
evidence, the end of the investigation, review, legal review, collective discussion,
the prior notice, the party's statement and the hearing (行政处罚法 第五十一至六十五条)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases import law
from yangguang.cases import rules_of_law as legal
from yangguang.cases.context import (
    Context,
    decision_due,
    is_case_officer,
    meet_deadlines,
    moment,
    open_deadline,
    party_problem,
    penalty_from_payload,
    refuse,
)
from yangguang.cases.enums import DeadlineKind, Outcome, ReviewPoint, ServiceMethod
from yangguang.cases.models import Case, Preservation, Statement
from yangguang.org.models import User
from yangguang.worktime.calendar import add_calendar_days, add_working_days, end_of_day

# --- the verbs ---------------------------------------------------------------------


def decide_on_the_spot(ctx: Context) -> None:
    case = ctx.case
    kinds, fine = penalty_from_payload(ctx)
    problem = legal.simple_procedure_problem(
        party_kind=case.party_kind, kinds=kinds, fine=fine
    ) or party_problem(case)
    if not case.violation_id:
        problem = problem or _("Choose the violation from the catalogue.")
    if problem:
        refuse(problem, "law")
    if not ctx.payload.get("party_informed"):
        refuse(
            _(
                "Tell the party the facts, reasons and basis and hear their statement before "
                "deciding, and confirm it here (行政处罚法第四十四条、第五十二条)."
            ),
            "law",
        )
    collect = bool(ctx.payload.get("collect_on_the_spot"))
    if collect:
        problem = legal.on_the_spot_collection_problem(
            fine=fine, hard_to_enforce=bool(ctx.payload.get("hard_to_enforce"))
        )
        if problem:
            refuse(problem, "law")
        receipt = str(ctx.payload.get("receipt", "")).strip()
        if not receipt:
            refuse(
                _("Enter the number of the official receipt given to the party (第七十条)."),
                "invalid",
            )
        case.paid_on, case.paid_amount, case.bank_receipt = ctx.today, fine, receipt
    case.penalty_kinds, case.fine = kinds, fine
    case.outcome = Outcome.PENALTY
    case.decided_at = case.served_at = ctx.now
    case.service_method = ServiceMethod.ON_THE_SPOT
    case.collected_on_the_spot = collect
    if fine > 0 and not collect:
        case.payment_due = add_calendar_days(
            ctx.now, law.PAYMENT_DAYS, calendar=ctx.calendar
        ).date()
        open_deadline(
            ctx, DeadlineKind.PAYMENT, "行政处罚法第六十七条", end_of_day(case.payment_due)
        )
    open_deadline(
        ctx,
        DeadlineKind.FILING_RECORD,
        "行政处罚法第五十二条",
        add_working_days(ctx.now, ctx.rules.filing_record_working_days, calendar=ctx.calendar),
    )


def record_filing(ctx: Context) -> None:
    if ctx.case.filing_recorded_at:
        refuse(_("The decision has already been filed with the bureau."))
    ctx.case.filing_recorded_at = ctx.now
    meet_deadlines(ctx, DeadlineKind.FILING_RECORD)


def file_case(ctx: Context) -> None:
    case = ctx.case
    problem = legal.limitation_problem(case)
    if problem:
        refuse(problem, "law")
    case.filed_at = ctx.now
    open_deadline(
        ctx, DeadlineKind.DECISION, "行政处罚法第六十条", decision_due(case, ctx.calendar)
    )


def refuse_filing(ctx: Context) -> None:
    ctx.case.end_reason = ctx.reason


def preserve(ctx: Context) -> None:
    items = str(ctx.payload.get("items", "")).strip()
    if not items:
        refuse(_("List the items preserved."), "invalid")
    due = add_working_days(ctx.now, law.PRESERVATION_WORKING_DAYS, calendar=ctx.calendar)
    Preservation.objects.create(case=ctx.case, items=items, preserved_at=ctx.now, decide_by=due)
    open_deadline(ctx, DeadlineKind.PRESERVATION, "行政处罚法第五十六条", due)


def decide_preserved(ctx: Context) -> None:
    decision = str(ctx.payload.get("decision", "")).strip()
    if not decision:
        refuse(_("Say what is done with the preserved items."), "invalid")
    pending = ctx.case.preservations.filter(decided_at__isnull=True)
    if not pending.exists():
        refuse(_("No preserved evidence is waiting for a decision."))
    pending.update(decided_at=ctx.now, decision=decision)
    meet_deadlines(ctx, DeadlineKind.PRESERVATION)


def end_investigation(ctx: Context) -> None:
    case = ctx.case
    if case.preservations.filter(decided_at__isnull=True).exists():
        refuse(
            _(
                "Decide on the preserved evidence first: within 7 working days of preserving "
                "it (行政处罚法第五十六条)."
            ),
            "law",
        )
    if not case.violation_id:
        refuse(_("Choose the violation from the catalogue."), "invalid")
    problem = party_problem(case)
    if problem:
        refuse(problem, "law")
    if not case.facts.strip():
        refuse(_("Write down the facts the investigation established."), "invalid")
    kinds, fine = penalty_from_payload(ctx)
    if not kinds:
        refuse(_("Propose a penalty, or withdraw the case or decide no penalty."), "invalid")
    from yangguang.cases.discretion import departs, proposal_of

    proposal = proposal_of(case)
    if departs(proposal, fine) and not case.departure_reason.strip():
        if proposal.local_basis_required:
            refuse(
                _(
                    "No discretion standard is published for this violation (only a local "
                    "regulation sets its fine, 行政处罚法第三十四条): write the reason for the "
                    "fine (it also requires a legal review)."
                ),
                "law",
            )
        refuse(
            _(
                "The fine leaves the range the discretion standard proposes: write the "
                "reason (it also requires a legal review)."
            ),
            "law",
        )
    case.penalty_kinds, case.fine = kinds, fine


def review(ctx: Context) -> None:
    case = ctx.case
    kinds, fine = case.penalty_kinds, case.fine
    case.reviewed_at = ctx.now
    case.hearing_offered = legal.hearing_due(case, ctx.rules, kinds=kinds, fine=fine)
    case.legal_review_required = bool(
        legal.legal_review_reasons(case, ctx.rules, kinds=kinds, fine=fine)
    )
    case.discussion_required = bool(
        legal.discussion_reasons(case, ctx.rules, kinds=kinds, fine=fine)
    )


def send_back(ctx: Context) -> None:
    reset_reviews(ctx.case)


def reset_reviews(case: Case) -> None:
    case.reviewed_at = case.legal_reviewed_at = case.discussed_at = None
    case.legal_reviewer = None


def legal_review(ctx: Context) -> None:
    case = ctx.case
    if is_case_officer(case, ctx.actor):
        refuse(
            _(
                "An officer who investigated the case may not review it "
                "(行政处罚法第五十八条, 国办发〔2018〕118号)."
            ),
            "law",
        )
    if not qualified_reviewer(ctx.actor):
        refuse(
            _(
                "A legal reviewer needs the legal professional qualification (法律职业资格); "
                "record its number in the account (行政处罚法第五十八条第二款)."
            ),
            "law",
        )
    opinion = str(ctx.payload.get("opinion", "")).strip()
    if not opinion:
        refuse(_("Write the legal review opinion."), "invalid")
    missing = [p.label for p in ReviewPoint if p.value not in set(ctx.payload.get("points", []))]
    if missing:
        refuse(
            _("Confirm every point of the review; not yet: %(points)s.")
            % {"points": "; ".join(str(label) for label in missing)},
            "invalid",
        )
    case.legal_reviewed_at, case.legal_reviewer, case.legal_opinion = ctx.now, ctx.actor, opinion


def qualified_reviewer(user: User) -> bool:
    """第五十八条第二款: qualified, or reviewing since before the revised law."""
    since = user.legal_review_since
    return bool(user.legal_qualification) or (
        since is not None and since < law.LEGAL_QUALIFICATION_FROM
    )


def legal_return(ctx: Context) -> None:
    if is_case_officer(ctx.case, ctx.actor):
        refuse(_("An officer who investigated the case may not review it (第五十八条)."), "law")
    reset_reviews(ctx.case)


def discuss(ctx: Context) -> None:
    case = ctx.case
    minutes = str(ctx.payload.get("minutes", "")).strip()
    if not minutes:
        refuse(_("Write the minutes of the discussion."), "invalid")
    if case.legal_review_required and not reviewed_since_hearing(case):
        refuse(_("The legal review comes before the discussion (第五十八条)."), "law")
    case.discussed_at, case.discussion_minutes = ctx.now, minutes


def reviewed_since_hearing(case: Case) -> bool:
    return bool(case.legal_reviewed_at) and (
        not case.heard_at or case.legal_reviewed_at >= case.heard_at
    )


def discussed_since_hearing(case: Case) -> bool:
    return bool(case.discussed_at) and (not case.heard_at or case.discussed_at >= case.heard_at)


def notify(ctx: Context) -> None:
    case = ctx.case
    if case.legal_review_required and not case.legal_reviewed_at:
        refuse(_("This case needs the legal review before the notice (第五十八条)."), "law")
    if case.discussion_required and not case.discussed_at:
        refuse(
            _("This case needs the leaders' collective discussion first (第五十七条第二款)."),
            "law",
        )
    case.notified_at = ctx.now
    case.notified_kinds, case.notified_fine = list(case.penalty_kinds), case.fine
    # 第六十三条: where a hearing is due, the notice always offers it.
    case.hearing_offered = legal.hearing_due(
        case, ctx.rules, kinds=case.penalty_kinds, fine=case.fine
    )
    open_deadline(
        ctx,
        DeadlineKind.STATEMENT,
        "行政处罚法第四十四条、第四十五条",
        add_working_days(ctx.now, ctx.rules.statement_working_days, calendar=ctx.calendar),
    )
    if case.hearing_offered:
        open_deadline(
            ctx,
            DeadlineKind.HEARING_REQUEST,
            "行政处罚法第六十四条第一项",
            add_working_days(ctx.now, law.HEARING_REQUEST_WORKING_DAYS, calendar=ctx.calendar),
        )


def record_statement(ctx: Context) -> None:
    text = str(ctx.payload.get("text", "")).strip()
    if not text:
        refuse(_("Write down what the party stated."), "invalid")
    Statement.objects.create(
        case=ctx.case,
        text=text,
        received_at=ctx.now,
        by_party_link=ctx.by_party,
    )
    ctx.case.statement_received = True
    meet_deadlines(ctx, DeadlineKind.STATEMENT)


def waive_rights(ctx: Context) -> None:
    ctx.case.rights_waived = True
    meet_deadlines(ctx, DeadlineKind.STATEMENT, DeadlineKind.HEARING_REQUEST)


def request_hearing(ctx: Context) -> None:
    case = ctx.case
    if not case.hearing_offered:
        refuse(_("This penalty does not carry a right to a hearing (行政处罚法第六十三条)."), "law")
    if case.rights_waived:
        refuse(_("The party has waived the hearing."), "law")
    due = add_working_days(
        case.notified_at, law.HEARING_REQUEST_WORKING_DAYS, calendar=ctx.calendar
    )
    if ctx.now > due:
        refuse(
            _(
                "A hearing must be requested within 5 working days of the notice; that "
                "period ended %(due)s (行政处罚法第六十四条第一项)."
            )
            % {"due": timezone.localtime(due).strftime("%Y-%m-%d")},
            "law",
        )
    case.hearing_requested_at = ctx.now
    meet_deadlines(ctx, DeadlineKind.HEARING_REQUEST)


def schedule_hearing(ctx: Context) -> None:
    case = ctx.case
    hearing_at = moment(ctx.payload.get("hearing_at"), _("The hearing"))
    presider = ctx.payload.get("presider")
    if not isinstance(presider, User):
        refuse(_("Choose who presides over the hearing."), "invalid")
    if is_case_officer(case, presider):
        refuse(
            _(
                "The hearing is presided over by someone who did not investigate the case "
                "(行政处罚法第六十四条第四项)."
            ),
            "law",
        )
    # 第六十四条第二项 "七日前通知": the notice goes out today (the start day is not
    # counted, 第八十五条), so the hearing may be held on the 7th working day after it.
    earliest = timezone.localdate(
        add_working_days(ctx.now, law.HEARING_NOTICE_WORKING_DAYS, calendar=ctx.calendar)
    )
    if timezone.localdate(hearing_at) < earliest:
        refuse(
            _(
                "The party must be notified at least 7 working days before the hearing: the "
                "earliest day is %(day)s (行政处罚法第六十四条第二项)."
            )
            % {"day": earliest.isoformat()},
            "law",
        )
    case.hearing_at, case.hearing_presider = hearing_at, presider


def hold_hearing(ctx: Context) -> None:
    case = ctx.case
    if ctx.actor != case.hearing_presider:
        refuse(_("Only the presiding officer records the hearing (第六十四条)."), "not_permitted")
    if ctx.now < case.hearing_at:
        refuse(_("The hearing has not taken place yet."), "invalid")
    if not str(ctx.payload.get("transcript", "")).strip():
        refuse(
            _("Attach the hearing transcript's content (听证笔录, 第六十四条第八项)."), "invalid"
        )
    case.heard_at = ctx.now


def extend_decision(ctx: Context) -> None:
    case = ctx.case
    if ctx.rules.decision_extension_days <= 0:
        refuse(
            _(
                "No extension of the 90-day decision period is configured for this "
                "jurisdiction (行政处罚法第六十条)."
            ),
            "law",
        )
    if case.extension_days:
        refuse(_("The decision period has already been extended once."), "law")
    due = decision_due(case, ctx.calendar)
    if due and ctx.now > due:
        refuse(_("The decision period has already ended; it cannot be extended now."), "law")
    case.extension_days = ctx.rules.decision_extension_days
    open_deadline(
        ctx, DeadlineKind.DECISION, "行政处罚法第六十条", decision_due(case, ctx.calendar)
    )
