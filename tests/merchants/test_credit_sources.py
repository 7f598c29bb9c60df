"""Credit events come from their sources, never typed twice: a verified report of 店外经营
/占道经营 in one shop's zone, a decided penalty against a merchant's credit code, an
overdue or corrected 整改 (docs/merchants.md)."""

import pytest

from tests.cases.helpers import P, at, company, go
from tests.cases.test_law import notified
from tests.merchants.helpers import FAR, IN_ZONE, merchant, shop
from tests.reports.helpers import go as loop
from tests.reports.helpers import photo, submit
from yangguang.categories.models import Category
from yangguang.core import events
from yangguang.credit import handlers
from yangguang.credit.enums import EventKind
from yangguang.credit.models import CreditEvent, CreditScore
from yangguang.org.enums import PostCode
from yangguang.reports.enums import DisposalMode

pytestmark = pytest.mark.django_db


def street_order(code: str = "09005") -> Category:
    return Category.objects.get(standard__code="GB/T 47678.5-2026", kind="event", code=code)


def handled_report(city, *, where=IN_ZONE, category=None):
    report, _token = submit(
        city,
        category=category or street_order(),
        description="店门口摆满桌椅，店外经营",
        longitude=where[0],
        latitude=where[1],
    )
    loop(report, "accept", PostCode.INTAKE, city)
    loop(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.squadron1)
    loop(report, "claim", PostCode.OFFICER, city)
    return loop(
        report,
        "handle",
        PostCode.OFFICER,
        city,
        result="已劝导商户收回桌椅",
        disposal_mode=DisposalMode.MANAGEMENT,
        photos=[photo()],
    )


def test_credit_hears_reports_cases_and_rectifications_through_core_events():
    assert handlers.on_report_verified in events.handlers_of(events.REPORT_VERIFIED)
    assert handlers.on_case_decided in events.handlers_of(events.CASE_DECIDED)
    assert handlers.on_rectification_overdue in events.handlers_of(events.RECTIFICATION_OVERDUE)


def test_a_verified_report_in_the_zone_counts_against_the_shop_and_names_the_report(city):
    owner = merchant(city)
    front = shop(city, owner)
    report = handled_report(city)
    assert not CreditEvent.objects.exists()  # handled is not verified
    loop(report, "verify_pass", PostCode.INSPECTOR, city, photos=[photo("check.jpg", size=20)])
    event = CreditEvent.objects.get()
    assert (event.merchant, event.shop, event.kind) == (owner, front, EventKind.REPORT_VERIFIED)
    assert (event.source_type, event.source_id) == ("reports.report", str(report.pk))
    assert report.tracking_number in event.source_repr
    assert CreditScore.objects.get(merchant=owner).points == 980


def test_a_failed_verification_or_a_rejected_report_counts_nothing(city):
    shop(city, merchant(city))
    report = handled_report(city)
    loop(report, "verify_fail", PostCode.INSPECTOR, city, reason="桌椅仍在", photos=[photo()])
    rejected, _token = submit(
        city, category=street_order(), longitude=IN_ZONE[0], latitude=IN_ZONE[1]
    )
    loop(rejected, "reject", PostCode.INTAKE, city, reason="重复举报")
    assert not CreditEvent.objects.exists()


def test_a_report_outside_every_zone_or_of_another_category_counts_nothing(city):
    shop(city, merchant(city))
    for report in (handled_report(city, where=FAR), handled_report(city, category=city.lamp)):
        loop(report, "verify_pass", PostCode.INSPECTOR, city, photos=[photo("v.jpg", size=30)])
    assert not CreditEvent.objects.exists()


def test_a_report_in_two_overlapping_zones_is_charged_to_neither(city):
    shop(city, merchant(city, n=1))
    shop(city, merchant(city, n=2), trade_name="隔壁水果店")
    report = handled_report(city)
    loop(report, "verify_pass", PostCode.INSPECTOR, city, photos=[photo()])
    assert not CreditEvent.objects.exists()


def test_a_decided_penalty_counts_against_the_merchant_with_its_grade_and_no_penalty_does_not(
    city, people
):
    party = company()
    owner = merchant(city, credit_code=party.credit_code)
    case = notified(people, fine="6000", party=party)
    go(case, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))
    case = go(case, "decide", P.LEADER, people, now=at(2026, 9, 30, 11))
    event = CreditEvent.objects.get(merchant=owner)
    assert (event.kind, event.severity) == (EventKind.PENALTY_DECIDED, case.grade)
    assert event.source_id == str(case.pk)
    assert case.number in event.reason

    other = company(credit_code=merchant(city, n=2).credit_code)
    spared = notified(people, fine="6000", party=other)
    go(spared, "waive_rights", P.OFFICER, people, now=at(2026, 9, 30))
    go(
        spared,
        "decide",
        P.LEADER,
        people,
        now=at(2026, 9, 30, 11),
        outcome="no_penalty",
        education_note="已对当事人进行教育",
    )
    assert CreditEvent.objects.count() == 1
