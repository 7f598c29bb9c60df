"""Writes of patrol duty: explicit start and end of duty (recorded in the chain), the
positions a phone shares while on duty, the worker's housekeeping (shifts past the
maximum length ended, positions past the retention period deleted), and the record
of each look at positions.

Positions themselves never enter the record chain: the chain keeps everything for
ever, positions only ``POSITION_RETENTION_DAYS`` (个人信息保护法 art 19).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.grids.selectors import grid_index
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.patrol.fixes import (
    PatrolError,
    fix_in_shift,
    fix_read,
    fix_shifted,
    fixes_spaced,
    phone_clock_offset,
)
from yangguang.patrol.models import DutyShift, EndReason, Position
from yangguang.records.enums import PersonalKind
from yangguang.records.models import RecordEntry
from yangguang.records.registry import Target, target_for
from yangguang.records.services import record_append

# A viewer polling the on-duty map is recorded once per this window, not per poll.
VIEW_RECORD_WINDOW = datetime.timedelta(minutes=10)


def _point(lon: float | None, lat: float | None) -> tuple[float | None, float | None]:
    """An optional start or end point: kept only when it is a valid fix."""
    if lon is None or lat is None:
        return None, None
    try:
        fix = fix_read({"lon": lon, "lat": lat, "at": 0})
    except PatrolError:
        return None, None
    return fix.lon, fix.lat


@transaction.atomic
def duty_start(
    *,
    user: User,
    lon: float | None = None,
    lat: float | None = None,
    now: datetime.datetime | None = None,
) -> DutyShift:
    """Put ``user`` on duty: from now on their phone may share its position."""
    if not allowed(user, Action.REPORT_PATROL):
        raise PatrolError("not_patrol_staff", _("Only patrol staff go on patrol duty."))
    now = now or timezone.now()
    if DutyShift.objects.filter(user=user, ended_at__isnull=True).exists():
        raise PatrolError("already_on_duty", _("You are already on duty."))
    start_lon, start_lat = _point(lon, lat)
    try:
        with transaction.atomic():
            shift = DutyShift.objects.create(
                user=user, started_at=now, start_lon=start_lon, start_lat=start_lat
            )
    except IntegrityError as exc:  # a second start at the same moment
        raise PatrolError("already_on_duty", _("You are already on duty.")) from exc
    record_append(
        action="patrol.duty.start",
        target=shift,
        actor=user,
        changes={"started_at": [None, now]},
    )
    return shift


def _end(shift: DutyShift, *, at: datetime.datetime, reason: str, actor: User | None) -> None:
    shift.ended_at = at
    shift.end_reason = reason
    shift.save(update_fields=["ended_at", "end_reason", "end_lon", "end_lat"])
    record_append(
        action="patrol.duty.end",
        target=shift,
        actor=actor,
        changes={"ended_at": [None, at], "end_reason": [None, reason]},
    )


@transaction.atomic
def duty_end(
    *,
    user: User,
    lon: float | None = None,
    lat: float | None = None,
    now: datetime.datetime | None = None,
) -> DutyShift:
    """End ``user``'s duty: their phone stops sharing, later positions are refused."""
    now = now or timezone.now()
    shift = DutyShift.objects.select_for_update().filter(user=user, ended_at__isnull=True).first()
    if shift is None:
        raise PatrolError("not_on_duty", _("You are not on duty."))
    shift.end_lon, shift.end_lat = _point(lon, lat)
    _end(shift, at=max(now, shift.started_at), reason=EndReason.USER, actor=user)
    return shift


@dataclass
class PositionsResult:
    accepted: int = 0
    ignored: int = 0  # closer than the minimum interval to the previous fix
    rejected: list[dict] = field(default_factory=list)  # {"index", "code", "message"}

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "ignored": self.ignored, "rejected": self.rejected}


