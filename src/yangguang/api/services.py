"""Registering API clients and checking their keys and request limits."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.api.models import ApiClient, StaffToken
from yangguang.categories.models import Category
from yangguang.org.models import User
from yangguang.org.rules import Action, permission_name
from yangguang.records.registry import Target
from yangguang.records.services import record_append
from yangguang.reports.enums import Channel, ReportKind
from yangguang.reports.models import Report
from yangguang.reports.services import NewReport, report_note_add, report_submit


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_client_register(
    *, name: str, kind: str, contact: str = "", requests_per_hour: int = 600, actor: User | None
) -> tuple[ApiClient, str]:
    """Register a client; returns it and its key (shown once, only the hash is kept).
    Side effect: a ``config.create`` record."""
    key = secrets.token_urlsafe(32)
    client = ApiClient(
        name=name.strip(),
        kind=kind,
        key_prefix=key[:8],
        key_hash=key_hash(key),
        contact=contact.strip(),
        requests_per_hour=requests_per_hour,
    )
    client.full_clean()
    client.save()
    record_append(
        action="config.create",
        target=client,
        actor=actor,
        changes={"name": [None, client.name], "kind": [None, kind], "key_prefix": [None, key[:8]]},
    )
    return client, key


def api_client_for_key(key: str, *, kind: str) -> ApiClient | None:
    if not key:
        return None
    return ApiClient.objects.filter(key_hash=key_hash(key), kind=kind, is_active=True).first()


def api_client_over_limit(client: ApiClient) -> bool:
    """Count this request in the client's hourly window; True when over its limit."""
    key = f"api:{client.pk}:{timezone.now():%Y%m%d%H}"
    count = cache.get_or_set(key, 0, timeout=3600)
    if count >= client.requests_per_hour:
        return True
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
    return False


# --- Staff tokens ------------------------------------------------------------------------

# How often a token's last use is written: a busy script must not write on every request.
TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def _token_target(token: StaffToken) -> Target:
    return Target("api.stafftoken", str(token.pk), str(token)[:200], token.user.unit)


