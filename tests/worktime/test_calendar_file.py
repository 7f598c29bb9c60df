"""Calendar CSV files: parsing and validation (pure: no database)."""

import datetime

import pytest

from yangguang.worktime.calendar_file import (
    CalendarImportError,
    CalendarRow,
    parse_calendar_csv,
    shipped_source,
)
from yangguang.worktime.enums import DayKind

D = datetime.date
WEEKEND_MESSAGE = "A make-up working day (调休上班) must be a Saturday or Sunday."


def test_parse_calendar_csv_shipped_2026_matches_the_notice(calendar_2026):
    """国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): 33 days off in 7 blocks and
    6 make-up working days (1/4, 2/14, 2/28, 5/9, 9/20, 10/10)."""
    make_up = [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]

    assert (len(calendar_2026.holidays), sorted(calendar_2026.workdays)) == (
        33,
        [D(2026, month, day) for month, day in make_up],
    )


def test_parse_calendar_csv_shipped_2026_blocks_are_whole(calendar_2026):
    """Every day of each block of the notice is listed, weekends included."""
    blocks = [
        (D(2026, 1, 1), 3),
        (D(2026, 2, 15), 9),
        (D(2026, 4, 4), 3),
        (D(2026, 5, 1), 5),
        (D(2026, 6, 19), 3),
        (D(2026, 9, 25), 3),
        (D(2026, 10, 1), 7),
    ]
    listed = {
        first + datetime.timedelta(days=offset)
        for first, length in blocks
        for offset in range(length)
    }

    assert listed == calendar_2026.holidays


def test_shipped_source_names_the_notice():
    assert shipped_source(2026) == "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"


def test_parse_calendar_csv_accepts_chinese_kinds_slashes_bom_and_blank_lines():
    text = (
        "\ufeff日期,类型,名称\n"
        "2027/10/1,放假,国庆节\n"
        "\n"
        "2027-09-26,调休上班,国庆节补班\n"
        "2027-10-2,休息,国庆节\n"
    )

    assert parse_calendar_csv(text=text) == [
        CalendarRow(line=2, date=D(2027, 10, 1), kind=DayKind.HOLIDAY, name="国庆节"),
        CalendarRow(line=4, date=D(2027, 9, 26), kind=DayKind.WORKDAY, name="国庆节补班"),
        CalendarRow(line=5, date=D(2027, 10, 2), kind=DayKind.HOLIDAY, name="国庆节"),
    ]


def test_parse_calendar_csv_without_header_reads_first_line():
    assert parse_calendar_csv(text="2027-01-01,holiday,元旦") == [
        CalendarRow(line=1, date=D(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    ]


def test_parse_calendar_csv_reports_every_bad_line():
    text = "\n".join(
        [
            "date,kind,name",
            "2027-01-01,holiday,元旦",
            "2027-13-01,holiday,元旦",
            "2027-01-02,vacation,元旦",
            "2027-01-01,holiday,元旦",
            "2027-01-06,workday,补班",
            "2027-01-09,workday,",
            "2027-01-10,workday",
            "1999-02-06,holiday,春节",
        ]
    )

    with pytest.raises(CalendarImportError) as caught:
        parse_calendar_csv(text=text)

    assert caught.value.errors == [
        (3, "“2027-13-01” is not a date; write it as YYYY-MM-DD."),
        (4, "Unknown kind “vacation”: use holiday (放假) or workday (上班)."),
        (5, "2027-01-01 is already listed on line 2."),
        (6, WEEKEND_MESSAGE),
        (7, "The name is empty."),
        (8, "Expected 3 columns (date,kind,name), found 2."),
        (9, "Year 1999 is outside 2000–2099."),
    ]


def test_parse_calendar_csv_workday_on_wednesday_refused():
    """A 调休上班 day only means something on a weekend: 2027-01-06 is a Wednesday."""
    with pytest.raises(CalendarImportError) as caught:
        parse_calendar_csv(text="2027-01-06,上班,元旦补班\n")

    assert caught.value.errors == [(1, WEEKEND_MESSAGE)]


def test_parse_calendar_csv_empty_file_refused():
    with pytest.raises(CalendarImportError) as caught:
        parse_calendar_csv(text="date,kind,name\n")

    assert caught.value.errors == [(0, "The file lists no days.")]


def test_calendar_import_error_is_a_value_error():
    assert issubclass(CalendarImportError, ValueError)
