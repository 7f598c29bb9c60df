"""The 数字城管 evaluation (docs/command-centre.md; CJ/T 292 / GB/T 30428.4 model): each
rate and the 综合指标值 on a hand-computed fixture, the bureau's weights, rankings with
their change, a period boundary across the National Day holiday, and every figure's
link listing exactly what it counts."""

import datetime
from decimal import Decimal
from itertools import count

import pytest
import time_machine
from django.core.exceptions import ValidationError

from yangguang.analytics.evaluation import (
    DEFAULT_WEIGHTS,
    composite,
    evaluate,
    totals,
    weights_for,
    weights_set,
)
from yangguang.analytics.models import Subject
from yangguang.analytics.periods import (
    PeriodCodeError,
    PeriodKind,
    period_containing,
    period_from_code,
)
from yangguang.org.enums import PostCode
from yangguang.reports.deadlines import deadlines_from
from yangguang.reports.enums import (
    Channel,
    DeadlineState,
    DisposalMode,
    Rating,
    ReportKind,
    Status,
)
from yangguang.reports.models import Report
from yangguang.worktime.calendar import SHANGHAI
from yangguang.worktime.selectors import work_calendar

SEPTEMBER = period_containing(PeriodKind.MONTH, datetime.date(2026, 9, 1))
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
numbers = count(1)


