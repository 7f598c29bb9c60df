"""The report loop in public: per sub-district and month, reports received, 结案率,
按期结案率, 满意率 (the definitions of reports.indicators) and the top categories,
computed with a fixed number of queries."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UnitFactory
from tests.grids.test_import import (
    ORIGIN_LAT,
    ORIGIN_LON,
    STEP_LAT,
    STEP_LON,
    collection,
    feature,
    square,
)
from tests.reports.helpers import submit
from yangguang.categories.models import Category
from yangguang.grids.services import grids_import
from yangguang.org.enums import UnitKind
from yangguang.reports.enums import DeadlineState, Rating, Status
from yangguang.reports.models import Report
from yangguang.reports.public_statistics import (
    Month,
    MonthError,
    last_full_month,
    month_parse,
    public_statistics,
)

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 10, 10, tzinfo=SH)
OCTOBER = Month(2026, 10)
# The middle of the third grid (square(2, 0)), in the second sub-district.
WEST_POINT = {"longitude": ORIGIN_LON + 2.5 * STEP_LON, "latitude": ORIGIN_LAT + STEP_LAT / 2}


@pytest.fixture
def two_streets(city):
    west = UnitFactory(
        name="西街道", kind=UnitKind.STREET, parent=city.org.bureau, code="370899002000"
    )
    community = UnitFactory(
        name="西一社区", kind=UnitKind.COMMUNITY, parent=west, code="370899002001"
    )
    grids_import(collection=collection([feature("370899002001001", square(2, 0))]))
    stall = Category.objects.get(standard__code="GB/T 47678.5-2026", kind="event", code="09006")
    return SimpleNamespace(**vars(city), west=west, west_community=community, stall=stall)


def received_at(time_machine, moment, city, **overrides):
    time_machine.move_to(moment, tick=False)
    report, _token = submit(city, **overrides)
    return report


def set_state(report, **values):
    Report.objects.filter(pk=report.pk).update(**values)


@pytest.fixture
def october(two_streets, time_machine):
    """East: three problems in October (closed on time and satisfied; closed late and
    unsatisfied; overdue, received at 23:30 on 31 October, Shanghai time). West: one
    problem in progress before its deadline. One report in September and one in
    November on either side."""
    city = two_streets
    before, after = NOW - datetime.timedelta(days=40), NOW + datetime.timedelta(days=5)
    on_time = received_at(time_machine, datetime.datetime(2026, 10, 1, 0, 5, tzinfo=SH), city)
    late = received_at(time_machine, datetime.datetime(2026, 10, 15, 9, tzinfo=SH), city)
    overdue = received_at(
        time_machine, datetime.datetime(2026, 10, 31, 23, 30, tzinfo=SH), city, category=city.stall
    )
    west = received_at(
        time_machine, datetime.datetime(2026, 10, 20, 9, tzinfo=SH), city, **WEST_POINT
    )
    received_at(time_machine, datetime.datetime(2026, 9, 30, 23, 50, tzinfo=SH), city)
    received_at(time_machine, datetime.datetime(2026, 11, 1, 0, 0, tzinfo=SH), city)
    time_machine.move_to(NOW, tick=False)
    closed = {"status": Status.CLOSED, "public_reply": "已处理", "dispatched_at": before}
    set_state(on_time, **closed, deadline=after, handled_at=before, rating=Rating.SATISFIED)
    set_state(
        late,
        **closed,
        deadline=before,
        handled_at=before + datetime.timedelta(days=1),
        rating=Rating.UNSATISFIED,
    )
    # Past its deadline: the worker has turned its light red (reports.services).
    set_state(
        overdue,
        status=Status.IN_PROGRESS,
        deadline=before,
        dispatched_at=before,
        deadline_state=DeadlineState.OVERDUE,
    )
    set_state(west, status=Status.IN_PROGRESS, deadline=after, dispatched_at=before)
    return city


def test_streets_figures_follow_the_indicator_definitions(october):
    stats = public_statistics(month=OCTOBER, now=NOW)

    east, west = stats.streets
    assert (east.street.name, west.street.name) == ("东街道", "西街道")
    assert east.indicators.counts["received"] == 3
    assert east.indicators.closing_rate == Decimal("66.67")
    assert east.indicators.on_time_rate == Decimal("33.33")
    assert east.indicators.satisfaction_rate == Decimal("50.00")
    assert west.indicators.counts["received"] == 1
    assert (west.indicators.closing_rate, west.indicators.satisfaction_rate) == (None, None)
    assert stats.total.counts["received"] == 4
    assert stats.as_of is None


def test_top_categories_per_street_and_for_the_bureau(october):
    stats = public_statistics(month=OCTOBER, now=NOW)

    east, west = stats.streets
    assert [(item.name, item.count) for item in east.top_categories] == [
        (october.lamp.name, 2),
        (october.stall.name, 1),
    ]
    assert [(item.name, item.count) for item in west.top_categories] == [(october.lamp.name, 1)]
    assert [(item.name, item.count) for item in stats.top_categories] == [
        (october.lamp.name, 3),
        (october.stall.name, 1),
    ]


def test_one_street_only(october):
    stats = public_statistics(month=OCTOBER, street=october.west, now=NOW)

    assert [row.street for row in stats.streets] == [october.west]
    assert stats.total.counts["received"] == 1
    assert stats.unlocated == 0


def test_reports_outside_any_grid_count_in_the_total_only(october, time_machine):
    received_at(
        time_machine,
        datetime.datetime(2026, 10, 5, 9, tzinfo=SH),
        october,
        longitude=None,
        latitude=None,
    )
    time_machine.move_to(NOW, tick=False)

    stats = public_statistics(month=OCTOBER, now=NOW)

    assert stats.total.counts["received"] == 5
    assert stats.unlocated == 1


def test_the_running_month_is_marked_as_of_now(october):
    stats = public_statistics(month=Month(2026, 11), now=NOW)

    assert stats.as_of == NOW
    assert stats.total.counts["received"] == 1


def test_queries_do_not_grow_with_the_reports(october, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        public_statistics(month=OCTOBER, now=NOW)


def test_default_month_is_the_last_full_month():
    assert last_full_month(NOW) == OCTOBER
    assert last_full_month(datetime.datetime(2027, 1, 3, tzinfo=SH)) == Month(2026, 12)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-1", "２０２６-１０", "2026-1０", "1999-12", "2026-12", "x"]
)
def test_bad_months_are_refused_with_a_reason(text):
    with pytest.raises(MonthError):
        month_parse(text, now=NOW)


def test_months_parse():
    assert month_parse(" 2026-10 ", now=NOW) == OCTOBER
    assert month_parse("2026-11", now=NOW) == Month(2026, 11)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2027, 1).previous() == Month(2026, 12)
