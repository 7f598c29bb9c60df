"""The table of the administrative-penalty procedure (行政处罚法 第五章): each verb, the
procedures and statuses it may start from, where it leads and the post-matrix action it
needs. ``procedure.case_transition`` applies it; the tests check every pair.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from yangguang.cases.enums import Procedure, Status
from yangguang.org.rules import Action

S = Status
ORDINARY = frozenset({Procedure.ORDINARY})
SIMPLE = frozenset({Procedure.SIMPLE})
BOTH = ORDINARY | SIMPLE

# Before the decision: where 撤案, 移送 and the extension of the decision period apply.
UNDECIDED = frozenset(
    {
        S.INVESTIGATING,
        S.INVESTIGATED,
        S.REVIEWED,
        S.LEGAL_REVIEWED,
        S.DISCUSSED,
        S.NOTIFIED,
        S.HEARING_REQUESTED,
        S.HEARING_SCHEDULED,
        S.HEARD,
    }
)
# Where the decision may be taken (the guards then check notice, review, discussion).
DECIDABLE = frozenset({S.REVIEWED, S.LEGAL_REVIEWED, S.DISCUSSED, S.NOTIFIED, S.HEARD})


@dataclass(frozen=True)
class Move:
    label: Promise
    procedures: frozenset[str]
    sources: frozenset[str]
    target: str | None  # None: stays where it is
    action: Action
    needs_reason: bool = False
    by_case_officer: bool = False
    # 第四十二条: the step is an enforcement act of the case's officers (their documents
    # name them), so at least two of them hold certificates valid on the day.
    names_officers: bool = False
    # The party may take this step themselves, through their link (非接触式执法).
    by_party: bool = False


MOVES: dict[str, Move] = {
    "decide_on_the_spot": Move(
        gettext_lazy("Decide on the spot"),
        SIMPLE,
        frozenset({S.PROPOSED}),
        S.SERVED,
        Action.CASE_INVESTIGATE,
        by_case_officer=True,
        names_officers=True,
    ),
    "record_filing": Move(
        gettext_lazy("Record the summary decision (备案)"),
        SIMPLE,
        frozenset({S.SERVED, S.CLOSED}),
        None,
        Action.CASE_APPROVE,
    ),
    "file": Move(
        gettext_lazy("Approve filing (立案)"),
        ORDINARY,
        frozenset({S.PROPOSED}),
        S.INVESTIGATING,
        Action.CASE_APPROVE,
        names_officers=True,
    ),
    "refuse_filing": Move(
        gettext_lazy("Do not file"),
        ORDINARY,
        frozenset({S.PROPOSED}),
        S.NOT_FILED,
        Action.CASE_APPROVE,
        needs_reason=True,
    ),
    "preserve": Move(
        gettext_lazy("Preserve evidence (先行登记保存)"),
        ORDINARY,
        frozenset({S.INVESTIGATING}),
        None,
        Action.CASE_APPROVE,
        names_officers=True,
    ),
    "decide_preserved": Move(
        gettext_lazy("Decide on preserved evidence"),
        ORDINARY,
        frozenset({S.INVESTIGATING, S.INVESTIGATED}),
        None,
        Action.CASE_INVESTIGATE,
        by_case_officer=True,
        names_officers=True,
    ),
    "end_investigation": Move(
        gettext_lazy("End the investigation (调查终结)"),
        ORDINARY,
        frozenset({S.INVESTIGATING}),
        S.INVESTIGATED,
        Action.CASE_INVESTIGATE,
        by_case_officer=True,
        names_officers=True,
    ),
    "review": Move(
        gettext_lazy("Review (审核)"),
        ORDINARY,
        frozenset({S.INVESTIGATED}),
        S.REVIEWED,
        Action.CASE_APPROVE,
    ),
    "send_back": Move(
        gettext_lazy("Send back for further investigation"),
        ORDINARY,
        frozenset({S.INVESTIGATED, S.REVIEWED, S.LEGAL_REVIEWED, S.DISCUSSED}),
        S.INVESTIGATING,
        Action.CASE_APPROVE,
        needs_reason=True,
    ),
    "legal_review": Move(
        gettext_lazy("Legal review (法制审核)"),
        ORDINARY,
        frozenset({S.REVIEWED, S.HEARD}),
        S.LEGAL_REVIEWED,
        Action.CASE_LEGAL_REVIEW,
    ),
    "legal_return": Move(
        gettext_lazy("Legal review: return for further investigation"),
        ORDINARY,
        frozenset({S.REVIEWED, S.HEARD}),
        S.INVESTIGATING,
        Action.CASE_LEGAL_REVIEW,
        needs_reason=True,
    ),
    "discuss": Move(
        gettext_lazy("Collective discussion (集体讨论)"),
        ORDINARY,
        frozenset({S.REVIEWED, S.LEGAL_REVIEWED, S.HEARD}),
        S.DISCUSSED,
        Action.CASE_DECIDE,
    ),
    "notify": Move(
        gettext_lazy("Serve the prior notice (事先告知)"),
        ORDINARY,
        frozenset({S.REVIEWED, S.LEGAL_REVIEWED, S.DISCUSSED}),
        S.NOTIFIED,
        Action.CASE_INVESTIGATE,
        by_case_officer=True,
        names_officers=True,
    ),
    "record_statement": Move(
        gettext_lazy("Record the party's statement (陈述申辩)"),
        ORDINARY,
        frozenset({S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_SCHEDULED}),
        None,
        Action.CASE_INVESTIGATE,
        by_party=True,
    ),
    "waive_rights": Move(
        gettext_lazy("Party waives statement and hearing"),
        ORDINARY,
        frozenset({S.NOTIFIED}),
        None,
        Action.CASE_INVESTIGATE,
    ),
    "request_hearing": Move(
        gettext_lazy("Party requests a hearing"),
        ORDINARY,
        frozenset({S.NOTIFIED}),
        S.HEARING_REQUESTED,
        Action.CASE_INVESTIGATE,
        by_party=True,
    ),
    "schedule_hearing": Move(
        gettext_lazy("Schedule the hearing"),
        ORDINARY,
        frozenset({S.HEARING_REQUESTED}),
        S.HEARING_SCHEDULED,
        Action.CASE_APPROVE,
    ),
    "hold_hearing": Move(
        gettext_lazy("Record the hearing"),
        ORDINARY,
        frozenset({S.HEARING_SCHEDULED}),
        S.HEARD,
        Action.CASE_APPROVE,
    ),
    "extend_decision": Move(
        gettext_lazy("Extend the decision period"),
        ORDINARY,
        UNDECIDED,
        None,
        Action.CASE_DECIDE,
        needs_reason=True,
    ),
    "decide": Move(
        gettext_lazy("Decide (作出决定)"),
        ORDINARY,
        DECIDABLE,
        S.DECIDED,
        Action.CASE_DECIDE,
    ),
    "withdraw": Move(
        gettext_lazy("Withdraw the case (撤案)"),
        ORDINARY,
        UNDECIDED,
        S.WITHDRAWN,
        Action.CASE_DECIDE,
        needs_reason=True,
    ),
    "transfer": Move(
        gettext_lazy("Transfer to another authority (移送)"),
        ORDINARY,
        UNDECIDED,
        S.TRANSFERRED,
        Action.CASE_DECIDE,
        needs_reason=True,
    ),
    "serve": Move(
        gettext_lazy("Serve the decision (送达)"),
        ORDINARY,
        frozenset({S.DECIDED}),
        S.SERVED,
        Action.CASE_INVESTIGATE,
        names_officers=True,
    ),
    "defer_payment": Move(
        gettext_lazy("Approve deferred or instalment payment"),
        BOTH,
        frozenset({S.SERVED}),
        None,
        Action.CASE_DECIDE,
        needs_reason=True,
    ),
    "record_payment": Move(
        gettext_lazy("Record the bank receipt"),
        BOTH,
        frozenset({S.SERVED, S.COURT_APPLIED}),
        None,
        Action.CASE_INVESTIGATE,
    ),
    "record_remedy": Move(
        gettext_lazy("Record a reconsideration or lawsuit (复议/诉讼)"),
        BOTH,
        frozenset({S.SERVED}),
        None,
        Action.CASE_APPROVE,
    ),
    "record_remedy_result": Move(
        gettext_lazy("Record the result of a reconsideration or lawsuit"),
        BOTH,
        frozenset({S.SERVED, S.COURT_APPLIED, S.CLOSED, S.ARCHIVED}),
        None,
        Action.CASE_APPROVE,
    ),
    "remind": Move(
        gettext_lazy("Serve a reminder (催告)"),
        BOTH,
        frozenset({S.SERVED}),
        None,
        Action.CASE_INVESTIGATE,
        names_officers=True,
    ),
    "apply_to_court": Move(
        gettext_lazy("Apply to the court for enforcement"),
        BOTH,
        frozenset({S.SERVED}),
        S.COURT_APPLIED,
        Action.CASE_DECIDE,
    ),
    "close": Move(
        gettext_lazy("Close (结案)"),
        BOTH,
        frozenset({S.SERVED, S.COURT_APPLIED}),
        S.CLOSED,
        Action.CASE_APPROVE,
    ),
    "archive": Move(
        gettext_lazy("Archive (归档)"),
        BOTH,
        frozenset({S.CLOSED, S.NOT_FILED, S.WITHDRAWN, S.TRANSFERRED}),
        S.ARCHIVED,
        Action.CASE_APPROVE,
    ),
}


# Each verb's input, beyond ``reason``: the fields the step reads.
INPUTS: dict[str, tuple[str, ...]] = {
    "decide_on_the_spot": (
        "penalty_kinds",
        "fine",
        "party_informed",
        "collect_on_the_spot",
        "hard_to_enforce",
        "receipt",
    ),
    "preserve": ("items",),
    "decide_preserved": ("decision",),
    "end_investigation": ("penalty_kinds", "fine"),
    "legal_review": ("opinion", "points"),
    "discuss": ("minutes",),
    "record_statement": ("text",),
    "schedule_hearing": ("hearing_at", "presider"),
    "hold_hearing": ("transcript",),
    "decide": ("outcome", "penalty_kinds", "fine", "education_note"),
    "serve": ("method",),
    "defer_payment": ("applied_on", "pay_by", "instalments"),
    "record_payment": ("paid_on", "amount", "bank_receipt"),
    "record_remedy": ("started_on", "ended_on"),
    "record_remedy_result": ("result", "result_on", "body", "reference"),
}
