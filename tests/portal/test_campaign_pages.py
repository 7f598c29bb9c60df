"""The public campaign pages: the published 文明商家 and stars by street, each shop linked
to its public page, no operator's or scorer's personal data; and the vote — a mobile
number, a code, the vote — once per phone, only while the campaign is open."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.merchants.campaign_helpers import NOW, campaign, last_code, two_shops
from yangguang.merchants import campaign_votes as votes
from yangguang.merchants import campaigns as c
from yangguang.merchants.models import CampaignKind, CampaignVote
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db
P = PostCode
RESULTS = "/civilised-merchants/"


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def shops(city):
    return two_shops(city)


@pytest.fixture
def opened(city, shops):
    return c.campaign_open(campaign=campaign(city), actor=city.people[P.INSPECTOR], now=NOW)


def published(city, shops, **overrides):
    created = campaign(city, **overrides)
    inspector = city.people[P.INSPECTOR]
    c.campaign_open(campaign=created, actor=inspector, now=NOW)
    for shop, points in zip(shops, ([40, 30, 30], [30, 20, 20]), strict=True):
        c.entry_score(
            entry=created.entries.get(shop=shop),
            role="inspector",
            points=points,
            actor=inspector,
            now=NOW,
        )
    c.campaign_close(campaign=created, actor=inspector, now=NOW)
    c.campaign_approve(campaign=created, minutes="同意", actor=city.people[P.LEADER], now=NOW)
    return c.campaign_publish(campaign=created, actor=inspector, now=NOW)


def vote_url(campaign_):
    return reverse("portal:campaign_vote", args=[campaign_.pk])


def test_the_results_page_lists_the_awarded_shops_by_street_linked_to_their_pages(
    client, city, shops
):
    published(city, shops)
    assert reverse("portal:civilised_merchants") == RESULTS
    page = client.get(RESULTS).content.decode()
    assert "2026年度文明商家" in page
    assert "东街" in page
    assert "老张小吃" in page
    assert f'href="/shops/{shops[0].board_token}/"' in page
    assert "李记面馆" not in page  # not awarded (one title)
    for personal in ("张三丰", "13912340001", shops[0].merchant.name, city.people[P.LEADER].name):
        assert personal not in page


def test_star_results_show_each_shops_stars(client, city, shops):
    published(
        city,
        shops,
        kind=CampaignKind.STARS,
        title="2026年度星级商户",
        star_thresholds=[{"stars": 4, "min_result": 50}, {"stars": 3, "min_result": 40}],
    )
    page = client.get(RESULTS).content.decode()
    assert "★★★★<" in page  # 老张小吃: 60
    assert "★★★<" in page  # 李记面馆: 42


def test_a_draft_or_unpublished_campaign_shows_nothing(client, city, shops):
    campaign(city)
    page = client.get(RESULTS).content.decode()
    assert "2026年度文明商家" not in page
    assert "老张小吃" not in page


def test_the_results_page_reads_the_same_queries_for_one_campaign_or_three(client, city, shops):
    published(city, shops)
    with CaptureQueriesContext(connection) as one:
        client.get(RESULTS)
    published(city, shops, name="第二次")
    published(city, shops, name="第三次")
    with CaptureQueriesContext(connection) as three:
        page = client.get(RESULTS).content.decode()
    assert page.count('class="card campaign-results"') == 3
    assert len(three) == len(one)


def test_an_open_campaign_is_offered_for_voting(client, city, opened):
    page = client.get(RESULTS).content.decode()
    assert vote_url(opened) in page


def test_a_phone_a_code_then_a_vote_once_per_phone(client, city, shops, opened):
    url = vote_url(opened)
    assert client.post(url, {"step": "send_code", "phone": "13912345678"}).status_code == 302
    page = client.get(url).content.decode()
    assert 'name="code"' in page
    entry = opened.entries.get(shop=shops[1])
    response = client.post(url, {"step": "vote", "code": last_code(), "entry": str(entry.pk)})
    assert response.status_code == 302
    assert CampaignVote.objects.get().entry == entry
    response = client.post(url, {"step": "send_code", "phone": "13912345678"})
    assert response.status_code == 409
    assert CampaignVote.objects.count() == 1


def test_a_wrong_code_or_a_foreign_entry_casts_no_vote(client, city, shops, opened):
    url = vote_url(opened)
    client.post(url, {"step": "send_code", "phone": "13912345678"})
    code = last_code()
    entry = opened.entries.get(shop=shops[0])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert client.post(url, {"step": "vote", "code": wrong, "entry": entry.pk}).status_code == 409
    for bad in ("x", "99999999999999999999999", "", "１"):
        assert client.post(url, {"step": "vote", "code": code, "entry": bad}).status_code == 409
    assert not CampaignVote.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"step": "send_code", "phone": "12345"},
        {"step": "send_code", "phone": "1391234567\x00"},
        {"step": "send_code", "phone": "1" * 10_000},
        {"step": "nope"},
        {"step": "vote", "code": "123456", "entry": "1"},  # no code asked for
    ],
)
def test_bad_vote_input_gets_a_message_not_an_error(client, city, opened, data):
    response = client.post(vote_url(opened), data)
    assert response.status_code in (400, 409)
    assert not CampaignVote.objects.exists()


def test_too_many_codes_from_one_address_are_refused(client, city, opened):
    url = vote_url(opened)
    for n in range(votes.VOTE_CODES_PER_ADDRESS_HOUR):
        client.post(url, {"step": "send_code", "phone": f"139000{n:05d}"})
    response = client.post(url, {"step": "send_code", "phone": "13800000000"})
    assert response.status_code == 429


def test_voting_is_not_open_before_opening_or_after_closing(client, city, shops):
    created = campaign(city)
    assert client.get(vote_url(created)).status_code == 404
    c.campaign_open(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    assert client.get(vote_url(created)).status_code == 200
    c.campaign_close(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    assert client.get(vote_url(created)).status_code == 404
    assert client.post(vote_url(created), {"step": "send_code"}).status_code == 404


@pytest.mark.parametrize("campaign_id", ["x", "99999999999999999999999", "%EF%BC%91", "0"])
def test_bad_campaign_ids_are_404(client, db, campaign_id):
    assert client.get(f"{RESULTS}{campaign_id}/vote/").status_code == 404
