"""The demo's street of shops (issue 13): about forty open shops on one street, every
grade band of the active scheme held by a merchant from real sources, 整改 in every
state, letters signed both ways and some waiting, one repair approved and one waiting,
a finished 文明商家 campaign.
The demo is loaded once per test (as tests/core/test_demo.py does), so the street's
facts are checked together."""

import datetime
import logging
import zoneinfo
from collections import Counter

import pytest
from django.urls import reverse

from yangguang.core.demo import DemoSmsGateway, demo_city_load
from yangguang.core.demo_geometry import STREETS
from yangguang.core.demo_merchants import CIVILISED, DEMO_MERCHANT_PHONE, ROAD, SHOPS
from yangguang.credit.enums import CreditList, EventKind, RepairStatus
from yangguang.credit.models import CreditEvent, CreditScore, RepairApplication
from yangguang.credit.scheme import rules_from
from yangguang.credit.scoring import active_scheme
from yangguang.merchants.enums import LetterStatus, RectificationStatus, ShopStatus, SignMethod
from yangguang.merchants.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Merchant,
    Rectification,
    ResponsibilityLetter,
    Shop,
)
from yangguang.merchants.selectors import shops_at, street_shops
from yangguang.notify.models import Message

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert demo_city_load().created is True


def test_demo_street_has_its_open_shops_each_in_a_grid_of_the_first_sub_district(demo):
    shops = list(street_shops(ROAD))
    assert len(shops) >= 35
    assert len(shops) == len(SHOPS) - 1  # one has closed
    assert Shop.objects.filter(street_name=ROAD, status=ShopStatus.CLOSED).count() == 1
    assert {shop.grid.community.parent.name for shop in shops} == {STREETS[0][0]}
    # Zones do not overlap: a report at a zone's centre is at that shop only.
    for shop in shops[:6]:
        ring = shop.zone["coordinates"][0]
        lon = sum(point[0] for point in ring[:-1]) / (len(ring) - 1)
        lat = sum(point[1] for point in ring[:-1]) / (len(ring) - 1)
        assert shops_at(lon=lon, lat=lat) == [shop]
    assert Merchant.objects.filter(shops__street_name=ROAD).distinct().count() < len(SHOPS)


def test_demo_street_has_every_grade_of_the_active_scheme_from_its_sources(demo):
    rules = rules_from(active_scheme().rules)
    on_the_street = Merchant.objects.filter(shops__street_name=ROAD).distinct()
    grades = Counter(
        CreditScore.objects.filter(merchant__in=on_the_street).values_list("grade", flat=True)
    )
    assert set(grades) == {band.grade for band in rules.bands}
    assert grades[rules.bands[0].grade] > len(SHOPS) // 2  # most shops do well
    lists = Counter(CreditScore.objects.values_list("credit_list", flat=True))
    assert lists[CreditList.BLACK] == 1
    assert lists[CreditList.RED] >= 20
    sources = set(CreditEvent.objects.values_list("kind", "source_type"))
    assert {
        (EventKind.REPORT_VERIFIED, "reports.report"),
        (EventKind.RECTIFICATION_OVERDUE, "merchants.rectification"),
        (EventKind.CORRECTED_ON_TIME, "merchants.rectification"),
        (EventKind.PENALTY_DECIDED, "cases.case"),
    } <= sources
    black = CreditScore.objects.get(credit_list=CreditList.BLACK).merchant
    assert black.credit_events.get(kind=EventKind.PENALTY_DECIDED).severity == "serious"


def test_demo_street_has_letters_rectifications_repairs_and_a_finished_campaign(demo):
    letters = Counter(
        ResponsibilityLetter.objects.filter(shop__street_name=ROAD).values_list(
            "status", "sign_method"
        )
    )
    assert letters[(LetterStatus.SIGNED, SignMethod.ELECTRONIC)] > len(SHOPS) // 2
    assert letters[(LetterStatus.SIGNED, SignMethod.PAPER)] == 1
    assert letters[(LetterStatus.ISSUED, "")] == 3
    assert set(Rectification.objects.values_list("status", flat=True)) == set(RectificationStatus)
    repairs = Counter(RepairApplication.objects.values_list("status", flat=True))
    assert repairs == {RepairStatus.SUBMITTED: 1, RepairStatus.APPROVED: 1}
    waiting = RepairApplication.objects.get(status=RepairStatus.SUBMITTED)
    assert waiting.event.occurred_at < NOW - datetime.timedelta(days=92)
    assert waiting.event.repaired_at is None
    campaign = Campaign.objects.get()
    assert (campaign.kind, campaign.status) == (CampaignKind.CIVILISED, CampaignStatus.PUBLISHED)
    awarded = set(campaign.entries.filter(awarded=True).values_list("shop__trade_name", flat=True))
    assert awarded == set(CIVILISED)
    titled = CreditEvent.objects.filter(kind=EventKind.CIVILISED_TITLE)
    assert set(titled.values_list("shop__trade_name", flat=True)) == set(CIVILISED)


def test_demo_merchant_signs_in_with_credit_code_and_mobile(demo, client):
    """The sign-in page texts a code to the demo merchant's mobile (the demo's console
    shows it: core.demo.DemoSmsGateway)."""
    merchant = Merchant.objects.get(phone=DEMO_MERCHANT_PHONE)
    response = client.post(
        reverse("portal:merchant_sign_in"),
        {"step": "identify", "credit_code": merchant.credit_code, "phone": DEMO_MERCHANT_PHONE},
    )
    assert response.status_code == 302
    assert Message.objects.filter(phone=DEMO_MERCHANT_PHONE, purpose="merchant_code").count() == 1


def test_demo_gateway_shows_the_demo_merchants_code(caplog):
    caplog.set_level(logging.INFO, logger="yangguang.sms")
    DemoSmsGateway().send(phone=DEMO_MERCHANT_PHONE, text="验证码 123456", masked_text="验证码 ***")
    assert "123456" in caplog.text
    assert DEMO_MERCHANT_PHONE not in caplog.text
