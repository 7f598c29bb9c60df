"""Which objects can carry records and evidence, who may see each, and which unit its
records belong to. Each domain app registers its models in ``AppConfig.ready``; the
record log, the timeline and the evidence store then work for any of them."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.http import Http404

from yangguang.org.models import Unit, User


@dataclass(frozen=True)
class Target:
    """What a record entry is about."""

    object_type: str
    object_id: str
    object_repr: str
    unit: Unit | None


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    get_for_user: Callable[[User, str], models.Model]  # raises Http404 outside scope
    unit_of: Callable[[models.Model], Unit | None]


_registry: dict[str, Registration] = {}


def object_type_of(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def register(
    model: type[models.Model],
    *,
    get_for_user: Callable[[User, str], models.Model],
    unit_of: Callable[[models.Model], Unit | None],
) -> None:
    _registry[object_type_of(model)] = Registration(model, get_for_user, unit_of)


def registration(object_type: str) -> Registration | None:
    return _registry.get(object_type)


def target_for(obj: models.Model, *, unit: Unit | None = None) -> Target:
    """The target of ``obj``; its unit comes from the registration unless given."""
    object_type = object_type_of(obj)
    if unit is None:
        entry = _registry.get(object_type)
        if entry is None:
            raise LookupError(f"{object_type} is not registered for records")
        unit = entry.unit_of(obj)
    return Target(object_type, str(obj.pk), str(obj)[:200], unit)


# The largest primary key a database holds (a signed 64-bit integer): a longer number
# would not even reach the query (SQLite cannot bind it, PostgreSQL refuses it).
PK_MAX = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def pk_or_404(object_id: str | int) -> int:
    """``object_id`` as a primary key, or 404. Only ASCII digits are ids: ``str.isdigit``
    also accepts ¹ and Arabic-Indic ٣ (which ``int`` would read as 3), and ``int`` would
    take spaces, signs and underscores."""
    if isinstance(object_id, int) and not isinstance(object_id, bool):
        object_id = str(object_id)
    if not isinstance(object_id, str) or not ASCII_DIGITS.fullmatch(object_id):
        raise Http404
    value = int(object_id)
    if value > PK_MAX:
        raise Http404
    return value


def bureau_wide(model: type[models.Model], permission: str) -> Callable[[User, str], models.Model]:
    """A getter for configuration shared by the whole bureau: any holder of
    ``permission`` may see it."""

    def get_for_user(user: User, object_id: str) -> models.Model:
        if not user.has_perm(permission):
            raise Http404
        try:
            return model.objects.get(pk=pk_or_404(object_id))
        except model.DoesNotExist as exc:
            raise Http404 from exc

    return get_for_user


def object_for_user(*, user: User, object_type: str, object_id: str) -> models.Model:
    """The object, if registered and visible to the user; Http404 otherwise."""
    entry = _registry.get(object_type)
    if entry is None:
        raise Http404
    return entry.get_for_user(user, object_id)
