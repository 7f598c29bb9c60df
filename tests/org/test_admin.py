"""系统配置 (Django admin): the system administrator configures, the security
administrator manages accounts, the audit administrator reads the audit pages only."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from yangguang.org.enums import PostCode, UnitKind
from yangguang.org.models import Certificate, Unit, User

CONFIGURATION = [
    "org_unit",
    "org_handlingunittype",
    "org_rank",
    "grids_grid",
    "categories_category",
]
ACCOUNTS = ["org_user", "org_certificate", "org_post"]


def changelist(name: str) -> str:
    return reverse(f"admin:{name}_changelist")


@pytest.mark.parametrize("name", CONFIGURATION)
def test_configuration_is_the_system_administrators(client, personas, name):
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    assert client.get(changelist(name)).status_code == 200
    client.force_login(personas[PostCode.SECURITY_ADMIN])
    assert client.get(changelist(name)).status_code == 403


@pytest.mark.parametrize("name", ACCOUNTS)
def test_accounts_are_the_security_administrators(client, personas, name):
    client.force_login(personas[PostCode.SECURITY_ADMIN])
    assert client.get(changelist(name)).status_code == 200
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    assert client.get(changelist(name)).status_code == 403


@pytest.mark.parametrize("code", [PostCode.AUDIT_ADMIN, PostCode.LEADER, PostCode.OFFICER])
def test_other_posts_cannot_enter_the_admin(client, personas, code):
    client.force_login(personas[code])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(changelist("org_unit")).status_code == 302


def test_admin_unit_creation_goes_through_the_service(client, personas, org_tree):
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    response = client.post(
        reverse("admin:org_unit_add"),
        {
            "name": "三社区",
            "kind": UnitKind.COMMUNITY,
            "parent": org_tree.street.pk,
            "code": "370899001003",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Unit.objects.get(code="370899001003")
    assert created.path == f"{org_tree.street.path}{created.pk}/"
    assert LogEntry.objects.filter(object_id=str(created.pk)).count() == 1


def test_admin_shows_the_services_refusal_on_the_form(client, personas, org_tree):
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    response = client.post(
        reverse("admin:org_unit_add"),
        {
            "name": "坏社区",
            "kind": UnitKind.COMMUNITY,
            "parent": org_tree.bureau.pk,
            "code": "370899001003",
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Unit.objects.filter(name="坏社区").exists()


def test_security_admin_creates_an_account_with_a_post(client, personas, org_tree):
    client.force_login(personas[PostCode.SECURITY_ADMIN])
    officer_post = personas[PostCode.OFFICER].posts.get().pk
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "username": "xinren",
            "name": "新人",
            "phone": "13900000000",
            "unit": org_tree.squadron2.pk,
            "posts": [officer_post],
            "password1": "a-Strong-pass-2026",
            "password2": "a-Strong-pass-2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="xinren")
    assert [p.code for p in user.posts.all()] == [PostCode.OFFICER]
    assert user.check_password("a-Strong-pass-2026")


def test_security_admin_cannot_give_two_administrator_posts(client, personas, org_tree):
    client.force_login(personas[PostCode.SECURITY_ADMIN])
    posts = [
        personas[PostCode.SYSTEM_ADMIN].posts.get().pk,
        personas[PostCode.AUDIT_ADMIN].posts.get().pk,
    ]
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "username": "quanneng",
            "name": "全能",
            "unit": org_tree.it.pk,
            "posts": posts,
            "password1": "a-Strong-pass-2026",
            "password2": "a-Strong-pass-2026",
        },
    )
    assert response.status_code == 200
    assert "三员分立" in str(response.context["adminform"].form.errors["posts"])
    assert not User.objects.filter(username="quanneng").exists()


def test_security_admin_cannot_promote_themself(client, personas):
    admin = personas[PostCode.SECURITY_ADMIN]
    client.force_login(admin)
    response = client.post(
        reverse("admin:org_user_change", args=[admin.pk]),
        {
            "username": admin.username,
            "name": admin.name,
            "unit": admin.unit_id,
            "posts": [admin.posts.get().pk, personas[PostCode.LEADER].posts.get().pk],
            "is_active": "on",
            "certificates-TOTAL_FORMS": 0,
            "certificates-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert [p.code for p in admin.posts.all()] == [PostCode.SECURITY_ADMIN]


def test_security_admin_records_a_certificate_inline(client, personas):
    officer = personas[PostCode.OFFICER]
    client.force_login(personas[PostCode.SECURITY_ADMIN])
    response = client.post(
        reverse("admin:org_user_change", args=[officer.pk]),
        {
            "username": officer.username,
            "name": officer.name,
            "phone": officer.phone,
            "unit": officer.unit_id,
            "posts": [officer.posts.get().pk],
            "is_active": "on",
            "certificates-TOTAL_FORMS": 1,
            "certificates-INITIAL_FORMS": 0,
            "certificates-0-number": "37089900001",
            "certificates-0-issuing_authority": "阳光市人民政府",
            "certificates-0-valid_from": "2025-01-01",
            "certificates-0-valid_to": "2030-12-31",
            "certificates-0-status": "valid",
        },
    )
    assert response.status_code == 302
    assert Certificate.objects.get(holder=officer).number == "37089900001"


def test_audit_page_lists_configuration_changes(client, personas, org_tree):
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    client.post(
        reverse("admin:org_unit_add"),
        {
            "name": "指挥二科",
            "kind": UnitKind.OFFICE,
            "parent": org_tree.bureau.pk,
            "sort_order": 0,
        },
    )
    client.force_login(personas[PostCode.AUDIT_ADMIN])
    body = client.get(reverse("backoffice:audit")).content.decode()
    assert "指挥二科" in body
    assert personas[PostCode.SYSTEM_ADMIN].name in body


def test_admin_offers_no_unit_deletion(client, personas, org_tree):
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    response = client.get(reverse("admin:org_unit_delete", args=[org_tree.squadron2.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("code", "name"),
    [(PostCode.SECURITY_ADMIN, "org_user"), (PostCode.SYSTEM_ADMIN, "categories_category")],
)
def test_accounts_and_categories_are_deactivated_not_deleted(client, personas, code, name):
    client.force_login(personas[code])
    obj_id = personas[PostCode.OFFICER].pk if name == "org_user" else 1
    assert client.get(reverse(f"admin:{name}_delete", args=[obj_id])).status_code == 403
