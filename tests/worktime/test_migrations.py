"""The worktime migrations: complete, and the data migration reversible."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from yangguang.worktime.models import CalendarYear, SpecialDay, WorkPeriod

pytestmark = pytest.mark.django_db

seed = importlib.import_module(
    "yangguang.worktime.migrations.0002_default_work_periods_official_2026_calendar"
)


def test_worktime_models_match_migrations():
    call_command("makemigrations", "worktime", "--check", "--dry-run", stdout=io.StringIO())


def test_seed_migration_reverse_then_forward_restores_the_data():
    seed.unload(apps, None)
    emptied = (CalendarYear.objects.count(), SpecialDay.objects.count(), WorkPeriod.objects.count())

    seed.load(apps, None)

    assert (emptied, CalendarYear.objects.get().year, SpecialDay.objects.count()) == (
        (0, 0, 0),
        2026,
        39,
    )
    assert list(WorkPeriod.objects.values_list("start", "end")) == [
        (datetime.time(9), datetime.time(12)),
        (datetime.time(13, 30), datetime.time(17, 30)),
    ]
