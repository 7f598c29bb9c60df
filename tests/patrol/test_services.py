"""Duty start and end, and the positions a phone shares: only on duty, checked, spaced."""

import datetime

import pytest

from tests.patrol.helpers import MONDAY, fix
from yangguang.grids.models import Grid
from yangguang.org.enums import PostCode
from yangguang.patrol.fixes import PatrolError
from yangguang.patrol.models import DutyShift, EndReason, Position
from yangguang.patrol.services import duty_end, duty_start, positions_add, shifts_end_overlong
from yangguang.records.models import RecordEntry

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def inspector(city):
    return city.people[PostCode.INSPECTOR]


def test_start_and_end_of_duty_are_recorded_in_the_chain(inspector):
    shift = duty_start(user=inspector, now=MONDAY)
    assert shift.is_open
    assert shift.started_at == MONDAY
    ended = duty_end(user=inspector, now=MONDAY + 60 * MINUTE)
    assert ended.ended_at == MONDAY + 60 * MINUTE
    assert ended.end_reason == EndReason.USER
    entries = RecordEntry.objects.filter(object_type="patrol.dutyshift", object_id=str(shift.pk))
    assert list(entries.order_by("sequence").values_list("action", flat=True)) == [
        "patrol.duty.start",
        "patrol.duty.end",
    ]
    # Positions never go into the chain, which keeps everything for ever.
    assert all("lon" not in entry.changes for entry in entries)


def test_one_open_shift_per_user(inspector):
    duty_start(user=inspector, now=MONDAY)
    with pytest.raises(PatrolError) as refused:
        duty_start(user=inspector, now=MONDAY + MINUTE)
    assert refused.value.code == "already_on_duty"
    assert DutyShift.objects.count() == 1


def test_the_database_refuses_a_second_open_shift(inspector):
    from django.db import IntegrityError, transaction

    DutyShift.objects.create(user=inspector, started_at=MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyShift.objects.create(user=inspector, started_at=MONDAY + MINUTE)


def test_only_patrol_staff_go_on_duty(city):
    with pytest.raises(PatrolError) as refused:
        duty_start(user=city.people[PostCode.DISPATCHER], now=MONDAY)
    assert refused.value.code == "not_patrol_staff"


def test_ending_without_duty_is_refused(inspector):
    with pytest.raises(PatrolError) as refused:
        duty_end(user=inspector, now=MONDAY)
    assert refused.value.code == "not_on_duty"


def test_positions_are_refused_off_duty(inspector):
    with pytest.raises(PatrolError) as refused:
        positions_add(user=inspector, fixes=[fix(MONDAY)], now=MONDAY)
    assert refused.value.code == "not_on_duty"
    duty_start(user=inspector, now=MONDAY)
    duty_end(user=inspector, now=MONDAY + 10 * MINUTE)
    with pytest.raises(PatrolError):
        positions_add(user=inspector, fixes=[fix(MONDAY + 5 * MINUTE)], now=MONDAY + 11 * MINUTE)
    assert not Position.objects.exists()


def test_positions_are_stored_with_their_grid(inspector):
    shift = duty_start(user=inspector, now=MONDAY)
    result = positions_add(
        user=inspector,
        fixes=[fix(MONDAY + MINUTE, 0), fix(MONDAY + 2 * MINUTE, 1), fix(MONDAY + 3 * MINUTE, 5)],
        now=MONDAY + 4 * MINUTE,
    )
    assert result.as_dict() == {"accepted": 3, "ignored": 0, "rejected": []}
    grids = [p.grid.code if p.grid else None for p in shift.positions.order_by("at")]
    assert grids == ["370899001001001", "370899001001002", None]
    assert Grid.objects.count() == 2


def test_fixes_closer_than_the_interval_are_ignored(inspector, settings):
    settings.POSITION_MIN_INTERVAL_SECONDS = 30
    duty_start(user=inspector, now=MONDAY)
    seconds = datetime.timedelta(seconds=1)
    first = positions_add(
        user=inspector,
        fixes=[fix(MONDAY + 10 * seconds), fix(MONDAY + 20 * seconds), fix(MONDAY + 45 * seconds)],
        now=MONDAY + MINUTE,
    )
    assert (first.accepted, first.ignored) == (2, 1)
    # The next post is spaced from the last stored fix.
    second = positions_add(user=inspector, fixes=[fix(MONDAY + 50 * seconds)], now=MONDAY + MINUTE)
    assert (second.accepted, second.ignored) == (0, 1)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"lon": float("nan"), "lat": 35.4, "at": 0}, "bad_coordinates"),
        ({"lon": float("inf"), "lat": 35.4, "at": 0}, "bad_coordinates"),
        ({"lon": 181, "lat": 35.4, "at": 0}, "bad_coordinates"),
        ({"lon": 116.6, "lat": -91, "at": 0}, "bad_coordinates"),
        ({"lon": "116.6", "lat": 35.4, "at": 0}, "bad_coordinates"),
        ({"lon": True, "lat": 35.4, "at": 0}, "bad_coordinates"),
        ({"lon": 116.6, "lat": 35.4, "accuracy": -1, "at": 0}, "bad_accuracy"),
        ({"lon": 116.6, "lat": 35.4, "accuracy": 1e9, "at": 0}, "too_imprecise"),
        ({"lon": 116.6, "lat": 35.4, "at": "2026-11-23T09:05\x00"}, "bad_time"),
        ({"lon": 116.6, "lat": 35.4, "at": "2026-11-23T09:05:00"}, "bad_time"),  # no offset
        ({"lon": 116.6, "lat": 35.4, "at": 1e300}, "bad_time"),
        ({"lon": 116.6, "lat": 35.4}, "bad_time"),
        ("116.6,35.4", "not_a_fix"),
        (None, "not_a_fix"),
    ],
)
def test_odd_fixes_are_refused_one_by_one(inspector, raw, code):
    duty_start(user=inspector, now=MONDAY)
    result = positions_add(
        user=inspector, fixes=[raw, fix(MONDAY + MINUTE)], now=MONDAY + 2 * MINUTE
    )
    assert result.accepted == 1
    assert [(r["index"], r["code"]) for r in result.rejected] == [(0, code)]


