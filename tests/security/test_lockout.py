"""Sign-in lockout per account and per address, throttling before recording, and the
security administrator's view and release of locks (等保2.0 GB/T 22239-2019 8.1.4.1 b
登录失败处理; 8.1.4.3 安全审计; OWASP ASVS V2.2.1)."""

import datetime

import pytest
from django.urls import reverse

from tests.security.helpers import OFFICE, PASSWORD, sign_in, signed_in_as
from yangguang.org.enums import PostCode
from yangguang.org.lockout import lockouts_current
from yangguang.records.models import RecordEntry
from yangguang.records.selectors import records_visible_to

P = PostCode
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_account_locks_after_five_failures_and_then_refuses_the_right_password(
    client, personas, clock
):
    """The probe: 50 wrong passwords, then the right one logged in. Now the fifth
    failure locks the account, from whatever addresses they came (8.1.4.1 b)."""
    officer = personas[P.OFFICER]
    for n in range(5):
        sign_in(client, "officer", "wrong-password-1", address=f"10.0.0.{n + 1}")

    response = sign_in(client, "officer", PASSWORD, address="10.9.9.9")

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert signed_in_as(client) is None
    lock = RecordEntry.objects.get(action="auth.lockout")
    assert (lock.object_type, lock.object_id, lock.changes["kind"]) == (
        "org.user",
        str(officer.pk),
        [None, "account"],
    )


def test_four_failures_do_not_lock(client, personas, clock):
    for _ in range(4):
        sign_in(client, "officer", "wrong-password-1")
    response = sign_in(client, "officer")
    assert (response.status_code, signed_in_as(client)) == (302, str(personas[P.OFFICER].pk))


def test_address_locks_after_twenty_failures_whatever_the_names(client, personas, clock):
    """Guessing many accounts (or unknown names) from one address locks the address;
    the same account from another address still signs in."""
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong-password-1")

    refused = sign_in(client, "intake")
    assert (refused.status_code, signed_in_as(client)) == (429, None)

    elsewhere = sign_in(client, "intake", address="10.7.7.7")
    assert (elsewhere.status_code, signed_in_as(client)) == (302, str(personas[P.INTAKE].pk))
    address_lock = RecordEntry.objects.get(action="auth.lockout")
    assert (address_lock.object_type, address_lock.object_id) == ("org.address", OFFICE)


def test_unknown_names_grow_the_record_no_further_than_the_throttle(client, db, clock):
    """The probe: every failed sign-in, even for unknown names, appended to the chain.
    Throttle first, then record: from one address, at most the address limit of failures
    and one lockout are recorded per lockout period (8.1.4.3; ASVS V2.2.1)."""
    before = RecordEntry.objects.count()

    for n in range(60):
        sign_in(client, f"nobody{n}", "wrong-password-1")

    assert RecordEntry.objects.count() - before == 20 + 1
    assert RecordEntry.objects.filter(action="auth.login_failed").count() == 20
    assert RecordEntry.objects.filter(action="auth.lockout").count() == 1


def test_the_lock_lapses_after_the_lockout_period(client, personas, clock, settings):
    settings.LOCKOUT_MINUTES = 30
    for _ in range(5):
        sign_in(client, "officer", "wrong-password-1")

    clock.move_to(START + datetime.timedelta(minutes=29), tick=False)
    assert sign_in(client, "officer").status_code == 429
    clock.move_to(START + datetime.timedelta(minutes=31), tick=False)
    assert sign_in(client, "officer").status_code == 302


def test_limits_are_configurable(client, personas, clock, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, "officer", "wrong-password-1")
    assert sign_in(client, "officer").status_code == 429


def test_a_sign_in_clears_the_accounts_failures_not_the_addresses(client, personas, clock):
    """Holding one account must not reset the address's count between guesses."""
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong-password-1")
    for _ in range(4):
        sign_in(client, "officer", "wrong-password-1", address="10.7.7.7")

    assert sign_in(client, "officer", address="10.7.7.7").status_code == 302
    client.logout()

    assert sign_in(client, "intake").status_code == 429
    for _ in range(4):
        sign_in(client, "officer", "wrong-password-1", address="10.7.7.8")
    assert sign_in(client, "officer", address="10.7.7.8").status_code == 302


def test_security_administrator_sees_the_locks_and_lifts_one_recorded(client, personas, clock):
    """Locks are visible to the security administrator, and lifting one is recorded
    (8.1.4.3)."""
    for _ in range(5):
        sign_in(client, "officer", "wrong-password-1", address="10.0.0.1")
    assert [(lock.kind, lock.value) for lock in lockouts_current()] == [("account", "officer")]

    client.force_login(personas[P.SECURITY_ADMIN])
    page = client.get(reverse("backoffice:security")).content.decode()
    assert "officer" in page
    client.post(reverse("backoffice:unlock"), {"kind": "account", "value": "officer"})
    client.logout()

    unlock = RecordEntry.objects.get(action="auth.unlock")
    assert (unlock.actor, unlock.object_id) == (
        personas[P.SECURITY_ADMIN],
        str(personas[P.OFFICER].pk),
    )
    assert lockouts_current() == []
    assert sign_in(client, "officer", address="10.0.0.1").status_code == 302


def test_security_administrator_lifts_an_address_lock(client, personas, clock):
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong-password-1")
    client.force_login(personas[P.SECURITY_ADMIN])

    client.post(reverse("backoffice:unlock"), {"kind": "address", "value": OFFICE})
    client.logout()

    assert RecordEntry.objects.get(action="auth.unlock").object_type == "org.address"
    assert sign_in(client, "intake").status_code == 302


@pytest.mark.parametrize("code", [P.SYSTEM_ADMIN, P.AUDIT_ADMIN, P.LEADER])
def test_only_the_security_administrator_lifts_locks(client, personas, clock, code):
    for _ in range(5):
        sign_in(client, "officer", "wrong-password-1")
    client.force_login(personas[code])

    response = client.post(reverse("backoffice:unlock"), {"kind": "account", "value": "officer"})

    assert response.status_code == 403
    assert not RecordEntry.objects.filter(action="auth.unlock").exists()
    assert lockouts_current() != []


def test_lock_entries_are_the_audit_administrators_to_read(client, personas, clock):
    """8.1.4.3: the audit administrator sees lockouts; other staff do not."""
    for _ in range(5):
        sign_in(client, "officer", "wrong-password-1")
    assert records_visible_to(personas[P.AUDIT_ADMIN]).filter(action="auth.lockout").exists()
    assert not records_visible_to(personas[P.LEADER]).filter(action="auth.lockout").exists()
    client.force_login(personas[P.AUDIT_ADMIN])
    response = client.get(reverse("backoffice:audit"), {"action": "auth.lockout"})
    assert "officer" in response.content.decode()
