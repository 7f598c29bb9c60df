"""Numbering and public addresses shared by the domains: the next number of a locked
counter row (tracking numbers, case numbers, document numbers) and absolute links to
the public site (tracking pages, document checks, a party's page)."""

from django.conf import settings
from django.db import models


def counter_next(model: type[models.Model], **key: object) -> int:
    """The next number of the counter row ``key`` (created at 0), locked until the
    caller's transaction ends, so two writers never get the same number."""
    counter, _created = model.objects.select_for_update().get_or_create(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def public_url(path: str) -> str:
    """An absolute link to a path of the public site (sent by SMS, printed as QR)."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path