def test_times_outside_the_shift_are_refused_and_small_skew_forgiven(inspector):
    duty_start(user=inspector, now=MONDAY)
    now = MONDAY + 10 * MINUTE
    result = positions_add(
        user=inspector,
        fixes=[
            fix(MONDAY - 5 * MINUTE),  # before duty
            fix(now + 10 * MINUTE),  # in the future
            fix(MONDAY - datetime.timedelta(seconds=30)),  # a phone's clock a little behind
            {**fix(now), "at": "2026-11-23T09:08:00+08:00"},  # ISO with offset
        ],
        now=now,
    )
    assert [r["code"] for r in result.rejected] == ["before_duty", "in_the_future"]
    assert result.accepted == 2
    assert Position.objects.order_by("at").first().at == MONDAY


def test_batches_are_limited(inspector, settings):
    settings.POSITION_BATCH_MAX = 50
    duty_start(user=inspector, now=MONDAY)
    cases = (([], "no_fixes"), ("x", "no_fixes"), ([fix(MONDAY)] * 51, "too_many_fixes"))
    for fixes, code in cases:
        with pytest.raises(PatrolError) as refused:
            positions_add(user=inspector, fixes=fixes, now=MONDAY + MINUTE)
        assert refused.value.code == code


def test_a_late_phone_sends_fifty_fixes_at_once(inspector, settings):
    settings.POSITION_MIN_INTERVAL_SECONDS = 30
    duty_start(user=inspector, now=MONDAY)
    fixes = [fix(MONDAY + i * MINUTE) for i in range(50)]
    result = positions_add(user=inspector, fixes=fixes, now=MONDAY + 60 * MINUTE)
    assert result.accepted == 50


def test_the_worker_ends_shifts_after_the_maximum_length(inspector, city, settings):
    settings.DUTY_MAX_HOURS = 12
    shift = duty_start(user=inspector, now=MONDAY)
    other = duty_start(user=city.people[PostCode.OFFICER], now=MONDAY + 5 * 60 * MINUTE)
    assert shifts_end_overlong(now=MONDAY + 11 * 60 * MINUTE) == 0
    assert shifts_end_overlong(now=MONDAY + 13 * 60 * MINUTE) == 1
    shift.refresh_from_db()
    other.refresh_from_db()
    assert shift.ended_at == MONDAY + 12 * 60 * MINUTE
    assert shift.end_reason == EndReason.MAXIMUM
    assert other.is_open
    entry = RecordEntry.objects.filter(action="patrol.duty.end").get()
    assert entry.actor_id is None


def test_a_phone_whose_clock_is_a_year_behind_still_places_its_fixes(inspector):
    """The phone sends its own time with the batch; the server corrects the fixes by
    the difference (a wrong phone clock is common)."""
    duty_start(user=inspector, now=MONDAY)
    now = MONDAY + 4 * MINUTE
    behind = datetime.timedelta(days=365)
    result = positions_add(
        user=inspector,
        fixes=[fix(MONDAY + 3 * MINUTE - behind, 0)],
        sent_at=(now - behind).isoformat(),
        now=now,
    )
    assert result.as_dict() == {"accepted": 1, "ignored": 0, "rejected": []}
    assert Position.objects.get().at == MONDAY + 3 * MINUTE
