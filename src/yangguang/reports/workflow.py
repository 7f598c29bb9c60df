"""The report loop as one explicit state machine (reference.md §1.5).

``MOVES`` is the table: each verb, the statuses it may start from, where it leads and
the post-matrix action it needs. ``report_transition`` is the only function that changes
a report's status: it locks the row, checks the table, the actor's right and scope and
the verb's own guard, applies the change, records it in the chain and queues the
messages — all in one transaction. A refused move raises ``TransitionRefused`` with a
reason the page shows and the API returns with HTTP 409.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core import events
from yangguang.org.models import Unit, User
from yangguang.org.rules import Action, permission_name
from yangguang.records.diff import changes_between, snapshot
from yangguang.records.services import record_append
from yangguang.reports import tally
from yangguang.reports.deadlines import deadlines_from, extended, limit_of
from yangguang.reports.enums import (
    DeadlineState,
    Decision,
    DisposalMode,
    Rating,
    ReportKind,
    RequestKind,
    Status,
)
from yangguang.reports.feedback import reply_delivery_problem, reply_to_reporters
from yangguang.reports.models import DelayRequest, Report, ReportNote, ReportPhoto
from yangguang.reports.photos import PHOTO_VERBS, photos_attach, photos_check
from yangguang.reports.public import public_summary_clean, public_summary_default
from yangguang.worktime.enums import TimeLimitUnit
from yangguang.worktime.selectors import work_calendar

S = Status


class TransitionRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """A move the table, the post matrix or a rule of the loop does not allow."""

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Move:
    label: Promise
    sources: frozenset[str]
    target: str
    action: Action
    needs_reason: bool = False
    # Handling-unit verbs: only staff of the unit the report is dispatched to.
    by_assigned_unit: bool = False
    # Verification verbs: only the grid's inspectors.
    by_grid_inspector: bool = False
    extra: dict = field(default_factory=dict)


MOVES: dict[str, Move] = {
    "accept": Move(
        gettext_lazy("Register"), frozenset({S.SUBMITTED}), S.REGISTERED, Action.REPORT_ACCEPT
    ),
    "reject": Move(
        gettext_lazy("Do not register"),
        frozenset({S.SUBMITTED}),
        S.REJECTED,
        Action.REPORT_ACCEPT,
        needs_reason=True,
    ),
    "void": Move(
        gettext_lazy("Void"),
        frozenset({S.SUBMITTED}),
        S.VOID,
        Action.REPORT_ACCEPT,
        needs_reason=True,
    ),
    "answer": Move(
        gettext_lazy("Answer and close"), frozenset({S.SUBMITTED}), S.CLOSED, Action.REPORT_ACCEPT
    ),
    "merge": Move(
        gettext_lazy("Merge into another report"),
        frozenset({S.SUBMITTED, S.REGISTERED}),
        S.MERGED,
        Action.REPORT_ACCEPT,
    ),
    "dispatch": Move(
        gettext_lazy("Dispatch"),
        frozenset({S.REGISTERED, S.RETURNED}),
        S.DISPATCHED,
        Action.REPORT_DISPATCH,
    ),
    "return": Move(
        gettext_lazy("Return to the dispatcher"),
        frozenset({S.DISPATCHED}),
        S.RETURNED,
        Action.REPORT_HANDLE,
        needs_reason=True,
        by_assigned_unit=True,
    ),
    "claim": Move(
        gettext_lazy("Take on"),
        frozenset({S.DISPATCHED}),
        S.IN_PROGRESS,
        Action.REPORT_HANDLE,
        by_assigned_unit=True,
    ),
    "request_delay": Move(
        gettext_lazy("Ask for an extension"),
        frozenset({S.IN_PROGRESS}),
        S.DELAY_REQUESTED,
        Action.REPORT_HANDLE,
        needs_reason=True,
        by_assigned_unit=True,
    ),
    "request_shelve": Move(
        gettext_lazy("Ask to shelve"),
        frozenset({S.IN_PROGRESS}),
        S.SHELVE_REQUESTED,
        Action.REPORT_HANDLE,
        needs_reason=True,
        by_assigned_unit=True,
    ),
    "approve_delay": Move(
        gettext_lazy("Approve the extension"),
        frozenset({S.DELAY_REQUESTED}),
        S.IN_PROGRESS,
        Action.REPORT_APPROVE_DELAY,
    ),
    "refuse_delay": Move(
        gettext_lazy("Refuse the extension"),
        frozenset({S.DELAY_REQUESTED}),
        S.IN_PROGRESS,
        Action.REPORT_APPROVE_DELAY,
        needs_reason=True,
    ),
    "approve_shelve": Move(
        gettext_lazy("Approve shelving"),
        frozenset({S.SHELVE_REQUESTED}),
        S.SHELVED,
        Action.REPORT_APPROVE_DELAY,
    ),
    "refuse_shelve": Move(
        gettext_lazy("Refuse shelving"),
        frozenset({S.SHELVE_REQUESTED}),
        S.IN_PROGRESS,
        Action.REPORT_APPROVE_DELAY,
        needs_reason=True,
    ),
    "resume": Move(
        gettext_lazy("Resume handling"),
        frozenset({S.SHELVED}),
        S.IN_PROGRESS,
        Action.REPORT_APPROVE_DELAY,
    ),
    "handle": Move(
        gettext_lazy("Report the handling done"),
        frozenset({S.IN_PROGRESS}),
        S.HANDLED,
        Action.REPORT_HANDLE,
        by_assigned_unit=True,
    ),
    "hand_over": Move(
        gettext_lazy("Hand over to an enforcement case"),
        frozenset({S.IN_PROGRESS}),
        S.HANDLED,
        Action.REPORT_HANDLE,
        by_assigned_unit=True,
    ),
    "verify_pass": Move(
        gettext_lazy("Verified on site"),
        frozenset({S.HANDLED}),
        S.VERIFIED,
        Action.REPORT_VERIFY,
        by_grid_inspector=True,
    ),
    "verify_fail": Move(
        gettext_lazy("Not fixed: send back for rework"),
        frozenset({S.HANDLED}),
        S.IN_PROGRESS,
        Action.REPORT_VERIFY,
        needs_reason=True,
        by_grid_inspector=True,
    ),
    "close": Move(gettext_lazy("Close"), frozenset({S.VERIFIED}), S.CLOSED, Action.REPORT_CLOSE),
    "reopen": Move(
        gettext_lazy("Reopen"),
        frozenset({S.CLOSED}),
        S.REGISTERED,
        Action.REPORT_CLOSE,
        needs_reason=True,
    ),
}

# Every (from, to) pair the loop allows; anything else is refused.
ALLOWED_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    (source, move.target) for move in MOVES.values() for source in move.sources
)

RECORDED_FIELDS = [
    "status",
    "kind",
    "category",
    "unit",
    "deadline",
    "result",
    "disposal_mode",
    "case_reference",
    "rework_count",
    "reopen_count",
    "delay_count",
    "merged_into",
    "public_reply",
    "public_summary",
]


def _refuse(reason: str, code: str = "refused") -> None:
    raise TransitionRefused(reason, code)


def _check_actor(report: Report, move: Move, actor: User) -> None:
    if not actor.has_perm(permission_name(move.action)):
        _refuse(
            _("Your post may not do this (%(action)s).") % {"action": move.action.label},
            "not_permitted",
        )
    if move.by_assigned_unit:
        unit = report.unit
        if unit is None or actor.unit_id is None or not actor.unit.path.startswith(unit.path):
            _refuse(
                _("Only staff of %(unit)s, the unit it is dispatched to, may do this.")
                % {"unit": unit or "—"},
                "not_assigned",
            )
    if move.by_grid_inspector and report.grid_id:
        grid = report.grid
        in_squadron = (
            grid.squadron_id and actor.unit_id and actor.unit.path.startswith(grid.squadron.path)
        )
        if not (grid.officers.filter(pk=actor.pk).exists() or in_squadron):
            _refuse(
                _("Only the inspectors of grid %(grid)s may verify it.") % {"grid": grid.code},
                "not_grid_inspector",
            )


@dataclass
class Context:
    report: Report
    actor: User
    now: datetime.datetime
    reason: str
    data: dict
    updated: set[str] = field(default_factory=set)

    def set(self, **values) -> None:
        for name, value in values.items():
            setattr(self.report, name, value)
            self.updated.add(name)

    def note(self, text: str, *, public: bool = False) -> None:
        ReportNote.objects.create(
            report=self.report, author=self.actor, text=text, is_public=public, created_at=self.now
        )


def _decimal(value: object, *, field_name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0:
        _refuse(_("Give the %(field)s as a positive number.") % {"field": field_name}, "invalid")
    return amount


# --- What each verb does beyond changing the status --------------------------------------


def _accept(ctx: Context) -> None:
    """Registration (受理) approves the public summary with it: the operator's text, or
    the proposal (category and location) when none is given or the proposal for the
    report's category was left as it was and another category chosen
    (个人信息保护法 art 6; 等保2.0 8.1.4.10)."""
    if ctx.report.kind != ReportKind.PROBLEM:
        _refuse(_("Questions and suggestions are answered, not registered."), "wrong_kind")
    category = ctx.data.get("category") or ctx.report.category
    if category is None:
        _refuse(_("Choose the category before registering."), "category_required")
    given = " ".join(str(ctx.data.get("public_summary") or "").split())
    if not given or given == public_summary_default(ctx.report):
        summary = public_summary_default(ctx.report, category=category)
    else:
        summary = public_summary_clean(report=ctx.report, text=given)
    ctx.set(category=category, public_summary=summary)


def _reject(ctx: Context) -> None:
    reply_to_reporters(ctx.report, text=ctx.reason, actor=ctx.actor, now=ctx.now)
    ctx.updated |= {"public_reply", "replied_at"}


def _answer(ctx: Context) -> None:
    if ctx.report.kind == ReportKind.PROBLEM:
        _refuse(_("A problem is registered and dispatched, not only answered."), "wrong_kind")
    text = str(ctx.data.get("reply") or "").strip()
    if not text:
        _refuse(_("Write the answer to the reporter."), "reply_required")
    reply_to_reporters(ctx.report, text=text, actor=ctx.actor, now=ctx.now)
    ctx.set(closed_at=ctx.now)
    ctx.updated |= {"public_reply", "replied_at"}


def _merge(ctx: Context) -> None:
    master = ctx.data.get("into")
    if not isinstance(master, Report) or master.pk == ctx.report.pk:
        _refuse(_("Choose the report to merge into."), "merge_target_required")
    master = Report.objects.select_for_update().get(pk=master.pk)
    if master.status in {S.CLOSED, S.REJECTED, S.VOID, S.MERGED}:
        _refuse(
            _("%(number)s is finished; merge into an open report.") % {"number": master},
            "merge_target_closed",
        )
    moved = list(ctx.report.reporters.all())
    ctx.report.reporters.update(report=master)
    ctx.set(merged_into=master)
    record_append(
        action="report.merged_in",
        target=master,
        actor=ctx.actor,
        changes={"merged": [None, ctx.report.tracking_number], "reporters": [None, len(moved)]},
    )


def _dispatch(ctx: Context) -> None:
    unit = ctx.data.get("unit") or ctx.report.proposed_unit
    if not isinstance(unit, Unit) or not unit.is_active:
        _refuse(_("Choose the unit to dispatch to."), "unit_required")
    if ctx.report.category is None:
        _refuse(_("Choose the category before dispatching."), "category_required")
    warn_at, deadline = deadlines_from(ctx.now, ctx.report.category, calendar=work_calendar())
    ctx.set(
        unit=unit,
        dispatched_at=ctx.now,
        warn_at=warn_at,
        deadline=deadline,
        deadline_state=DeadlineState.NORMAL,
    )


def _return(ctx: Context) -> None:
    ctx.set(unit=None, warn_at=None, deadline=None, deadline_state=DeadlineState.NORMAL)


def _request(kind: str) -> Callable[[Context], None]:
    def apply(ctx: Context) -> None:
        amount = None
        if kind == RequestKind.DELAY:
            amount = _decimal(ctx.data.get("amount"), field_name=_("extra time"))
            if (
                limit_of(ctx.report.category)[1] == TimeLimitUnit.WORKING_DAYS
                and amount != amount.to_integral()
            ):
                _refuse(_("An extension in working days must be a whole number."), "invalid")
        DelayRequest.objects.create(
            report=ctx.report,
            kind=kind,
            reason=ctx.reason,
            amount=amount,
            requested_by=ctx.actor,
            requested_at=ctx.now,
        )

    return apply


def _pending_request(ctx: Context, kind: str) -> DelayRequest:
    request = ctx.report.delay_requests.filter(kind=kind, decision=Decision.PENDING).first()
    if request is None:
        _refuse(_("There is no pending request to decide."), "no_request")
    return request


def _decide(kind: str, decision: str) -> Callable[[Context], None]:
    def apply(ctx: Context) -> None:
        request = _pending_request(ctx, kind)
        request.decision = decision
        request.decided_by = ctx.actor
        request.decided_at = ctx.now
        request.decision_note = ctx.reason
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        if kind == RequestKind.DELAY and decision == Decision.APPROVED:
            calendar = work_calendar()
            ctx.set(
                deadline=extended(
                    ctx.report.deadline or ctx.now,
                    request.amount,
                    ctx.report.category,
                    calendar=calendar,
                ),
                delay_count=ctx.report.delay_count + 1,
                deadline_state=DeadlineState.NORMAL,
            )
        if kind == RequestKind.SHELVE and decision == Decision.APPROVED:
            # The clock stops while shelved (挂账); resuming starts a full new limit.
            ctx.set(warn_at=None, deadline=None, deadline_state=DeadlineState.NORMAL)

    return apply


def _resume(ctx: Context) -> None:
    warn_at, deadline = deadlines_from(ctx.now, ctx.report.category, calendar=work_calendar())
    ctx.set(warn_at=warn_at, deadline=deadline, deadline_state=DeadlineState.NORMAL)


def _handle(ctx: Context) -> None:
    result = str(ctx.data.get("result") or "").strip()
    mode = ctx.data.get("disposal_mode") or ""
    if not result:
        _refuse(_("Describe what was done."), "result_required")
    if mode not in DisposalMode.values:
        _refuse(
            _("Choose how it was solved: service, management or enforcement (721)."),
            "mode_required",
        )
    ctx.set(result=result, disposal_mode=mode, handled_at=ctx.now)


def _hand_over(ctx: Context) -> None:
    category = ctx.report.category
    if category is None or not category.can_lead_to_case:
        _refuse(
            _("Reports of this category do not lead to enforcement cases."), "not_case_category"
        )
    reference = str(ctx.data.get("case_reference") or "").strip()
    result = str(ctx.data.get("result") or "").strip() or _("Handed over to an enforcement case.")
    ctx.set(
        result=result,
        disposal_mode=DisposalMode.ENFORCEMENT,
        case_reference=reference[:64],
        handled_at=ctx.now,
    )


def _verify_fail(ctx: Context) -> None:
    # Rework keeps the original deadline: the unit had it already.
    ctx.set(rework_count=ctx.report.rework_count + 1, handled_at=None)


def _close(ctx: Context) -> None:
    problem = reply_delivery_problem(ctx.report)
    if problem:
        _refuse(problem, "reply_missing")
    ctx.set(closed_at=ctx.now)


def _reopen(ctx: Context) -> None:
    if ctx.report.kind != ReportKind.PROBLEM:
        _refuse(_("Only problems can be reopened."), "wrong_kind")
    if ctx.report.rating != Rating.UNSATISFIED:
        _refuse(
            _("Only a report the reporter was not satisfied with can be reopened."),
            "not_unsatisfied",
        )
    if ctx.report.reopen_count >= 1:
        _refuse(_("A report can be reopened only once."), "reopened_already")
    ctx.set(
        reopen_count=ctx.report.reopen_count + 1,
        unit=None,
        deadline=None,
        warn_at=None,
        deadline_state=DeadlineState.NORMAL,
        closed_at=None,
        result="",
        disposal_mode="",
    )


APPLY: dict[str, Callable[[Context], None]] = {
    "accept": _accept,
    "reject": _reject,
    "void": lambda ctx: None,
    "answer": _answer,
    "merge": _merge,
    "dispatch": _dispatch,
    "return": _return,
    "claim": lambda ctx: None,
    "request_delay": _request(RequestKind.DELAY),
    "request_shelve": _request(RequestKind.SHELVE),
    "approve_delay": _decide(RequestKind.DELAY, Decision.APPROVED),
    "refuse_delay": _decide(RequestKind.DELAY, Decision.REFUSED),
    "approve_shelve": _decide(RequestKind.SHELVE, Decision.APPROVED),
    "refuse_shelve": _decide(RequestKind.SHELVE, Decision.REFUSED),
    "resume": _resume,
    "handle": _handle,
    "hand_over": _hand_over,
    "verify_pass": lambda ctx: None,
    "verify_fail": _verify_fail,
    "close": _close,
    "reopen": _reopen,
}


def _photo_name(photo: ReportPhoto) -> str:
    return f"{photo.evidence.original_name} ({photo.evidence.sha256[:12]})"


def _photos_required(report: Report, verb: str) -> bool:
    category = report.category
    if category is None:
        return False
    if verb == "handle":
        return category.after_photo_required
    return category.verification_photo_required


def _take_photos(ctx: Context, verb: str, photos: list, rework_round: int) -> list[ReportPhoto]:
    """The step's photos, required by the category's rule (after-photo at 处置, photo at
    核查 where configured), stored in the step's transaction."""
    if not photos and _photos_required(ctx.report, verb):
        if verb == "handle":
            _refuse(
                _(
                    "Take at least one after-photo (处置后照片) showing the problem solved: "
                    "category %(category)s requires it."
                )
                % {"category": ctx.report.category},
                "photo_required",
            )
        _refuse(
            _("Take at least one photo at the verification: category %(category)s requires it.")
            % {"category": ctx.report.category},
            "photo_required",
        )
    return photos_attach(
        report=ctx.report,
        photos=photos,
        stage=PHOTO_VERBS[verb],
        verb=verb,
        rework_round=rework_round,
        actor=ctx.actor,
        now=ctx.now,
    )


