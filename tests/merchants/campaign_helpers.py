"""Helpers of the campaign tests: two shops on 东街 in the city's first grid (community 1
of 东街道), a campaign entering them, a sub-district scorer, and the code a voter's
phone receives."""

import datetime
import re

from tests.factories import UserFactory
from tests.merchants.helpers import at, merchant, shop
from tests.notify.helpers import worker_round
from yangguang.merchants.campaigns import CampaignFields, campaign_create
from yangguang.merchants.models import CampaignKind
from yangguang.org.enums import PostCode

# "Now" in every campaign test: the period runs through May 2026.
NOW = at(2026, 5, 12, 10)
CRITERIA = [
    {"item": "门前三包落实", "max_points": 40},
    {"item": "店容店貌整洁", "max_points": 30},
    {"item": "诚信经营", "max_points": 30},
]


def two_shops(city):
    first = shop(city, merchant(city, n=1), trade_name="老张小吃", address="东街一号")
    second = shop(city, merchant(city, n=2), trade_name="李记面馆", address="东街二号")
    return first, second


def fields(**overrides) -> CampaignFields:
    values = {
        "name": "2026年东街文明商家评选",
        "kind": CampaignKind.CIVILISED,
        "starts_on": datetime.date(2026, 5, 1),
        "ends_on": datetime.date(2026, 5, 31),
        "criteria": CRITERIA,
        "weight_inspectors": 60,
        "weight_streets": 20,
        "weight_public": 20,
        "title": "2026年度文明商家",
        "streets": ["东街"],
        "titles": 1,
        **overrides,
    }
    return CampaignFields(**values)


def campaign(city, **overrides):
    return campaign_create(data=fields(**overrides), actor=city.people[PostCode.INSPECTOR], now=NOW)


def street_scorer(city):
    """Staff of 东街道 (the sub-district of the shops' grid) holding the handler post."""
    return UserFactory(
        username="jiedao", name="街道用户", unit=city.org.street, posts=[PostCode.HANDLER]
    )


def last_code(now: datetime.datetime = NOW) -> str:
    """The code as the voter's phone receives it (the outbox keeps it as ***), the
    worker's round run at ``now`` (a code's text is kept in full only while it lives)."""
    secret = [sms.text for sms in worker_round(now=now) if sms.text != sms.masked_text][-1]
    return re.search(r"(?<![\d-])(\d{6})(?!\d)", secret)[1]
