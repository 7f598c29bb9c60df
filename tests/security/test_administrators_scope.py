"""The three administrators have no business need to read reports and cases, so they
read none: not on the pages, not in the API, not in exports, not in the admin
(三员分立; 等保2.0 GB/T 22239-2019 8.1.4.2 c 最小权限, 8.1.4.2 b 特权用户的权限分离).
An administrator holds no business post either."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.api.helpers import api_as
from tests.cases.helpers import load_catalogue, new_case
from tests.reports.helpers import submit
from yangguang.cases.selectors import cases_visible_to
from yangguang.org import services as org
from yangguang.org.enums import PostCode
from yangguang.org.models import Post
from yangguang.reports.selectors import reports_visible_to

P = PostCode
ADMINISTRATORS = [P.SYSTEM_ADMIN, P.SECURITY_ADMIN, P.AUDIT_ADMIN]


@pytest.fixture
def work(city, certified):
    """A report and a case in the bureau, each visible to the bureau leader."""
    load_catalogue()
    report, _token = submit(city)
    case = new_case(certified)
    leader = city.people[P.LEADER]
    assert reports_visible_to(leader).filter(pk=report.pk).exists()
    assert cases_visible_to(leader).filter(pk=case.pk).exists()
    return report, case


@pytest.mark.parametrize("code", ADMINISTRATORS)
def test_administrators_see_no_reports_and_no_cases(city, work, code):
    admin = city.people[code]
    assert list(reports_visible_to(admin)) == []
    assert list(cases_visible_to(admin)) == []


@pytest.mark.parametrize("code", ADMINISTRATORS)
def test_administrators_get_404_or_403_on_report_and_case_pages(client, city, work, code):
    report, case = work
    client.force_login(city.people[code])
    not_found = [
        reverse("backoffice:report", args=[report.pk]),
        reverse("backoffice:case", args=[case.pk]),
        reverse("backoffice:case_file", args=[case.pk]),
        reverse("backoffice:timeline", args=["reports.report", report.pk]),
        reverse("backoffice:timeline", args=["cases.case", case.pk]),
    ]
    forbidden_or_missing = [
        reverse("backoffice:queues"),
        reverse("backoffice:queue_export", args=["intake", "csv"]),
        reverse("backoffice:cases"),
        reverse("backoffice:case_deadlines"),
        reverse("backoffice:indicators"),
    ]
    for url in not_found:
        assert client.get(url).status_code in {403, 404}, url
    for url in forbidden_or_missing:
        assert client.get(url).status_code in {403, 404}, url


@pytest.mark.parametrize("code", ADMINISTRATORS)
def test_administrators_get_403_from_the_api(city, work, code):
    """The probe read unmasked party data through the API with a token issued for the
    leader; an administrator's own session or token reads nothing there."""
    report, case = work
    client = api_as(city.people[code])
    for url in [
        reverse("api:report-list"),
        reverse("api:report-detail", args=[report.pk]),
        reverse("api:case-list"),
        reverse("api:case-detail", args=[case.pk]),
        reverse("api:queues"),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"


def test_the_leader_still_reads_them(city, work):
    report, case = work
    client = api_as(city.people[P.LEADER])
    assert client.get(reverse("api:report-detail", args=[report.pk])).status_code == 200
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 200


@pytest.mark.parametrize("code", [P.SYSTEM_ADMIN, P.SECURITY_ADMIN])
def test_the_admin_offers_no_reports_or_cases(client, city, code):
    client.force_login(city.people[code])
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/reports/" not in index
    assert "/admin/cases/case/" not in index


@pytest.mark.parametrize("admin_post", ADMINISTRATORS)
def test_an_administrator_holds_no_business_post(personas, admin_post):
    with pytest.raises(ValidationError) as error:
        org.posts_validate(
            posts=[Post.objects.get(code=admin_post), Post.objects.get(code=P.LEADER)]
        )
    assert "三员分立" in error.value.message_dict["posts"][0]
