"""Staff pages of cases: list, open, assess, act (a refusal shows its reason with the
article, HTTP 409), documents and the case file; scope and personal data."""

import datetime
import io

import pytest
from django.urls import reverse

from tests.cases.helpers import P, at, load_catalogue, new_case
from tests.factories import UserFactory
from yangguang.cases.identity import generate_id_number
from yangguang.cases.models import Case

pytestmark = pytest.mark.django_db


# "Now" for the pages, a working Monday after the fixtures' cases were opened.
NOW = at(2026, 11, 23, 10)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def people(certified):
    load_catalogue()
    reviewer = certified[P.LEGAL_REVIEWER]
    reviewer.legal_qualification = "A20213700000001"  # 第五十八条第二款
    reviewer.save(update_fields=["legal_qualification"])
    return certified


def logged_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_an_officer_opens_a_case_from_the_page(client, people):
    officer = logged_in(client, people[P.OFFICER])
    response = officer.post(reverse("backoffice:case_new"), open_form(people))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:case", args=[case.pk])
    assert case.officers.count() == 2
    page = officer.get(response.url).content.decode()
    assert "赵六" in page
    assert "Approve filing" not in page  # the officer's post does not approve filing


def test_a_bad_identity_number_is_shown_on_its_field_and_nothing_is_written(client, people):
    officer = logged_in(client, people[P.OFFICER])
    response = officer.post(
        reverse("backoffice:case_new"),
        {
            "procedure": "ordinary",
            "source": "patrol",
            "title": "店外经营",
            "act_started_on": "2026-11-20",
            "discovered_on": "2026-11-20",
            "party_kind": "individual",
            "party_name": "赵六",
            "party_id_number": "370802199001020000",
            "partner": people[P.SQUAD_LEADER].pk,
        },
    )
    assert response.status_code == 400
    assert "check digit" in response.content.decode()
    assert not Case.objects.exists()


def test_a_refused_step_shows_its_reason_with_the_article(client, people):
    case = new_case(people)
    leader = logged_in(client, people[P.SQUAD_LEADER])
    leader.post(reverse("backoffice:case_act", args=[case.pk, "file"]))
    case.refresh_from_db()
    assert case.status == "investigating"
    response = leader.post(reverse("backoffice:case_act", args=[case.pk, "end_investigation"]))
    assert response.status_code == 409
    assert "Choose the violation from the catalogue" in response.content.decode()


def test_the_assessment_proposes_the_range_on_the_page(client, people):
    case = new_case(people)
    officer = logged_in(client, people[P.OFFICER])
    from yangguang.cases.models import Violation

    response = officer.post(
        reverse("backoffice:case_assess", args=[case.pk]),
        {
            "violation": Violation.objects.get(code="DQ-001").pk,
            "harm": "minor",
            "penalty_kinds": ["fine"],
            "fine": "6000",
        },
    )
    assert response.status_code == 302
    page = officer.get(reverse("backoffice:case", args=[case.pk])).content.decode()
    assert "5000.00–20000.00" in page


