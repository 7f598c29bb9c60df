"""Record entries made readable: action labels, field names and choice labels in the
reader's language, personal data masked unless revealed. Used by the timeline page,
the audit list and the printed record alike."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core.privacy import mask_id_number, mask_name, mask_phone
from yangguang.org.enums import PostCode
from yangguang.records.actions import action_label
from yangguang.records.enums import EvidenceKind, PersonalKind
from yangguang.records.models import RecordEntry
from yangguang.records.registry import registration
from yangguang.worktime.enums import DayKind

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
        if field is not None and hasattr(field, "verbose_name"):
            return str(field.verbose_name)
        # A reverse relation (a case's "officers", a report's "reporters") is named by
        # the model it points to.
        if field is not None and field.related_model is not None:
            return str(field.related_model._meta.verbose_name_plural)
    return {
        "posts": _("posts"),
        "officers": _("grid officers"),
        "phone": _("mobile phone"),
        "reporter_name": _("reporter's name"),
        "reporter_phone": _("reporter's phone"),
        "reporter_email": _("reporter's email"),
        "position": _("point on the map"),
        "comment": _("comment"),
        "instruction": _("instruction"),  # a supervision order's, recorded on its report
        "reply_due": _("reply due"),
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

# Values whose names only another app knows (a case's circumstances and penalty kinds,
# stored as codes): (object type, field) → a function giving what to show.
VALUE_FORMATTERS: dict[tuple[str, str], Callable[[object], object]] = {}


def register_value_formatter(
    object_type: str, field: str, formatter: Callable[[object], object]
) -> None:
    """Show ``field`` of ``object_type``'s entries through ``formatter`` (called with
    the recorded value, never None)."""
    VALUE_FORMATTERS[(object_type, field)] = formatter


def _special_day(item: object) -> object:
    """A calendar's special day as recorded, "2027-01-01 holiday 元旦", with its kind's label."""
    parts = str(item).split(" ", 2)
    if len(parts) >= 2 and parts[1] in DayKind.values:
        parts[1] = str(DayKind(parts[1]).label)
    return " ".join(parts)


# evidence.attach records "IMG_1.jpg (photo, 0123456789ab)": the kind is a code.
_EVIDENCE_VALUE = re.compile(r"\((\w+), ([0-9a-f]{12})\)$")


def _evidence_value(value: str) -> str:
    match = _EVIDENCE_VALUE.search(value)
    if match is None or match[1] not in EvidenceKind.values:
        return value
    label = EvidenceKind(match[1]).label
    return f"{value[: match.start()]}({label}, {match[2]})"


_NOT_SPECIAL = object()


def _special_value(object_type: str, name: str, value: object) -> object:
    """A value shown otherwise than by its field's choices, or ``_NOT_SPECIAL``."""
    if name == "evidence" and isinstance(value, str):
        return _evidence_value(value)
    formatter = VALUE_FORMATTERS.get((object_type, name))
    if formatter is not None and value not in (None, "", [], {}):
        return formatter(value)
    if name == "days" and object_type.startswith("worktime.") and isinstance(value, list):
        return [_special_day(item) for item in value]
    return _NOT_SPECIAL


def _choice_label(object_type: str, name: str, value: object) -> object:
    special = _special_value(object_type, name, value)
    if special is not _NOT_SPECIAL:
        return special
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
