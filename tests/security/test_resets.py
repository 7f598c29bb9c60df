"""Resets without becoming the owner: nobody sets another person's password; a reset
sends the owner a one-time password by SMS (masked everywhere else) that must be changed
at the next sign-in; resets of the administrators and the leaders wait for a second
administrator's approval, never the requester's (等保2.0 GB/T 22239-2019 8.1.4.1
身份鉴别, 8.1.4.2 c 最小权限, 8.1.4.3 安全审计; OWASP ASVS V2.5)."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from tests.notify.helpers import worker_round
from tests.security.helpers import PASSWORD, sign_in, signed_in_as
from yangguang.notify.models import Message
from yangguang.org import services as org
from yangguang.org.enums import PostCode
from yangguang.org.models import AccountReset, ResetStatus, User
from yangguang.org.resets import reset_approve, reset_refuse, reset_request
from yangguang.records.models import RecordEntry

P = PostCode
PRIVILEGED = [P.SYSTEM_ADMIN, P.AUDIT_ADMIN, P.LEADER]


def one_time_password_sent(phone: str) -> str:
    """The password as it reaches the phone (the in-memory SMS platform)."""
    sent = [sms for sms in worker_round() if sms.phone == phone]
    assert len(sent) == 1
    return sent[0].text.split(" is ")[1].split(" ")[0]


def request(personas, code, **kwargs):
    return reset_request(
        user=personas[code], actor=personas[P.SECURITY_ADMIN], reason="忘记密码，电话核实", **kwargs
    )


def test_the_admin_offers_no_way_to_set_another_persons_password(client, personas):
    """The probe reset 审计管理员's password through the admin and opened the audit pages.
    The admin's password page now leads to the reset; posting a password there changes
    nothing."""
    auditor = personas[P.AUDIT_ADMIN]
    client.force_login(personas[P.SECURITY_ADMIN])
    url = reverse("admin:auth_user_password_change", args=[auditor.pk]).replace(
        "/auth/user/", "/org/user/"
    )

    response = client.post(url, {"password1": "Harbour-lights-7", "password2": "Harbour-lights-7"})

    assert response.url == reverse("backoffice:reset_new", args=[auditor.pk])
    assert User.objects.get(pk=auditor.pk).check_password(PASSWORD)


def test_a_reset_sends_a_one_time_password_only_to_the_owners_phone(client, personas, caplog):
    officer = personas[P.OFFICER]

    reset = request(personas, P.OFFICER)

    assert reset.status == ResetStatus.DONE
    officer = User.objects.get(pk=officer.pk)
    assert officer.must_change_password is True
    assert not officer.check_password(PASSWORD)
    message = Message.objects.get(purpose="password_reset")
    assert message.phone == officer.phone
    assert "***" in message.body
    with caplog.at_level(logging.INFO):
        password = one_time_password_sent(officer.phone)
    assert password not in message.body
    assert password not in caplog.text
    assert User.objects.get(pk=officer.pk).check_password(password)
    assert Message.objects.get(pk=message.pk).secret_body == ""
    for entry in RecordEntry.objects.filter(action__startswith="auth.password"):
        assert password not in str(entry.changes) + entry.reason
    assert RecordEntry.objects.get(action="auth.password.reset").actor == personas[P.SECURITY_ADMIN]


def test_the_one_time_password_must_be_replaced_at_sign_in(client, personas):
    request(personas, P.OFFICER)
    password = one_time_password_sent(personas[P.OFFICER].phone)

    response = sign_in(client, "officer", password)

    assert response.url == reverse("backoffice:login_password")
    assert signed_in_as(client) is None
    client.post(
        reverse("backoffice:login_password"),
        {"new_password1": "Harbour-lights-7", "new_password2": "Harbour-lights-7"},
    )
    assert signed_in_as(client) == str(personas[P.OFFICER].pk)
    assert User.objects.get(pk=personas[P.OFFICER].pk).must_change_password is False


def test_a_reset_ends_the_owners_sessions(client, personas):
    client.force_login(personas[P.OFFICER])
    assert client.get(reverse("backoffice:home")).status_code == 200
    request(personas, P.OFFICER)
    assert client.get(reverse("backoffice:home")).status_code == 302


@pytest.mark.parametrize("code", PRIVILEGED)
def test_resetting_an_administrator_or_a_leader_waits_for_a_second_approval(personas, code):
    reset = request(personas, code)

    assert reset.status == ResetStatus.PENDING
    assert User.objects.get(pk=personas[code].pk).check_password(PASSWORD)
    assert not Message.objects.filter(purpose="password_reset").exists()
    assert RecordEntry.objects.filter(action="auth.password.reset_request").count() == 1


def test_the_requester_never_approves_their_own_request(personas):
    reset = request(personas, P.AUDIT_ADMIN)
    with pytest.raises(PermissionDenied):
        reset_approve(reset=reset, actor=personas[P.SECURITY_ADMIN])
    assert AccountReset.objects.get(pk=reset.pk).status == ResetStatus.PENDING


def test_the_owner_never_approves_a_reset_of_their_own_account(personas):
    reset = request(personas, P.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        reset_approve(reset=reset, actor=personas[P.SYSTEM_ADMIN])


@pytest.mark.parametrize("code", [P.AUDIT_ADMIN, P.LEADER, P.SHIFT_LEAD])
def test_only_the_system_or_another_security_administrator_approves(personas, code):
    reset = request(personas, P.LEADER)
    approver = personas[P.AUDIT_ADMIN] if code == P.LEADER else personas[code]
    with pytest.raises(PermissionDenied):
        reset_approve(reset=reset, actor=approver)


def test_the_system_administrator_approves_and_the_password_goes_out(personas):
    reset = request(personas, P.AUDIT_ADMIN)

    reset_approve(reset=reset, actor=personas[P.SYSTEM_ADMIN])

    reset.refresh_from_db()
    assert (reset.status, reset.decided_by) == (ResetStatus.DONE, personas[P.SYSTEM_ADMIN])
    assert User.objects.get(pk=personas[P.AUDIT_ADMIN].pk).must_change_password is True
    assert one_time_password_sent(personas[P.AUDIT_ADMIN].phone)
    approval = RecordEntry.objects.get(action="auth.password.reset_approve")
    assert approval.actor == personas[P.SYSTEM_ADMIN]


def test_a_second_security_administrator_approves(personas, org_tree):
    colleague = UserFactory(
        username="anquan2", unit=org_tree.it, posts=[P.SECURITY_ADMIN], phone="13800009999"
    )
    reset = request(personas, P.LEADER)
    reset_approve(reset=reset, actor=colleague)
    assert AccountReset.objects.get(pk=reset.pk).status == ResetStatus.DONE


def test_a_refusal_is_recorded_and_changes_nothing(personas):
    reset = request(personas, P.LEADER)

    reset_refuse(reset=reset, actor=personas[P.SYSTEM_ADMIN], reason="本人未提出")

    assert AccountReset.objects.get(pk=reset.pk).status == ResetStatus.REFUSED
    assert User.objects.get(pk=personas[P.LEADER].pk).check_password(PASSWORD)
    assert RecordEntry.objects.get(action="auth.password.reset_refuse").reason == "本人未提出"
    with pytest.raises(ValidationError):
        reset_approve(reset=reset, actor=personas[P.SYSTEM_ADMIN])


def test_a_reset_after_someone_else_changed_the_phone_waits_for_approval(personas):
    """Else the security administrator could put their own number on an officer's
    account and receive the one-time password."""
    officer = personas[P.OFFICER]
    org.user_update(
        user=officer,
        name=officer.name,
        phone="13700000000",
        unit=officer.unit,
        rank=None,
        is_active=True,
        actor=personas[P.SECURITY_ADMIN],
    )
    assert request(personas, P.OFFICER).status == ResetStatus.PENDING


def test_the_authenticator_reset_needs_approval_and_the_next_sign_in_enrols(client, personas):
    leader = personas[P.LEADER]
    TOTPDevice.objects.create(user=leader, name="authenticator", confirmed=True)
    reset = request(personas, P.LEADER, reset_authenticator=True)
    assert TOTPDevice.objects.filter(user=leader).exists()

    reset_approve(reset=reset, actor=personas[P.SYSTEM_ADMIN])

    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert RecordEntry.objects.get(action="auth.mfa.reset").actor == personas[P.SYSTEM_ADMIN]
    password = one_time_password_sent(leader.phone)
    sign_in(client, "leader", password)
    client.post(
        reverse("backoffice:login_password"),
        {"new_password1": "Harbour-lights-7", "new_password2": "Harbour-lights-7"},
    )
    assert client.get(reverse("backoffice:login_password")).url == reverse("backoffice:login_enrol")
    assert signed_in_as(client) is None


def test_nobody_resets_their_own_account_or_one_without_a_mobile(personas, org_tree):
    with pytest.raises(ValidationError):
        reset_request(user=personas[P.SECURITY_ADMIN], actor=personas[P.SECURITY_ADMIN], reason="x")
    no_phone = UserFactory(unit=org_tree.command, posts=[P.INTAKE])
    with pytest.raises(ValidationError):
        reset_request(user=no_phone, actor=personas[P.SECURITY_ADMIN], reason="x")
    assert not AccountReset.objects.exists()


@pytest.mark.parametrize("code", [P.SYSTEM_ADMIN, P.AUDIT_ADMIN, P.LEADER])
def test_only_the_security_administrator_asks_for_resets(personas, code):
    with pytest.raises(PermissionDenied):
        reset_request(user=personas[P.OFFICER], actor=personas[code], reason="x")


def test_reset_pages_request_and_approve(client, personas):
    """The pages: the security administrator asks, the system administrator approves on
    the account-security page; the approval is recorded (8.1.4.3)."""
    client.force_login(personas[P.SECURITY_ADMIN])
    page = client.get(reverse("backoffice:reset_new", args=[personas[P.LEADER].pk]))
    assert "138****0008" in page.content.decode()
    client.post(
        reverse("backoffice:reset_new", args=[personas[P.LEADER].pk]), {"reason": "忘记密码"}
    )
    reset = AccountReset.objects.get()
    refused = client.post(reverse("backoffice:reset_decide", args=[reset.pk, "approve"]))
    assert refused.status_code == 403

    client.force_login(personas[P.SYSTEM_ADMIN])
    assert "忘记密码" in client.get(reverse("backoffice:security")).content.decode()
    client.post(reverse("backoffice:reset_decide", args=[reset.pk, "approve"]))
    assert AccountReset.objects.get().status == ResetStatus.DONE


def test_the_audit_administrator_sees_the_reset_entries(personas):
    reset = request(personas, P.LEADER)
    reset_approve(reset=reset, actor=personas[P.SYSTEM_ADMIN])
    from yangguang.records.selectors import records_visible_to

    seen = set(
        records_visible_to(personas[P.AUDIT_ADMIN])
        .filter(action__startswith="auth.password")
        .values_list("action", flat=True)
    )
    assert seen == {
        "auth.password.reset_request",
        "auth.password.reset_approve",
        "auth.password.reset",
    }
    assert not records_visible_to(personas[P.LEADER]).filter(action__startswith="auth.").exists()
