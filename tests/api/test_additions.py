"""What only the staff pages offered, now in the API too (issue 10 §2): a case document's
frozen text (with the party masked for readers without the right, as on the case page;
个人信息保护法 第六条/第五十一条, 等保2.0 GB/T 22239-2019 8.1.4.10), the deadline lights
of reports and cases with the deadline board, and the working-time deadline calculator
(行政处罚法 第八十五条; 民事诉讼法 第八十五条)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.api.helpers import api_as, api_client, error_of
from tests.api.test_cases_api import opening
from tests.cases.helpers import P, load_catalogue
from tests.factories import UserFactory
from tests.reports.helpers import submit
from yangguang.cases.deadlines import light as board_light
from yangguang.cases.enums import DeadlineState
from yangguang.cases.models import CaseDeadline
from yangguang.reports.workflow import report_transition

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday of the shipped 2026 calendar, inside the officers' certificates.
MONDAY = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
CALCULATOR = reverse("api:deadline")

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(certified):
    load_catalogue()
    return certified


@pytest.fixture
def filed_case(people):
    """A case opened by the officer and filed by the squadron leader on MONDAY, with an
    inquiry record naming the party in its prose."""
    with time_machine.travel(MONDAY, tick=False):
        officer = api_as(people[P.OFFICER])
        party = {**opening(people)["party"], "address": "东街道一社区12号"}
        case = officer.post("/api/v1/cases/", opening(people, party=party), format="json").json()
        officer.post(
            f"/api/v1/cases/{case['id']}/records/",
            {
                "kind": "inquiry_record",
                "text": "问：你是王五本人吗？电话13911112222？住东街道一社区12号？答：是。",
            },
            format="json",
        )
        filed = api_as(people[P.SQUAD_LEADER]).post(
            f"/api/v1/cases/{case['id']}/file/", {}, format="json"
        )
    assert filed.status_code == 200, filed.json()
    return filed.json()


def document_of(case: dict, title: str) -> dict:
    return next(document for document in case["documents"] if document["title"] == title)


def sections(response) -> dict[str, str]:
    return {row["heading"]: row["text"] for row in response.json()["sections"] if row["heading"]}


# --- A document's text ---------------------------------------------------------------------


def test_a_document_reads_as_issued_in_full_for_its_officers(people, filed_case):
    filing = document_of(filed_case, "立案审批表")

    response = api_as(people[P.OFFICER]).get(filing["url"])

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["sha256"], body["masked"]) == (
        "立案审批表",
        filing["sha256"],
        False,
    )
    assert sections(response)["当事人"] == "王五"
    assert sections(response)["联系电话"] == "13911112222"
    assert body["verify_url"].endswith("/")
    assert body["case"] == {"id": filed_case["id"], "number": filed_case["number"]}


def test_a_document_masks_the_party_for_readers_without_the_right(people, filed_case):
    """The inspector of the same squadron may see the case, not its party: the party's
    rows are masked as on the case page, and so is the party's name in the prose."""
    filing = document_of(filed_case, "立案审批表")
    inquiry = document_of(filed_case, "询问笔录")
    inspector = api_as(people[P.INSPECTOR])

    filing_text = inspector.get(filing["url"])
    inquiry_text = inspector.get(inquiry["url"])

    assert filing_text.json()["masked"] is True
    rows = sections(filing_text)
    assert (rows["当事人"], rows["联系电话"], rows["住址"]) == ("王*", "139****2222", "***")
    assert "*" in rows["公民身份号码"]
    prose = " ".join(row["text"] for row in inquiry_text.json()["sections"])
    assert "王五" not in prose
    assert "13911112222" not in prose
    assert "东街道一社区12号" not in prose
    assert "你是王*本人吗？电话139****2222？住***？" in prose


def test_a_document_outside_the_scope_or_of_another_case_is_404(people, filed_case, org_tree):
    filing = document_of(filed_case, "立案审批表")
    outsider = api_as(UserFactory(unit=org_tree.squadron2, posts=[P.OFFICER]))
    other = api_as(people[P.OFFICER]).post("/api/v1/cases/", opening(people), format="json")
    wrong_case = f"/api/v1/cases/{other.json()['id']}/documents/{filing['id']}/"

    assert outsider.get(filing["url"]).status_code == 404
    assert api_as(people[P.OFFICER]).get(wrong_case).status_code == 404
    odd = f"/api/v1/cases/{filed_case['id']}/documents/%D9%A3/"
    assert error_of(api_as(people[P.OFFICER]).get(odd))["code"] == "not_found"


# --- Deadline lights -------------------------------------------------------------------------


def dispatched_report(city):
    with time_machine.travel(MONDAY, tick=False):
        report, _token = submit(city)
        report = report_transition(report=report, verb="accept", actor=city.people[P.INTAKE])
        return report_transition(
            report=report,
            verb="dispatch",
            actor=city.people[P.DISPATCHER],
            unit=city.org.municipal,
        )


def report_light(city, report, at: datetime.datetime) -> tuple:
    with time_machine.travel(at, tick=False):
        body = api_as(city.people[P.DISPATCHER]).get(f"/api/v1/reports/{report.pk}/").json()
        listed = api_as(city.people[P.DISPATCHER]).get("/api/v1/reports/").json()["results"]
    assert [(row["light"], row["overdue"]) for row in listed] == [(body["light"], body["overdue"])]
    return body["light"], body["overdue"], body["deadline_state"]


def test_a_reports_light_turns_yellow_and_red_without_waiting_for_the_worker(city):
    report = dispatched_report(city)
    minute = datetime.timedelta(minutes=1)

    assert report_light(city, report, MONDAY) == ("green", False, "normal")
    assert report_light(city, report, report.warn_at + minute) == ("yellow", False, "normal")
    assert report_light(city, report, report.deadline + minute) == ("red", True, "normal")


