"""Writes of simple configuration (ranks, handling-unit types, post scopes, code-set
titles): no rules beyond the model's own validation, but every change recorded."""

from django.db import models, transaction

from yangguang.org.models import User
from yangguang.records.diff import changes_between, snapshot
from yangguang.records.services import record_append


def _fields(instance: models.Model) -> list[str]:
    return [
        field.name
        for field in instance._meta.concrete_fields
        if not field.primary_key and field.editable
    ]


@transaction.atomic
def config_save(*, instance: models.Model, before: dict | None, actor: User | None) -> models.Model:
    """Save a configuration object. ``before`` is its snapshot before the form changed
    it (None when new). Side effect: a ``config.create``/``config.update`` record."""
    instance.full_clean()
    instance.save()
    changes = changes_between(before or {}, snapshot(instance, _fields(instance)))
    if changes:
        record_append(
            action="config.update" if before is not None else "config.create",
            target=instance,
            actor=actor,
            changes=changes,
        )
    return instance


@transaction.atomic
def config_delete(*, instance: models.Model, actor: User | None) -> None:
    """Delete a configuration object. Side effect: a ``config.delete`` record."""
    record_append(
        action="config.delete",
        target=instance,
        actor=actor,
        changes={
            key: [value, None] for key, value in snapshot(instance, _fields(instance)).items()
        },
    )
    instance.delete()


def config_snapshot(instance: models.Model) -> dict | None:
    """The stored state of ``instance`` (None when it is new), for config_save."""
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.get(pk=instance.pk)
    return snapshot(stored, _fields(stored))
