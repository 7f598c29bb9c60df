"""Time limits of reports on the working calendar (reference.md §1.6): 工作日, 工作时 and
紧急工作时, the yellow light at 80 %, the red light when overdue."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.reports.helpers import deliver, submit
from yangguang.categories.models import Category
from yangguang.notify.models import Message
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.reports.deadlines import deadlines_from
from yangguang.reports.enums import DeadlineState, Status
from yangguang.reports.models import Report
from yangguang.reports.services import deadlines_check
from yangguang.reports.workflow import report_transition
from yangguang.worktime.selectors import work_calendar

SH = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SH)


def limited(amount: str, unit: str) -> Category:
    return Category(limit_amount=Decimal(amount), limit_unit=unit)


@pytest.mark.django_db
def test_one_working_day_across_national_day():
    """Dispatched on 9-30: 10-1…10-7 are off, so one working day ends on 10-8."""
    warn, deadline = deadlines_from(
        at(2026, 9, 30, 10), limited("1", "working_days"), calendar=work_calendar()
    )
    assert deadline == at(2026, 10, 8, 23, 59, 59)
    assert warn == at(2026, 10, 8, 16, 6)  # 80 % of 10-8's 7 working hours = 5.6 h


@pytest.mark.django_db
def test_working_hours_skip_the_holiday_and_count_the_make_up_saturday():
    calendar = work_calendar()
    _warn, deadline = deadlines_from(
        at(2026, 9, 30, 16, 30), limited("4", "working_hours"), calendar=calendar
    )
    assert deadline == at(2026, 10, 8, 12, 0)
    _warn, deadline = deadlines_from(
        at(2026, 10, 9, 17, 0), limited("2", "working_hours"), calendar=calendar
    )
    assert deadline == at(2026, 10, 10, 10, 30)  # 10-10 is the make-up Saturday


@pytest.mark.django_db
def test_emergency_hours_run_through_the_holiday():
    warn, deadline = deadlines_from(
        at(2026, 10, 1, 22, 0), limited("3", "emergency_hours"), calendar=work_calendar()
    )
    assert (warn, deadline) == (at(2026, 10, 2, 0, 24), at(2026, 10, 2, 1, 0))


def dispatched(city):
    report, _ = submit(city)
    report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
    return report_transition(
        report=report,
        verb="dispatch",
        actor=city.people[PostCode.DISPATCHER],
        unit=city.org.municipal,
    )


def test_worker_turns_the_light_yellow_then_red_once_each(city):
    city.org.municipal.phone = "0537-1234567"
    city.org.municipal.save(update_fields=["phone"])
    report = dispatched(city)
    assert deadlines_check(now=report.warn_at - datetime.timedelta(minutes=1)) == {
        "warning": 0,
        "overdue": 0,
    }
    assert deadlines_check(now=report.warn_at + datetime.timedelta(minutes=1)) == {
        "warning": 1,
        "overdue": 0,
    }
    assert deadlines_check(now=report.warn_at + datetime.timedelta(minutes=2)) == {
        "warning": 0,
        "overdue": 0,
    }
    after = report.deadline + datetime.timedelta(minutes=1)
    assert deadlines_check(now=after) == {"warning": 0, "overdue": 1}
    assert deadlines_check(now=after) == {"warning": 0, "overdue": 0}
    assert Report.objects.get(pk=report.pk).deadline_state == DeadlineState.OVERDUE
    assert list(
        RecordEntry.objects.filter(action="report.deadline").values_list("changes", flat=True)
    ) == [{"deadline_state": ["normal", "warning"]}, {"deadline_state": ["warning", "overdue"]}]
    deliver()
    texts = list(Message.objects.filter(purpose="deadline").values_list("phone", flat=True))
    assert texts == ["0537-1234567", "0537-1234567"]


def test_a_report_already_overdue_skips_the_yellow_light(city):
    report = dispatched(city)
    assert deadlines_check(now=report.deadline + datetime.timedelta(days=1)) == {
        "warning": 0,
        "overdue": 1,
    }


def test_a_shelved_report_has_no_running_clock(city):
    report = dispatched(city)
    report_transition(report=report, verb="claim", actor=city.people[PostCode.HANDLER])
    report_transition(
        report=report, verb="request_shelve", actor=city.people[PostCode.HANDLER], reason="等待"
    )
    report_transition(report=report, verb="approve_shelve", actor=city.people[PostCode.SHIFT_LEAD])
    assert Report.objects.get(pk=report.pk).status == Status.SHELVED
    assert deadlines_check(now=report.deadline + datetime.timedelta(days=30)) == {
        "warning": 0,
        "overdue": 0,
    }
