"""Rules of law through the API's door: the same guards as the services and the pages
(行政处罚法 第三十四、四十二、六十六条), answered 400 for the input and 409 for the law."""

import datetime

import pytest

from tests.api.helpers import api_as, error_of
from tests.api.test_cases_api import opening
from tests.cases.helpers import P, at, load_catalogue
from yangguang.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(certified, time_machine):
    """The personas, the catalogue, and "now" a working Monday after the cases' dates."""
    time_machine.move_to(at(2026, 11, 23, 10), tick=False)
    load_catalogue()
    reviewer = certified[P.LEGAL_REVIEWER]
    reviewer.legal_qualification = "A20213700000001"  # 第五十八条第二款
    reviewer.save(update_fields=["legal_qualification"])
    return certified


def test_art42_one_officer_cannot_open_a_case_through_the_api(people):
    """Outside testing: POST /api/v1/cases/ with one officer answered 201."""
    officer = people[P.OFFICER]
    alone = [{"user": officer.pk, "certificate": officer.certificates.get().number}]
    response = api_as(officer).post(
        "/api/v1/cases/", opening(people, officers=alone), format="json"
    )
    assert response.status_code == 400
    assert "第四十二条" in " ".join(error_of(response)["fields"]["officers"])
    assert not Case.objects.exists()


def test_art42_a_partner_whose_certificate_expired_in_2020_is_refused(people):
    leader = people[P.SQUAD_LEADER]
    leader.certificates.update(
        valid_from=datetime.date(2015, 1, 1), valid_to=datetime.date(2020, 12, 31)
    )
    response = api_as(people[P.OFFICER]).post("/api/v1/cases/", opening(people), format="json")
    assert response.status_code == 400
    assert "第四十二条" in " ".join(error_of(response)["fields"]["officers"])
    assert not Case.objects.exists()


def test_art34_the_api_refuses_a_fine_without_a_standard_or_a_reason(people):
    from tests.cases.test_law import stall_case

    case = stall_case(people, "30000")
    response = api_as(people[P.OFFICER]).post(
        f"/api/v1/cases/{case.pk}/end_investigation/", {}, format="json"
    )
    assert response.status_code == 409
    assert "第三十四条" in error_of(response)["message"]


def test_art66_instalments_through_the_api(people, time_machine):
    from tests.cases.test_law import served

    case = served(people)
    time_machine.move_to(at(2026, 10, 10, 10), tick=False)
    leader = api_as(people[P.LEADER])
    url = f"/api/v1/cases/{case.pk}/defer_payment/"
    plan = {
        "reason": "经营困难",
        "applied_on": "2026-10-09",
        "instalments": [
            {"due_on": "2026-11-10", "amount": "2000"},
            {"due_on": "2026-12-10", "amount": "3000"},
        ],
    }
    short = leader.post(url, plan, format="json")
    assert short.status_code == 409
    assert "第六十六条" in error_of(short)["message"]
    plan["instalments"][1]["amount"] = "4000"
    response = leader.post(url, plan, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["payment_due"] == "2026-11-10"
    too_many = [{"due_on": "2027-01-01", "amount": "1"}] * 37
    bounded = leader.post(url, plan | {"instalments": too_many}, format="json")
    assert bounded.status_code == 400
    assert "instalments" in error_of(bounded)["fields"]


def test_art64_the_hearing_may_be_held_on_the_7th_working_day_after_the_notice(
    people, time_machine
):
    """第六十四条第二项 through the API: notified 9-30, the 7th working day is 10-15
    (10-1…10-7 National Day, 10-10 a make-up Saturday)."""
    from tests.cases.helpers import go
    from tests.cases.test_law import notified

    case = notified(people, fine="10000")
    go(case, "request_hearing", P.OFFICER, people, now=at(2026, 9, 30, 9))
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    leader = api_as(people[P.SQUAD_LEADER])
    url = f"/api/v1/cases/{case.pk}/schedule_hearing/"
    body = {"presider": people[P.LEADER].pk}
    early = leader.post(url, body | {"hearing_at": "2026-10-14T15:00:00+08:00"}, format="json")
    assert early.status_code == 409
    assert "第六十四条" in error_of(early)["message"]
    held = leader.post(url, body | {"hearing_at": "2026-10-15T09:00:00+08:00"}, format="json")
    assert held.status_code == 200, held.json()
