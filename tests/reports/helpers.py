"""Helpers for tests of the report loop: a report submitted at a known place, and the
worker's sending of queued messages."""

from tests.grids.test_import import ORIGIN_LAT, ORIGIN_LON, STEP_LAT, STEP_LON
from yangguang.notify.services import messages_send
from yangguang.reports.enums import Channel, ReportKind
from yangguang.reports.services import NewReport, report_submit
from yangguang.reports.workflow import report_transition

# The middle of the first grid of the ``city`` fixture (community1, squadron1).
INSIDE = {"longitude": ORIGIN_LON + STEP_LON / 2, "latitude": ORIGIN_LAT + STEP_LAT / 2}


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


def go(report, verb, who, city, **data):
    """One move of the loop by the persona holding post ``who``."""
    return report_transition(report=report, verb=verb, actor=city.people[who], **data)
