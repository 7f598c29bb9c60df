"""Saving only what a service changed (``update_fields``), so that two writers of one
row never overwrite each other's columns and a guarded column (a workflow's status)
cannot be written by accident outside its transition function."""

import copy

from django.db import models


def field_values(instance: models.Model) -> dict[str, object]:
    """The instance's concrete column values, deep-copied so that later changes made in
    place (a JSON list appended to) still show as changes."""
    return {
        field.attname: copy.deepcopy(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }


def save_changed(
    instance: models.Model, before: dict[str, object], *, guarded: frozenset[str] = frozenset()
) -> list[str]:
    """Save the columns whose values differ from ``before`` (and the auto_now columns).

    A change to a ``guarded`` column raises RuntimeError: that column has one writer
    elsewhere. Returns the names saved (empty: nothing changed, nothing written)."""
    after = field_values(instance)
    changed = [name for name, value in after.items() if before.get(name) != value]
    forbidden = guarded.intersection(changed)
    if forbidden:
        raise RuntimeError(f"{sorted(forbidden)} may only be changed by its transition")
    if not changed:
        return []
    automatic = [
        field.attname
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.attname not in changed
    ]
    instance.save(update_fields=changed + automatic)
    return changed