def at(month, day, hour=10, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def report(city, *, community, unit, received, **facts):
    values = {
        "kind": ReportKind.PROBLEM,
        "channel": Channel.WEB,
        "status": Status.DISPATCHED,
        "category": city.lamp,
        "description": "路灯不亮",
        "public_summary": "路灯不亮",
        "street": city.org.street,
        "community": community,
        "unit": unit,
        **facts,
    }
    if values["status"] == Status.SUBMITTED:
        values["public_summary"] = ""
    return Report.objects.create(
        tracking_number=f"T{next(numbers):08d}", created_at=received, **values
    )


@pytest.fixture
def september(city):
    """Community 1 (市政处): A on time and satisfied, B late, reworked and unsatisfied,
    C received on 30 September and handled on 8 October — on time, because its two
    working days run over the holiday. Community 2 (第一中队): D overdue, E not
    registered. F, received on 1 October, belongs to October."""
    org = city.org
    one, two = org.community1, org.community2
    closed = {"status": Status.CLOSED, "public_reply": "已处理"}
    reports = {}
    reports["A"] = report(
        city, community=one, unit=org.municipal, received=at(9, 10), **closed,
        dispatched_at=at(9, 10, 11), deadline=at(9, 14, 18), handled_at=at(9, 11),
        closed_at=at(9, 12), rating=Rating.SATISFIED, disposal_mode=DisposalMode.SERVICE,
    )  # fmt: skip
    reports["B"] = report(
        city, community=one, unit=org.municipal, received=at(9, 12), **closed,
        dispatched_at=at(9, 12, 11), deadline=at(9, 15, 18), handled_at=at(9, 17),
        closed_at=at(9, 18), rating=Rating.UNSATISFIED, rework_count=1,
        disposal_mode=DisposalMode.MANAGEMENT,
    )  # fmt: skip
    dispatched = at(9, 30, 16, 30)
    _warn, deadline = deadlines_from(dispatched, None, calendar=work_calendar())
    reports["C"] = report(
        city, community=one, unit=org.municipal, received=at(9, 30, 16), status=Status.HANDLED,
        dispatched_at=dispatched, deadline=deadline, handled_at=at(10, 8, 10),
        disposal_mode=DisposalMode.SERVICE,
    )  # fmt: skip
    reports["D"] = report(
        city, community=two, unit=org.squadron1, received=at(9, 15), status=Status.IN_PROGRESS,
        dispatched_at=at(9, 15, 11), deadline=at(9, 17, 18),
        deadline_state=DeadlineState.OVERDUE,
    )  # fmt: skip
    reports["E"] = report(
        city, community=two, unit=None, received=at(9, 20), status=Status.REJECTED,
        public_reply="不属于城管职责",
    )  # fmt: skip
    reports["F"] = report(city, community=one, unit=org.municipal, received=at(10, 1))
    reports["deadline_C"] = deadline
    return reports


def test_the_holiday_fixture_really_spans_the_holiday(september):
    """Two working days from 30 September end after the National Day holiday; counted
    in natural days, C would be late."""
    assert september["deadline_C"].date() > datetime.date(2026, 10, 7)
    assert september["C"].handled_at - september["C"].dispatched_at > datetime.timedelta(days=2)


def test_each_rate_of_community_1_as_computed_by_hand(september, city):
    rows = {row.label: row for row in evaluate(Subject.COMMUNITY, SEPTEMBER)}
    one = rows["一社区"]
    figures = {code: figure.value for code, figure in one.figures.items()}
    assert figures["registered"] == 3  # A, B, C (F is October's)
    assert figures["due_handling"] == 3
    assert figures["handled_on_time"] == 2  # A and C (over the holiday)
    assert figures["due_closing"] == 2  # A and B
    rates = {code: figure.value for code, figure in one.rates.items()}
    assert rates == {
        "handling_on_time_rate": Decimal("66.67"),
        "handling_rate": Decimal("100.00"),
        "rework_rate": Decimal("33.33"),
        "closing_rate": Decimal("100.00"),
        "closing_on_time_rate": Decimal("50.00"),
        "satisfaction_rate": Decimal("50.00"),
        "feedback_rate": Decimal("100.00"),
    }
    # (40×50 + 20×100 + 10×66.67 + 5×100 + 10×(100−33.33) + 10×50 + 5×100) / 100
    assert one.composite == Decimal("68.33")


def test_rates_without_a_denominator_leave_the_composite(september):
    """Community 2: D overdue and unhandled, E rejected and answered. No rework or
    satisfaction rate exists; the composite is over the other five weights."""
    rows = {row.label: row for row in evaluate(Subject.COMMUNITY, SEPTEMBER)}
    two = rows["二社区"]
    rates = {code: figure.value for code, figure in two.rates.items()}
    assert rates["rework_rate"] is None
    assert rates["satisfaction_rate"] is None
    assert rates["closing_rate"] == Decimal("0.00")
    assert rates["feedback_rate"] == Decimal("100.00")
    assert two.composite == Decimal("6.25")  # 5 × 100 / (40 + 20 + 10 + 5 + 5)
    assert [row.rank for row in evaluate(Subject.COMMUNITY, SEPTEMBER)] == [1, 2]


def test_the_bureaus_weights_change_the_composite_and_the_ranking(september, city):
    leader = city.people[PostCode.LEADER]
    weights_set(
        subject=Subject.COMMUNITY,
        weights={code: Decimal(0) for code in DEFAULT_WEIGHTS} | {"feedback_rate": Decimal(1)},
        actor=leader,
    )
    rows = evaluate(Subject.COMMUNITY, SEPTEMBER)
    assert [(row.composite, row.rank) for row in rows] == [
        (Decimal("100.00"), 1),
        (Decimal("100.00"), 1),
    ]
    # The sub-district's weights are its own.
    assert weights_for(Subject.STREET) == DEFAULT_WEIGHTS


@pytest.mark.parametrize(
    "weights",
    [
        {"feedback_rate": Decimal(-1)},
        {"feedback_rate": Decimal(101)},
        {"feedback_rate": "NaN"},
        {"feedback_rate": "一"},
        {code: Decimal(0) for code in DEFAULT_WEIGHTS},
    ],
)
def test_bad_weights_are_refused_and_nothing_is_saved(city, weights):
    with pytest.raises(ValidationError):
        weights_set(subject=Subject.UNIT, weights=weights, actor=city.people[PostCode.LEADER])
    assert weights_for(Subject.UNIT) == DEFAULT_WEIGHTS


def test_composite_of_no_rate_is_none():
    assert composite({"closing_rate": None}, DEFAULT_WEIGHTS) is None


def test_units_and_the_period_after(september, city):
    units = {row.label: row for row in evaluate(Subject.UNIT, SEPTEMBER)}
    assert set(units) == {"市政处", "第一中队"}
    october = evaluate(Subject.UNIT, SEPTEMBER.next())
    (municipal,) = october
    assert municipal.figures["received"].value == 1  # F
    assert municipal.previous_rank == 1
    assert municipal.rank_change == 0


def test_the_whole_bureau(september):
    whole = totals(SEPTEMBER)
    assert whole.figures["received"].value == 5
    assert whole.figures["registered"].value == 4


def test_every_figure_links_to_exactly_the_reports_it_counts(september, city, client):
    client.force_login(city.people[PostCode.LEADER])
    rows = evaluate(Subject.COMMUNITY, SEPTEMBER) + evaluate(Subject.UNIT, SEPTEMBER)
    rows.append(totals(SEPTEMBER))
    checked = 0
    for row in rows:
        for figure in list(row.figures.values()) + list(row.rates.values()):
            response = client.get(figure.url)
            assert response.status_code == 200
            listed = response.context["page"].paginator.count
            if figure in row.figures.values():
                assert listed == figure.value, figure.url
            checked += 1
    assert checked > 40


def test_a_rates_link_lists_its_numerator(september, city, client):
    client.force_login(city.people[PostCode.LEADER])
    one = next(r for r in evaluate(Subject.COMMUNITY, SEPTEMBER) if r.label == "一社区")
    response = client.get(one.rates["closing_on_time_rate"].url)
    assert [r.tracking_number for r in response.context["page"]] == [september["A"].tracking_number]


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026-11", datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)),
        ("2026-Q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        ("2028-02", datetime.date(2028, 2, 1), datetime.date(2028, 2, 29)),
    ],
)
def test_periods(code, start, end):
    period = period_from_code(code)
    assert (period.start, period.end, period.code) == (start, end, code)


@pytest.mark.parametrize(
    "code", ["", "2026-13", "2026-Q5", "０２６-01", "26-1", "2026-1\x00", "0000"]
)
def test_odd_periods_are_refused(code):
    with pytest.raises(PeriodCodeError):
        period_from_code(code)


def test_rankings_page_pins_now(september, city, client):
    client.force_login(city.people[PostCode.LEADER])
    with time_machine.travel(NOW, tick=False):
        page = client.get("/staff/command/rankings/?subject=community&period=2026-09")
    assert page.status_code == 200
    assert "68.33" in page.content.decode()
