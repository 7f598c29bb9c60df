"""The back office's campaign pages: list, create, open, score, close, approve, publish —
who may do each, what bad input gets, and one list query count whatever its length."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.merchants.campaign_helpers import NOW, campaign, street_scorer, two_shops
from yangguang.credit.models import CreditEvent
from yangguang.merchants import campaigns as c
from yangguang.merchants.models import Campaign, CampaignScore, CampaignStatus, ScoreRole
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db
P = PostCode
S = CampaignStatus


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def shops(city):
    return two_shops(city)


def as_(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def new_campaign_post(**overrides):
    return {
        "name": "2026年东街文明商家评选",
        "kind": "civilised",
        "starts_on": "2026-05-01",
        "ends_on": "2026-05-31",
        "criteria": "门前三包落实 | 40\n店容店貌整洁｜30\n诚信经营 | 30",
        "weight_inspectors": "60",
        "weight_streets": "20",
        "weight_public": "20",
        "streets": ["东街"],
        "title": "2026年度文明商家",
        "titles": "1",
        "star_thresholds": "",
        **overrides,
    }


def test_an_inspector_creates_a_campaign_of_a_streets_shops(client, city, shops):
    response = as_(client, city.people[P.INSPECTOR]).post(
        reverse("backoffice:campaign_new"), new_campaign_post()
    )
    created = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:campaign", args=[created.pk])
    assert created.criteria[1] == {"item": "店容店貌整洁", "max_points": 30}
    assert created.entries.count() == 2
    page = client.get(response.url).content.decode()
    assert "老张小吃" in page
    assert "李记面馆" in page


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"weight_public": "30"}, "add up to 100 (now 110)"),
        ({"criteria": "门前三包落实 40"}, "item | maximum points"),
        ({"criteria": "门前三包落实 | 9999999999999"}, "item | maximum points"),
        ({"criteria": "a\x00 | 5"}, "Null characters are not allowed."),
        ({"weight_inspectors": "１e9"}, "Enter a whole number."),
        ({"ends_on": "2026-04-01"}, "ends before it starts"),
        ({"kind": "stars", "star_thresholds": "5 | 80\n4 | 90"}, "more stars need"),
    ],
)
def test_bad_campaign_input_is_named_not_saved(client, city, shops, overrides, problem):
    response = as_(client, city.people[P.INSPECTOR]).post(
        reverse("backoffice:campaign_new"), new_campaign_post(**overrides)
    )
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("post", [P.LEADER, P.HANDLER, P.INTAKE])
def test_other_posts_do_not_create_campaigns(client, city, shops, post):
    response = as_(client, city.people[post]).post(
        reverse("backoffice:campaign_new"), new_campaign_post()
    )
    assert response.status_code == 403
    assert not Campaign.objects.exists()


def test_administrators_do_not_see_campaigns(client, city, shops):
    created = campaign(city)
    response = as_(client, city.people[P.SYSTEM_ADMIN]).get(
        reverse("backoffice:campaign", args=[created.pk])
    )
    assert response.status_code == 403


def test_the_whole_run_through_the_pages(client, city, shops):
    created = campaign(city)
    inspector, leader = city.people[P.INSPECTOR], city.people[P.LEADER]
    step = lambda name: reverse("backoffice:campaign_step", args=[created.pk, name])  # noqa: E731
    as_(client, inspector)
    assert client.post(step("open")).status_code == 302
    entry = created.entries.get(shop=shops[0])
    score_url = reverse("backoffice:campaign_score", args=[created.pk, entry.pk, "inspector"])
    assert 'name="item_2"' in client.get(score_url).content.decode()
    response = client.post(score_url, {"item_0": "41", "item_1": "30", "item_2": "30"})
    assert response.status_code == 400
    assert "less than or equal to 40" in response.content.decode()
    assert (
        client.post(score_url, {"item_0": "40", "item_1": "30", "item_2": "30"}).status_code == 302
    )
    assert CampaignScore.objects.filter(entry=entry, role=ScoreRole.INSPECTOR).count() == 3
    assert client.post(step("close")).status_code == 302
    assert client.post(step("approve"), {"minutes": "同意"}).status_code == 403
    assert client.post(step("approve"), {"minutes": ""}).status_code == 403
    as_(client, leader)
    response = client.post(step("approve"), {"minutes": ""})
    assert response.status_code == 400
    assert client.post(step("approve"), {"minutes": "评审委员会同意"}).status_code == 302
    as_(client, inspector)
    assert client.post(step("publish")).status_code == 302
    created.refresh_from_db()
    assert created.status == S.PUBLISHED
    assert CreditEvent.objects.get().shop == shops[0]
    response = client.post(step("publish"))
    assert response.status_code == 409
    assert "Not possible while the campaign is" in response.content.decode()


def test_the_street_scores_only_the_shops_of_its_own_sub_district(client, city, shops):
    created = campaign(city)
    c.campaign_open(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    entry = created.entries.get(shop=shops[0])
    street_url = reverse("backoffice:campaign_score", args=[created.pk, entry.pk, "street"])
    response = as_(client, street_scorer(city)).post(
        street_url, {"item_0": "30", "item_1": "20", "item_2": "20"}
    )
    assert response.status_code == 302
    assert as_(client, city.people[P.HANDLER]).get(street_url).status_code == 403
    assert as_(client, city.people[P.INSPECTOR]).get(street_url).status_code == 403


def test_scoring_a_closed_campaign_is_refused_with_the_reason(client, city, shops):
    created = campaign(city)
    entry = created.entries.get(shop=shops[0])
    url = reverse("backoffice:campaign_score", args=[created.pk, entry.pk, "inspector"])
    response = as_(client, city.people[P.INSPECTOR]).post(
        url, {"item_0": "1", "item_1": "1", "item_2": "1"}
    )
    assert response.status_code == 409
    assert "only while the campaign is open" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/staff/campaigns/x/",
        "/staff/campaigns/99999999999999999999999/",
        "/staff/campaigns/%EF%BC%91/",
        "/staff/campaigns/1/step/nope/",
        "/staff/campaigns/1/entries/1/score/nobody/",
        "/staff/campaigns/1/entries/x/score/inspector/",
    ],
)
def test_bad_ids_and_steps_are_404(client, city, shops, path):
    campaign(city)
    as_(client, city.people[P.INSPECTOR])
    response = client.post(path) if "/step/" in path else client.get(path)
    assert response.status_code == 404


def test_the_list_reads_the_same_queries_for_one_campaign_or_three(client, city, shops):
    as_(client, city.people[P.INSPECTOR])
    campaign(city)
    client.get(reverse("backoffice:campaigns"))  # warm the session and the user
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("backoffice:campaigns"))
    campaign(city, name="第二次")
    campaign(city, name="第三次")
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("backoffice:campaigns"))
    assert response.content.decode().count('class="campaign-row"') == 3
    assert len(three) == len(one)


def test_the_campaign_page_reads_the_same_queries_for_one_entry_or_three(client, city, shops):
    from tests.merchants.helpers import merchant, shop

    one_shop = campaign(city, streets=[], shops=[shops[0]])
    three = campaign(
        city,
        streets=[],
        shops=[*shops, shop(city, merchant(city, n=3), trade_name="王记", address="东街三号")],
    )
    as_(client, city.people[P.INSPECTOR])
    client.get(reverse("backoffice:campaign", args=[one_shop.pk]))
    with CaptureQueriesContext(connection) as for_one:
        client.get(reverse("backoffice:campaign", args=[one_shop.pk]))
    with CaptureQueriesContext(connection) as for_three:
        response = client.get(reverse("backoffice:campaign", args=[three.pk]))
    assert response.content.decode().count('class="entry-row"') == 3
    assert len(for_three) == len(for_one)


def test_the_page_offers_each_post_only_its_own_step(client, city, shops):
    created = campaign(city)
    page_url = reverse("backoffice:campaign", args=[created.pk])
    open_url = reverse("backoffice:campaign_step", args=[created.pk, "open"])
    approve_url = reverse("backoffice:campaign_step", args=[created.pk, "approve"])
    assert open_url in as_(client, city.people[P.INSPECTOR]).get(page_url).content.decode()
    assert open_url not in as_(client, city.people[P.LEADER]).get(page_url).content.decode()
    c.campaign_open(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    c.campaign_close(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    assert approve_url in as_(client, city.people[P.LEADER]).get(page_url).content.decode()
    assert approve_url not in as_(client, city.people[P.INSPECTOR]).get(page_url).content.decode()
