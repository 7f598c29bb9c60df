"""Staff tokens: issued by the security administrator, shown once, used as
``Authorization: Token <key>``, refused when revoked or when the account is disabled."""

import datetime
import re

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


def issue(city, code=P.INTAKE):
    return staff_token_issue(
        user=city.people[code], name="热线系统对接", actor=city.people[P.SECURITY_ADMIN]
    )


def test_issue_keeps_only_the_hash_and_records_it(city):
    token, key = issue(city)

    assert (token.key_hash, token.key_prefix, token.revoked) == (key_hash(key), key[:8], False)
    entry = RecordEntry.objects.get(object_type="api.stafftoken")
    assert (entry.action, entry.object_id, entry.actor, entry.unit) == (
        "config.create",
        str(token.pk),
        city.people[P.SECURITY_ADMIN],
        city.org.command,
    )
    assert entry.changes["user"] == [None, "intake"]
    assert key not in str(entry.changes)


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


def test_revoked_token_is_401(city):
    token, key = issue(city)
    staff_token_revoke(token=token, actor=city.people[P.SECURITY_ADMIN])

    response = token_client(key).get(LIST)

    assert response.status_code == 401
    assert error_of(response) == {
        "code": "authentication_failed",
        "message": "The token is not valid or was revoked.",
        "fields": {},
    }
    assert RecordEntry.objects.filter(action="config.update").count() == 1


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


def test_security_administrator_issues_a_token_in_the_admin_and_sees_the_key_once(client, city):
    client.force_login(city.people[P.SECURITY_ADMIN])

    response = client.post(
        reverse("admin:api_stafftoken_add"),
        {"user": city.people[P.INTAKE].pk, "name": "脚本"},
        follow=True,
    )

    assert response.status_code == 200
    token = StaffToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    key = re.split(r"[\s:：]", shown[0])[-1]  # the key ends the message, in any language
    assert key_hash(key) == token.key_hash
    assert token_client(key).get(LIST).status_code == 200
    assert client.get(reverse("admin:api_stafftoken_change", args=[token.pk])).status_code == 200
    assert key not in client.get(reverse("admin:api_stafftoken_changelist")).content.decode()


def test_security_administrator_revokes_tokens_in_the_admin(client, city):
    token, key = issue(city)
    client.force_login(city.people[P.SECURITY_ADMIN])

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
