"""信用修复 after the minimum period (一般失信 3 months, 严重 6, counted from the day of the
event — 失信行为纠正后的信用信息修复管理办法; 上海城管 practice), decided by the legal office;
整改 due on the working calendar (行政处罚法 第八十五条's counting), overdue and corrected
events (docs/merchants.md)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.merchants.helpers import at, merchant, shop
from tests.reports.helpers import photo
from yangguang.credit.enums import EventKind, RepairStatus
from yangguang.credit.events import event_record
from yangguang.credit.models import CreditEvent, CreditScheme, CreditScore
from yangguang.credit.repair import add_months, repair_apply, repair_decide, repair_opens_on
from yangguang.merchants.enums import RectificationStatus
from yangguang.merchants.inspections import (
    Finding,
    inspection_record,
    rectification_check,
    rectification_submit,
    rectifications_expire,
)
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db


def overdue_event(owner, *, when, severity="", kind=EventKind.RECTIFICATION_OVERDUE):
    return event_record(
        merchant=owner, kind=kind, source=owner, severity=severity, reason="逾期未整改",
        occurred_at=when, now=when,
    )  # fmt: skip


def test_months_are_counted_to_the_same_day_or_the_months_last():
    assert add_months(at(2026, 8, 31).date(), 6).isoformat() == "2027-02-28"
    assert add_months(at(2026, 11, 30).date(), 3).isoformat() == "2027-02-28"
    assert add_months(at(2026, 1, 15).date(), 3).isoformat() == "2026-04-15"


def test_repair_of_general_dishonesty_is_refused_before_3_months_and_taken_after(city):
    owner = merchant(city)
    event = overdue_event(owner, when=at(2026, 3, 10, 15))
    assert repair_opens_on(event).isoformat() == "2026-06-10"
    with pytest.raises(ValidationError) as refused:
        repair_apply(
            event=event, commitment="保证今后遵守", correction="已清理", now=at(2026, 6, 9, 23)
        )
    assert "2026-06-10" in refused.value.messages[0]
    application = repair_apply(
        event=event,
        commitment="保证今后遵守门前三包责任",
        correction="已清理店外堆放物",
        proof=[photo()],
        now=at(2026, 6, 10, 8),
    )
    assert application.status == RepairStatus.SUBMITTED
    assert len(application.proof) == 1
    with pytest.raises(ValidationError):  # one waiting application per event
        repair_apply(event=event, commitment="再次", correction="再次", now=at(2026, 6, 11))


def test_repair_of_serious_dishonesty_waits_6_months_from_the_decision(city):
    owner = merchant(city)
    event = overdue_event(
        owner, when=at(2026, 9, 30, 11), kind=EventKind.PENALTY_DECIDED, severity="grave"
    )
    assert repair_opens_on(event).isoformat() == "2027-03-30"
    with pytest.raises(ValidationError):
        repair_apply(event=event, commitment="承诺", correction="已纠正", now=at(2027, 3, 29, 12))


def test_positive_events_cannot_be_repaired(city):
    owner = merchant(city)
    event = overdue_event(owner, when=at(2026, 1, 5), kind=EventKind.COMMENDATION)
    assert repair_opens_on(event) is None
    with pytest.raises(ValidationError):
        repair_apply(event=event, commitment="x", correction="x", now=at(2026, 12, 1))


def test_the_legal_office_approves_a_repair_and_the_event_stops_counting(city):
    owner = merchant(city)
    event = overdue_event(owner, when=at(2026, 1, 10))
    assert CreditScore.objects.get(merchant=owner).points == 950
    application = repair_apply(
        event=event, commitment="承诺", correction="已纠正", now=at(2026, 5, 1)
    )
    with pytest.raises(PermissionDenied):
        repair_decide(
            application=application, approve=True, reason="", actor=city.people[PostCode.INSPECTOR]
        )
    with pytest.raises(ValidationError):  # a refusal needs its reason
        repair_decide(
            application=application,
            approve=False,
            reason=" ",
            actor=city.people[PostCode.LEGAL_REVIEWER],
        )
    repair_decide(
        application=application,
        approve=True,
        reason="材料齐全",
        actor=city.people[PostCode.LEGAL_REVIEWER],
        now=at(2026, 5, 6),
    )
    event.refresh_from_db()
    assert event.repaired_at == at(2026, 5, 6)
    assert CreditScore.objects.get(merchant=owner).points == 1000


def failed_inspection(city, front, *, now):
    return inspection_record(
        shop=front,
        findings=[
            Finding("appearance", "无店外经营、占道经营", False, "门前摆放桌椅", [photo()]),
            Finding("sanitation", "地面无垃圾、污水、污迹", True),
            Finding("facilities", "公共设施完好、无占用", True),
        ],
        actor=city.people[PostCode.INSPECTOR],
        now=now,
    )


def test_a_failed_item_needs_a_finding_and_a_photo_and_every_duty_is_checked(city):
    front = shop(city, merchant(city))
    inspector = city.people[PostCode.INSPECTOR]
    with pytest.raises(ValidationError, match="add a photo"):
        inspection_record(
            shop=front,
            findings=[
                Finding("appearance", "无店外经营", False, "桌椅"),
                Finding("sanitation", "地面", True),
                Finding("facilities", "设施", True),
            ],
            actor=inspector,
        )
    with pytest.raises(ValidationError, match="every duty"):
        inspection_record(shop=front, findings=[Finding("appearance", "x", True)], actor=inspector)


def test_rectification_is_due_on_the_third_working_day_across_national_day(city):
    front = shop(city, merchant(city))
    failed_inspection(city, front, now=at(2026, 9, 30, 10))
    rectification = front.rectifications.get()
    # 10-01…10-07 are the holiday; 10-08, 10-09 and the make-up Saturday 10-10 count.
    assert rectification.due_at == at(2026, 10, 10, 23, 59, 59)


def test_self_correction_on_time_costs_nothing_and_earns_the_schemes_points(city):
    owner = merchant(city)
    front = shop(city, owner)
    failed_inspection(city, front, now=at(2026, 11, 2, 10))
    rectification = front.rectifications.get()
    assert CreditScore.objects.get(merchant=owner).points == 1000  # 自行整改不扣分
    rectification_submit(
        rectification=rectification, photos=[photo("after.jpg", size=40)], now=at(2026, 11, 3, 9)
    )
    rectification_check(
        rectification=rectification,
        accepted=True,
        actor=city.people[PostCode.INSPECTOR],
        now=at(2026, 11, 6, 9),
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CORRECTED
    assert CreditEvent.objects.get().kind == EventKind.CORRECTED_ON_TIME
    assert CreditScore.objects.get(merchant=owner).points == 1005


def test_an_overdue_rectification_counts_once_however_often_the_watch_runs(city):
    owner = merchant(city)
    front = shop(city, owner)
    failed_inspection(city, front, now=at(2026, 11, 2, 10))  # Monday → due Thursday 11-05
    assert rectifications_expire(now=at(2026, 11, 5, 23, 59)) == 0
    assert rectifications_expire(now=at(2026, 11, 6, 0, 1)) == 1
    assert rectifications_expire(now=at(2026, 11, 7, 0, 1)) == 0
    assert front.rectifications.get().status == RectificationStatus.OVERDUE
    event = CreditEvent.objects.get()
    assert event.kind == EventKind.RECTIFICATION_OVERDUE
    assert CreditScore.objects.get(merchant=owner).points == 950
    # Corrected late: accepted, but no on-time points.
    rectification = front.rectifications.get()
    rectification_submit(rectification=rectification, photos=[photo()], now=at(2026, 11, 9, 9))
    rectification_check(
        rectification=rectification,
        accepted=True,
        actor=city.people[PostCode.INSPECTOR],
        now=at(2026, 11, 9, 15),
    )
    assert CreditEvent.objects.count() == 1


def test_where_self_correction_is_not_spared_the_failed_item_counts_at_once(city):
    from yangguang.credit.scoring import scheme_save

    scheme = CreditScheme.objects.get(active=True)
    scheme_save(
        code=scheme.code,
        name=scheme.name,
        rules={**scheme.rules, "self_correction_exempt": False},
        note="不再免扣",
        actor=None,
    )
    owner = merchant(city)
    front = shop(city, owner)
    failed_inspection(city, front, now=at(2026, 11, 2, 10))
    assert CreditEvent.objects.get().kind == EventKind.INSPECTION_FAILED
    assert CreditScore.objects.get(merchant=owner).points == 990
