"""The password policy on every path that sets a password: at least 8 characters of 3
of 4 kinds, not one of the last N, changed after M days (等保2.0 GB/T 22239-2019
8.1.4.1 a 口令复杂度、定期更换; OWASP ASVS V2.1)."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.security.helpers import PASSWORD, sign_in, signed_in_as
from yangguang.org.enums import PostCode
from yangguang.org.models import PasswordHistory, User
from yangguang.org.passwords import character_classes, password_must_change, password_set
from yangguang.records.models import RecordEntry

P = PostCode
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
WEAK = [
    ("Ab1-xyz", "too short"),
    ("abcdefgh-", "two kinds"),
    ("abcdefgh12", "two kinds"),
    ("ABCDEFGH12", "two kinds"),
]
STRONG = ["Harbour-lights-7", "晴天Snow2026", "Nine9-nine"]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_weak_passwords_are_refused(personas, password, why):
    with pytest.raises(ValidationError):
        password_set(
            user=personas[P.OFFICER], password=password, actor=personas[P.OFFICER], one_time=False
        )


@pytest.mark.parametrize("password", STRONG)
def test_three_kinds_of_eight_characters_are_enough(personas, password):
    assert character_classes(password) >= 3
    password_set(
        user=personas[P.OFFICER], password=password, actor=personas[P.OFFICER], one_time=False
    )
    assert User.objects.get(pk=personas[P.OFFICER].pk).check_password(password)


def test_the_last_five_passwords_cannot_be_chosen_again(personas, clock):
    officer = personas[P.OFFICER]
    used = [f"Harbour-lights-{n}" for n in range(1, 6)]
    for password in used:
        password_set(user=officer, password=password, actor=officer, one_time=False)

    for old in used:
        with pytest.raises(ValidationError) as error:
            password_set(user=officer, password=old, actor=officer, one_time=False)
        assert "last 5" in error.value.messages[0]
    password_set(user=officer, password=PASSWORD, actor=officer, one_time=False)  # the 6th
    assert PasswordHistory.objects.filter(user=officer).count() == 5


def test_the_history_length_is_configurable(personas, settings):
    settings.PASSWORD_HISTORY = 2
    officer = personas[P.OFFICER]
    for n in range(1, 4):
        password_set(user=officer, password=f"Harbour-lights-{n}", actor=officer, one_time=False)
    password_set(user=officer, password="Harbour-lights-1", actor=officer, one_time=False)
    with pytest.raises(ValidationError):
        password_set(user=officer, password="Harbour-lights-3", actor=officer, one_time=False)


def test_a_password_change_is_recorded_without_the_password(personas):
    officer = personas[P.OFFICER]
    password_set(user=officer, password="Harbour-lights-7", actor=officer, one_time=False)
    entry = RecordEntry.objects.get(action="org.user.password")
    assert (entry.actor, entry.changes) == (officer, {"one_time": [None, False]})
    assert "Harbour" not in str(entry.changes) + entry.reason


def test_an_expired_password_must_be_changed_before_signing_in(client, org_tree, time_machine):
    time_machine.move_to(START, tick=False)
    UserFactory(username="zhang", unit=org_tree.command, posts=[P.INTAKE])
    time_machine.move_to(START + datetime.timedelta(days=89), tick=False)
    assert sign_in(client, "zhang").url == reverse("backoffice:home")
    client.logout()

    time_machine.move_to(START + datetime.timedelta(days=91), tick=False)
    response = sign_in(client, "zhang")

    assert response.url == reverse("backoffice:login_password")
    assert signed_in_as(client) is None
    assert client.get(reverse("backoffice:home")).status_code == 302
    same = client.post(
        reverse("backoffice:login_password"),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert same.status_code == 200  # the current password is in the history
    done = client.post(
        reverse("backoffice:login_password"),
        {"new_password1": "Harbour-lights-7", "new_password2": "Harbour-lights-7"},
    )
    assert done.url == reverse("backoffice:home")
    assert signed_in_as(client) is not None


def test_the_expiry_is_configurable(personas, settings, clock):
    officer = User.objects.get(pk=personas[P.OFFICER].pk)
    settings.PASSWORD_MAX_AGE_DAYS = 30
    assert password_must_change(user=officer, now=officer.password_changed_at) is False
    later = officer.password_changed_at + datetime.timedelta(days=30)
    assert password_must_change(user=officer, now=later) is True
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert password_must_change(user=officer, now=later + datetime.timedelta(days=999)) is False


def test_the_password_page_applies_the_policy(client, personas):
    officer = personas[P.OFFICER]
    client.force_login(officer)
    url = reverse("backoffice:account_password")

    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "abcdefgh1", "new_password2": "abcdefgh1"}
    )
    assert weak.status_code == 200
    assert User.objects.get(pk=officer.pk).check_password(PASSWORD)

    wrong_old = client.post(
        url,
        {"old_password": "nope", "new_password1": "Harbour-7-x", "new_password2": "Harbour-7-x"},
    )
    assert "old_password" in wrong_old.context["form"].errors

    done = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "Harbour-7-x", "new_password2": "Harbour-7-x"},
    )
    assert done.url == reverse("backoffice:account")
    assert client.get(reverse("backoffice:home")).status_code == 200  # still signed in
    assert RecordEntry.objects.get(action="org.user.password").actor == officer


def test_the_admins_password_change_page_leads_to_the_policy(client, personas):
    client.force_login(personas[P.SYSTEM_ADMIN])
    response = client.get(reverse("admin:password_change"))
    assert response.url == reverse("backoffice:account_password")


def test_a_new_account_in_the_admin_gets_a_checked_one_time_password(client, personas, org_tree):
    """The security administrator types the first password: it must meet the policy, and
    the owner replaces it at the first sign-in."""
    client.force_login(personas[P.SECURITY_ADMIN])
    data = {
        "username": "xinren",
        "name": "新人",
        "phone": "13900000000",
        "unit": org_tree.squadron2.pk,
        "posts": [personas[P.OFFICER].posts.get().pk],
    }
    weak = client.post(
        reverse("admin:org_user_add"), {**data, "password1": "abcdefgh1", "password2": "abcdefgh1"}
    )
    assert weak.status_code == 200
    assert not User.objects.filter(username="xinren").exists()

    client.post(
        reverse("admin:org_user_add"),
        {**data, "password1": "Harbour-lights-7", "password2": "Harbour-lights-7"},
    )
    client.logout()
    assert User.objects.get(username="xinren").must_change_password is True
    assert sign_in(client, "xinren", "Harbour-lights-7").url == reverse("backoffice:login_password")


def test_create_staff_applies_the_policy_and_gives_a_one_time_password(db, monkeypatch):
    monkeypatch.setenv("YG_TEST_PASSWORD", "abcdefgh1")
    with pytest.raises(CommandError):
        call_command(
            "create_staff", "anquan", "--name", "许静", "--post", "security_admin",
            "--password-env", "YG_TEST_PASSWORD",
        )  # fmt: skip
    monkeypatch.setenv("YG_TEST_PASSWORD", "Harbour-lights-7")
    call_command(
        "create_staff", "anquan", "--name", "许静", "--post", "security_admin",
        "--password-env", "YG_TEST_PASSWORD",
    )  # fmt: skip
    user = User.objects.get(username="anquan")
    assert (user.check_password("Harbour-lights-7"), user.must_change_password) == (True, True)


def test_changepassword_applies_the_policy_and_records(personas, monkeypatch):
    monkeypatch.setenv("YG_TEST_PASSWORD", "abcdefgh1")
    with pytest.raises(CommandError):
        call_command("changepassword", "officer", "--password-env", "YG_TEST_PASSWORD")
    monkeypatch.setenv("YG_TEST_PASSWORD", PASSWORD)
    with pytest.raises(CommandError):  # the current password
        call_command("changepassword", "officer", "--password-env", "YG_TEST_PASSWORD")
    monkeypatch.setenv("YG_TEST_PASSWORD", "Harbour-lights-7")
    call_command("changepassword", "officer", "--password-env", "YG_TEST_PASSWORD")
    officer = User.objects.get(username="officer")
    assert officer.must_change_password is True
    assert RecordEntry.objects.get(action="org.user.password").actor is None


def test_there_is_no_superuser_command(db):
    """三员分立: no account holds every right (等保2.0 8.1.4.2 b)."""
    with pytest.raises(CommandError):
        call_command("createsuperuser")


def test_django_validators_see_the_policy(personas):
    with pytest.raises(ValidationError):
        validate_password("abcdefgh12", personas[P.OFFICER])
    with pytest.raises(ValidationError):
        validate_password(PASSWORD, personas[P.OFFICER])  # the current one
