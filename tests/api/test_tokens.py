"""Staff tokens: issued only by their owner (never by the security administrator or
anyone else: a token acts as its owner), shown once, used as ``Authorization: Token
<key>``, expiring, revoked by the owner or the security administrator, refused when
revoked, expired or when the account is disabled (OWASP ASVS V3.5; 等保2.0 GB/T
22239-2019 8.1.4.1 身份鉴别, 8.1.4.3 安全审计)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.api.helpers import api_client, error_of
from tests.reports.helpers import submit
from yangguang.api.models import StaffToken
from yangguang.api.services import key_hash, staff_token_issue, staff_token_revoke
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.reports.enums import Status
from yangguang.reports.models import Report

P = PostCode
LIST = reverse("api:report-list")


def token_client(key: str):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def issue(city, code=P.INTAKE, **kwargs):
    owner = city.people[code]
    return staff_token_issue(user=owner, name="热线系统对接", actor=owner, **kwargs)


def test_owner_issues_a_token_kept_only_as_its_hash_and_recorded(city):
    """ASVS V2.10.4 / 等保2.0 8.1.4.3: only the hash is kept; the issue is recorded."""
    token, key = issue(city)

    assert (token.key_hash, token.key_prefix, token.revoked) == (key_hash(key), key[:8], False)
    entry = RecordEntry.objects.get(object_type="api.stafftoken")
    assert (entry.action, entry.object_id, entry.actor, entry.unit) == (
        "auth.token.issue",
        str(token.pk),
        city.people[P.INTAKE],
        city.org.command,
    )
    assert entry.changes["user"] == [None, "intake"]
    assert key not in str(entry.changes)


@pytest.mark.parametrize(
    ("issuer", "owner"),
    [
        (P.SECURITY_ADMIN, P.LEADER),
        (P.SECURITY_ADMIN, P.AUDIT_ADMIN),
        (P.SYSTEM_ADMIN, P.LEADER),
        (P.LEADER, P.INTAKE),
        (None, P.LEADER),
    ],
)
def test_nobody_issues_a_token_for_another_person(city, issuer, owner):
    """The probe's finding: the security administrator issued a token for the bureau
    leader and read party data with it. A token is issued only by its owner (ASVS V3.5;
    等保2.0 8.1.4.2 c)."""
    actor = city.people[issuer] if issuer else None
    with pytest.raises(PermissionDenied):
        staff_token_issue(user=city.people[owner], name="冒用", actor=actor)
    assert StaffToken.objects.count() == 0
    assert not RecordEntry.objects.filter(action="auth.token.issue").exists()


def test_security_administrator_cannot_issue_a_token_in_the_admin(client, city):
    client.force_login(city.people[P.SECURITY_ADMIN])

    add = client.post(
        reverse("admin:api_stafftoken_add"), {"user": city.people[P.LEADER].pk, "name": "脚本"}
    )

    assert add.status_code == 403
    assert StaffToken.objects.count() == 0


def test_no_page_issues_a_token_for_someone_else(client, city):
    """The account page issues for the signed-in owner only, whatever the form says."""
    client.force_login(city.people[P.INTAKE])

    response = client.post(
        reverse("backoffice:token_issue"),
        {"name": "脚本", "days": 30, "user": city.people[P.LEADER].pk},
    )

    assert response.status_code == 201
    assert list(StaffToken.objects.values_list("user__username", flat=True)) == ["intake"]


def test_owner_issues_on_the_account_page_and_sees_the_key_once(client, city):
    owner = city.people[P.INTAKE]
    client.force_login(owner)

    response = client.post(reverse("backoffice:token_issue"), {"name": "脚本", "days": 30})

    assert response.status_code == 201
    key = response.context["new_key"]
    token = StaffToken.objects.get()
    assert (token.user, token.key_hash) == (owner, key_hash(key))
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)
    assert token_client(key).get(LIST).status_code == 200
    assert key not in client.get(reverse("backoffice:account")).content.decode()
    assert key not in str(dict(client.session))


def test_a_token_lasts_no_longer_than_the_configured_lifetime(client, city, settings):
    settings.STAFF_TOKEN_DAYS = 30
    with pytest.raises(ValidationError) as error:
        issue(city, days=31)
    assert error.value.message_dict["days"] == ["A token lasts from 1 to 30 days."]
    client.force_login(city.people[P.INTAKE])
    response = client.post(reverse("backoffice:token_issue"), {"name": "脚本", "days": 31})
    assert response.status_code == 400
    assert StaffToken.objects.count() == 0


def test_an_expired_token_is_401(city):
    """Tokens expire (ASVS V3.5.2)."""
    start = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        token, key = issue(city, days=1)
        assert token_client(key).get(LIST).status_code == 200
    with time_machine.travel(token.expires_at + datetime.timedelta(seconds=1), tick=False):
        response = token_client(key).get(LIST)

    assert response.status_code == 401
    assert error_of(response)["message"] == (
        "The token has expired: issue a new one on your account page."
    )


def test_token_acts_as_its_user_with_the_users_scope(city):
    report, _ = submit(city)
    _token, key = issue(city, P.HANDLER)
    assert token_client(key).get(LIST).json()["count"] == 0
    _token, key = issue(city, P.INTAKE)
    assert [row["id"] for row in token_client(key).get(LIST).json()["results"]] == [report.pk]


def test_token_needs_no_csrf_token_for_verbs(city):
    report, _ = submit(city)
    _token, key = issue(city)
    client = token_client(key)
    client.handler.enforce_csrf_checks = True

    response = client.post(
        reverse("api:report-accept", args=[report.pk]),
        {"category": {"code": "01037", "kind": "component"}},
        format="json",
    )

    assert response.status_code == 200
    assert Report.objects.get(pk=report.pk).status == Status.REGISTERED
    assert RecordEntry.objects.get(action="report.accept").actor == city.people[P.INTAKE]


def test_token_use_is_noted_at_most_once_a_minute(city):
    token, key = issue(city)
    client = token_client(key)

    client.get(LIST)
    first = StaffToken.objects.get(pk=token.pk).last_used_at
    client.get(LIST)
    assert StaffToken.objects.get(pk=token.pk).last_used_at == first

    StaffToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    client.get(LIST)
    assert StaffToken.objects.get(pk=token.pk).last_used_at > first


def test_owner_revokes_on_the_account_page(client, city):
    token, key = issue(city)
    client.force_login(city.people[P.INTAKE])

    client.post(reverse("backoffice:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert (token.revoked, token.revoked_by) == (True, city.people[P.INTAKE])
    assert token_client(key).get(LIST).status_code == 401


def test_nobody_revokes_another_persons_token_on_their_account_page(client, city):
    token, _key = issue(city)
    client.force_login(city.people[P.DISPATCHER])

    response = client.post(reverse("backoffice:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert StaffToken.objects.get(pk=token.pk).revoked is False
    with pytest.raises(PermissionDenied):
        staff_token_revoke(token=token, actor=city.people[P.DISPATCHER])


def test_revoked_token_is_401_and_the_revocation_is_recorded(city):
    """Revoking is recorded (等保2.0 8.1.4.3) and stops the token at once."""
    token, key = issue(city)
    staff_token_revoke(token=token, actor=city.people[P.SECURITY_ADMIN])

    response = token_client(key).get(LIST)

    assert response.status_code == 401
    assert error_of(response) == {
        "code": "authentication_failed",
        "message": "The token is not valid or was revoked.",
        "fields": {},
    }
    entry = RecordEntry.objects.get(action="auth.token.revoke")
    assert (entry.actor, entry.object_id) == (city.people[P.SECURITY_ADMIN], str(token.pk))


def test_token_of_a_disabled_account_is_401(city):
    _token, key = issue(city)
    city.people[P.INTAKE].__class__.objects.filter(pk=city.people[P.INTAKE].pk).update(
        is_active=False
    )

    response = token_client(key).get(LIST)

    assert response.status_code == 401
    assert error_of(response)["message"] == "The token's account is disabled."


def test_unknown_or_malformed_token_is_401(city):
    issue(city)
    assert token_client("not-a-key").get(LIST).status_code == 401
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION="Token")
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_security_administrator_sees_and_revokes_tokens_in_the_admin(client, city):
    """Revoking a token stops a program without acting as its owner."""
    token, key = issue(city)
    client.force_login(city.people[P.SECURITY_ADMIN])
    assert client.get(reverse("admin:api_stafftoken_changelist")).status_code == 200
    assert (
        key
        not in client.get(reverse("admin:api_stafftoken_change", args=[token.pk])).content.decode()
    )

    client.post(
        reverse("admin:api_stafftoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert StaffToken.objects.get(pk=token.pk).revoked is True
    assert token_client(key).get(LIST).status_code == 401


def test_system_administrator_may_not_manage_tokens(client, city):
    issue(city)
    client.force_login(city.people[P.SYSTEM_ADMIN])
    assert client.get(reverse("admin:api_stafftoken_changelist")).status_code == 403
