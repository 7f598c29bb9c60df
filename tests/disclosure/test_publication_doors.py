"""The publication rules through the page and the API doors: the same service, the
same refusals (行政处罚法 第四十八条; the provincial rules on personal data)."""

import datetime

import pytest

from tests.api.helpers import api_as, error_of
from tests.cases.helpers import P, at, go
from tests.cases.test_law import decided
from tests.disclosure.test_publication import decided_individual, publication_of
from yangguang.cases.models import CaseDeadline
from yangguang.disclosure.enums import PublicationStatus
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db
S = PublicationStatus


@pytest.fixture
def now_after(time_machine):
    """ "Now" a working day after the decisions of the helpers (2026-09-30)."""
    time_machine.move_to(at(2026, 10, 9, 10), tick=False)


def test_the_legal_office_approves_on_the_page_and_sees_the_light(people, client, now_after):
    publication = publication_of(decided(people))
    client.force_login(people[P.LEGAL_REVIEWER])
    listing = client.get("/staff/publications/")
    assert listing.status_code == 200
    assert publication.document_number in listing.content.decode()
    assert "light-tag-" in listing.content.decode()
    page = client.get(f"/staff/publications/{publication.pk}/")
    assert "阳光餐饮有限公司" in page.content.decode()
    response = client.post(f"/staff/publications/{publication.pk}/approve/")
    assert response.status_code == 302
    assert publication_of(publication.case).status == S.PUBLISHED


def test_the_page_refuses_text_with_a_phone_number_and_names_the_field(people, client, now_after):
    publication = publication_of(decided_individual(people))
    client.force_login(people[P.LEGAL_REVIEWER])
    response = client.post(
        f"/staff/publications/{publication.pk}/edit/",
        {"title": "占道经营", "facts": "张三摆摊，电话13912345678", "basis": "x", "result": "y"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "张三" in body  # the problem names the word to remove
    assert publication_of(publication.case).facts != "张三摆摊，电话13912345678"


def test_an_officer_may_read_but_not_publish(people, client, now_after):
    publication = publication_of(decided(people))
    client.force_login(people[P.OFFICER])
    assert client.get(f"/staff/publications/{publication.pk}/").status_code == 200
    assert client.post(f"/staff/publications/{publication.pk}/approve/").status_code == 403
    response = api_as(people[P.OFFICER]).post(f"/api/v1/publications/{publication.pk}/approve/")
    assert response.status_code == 409
    assert error_of(response)["code"] == "not_permitted"
    assert publication_of(publication.case).status == S.PROPOSED


def test_the_page_refuses_a_non_public_case_only_with_a_reason(people, client, now_after):
    publication = publication_of(decided(people))
    client.force_login(people[P.LEGAL_REVIEWER])
    url = f"/staff/publications/{publication.pk}/refuse/"
    assert client.post(url, {"ground": "non_public", "reason": ""}).status_code == 400
    response = client.post(url, {"ground": "non_public", "reason": "涉及正在侦查的关联案件"})
    assert response.status_code == 302
    assert RecordEntry.objects.get(action="disclosure.refuse").reason == "涉及正在侦查的关联案件"


def test_the_api_edits_approves_and_withdraws_under_article_48(people, now_after, time_machine):
    case = decided(people)
    publication = publication_of(case)
    api = api_as(people[P.LEGAL_REVIEWER])
    response = api.post(
        f"/api/v1/publications/{publication.pk}/edit/",
        {"facts": "当事人身份证号370802198005010123"},
        format="json",
    )
    assert response.status_code == 400
    assert "facts" in error_of(response)["fields"]
    response = api.post(f"/api/v1/publications/{publication.pk}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert len(response.json()["content_sha256"]) == 64
    go(case, "serve", P.OFFICER, people, now=at(2026, 10, 8), method="post")
    time_machine.move_to(at(2026, 11, 13, 16), tick=False)
    response = api_as(people[P.SQUAD_LEADER]).post(
        f"/api/v1/cases/{case.pk}/record_remedy_result/",
        {"result": "revoked", "result_on": "2026-11-13", "body": "阳光区人民政府"},
        format="json",
    )
    assert response.status_code == 200, response.content
    api = api_as(people[P.LEGAL_REVIEWER])  # a new session: the old one has timed out
    detail = api.get(f"/api/v1/publications/{publication.pk}/").json()
    assert detail["withdrawal_due_at"].startswith("2026-11-18T23:59:59")
    assert detail["light"] == "normal"
    time_machine.move_to(at(2026, 11, 19, 9), tick=False)
    api = api_as(people[P.LEGAL_REVIEWER])
    assert api.get(f"/api/v1/publications/{publication.pk}/").json()["light"] == "overdue"
    response = api.post(f"/api/v1/publications/{publication.pk}/withdraw/", {}, format="json")
    assert response.status_code == 400
    response = api.post(
        f"/api/v1/publications/{publication.pk}/withdraw/",
        {"reason": "该决定已被行政复议撤销。"},
        format="json",
    )
    assert response.json()["status"] == "withdrawn"
    assert CaseDeadline.objects.get(case=case, kind="withdrawal").state == "missed"


def test_the_api_refuses_a_minor_proposal_being_approved(people, now_after):
    from yangguang.cases.identity import generate_id_number

    minor = generate_id_number("370802", datetime.date(2010, 1, 1), 16)
    publication = publication_of(decided_individual(people, name="李小", id_number=minor))
    response = api_as(people[P.LEGAL_REVIEWER]).post(
        f"/api/v1/publications/{publication.pk}/approve/"
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "wrong_status"


def test_publication_deadlines_warn_the_legal_office(people, now_after):
    from yangguang.cases.deadlines import case_deadlines_check
    from yangguang.notify.models import Message

    decided(people)
    reviewer = people[P.LEGAL_REVIEWER]
    counts = case_deadlines_check(now=at(2026, 10, 15, 9))
    assert counts["warned"] >= 1
    phones = set(Message.objects.values_list("phone", flat=True))
    assert reviewer.phone in phones


def test_a_parameter_given_empty_is_refused_not_read_as_absent(people, now_after):
    staff = api_as(people[P.LEGAL_REVIEWER]).get("/api/v1/publications/", {"status": ""})
    assert staff.status_code == 400
    assert "status" in error_of(staff)["fields"]
    public = api_as(people[P.OFFICER]).get("/api/v1/public/decisions/", {"to": ""})
    assert public.status_code == 400
    assert "to" in error_of(public)["fields"]
