"""The password policy (身份鉴别, 等保2.0 GB/T 22239-2019 8.1.4.1 a: 口令具有复杂度要求并定期更换).

- at least ``PASSWORD_MIN_LENGTH`` characters (8) mixing 3 of 4 kinds: lower-case
  letters, capitals, digits, other characters (``CharacterClassesValidator``);
- none of the account's last ``PASSWORD_HISTORY`` passwords, the current one included
  (``PasswordHistoryValidator``, over ``PasswordHistory``);
- older than ``PASSWORD_MAX_AGE_DAYS`` days, it must be changed at the next sign-in
  (``password_must_change``); so must a one-time password someone else set.

The validators are in ``AUTH_PASSWORD_VALIDATORS``, so Django's own forms and commands
apply them too; ``password_set`` is the one write of a password, and every path (the
sign-in's forced change, the password page, the admin's new accounts, resets, the
create-staff and changepassword commands) goes through it.
"""

import datetime
import secrets
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.org.models import PasswordHistory, User
from yangguang.records.services import record_append

CHARACTER_CLASSES = (
    ("lower", frozenset(string.ascii_lowercase)),
    ("upper", frozenset(string.ascii_uppercase)),
    ("digit", frozenset(string.digits)),
)


def character_classes(password: str) -> int:
    """How many of the four kinds of character ``password`` mixes."""
    kinds = {name for name, members in CHARACTER_CLASSES for c in password if c in members}
    known = frozenset().union(*(members for _name, members in CHARACTER_CLASSES))
    if any(c not in known for c in password):
        kinds.add("other")
    return len(kinds)


class CharacterClassesValidator:
    """At least ``classes`` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, classes: int = 3) -> None:
        self.classes = classes

    def validate(self, password: str, user: User | None = None) -> None:
        if character_classes(password) < self.classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of these four kinds of character: "
                    "lower-case letters, capital letters, digits and other characters."
                ),
                code="password_too_simple",
                params={"n": self.classes},
            )

    def get_help_text(self) -> str:
        return _(
            "Mix at least %(n)d of: lower-case letters, capital letters, digits and other "
            "characters."
        ) % {"n": self.classes}


class PasswordHistoryValidator:
    """None of the account's last ``PASSWORD_HISTORY`` passwords (the current one too)."""

    def validate(self, password: str, user: User | None = None) -> None:
        count = settings.PASSWORD_HISTORY
        if user is None or user.pk is None or count == 0:
            return
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-pk")
            .values_list("password", flat=True)[:count]
        )
        # The stored password, not the object's: a form may have set the new one on it.
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current:
            hashes.append(current)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _(
                    "This password is one of your last %(n)d (the current one included): "
                    "choose another one."
                ),
                code="password_reused",
                params={"n": count},
            )

    def get_help_text(self) -> str:
        if not settings.PASSWORD_HISTORY:
            return ""
        return _("It must differ from your last %(n)d passwords.") % {
            "n": settings.PASSWORD_HISTORY
        }


def password_expires_at(*, user: User) -> datetime.datetime | None:
    """When the password must be changed (None: never)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return None
    return user.password_changed_at + datetime.timedelta(days=days)


def password_expired(*, user: User, now: datetime.datetime | None = None) -> bool:
    """True when the password is older than ``PASSWORD_MAX_AGE_DAYS`` (0: never)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return False
    now = now or timezone.now()
    return now - user.password_changed_at >= datetime.timedelta(days=days)


def password_must_change(*, user: User, now: datetime.datetime | None = None) -> bool:
    """True when the next sign-in must set a new password first."""
    return user.must_change_password or password_expired(user=user, now=now)


# A one-time password is read off a phone and typed once: no look-alike characters.
_ONE_TIME_ALPHABETS = (
    "abcdefghjkmnpqrstuvwxyz",
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "23456789",
    "#%+=@",
)


def one_time_password_generate(length: int = 12) -> str:
    """A random password of ``length`` characters with every kind of character in it."""
    chosen = [secrets.choice(alphabet) for alphabet in _ONE_TIME_ALPHABETS]
    everything = "".join(_ONE_TIME_ALPHABETS)
    chosen += [secrets.choice(everything) for _ in range(length - len(chosen))]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


@transaction.atomic
def password_set(
    *,
    user: User,
    password: str,
    actor: User | None,
    one_time: bool,
    now: datetime.datetime | None = None,
    record: bool = True,
) -> User:
    """Set ``user``'s password after the policy's checks (ValidationError on the
    ``password`` field otherwise). ``one_time``: set by someone other than the owner,
    to be replaced at the next sign-in.

    Side effects: the hash joins the account's password history (the oldest beyond
    ``PASSWORD_HISTORY`` are dropped); an ``org.user.password`` record unless the caller
    records the change itself (``record=False``). Never records the password.
    """
    now = now or timezone.now()
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.password_changed_at = now
    user.must_change_password = one_time
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    PasswordHistory.objects.create(user=user, password=user.password, set_at=now)
    # Newest by insertion, not by clock: a clock set back must not drop the latest.
    kept = (
        PasswordHistory.objects.filter(user=user)
        .order_by("-pk")
        .values_list("pk", flat=True)[: max(settings.PASSWORD_HISTORY, 1)]
    )
    PasswordHistory.objects.filter(user=user).exclude(pk__in=list(kept)).delete()
    if record:
        record_append(
            action="org.user.password",
            target=user,
            actor=actor,
            changes={"one_time": [None, one_time]},
        )
    return user