@transaction.atomic
def staff_token_issue(
    *,
    user: User,
    name: str,
    actor: User | None,
    days: int | None = None,
    now: datetime.datetime | None = None,
) -> tuple[StaffToken, str]:
    """Issue an API token acting as ``user``, **by ``user`` themselves**: a token is a way
    to act as its owner, so nobody else — not the security administrator, not a command
    — issues one (OWASP ASVS V3.5; 等保2.0 GB/T 22239-2019 8.1.4.1). It expires after
    ``days`` (at most ``STAFF_TOKEN_DAYS``). Returns it and its key (shown once, only the
    hash is kept). Side effect: an ``auth.token.issue`` record.
    """
    now = now or timezone.now()
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(
            _("A token acts as its owner: only the owner, signed in, issues it.")
        )
    name = name.strip()
    if not user.is_active:
        raise ValidationError({"user": _("Tokens are issued to active accounts only.")})
    if not name:
        raise ValidationError({"name": _("Say what the token is for.")})
    days = settings.STAFF_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.STAFF_TOKEN_DAYS:
        raise ValidationError(
            {
                "days": _("A token lasts from 1 to %(max)d days.")
                % {"max": settings.STAFF_TOKEN_DAYS}
            }
        )
    key = secrets.token_urlsafe(32)
    token = StaffToken(
        user=user,
        name=name,
        key_prefix=key[:8],
        key_hash=key_hash(key),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    record_append(
        action="auth.token.issue",
        target=_token_target(token),
        actor=actor,
        changes={
            "user": [None, user.username],
            "name": [None, name],
            "key_prefix": [None, token.key_prefix],
            "expires_at": [None, token.expires_at],
        },
    )
    return token, key


@transaction.atomic
def staff_token_revoke(
    *, token: StaffToken, actor: User, now: datetime.datetime | None = None
) -> StaffToken:
    """Revoke a token for good (a new one is issued instead of reviving it): its owner
    or the security administrator, who thereby stops a program without acting as its
    owner. Side effect: an ``auth.token.revoke`` record; nothing when it was revoked
    already."""
    now = now or timezone.now()
    token = (
        StaffToken.objects.select_for_update(of=("self",))
        .select_related("user__unit")
        .get(pk=token.pk)
    )
    if actor.pk != token.user_id and not actor.has_perm(permission_name(Action.MANAGE_ACCOUNTS)):
        raise PermissionDenied(
            _("Only the token's owner or the security administrator revokes it.")
        )
    if token.revoked:
        return token
    token.revoked, token.revoked_at, token.revoked_by = True, now, actor
    token.save(update_fields=["revoked", "revoked_at", "revoked_by"])
    record_append(
        action="auth.token.revoke",
        target=_token_target(token),
        actor=actor,
        changes={"revoked": [False, True]},
    )
    return token


def staff_tokens_of(user: User) -> QuerySet[StaffToken]:
    """The user's own tokens, newest first."""
    return StaffToken.objects.filter(user=user).order_by("-created_at", "-pk")


def staff_token_of(*, user: User, token_id: int) -> StaffToken:
    """One of the user's own tokens, or Http404."""
    token = StaffToken.objects.filter(user=user, pk=token_id).select_related("user").first()
    if token is None:
        raise Http404
    return token


def staff_token_for_key(key: str) -> StaffToken | None:
    """The token with this key, revoked or not, with its user and the user's unit."""
    if not key:
        return None
    return StaffToken.objects.select_related("user__unit").filter(key_hash=key_hash(key)).first()


def staff_token_used(token: StaffToken, *, now: datetime.datetime | None = None) -> None:
    """Note the token's use, at most once per ``TOKEN_USE_RESOLUTION``. Not recorded in
    the chain: using a token changes nothing (the requests' own writes are recorded)."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    StaffToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# --- Machine events ----------------------------------------------------------------------


def api_client_by_key(key: str) -> ApiClient | None:
    """The client with this key, whatever its kind and whether active or not (to tell
    a wrong key from a disabled client)."""
    if not key:
        return None
    return ApiClient.objects.filter(key_hash=key_hash(key)).first()


# Machine clocks drift; an event a little "in the future" is still plausible.
EVENT_CLOCK_SKEW = datetime.timedelta(minutes=5)


def machine_event_reference(client: ApiClient, event_id: str) -> str:
    return f"{client.pk}:{event_id}"


@dataclass(frozen=True)
class MachineEvent:
    """What a sensor or video-analytics client reports."""

    event_id: str
    description: str
    category: Category | None
    latitude: float
    longitude: float
    occurred_at: datetime.datetime | None = None
    snapshot: bytes | None = None


def machine_event_submit(*, client: ApiClient, event: MachineEvent) -> tuple[Report, bool]:
    """Take in a machine client's event as a problem report; returns it and whether it
    is new. Idempotent: the client's own ``event_id`` is kept as the report's source
    reference, and an event seen before returns its report unchanged. The client's row
    is locked while looking, so two deliveries of one event cannot both create.

    The time the event occurred has no field on the report; it is kept as an internal
    note. Side effects (new events only): those of ``report_submit`` (record, evidence
    for the snapshot) and a ``report.note`` record for the event time.
    """
    if event.occurred_at and event.occurred_at > timezone.now() + EVENT_CLOCK_SKEW:
        raise ValidationError({"occurred_at": _("The event cannot have occurred in the future.")})
    reference = machine_event_reference(client, event.event_id)
    with transaction.atomic():
        ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        existing = (
            Report.objects.filter(channel=Channel.MACHINE, source_reference=reference)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing, False
        photos = (
            [ContentFile(event.snapshot, name=f"snapshot-{event.event_id}.jpg")]
            if event.snapshot
            else []
        )
        report, _token = report_submit(
            data=NewReport(
                kind=ReportKind.PROBLEM,
                channel=Channel.MACHINE,
                description=event.description,
                category=event.category,
                latitude=event.latitude,
                longitude=event.longitude,
                source_reference=reference,
            ),
            actor=None,
            photos=photos,
        )
        if event.occurred_at:
            report_note_add(
                report=report,
                text=_("%(client)s: the event occurred at %(time)s.")
                % {
                    "client": client.name,
                    "time": timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                },
                public=False,
                actor=None,
            )
    return report, True
