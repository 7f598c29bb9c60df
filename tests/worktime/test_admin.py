"""The working calendar in 系统配置: only the system administrator, and every write
through the services."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UnitFactory, UserFactory
from yangguang.org.enums import PostCode, UnitKind
from yangguang.org.models import Unit, User
from yangguang.worktime.enums import DayKind
from yangguang.worktime.models import CalendarYear, SpecialDay, WorkPeriod

D = datetime.date
T = datetime.time


def person(code: PostCode) -> User:
    """A staff account holding one post (no password: the tests log in directly)."""
    unit = Unit.objects.first() or UnitFactory(name="测试局", kind=UnitKind.BUREAU)
    return UserFactory(username=str(code), unit=unit, posts=[code], password=None)


@pytest.fixture
def system_admin(client, db):
    client.force_login(person(PostCode.SYSTEM_ADMIN))
    return client


@pytest.mark.parametrize(
    ("code", "status"),
    [(PostCode.SYSTEM_ADMIN, 200), (PostCode.SECURITY_ADMIN, 403), (PostCode.OFFICER, 302)],
)
def test_calendar_admin_access_follows_the_matrix(client, db, code, status):
    client.force_login(person(code))

    response = client.get(reverse("admin:worktime_calendaryear_changelist"))

    assert response.status_code == status


def test_special_day_admin_adds_day_through_service(system_admin):
    response = system_admin.post(
        reverse("admin:worktime_specialday_add"),
        {"date": "2026-12-31", "kind": DayKind.HOLIDAY, "name": "地方假日"},
    )

    day = SpecialDay.objects.get(date=D(2026, 12, 31))
    assert (response.status_code, day.year.year, day.name) == (302, 2026, "地方假日")


def test_special_day_admin_make_up_day_on_weekday_refused(system_admin):
    """A 调休上班 day must be a weekend day; 2026-12-30 is a Wednesday."""
    response = system_admin.post(
        reverse("admin:worktime_specialday_add"),
        {"date": "2026-12-30", "kind": DayKind.WORKDAY, "name": "补班"},
    )

    assert (
        response.status_code,
        response.context["adminform"].form.errors,
        SpecialDay.objects.filter(date=D(2026, 12, 30)).exists(),
    ) == (
        200,
        {"kind": ["调休上班日必须是星期六或星期日。"]},
        False,
    )


def inline_data(year: CalendarYear, **changes) -> dict[str, str]:
    """The change form of ``year`` as posted unchanged, plus ``changes``."""
    days = list(year.special_days.order_by("date"))
    data = {
        "source": year.source,
        "special_days-TOTAL_FORMS": str(len(days)),
        "special_days-INITIAL_FORMS": str(len(days)),
        "special_days-MIN_NUM_FORMS": "0",
        "special_days-MAX_NUM_FORMS": "1000",
    }
    for index, day in enumerate(days):
        data |= {
            f"special_days-{index}-id": str(day.pk),
            f"special_days-{index}-year": str(year.pk),
            f"special_days-{index}-date": day.date.isoformat(),
            f"special_days-{index}-kind": day.kind,
            f"special_days-{index}-name": day.name,
        }
    return data | changes


def test_calendar_year_admin_inline_edits_through_services(system_admin):
    year = CalendarYear.objects.get(year=2026)
    data = inline_data(
        year,
        **{
            "source": "更正后的通知",
            "special_days-0-DELETE": "on",
            "special_days-1-name": "元旦假期",
            "special_days-TOTAL_FORMS": "40",
            "special_days-39-year": str(year.pk),
            "special_days-39-date": "2026-12-31",
            "special_days-39-kind": DayKind.HOLIDAY,
            "special_days-39-name": "地方假日",
        },
    )

    response = system_admin.post(
        reverse("admin:worktime_calendaryear_change", args=[year.pk]), data
    )

    year.refresh_from_db()
    days = year.special_days.order_by("date")
    assert (
        response.status_code,
        year.source,
        days.count(),
        str(days.first()),
        str(days.last()),
    ) == (302, "更正后的通知", 39, "2026-01-02 元旦假期", "2026-12-31 地方假日")


def test_calendar_year_admin_inline_date_outside_year_refused(system_admin):
    year = CalendarYear.objects.get(year=2026)
    data = inline_data(year, **{"special_days-1-date": "2027-01-02"})

    response = system_admin.post(
        reverse("admin:worktime_calendaryear_change", args=[year.pk]), data
    )

    formset = response.context["inline_admin_formsets"][0].formset
    assert (response.status_code, formset.errors[1]) == (
        200,
        {"date": ["该日期不在 2026 年内。"]},
    )


def test_work_period_admin_overlap_refused(system_admin):
    response = system_admin.post(
        reverse("admin:worktime_workperiod_add"), {"start": "11:00", "end": "14:00"}
    )

    assert (response.status_code, WorkPeriod.objects.count()) == (200, 2)


def test_work_period_admin_last_period_cannot_be_deleted(system_admin):
    morning, afternoon = WorkPeriod.objects.order_by("start")
    first = system_admin.post(
        reverse("admin:worktime_workperiod_delete", args=[morning.pk]), {"post": "yes"}
    )

    second = system_admin.post(
        reverse("admin:worktime_workperiod_delete", args=[afternoon.pk]), {"post": "yes"}
    )

    assert (first.status_code, second.status_code, list(WorkPeriod.objects.all())) == (
        302,
        403,
        [afternoon],
    )
