from types import SimpleNamespace

import pytest

from tests.grids.test_import import (
    ORIGIN_LAT,
    ORIGIN_LON,
    STEP_LAT,
    STEP_LON,
    collection,
    feature,
    square,
)
from yangguang.categories.models import Category
from yangguang.grids.services import grids_import
from yangguang.notify.services import messages_send
from yangguang.org.enums import PostCode
from yangguang.reports.enums import Channel, ReportKind
from yangguang.reports.services import NewReport, report_submit

# The middle of the first grid below (community1, patrolled by squadron1).
INSIDE = {"longitude": ORIGIN_LON + STEP_LON / 2, "latitude": ORIGIN_LAT + STEP_LAT / 2}


@pytest.fixture
def city(personas, org_tree):
    """Two grids of community 1, patrolled by squadron 1, whose grid officer is the
    inspector persona; the street lamp category (a component owned by 市政)."""
    grids_import(
        collection=collection(
            [
                feature("370899001001001", square(0, 0), squadron="ZD01", officers=["inspector"]),
                feature("370899001001002", square(1, 0), squadron="ZD01"),
            ]
        )
    )
    lamp = Category.objects.get(standard__code="GB/T 47678.5-2026", kind="component", code="01037")
    return SimpleNamespace(people=personas, org=org_tree, lamp=lamp)


def submit(city, *, actor=None, **overrides):
    values = {
        "kind": ReportKind.PROBLEM,
        "channel": Channel.WEB,
        "description": "路灯不亮，晚上很黑",
        "category": city.lamp,
        "address": "东街道一社区门口",
        "reporter_name": "王小明",
        "reporter_phone": "13912345678",
        **INSIDE,
        **overrides,
    }
    report, token = report_submit(data=NewReport(**values), actor=actor)
    return report, token


def deliver() -> int:
    """What the worker does: send the queued text messages."""
    return messages_send()


@pytest.fixture
def person(city):
    return lambda code: city.people[PostCode(code)]
