"""Positions are kept POSITION_RETENTION_DAYS (个人信息保护法 art 19): the worker's purge
deletes older ones and forgets where old shifts started and ended, keeping their times."""

import datetime

from tests.patrol.helpers import MONDAY, fix, inside
from yangguang.org.enums import PostCode
from yangguang.patrol.models import DutyShift, Position
from yangguang.patrol.services import (
    duty_end,
    duty_start,
    patrol_housekeeping,
    positions_add,
    positions_purge,
)

DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)


def shift_with_fixes(user, start):
    lon, lat = inside(0)
    duty_start(user=user, lon=lon, lat=lat, now=start)
    positions_add(
        user=user, fixes=[fix(start + MINUTE), fix(start + 2 * MINUTE)], now=start + 3 * MINUTE
    )
    duty_end(user=user, lon=lon, lat=lat, now=start + 4 * MINUTE)


def test_purge_deletes_positions_past_retention_and_keeps_the_shifts(city, settings):
    settings.POSITION_RETENTION_DAYS = 90
    inspector = city.people[PostCode.INSPECTOR]
    shift_with_fixes(inspector, MONDAY - 100 * DAY)
    shift_with_fixes(inspector, MONDAY - 10 * DAY)
    assert Position.objects.count() == 4
    assert positions_purge(now=MONDAY) == 2
    assert Position.objects.filter(at__lt=MONDAY - 90 * DAY).count() == 0
    assert Position.objects.count() == 2
    old, recent = DutyShift.objects.order_by("started_at")
    assert old.started_at == MONDAY - 100 * DAY
    assert old.ended_at == MONDAY - 100 * DAY + 4 * MINUTE
    assert (old.start_lon, old.start_lat, old.end_lon, old.end_lat) == (None, None, None, None)
    assert recent.start_lon is not None
    assert recent.end_lon is not None
    assert positions_purge(now=MONDAY) == 0  # idempotent


def test_housekeeping_is_one_call_for_the_worker(city, settings):
    settings.POSITION_RETENTION_DAYS = 90
    settings.DUTY_MAX_HOURS = 12
    inspector = city.people[PostCode.INSPECTOR]
    shift_with_fixes(inspector, MONDAY - 100 * DAY)
    duty_start(user=inspector, now=MONDAY - DAY)
    assert patrol_housekeeping(now=MONDAY) == {"ended": 1, "purged": 2}
    assert patrol_housekeeping(now=MONDAY) == {"ended": 0, "purged": 0}


def test_the_worker_round_calls_the_housekeeping(city, time_machine, monkeypatch):
    from django.core.management import call_command

    from yangguang.core.management.commands import worker

    # The round closes stale connections: not the test's own, inside its transaction.
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    time_machine.move_to(MONDAY, tick=False)
    inspector = city.people[PostCode.INSPECTOR]
    duty_start(user=inspector, now=MONDAY - 2 * DAY)
    call_command("worker", once=True)
    assert not DutyShift.objects.filter(ended_at__isnull=True).exists()
