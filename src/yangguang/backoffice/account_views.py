"""Signing in and out, one's own account (password, authenticator, API tokens), and the
security administrator's page (sign-in locks, account resets).

A sign-in is a few steps (org/signin.py); until the last one the session holds only
``PENDING`` (who proved their password, when, where to go next) and is not signed in,
so an administrator or a leader who has not given the authenticator's code has no
session at all. The pending step lapses after ``PENDING_SECONDS``.
"""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from yangguang.api.services import staff_token_issue, staff_token_of, staff_token_revoke
from yangguang.api.services import staff_tokens_of as tokens_of
from yangguang.backoffice.account_forms import (
    CodeForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    RefuseForm,
    ResetRequestForm,
    TokenForm,
)
from yangguang.backoffice.form_errors import errors_onto
from yangguang.core.privacy import mask_phone
from yangguang.org.lockout import lockouts_current
from yangguang.org.models import AccountReset, User
from yangguang.org.passwords import (
    password_expired,
    password_expires_at,
    password_must_change,
    password_set,
)
from yangguang.org.resets import (
    reset_approval_reasons,
    reset_approve,
    reset_may_decide,
    reset_refuse,
    reset_request,
    resets_recent,
    resets_waiting,
)
from yangguang.org.rules import Action, allowed
from yangguang.org.selectors import get_staff_for_user
from yangguang.org.signin import (
    SignInRefused,
    lockout_release,
    login_recorded,
    logout_recorded,
    mfa_device,
    mfa_enrol_confirm,
    mfa_enrolment_start,
    mfa_required,
    mfa_verify,
)
from yangguang.records.registry import pk_or_404

PENDING = "yangguang_signin"
PENDING_SECONDS = 300
# Wrong authenticator codes before the sign-in starts again from the password.
MAX_CODE_TRIES = 5


# --- Signing in ---------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or reverse("backoffice:home"))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            return _begin(request, form.get_user(), next_url)
        if form.refusal is not None and form.refusal.code == "locked":
            status = 429
    context = {"form": form, "next": next_url, "timeout": bool(request.GET.get("timeout"))}
    return render(request, "backoffice/login.html", context, status=status)


def _begin(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": timezone.now().timestamp(),
        "next": next_url,
        "tries": 0,
    }
    return _next_step(request, user)


def _pending(request: HttpRequest) -> tuple[User, dict] | None:
    data = request.session.get(PENDING)
    if not data:
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or timezone.now().timestamp() - data["at"] > PENDING_SECONDS:
        del request.session[PENDING]
        return None
    return user, data