def test_a_report_without_a_deadline_has_no_light(city):
    with time_machine.travel(MONDAY, tick=False):
        report, _token = submit(city)

    assert report_light(city, report, MONDAY) == (None, False, "normal")


def test_a_cases_deadlines_carry_the_boards_lights(people, filed_case):
    """The API's light of each running deadline is the deadline board's, at any time."""
    running = CaseDeadline.objects.filter(case_id=filed_case["id"], state=DeadlineState.OPEN)
    colour = {"normal": "green", "warning": "yellow", "overdue": "red"}
    due = min(deadline.due_at for deadline in running)
    moments = [MONDAY, due - datetime.timedelta(hours=2), due + datetime.timedelta(minutes=1)]

    for moment in moments:
        with time_machine.travel(moment, tick=False):
            officer = api_as(people[P.OFFICER])  # a session of the day
            case = officer.get(f"/api/v1/cases/{filed_case['id']}/").json()
            expected = {d.kind: colour[board_light(d, moment)] for d in running}
        assert {d["kind"]: d["light"] for d in case["deadlines"] if d["state"] == "open"} == (
            expected
        )
        assert {d["kind"]: d["overdue"] for d in case["deadlines"] if d["state"] == "open"} == {
            d.kind: moment > d.due_at for d in running
        }
    assert case["next_deadline"]["light"] == "red"


def test_the_deadline_board_lists_running_deadlines_in_scope_soonest_first(
    people, filed_case, org_tree
):
    with time_machine.travel(MONDAY, tick=False):
        board = api_as(people[P.SQUAD_LEADER]).get("/api/v1/cases/deadlines/").json()
        elsewhere = api_as(UserFactory(unit=org_tree.squadron2, posts=[P.SQUAD_LEADER]))
        empty = elsewhere.get("/api/v1/cases/deadlines/").json()

    rows = board["results"]
    assert {row["case"]["number"] for row in rows} == {filed_case["number"]}
    assert [row["due_at"] for row in rows] == sorted(row["due_at"] for row in rows)
    assert {row["light"] for row in rows} == {"green"}
    assert empty["count"] == 0


def test_the_case_list_reads_lights_in_the_same_queries_for_one_or_three_cases(
    people, django_assert_max_num_queries
):
    officer = api_as(people[P.OFFICER])
    leader = api_as(people[P.SQUAD_LEADER])
    with time_machine.travel(MONDAY, tick=False):
        for _ in range(3):
            case = officer.post("/api/v1/cases/", opening(people), format="json").json()
            leader.post(f"/api/v1/cases/{case['id']}/file/", {}, format="json")
        with django_assert_max_num_queries(12):
            listed = officer.get("/api/v1/cases/").json()["results"]

    assert [row["next_deadline"]["light"] for row in listed] == ["green"] * 3


# --- The deadline calculator ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "unit", "deadline"),
    [
        # 国庆节 2026: 1–7 October off, Saturday 10 October a make-up working day.
        ("2026-09-30T10:00:00+08:00", "1", "working_days", "2026-10-08T23:59:59+08:00"),
        ("2026-09-30T10:00:00+08:00", "3", "working_days", "2026-10-10T23:59:59+08:00"),
        ("2026-09-30T10:00:00+08:00", "3", "calendar_days", "2026-10-08T23:59:59+08:00"),
        ("2026-09-30T10:00:00+08:00", "24", "natural_hours", "2026-10-01T10:00:00+08:00"),
        ("2026-09-30T16:30:00+08:00", "2", "working_hours", "2026-10-08T10:00:00+08:00"),
        ("2026-09-30T08:30:00Z", "2", "working_hours", "2026-10-08T10:00:00+08:00"),
    ],
)
def test_the_calculator_counts_on_the_working_calendar(personas, start, amount, unit, deadline):
    response = api_as(personas[P.OFFICER]).get(
        CALCULATOR, {"start": start, "amount": amount, "unit": unit}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["deadline"] == deadline
    assert response.json()["unconfigured_years"] == []


def test_the_calculator_warns_of_years_without_a_holiday_calendar(personas):
    response = api_as(personas[P.OFFICER]).get(
        CALCULATOR, {"start": "2027-12-30T10:00:00+08:00", "amount": "5", "unit": "working_days"}
    )

    assert response.json()["unconfigured_years"] == [2027, 2028]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"amount": "1.5", "unit": "working_days"}, "amount"),
        ({"amount": "1.5", "unit": "calendar_days"}, "amount"),
        ({"amount": "0", "unit": "natural_hours"}, "amount"),
        ({"amount": "99999", "unit": "natural_hours"}, "amount"),
        ({"amount": "4000", "unit": "working_days"}, "amount"),
        ({"amount": "٣", "unit": "working_days"}, "amount"),
        ({"amount": "1", "unit": "fortnights"}, "unit"),
        ({"amount": "1", "unit": "working_days", "start": "yesterday"}, "start"),
        ({"amount": "1", "unit": "working_days", "start": "1900-01-01T00:00:00+08:00"}, "start"),
    ],
)
def test_the_calculator_refuses_bad_input_by_field(personas, query, field):
    response = api_as(personas[P.OFFICER]).get(
        CALCULATOR, {"start": "2026-11-02T10:00:00+08:00", **query}
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_the_calculator_needs_the_right_to_view_the_organisation(personas):
    """The audit administrator reads audit records only (三员分立), like the calendar page."""
    query = {"start": "2026-11-02T10:00:00+08:00", "amount": "1", "unit": "working_days"}

    assert api_as(personas[P.AUDIT_ADMIN]).get(CALCULATOR, query).status_code == 403
    assert api_client().get(CALCULATOR, query).status_code == 401
