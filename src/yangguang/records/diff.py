"""Before/after snapshots of model fields as JSON-safe values, and their difference."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import models

from yangguang.records.chain import timestamp


def _text(value: str) -> str:
    return value.replace("\x00", "")  # PostgreSQL's jsonb cannot hold NUL


def _decimal(value: Decimal) -> str:
    return str(value.normalize()) if value == value.to_integral() else str(value)


def _sequence(value: list | tuple | set | frozenset) -> list:
    items = [json_safe(item) for item in value]
    return sorted(items, key=str) if isinstance(value, set | frozenset) else items


# Checked in order: bool before int (bool is an int), datetime before date.
_CONVERTERS = (
    (bool | int | float, lambda value: value),
    (str, _text),
    (Decimal, _decimal),
    (datetime.datetime, timestamp),
    (datetime.date | datetime.time, lambda value: value.isoformat()),
    (models.Model, lambda value: f"{value} #{value.pk}"),
    (dict, lambda value: {str(key): json_safe(item) for key, item in value.items()}),
    (list | tuple | set | frozenset, _sequence),
)


def json_safe(value: object) -> object:
    """A value the chain can hash and any database can store as JSON."""
    if value is None:
        return None
    for types, convert in _CONVERTERS:
        if isinstance(value, types):
            return convert(value)
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """The named fields' values; a foreign key as "name #id"."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_one or field.one_to_one:
            values[name] = json_safe(getattr(instance, name))
        else:
            values[name] = json_safe(getattr(instance, field.attname))
    return values


def changes_between(before: dict[str, object], after: dict[str, object]) -> dict[str, list]:
    """{field: [before, after]} for every field whose value differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def created(after: dict[str, object]) -> dict[str, list]:
    return {key: [None, value] for key, value in sorted(after.items()) if value not in (None, "")}
