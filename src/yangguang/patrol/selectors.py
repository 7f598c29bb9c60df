"""Reads of duty and positions. Everything here but ``open_shift`` is for viewers with
``VIEW_POSITIONS``, within their data scope (the officer's unit); the views record
each look (services.positions_view_record)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from yangguang.grids.models import Grid
from yangguang.grids.selectors import grids_visible_to
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.org.selectors import scope_filter
from yangguang.patrol.coverage import GridRates, Interval, grid_rates, patrol_slots
from yangguang.patrol.models import DutyShift, Position
from yangguang.records.registry import pk_or_404
from yangguang.worktime.calendar import SHANGHAI
from yangguang.worktime.selectors import work_calendar


def open_shift(user: User) -> DutyShift | None:
    """The user's shift under way, if any."""
    return DutyShift.objects.filter(user=user, ended_at__isnull=True).first()


def shifts_visible_to(viewer: User) -> QuerySet[DutyShift]:
    if not allowed(viewer, Action.VIEW_POSITIONS):
        return DutyShift.objects.none()
    return DutyShift.objects.filter(
        scope_filter(user=viewer, unit_field="user__unit")
    ).select_related("user", "user__unit")


def get_shift_for_user(*, user: User, shift_id: str | int) -> DutyShift:
    try:
        return shifts_visible_to(user).get(pk=pk_or_404(shift_id))
    except DutyShift.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class OnDuty:
    shift: DutyShift
    posts: list[str]
    last: Position | None


def on_duty(viewer: User) -> list[OnDuty]:
    """Who is on duty now in the viewer's scope, with their latest position."""
    latest = Position.objects.filter(shift=OuterRef("pk")).order_by("-at", "-pk").values("pk")[:1]
    shifts = list(
        shifts_visible_to(viewer)
        .filter(ended_at__isnull=True)
        .annotate(last_position_id=Subquery(latest))
        .prefetch_related("user__posts")
        .order_by("user__unit__path", "user__name")
    )
    last = Position.objects.select_related("grid").in_bulk(
        [shift.last_position_id for shift in shifts if shift.last_position_id]
    )
    return [
        OnDuty(
            shift=shift,
            posts=[str(post) for post in shift.user.posts.all()],
            last=last.get(shift.last_position_id),
        )
        for shift in shifts
    ]


def shift_track(shift: DutyShift) -> list[Position]:
    return list(shift.positions.select_related("grid").order_by("at"))


def period_bounds(
    first_day: datetime.date, last_day: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(first_day, datetime.time(), tzinfo=SHANGHAI)
    end = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time(), tzinfo=SHANGHAI
    )
    return start, end


def slots_of(
    *, first_day: datetime.date, last_day: datetime.date, now: datetime.datetime
) -> list[Interval]:
    return patrol_slots(
        first_day=first_day,
        last_day=last_day,
        is_working_day=work_calendar().is_working_day,
        hour_from=settings.PATROL_HOUR_FROM,
        hour_to=settings.PATROL_HOUR_TO,
        tz=SHANGHAI,
        now=now,
    )


def _shifts_between(start: datetime.datetime, end: datetime.datetime) -> Q:
    return Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gt=start))


@dataclass(frozen=True)
class GridFigures:
    grid: Grid
    rates: GridRates
    positions: int


def grid_figures(
    *, viewer: User, first_day: datetime.date, last_day: datetime.date, now: datetime.datetime
) -> list[GridFigures]:
    """巡查覆盖率 and 在岗率 of each grid the viewer sees, for the days given."""
    slots = slots_of(first_day=first_day, last_day=last_day, now=now)
    start, end = period_bounds(first_day, last_day)
    end = min(end, now)
    grids = list(
        grids_visible_to(viewer).prefetch_related(
            Prefetch("officers", queryset=User.objects.only("id"), to_attr="officer_list")
        )
    )
    moments: dict[int, list[datetime.datetime]] = {grid.pk: [] for grid in grids}
    for grid_id, at in Position.objects.filter(
        grid__in=grids, at__gte=start, at__lt=end
    ).values_list("grid_id", "at"):
        moments[grid_id].append(at)
    officer_ids = {officer.pk for grid in grids for officer in grid.officer_list}
    intervals: dict[int, list[Interval]] = {}
    for user_id, started, ended in DutyShift.objects.filter(
        _shifts_between(start, end), user__in=officer_ids
    ).values_list("user_id", "started_at", "ended_at"):
        intervals.setdefault(user_id, []).append((started, ended or now))
    rows = []
    for grid in grids:
        officers = [officer.pk for officer in grid.officer_list]
        rates = grid_rates(
            slots=slots,
            moments=moments[grid.pk],
            officer_shifts={pk: intervals.get(pk, []) for pk in officers},
            officers=len(officers),
        )
        rows.append(GridFigures(grid=grid, rates=rates, positions=len(moments[grid.pk])))
    return rows


def grid_positions(
    *, grid: Grid, first_day: datetime.date, last_day: datetime.date
) -> QuerySet[Position]:
    """The on-duty positions inside ``grid`` during the days (what 巡查覆盖率 counts)."""
    start, end = period_bounds(first_day, last_day)
    return (
        Position.objects.filter(grid=grid, at__gte=start, at__lt=end)
        .select_related("shift__user")
        .order_by("at")
    )


def grid_officer_shifts(
    *, grid: Grid, first_day: datetime.date, last_day: datetime.date
) -> QuerySet[DutyShift]:
    """The shifts of the grid's officers overlapping the days (what 在岗率 counts)."""
    start, end = period_bounds(first_day, last_day)
    return (
        DutyShift.objects.filter(_shifts_between(start, end), user__in=grid.officers.all())
        .select_related("user")
        .order_by("started_at")
    )
