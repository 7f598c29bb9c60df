"""Helpers for the account-security tests: signing in through the real sign-in page
(lockout, one-time passwords, the second factor), and the authenticator's codes."""

import time

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-9"  # the factories' password
OFFICE = "10.20.30.40"


def sign_in(client, username: str, password: str = PASSWORD, *, address: str = OFFICE):
    return client.post(
        reverse("backoffice:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in_as(client) -> str | None:
    """The pk of the signed-in user of the client's session, if any."""
    return client.session.get("_auth_user_id")


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (the clock is pinned by the test)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