def status_label(status: str) -> str:
    return str(Status(status).label)


def report_transition(
    *,
    report: Report,
    verb: str,
    actor: User,
    reason: str = "",
    now: datetime.datetime | None = None,
    **data,
) -> Report:
    """Move ``report`` by ``verb``. See the module docstring.

    ``photos`` (uploaded files) go with handle (after-photos, required unless the
    category says otherwise) and verify_pass/verify_fail (required where the category
    says so); at most ``photos.PHOTOS_MAX``, photos only (ValidationError otherwise,
    before anything is written).

    Side effects: a ``report.<verb>`` record entry (with the reason; for accept, the
    approved public summary among its changes; the photos' hashes); for reject and
    answer, the reply to every reporter (outbox); for merge, the reporters move to the
    other report; the photos stored as evidence of the report.
    """
    move = MOVES.get(verb)
    if move is None:
        raise TransitionRefused(_("Unknown action “%(verb)s”.") % {"verb": verb}, "unknown_verb")
    reason = reason.strip()
    photos = list(data.pop("photos", None) or [])
    if photos and verb not in PHOTO_VERBS:
        _refuse(_("This step takes no photos."), "photos_not_taken")
    photos_check(photos)
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update(of=("self",))
            .select_related("category", "unit", "grid", "grid__squadron")
            .get(pk=report.pk)
        )
        if locked.status not in move.sources:
            _refuse(
                _("Cannot %(verb)s a report that is “%(status)s”.")
                % {"verb": move.label, "status": status_label(locked.status)},
                "wrong_status",
            )
        _check_actor(locked, move, actor)
        if move.needs_reason and not reason:
            _refuse(_("Give the reason."), "reason_required")
        before = snapshot(locked, RECORDED_FIELDS)
        rework_round = locked.rework_count
        ctx = Context(locked, actor, now or timezone.now(), reason, data)
        APPLY[verb](ctx)
        taken = _take_photos(ctx, verb, photos, rework_round) if verb in PHOTO_VERBS else []
        ctx.set(status=move.target)
        if reason and verb not in {"reject"}:
            ctx.note(reason)
        locked.save(update_fields=sorted(ctx.updated | {"updated_at"}))
        changes = changes_between(before, snapshot(locked, RECORDED_FIELDS))
        if taken:
            # "evidence" is a field name the timeline labels (records.presenters).
            changes["evidence"] = [None, [_photo_name(photo) for photo in taken]]
        entry = record_append(
            action=f"report.{verb}",
            target=locked,
            actor=actor,
            changes=changes,
            reason=reason,
            evidence=[photo.evidence.sha256 for photo in taken],
        )
        tally.step_counted(entry)
        if verb == "verify_pass":
            events.announce(events.REPORT_VERIFIED, report=locked, actor=actor, now=ctx.now)
    return locked
