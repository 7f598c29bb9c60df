"""The decision and what follows it: the 90-day limit and its extension, the decision
or no penalty, withdrawal and transfer, service, payment and its surcharge, the
reminder and the court, closing and archiving (行政处罚法 第六十至七十三条,
行政强制法 第五十三、五十四条)."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases import law
from yangguang.cases import rules_of_law as legal
from yangguang.cases.context import (
    Context,
    cancel_open_deadlines,
    decision_due,
    meet_deadlines,
    money,
    open_deadline,
    penalty_from_payload,
    refuse,
    running_deadline,
)
from yangguang.cases.deadlines import deadlines_cancel
from yangguang.cases.enums import (
    SET_ASIDE_RESULTS,
    DeadlineKind,
    Outcome,
    Procedure,
    RemedyResult,
    ServiceMethod,
    Status,
)
from yangguang.cases.investigation import discussed_since_hearing, reviewed_since_hearing
from yangguang.cases.models import Instalment
from yangguang.worktime.calendar import add_calendar_days, add_working_days, end_of_day

S = Status


def decide(ctx: Context) -> None:
    case = ctx.case
    outcome = ctx.payload.get("outcome", Outcome.PENALTY)
    if outcome not in Outcome.values:
        refuse(_("Choose the outcome of the decision."), "invalid")
    due = decision_due(case, ctx.calendar)
    if due and ctx.now > due:
        refuse(
            _(
                "The decision was due by %(due)s, 90 days after filing, and no extension "
                "was approved (行政处罚法第六十条)."
            )
            % {"due": timezone.localtime(due).strftime("%Y-%m-%d")},
            "law",
        )
    if outcome == Outcome.NO_PENALTY:
        note = str(ctx.payload.get("education_note", "")).strip()
        if not note:
            refuse(
                _(
                    "Record how the party was educated: no penalty still requires education "
                    "(行政处罚法第三十三条第三款)."
                ),
                "law",
            )
        case.outcome, case.education_note = Outcome.NO_PENALTY, note
        case.penalty_kinds, case.fine = [], Decimal(0)
    else:
        kinds, fine = penalty_from_payload(ctx)
        check_decision_lawful(ctx, kinds, fine)
        case.outcome, case.penalty_kinds, case.fine = Outcome.PENALTY, kinds, fine
    case.decided_at = ctx.now
    meet_deadlines(ctx, DeadlineKind.DECISION)
    open_deadline(
        ctx,
        DeadlineKind.SERVICE,
        "行政处罚法第六十一条",
        add_working_days(ctx.now, law.SERVICE_WORKING_DAYS, calendar=ctx.calendar),
    )


def check_decision_lawful(ctx: Context, kinds: list[str], fine: Decimal) -> None:
    case = ctx.case
    if not kinds:
        refuse(_("Choose the penalty, or decide no penalty."), "invalid")
    if not case.notified_at:
        refuse(
            _(
                "No penalty may be decided before the party has been told of it and heard "
                "(行政处罚法第四十四条、第六十二条)."
            ),
            "law",
        )
    # 第四十五条第二款: no heavier penalty because the party defended themselves.
    if fine > (case.notified_fine or 0) or set(kinds) - set(case.notified_kinds):
        refuse(
            _(
                "The decision may not be heavier than the penalty notified; a heavier one "
                "needs a new notice (行政处罚法第四十五条)."
            ),
            "law",
        )
    waited = case.rights_waived or case.heard_at
    statement = running_deadline(ctx, DeadlineKind.STATEMENT)
    if not waited and statement and ctx.now <= statement.due_at and not case.statement_received:
        refuse(
            _(
                "The party may state and defend their case until %(due)s; decide after that "
                "or once they have been heard (行政处罚法第四十五条、第六十二条)."
            )
            % {"due": timezone.localtime(statement.due_at).strftime("%Y-%m-%d")},
            "law",
        )
    hearing = running_deadline(ctx, DeadlineKind.HEARING_REQUEST)
    if not waited and case.hearing_offered and hearing and ctx.now <= hearing.due_at:
        refuse(
            _("The party may request a hearing until %(due)s (行政处罚法第六十四条第一项).")
            % {"due": timezone.localtime(hearing.due_at).strftime("%Y-%m-%d")},
            "law",
        )
    reasons = legal.legal_review_reasons(case, ctx.rules, kinds=kinds, fine=fine)
    if (reasons or case.legal_review_required) and not reviewed_since_hearing(case):
        refuse(
            _("This decision needs a legal review first: %(reasons)s (行政处罚法第五十八条).")
            % {"reasons": "; ".join(reasons) or _("required at review")},
            "law",
        )
    needs_discussion = case.discussion_required or legal.discussion_reasons(
        case, ctx.rules, kinds=kinds, fine=fine
    )
    if needs_discussion and not discussed_since_hearing(case):
        refuse(
            _(
                "This decision needs the leaders' collective discussion "
                "(行政处罚法第五十七条第二款、第六十五条)."
            ),
            "law",
        )


def end_undecided(ctx: Context) -> None:
    ctx.case.end_reason = ctx.reason
    cancel_open_deadlines(ctx)


def serve(ctx: Context) -> None:
    case = ctx.case
    method = ctx.payload.get("method")
    if method not in ServiceMethod.values or method == ServiceMethod.ON_THE_SPOT:
        refuse(_("Choose how the decision was served."), "invalid")
    if method == ServiceMethod.ELECTRONIC and not case.electronic_consent:
        refuse(
            _("Electronic service needs the party's signed consent (行政处罚法第六十一条第二款)."),
            "law",
        )
    case.served_at, case.service_method = ctx.now, method
    meet_deadlines(ctx, DeadlineKind.SERVICE)
    if case.outcome == Outcome.PENALTY and case.fine > 0:
        case.payment_due = add_calendar_days(
            ctx.now, law.PAYMENT_DAYS, calendar=ctx.calendar
        ).date()
        open_deadline(
            ctx, DeadlineKind.PAYMENT, "行政处罚法第六十七条第三款", end_of_day(case.payment_due)
        )


def defer_payment(ctx: Context) -> None:
    """第六十六条第二款: on the party's application, the bureau's head approves paying
    the fine later or in instalments. ``pay_by`` defers the whole; ``instalments`` (date
    and amount each) split what is still owed. A new plan replaces the unpaid part of
    an earlier one."""
    case = ctx.case
    if not case.payment_due or case.paid_on:
        refuse(_("There is no unpaid fine to defer."))
    applied_on = ctx.payload.get("applied_on")
    if not isinstance(applied_on, datetime.date) or applied_on > ctx.today:
        refuse(
            _(
                "Give the day the party applied: a deferral or instalments are approved "
                "only on the party's application (行政处罚法第六十六条第二款)."
            ),
            "law",
        )
    owed = legal.outstanding(case)
    plan = _plan_from_payload(ctx.payload, owed)
    problem = legal.plan_problem(plan=plan, owed=owed, today=ctx.today)
    if problem:
        refuse(problem, "law" if "第六十六条" in problem else "invalid")
    if len(plan) == 1 and not legal.unpaid_instalments(case) and plan[0][0] <= case.payment_due:
        refuse(_("Give a later payment date."), "invalid")
    unpaid = legal.unpaid_instalments(case)
    before = [f"{i.due_on} {i.amount:.2f}" for i in unpaid]
    case.instalments.filter(paid_on__isnull=True).delete()
    start = case.instalments.count()
    Instalment.objects.bulk_create(
        Instalment(case=case, position=start + n, amount=amount, due_on=day)
        for n, (day, amount) in enumerate(plan, start=1)
    )
    case.payment_due = plan[0][0]
    ctx.changes["instalments"] = [before or None, [f"{day} {amount:.2f}" for day, amount in plan]]
    ctx.changes["applied_on"] = [None, applied_on.isoformat()]
    open_deadline(
        ctx, DeadlineKind.PAYMENT, "行政处罚法第六十六条第二款", end_of_day(case.payment_due)
    )


def _plan_from_payload(payload: dict, owed: Decimal) -> list[tuple[datetime.date, Decimal]]:
    instalments = payload.get("instalments")
    if instalments:
        if not isinstance(instalments, list | tuple):
            refuse(_("Give the date and amount of each instalment."), "invalid")
        plan = []
        for item in instalments:
            day = item.get("due_on") if isinstance(item, dict) else None
            if not isinstance(day, datetime.date):
                refuse(_("Give the date and amount of each instalment."), "invalid")
            plan.append((day, money(item.get("amount"), _("An instalment"))))
        return plan
    pay_by = payload.get("pay_by")
    if not isinstance(pay_by, datetime.date):
        refuse(_("Give a later payment date, or the instalments."), "invalid")
    return [(pay_by, owed)]


def record_payment(ctx: Context) -> None:
    case = ctx.case
    if case.fine <= 0 or case.paid_on:
        refuse(_("No fine is waiting for payment."))
    paid_on = ctx.payload.get("paid_on", ctx.today)
    if not isinstance(paid_on, datetime.date) or paid_on > ctx.today:
        refuse(_("The payment date cannot be in the future."), "invalid")
    amount = money(ctx.payload.get("amount"), _("The amount paid"))
    receipt = str(ctx.payload.get("bank_receipt", "")).strip()
    if not receipt:
        refuse(
            _("Enter the bank receipt number: fines are paid at the bank (第六十七条)."),
            "invalid",
        )
    plan = legal.unpaid_instalments(case)
    if plan:
        _pay_instalment(ctx, plan, paid_on=paid_on, amount=amount, receipt=receipt)
        return
    due = legal.amount_due(case, paid_on)
    if amount < case.fine:
        refuse(
            _(
                "The fine of %(fine)s yuan is paid in one sum, unless the bureau's head has "
                "approved deferred or instalment payment on the party's application "
                "(行政处罚法第六十六条); %(due)s yuan is due on %(day)s."
            )
            % {"fine": case.fine, "due": due, "day": paid_on},
            "law",
        )
    if amount < due:
        refuse(
            _(
                "%(due)s yuan was due on %(day)s, including a surcharge of %(extra)s yuan "
                "(行政处罚法第七十二条)."
            )
            % {"due": due, "day": paid_on, "extra": due - case.fine},
            "law",
        )
    case.paid_on, case.paid_amount, case.bank_receipt = paid_on, amount, receipt
    meet_deadlines(ctx, DeadlineKind.PAYMENT)
    meet_deadlines(ctx, DeadlineKind.COURT)


def _pay_instalment(
    ctx: Context, plan: list[Instalment], *, paid_on: datetime.date, amount: Decimal, receipt: str
) -> None:
    """The next instalment paid, with its own surcharge if late (第六十六条、第七十二条);
    the last one settles the fine."""
    case, instalment = ctx.case, plan[0]
    extra = legal.instalment_surcharge(case, instalment, paid_on)
    if amount < instalment.amount + extra:
        refuse(
            _(
                "Instalment %(n)d of %(count)d: %(due)s yuan was due on %(day)s, including "
                "a surcharge of %(extra)s yuan (行政处罚法第六十六条、第七十二条)."
            )
            % {
                "n": instalment.position,
                "count": case.instalments.count(),
                "due": instalment.amount + extra,
                "day": paid_on,
                "extra": extra,
            },
            "law",
        )
    instalment.paid_on, instalment.paid_amount = paid_on, amount
    instalment.bank_receipt = receipt
    instalment.save(update_fields=["paid_on", "paid_amount", "bank_receipt"])
    ctx.changes["instalment_paid"] = [
        None,
        f"{instalment.position}/{case.instalments.count()} {amount:.2f} {paid_on} {receipt}",
    ]
    meet_deadlines(ctx, DeadlineKind.PAYMENT)
    if len(plan) > 1:
        case.payment_due = plan[1].due_on
        open_deadline(
            ctx, DeadlineKind.PAYMENT, "行政处罚法第六十六条第二款", end_of_day(plan[1].due_on)
        )
        return
    paid = case.instalments.aggregate(total=Sum("paid_amount"))["total"]
    case.paid_on, case.paid_amount, case.bank_receipt = paid_on, paid, receipt
    meet_deadlines(ctx, DeadlineKind.COURT)


def record_remedy(ctx: Context) -> None:
    """The party applied for reconsideration or sued: the decision still runs (第七十三条
    第一款) but the surcharge does not count those days (第三款)."""
    case = ctx.case
    started = ctx.payload.get("started_on") or case.remedy_started_on
    ended = ctx.payload.get("ended_on")
    if not isinstance(started, datetime.date) or started > ctx.today:
        refuse(_("Give the day the reconsideration or lawsuit was filed."), "invalid")
    if ended is not None and (not isinstance(ended, datetime.date) or ended < started):
        refuse(_("It cannot end before it was filed."), "invalid")
    case.remedy_started_on, case.remedy_ended_on = started, ended


def record_remedy_result(ctx: Context) -> None:
    """How the reconsideration or lawsuit ended. A decision changed, revoked, confirmed
    unlawful or void is set aside: other domains hear of it (a published decision must
    be withdrawn within three days, 行政处罚法 第四十八条第二款)."""
    case = ctx.case
    result = ctx.payload.get("result")
    on = ctx.payload.get("result_on")
    if result not in RemedyResult.values:
        refuse(_("Choose how the reconsideration or lawsuit ended."), "invalid")
    if not isinstance(on, datetime.date) or on > ctx.today:
        refuse(_("Give the day the result was given (not in the future)."), "invalid")
    if case.served_at and on < timezone.localdate(case.served_at):
        refuse(_("The result cannot come before the decision was served."), "invalid")
    if case.remedy_result in SET_ASIDE_RESULTS:
        refuse(_("The decision has already been set aside."), "wrong_status")
    body = str(ctx.payload.get("body") or "").strip()[:100]
    if not body:
        refuse(_("Name the reconsideration body or the court."), "invalid")
    case.remedy_result, case.remedy_result_on = result, on
    case.remedy_body = body
    case.remedy_reference = str(ctx.payload.get("reference") or "").strip()[:60]
    if not case.remedy_started_on:
        case.remedy_started_on = on
    if not case.remedy_ended_on:
        case.remedy_ended_on = on
    if result in SET_ASIDE_RESULTS:
        # The decision no longer stands as it was: nothing is collected under it.
        deadlines_cancel(case=case, kinds=[DeadlineKind.PAYMENT, DeadlineKind.COURT])


def remind(ctx: Context) -> None:
    case = ctx.case
    if not case.payment_due or case.paid_on or ctx.today <= case.payment_due:
        refuse(_("A reminder is served only once payment is overdue (行政强制法第三十五条)."))
    case.reminded_at = ctx.now


def apply_to_court(ctx: Context) -> None:
    case = ctx.case
    if not case.reminded_at:
        refuse(_("Serve a written reminder first (行政强制法第五十四条)."), "law")
    ready = add_working_days(case.reminded_at, law.REMINDER_WORKING_DAYS, calendar=ctx.calendar)
    if ctx.now <= ready:
        refuse(
            _(
                "The court may be applied to only 10 working days after the reminder was "
                "served, after %(day)s (行政强制法第五十四条)."
            )
            % {"day": timezone.localtime(ready).strftime("%Y-%m-%d")},
            "law",
        )
    served = timezone.localdate(case.served_at)
    opens = legal.add_months(served, law.LITIGATION_MONTHS)
    closes = legal.add_months(opens, law.COURT_APPLICATION_MONTHS)
    if ctx.today <= opens:
        refuse(
            _(
                "While the party may still sue (until %(day)s) the court is not applied to "
                "(行政强制法第五十三条)."
            )
            % {"day": opens},
            "law",
        )
    if ctx.today > closes:
        refuse(
            _("The three months to apply to the court ended on %(day)s (行政强制法第五十三条).")
            % {"day": closes},
            "law",
        )
    case.court_applied_at = ctx.now


def close(ctx: Context) -> None:
    case = ctx.case
    if case.procedure == Procedure.SIMPLE and not case.filing_recorded_at:
        refuse(_("File the summary decision with the bureau first (第五十二条)."), "law")
    if case.fine > 0 and not case.paid_on and case.status != S.COURT_APPLIED:
        refuse(_("The fine has not been paid: remind the party or apply to the court."), "law")
    case.closed_at = ctx.now
    cancel_open_deadlines(ctx)


def archive(ctx: Context) -> None:
    ctx.case.archived_at = ctx.now
