"""Resetting an account's password (and authenticator) without becoming its owner
(等保2.0 GB/T 22239-2019 8.1.4.1 身份鉴别, 8.1.4.2 c 最小权限; OWASP ASVS V2.5).

The security administrator asks for a reset; nobody ever chooses or sees the new
password. The system makes a **one-time password**, sends it by SMS to the account's
own mobile number (through the outbox, masked everywhere but in the message itself),
and the owner must replace it at the next sign-in. The reset ends the account's
sessions (the password changed).

A reset of an administrator (system, security, audit) or a bureau leader, a reset of the
authenticator, or a reset of an account whose mobile number someone else changed in the
last ``PHONE_HOLD`` days **waits for a second administrator's approval**: the system
administrator or another security administrator — never the one who asked, never the
account's owner. Why both may approve: every bureau has a system administrator (三员分立),
while a second security administrator is not guaranteed; the approver learns nothing
(the password goes to the owner's phone) and gains no power to manage accounts, so the
system administrator's approving does not merge the two duties. Without the approval a
security administrator could redirect a leader's one-time password (or enrol their own
authenticator) and act as the leader.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.notify.services import message_enqueue
from yangguang.org.enums import ADMIN_POSTS, PostCode
from yangguang.org.models import AccountReset, ResetStatus, User
from yangguang.org.passwords import one_time_password_generate, password_set
from yangguang.org.rules import Action, allowed
from yangguang.org.signin import mfa_reset
from yangguang.records.models import RecordEntry
from yangguang.records.services import record_append

PRIVILEGED_POSTS = ADMIN_POSTS | {PostCode.LEADER}
# A mobile number changed by someone else this recently may be the changer's own: a
# reset that would send the password there needs the second approval.
PHONE_HOLD = datetime.timedelta(days=7)
# How long the outbox keeps the one-time password if the SMS platform is down.
SMS_SECRET_VALIDITY = datetime.timedelta(hours=24)


def _is_mobile(phone: str) -> bool:
    return len(phone) == 11 and phone.isascii() and phone.isdigit() and phone.startswith("1")


def reset_approval_reasons(
    *, user: User, reset_authenticator: bool, now: datetime.datetime | None = None
) -> list[str]:
    """Why a reset of ``user`` needs a second approval (empty: it does not)."""
    now = now or timezone.now()
    reasons = []
    codes = set(user.posts.values_list("code", flat=True))
    privileged = sorted(str(PostCode(code).label) for code in codes & PRIVILEGED_POSTS)
    if privileged:
        reasons.append(_("the account holds the post %(posts)s") % {"posts": "、".join(privileged)})
    if reset_authenticator:
        reasons.append(_("the authenticator is reset too"))
    phone_changed = (
        RecordEntry.objects.filter(
            object_type="org.user",
            object_id=str(user.pk),
            action="org.user.update",
            changes__has_key="phone",
            recorded_at__gte=now - PHONE_HOLD,
        )
        .exclude(actor=user)
        .exists()
    )
    if phone_changed:
        reasons.append(
            _("someone else changed the account's mobile number in the last %(days)d days")
            % {"days": PHONE_HOLD.days}
        )
    return reasons


@transaction.atomic
def reset_request(
    *,
    user: User,
    actor: User,
    reason: str,
    reset_authenticator: bool = False,
    now: datetime.datetime | None = None,
) -> AccountReset:
    """Ask for a reset of ``user``'s password (and authenticator). Done at once when no
    approval is needed (see the module); otherwise it waits for ``reset_approve``.

    Side effects: an ``auth.password.reset_request`` record; when done at once, those of
    the reset itself (``_reset_apply``).
    """
    now = now or timezone.now()
    if not allowed(actor, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("Only the security administrator resets accounts."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError(
            _("You cannot reset your own account: change your password on your account page.")
        )
    if not user.is_active:
        raise ValidationError(_("The account is disabled: enable it before resetting it."))
    if not _is_mobile(user.phone):
        raise ValidationError(
            _(
                "The one-time password is sent by SMS to the account's own mobile number, "
                "and the account has none. Record the owner's mobile number first."
            )
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the account is reset.")})
    if AccountReset.objects.filter(user=user, status=ResetStatus.PENDING).exists():
        raise ValidationError(_("A reset of this account is already waiting for approval."))
    approval = reset_approval_reasons(user=user, reset_authenticator=reset_authenticator, now=now)
    reset = AccountReset.objects.create(
        user=user,
        reset_authenticator=reset_authenticator,
        reason=reason[:200],
        requested_by=actor,
        requested_at=now,
    )
    record_append(
        action="auth.password.reset_request",
        target=user,
        actor=actor,
        changes={
            "authenticator": [None, reset_authenticator],
            "second_approval": [None, "；".join(approval) or None],
        },
        reason=reason,
    )
    if not approval:
        _reset_apply(reset=reset, actor=actor, now=now)
    return reset


def _may_decide(reset: AccountReset, actor: User) -> None:
    if not allowed(actor, Action.APPROVE_RESET):
        raise PermissionDenied(
            _("Only the system administrator or another security administrator approves.")
        )
    if actor.pk == reset.requested_by_id:
        raise PermissionDenied(
            _("You asked for this reset: another administrator must approve it.")
        )
    if actor.pk == reset.user_id:
        raise PermissionDenied(_("Nobody decides on a reset of their own account."))


def _pending(reset: AccountReset) -> AccountReset:
    reset = (
        AccountReset.objects.select_for_update()
        .select_related("user", "requested_by")
        .get(pk=reset.pk)
    )
    if reset.status != ResetStatus.PENDING:
        raise ValidationError(
            _("This reset is no longer waiting: it is %(status)s.")
            % {"status": reset.get_status_display()}
        )
    return reset


@transaction.atomic
def reset_approve(
    *, reset: AccountReset, actor: User, now: datetime.datetime | None = None
) -> AccountReset:
    """The second approval: the reset is done. Side effects: an
    ``auth.password.reset_approve`` record and those of the reset (``_reset_apply``)."""
    now = now or timezone.now()
    _may_decide(reset, actor)
    reset = _pending(reset)
    reset.status, reset.decided_by, reset.decided_at = ResetStatus.DONE, actor, now
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    record_append(
        action="auth.password.reset_approve",
        target=reset.user,
        actor=actor,
        changes={"requested_by": [None, reset.requested_by.username]},
    )
    _reset_apply(reset=reset, actor=actor, now=now)
    return reset


@transaction.atomic
def reset_refuse(
    *, reset: AccountReset, actor: User, reason: str, now: datetime.datetime | None = None
) -> AccountReset:
    """Refuse a waiting reset. Side effect: an ``auth.password.reset_refuse`` record."""
    now = now or timezone.now()
    _may_decide(reset, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the reset is refused.")})
    reset = _pending(reset)
    reset.status, reset.decided_by, reset.decided_at = ResetStatus.REFUSED, actor, now
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    record_append(
        action="auth.password.reset_refuse", target=reset.user, actor=actor, reason=reason
    )
    return reset


def _reset_apply(*, reset: AccountReset, actor: User, now: datetime.datetime) -> None:
    """Give the owner a one-time password by SMS (and forget the authenticator).

    Side effects: the password (and its history) changes, which ends the owner's
    sessions; an SMS in the outbox whose stored text masks the password; an
    ``auth.password.reset`` record (and ``auth.mfa.reset``), never with the password.
    """
    user = reset.user
    password = one_time_password_generate()
    password_set(user=user, password=password, actor=actor, one_time=True, now=now, record=False)
    if reset.status == ResetStatus.PENDING:
        reset.status, reset.decided_at = ResetStatus.DONE, now
        reset.save(update_fields=["status", "decided_at"])
    message_enqueue(
        phone=user.phone,
        body=_(
            "Yangguang: the one-time password of your account %(username)s is %(password)s . "
            "Sign in with it and choose a new password. Not asked for by you? Tell the "
            "security administrator."
        )
        % {"username": user.username, "password": password},
        purpose="password_reset",
        secrets=[password],
        secret_expires_at=now + SMS_SECRET_VALIDITY,
        now=now,
    )
    record_append(
        action="auth.password.reset",
        target=user,
        actor=actor,
        changes={"one_time": [None, True], "sent_to": [None, user.phone]},
        personal={"sent_to": "phone"},
    )
    if reset.reset_authenticator and mfa_reset(user=user):
        record_append(action="auth.mfa.reset", target=user, actor=actor)


def resets_waiting() -> QuerySet[AccountReset]:
    return AccountReset.objects.filter(status=ResetStatus.PENDING).select_related(
        "user", "user__unit", "requested_by"
    )


def resets_recent(*, limit: int = 20) -> QuerySet[AccountReset]:
    return (
        AccountReset.objects.exclude(status=ResetStatus.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")[:limit]
    )


def reset_may_decide(*, reset: AccountReset, user: User) -> bool:
    try:
        _may_decide(reset, user)
    except PermissionDenied:
        return False
    return True
