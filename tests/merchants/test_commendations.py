"""表彰 counts in credit from its record, entered once by the legal office with the
document that awarded it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.merchants.helpers import at, merchant, shop
from yangguang.credit.enums import EventKind
from yangguang.credit.models import CreditEvent, CreditScore
from yangguang.merchants.commendations import commendation_record
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db


def record(city, owner, **changes):
    values = {
        "merchant": owner,
        "title": "2026年度门前三包示范户",
        "awarded_by": "东街道办事处",
        "awarded_on": datetime.date(2026, 6, 1),
        "reference": "东街发〔2026〕12号",
        "actor": city.people[PostCode.LEGAL_REVIEWER],
        "now": at(2026, 6, 3, 10),
        **changes,
    }
    return commendation_record(**values)


def test_a_commendation_counts_for_the_merchant_once_dated_the_day_it_was_awarded(city):
    owner = merchant(city)
    commendation = record(city, owner)
    event = CreditEvent.objects.get()
    assert (event.kind, event.source_id) == (EventKind.COMMENDATION, str(commendation.pk))
    assert event.occurred_at.date() == datetime.date(2026, 6, 1)
    assert "东街道办事处" in event.reason
    assert CreditScore.objects.get(merchant=owner).points == 1050


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"awarded_by": "x\x00"}, "awarded_by"),
        ({"awarded_on": datetime.date(2026, 6, 4)}, "awarded_on"),
        ({"awarded_on": datetime.date(2024, 12, 31)}, "awarded_on"),
    ],
)
def test_a_commendation_without_its_facts_is_refused_by_field(city, changes, field):
    with pytest.raises(ValidationError) as refused:
        record(city, merchant(city), **changes)
    assert field in refused.value.message_dict
    assert not CreditEvent.objects.exists()


def test_only_the_legal_office_records_and_only_for_the_merchants_own_shop(city):
    owner, other = merchant(city, n=1), merchant(city, n=2)
    theirs = shop(city, other)
    with pytest.raises(PermissionDenied):
        record(city, owner, actor=city.people[PostCode.INSPECTOR])
    with pytest.raises(ValidationError):
        record(city, owner, shop=theirs)


def test_the_page_records_it_and_refuses_others(client, city):
    owner = merchant(city)
    url = f"/staff/merchants/{owner.pk}/commendations/new/"
    client.force_login(city.people[PostCode.INSPECTOR])
    assert client.get(url).status_code == 403
    client.force_login(city.people[PostCode.LEGAL_REVIEWER])
    assert client.get(url).status_code == 200
    assert client.get("/staff/merchants/９/commendations/new/").status_code == 404
    bad = client.post(url, {"title": "", "awarded_by": "街道", "awarded_on": "2026-06-01"})
    assert bad.status_code == 400
    response = client.post(
        url,
        {"title": "示范户", "awarded_by": "街道", "awarded_on": "2020-01-01", "reference": ""},
    )
    assert response.status_code == 400  # too old to count, whatever the day the test runs
    assert not CreditEvent.objects.exists()


def test_the_legal_office_records_one_on_the_page(client, city, time_machine):
    time_machine.move_to(at(2026, 6, 3, 10), tick=False)
    owner = merchant(city)
    client.force_login(city.people[PostCode.LEGAL_REVIEWER])
    response = client.post(
        f"/staff/merchants/{owner.pk}/commendations/new/",
        {"title": "示范户", "awarded_by": "东街道办事处", "awarded_on": "2026-06-01"},
    )
    assert response.status_code == 302
    assert CreditScore.objects.get(merchant=owner).points == 1050
