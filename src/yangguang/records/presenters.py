"""Record entries made readable: action labels, field names and choice labels in the
reader's language, personal data masked unless revealed. Used by the timeline page,
the audit list and the printed record alike."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core.privacy import mask_id_number, mask_name, mask_phone
from yangguang.org.enums import PostCode
from yangguang.records.actions import action_label
from yangguang.records.enums import PersonalKind
from yangguang.records.models import RecordEntry
from yangguang.records.registry import registration

MASKS = {
    PersonalKind.PHONE: mask_phone,
    PersonalKind.NAME: mask_name,
    PersonalKind.ID_NUMBER: mask_id_number,
}


@dataclass(frozen=True)
class ChangeRow:
    field: str
    before: str
    after: str
    masked: bool


@dataclass(frozen=True)
class EntryView:
    entry: RecordEntry
    action: str
    actor: str
    changes: list[ChangeRow]
    has_personal: bool
    revealed: bool

    @property
    def local_time(self):
        return timezone.localtime(self.entry.recorded_at)


def _field_label(object_type: str, name: str) -> str:
    found = registration(object_type)
    if found is not None:
        try:
            field = found.model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        # Reverse relations (a report's "reporters") have no verbose name.
        if field is not None and hasattr(field, "verbose_name"):
            return str(field.verbose_name)
    return {
        "posts": _("posts"),
        "officers": _("grid officers"),
        "boundary_sha256": _("boundary (SHA-256)"),
        "days": _("special days"),
        "periods": _("working periods"),
        "evidence": _("evidence"),
        "note": _("note"),
        "sequence": _("entry"),
        "fields": _("fields"),
        "entries": _("entries"),
    }.get(name, name)


# Values recorded outside model fields that still have labels.
EXTRA_CHOICES = {"posts": dict(PostCode.choices)}


def _choice_label(object_type: str, name: str, value: object) -> object:
    if name in EXTRA_CHOICES:
        labels = EXTRA_CHOICES[name]
        if isinstance(value, list):
            return [labels.get(item, item) for item in value]
        return labels.get(value, value)
    found = registration(object_type)
    if found is None or not isinstance(value, str):
        return value
    try:
        field = found.model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    return choices.get(value, value)


def _show(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(_show(item) for item in value) or "—"
    return str(value)


def _mask(kind: str, value: object) -> str:
    if value in (None, ""):
        return "—"
    mask = MASKS.get(kind)
    return mask(str(value)) if mask else "***"


def present(entry: RecordEntry, *, revealed: bool = False) -> EntryView:
    rows = []
    for name, pair in sorted(entry.changes.items()):
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        kind = entry.personal.get(name)
        if kind and not revealed:
            rows.append(
                ChangeRow(
                    _field_label(entry.object_type, name),
                    _mask(kind, before),
                    _mask(kind, after),
                    True,
                )
            )
            continue
        rows.append(
            ChangeRow(
                _field_label(entry.object_type, name),
                _show(_choice_label(entry.object_type, name, before)),
                _show(_choice_label(entry.object_type, name, after)),
                False,
            )
        )
    return EntryView(
        entry=entry,
        action=action_label(entry.action),
        actor=entry.actor_name or _("System"),
        changes=rows,
        has_personal=bool(entry.personal),
        revealed=revealed,
    )


def present_all(entries: Iterable[RecordEntry]) -> list[EntryView]:
    return [present(entry) for entry in entries]
