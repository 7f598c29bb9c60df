"""The 大屏's figures (analytics.live): from the summaries, each with the link to the
list of exactly what it counts, and a version that moves when a figure does."""

import datetime

import pytest
import time_machine

from tests.analytics.test_evaluation import report
from tests.reports.helpers import submit
from yangguang.analytics.live import live_figures
from yangguang.org.enums import PostCode
from yangguang.reports.enums import Channel, DeadlineState, DisposalMode, Status
from yangguang.worktime.calendar import SHANGHAI

NOW = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI)


@pytest.fixture
def work(city):
    org = city.org
    with time_machine.travel(NOW - datetime.timedelta(hours=3), tick=False):
        submit(city)
        submit(city, channel=Channel.HOTLINE, actor=city.people[PostCode.INTAKE])
    report(
        city, community=org.community1, unit=org.municipal,
        received=NOW - datetime.timedelta(days=3), status=Status.IN_PROGRESS,
        dispatched_at=NOW - datetime.timedelta(days=3), deadline=NOW - datetime.timedelta(days=1),
        deadline_state=DeadlineState.OVERDUE,
    )  # fmt: skip
    report(
        city, community=org.community2, unit=org.municipal,
        received=NOW - datetime.timedelta(days=2), status=Status.CLOSED, public_reply="已处理",
        disposal_mode=DisposalMode.SERVICE, dispatched_at=NOW - datetime.timedelta(days=2),
        handled_at=NOW - datetime.timedelta(days=1), deadline=NOW,
    )  # fmt: skip
    return city


def _figures(payload):
    """Every {count, url} in the payload."""
    yield payload["intake_today"]
    yield from payload["intake_today"]["by_channel"]
    yield from payload["open_by_state"]
    yield from payload["lights"]
    yield payload["overdue"]
    yield from payload["shares_721"]["items"]
    yield from payload["top_categories"]
    yield from payload["hot_spots"]


def test_figures_count_what_their_links_list(work, client):
    with time_machine.travel(NOW, tick=False):
        payload = live_figures(now=NOW)
        client.force_login(work.people[PostCode.LEADER])
        assert payload["intake_today"]["count"] == 2
        assert payload["overdue"]["count"] == 1
        assert payload["shares_721"]["items"][0]["share"] == "100.00"
        checked = 0
        for figure in _figures(payload):
            response = client.get(figure["url"])
            assert response.status_code == 200, figure["url"]
            assert response.context["page"].paginator.count == figure["count"], figure["url"]
            checked += 1
    assert checked >= 12


def test_the_version_moves_when_a_report_arrives(work):
    with time_machine.travel(NOW, tick=False):
        before = live_figures(now=NOW)
        assert live_figures(now=NOW)["version"] == before["version"]
        submit(work)
        after = live_figures(now=NOW)
    assert after["version"] != before["version"]
    assert after["intake_today"]["count"] == before["intake_today"]["count"] + 1


def test_hot_spots_are_grids_with_open_reports(work):
    with time_machine.travel(NOW, tick=False):
        spots = live_figures(now=NOW)["hot_spots"]
    assert spots
    assert spots[0]["code"] == "370899001001001"
