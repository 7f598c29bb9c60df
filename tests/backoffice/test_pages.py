"""Staff pages: who may open them, what they show, and what they hide."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CertificateFactory, UserFactory
from tests.grids.test_import import collection, feature, square
from yangguang.grids.services import grids_import
from yangguang.org.enums import PostCode

ORGANISATION_PAGES = [
    "backoffice:units",
    "backoffice:staff",
    "backoffice:grids",
    "backoffice:grids_geojson",
    "backoffice:categories",
    "backoffice:calendar",
]


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitor_to_staff_pages_gets_the_chinese_login_page(client, db):
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain[-1][0] == "/staff/login/?next=/staff/"
    assert response.headers["Content-Language"] == "zh-hans"
    assert "工作人员登录" in response.content.decode()


def test_chinese_is_the_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("backoffice:login"), headers={"accept-language": "en-US,en"})
    assert "工作人员登录" in response.content.decode()


def test_english_is_available_through_the_language_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/staff/login/"})
    response = client.get(reverse("backoffice:login"))
    assert "Staff login" in response.content.decode()


def test_login_with_password_reaches_home(client, org_tree):
    UserFactory(username="zhang", name="张伟", unit=org_tree.command, posts=[PostCode.INTAKE])
    response = client.post(
        reverse("backoffice:login"),
        {"username": "zhang", "password": "correct-horse-battery-9"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("backoffice:home")
    assert "张伟" in response.content.decode()


def test_wrong_password_is_refused_in_chinese(client, org_tree):
    UserFactory(username="zhang", unit=org_tree.command, posts=[PostCode.INTAKE])
    response = client.post(reverse("backoffice:login"), {"username": "zhang", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.parametrize("page", ORGANISATION_PAGES)
def test_organisation_pages_open_for_staff_and_not_for_the_auditor(client, personas, page):
    url = reverse(page)
    assert login(client, personas[PostCode.OFFICER]).get(url).status_code == 200
    assert login(client, personas[PostCode.AUDIT_ADMIN]).get(url).status_code == 403


@pytest.mark.parametrize("page", [*ORGANISATION_PAGES, "backoffice:home", "backoffice:audit"])
def test_pages_need_a_login(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:login"))


def test_audit_page_is_only_for_the_audit_administrator(client, personas):
    url = reverse("backoffice:audit")
    assert login(client, personas[PostCode.AUDIT_ADMIN]).get(url).status_code == 200
    for code in (PostCode.SYSTEM_ADMIN, PostCode.SECURITY_ADMIN, PostCode.LEADER):
        assert login(client, personas[code]).get(url).status_code == 403


def test_menu_follows_the_posts(client, personas):
    body = login(client, personas[PostCode.SYSTEM_ADMIN]).get(reverse("backoffice:home")).content
    assert reverse("admin:index").encode() in body
    assert reverse("backoffice:audit").encode() not in body
    body = login(client, personas[PostCode.AUDIT_ADMIN]).get(reverse("backoffice:home")).content
    assert reverse("backoffice:audit").encode() in body
    assert reverse("admin:index").encode() not in body
    assert reverse("backoffice:staff").encode() not in body


def test_staff_page_shows_only_the_squadron_to_its_leader(client, personas):
    body = login(client, personas[PostCode.SQUAD_LEADER]).get(reverse("backoffice:staff"))
    names = {row["person"].username for row in body.context["rows"]}
    assert names == {"inspector", "officer", "squad_leader"}


def test_staff_page_filter_by_unit_outside_scope_is_404(client, personas, org_tree):
    response = login(client, personas[PostCode.SQUAD_LEADER]).get(
        reverse("backoffice:staff"), {"unit": org_tree.squadron2.pk}
    )
    assert response.status_code == 404


def test_phone_numbers_are_masked_for_colleagues_without_the_right(client, personas):
    officer = personas[PostCode.OFFICER]
    body = login(client, officer).get(reverse("backoffice:staff")).content.decode()
    leader_phone = personas[PostCode.SQUAD_LEADER].phone
    assert leader_phone not in body
    assert f"{leader_phone[:3]}****{leader_phone[-4:]}" in body
    assert officer.phone in body  # one's own number


def test_phone_numbers_are_shown_to_the_squadron_leader(client, personas):
    body = login(client, personas[PostCode.SQUAD_LEADER]).get(reverse("backoffice:staff"))
    assert personas[PostCode.OFFICER].phone in body.content.decode()


def test_staff_page_marks_certificates(client, personas):
    today = timezone.localdate()
    CertificateFactory(holder=personas[PostCode.OFFICER], number="GOOD1")
    CertificateFactory(
        holder=personas[PostCode.SQUAD_LEADER],
        number="OLD1",
        valid_from=today - datetime.timedelta(days=900),
        valid_to=today - datetime.timedelta(days=1),
    )
    response = login(client, personas[PostCode.SQUAD_LEADER]).get(reverse("backoffice:staff"))
    certified = {row["person"].username: row["certified"] for row in response.context["rows"]}
    assert certified == {"inspector": False, "officer": True, "squad_leader": False}


def test_grid_geojson_is_scoped(client, personas, org_tree):
    grids_import(
        collection=collection(
            [
                feature("370899001001001", square(0, 0), squadron="ZD01"),
                feature("370899001002001", square(1, 0), squadron="ZD02"),
            ]
        )
    )
    squad = login(client, personas[PostCode.SQUAD_LEADER]).get(reverse("backoffice:grids_geojson"))
    assert [f["properties"]["code"] for f in squad.json()["features"]] == ["370899001001001"]
    everyone = login(client, personas[PostCode.LEADER]).get(reverse("backoffice:grids_geojson"))
    assert len(everyone.json()["features"]) == 2


def test_category_search_returns_the_partial_for_htmx(client, personas):
    response = login(client, personas[PostCode.INTAKE]).get(
        reverse("backoffice:categories"), {"q": "占道经营"}, headers={"hx-request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "09006" in body
    assert "<html" not in body


def test_deadline_calculator_uses_the_calendar(client, personas):
    """国庆 2026: 1 working day from 9-30 ends on 10-8 (10-1…10-7 off)."""
    response = login(client, personas[PostCode.INTAKE]).get(
        reverse("backoffice:calendar_year", args=[2026]),
        {"start_date": "2026-09-30", "start_time": "10:00", "amount": "1", "unit": "working_days"},
    )
    assert response.context["deadline"].isoformat() == "2026-10-08T23:59:59+08:00"


def test_deadline_calculator_refuses_fractional_working_days(client, personas):
    response = login(client, personas[PostCode.INTAKE]).get(
        reverse("backoffice:calendar"),
        {
            "start_date": "2026-09-30",
            "start_time": "10:00",
            "amount": "1.5",
            "unit": "working_days",
        },
    )
    assert response.context["deadline"] is None
    assert "工作日" in response.content.decode()


@pytest.mark.parametrize(
    ("page", "make_rows"),
    [
        ("backoffice:staff", "staff"),
        ("backoffice:grids", "grids"),
        ("backoffice:units", "units"),
    ],
)
def test_list_pages_take_the_same_queries_for_one_or_three_rows(
    client, personas, org_tree, page, make_rows
):
    viewer = personas[PostCode.LEADER]

    def add_rows(start: int, count: int) -> None:
        for n in range(start, start + count):
            if make_rows == "staff":
                person = UserFactory(unit=org_tree.squadron2, posts=[PostCode.OFFICER])
                CertificateFactory(holder=person)
            elif make_rows == "grids":
                grids_import(collection=collection([feature(f"370899001002{n:03d}", square(n, 5))]))
            else:
                from tests.factories import UnitFactory
                from yangguang.org.enums import UnitKind

                UnitFactory(name=f"中队{n}", kind=UnitKind.SQUADRON, parent=org_tree.brigade)

    def count_queries() -> int:
        login(client, viewer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page)).status_code == 200
        return len(queries)

    add_rows(1, 1)
    one = count_queries()
    add_rows(2, 2)
    assert count_queries() == one


def test_units_page_counts_staff_and_grids_without_multiplying(client, personas, org_tree):
    """Two joins (members, grids) must not multiply each other's counts."""
    UserFactory(unit=org_tree.community1, posts=[PostCode.INSPECTOR])
    UserFactory(unit=org_tree.community1, posts=[PostCode.INSPECTOR])
    grids_import(
        collection=collection([feature(f"370899001001{n:03d}", square(n, 0)) for n in range(1, 4)])
    )
    response = login(client, personas[PostCode.LEADER]).get(reverse("backoffice:units"))
    community = next(u for u in response.context["units"] if u.pk == org_tree.community1.pk)
    assert (community.member_count, community.grid_count) == (2, 3)
