"""Signing in (身份鉴别, 等保2.0 GB/T 22239-2019 8.1.4.1; OWASP ASVS V2, V3).

A sign-in is a few steps, and the session is signed in only after the last one:

1. the password (``signin_password_check``): **the lockout is asked first** — a locked
   account or address is refused without checking the password and without a record,
   so nobody can grow the record chain beyond the throttle (org/lockout.py); a failure
   is then counted by axes and recorded, and the failure that reaches the limit records
   the lockout;
2. a new password, when the password is one-time or has expired (org/passwords.py);
3. for the three administrators and the bureau leaders (``MFA_POSTS``), the
   authenticator's code (TOTP, django-otp) — at the first sign-in, its enrolment.

Every step is recorded in the chain (``auth.*`` entries, read by the audit
administrator only).
"""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from yangguang.org.enums import ADMIN_POSTS, PostCode
from yangguang.org.lockout import cool_off
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.org.selectors import user_post_codes
from yangguang.records.context import current_client
from yangguang.records.registry import Target, target_for
from yangguang.records.services import record_append

# Who signs in with a second factor: the three administrators and the bureau leaders.
MFA_POSTS = ADMIN_POSTS | {PostCode.LEADER}
# The name django-otp shows for our one device per account.
DEVICE_NAME = "authenticator"


class SignInRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """A sign-in step refused; ``code`` is "locked", "invalid" or "wrong_code"."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def lockout_message() -> str:
    return _(
        "Too many failed sign-ins: signing in is locked for %(minutes)d minutes. "
        "The security administrator can lift the lock sooner."
    ) % {"minutes": settings.LOCKOUT_MINUTES}


def _address_target(address: str) -> Target:
    return Target("org.address", address[:64], address[:200], None)


def _account_target(username: str) -> Target:
    user = User.objects.filter(username=username).select_related("unit").first()
    return target_for(user) if user else Target("org.user", username[:64], username[:200], None)


def _failures(*, username: str, address: str, now: datetime.datetime) -> tuple[int, int]:
    from axes.models import AccessAttempt

    recent = AccessAttempt.objects.filter(attempt_time__gt=now - cool_off())
    by_account = recent.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"]
    by_address = recent.filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"]
    return by_account or 0, by_address or 0


def signin_password_check(*, request: HttpRequest, username: str, password: str) -> User:
    """The first step: the user whose password this is, or SignInRefused.

    Side effects: a lockout refuses at once and writes nothing; otherwise a failure is
    counted (axes) and recorded (``auth.login_failed``), and when it locks the account
    or the address, ``auth.lockout`` is recorded once for each.
    """
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(request, credentials):
        raise SignInRefused(lockout_message(), "locked")
    user = authenticate(request, username=username, password=password)
    if user is not None:
        return user
    _failure_recorded(username=username)
    address = current_client().ip
    by_account, by_address = _failures(username=username, address=address, now=timezone.now())
    locked = []
    if by_account >= settings.LOGIN_FAILURES_PER_ACCOUNT:
        locked.append(("account", _account_target(username), by_account))
    if address and by_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
        locked.append(("address", _address_target(address), by_address))
    for kind, target, failures in locked:
        _lockout_recorded(kind=kind, target=target, failures=failures)
    if locked:
        raise SignInRefused(lockout_message(), "locked")
    raise SignInRefused(_("The login name or the password is wrong."), "invalid")


@transaction.atomic
def _failure_recorded(*, username: str, reason: str = "") -> None:
    record_append(
        action="auth.login_failed", target=_account_target(username), actor=None, reason=reason
    )


@transaction.atomic
def _lockout_recorded(*, kind: str, target: Target, failures: int) -> None:
    record_append(
        action="auth.lockout",
        target=target,
        actor=None,
        changes={"kind": [None, kind], "failures": [None, failures]},
        reason=_("%(n)d failed sign-ins; locked for %(minutes)d minutes.")
        % {"n": failures, "minutes": settings.LOCKOUT_MINUTES},
    )


@transaction.atomic
def lockout_release(*, kind: str, value: str, actor: User) -> int:
    """Lift the lock of an account (``kind`` "account", ``value`` its login name) or an
    address: its failure count starts again from nought. The security administrator's.

    Side effect: an ``auth.unlock`` record. Returns how many counters were cleared.
    """
    if not allowed(actor, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("Only the security administrator lifts sign-in locks."))
    if kind == "account":
        cleared = AxesProxyHandler.reset_attempts(username=value)
        target = _account_target(value)
    elif kind == "address":
        cleared = AxesProxyHandler.reset_attempts(ip_address=value)
        target = _address_target(value)
    else:
        raise ValueError(f"unknown lock kind {kind!r}")
    record_append(
        action="auth.unlock",
        target=target,
        actor=actor,
        changes={"kind": [None, kind], "counters": [cleared, 0]},
    )
    return cleared


# --- The second factor ----------------------------------------------------------------


def mfa_required(user: User) -> bool:
    """True for the administrators and the bureau leaders."""
    return bool(user_post_codes(user) & MFA_POSTS)


def mfa_device(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


@transaction.atomic
def mfa_enrolment_start(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: a new secret, kept unconfirmed until the first
    code proves the app holds it. Reloading the page keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def mfa_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm the enrolment with the app's first code; SignInRefused when wrong.
    Side effects: an ``auth.mfa.enrol`` record (without the secret); a wrong code is
    recorded (``auth.login_failed``) and slows down the next try (django-otp)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(
            pk=device.pk, user=user, confirmed=False
        )
        if device.verify_token(code.strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            record_append(action="auth.mfa.enrol", target=user, actor=user)
            return device
    _failure_recorded(username=user.username, reason=_("wrong authenticator code"))
    raise SignInRefused(_("The code is wrong or has expired. Try the next one."), "wrong_code")


def mfa_verify(*, user: User, code: str) -> TOTPDevice:
    """The device that accepts ``code`` at sign-in, or SignInRefused. django-otp refuses
    a code already used and slows down repeated failures. Side effect: a wrong code is
    recorded (``auth.login_failed``)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is not None and device.verify_token(code.strip()):
            return device
    _failure_recorded(username=user.username, reason=_("wrong authenticator code"))
    raise SignInRefused(_("The code is wrong or has expired. Try the next one."), "wrong_code")


def mfa_reset(*, user: User) -> int:
    """Forget the account's authenticators (the caller records it: org/resets.py).
    The next sign-in enrols a new one."""
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    return deleted


# --- Recording the session ---------------------------------------------------------------


@transaction.atomic
def login_recorded(*, user: User, second_factor: bool = False) -> None:
    """Record a completed sign-in (read by the audit administrator only)."""
    record_append(
        action="auth.login",
        target=user,
        actor=user,
        changes={"second_factor": [None, second_factor]} if second_factor else {},
    )


@transaction.atomic
def logout_recorded(*, user: User) -> None:
    record_append(action="auth.logout", target=user, actor=user)


@transaction.atomic
def session_expired_recorded(*, user: User, idle: bool) -> None:
    """Record a session ended by the server: idle too long, or past its lifetime."""
    record_append(
        action="auth.session_expired",
        target=user,
        actor=user,
        changes={"cause": [None, "idle" if idle else "lifetime"]},
        reason=_("idle for %(minutes)d minutes") % {"minutes": settings.IDLE_TIMEOUT_MINUTES}
        if idle
        else _("session lifetime reached"),
    )
