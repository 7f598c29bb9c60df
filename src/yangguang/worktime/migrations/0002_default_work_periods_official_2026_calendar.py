"""Seed the default working periods (09:00–12:00, 13:30–17:30) and the official 2026
holiday arrangement shipped in worktime/data/2026.csv."""

import datetime

from django.db import migrations

from yangguang.worktime.calendar_file import (
    parse_calendar_csv,
    shipped_calendar_path,
    shipped_source,
)

DEFAULT_PERIODS = [
    (datetime.time(9, 0), datetime.time(12, 0)),
    (datetime.time(13, 30), datetime.time(17, 30)),
]
SEEDED_YEARS = [2026]


def load(apps, schema_editor):
    WorkPeriod = apps.get_model("worktime", "WorkPeriod")
    CalendarYear = apps.get_model("worktime", "CalendarYear")
    SpecialDay = apps.get_model("worktime", "SpecialDay")
    if not WorkPeriod.objects.exists():
        WorkPeriod.objects.bulk_create(
            WorkPeriod(start=start, end=end) for start, end in DEFAULT_PERIODS
        )
    for year in SEEDED_YEARS:
        if CalendarYear.objects.filter(year=year).exists():
            continue
        rows = parse_calendar_csv(text=shipped_calendar_path(year).read_text(encoding="utf-8"))
        calendar_year = CalendarYear.objects.create(
            year=year, source=shipped_source(year), is_provisional=False
        )
        SpecialDay.objects.bulk_create(
            SpecialDay(date=row.date, kind=row.kind, name=row.name, year=calendar_year)
            for row in rows
        )


def unload(apps, schema_editor):
    WorkPeriod = apps.get_model("worktime", "WorkPeriod")
    CalendarYear = apps.get_model("worktime", "CalendarYear")
    for start, end in DEFAULT_PERIODS:
        WorkPeriod.objects.filter(start=start, end=end).delete()
    CalendarYear.objects.filter(year__in=SEEDED_YEARS).delete()


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_calendar_years_special_days_work_periods")]
    operations = [migrations.RunPython(load, unload)]
