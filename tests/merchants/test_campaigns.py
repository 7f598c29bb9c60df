"""Star-rating campaigns (星级评定/文明商家): weights, scores and their bounds, who scores
what, the public vote (one per phone, only while open, phones kept as an HMAC, an
address limit), the committee's approval by the leader, and publishing that awards the
title's credit exactly once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.merchants.campaign_helpers import (
    NOW,
    campaign,
    fields,
    last_code,
    street_scorer,
    two_shops,
)
from tests.merchants.helpers import at
from yangguang.credit.enums import EventKind
from yangguang.credit.handlers import on_title_awarded
from yangguang.credit.models import CreditEvent, CreditScore
from yangguang.merchants import campaign_selectors as selectors
from yangguang.merchants import campaign_votes as votes
from yangguang.merchants import campaigns as c
from yangguang.merchants.campaigns import CampaignRefused
from yangguang.merchants.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    CampaignVote,
    CampaignVoteCode,
    ScoreRole,
)
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db
P = PostCode
S = CampaignStatus
ADDRESS = "203.0.113.7"


@pytest.fixture
def shops(city):
    return two_shops(city)


@pytest.fixture
def opened(city, shops):
    draft = campaign(city)
    return c.campaign_open(campaign=draft, actor=city.people[P.INSPECTOR], now=NOW)


def entry_of(campaign_, shop):
    return campaign_.entries.get(shop=shop)


def score(city, campaign_, shop, points, *, who=P.INSPECTOR, role=ScoreRole.INSPECTOR):
    actor = city.people[who] if isinstance(who, str) else who
    return c.entry_score(
        entry=entry_of(campaign_, shop), role=role, points=points, actor=actor, now=NOW
    )


def vote(campaign_, shop, phone="13912345678", *, now=NOW, address=ADDRESS):
    row = votes.vote_code_send(campaign=campaign_, phone=phone, address=address, now=now)
    return votes.vote_cast(
        vote_code=row,
        code=last_code(now),
        entry=entry_of(campaign_, shop),
        address=address,
        now=now,
    )


# --- creating --------------------------------------------------------------------------


def test_a_campaign_enters_every_open_shop_of_its_streets_and_records_its_creation(city, shops):
    created = campaign(city)
    assert created.status == S.DRAFT
    assert sorted(created.entries.values_list("shop__trade_name", flat=True)) == [
        "李记面馆",
        "老张小吃",
    ]
    entry = RecordEntry.objects.get(action="merchants.campaign_create")
    assert entry.object_id == str(created.pk)
    assert entry.changes["weights"] == [None, [60, 20, 20]]


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        ((60, 20, 10), "weight_inspectors"),  # 90
        ((60, 30, 20), "weight_inspectors"),  # 110
        ((101, 0, 0), "weight_inspectors"),
        ((50, -10, 60), "weight_streets"),
        ((50, 50, "x"), "weight_public"),
    ],
)
def test_the_three_weights_are_whole_numbers_adding_up_to_100(city, shops, weights, field):
    data = dict(zip(("weight_inspectors", "weight_streets", "weight_public"), weights, strict=True))
    with pytest.raises(ValidationError) as error:
        campaign(city, **data)
    assert field in error.value.message_dict
    assert not Campaign.objects.exists()


def test_the_database_refuses_weights_not_adding_up_to_100(city, shops):
    created = campaign(city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=created.pk).update(weight_public=30)


def test_a_campaign_without_criteria_shops_or_a_period_in_order_is_refused(city, shops):
    with pytest.raises(ValidationError) as error:
        campaign(
            city,
            criteria=[{"item": "", "max_points": 10}],
            streets=["没有这条街"],
            ends_on=datetime.date(2026, 4, 1),
            titles=0,
        )
    assert set(error.value.message_dict) == {"criteria", "streets", "ends_on", "titles"}


def test_star_thresholds_need_more_result_for_more_stars(city, shops):
    with pytest.raises(ValidationError) as error:
        campaign(
            city,
            kind=CampaignKind.STARS,
            star_thresholds=[{"stars": 5, "min_result": 80}, {"stars": 4, "min_result": 90}],
        )
    assert "star_thresholds" in error.value.message_dict


def test_only_the_merchant_file_posts_create_campaigns(city, shops):
    with pytest.raises(PermissionDenied):
        c.campaign_create(data=fields(), actor=city.people[P.LEADER], now=NOW)


# --- the steps ---------------------------------------------------------------------------


STEPS = {
    S.OPEN: lambda campaign_, city: c.campaign_open(
        campaign=campaign_, actor=city.people[P.INSPECTOR], now=NOW
    ),
    S.CLOSED: lambda campaign_, city: c.campaign_close(
        campaign=campaign_, actor=city.people[P.INSPECTOR], now=NOW
    ),
    S.APPROVED: lambda campaign_, city: c.campaign_approve(
        campaign=campaign_, minutes="评审委员会同意", actor=city.people[P.LEADER], now=NOW
    ),
    S.PUBLISHED: lambda campaign_, city: c.campaign_publish(
        campaign=campaign_, actor=city.people[P.INSPECTOR], now=NOW
    ),
}


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(STEPS))
def test_each_step_is_allowed_exactly_from_the_table(city, shops, source, target):
    created = campaign(city)
    Campaign.objects.filter(pk=created.pk).update(status=source)
    created.refresh_from_db()
    if (source, target) in c.TRANSITIONS:
        assert STEPS[target](created, city).status == target
        assert RecordEntry.objects.filter(
            object_id=str(created.pk), changes__status=[source.value, target.value]
        ).exists()
    else:
        with pytest.raises(CampaignRefused):
            STEPS[target](created, city)
        created.refresh_from_db()
        assert created.status == source


def test_a_campaign_does_not_open_after_its_period(city, shops):
    draft = campaign(city)
    with pytest.raises(CampaignRefused, match="ended"):
        c.campaign_open(campaign=draft, actor=city.people[P.INSPECTOR], now=at(2026, 6, 1, 9))


# --- scores ------------------------------------------------------------------------------


def test_an_inspector_scores_each_criterion_and_a_new_sheet_replaces_the_old(city, shops, opened):
    score(city, opened, shops[0], [30, 20, 20])
    score(city, opened, shops[0], [40, 30, 25])
    sheet = selectors.score_sheet(
        entry_of(opened, shops[0]), ScoreRole.INSPECTOR, city.people[P.INSPECTOR]
    )
    assert sheet == {0: 40, 1: 30, 2: 25}
    assert RecordEntry.objects.filter(action="merchants.campaign_score").count() == 2


@pytest.mark.parametrize("points", [[41, 30, 30], [-1, 30, 30], ["x", 1, 1], [10**30, 1, 1]])
def test_a_score_above_the_criterions_maximum_or_below_zero_is_refused(city, shops, opened, points):
    with pytest.raises(ValidationError) as error:
        score(city, opened, shops[0], points)
    assert list(error.value.message_dict) == ["item_0"]
    assert not entry_of(opened, shops[0]).scores.exists()


def test_every_criterion_must_be_scored(city, shops, opened):
    with pytest.raises(ValidationError):
        score(city, opened, shops[0], [40, 30])


def test_scores_are_taken_only_while_the_campaign_is_open(city, shops):
    draft = campaign(city)
    with pytest.raises(CampaignRefused):
        score(city, draft, shops[0], [40, 30, 30])


def test_the_street_score_comes_from_the_shops_own_sub_district(city, shops, opened):
    score(city, opened, shops[0], [40, 30, 30], who=street_scorer(city), role=ScoreRole.STREET)
    with pytest.raises(PermissionDenied):  # 市政处: a handling unit outside 东街道
        score(city, opened, shops[0], [1, 1, 1], who=P.HANDLER, role=ScoreRole.STREET)
    with pytest.raises(PermissionDenied):  # an inspector does not score as the street
        score(city, opened, shops[0], [1, 1, 1], role=ScoreRole.STREET)
    with pytest.raises(PermissionDenied):  # the leader scores nothing
        score(city, opened, shops[0], [1, 1, 1], who=P.LEADER)


# --- votes -------------------------------------------------------------------------------


def test_one_vote_per_phone_per_campaign_the_phone_kept_only_as_an_hmac(city, shops, opened):
    cast = vote(opened, shops[0], phone="１３９ 1234 5678")  # full-width digits, spaces
    assert cast.entry.shop == shops[0]
    assert "13912345678" not in cast.phone_hash
    assert CampaignVoteCode.objects.get().phone == ""
    with pytest.raises(CampaignRefused) as refusal:
        votes.vote_code_send(campaign=opened, phone="13912345678", address="198.51.100.1", now=NOW)
    assert refusal.value.code == "voted"
    vote(opened, shops[0], phone="13912345679")
    assert CampaignVote.objects.filter(campaign=opened).count() == 2


def test_a_wrong_code_casts_no_vote(city, shops, opened):
    row = votes.vote_code_send(campaign=opened, phone="13912345678", address=ADDRESS, now=NOW)
    assert CampaignVoteCode.objects.get().phone == ""  # only while the code went out
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    with pytest.raises(CampaignRefused) as refusal:
        votes.vote_cast(
            vote_code=row, code=wrong, entry=entry_of(opened, shops[0]), address=ADDRESS, now=NOW
        )
    assert refusal.value.code == "wrong_code"
    assert not CampaignVote.objects.exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.CLOSED, S.APPROVED, S.PUBLISHED])
def test_votes_are_taken_only_while_the_campaign_is_open(city, shops, status):
    created = campaign(city)
    Campaign.objects.filter(pk=created.pk).update(status=status)
    created.refresh_from_db()
    with pytest.raises(CampaignRefused) as refusal:
        votes.vote_code_send(campaign=created, phone="13912345678", address=ADDRESS, now=NOW)
    assert refusal.value.code == "not_open"


def test_a_vote_after_the_period_or_once_scoring_closed_is_refused(city, shops, opened):
    row = votes.vote_code_send(campaign=opened, phone="13912345678", address=ADDRESS, now=NOW)
    entry = entry_of(opened, shops[0])
    with pytest.raises(CampaignRefused):
        votes.vote_cast(
            vote_code=row,
            code=last_code(),
            entry=entry,
            address=ADDRESS,
            now=at(2026, 6, 1, 0, 1),
        )
    c.campaign_close(campaign=opened, actor=city.people[P.INSPECTOR], now=NOW)
    row.refresh_from_db()
    with pytest.raises(CampaignRefused):
        votes.vote_cast(vote_code=row, code="000000", entry=entry, address=ADDRESS, now=NOW)
    assert not CampaignVote.objects.exists()


def test_no_public_vote_when_its_weight_is_zero(city, shops):
    created = campaign(city, weight_inspectors=80, weight_public=0)
    c.campaign_open(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    with pytest.raises(CampaignRefused):
        votes.vote_code_send(campaign=created, phone="13912345678", address=ADDRESS, now=NOW)


def test_one_address_asks_for_a_limited_number_of_codes_an_hour(city, shops, opened):
    for n in range(votes.VOTE_CODES_PER_ADDRESS_HOUR):
        votes.vote_code_send(campaign=opened, phone=f"139000{n:05d}", address=ADDRESS, now=NOW)
    with pytest.raises(CampaignRefused) as refusal:
        votes.vote_code_send(campaign=opened, phone="13800000000", address=ADDRESS, now=NOW)
    assert refusal.value.code == "rate_limited"
    next_hour = NOW + datetime.timedelta(hours=1)
    votes.vote_code_send(campaign=opened, phone="13800000000", address=ADDRESS, now=next_hour)
    votes.vote_code_send(campaign=opened, phone="13800000001", address="198.51.100.1", now=NOW)


def test_a_bad_phone_number_is_refused_by_field(city, shops, opened):
    for phone in ("", "1234", "139123456789", "\x00"):
        with pytest.raises(ValidationError) as error:
            votes.vote_code_send(campaign=opened, phone=phone, address=ADDRESS, now=NOW)
        assert "phone" in error.value.message_dict


# --- results, approval, publishing -------------------------------------------------------


def test_the_result_is_the_weighted_sum_of_the_parts_each_brought_to_100(city, shops, opened):
    first, second = shops
    score(city, opened, first, [40, 30, 30])  # 100
    score(city, opened, first, [20, 15, 15], who=P.OFFICER)  # 50 → inspectors 75
    score(city, opened, first, [20, 10, 10], who=street_scorer(city), role=ScoreRole.STREET)
    score(city, opened, second, [40, 30, 20])  # 90
    vote(opened, first, phone="13912340001")
    vote(opened, second, phone="13912340002")
    vote(opened, second, phone="13912340003")
    closed = c.campaign_close(campaign=opened, actor=city.people[P.INSPECTOR], now=NOW)
    a, b = entry_of(closed, first), entry_of(closed, second)
    assert (a.inspector_score, a.street_score, a.votes, a.public_score) == (
        Decimal("75.00"),
        Decimal("40.00"),
        1,
        Decimal("50.00"),
    )
    assert a.result == Decimal("63.00")  # 0.6 × 75 + 0.2 × 40 + 0.2 × 50
    assert (b.inspector_score, b.street_score, b.public_score) == (Decimal("90.00"), None, 100)
    assert b.result == Decimal("74.00")  # 0.6 × 90 + 0 + 0.2 × 100
    assert [(b.rank, b.awarded), (a.rank, a.awarded)] == [(1, True), (2, False)]


def test_star_rating_gives_the_highest_level_the_result_reaches(city, shops):
    created = campaign(
        city,
        kind=CampaignKind.STARS,
        title="2026年度星级商户",
        weight_inspectors=100,
        weight_streets=0,
        weight_public=0,
        star_thresholds=[
            {"stars": 3, "min_result": 70},
            {"stars": 5, "min_result": 90},
            {"stars": 4, "min_result": 80},
        ],
    )
    c.campaign_open(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    score(city, created, shops[0], [40, 30, 20])  # 90
    score(city, created, shops[1], [30, 20, 15])  # 65
    c.campaign_close(campaign=created, actor=city.people[P.INSPECTOR], now=NOW)
    assert [(e.shop, e.stars, e.awarded) for e in created.entries.order_by("rank")] == [
        (shops[0], 5, True),
        (shops[1], 0, False),
    ]


def test_entries_tied_with_the_last_title_all_win_it(city, shops, opened):
    for shop in shops:
        score(city, opened, shop, [30, 30, 30])
    c.campaign_close(campaign=opened, actor=city.people[P.INSPECTOR], now=NOW)
    assert list(opened.entries.values_list("rank", "awarded")) == [(1, True), (1, True)]


@pytest.mark.parametrize("post", [P.INSPECTOR, P.SQUAD_LEADER, P.LEGAL_REVIEWER, P.HANDLER])
def test_only_the_leader_approves_for_the_committee(city, shops, opened, post):
    c.campaign_close(campaign=opened, actor=city.people[P.INSPECTOR], now=NOW)
    with pytest.raises(PermissionDenied):
        c.campaign_approve(campaign=opened, minutes="同意", actor=city.people[post], now=NOW)
    opened.refresh_from_db()
    assert opened.status == S.CLOSED


def test_the_approval_needs_the_minutes_and_records_them(city, shops, opened):
    c.campaign_close(campaign=opened, actor=city.people[P.INSPECTOR], now=NOW)
    with pytest.raises(ValidationError):
        c.campaign_approve(campaign=opened, minutes="  ", actor=city.people[P.LEADER], now=NOW)
    approved = c.campaign_approve(
        campaign=opened, minutes="评审委员会第3次会议同意", actor=city.people[P.LEADER], now=NOW
    )
    assert (approved.approved_by, approved.minutes) == (
        city.people[P.LEADER],
        "评审委员会第3次会议同意",
    )
    assert RecordEntry.objects.get(action="merchants.campaign_approve").reason == (
        "评审委员会第3次会议同意"
    )


def test_publishing_awards_the_title_credit_once_and_adds_its_points(city, shops, opened):
    winner, other = shops
    score(city, opened, winner, [40, 30, 30])
    score(city, opened, other, [10, 10, 10])
    before = CreditScore.objects.get(merchant=winner.merchant).points
    c.campaign_close(campaign=opened, actor=city.people[P.INSPECTOR], now=NOW)
    c.campaign_approve(campaign=opened, minutes="同意", actor=city.people[P.LEADER], now=NOW)
    assert not CreditEvent.objects.exists()  # nothing before publishing
    later = NOW + datetime.timedelta(days=1)
    published = c.campaign_publish(campaign=opened, actor=city.people[P.INSPECTOR], now=later)
    event = CreditEvent.objects.get()
    entry = entry_of(published, winner)
    assert (event.merchant, event.kind, event.source_id) == (
        winner.merchant,
        EventKind.CIVILISED_TITLE,
        str(entry.pk),
    )
    assert event.occurred_at == later
    assert CreditScore.objects.get(merchant=winner.merchant).points == before + 100
    with pytest.raises(CampaignRefused):
        c.campaign_publish(campaign=published, actor=city.people[P.INSPECTOR], now=later)
    on_title_awarded(entry=entry, now=later)  # announced again: still one event
    assert CreditEvent.objects.count() == 1
    assert CreditScore.objects.get(merchant=winner.merchant).points == before + 100
    assert selectors.published_campaigns().get().awarded_entries == [entry]
