"""Indicators (reference.md §1.7): 结案率 = 结案数/应结案数, 按期结案率, 返工率, 延期率,
反馈率, 满意率 and the 721 shares."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.reports.helpers import submit
from yangguang.org.enums import PostCode
from yangguang.reports.enums import DeadlineState, DisposalMode, Rating, ReportKind, Status
from yangguang.reports.indicators import indicators, indicators_by
from yangguang.reports.models import Report


def test_rates_follow_their_definitions(city, time_machine):
    """Six problems: 3 closed (2 on time), 1 overdue, 1 in progress before its deadline,
    1 rejected; one question answered."""
    time_machine.move_to(datetime.datetime(2026, 11, 18, 9, 30, tzinfo=datetime.UTC), tick=False)
    now = timezone.now()
    made = [submit(city)[0] for _ in range(6)]
    question, _ = submit(city, kind=ReportKind.CONSULTATION, category=None)
    past, future = now - datetime.timedelta(days=1), now + datetime.timedelta(days=3)
    closed = {"status": Status.CLOSED, "public_reply": "已处理", "dispatched_at": past}
    Report.objects.filter(pk=made[0].pk).update(
        **closed,
        deadline=future,
        handled_at=past,
        disposal_mode=DisposalMode.SERVICE,
        rating=Rating.SATISFIED,
    )
    Report.objects.filter(pk=made[1].pk).update(
        **closed,
        deadline=future,
        handled_at=past,
        disposal_mode=DisposalMode.MANAGEMENT,
        rework_count=1,
        rating=Rating.UNSATISFIED,
    )
    Report.objects.filter(pk=made[2].pk).update(
        **closed,
        deadline=past - datetime.timedelta(days=1),
        handled_at=past,
        disposal_mode=DisposalMode.ENFORCEMENT,
        delay_count=1,
    )
    # Past its deadline: the worker has turned its light red (reports.services).
    Report.objects.filter(pk=made[3].pk).update(
        status=Status.IN_PROGRESS,
        deadline=past,
        dispatched_at=past,
        deadline_state=DeadlineState.OVERDUE,
    )
    Report.objects.filter(pk=made[4].pk).update(
        status=Status.IN_PROGRESS, deadline=future, dispatched_at=past
    )
    Report.objects.filter(pk=made[5].pk).update(
        status=Status.REJECTED, public_reply="不属于城管职责"
    )
    Report.objects.filter(pk=question.pk).update(status=Status.CLOSED, public_reply="已答复")

    result = indicators(Report.objects.all())
    assert result.counts["received"] == 7
    assert result.counts["registered"] == 5
    assert result.counts["due"] == 4  # 3 closed + 1 overdue
    assert result.closing_rate == Decimal("75.00")
    assert result.on_time_rate == Decimal("50.00")
    assert result.rework_rate == Decimal("33.33")
    assert result.extension_rate == Decimal("20.00")
    assert result.feedback_rate == Decimal("100.00")
    assert result.satisfaction_rate == Decimal("50.00")
    assert result.shares_721 == {
        "service": Decimal("33.33"),
        "management": Decimal("33.33"),
        "enforcement": Decimal("33.33"),
    }


def test_rates_of_nothing_are_none(db):
    result = indicators(Report.objects.none())
    assert (result.closing_rate, result.feedback_rate) == (None, None)


def test_indicators_by_street(city):
    submit(city)
    rows = indicators_by(Report.objects.all(), by="street")
    assert [(row.label, row.counts["received"]) for row in rows] == [("东街道", 1)]


def test_indicators_page_shows_the_users_scope(client, city):
    submit(city)
    client.force_login(city.people[PostCode.LEADER])
    response = client.get(reverse("backoffice:indicators"), {"by": "grid"})
    assert response.status_code == 200
    assert response.context["total"].counts["received"] == 1
    client.force_login(city.people[PostCode.SYSTEM_ADMIN])
    assert client.get(reverse("backoffice:indicators")).status_code == 403