@transaction.atomic
def positions_add(
    *,
    user: User,
    fixes: object,
    sent_at: object = None,
    now: datetime.datetime | None = None,
) -> PositionsResult:
    """Store the fixes a phone sends for ``user``'s open shift (a late phone sends
    several at once). Refused as a whole (PatrolError) off duty, or when ``fixes`` is
    not a list or too long; a bad fix is refused alone, named by its index. ``sent_at``,
    the phone's own time when sending, corrects the fixes' times for a phone whose
    clock is wrong."""
    now = now or timezone.now()
    offset = phone_clock_offset(sent_at, now=now)
    if not isinstance(fixes, list) or not fixes:
        raise PatrolError("no_fixes", _("Send a non-empty list of positions."))
    if len(fixes) > settings.POSITION_BATCH_MAX:
        raise PatrolError(
            "too_many_fixes",
            _("At most %(count)d positions at once.") % {"count": settings.POSITION_BATCH_MAX},
        )
    shift = DutyShift.objects.select_for_update().filter(user=user, ended_at__isnull=True).first()
    if shift is None:
        raise PatrolError(
            "not_on_duty", _("You are not on duty: positions are shared only on duty.")
        )
    result = PositionsResult()
    good = []
    for index, raw in enumerate(fixes):
        try:
            fix = fix_shifted(fix_read(raw), offset)
            good.append(fix_in_shift(fix, started_at=shift.started_at, now=now))
        except PatrolError as error:
            result.rejected.append({"index": index, **error.as_dict()})
    last = shift.positions.order_by("-at").values_list("at", flat=True).first()
    interval = datetime.timedelta(seconds=settings.POSITION_MIN_INTERVAL_SECONDS)
    kept, result.ignored = fixes_spaced(good, last=last, interval=interval)
    index = grid_index()
    Position.objects.bulk_create(
        Position(
            shift=shift,
            at=fix.at,
            lon=fix.lon,
            lat=fix.lat,
            accuracy_m=fix.accuracy_m,
            grid_id=index.locate(fix.lon, fix.lat),
        )
        for fix in kept
    )
    result.accepted = len(kept)
    return result


def shifts_end_overlong(*, now: datetime.datetime | None = None) -> int:
    """End every shift open longer than ``DUTY_MAX_HOURS`` (someone forgot to press
    结束值守), at the moment the maximum was reached. Returns how many."""
    now = now or timezone.now()
    limit = datetime.timedelta(hours=settings.DUTY_MAX_HOURS)
    ended = 0
    for shift_id in DutyShift.objects.filter(
        ended_at__isnull=True, started_at__lte=now - limit
    ).values_list("pk", flat=True):
        with transaction.atomic():
            shift = (
                DutyShift.objects.select_for_update()
                .filter(pk=shift_id, ended_at__isnull=True)
                .first()
            )
            if shift is None:
                continue
            _end(shift, at=shift.started_at + limit, reason=EndReason.MAXIMUM, actor=None)
            ended += 1
    return ended


@transaction.atomic
def positions_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete positions older than ``POSITION_RETENTION_DAYS`` and forget where old
    shifts started and ended; the shifts' times stay. Returns the positions deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.POSITION_RETENTION_DAYS)
    deleted, _by_model = Position.objects.filter(at__lt=cutoff).delete()
    DutyShift.objects.filter(started_at__lt=cutoff, start_lon__isnull=False).update(
        start_lon=None, start_lat=None
    )
    DutyShift.objects.filter(ended_at__lt=cutoff, end_lon__isnull=False).update(
        end_lon=None, end_lat=None
    )
    return deleted


def patrol_housekeeping(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The worker's round: overlong shifts ended, expired positions deleted."""
    now = now or timezone.now()
    return {"ended": shifts_end_overlong(now=now), "purged": positions_purge(now=now)}


ON_DUTY_TARGET = "patrol.onduty"


@transaction.atomic
def positions_view_record(
    *,
    viewer: User,
    shift: DutyShift | None = None,
    what: str,
    now: datetime.datetime | None = None,
) -> RecordEntry | None:
    """Record that ``viewer`` was shown positions: a shift's track (``shift``) or who is
    on duty where (no shift). The same look repeated within ``VIEW_RECORD_WINDOW`` (a
    map refreshing itself) is recorded once; returns None then."""
    now = now or timezone.now()
    if shift is not None:
        target = target_for(shift)
        changes = {"view": [None, what], "person": [None, shift.user.name]}
        personal = {"person": PersonalKind.NAME}
    else:
        target = Target(ON_DUTY_TARGET, what[:64], str(_("Staff on patrol duty")), viewer.unit)
        changes = {"view": [None, what]}
        personal = {}
    seen = RecordEntry.objects.filter(
        action="patrol.positions.view",
        actor_id=viewer.pk,
        object_type=target.object_type,
        object_id=target.object_id,
        recorded_at__gte=now - VIEW_RECORD_WINDOW,
    ).exists()
    if seen:
        return None
    return record_append(
        action="patrol.positions.view",
        target=target,
        actor=viewer,
        changes=changes,
        personal=personal,
    )
