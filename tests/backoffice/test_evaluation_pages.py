"""The evaluation pages: rankings for every subject and period, the leader's weights
form, the steps list behind a post's figure, and the report list's figure filters —
with permissions and odd input (never a 500)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.analytics.test_evaluation import september  # noqa: F401 (fixture)
from tests.reports.helpers import submit
from yangguang.analytics.evaluation import DEFAULT_WEIGHTS, weights_for
from yangguang.analytics.models import Subject
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.reports.enums import Channel
from yangguang.worktime.calendar import SHANGHAI

NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
RANKINGS = reverse("backoffice:command_rankings")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    "subject", ["street", "community", "unit", "inspector", "intake", "dispatcher"]
)
def test_rankings_of_every_subject(clock, september, city, client, subject):  # noqa: F811
    client.force_login(city.people[PostCode.SHIFT_LEAD])
    page = client.get(RANKINGS, {"subject": subject, "period": "2026-09"})
    assert page.status_code == 200
    # The fixture's reports were entered by nobody and took no recorded steps.
    assert bool(page.context["rows"]) == (subject in {"street", "community", "unit"})


def test_community_ranking_shows_the_hand_computed_composite(clock, september, city, client):  # noqa: F811
    client.force_login(city.people[PostCode.LEADER])
    html = client.get(RANKINGS, {"subject": "community", "period": "2026-09"}).content.decode()
    assert "68.33" in html
    assert "6.25" in html
    assert reverse("backoffice:command_weights") in html  # the leader may set weights


@pytest.mark.parametrize("post", [PostCode.INSPECTOR, PostCode.HANDLER, PostCode.SYSTEM_ADMIN])
def test_rankings_are_for_the_command_centre_only(clock, city, client, post):
    client.force_login(city.people[post])
    assert client.get(RANKINGS).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"period": "2026-13"},
        {"period": "2026\x00-01"},
        {"period": "٢٠٢٦-09"},
        {"period": "9" * 5000},
        {"subject": "nobody"},
        {"subject": ["street"] * 500},
    ],
)
def test_odd_ranking_queries_get_a_page_not_an_error(clock, city, client, query):
    client.force_login(city.people[PostCode.LEADER])
    response = client.get(RANKINGS, query)
    assert response.status_code in {200, 400}


def test_the_leader_sets_weights_and_the_change_is_recorded(clock, city, client):
    client.force_login(city.people[PostCode.LEADER])
    form = dict.fromkeys(DEFAULT_WEIGHTS, "0") | {"subject": "unit", "feedback_rate": "3.5"}
    response = client.post(reverse("backoffice:command_weights"), form)
    assert response.status_code == 302
    assert weights_for(Subject.UNIT)["feedback_rate"] == Decimal("3.50")
    assert RecordEntry.objects.filter(action="evaluation.weights").count() == 1


@pytest.mark.parametrize("value", ["-1", "100.5", "abc", "１\x00", "1e400"])
def test_bad_weights_show_a_chinese_error(clock, city, client, value):
    client.force_login(city.people[PostCode.LEADER])
    form = dict.fromkeys(DEFAULT_WEIGHTS, "10") | {"subject": "unit", "closing_rate": value}
    response = client.post(reverse("backoffice:command_weights"), form)
    assert response.status_code == 200
    assert weights_for(Subject.UNIT) == DEFAULT_WEIGHTS
    assert "error" in response.content.decode()


def test_all_zero_weights_are_refused(clock, city, client):
    client.force_login(city.people[PostCode.LEADER])
    form = dict.fromkeys(DEFAULT_WEIGHTS, "0") | {"subject": "street"}
    response = client.post(reverse("backoffice:command_weights"), form)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_only_the_leader_sets_weights(clock, city, client):
    client.force_login(city.people[PostCode.SHIFT_LEAD])
    assert client.get(reverse("backoffice:command_weights")).status_code == 403


def test_the_steps_list_is_exactly_a_posts_figure(clock, city, client):
    for _ in range(3):
        submit(city, channel=Channel.HOTLINE, actor=city.people[PostCode.INTAKE])
    client.force_login(city.people[PostCode.LEADER])
    html = client.get(RANKINGS, {"subject": "intake", "period": "2026-11"}).content.decode()
    assert ">3<" in html
    intake = city.people[PostCode.INTAKE].pk
    page = client.get(
        reverse("backoffice:command_steps"),
        {"user": intake, "action": "report.submit", "since": "2026-11-01",
         "until": "2026-11-30"},
    )  # fmt: skip
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 3


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"user": "x", "action": "report.accept", "since": "2026-11-01", "until": "2026-11-30"},
        {"user": "1", "action": "auth.login", "since": "2026-11-01", "until": "2026-11-30"},
        {"user": "9" * 30, "action": "report.accept", "since": "2026-11-01", "until": "x"},
    ],
)
def test_odd_steps_queries_are_refused_clearly(clock, city, client, query):
    client.force_login(city.people[PostCode.LEADER])
    response = client.get(reverse("backoffice:command_steps"), query)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"measure": "nonsense"},
        {"measure": "open", "unit": "9" * 40},
        {"measure": "open", "street": "-1"},
        {"measure": "open", "grid": "\x00"},
        {"measure": "open", "category_id": "١٢"},
        {"measure": "open", "created_by": "0"},
    ],
)
def test_odd_figure_filters_on_the_report_list_never_fail(clock, city, client, query):
    client.force_login(city.people[PostCode.LEADER])
    response = client.get(reverse("backoffice:queue", args=["all"]), query)
    assert response.status_code in {200, 400}