def test_documents_download_as_pdf_and_docx_and_the_case_file(client, people):
    case = new_case(people)
    logged_in(client, people[P.SQUAD_LEADER]).post(
        reverse("backoffice:case_act", args=[case.pk, "file"])
    )
    document = case.documents.get()
    pdf = client.get(reverse("backoffice:case_document", args=[document.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("backoffice:case_document", args=[document.pk, "docx"]))
    assert docx.content.startswith(b"PK")
    case_file = client.get(reverse("backoffice:case_file", args=[case.pk]))
    assert case_file.content.startswith(b"%PDF")


def test_outside_the_scope_the_case_is_404_and_others_see_the_party_masked(
    client, people, org_tree
):
    case = new_case(people)
    outsider = UserFactory(unit=org_tree.squadron2, posts=[P.SQUAD_LEADER])
    assert (
        logged_in(client, outsider).get(reverse("backoffice:case", args=[case.pk])).status_code
        == 404
    )
    inspector = logged_in(client, people[P.INSPECTOR])
    assert inspector.get(reverse("backoffice:cases")).status_code == 403  # no case post
    people[P.INSPECTOR].posts.add(*people[P.OFFICER].posts.all())
    page = inspector.get(reverse("backoffice:case", args=[case.pk])).content.decode()
    assert "张*丰" in page
    assert "张三丰" not in page
    listing = inspector.get(reverse("backoffice:cases")).content.decode()
    assert "张*丰" in listing


def test_the_case_list_takes_the_same_queries_for_one_case_and_for_three(
    client, people, django_assert_max_num_queries
):
    new_case(people)
    officer = logged_in(client, people[P.OFFICER])
    officer.get(reverse("backoffice:cases"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        officer.get(reverse("backoffice:cases"))
    new_case(people)
    new_case(people)
    with CaptureQueriesContext(connection) as three:
        officer.get(reverse("backoffice:cases"))
    assert len(three) == len(one)


def test_deciding_before_the_notice_is_refused_on_the_page_citing_article_62(
    client, people, time_machine
):
    from tests.cases.conftest import reviewed_case
    from tests.cases.helpers import company

    case = reviewed_case(people, fine="6000", party=company(), day=(2026, 9, 1))
    # The next day: well inside 第六十条's 90 days, so 第六十二条 is what refuses.
    time_machine.move_to(at(2026, 9, 2, 10), tick=False)
    leader = logged_in(client, people[P.LEADER])
    response = leader.post(reverse("backoffice:case_act", args=[case.pk, "decide"]))
    assert response.status_code == 409
    assert "第六十二条" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "reviewed"


def test_an_officer_writes_a_correction_order_on_the_page(client, people):
    case = new_case(people)
    officer = logged_in(client, people[P.OFFICER])
    response = officer.post(
        reverse("backoffice:case_record", args=[case.pk]),
        {"kind": "rectification_notice", "text": "责令立即清理占道物品。", "place": "东街道"},
    )
    assert response.status_code == 302
    assert case.documents.get().number == f"城管责改字〔{NOW.year}〕第1号"
    empty = officer.post(
        reverse("backoffice:case_record", args=[case.pk]), {"kind": "inquiry_record", "text": ""}
    )
    assert empty.status_code == 400
    assert case.documents.count() == 1


def test_the_list_finds_a_case_by_its_number_or_words_of_its_cause(client, people):
    first = new_case(people, title="店外经营")
    second = new_case(people, title="违法建设")
    officer = logged_in(client, people[P.OFFICER])
    by_number = officer.get(reverse("backoffice:cases"), {"q": second.number}).content.decode()
    assert second.number in by_number
    assert first.number not in by_number
    by_words = officer.get(reverse("backoffice:cases"), {"q": "店外"}).content.decode()
    assert first.number in by_words
    assert second.number not in by_words


def test_the_catalogue_page_lists_the_standards_and_imports_all_or_nothing(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yangguang.cases.catalogue import catalogue_xlsx, items_from_xlsx
    from yangguang.cases.models import Violation
    from yangguang.cases.selectors import violations_current

    officer = logged_in(client, people[P.OFFICER])
    page = officer.get(reverse("backoffice:violations")).content.decode()
    assert "DQ-001" in page
    assert "第一百一十八条第一款" in page
    assert officer.post(reverse("backoffice:violations")).status_code == 403
    download = officer.get(reverse("backoffice:violations_xlsx"))
    # The workbooks' contents, not their bytes: a workbook records when it was written.
    expected = catalogue_xlsx(violations_current().order_by("code"))
    assert items_from_xlsx(io.BytesIO(download.content)) == items_from_xlsx(io.BytesIO(expected))

    admin = logged_in(client, people[P.SYSTEM_ADMIN])
    broken = SimpleUploadedFile("catalogue.xlsx", b"not a workbook")
    response = admin.post(reverse("backoffice:violations"), {"workbook": broken})
    assert response.status_code == 400
    assert ".xlsx" in response.content.decode()
    versions = Violation.objects.count()
    good = SimpleUploadedFile("catalogue.xlsx", download.content)
    assert admin.post(reverse("backoffice:violations"), {"workbook": good}).status_code == 302
    assert Violation.objects.count() == versions


def test_another_act_is_assessed_and_removed_on_the_page(client, people):
    from yangguang.cases.models import Violation

    case = new_case(people)
    officer = logged_in(client, people[P.OFFICER])
    url = reverse("backoffice:case_assess", args=[case.pk])
    for code, fine, additional in (("DQ-001", "6000", ""), ("HW-002", "150", "on")):
        form = {
            "violation": Violation.objects.get(code=code).pk,
            "harm": "minor",
            "penalty_kinds": ["fine"],
            "fine": fine,
        }
        if additional:
            form["additional"] = additional
        assert officer.post(url, form).status_code == 302
    page = officer.get(reverse("backoffice:case", args=[case.pk])).content.decode()
    assert "HW-002" in page
    case.refresh_from_db()
    assert str(case.fine) == "6150.00"
    officer.post(reverse("backoffice:case_violation_remove", args=[case.pk, "HW-002"]))
    case.refresh_from_db()
    assert str(case.fine) == "6000.00"


def open_form(people, **overrides) -> dict:
    return {
        "procedure": "ordinary",
        "source": "patrol",
        "title": "店外经营",
        "facts": "在店门外摆放商品经营。",
        "act_started_on": "2026-11-20",
        "discovered_on": "2026-11-20",
        "party_kind": "individual",
        "party_name": "赵六",
        "party_id_number": generate_id_number("370802", datetime.date(1990, 1, 2), 5),
        "partner": people[P.SQUAD_LEADER].pk,
        **overrides,
    }


def test_art42_the_page_refuses_a_partner_whose_certificate_expired(client, people):
    """The page's check is the service's (case_open): a certificate expired in 2020."""
    people[P.SQUAD_LEADER].certificates.update(
        valid_from=datetime.date(2015, 1, 1), valid_to=datetime.date(2020, 12, 31)
    )
    officer = logged_in(client, people[P.OFFICER])
    response = officer.post(reverse("backoffice:case_new"), open_form(people))
    assert response.status_code == 400
    assert "第四十二条" in response.content.decode()
    assert not Case.objects.exists()


def test_art34_the_page_refuses_a_fine_without_a_standard_or_a_reason(client, people):
    from tests.cases.test_law import stall_case

    case = stall_case(people, "30000")
    officer = logged_in(client, people[P.OFFICER])
    response = officer.post(reverse("backoffice:case_act", args=[case.pk, "end_investigation"]))
    assert response.status_code == 409
    assert "第三十四条" in response.content.decode()


def test_art66_the_leader_approves_instalments_on_the_page(client, people, time_machine):
    from tests.cases.test_law import served

    case = served(people)  # 6,000 yuan due 2026-10-23
    time_machine.move_to(at(2026, 10, 10, 10), tick=False)
    leader = logged_in(client, people[P.LEADER])
    url = reverse("backoffice:case_act", args=[case.pk, "defer_payment"])
    bad = leader.post(
        url, {"reason": "经营困难", "applied_on": "2026-10-09", "instalments": "2026-11-10 两千"}
    )
    assert bad.status_code == 400
    assert "2026-11-30 2000.00" in bad.content.decode()  # the example of a line
    odd_digits = leader.post(
        url, {"reason": "经营困难", "applied_on": "2026-10-09", "instalments": "2026-11-10 ٦٠٠٠"}
    )
    assert odd_digits.status_code == 400
    assert not case.instalments.exists()
    response = leader.post(
        url,
        {
            "reason": "经营困难",
            "applied_on": "2026-10-09",
            "instalments": "2026-11-10 2000\n2026-12-10 4000.00\n",
        },
    )
    assert response.status_code == 302
    assert list(case.instalments.values_list("due_on", "amount")) == [
        (datetime.date(2026, 11, 10), 2000),
        (datetime.date(2026, 12, 10), 4000),
    ]
    page = leader.get(reverse("backoffice:case", args=[case.pk])).content.decode()
    assert "Instalment 2: 4000.00 yuan by 2026-12-10" in page


def test_art64_the_page_schedules_the_hearing_on_the_7th_working_day(client, people, time_machine):
    from tests.cases.helpers import go
    from tests.cases.test_law import notified

    case = notified(people, fine="10000")
    go(case, "request_hearing", P.OFFICER, people, now=at(2026, 9, 30, 9))
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    leader = logged_in(client, people[P.SQUAD_LEADER])
    url = reverse("backoffice:case_act", args=[case.pk, "schedule_hearing"])
    form = {"presider": people[P.LEADER].pk}
    early = leader.post(url, form | {"hearing_at": "2026-10-14T15:00"})
    assert early.status_code == 409
    assert "第六十四条" in early.content.decode()
    assert leader.post(url, form | {"hearing_at": "2026-10-15T09:00"}).status_code == 302
