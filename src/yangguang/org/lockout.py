"""Sign-in lockout (登录失败处理, 等保2.0 GB/T 22239-2019 8.1.4.1 b), on django-axes.

Axes counts failed sign-ins per (login name, address, browser) in ``AccessAttempt`` and
asks its handler whether a new attempt is allowed. Ours locks on two counts, each
within the cool-off period after the last failure:

- the **account**: ``LOGIN_FAILURES_PER_ACCOUNT`` failures under one login name, from
  anywhere (guessing one person's password from many addresses);
- the **address**: ``LOGIN_FAILURES_PER_ADDRESS`` failures from one address, whatever the
  names (guessing many accounts, or unknown names to grow the record). Higher, because
  a whole office may reach the server through one address.

Axes itself has one limit for every count, so ``get_failures`` reports the address's
failures scaled onto the account limit: an address is at the limit exactly when it has
``LOGIN_FAILURES_PER_ADDRESS`` failures.
"""

import datetime
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

from yangguang.records.context import client_from_request


def client_address(request: HttpRequest) -> str | None:
    """The address axes counts: the same one the record chain stores (the proxy's
    forwarded client when behind the bureau's reverse proxy)."""
    return client_from_request(request).ip or None


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate limit per address (see the module)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.LOGIN_FAILURES_PER_ACCOUNT
        scaled = by_address * account_limit // settings.LOGIN_FAILURES_PER_ADDRESS
        return max(by_account, scaled)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        """A completed sign-in clears the account's own failures only: clearing its
        address's too would let anyone holding one account reset the address's count
        between guesses at other accounts."""
        super().user_logged_in(sender, request, user, **kwargs)
        self.reset_attempts(username=user.get_username())


@dataclass(frozen=True)
class Lockout:
    """A locked account (``kind`` "account", ``value`` the login name) or address."""

    kind: str
    value: str
    failures: int
    last_failure: datetime.datetime
    until: datetime.datetime


def cool_off() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOCKOUT_MINUTES)


def lockouts_current(*, now: datetime.datetime | None = None) -> list[Lockout]:
    """Accounts and addresses locked now, most recent first."""
    from axes.models import AccessAttempt

    now = now or timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gt=now - cool_off())
    found: list[Lockout] = []
    for kind, field, limit in (
        ("account", "username", settings.LOGIN_FAILURES_PER_ACCOUNT),
        ("address", "ip_address", settings.LOGIN_FAILURES_PER_ADDRESS),
    ):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        found.extend(
            Lockout(kind, row[field], row["failures"], row["last"], row["last"] + cool_off())
            for row in rows
        )
    return sorted(found, key=lambda lockout: lockout.last_failure, reverse=True)


def is_locked(*, kind: str, value: str, now: datetime.datetime | None = None) -> bool:
    return any(
        lockout.kind == kind and lockout.value == value for lockout in lockouts_current(now=now)
    )
