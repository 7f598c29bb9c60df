"""Watching the procedure's deadlines: the worker warns the case's officers through the
outbox a working day before a deadline, and the officers and the unit's approvers once
it has passed; the deadline board lists what is running, soonest first."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases.enums import DISCLOSURE_DEADLINES, DeadlineState
from yangguang.cases.models import Case, CaseDeadline
from yangguang.notify.services import message_enqueue
from yangguang.org.enums import PostCode
from yangguang.org.models import User
from yangguang.org.selectors import scope_filter
from yangguang.worktime.calendar import add_working_days
from yangguang.worktime.selectors import work_calendar


def deadline_open(
    *, case: Case, kind: str, article: str, started_at: datetime.datetime, due_at: datetime.datetime
) -> CaseDeadline:
    """Start the case's deadline of this kind (a running one of the same kind is replaced)."""
    CaseDeadline.objects.filter(case=case, kind=kind, state=DeadlineState.OPEN).update(
        state=DeadlineState.CANCELLED
    )
    return CaseDeadline.objects.create(
        case=case, kind=kind, article=article, started_at=started_at, due_at=due_at
    )


def deadlines_meet(*, case: Case, kinds: Iterable[str], now: datetime.datetime) -> None:
    """The deadlines of these kinds are met now (missed, if after they fell due)."""
    for deadline in CaseDeadline.objects.filter(
        case=case, kind__in=list(kinds), state=DeadlineState.OPEN
    ):
        deadline.state = DeadlineState.MET if now <= deadline.due_at else DeadlineState.MISSED
        deadline.met_at = now
        deadline.save(update_fields=["state", "met_at"])


def deadlines_cancel(*, case: Case, kinds: Iterable[str]) -> None:
    """The deadlines of these kinds no longer apply."""
    CaseDeadline.objects.filter(case=case, kind__in=list(kinds), state=DeadlineState.OPEN).update(
        state=DeadlineState.CANCELLED
    )


def deadlines_running_for(user: User) -> QuerySet[CaseDeadline]:
    """Open deadlines of the cases in the user's scope, soonest first (the board)."""
    return (
        CaseDeadline.objects.filter(state=DeadlineState.OPEN)
        .filter(scope_filter(user=user, unit_field="case__unit"))
        .select_related("case", "case__unit")
        .order_by("due_at")
    )


def light(deadline: CaseDeadline, now: datetime.datetime) -> str:
    """overdue (red) when passed, warning (yellow) within a working day, else normal —
    the classes of the report loop's lights."""
    if now > deadline.due_at:
        return "overdue"
    if deadline.warned_at or add_working_days(now, 1, calendar=work_calendar()) >= deadline.due_at:
        return "warning"
    return "normal"


def _officers(case: Case) -> list[User]:
    return [officer.user for officer in case.officers.select_related("user")]


def _approvers(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, unit=case.unit, posts__code=PostCode.SQUAD_LEADER
        ).distinct()
    )


def _legal_office() -> list[User]:
    return list(User.objects.filter(is_active=True, posts__code=PostCode.LEGAL_REVIEWER).distinct())


def _warned(deadline: CaseDeadline) -> list[User]:
    """Who answers for the deadline: the legal office for publication and withdrawal
    (国办发〔2018〕118号 puts it in charge of disclosure), else the case's officers."""
    if deadline.kind in DISCLOSURE_DEADLINES:
        return _legal_office()
    return _officers(deadline.case)


def _tell(users: list[User], body: str) -> int:
    phones = {user.phone for user in users if user.phone}
    for phone in sorted(phones):
        message_enqueue(phone=phone, body=body, purpose="case_deadline")
    return len(phones)


def case_deadlines_check(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Warn once before each deadline and once when it passes. Idempotent."""
    now = now or timezone.now()
    soon = add_working_days(now, 1, calendar=work_calendar())
    counts = {"warned": 0, "overdue": 0}
    running = CaseDeadline.objects.filter(state=DeadlineState.OPEN)
    for deadline_id in running.filter(warned_at__isnull=True, due_at__lte=soon).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            deadline = (
                CaseDeadline.objects.select_for_update().select_related("case").get(pk=deadline_id)
            )
            if deadline.warned_at or deadline.state != DeadlineState.OPEN:
                continue
            deadline.warned_at = now
            deadline.save(update_fields=["warned_at"])
            _tell(
                _warned(deadline),
                _("Case %(number)s: “%(kind)s” is due %(due)s (%(article)s).")
                % {
                    "number": deadline.case.number,
                    "kind": deadline.get_kind_display(),
                    "due": timezone.localtime(deadline.due_at).strftime("%m-%d %H:%M"),
                    "article": deadline.article,
                },
            )
            counts["warned"] += 1
    for deadline_id in running.filter(overdue_at__isnull=True, due_at__lt=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            deadline = (
                CaseDeadline.objects.select_for_update()
                .select_related("case", "case__unit")
                .get(pk=deadline_id)
            )
            if deadline.overdue_at or deadline.state != DeadlineState.OPEN:
                continue
            deadline.overdue_at = now
            deadline.save(update_fields=["overdue_at"])
            _tell(
                _warned(deadline) + _approvers(deadline.case),
                _("Case %(number)s: “%(kind)s” is overdue since %(due)s (%(article)s).")
                % {
                    "number": deadline.case.number,
                    "kind": deadline.get_kind_display(),
                    "due": timezone.localtime(deadline.due_at).strftime("%m-%d %H:%M"),
                    "article": deadline.article,
                },
            )
            counts["overdue"] += 1
    return counts
