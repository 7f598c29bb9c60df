"""Writes to the working calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from yangguang.worktime import services
from yangguang.worktime.calendar_file import CalendarImportError
from yangguang.worktime.enums import DayKind
from yangguang.worktime.models import CalendarYear, SpecialDay, WorkPeriod

D = datetime.date
T = datetime.time
OFFICIAL_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"

pytestmark = pytest.mark.django_db


def days_of(year: int) -> list[tuple[datetime.date, str, str]]:
    return list(
        SpecialDay.objects.filter(year__year=year)
        .values_list("date", "kind", "name")
        .order_by("date")
    )


# --- calendar_import_csv ---------------------------------------------------------------


def test_calendar_import_csv_one_bad_row_writes_nothing():
    before = days_of(2026)
    text = (
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-32,holiday,元旦\n2026-12-31,holiday,x\n"
    )

    with pytest.raises(CalendarImportError) as caught:
        services.calendar_import_csv(text=text, source="通知")

    assert (
        caught.value.errors,
        days_of(2026),
        CalendarYear.objects.filter(year=2027).exists(),
    ) == (
        [(3, "“2027-01-32” is not a date; write it as YYYY-MM-DD.")],
        before,
        False,
    )


def test_calendar_import_csv_replaces_the_days_of_the_year():
    text = "date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-10,workday,国庆节调休上班\n"

    counts = services.calendar_import_csv(text=text, source=" 更正通知 ")

    year = CalendarYear.objects.get(year=2026)
    assert (counts, days_of(2026), year.source, year.is_provisional) == (
        {2026: 2},
        [
            (D(2026, 10, 1), DayKind.HOLIDAY, "国庆节"),
            (D(2026, 10, 10), DayKind.WORKDAY, "国庆节调休上班"),
        ],
        "更正通知",
        False,
    )


def test_calendar_import_csv_several_years_counted_per_year():
    text = "2028-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n2027-10-01,holiday,国庆节\n"

    counts = services.calendar_import_csv(text=text, source="推算", provisional=True)

    assert (counts, list(CalendarYear.objects.values_list("year", "is_provisional"))) == (
        {2027: 2, 2028: 1},
        [(2026, False), (2027, True), (2028, True)],
    )


def test_calendar_import_csv_workday_on_wednesday_refused():
    """调休上班 days are weekend days; 2027-01-06 is a Wednesday."""
    with pytest.raises(CalendarImportError) as caught:
        services.calendar_import_csv(text="2027-01-06,workday,元旦补班\n", source="通知")

    assert (caught.value.errors, CalendarYear.objects.filter(year=2027).exists()) == (
        [(1, "A make-up working day (调休上班) must be a Saturday or Sunday.")],
        False,
    )


def test_calendar_import_csv_without_source_refused():
    with pytest.raises(CalendarImportError) as caught:
        services.calendar_import_csv(text="2027-01-01,holiday,元旦\n", source="  ")

    assert caught.value.errors == [(0, "Name the notice the calendar comes from.")]


# --- provisional and shipped years -------------------------------------------------------


def test_calendar_load_provisional_creates_statutory_days():
    """《全国年节及纪念日放假办法》(2024) 第二条: 13 statutory days in 2027."""
    year = services.calendar_load_provisional(year=2027)

    assert (year.is_provisional, year.source, len(days_of(2027)), days_of(2027)[1]) == (
        True,
        services.PROVISIONAL_SOURCE,
        13,
        (D(2027, 2, 5), DayKind.HOLIDAY, "春节"),
    )


def test_calendar_load_provisional_keeps_official_year():
    before = days_of(2026)

    year = services.calendar_load_provisional(year=2026)

    assert (year.is_provisional, year.source, days_of(2026)) == (False, OFFICIAL_2026, before)


def test_calendar_load_shipped_is_idempotent():
    before = days_of(2026)

    services.calendar_load_shipped(year=2026)
    year = services.calendar_load_shipped(year=2026)

    assert (year.is_provisional, year.source, days_of(2026)) == (False, OFFICIAL_2026, before)


def test_calendar_load_shipped_replaces_provisional_year():
    before = days_of(2026)
    CalendarYear.objects.filter(year=2026).delete()
    services.calendar_load_provisional(year=2026)

    year = services.calendar_load_shipped(year=2026)

    assert (year.is_provisional, year.source, days_of(2026)) == (False, OFFICIAL_2026, before)


def test_calendar_load_shipped_without_file_is_provisional():
    year = services.calendar_load_shipped(year=2030)

    assert (year.is_provisional, len(days_of(2030))) == (True, 13)


# --- calendar years ----------------------------------------------------------------------


def test_calendar_year_set_updates_source_and_status():
    year = services.calendar_year_set(year=2026, source="新通知", is_provisional=True)

    assert (year.source, year.is_provisional, len(days_of(2026))) == ("新通知", True, 39)


@pytest.mark.parametrize(
    ("year", "source", "fields"),
    [(1999, "通知", ["year"]), (2027, " ", ["source"]), (2100, "", ["year", "source"])],
)
def test_calendar_year_set_invalid_refused(year, source, fields):
    with pytest.raises(ValidationError) as caught:
        services.calendar_year_set(year=year, source=source, is_provisional=False)

    assert sorted(caught.value.message_dict) == sorted(fields)


def test_calendar_year_delete_removes_its_days():
    services.calendar_year_delete(calendar_year=CalendarYear.objects.get(year=2026))

    assert SpecialDay.objects.count() == 0


# --- single special days -----------------------------------------------------------------


def test_special_day_set_adds_day_and_touches_year():
    before = CalendarYear.objects.get(year=2026).updated_at

    day = services.special_day_set(day=D(2026, 12, 31), kind=DayKind.HOLIDAY, name=" 地方假日 ")

    year = CalendarYear.objects.get(year=2026)
    assert (day.year_id, day.name, year.updated_at > before) == (year.pk, "地方假日", True)


def test_special_day_set_existing_date_is_updated():
    services.special_day_set(day=D(2026, 10, 7), kind=DayKind.HOLIDAY, name="国庆节（更正）")

    assert (len(days_of(2026)), SpecialDay.objects.get(date=D(2026, 10, 7)).name) == (
        39,
        "国庆节（更正）",
    )


def test_special_day_set_moves_edited_day():
    special_day = SpecialDay.objects.get(date=D(2026, 10, 10))

    services.special_day_set(
        day=D(2026, 10, 11), kind=DayKind.WORKDAY, name="国庆节调休上班", special_day=special_day
    )

    assert list(
        SpecialDay.objects.filter(name="国庆节调休上班", date__month=10).values_list(
            "date", flat=True
        )
    ) == [D(2026, 10, 11)]


def test_special_day_set_workday_on_weekday_refused():
    with pytest.raises(ValidationError) as caught:
        services.special_day_set(day=D(2026, 12, 30), kind=DayKind.WORKDAY, name="补班")

    assert caught.value.message_dict == {
        "kind": ["A make-up working day (调休上班) must be a Saturday or Sunday."]
    }


def test_special_day_set_unconfigured_year_refused():
    with pytest.raises(ValidationError) as caught:
        services.special_day_set(day=D(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")

    assert caught.value.message_dict == {
        "date": ["2027 has no calendar yet: import its arrangement first."]
    }


def test_special_day_validate_date_outside_its_year_refused():
    """A special day belongs to the calendar year of its date (checked here, not in SQL)."""
    with pytest.raises(ValidationError) as caught:
        services.special_day_validate(
            day=D(2027, 1, 1),
            kind=DayKind.HOLIDAY,
            name="元旦",
            calendar_year=CalendarYear.objects.get(year=2026),
        )

    assert caught.value.message_dict == {"date": ["The date is not in 2026."]}


def test_special_day_validate_moving_onto_taken_date_refused():
    with pytest.raises(ValidationError) as caught:
        services.special_day_validate(
            day=D(2026, 10, 2),
            kind=DayKind.HOLIDAY,
            name="国庆节",
            special_day=SpecialDay.objects.get(date=D(2026, 10, 1)),
        )

    assert caught.value.message_dict == {"date": ["This date already has an entry."]}


def test_special_day_delete_returns_day_to_the_week():
    services.special_day_delete(special_day=SpecialDay.objects.get(date=D(2026, 10, 10)))

    assert (len(days_of(2026)), SpecialDay.objects.filter(date=D(2026, 10, 10)).exists()) == (
        38,
        False,
    )


# --- working periods ---------------------------------------------------------------------


def periods() -> list[tuple[datetime.time, datetime.time]]:
    return list(WorkPeriod.objects.values_list("start", "end"))


def test_work_periods_default_seeded():
    assert periods() == [(T(9), T(12)), (T(13, 30), T(17, 30))]


def test_work_periods_replace_replaces_all():
    services.work_periods_replace(periods=[(T(14), T(18)), (T(8, 30), T(12))])

    assert periods() == [(T(8, 30), T(12)), (T(14), T(18))]


@pytest.mark.parametrize(
    "new",
    [
        [],
        [(T(9), T(12)), (T(11), T(17))],
        [(T(12), T(9))],
        [(T(9), T(9))],
    ],
    ids=["empty", "overlap", "reversed", "empty-period"],
)
def test_work_periods_replace_invalid_refused_and_nothing_changes(new):
    with pytest.raises(ValidationError):
        services.work_periods_replace(periods=new)

    assert periods() == [(T(9), T(12)), (T(13, 30), T(17, 30))]


def test_work_period_set_adds_non_overlapping_period():
    services.work_period_set(start=T(18), end=T(20))

    assert periods() == [(T(9), T(12)), (T(13, 30), T(17, 30)), (T(18), T(20))]


def test_work_period_set_overlap_refused():
    with pytest.raises(ValidationError) as caught:
        services.work_period_set(start=T(11), end=T(14))

    assert caught.value.messages == [
        "Working periods overlap: one ends at 12:00, the next starts at 11:00."
    ]


def test_work_period_set_changes_existing_period():
    morning = WorkPeriod.objects.get(start=T(9))

    services.work_period_set(start=T(8, 30), end=T(12), work_period=morning)

    assert periods() == [(T(8, 30), T(12)), (T(13, 30), T(17, 30))]


def test_work_period_delete_last_period_refused():
    services.work_period_delete(work_period=WorkPeriod.objects.get(start=T(9)))

    with pytest.raises(ValidationError):
        services.work_period_delete(work_period=WorkPeriod.objects.get())

    assert periods() == [(T(13, 30), T(17, 30))]