def _start_again(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.error(request, message)
    return redirect("backoffice:login")


def _next_step(request: HttpRequest, user: User) -> HttpResponse:
    if password_must_change(user=user):
        return redirect("backoffice:login_password")
    if mfa_required(user):
        return redirect("backoffice:login_verify" if mfa_device(user) else "backoffice:login_enrol")
    return _finish(request, user, device=None)


def _finish(request: HttpRequest, user: User, device) -> HttpResponse:
    data = request.session.pop(PENDING)
    auth_login(request, user, backend=data["backend"])
    if device is not None:
        otp_login(request, device)
    login_recorded(user=user, second_factor=device is not None)
    return redirect(data["next"] or reverse("backoffice:home"))


def _pending_or_restart(request: HttpRequest):
    pending = _pending(request)
    if pending is None:
        return None, _start_again(request, _("Sign in again: the sign-in was interrupted."))
    return pending, None


@require_http_methods(["GET", "POST"])
def login_password(request: HttpRequest) -> HttpResponse:
    """A new password before anything else: the old one was one-time or has expired."""
    pending, restart = _pending_or_restart(request)
    if restart:
        return restart
    user, _data = pending
    if not password_must_change(user=user):
        return _next_step(request, user)
    form = NewPasswordForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            password_set(
                user=user, password=form.cleaned_data["new_password1"], actor=user, one_time=False
            )
        except ValidationError as exc:
            form.show_service_error(exc)
        else:
            return _next_step(request, user)
    context = {
        "form": form,
        "expired": password_expired(user=user) and not user.must_change_password,
    }
    return render(request, "backoffice/login_password.html", context)


def _wrong_code(request: HttpRequest, form: CodeForm, refusal: SignInRefused):
    data = request.session[PENDING]
    data["tries"] += 1
    request.session[PENDING] = data
    if data["tries"] >= MAX_CODE_TRIES:
        return _start_again(request, _("Too many wrong codes: sign in again."))
    form.add_error("code", refusal.message)
    return None


@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of an administrator or a leader: scan the QR code into an
    authenticator app (any TOTP app) and give its first code."""
    pending, restart = _pending_or_restart(request)
    if restart:
        return restart
    user, _data = pending
    if not mfa_required(user) or mfa_device(user) is not None:
        return _next_step(request, user)
    device = mfa_enrolment_start(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = mfa_enrol_confirm(user=user, device=device, code=form.cleaned_data["code"])
        except SignInRefused as refusal:
            restart = _wrong_code(request, form, refusal)
            if restart:
                return restart
        else:
            messages.success(request, _("The authenticator is enrolled."))
            return _finish(request, user, device)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "backoffice/login_enrol.html", context)


@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second factor of an administrator or a leader."""
    pending, restart = _pending_or_restart(request)
    if restart:
        return restart
    user, _data = pending
    if not mfa_required(user) or mfa_device(user) is None:
        return _next_step(request, user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = mfa_verify(user=user, code=form.cleaned_data["code"])
        except SignInRefused as refusal:
            restart = _wrong_code(request, form, refusal)
            if restart:
                return restart
        else:
            return _finish(request, user, device)
    return render(request, "backoffice/login_verify.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        logout_recorded(user=request.user)
    auth_logout(request)
    return redirect("backoffice:login")


# --- One's own account -------------------------------------------------------------------


def _may_use_tokens(user: User) -> bool:
    return allowed(user, Action.VIEW_WORK)


def _account(request: HttpRequest, *, form=None, new_key: str = "", status: int = 200):
    user = request.user
    context = {
        "password_changed_at": user.password_changed_at,
        "password_expires_at": password_expires_at(user=user),
        "mfa": mfa_required(user),
        "device": mfa_device(user),
        "tokens": tokens_of(user) if _may_use_tokens(user) else None,
        "form": form or TokenForm(),
        "new_key": new_key,
        "now": timezone.now(),
    }
    return render(request, "backoffice/account.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return _account(request)


@login_required
@require_POST
def token_issue(request: HttpRequest) -> HttpResponse:
    """The owner issues a token for themselves; the key is shown in this response only
    (not stored in a message or the session)."""
    if not _may_use_tokens(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account(request, form=form, status=400)
    try:
        _token, key = staff_token_issue(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            actor=request.user,
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _account(request, form=form, status=400)
    return _account(request, new_key=key, status=201)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = staff_token_of(user=request.user, token_id=pk_or_404(token_id))
    staff_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token is revoked."))
    return redirect("backoffice:account")


@login_required
@require_http_methods(["GET", "POST"])
def account_password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            password_set(
                user=request.user,
                password=form.cleaned_data["new_password1"],
                actor=request.user,
                one_time=False,
            )
        except ValidationError as exc:
            form.show_service_error(exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("backoffice:account")
    return render(request, "backoffice/account_password.html", {"form": form})


# --- The security administrator's page ----------------------------------------------------


def _security_staff(request: HttpRequest) -> None:
    if not (
        allowed(request.user, Action.MANAGE_ACCOUNTS) or allowed(request.user, Action.APPROVE_RESET)
    ):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    """Sign-in locks (with their release) and account resets (with their approval)."""
    _security_staff(request)
    manages = allowed(request.user, Action.MANAGE_ACCOUNTS)
    waiting = [
        {"reset": reset, "may_decide": reset_may_decide(reset=reset, user=request.user)}
        for reset in resets_waiting()
    ]
    context = {
        "manages": manages,
        "lockouts": lockouts_current() if manages else [],
        "waiting": waiting,
        "recent": resets_recent(),
        "refuse_form": RefuseForm(),
    }
    return render(request, "backoffice/security.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")[:255]
    if kind not in {"account", "address"} or not value:
        messages.error(request, _("Choose a lock to lift."))
        return redirect("backoffice:security")
    lockout_release(kind=kind, value=value, actor=request.user)
    messages.success(request, _("The lock on %(value)s is lifted.") % {"value": value})
    return redirect("backoffice:security")


@login_required
@require_http_methods(["GET", "POST"])
def reset_new(request: HttpRequest, user_id: str) -> HttpResponse:
    if not allowed(request.user, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied
    person = get_staff_for_user(user=request.user, staff_id=pk_or_404(user_id))
    form = ResetRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            reset = reset_request(
                user=person,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                reset_authenticator=form.cleaned_data["reset_authenticator"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            if reset.status == "done":
                messages.success(
                    request,
                    _("A one-time password is on its way to %(phone)s by SMS.")
                    % {"phone": mask_phone(person.phone)},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "The reset waits for a second approval by the system administrator "
                        "or another security administrator."
                    ),
                )
            return redirect("backoffice:security")
    context = {
        "person": person,
        "phone": mask_phone(person.phone),
        "approval": reset_approval_reasons(user=person, reset_authenticator=False),
        "form": form,
    }
    return render(request, "backoffice/reset_new.html", context)


@login_required
@require_POST
def reset_decide(request: HttpRequest, reset_id: str, decision: str) -> HttpResponse:
    _security_staff(request)
    if decision not in {"approve", "refuse"}:
        raise Http404
    reset = get_object_or_404(AccountReset, pk=pk_or_404(reset_id))
    try:
        if decision == "approve":
            reset_approve(reset=reset, actor=request.user)
            messages.success(request, _("Approved: the one-time password is on its way."))
        else:
            form = RefuseForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why the reset is refused."))
                return redirect("backoffice:security")
            reset_refuse(reset=reset, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The reset is refused."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("backoffice:security")
