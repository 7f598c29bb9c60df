"""Bad input to the REST API gets a clear error in the API's shape, never a 500 and never
the wrong object (issue 10 §5, reproduced by an outside probe against fd0be6e).
OWASP ASVS 4.0 V5.1.3 (input validated and refused when it does not conform), V5.1.4
(structured data checked: ids are ASCII digits, lists bounded), V13.1.3/V13.2.x (API
errors in the API's format)."""

import pytest
from django.urls import reverse

from tests.api.helpers import api_as, api_client, error_of
from tests.api.test_cases_api import opening
from tests.cases.helpers import P, load_catalogue
from tests.reports.helpers import submit
from yangguang.api.case_serializers import MAX_OFFICERS
from yangguang.api.views import MAX_PAGE

ELEVEN_MB = 11 * 1024 * 1024
# ¹ (superscript one) and ٣ (Arabic-Indic three): str.isdigit() says yes to both, and
# int("٣") is 3, so fd0be6e opened report 3 for /api/v1/reports/%D9%A3/.
UNICODE_DIGITS = ["%C2%B9", "%D9%A3", "%EF%BC%93"]  # ¹, ٣, fullwidth ３


@pytest.fixture
def reports(city):
    """Enough reports that ids 1 to 3 are likely taken, and their ids."""
    return [submit(city)[0] for _ in range(3)]


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
@pytest.mark.parametrize("collection", ["reports", "cases", "supervisions"])
def test_unicode_digits_as_an_id_are_404_not_an_object(city, reports, collection, digits):
    intake = api_as(city.people[P.INTAKE])

    response = intake.get(f"/api/v1/{collection}/{digits}/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_report_is_found_by_its_ascii_id_and_not_by_other_digits(city, reports):
    """The same id in ASCII digits opens the report; in Arabic-Indic digits it does not."""
    intake = api_as(city.people[P.INTAKE])
    report = reports[-1]
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in str(report.pk))

    assert intake.get(f"/api/v1/reports/{report.pk}/").status_code == 200
    assert intake.get(f"/api/v1/reports/{arabic_indic}/").status_code == 404


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "-1", "0x1", "1_0"])
def test_ids_beyond_the_database_or_not_plain_digits_are_404(city, pk):
    response = api_as(city.people[P.INTAKE]).get(f"/api/v1/reports/{pk}/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("value", ["٣", "¹", "1.5", "-3", True, 2**64, "99999999999999999999"])
def test_an_id_in_a_body_must_be_a_positive_ascii_number(city, reports, value):
    report = reports[0]
    url = reverse("api:report-merge", args=[report.pk])

    response = api_as(city.people[P.INTAKE]).post(url, {"into": value}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"into": ["Give the id as a positive whole number."]}


@pytest.mark.parametrize("page", ["¹", "٣", "0", "-1", str(MAX_PAGE + 1), "99999999999999999999"])
def test_a_page_number_must_be_a_positive_ascii_number(city, reports, page):
    response = api_as(city.people[P.INTAKE]).get("/api/v1/reports/", {"page": page})

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["page"]


def test_a_page_past_the_end_is_404(city, reports):
    response = api_as(city.people[P.INTAKE]).get("/api/v1/reports/", {"page": "7"})

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "status=%00", "%00=1"])
def test_a_nul_character_in_a_query_is_400_by_parameter(city, query):
    response = api_as(city.people[P.INTAKE]).get(f"/api/v1/reports/?{query}")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"].values()) == [["Null characters are not allowed."]]


def test_a_nul_character_in_a_json_text_field_is_400_on_that_field(city):
    response = api_as(city.people[P.INTAKE]).post(
        "/api/v1/reports/",
        {"channel": "hotline", "description": "路灯\u0000不亮", "address": "东街"},
        format="json",
    )

    assert response.status_code == 400
    assert error_of(response)["fields"]["description"] == ["Null characters are not allowed."]


def test_an_eleven_megabyte_body_is_413_in_the_api_shape(city):
    """DATA_UPLOAD_MAX_MEMORY_SIZE is 10 MB; DRF itself would have read the body."""
    body = b'{"description": "' + b"x" * ELEVEN_MB + b'"}'

    response = api_as(city.people[P.INTAKE]).post(
        "/api/v1/reports/", body, content_type="application/json"
    )

    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_large"
    assert "10 MB" in error["message"]


def test_an_eleven_megabyte_body_is_413_before_authentication(db):
    response = api_client().post(
        "/api/v1/reports/", b"x" * ELEVEN_MB, content_type="application/json"
    )

    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


# --- Lists are bounded ------------------------------------------------------------------


@pytest.fixture
def people(certified):
    load_catalogue()
    return certified


def test_ten_thousand_officers_are_400_on_the_field_before_any_is_looked_up(
    people, django_assert_max_num_queries
):
    """fd0be6e looked up each of 10,000 officers (19 s of a worker); the bound is
    checked first, so the answer costs the queries of authentication and no more."""
    officer = people[P.OFFICER]
    team = [{"user": officer.pk, "certificate": "X"}] * 10_000
    client = api_as(officer)

    with django_assert_max_num_queries(6):
        response = client.post("/api/v1/cases/", opening(people, officers=team), format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "officers": [f"Ensure this field has no more than {MAX_OFFICERS} elements."]
    }


def test_an_officer_given_in_other_digits_is_refused(people):
    officer, leader = people[P.OFFICER], people[P.SQUAD_LEADER]
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in str(leader.pk))
    team = [
        {"user": officer.pk, "certificate": officer.certificates.get().number},
        {"user": arabic_indic, "certificate": leader.certificates.get().number},
    ]

    response = api_as(officer).post("/api/v1/cases/", opening(people, officers=team), format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["officers.1.user"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"penalty_kinds": ["fine"] * 50}, "penalty_kinds"),
        ({"circumstances": {f"flag{i}": "true" for i in range(100)}}, "circumstances"),
        ({"circumstances": {"x" * 200: "true"}}, "circumstances"),
        ({"violation": "D" * 5000}, "violation"),
    ],
)
def test_assessment_lists_and_maps_are_bounded(people, body, field):
    officer = api_as(people[P.OFFICER])
    case = officer.post("/api/v1/cases/", opening(people), format="json").json()

    response = officer.post(
        f"/api/v1/cases/{case['id']}/assess/", {"violation": "DQ-001", **body}, format="json"
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_review_points_are_bounded(people):
    officer = api_as(people[P.OFFICER])
    case = officer.post("/api/v1/cases/", opening(people), format="json").json()

    response = api_as(people[P.LEGAL_REVIEWER]).post(
        f"/api/v1/cases/{case['id']}/legal_review/", {"points": ["facts"] * 100}, format="json"
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["points"]


def test_an_unknown_case_status_filter_is_400(people):
    response = api_as(people[P.OFFICER]).get("/api/v1/cases/", {"status": "nonsense"})

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["status"]


def test_unknown_paths_anywhere_under_api_answer_in_the_api_shape(db):
    response = api_client().get("/api/nothing-here/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("query", ["status=", "ordering=", "page="])
def test_a_parameter_given_empty_is_400_not_ignored(city, query):
    """An empty filter would silently widen the list; schemathesis's negative data."""
    response = api_as(city.people[P.INTAKE]).get(f"/api/v1/reports/?{query}")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [query.rstrip("=")]
