"""The case API: open, assess and move a case through /api/v1/cases/ under the same
rules as the services — 409 with the article when the law refuses, 400 for bad input,
404 outside the user's scope, the party's data masked for readers without the right."""

import pytest

from tests.api.helpers import api_as, error_of
from tests.cases.helpers import P, load_catalogue
from tests.factories import UserFactory
from yangguang.cases.enums import Status
from yangguang.cases.identity import generate_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(certified):
    load_catalogue()
    return certified


def opening(people, **overrides) -> dict:
    import datetime

    officer, leader = people[P.OFFICER], people[P.SQUAD_LEADER]
    return {
        "procedure": "ordinary",
        "source": "patrol",
        "title": "餐饮油烟超标排放",
        "facts": "油烟净化设施未正常使用，超标排放。",
        "act_started_on": "2026-11-02",
        "act_ended_on": "2026-11-02",
        "discovered_on": "2026-11-02",
        "party": {
            "kind": "individual",
            "name": "王五",
            "id_number": generate_id_number("370802", datetime.date(1988, 8, 8), 33),
            "phone": "13911112222",
        },
        "officers": [
            {"user": officer.pk, "certificate": officer.certificates.get().number},
            {"user": leader.pk, "certificate": leader.certificates.get().number},
        ],
        "violation": "DQ-001",
        **overrides,
    }


def test_a_case_is_opened_assessed_and_filed_through_the_api(people):
    officer = api_as(people[P.OFFICER])
    created = officer.post("/api/v1/cases/", opening(people), format="json")
    assert created.status_code == 201, created.json()
    case = created.json()
    assert case["status"] == Status.PROPOSED
    assert case["party_name"] == "王五"
    assessed = officer.post(
        f"/api/v1/cases/{case['id']}/assess/",
        {
            "violation": "DQ-001",
            "circumstances": {"harm": "minor"},
            "penalty_kinds": ["fine"],
            "fine": "6000",
        },
        format="json",
    )
    assert assessed.status_code == 200, assessed.json()
    assert assessed.json()["proposal"]["grade"] == "general"
    filed = api_as(people[P.SQUAD_LEADER]).post(
        f"/api/v1/cases/{case['id']}/file/", {}, format="json"
    )
    assert filed.status_code == 200, filed.json()
    assert filed.json()["status"] == Status.INVESTIGATING
    assert [d["title"] for d in filed.json()["documents"]] == ["立案审批表"]
    assert any(d["kind"] == "decision" for d in filed.json()["deadlines"])


def test_a_step_the_law_forbids_is_409_with_the_article(people):
    officer = api_as(people[P.OFFICER])
    case = officer.post("/api/v1/cases/", opening(people), format="json").json()
    api_as(people[P.SQUAD_LEADER]).post(f"/api/v1/cases/{case['id']}/file/", {}, format="json")
    response = officer.post(f"/api/v1/cases/{case['id']}/end_investigation/", {}, format="json")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "invalid"
    decided = api_as(people[P.LEADER]).post(
        f"/api/v1/cases/{case['id']}/decide/", {}, format="json"
    )
    assert decided.status_code == 409
    assert error_of(decided)["code"] == "wrong_status"


def test_a_verb_outside_the_posts_rights_is_409_not_permitted(people):
    officer = api_as(people[P.OFFICER])
    case = officer.post("/api/v1/cases/", opening(people), format="json").json()
    response = officer.post(f"/api/v1/cases/{case['id']}/file/", {}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "not_permitted"


def test_summary_fine_above_the_limit_is_409_citing_article_51(people):
    officer = api_as(people[P.OFFICER])
    case = officer.post(
        "/api/v1/cases/", opening(people, procedure="simple", violation="SR-001"), format="json"
    ).json()
    response = officer.post(
        f"/api/v1/cases/{case['id']}/decide_on_the_spot/",
        {"penalty_kinds": ["fine"], "fine": "500", "party_informed": True},
        format="json",
    )
    assert response.status_code == 409
    assert "第五十一条" in error_of(response)["message"]


def test_bad_identity_number_is_400_on_its_field_and_nothing_is_written(people):
    body = opening(people)
    body["party"]["id_number"] = body["party"]["id_number"][:-1] + (
        "0" if body["party"]["id_number"][-1] != "0" else "1"
    )
    response = api_as(people[P.OFFICER]).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert "party_id_number" in error_of(response)["fields"]
    assert api_as(people[P.OFFICER]).get("/api/v1/cases/").json()["count"] == 0


def test_a_case_outside_the_scope_is_404_and_the_party_masked_for_others(people, org_tree):
    case = api_as(people[P.OFFICER]).post("/api/v1/cases/", opening(people), format="json").json()
    outsider = UserFactory(unit=org_tree.squadron2, posts=[P.OFFICER])
    assert api_as(outsider).get(f"/api/v1/cases/{case['id']}/").status_code == 404
    inspector = api_as(people[P.INSPECTOR])  # same squadron, no case post
    detail = inspector.get(f"/api/v1/cases/{case['id']}/").json()
    assert detail["party_name"] == "王*"
    assert "*" in detail["party_id_number"]
    listed = api_as(people[P.OFFICER]).get("/api/v1/cases/").json()["results"][0]
    assert listed["party_name"] == "王*"


def test_an_officer_writes_an_inquiry_record_through_the_api(people):
    officer = api_as(people[P.OFFICER])
    case = officer.post("/api/v1/cases/", opening(people), format="json").json()
    response = officer.post(
        f"/api/v1/cases/{case['id']}/records/",
        {"kind": "inquiry_record", "text": "问：油烟设施是否开启？答：未开启。"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [d["title"] for d in response.json()["documents"]] == ["询问笔录"]
    bad = officer.post(
        f"/api/v1/cases/{case['id']}/records/", {"kind": "decision", "text": "x"}, format="json"
    )
    assert bad.status_code == 400
    assert "kind" in error_of(bad)["fields"]


def test_a_case_opened_from_a_report_links_back_to_it(people, city):
    from tests.reports.helpers import submit

    report, _token = submit(city)
    officer = api_as(people[P.OFFICER])
    created = officer.post(
        "/api/v1/cases/",
        opening(people, source="report", report=report.tracking_number),
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["report"] == report.tracking_number
    unknown = officer.post(
        "/api/v1/cases/", opening(people, source="report", report="20990101000001"), format="json"
    )
    assert unknown.status_code == 400
    assert "report" in error_of(unknown)["fields"]


def test_another_act_through_the_api(people):
    officer = api_as(people[P.OFFICER])
    case = officer.post("/api/v1/cases/", opening(people), format="json").json()
    url = f"/api/v1/cases/{case['id']}/"
    officer.post(
        url + "assess/",
        {"violation": "DQ-001", "penalty_kinds": ["fine"], "fine": "6000"},
        format="json",
    )
    same = officer.post(url + "assess/", {"violation": "DQ-001", "additional": True}, format="json")
    assert same.status_code == 400
    assert "第二十九条" in str(error_of(same)["fields"])
    other = officer.post(
        url + "assess/",
        {"violation": "HW-002", "penalty_kinds": ["fine"], "fine": "150", "additional": True},
        format="json",
    )
    assert [v["code"] for v in other.json()["violations"]] == ["DQ-001", "HW-002"]
    assert other.json()["fine"] == "6150.00"
    removed = officer.post(url + "remove_violation/", {"violation": "HW-002"}, format="json")
    assert removed.json()["fine"] == "6000.00"
