"""The second factor (TOTP) of the three administrators and the bureau leaders:
enrolment with a locally rendered QR code at the first sign-in, the code at every
sign-in, and no session before it (等保2.0 GB/T 22239-2019 8.1.4.1 d 两种或两种以上组合的
鉴别技术; OWASP ASVS V2.8)."""

import datetime

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.helpers import code_of, sign_in, signed_in_as
from yangguang.org.enums import PostCode
from yangguang.org.signin import mfa_required
from yangguang.records.models import RecordEntry

P = PostCode
MFA_POSTS = [P.SYSTEM_ADMIN, P.SECURITY_ADMIN, P.AUDIT_ADMIN, P.LEADER]
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.mark.parametrize("code", MFA_POSTS)
def test_the_password_alone_signs_no_administrator_or_leader_in(client, personas, clock, code):
    """The right password of an administrator or a leader leads to the authenticator
    step; the session is not signed in and no staff page opens (8.1.4.1 d)."""
    response = sign_in(client, str(code))

    assert response.url == reverse("backoffice:login_enrol")
    assert signed_in_as(client) is None
    assert client.get(reverse("backoffice:home")).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302
    assert not RecordEntry.objects.filter(action="auth.login").exists()


@pytest.mark.parametrize("code", [P.OFFICER, P.INTAKE, P.SQUAD_LEADER, P.HANDLER])
def test_other_posts_sign_in_with_the_password(client, personas, clock, code):
    assert not mfa_required(personas[code])
    assert sign_in(client, str(code)).url == reverse("backoffice:home")
    assert signed_in_as(client) == str(personas[code].pk)


def test_first_sign_in_enrols_the_authenticator_with_a_local_qr_code(client, personas, clock):
    leader = personas[P.LEADER]
    sign_in(client, "leader")

    page = client.get(reverse("backoffice:login_enrol"))

    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body  # drawn here by segno, no outside service
    assert "http://" not in body.replace("http://www.w3.org", "")
    assert "https://" not in body.replace("https://www.w3.org", "")
    device = TOTPDevice.objects.get(user=leader)
    assert device.confirmed is False

    done = client.post(reverse("backoffice:login_enrol"), {"code": code_of(device)})

    assert done.url == reverse("backoffice:home")
    assert signed_in_as(client) == str(leader.pk)
    assert TOTPDevice.objects.get(user=leader).confirmed is True
    assert RecordEntry.objects.get(action="auth.mfa.enrol").actor == leader
    assert RecordEntry.objects.get(action="auth.login").changes == {"second_factor": [None, True]}


def test_reloading_the_enrolment_page_keeps_the_same_key(client, personas, clock):
    sign_in(client, "leader")
    first = client.get(reverse("backoffice:login_enrol")).context["secret"]
    second = client.get(reverse("backoffice:login_enrol")).context["secret"]
    assert first == second
    assert TOTPDevice.objects.filter(user=personas[P.LEADER]).count() == 1


def test_an_enrolled_administrator_gives_the_code_at_sign_in(client, personas, clock):
    auditor = personas[P.AUDIT_ADMIN]
    device = enrolled(auditor)

    assert sign_in(client, "audit_admin").url == reverse("backoffice:login_verify")
    assert signed_in_as(client) is None
    response = client.post(reverse("backoffice:login_verify"), {"code": code_of(device)})

    assert response.url == reverse("backoffice:home")
    assert signed_in_as(client) == str(auditor.pk)


def test_a_wrong_code_is_refused_and_recorded(client, personas, clock):
    device = enrolled(personas[P.LEADER])
    sign_in(client, "leader")
    wrong = f"{(int(code_of(device)) + 1) % 1000000:06d}"

    response = client.post(reverse("backoffice:login_verify"), {"code": wrong})

    assert response.status_code == 200
    assert signed_in_as(client) is None
    failure = RecordEntry.objects.get(action="auth.login_failed")
    assert failure.object_id == str(personas[P.LEADER].pk)


def test_a_code_cannot_be_used_twice(client, personas, clock):
    """ASVS V2.8.4: a time-based code is accepted once."""
    device = enrolled(personas[P.LEADER])
    code = code_of(device)
    sign_in(client, "leader")
    client.post(reverse("backoffice:login_verify"), {"code": code})
    client.post(reverse("backoffice:logout"))

    sign_in(client, "leader")
    clock.shift(datetime.timedelta(seconds=5))
    response = client.post(reverse("backoffice:login_verify"), {"code": code})

    assert signed_in_as(client) is None
    assert response.status_code == 200


def test_five_wrong_codes_start_the_sign_in_again(client, personas, clock):
    device = enrolled(personas[P.LEADER])
    sign_in(client, "leader")
    wrong = f"{(int(code_of(device)) + 1) % 1000000:06d}"
    for step in range(5):
        clock.shift(datetime.timedelta(seconds=60 * (step + 1)))  # django-otp's back-off
        response = client.post(reverse("backoffice:login_verify"), {"code": wrong})

    assert response.url == reverse("backoffice:login")
    assert client.get(reverse("backoffice:login_verify")).url == reverse("backoffice:login")


def test_the_pending_sign_in_lapses(client, personas, clock):
    device = enrolled(personas[P.LEADER])
    sign_in(client, "leader")
    clock.shift(datetime.timedelta(minutes=6))

    response = client.post(reverse("backoffice:login_verify"), {"code": code_of(device)})

    assert response.url == reverse("backoffice:login")
    assert signed_in_as(client) is None


def test_the_code_step_cannot_be_reached_without_the_password(client, personas, clock):
    device = enrolled(personas[P.LEADER])
    response = client.post(reverse("backoffice:login_verify"), {"code": code_of(device)})
    assert response.url == reverse("backoffice:login")
    assert signed_in_as(client) is None


def test_the_admin_sees_who_has_enrolled_but_never_the_keys(client, personas, clock):
    """The security administrator sees whether an authenticator is enrolled; django-otp's
    own admin (which shows the keys and QR codes) is not offered."""
    enrolled(personas[P.LEADER])
    client.force_login(personas[P.SECURITY_ADMIN])
    changelist = client.get(reverse("admin:org_user_changelist"))
    assert changelist.status_code == 200
    assert "otp_totp" not in client.get(reverse("admin:index")).content.decode()
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
