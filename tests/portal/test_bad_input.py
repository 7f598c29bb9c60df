"""Bad input to the pages (the public site and the staff pages) gets a clear page in the
reader's language with the right status, never a 500 (issue 10 §5, reproduced by an
outside probe against fd0be6e: ``/v/%00/`` and ``/staff/categories/?q=%00`` answered 500
on PostgreSQL, which cannot compare text holding a NUL). OWASP ASVS 4.0 V5.1.3 (input
refused when it does not conform), V7.4.1 (a generic message on errors)."""

import pytest
from django.urls import reverse

from tests.portal.test_portal import form_data
from yangguang.org.enums import PostCode

ELEVEN_MB = 11 * 1024 * 1024

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["%00", "a%00b", "%C2%B9", "x'--", "a" * 40, "%E4%B8%AD"])
def test_document_check_page_with_an_odd_token_is_404(client, token):
    response = client.get(f"/v/{token}/")

    assert response.status_code == 404


def test_staff_category_search_with_a_nul_character_is_a_clear_400_page(client, personas):
    client.force_login(personas[PostCode.INTAKE])

    response = client.get("/staff/categories/?q=%00")

    assert response.status_code == 400
    page = response.content.decode()
    assert "请删除所标字段中的空字符。" in page
    assert "<code>q</code>" in page


def test_staff_category_search_still_finds_categories(client, personas):
    client.force_login(personas[PostCode.INTAKE])

    response = client.get("/staff/categories/", {"q": "路灯"})

    assert response.status_code == 200


def test_a_nul_character_in_a_public_form_is_a_clear_400_page(client, city):
    response = client.post(
        reverse("portal:report"),
        "kind=problem&description=%E8%B7%AF%E7%81%AF%00",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert "<code>description</code>" in response.content.decode()


def test_an_eleven_megabyte_form_is_a_413_page(client, db):
    body = "description=" + "x" * ELEVEN_MB

    response = client.post(
        reverse("portal:report"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413
    assert "10 MB" in response.content.decode()


def test_a_multipart_form_with_text_over_the_limit_is_a_413_page(client, city, settings):
    """Photos may be large; the text fields are held to DATA_UPLOAD_MAX_MEMORY_SIZE by
    Django while it parses the body (its 400 becomes our 413 page)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(reverse("portal:report"), form_data(city, description="x" * 2000))

    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_the_error_page_speaks_the_chosen_language(client, db):
    client.cookies["django_language"] = "en"

    response = client.get("/track/?number=%00")

    assert response.status_code == 400
    assert "Remove the null characters from the fields marked." in response.content.decode()


def staff_client(client, city, code):
    client.force_login(city.people[code])
    return client


def accepted(city, count: int) -> list:
    from tests.reports.helpers import submit
    from yangguang.reports.workflow import report_transition

    reports = [submit(city)[0] for _ in range(count)]
    return [
        report_transition(report=report, verb="accept", actor=city.people[PostCode.INTAKE])
        for report in reports
    ]


@pytest.mark.parametrize("report_id", ["%C2%B9", "%D9%A3", "99999999999999999999"])
def test_bulk_dispatch_of_an_odd_id_is_404_and_dispatches_nothing(client, city, report_id):
    """fd0be6e ran int() on each id: 500 for ¹, and ٣ dispatched report 3."""
    from yangguang.reports.enums import Status
    from yangguang.reports.models import Report

    accepted(city, 3)
    body = f"unit={city.org.municipal.pk}&report={report_id}"

    response = staff_client(client, city, PostCode.DISPATCHER).post(
        reverse("backoffice:bulk_dispatch"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 404
    assert set(Report.objects.values_list("status", flat=True)) == {Status.REGISTERED}


def test_bulk_dispatch_of_more_than_a_page_is_refused_whole(client, city):
    from yangguang.reports.enums import Status
    from yangguang.reports.models import Report

    reports = accepted(city, 1)
    ids = [reports[0].pk] * 51

    response = staff_client(client, city, PostCode.DISPATCHER).post(
        reverse("backoffice:bulk_dispatch"),
        {"unit": city.org.municipal.pk, "report": ids},
        follow=True,
    )

    assert "一次最多派遣 50 件" in response.content.decode()
    assert set(Report.objects.values_list("status", flat=True)) == {Status.REGISTERED}
