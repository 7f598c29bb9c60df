"""The demo's patrols (issue 14) on the demo city: the grid officers' shifts of the last
30 working days with tracks inside their grids, one officer on duty now; made through
the patrol services, so the coverage table has figures to show."""

import datetime
import zoneinfo

import pytest

from yangguang.core.demo import demo_city_load
from yangguang.core.demo_patrol import DAYS_BACK, create_demo_patrols
from yangguang.org.enums import PostCode
from yangguang.org.models import User
from yangguang.patrol.models import DutyShift, Position
from yangguang.patrol.selectors import grid_figures, on_duty

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert demo_city_load().created is True
    # Whether or not core/demo.py already makes them, start from none.
    Position.objects.all().delete()
    DutyShift.objects.all().delete()


def test_demo_patrols(demo):
    created = create_demo_patrols(NOW.date(), now=NOW)
    assert created > 10
    assert DutyShift.objects.count() == created
    assert create_demo_patrols(NOW.date(), now=NOW) == 0  # once only

    first_day = NOW.date() - datetime.timedelta(days=DAYS_BACK)
    assert not DutyShift.objects.filter(started_at__date__lt=first_day).exists()
    assert {shift.user.posts.get().code for shift in DutyShift.objects.all()} == {
        PostCode.INSPECTOR
    }
    # Fixes fall inside the officers' own grids.
    own = sum(
        Position.objects.filter(shift__user=user, grid__in=user.grids.all()).count()
        for user in User.objects.filter(duty_shifts__isnull=False).distinct()
    )
    assert own >= 0.9 * Position.objects.count()

    # One officer on duty now, with a track of the last two hours.
    [open_shift] = DutyShift.objects.filter(ended_at__isnull=True)
    assert open_shift.started_at == NOW - datetime.timedelta(hours=2)
    assert open_shift.positions.count() == 24
    leader = User.objects.filter(posts__code=PostCode.LEADER).first()
    [row] = on_duty(leader)
    assert row.last.at == NOW

    figures = grid_figures(
        viewer=leader,
        first_day=first_day,
        last_day=NOW.date(),
        now=NOW,
    )
    covered = [row for row in figures if row.rates.covered]
    assert covered
    assert all(0 < row.rates.coverage <= 1 for row in covered)
    assert any(row.rates.on_duty_rate and row.rates.on_duty_rate > 0.3 for row in figures)
