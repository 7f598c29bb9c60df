"""Before enforcement (事前公开): the bureau's profile and the versioned lists it
publishes (国办发〔2018〕118号: 执法主体、职责、随机抽查事项清单, 动态调整).

- ``bureau_profile_save``: the system administrator fills in the profile; the 统一社会
  信用代码 is checked (GB 32100-2015). Recorded as ``disclosure.profile``.
- ``list_version_publish``: a new version of a list, all rows checked against the
  list's columns, all or nothing, every bad row named. Versions are never edited and
  each stays readable. Recorded as ``disclosure.list_version``.
- ``rows_from_text`` / ``rows_from_xlsx`` read what the page's form or an uploaded
  workbook holds; ``list_xlsx`` writes a version in the same layout.

Only the system administrator (Action.CONFIGURE_SYSTEM) writes either.
"""

import datetime
import io
import re
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.cases.identity import validate_credit_code
from yangguang.core.saving import field_values, save_changed
from yangguang.disclosure.enums import ListKind
from yangguang.disclosure.models import BureauProfile, ListVersion
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append

PROFILE_FIELDS = (
    "name",
    "credit_code",
    "nature",
    "address",
    "hours",
    "phone",
    "website",
    "duties",
    "court",
)
TEXT_MAX = 4000  # the duties, the one free text of the profile
MAX_ROWS = 1000
CELL_MAX = 500
NOTE_MAX = 200


def _refuse_nul(value: str) -> bool:
    return "\x00" in value


def _may_configure(actor: User | None) -> None:
    if actor is None or not allowed(actor, Action.CONFIGURE_SYSTEM):
        raise PermissionDenied(_("Only the system administrator may change this."))


# --- the profile --------------------------------------------------------------------


def _clean_profile(fields: dict[str, object]) -> dict[str, str]:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not a profile field: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for name, raw in fields.items():
        value = "" if raw is None else str(raw).strip()
        limit = BureauProfile._meta.get_field(name).max_length or TEXT_MAX
        if _refuse_nul(value):
            errors.setdefault(name, []).append(_("This field holds a NUL character."))
        elif len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(limit)d characters, not %(length)d.")
                % {"limit": limit, "length": len(value)}
            )
        cleaned[name] = value
    if "name" in cleaned and not cleaned["name"] and "name" not in errors:
        errors["name"] = [_("The bureau's name is required.")]
    website = cleaned.get("website", "")
    if website and "website" not in errors and not re.fullmatch(r"https?://[^\s<>\"']+", website):
        errors["website"] = [_("Write the website's address starting with http:// or https://.")]
    code = cleaned.get("credit_code", "")
    if code and "credit_code" not in errors:
        try:
            cleaned["credit_code"] = validate_credit_code(code)
        except ValidationError as error:
            errors["credit_code"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def bureau_profile_save(
    *, actor: User, now: datetime.datetime | None = None, **fields: object
) -> BureauProfile:
    """Change the bureau's public profile (the fields given; the others stay).

    Raises ``ValidationError`` (per field) for a bad 统一社会信用代码, a missing name, a
    NUL character or an over-long value, and ``PermissionDenied`` for anyone but the
    system administrator. Side effect: one ``disclosure.profile`` record entry with
    the changed fields, when anything changed."""
    _may_configure(actor)
    cleaned = _clean_profile(fields)
    now = now or timezone.now()
    with transaction.atomic():
        profile = BureauProfile.objects.select_for_update().filter(pk=1).first()
        created = profile is None
        if created:
            if not cleaned.get("name"):
                raise ValidationError({"name": [_("The bureau's name is required.")]})
            profile = BureauProfile(pk=1, name=cleaned["name"])
            before = dict.fromkeys(PROFILE_FIELDS, "")
        else:
            before = field_values(profile)
        for name, value in cleaned.items():
            setattr(profile, name, value)
        changes = {
            name: [before.get(name, ""), getattr(profile, name)]
            for name in PROFILE_FIELDS
            if before.get(name, "") != getattr(profile, name)
        }
        if not changes:
            return profile
        profile.updated_at = now
        if created:
            profile.save(force_insert=True)
        else:
            save_changed(profile, before)
        record_append(action="disclosure.profile", target=profile, actor=actor, changes=changes)
    return profile


# --- the lists ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the column's heading in a workbook or the form's first line
    label: Promise
    required: bool = True
    choices: tuple[str, ...] = ()


SCHEMAS: dict[str, tuple[Column, ...]] = {
    ListKind.RANDOM_INSPECTION: (
        Column("item", "事项名称", gettext_lazy("Inspection item")),
        Column("category", "类别", gettext_lazy("Inspection category"), choices=("重点", "一般")),
        Column("target", "检查对象", gettext_lazy("Who or what is inspected")),
        Column("basis", "依据", gettext_lazy("Legal basis")),
        Column("authority", "实施主体", gettext_lazy("Carried out by")),
        Column("content", "检查内容", gettext_lazy("What is checked"), required=False),
        Column("method", "检查方式", gettext_lazy("How it is checked")),
        Column("frequency", "比例/频次", gettext_lazy("Share and frequency")),
    ),
}
# The column whose value names a row (unique within a version).
ROW_KEY = {ListKind.RANDOM_INSPECTION: "item"}


def columns_of(kind: str) -> tuple[Column, ...]:
    return SCHEMAS[kind]


class ListRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """The version was not published; ``problems`` names every bad row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _row_problems(kind: str, number: int, row: object) -> tuple[dict[str, str], list[str]]:
    where = _("Row %(row)d") % {"row": number}
    if not isinstance(row, dict):
        return {}, [_("%(where)s: not a row of cells.") % {"where": where}]
    columns = columns_of(kind)
    known = {c.key for c in columns} | {c.header for c in columns}
    problems = []
    unknown = [str(k) for k in row if k not in known]
    if unknown:
        problems.append(
            _("%(where)s: unknown columns %(columns)s.")
            % {"where": where, "columns": "、".join(unknown[:5])}
        )
    cleaned = {}
    for column in columns:
        raw = row.get(column.key, row.get(column.header))
        value = "" if raw is None else re.sub(r"\s+", " ", str(raw)).strip()
        if _refuse_nul(value):
            problems.append(
                _("%(where)s, %(column)s: holds a NUL character.")
                % {"where": where, "column": column.header}
            )
            value = ""
        elif len(value) > CELL_MAX:
            problems.append(
                _("%(where)s, %(column)s: at most %(limit)d characters.")
                % {"where": where, "column": column.header, "limit": CELL_MAX}
            )
        elif column.required and not value:
            problems.append(
                _("%(where)s, %(column)s: required.") % {"where": where, "column": column.header}
            )
        elif column.choices and value and value not in column.choices:
            problems.append(
                _("%(where)s, %(column)s: write %(choices)s, not “%(value)s”.")
                % {
                    "where": where,
                    "column": column.header,
                    "choices": " / ".join(column.choices),
                    "value": value[:40],
                }
            )
        cleaned[column.key] = value
    return cleaned, problems


def rows_check(kind: str, rows: object) -> list[dict[str, str]]:
    """The rows cleaned (whitespace collapsed), or ``ListRefused`` with every problem."""
    if kind not in SCHEMAS:
        raise ListRefused([_("There is no such list.")])
    if not isinstance(rows, list | tuple) or not rows:
        raise ListRefused([_("The list holds no rows.")])
    if len(rows) > MAX_ROWS:
        raise ListRefused([_("At most %(max)d rows.") % {"max": MAX_ROWS}])
    problems, cleaned, seen = [], [], {}
    key = ROW_KEY[kind]
    for number, row in enumerate(rows, start=1):
        values, row_problems = _row_problems(kind, number, row)
        problems += row_problems
        name = values.get(key, "")
        if name and name in seen:
            problems.append(
                _("Row %(row)d: “%(name)s” is already row %(first)d.")
                % {"row": number, "name": name[:40], "first": seen[name]}
            )
        seen.setdefault(name, number)
        cleaned.append(values)
    if problems:
        raise ListRefused(problems)
    return cleaned


def list_version_publish(
    *,
    kind: str,
    rows: object,
    note: str,
    actor: User,
    now: datetime.datetime | None = None,
) -> ListVersion:
    """Publish the next version of the list ``kind``: every row is checked against the
    list's columns and nothing is published unless all are right (``ListRefused``
    names every bad row). A version identical to the current one is refused.

    Side effect: one ``disclosure.list_version`` record entry. Raises
    ``PermissionDenied`` for anyone but the system administrator."""
    _may_configure(actor)
    note = (note or "").strip()
    problems = []
    if _refuse_nul(note):
        problems.append(_("What changed: holds a NUL character."))
    elif len(note) > NOTE_MAX:
        problems.append(_("What changed: at most %(limit)d characters.") % {"limit": NOTE_MAX})
    try:
        cleaned = rows_check(kind, rows)
    except ListRefused as refused:
        raise ListRefused(problems + refused.problems) from None
    if problems:
        raise ListRefused(problems)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            latest = (
                ListVersion.objects.select_for_update()
                .filter(kind=kind)
                .order_by("-number")
                .first()
            )
            if latest is not None and latest.rows == cleaned:
                raise ListRefused([_("The rows are the same as the current version's.")])
            number = (
                ListVersion.objects.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0
            ) + 1
            version = ListVersion.objects.create(
                kind=kind,
                number=number,
                rows=cleaned,
                note=note,
                published_at=now,
                published_by=actor,
            )
            changes = version_changes(version, latest)
            record_append(
                action="disclosure.list_version",
                target=version,
                actor=actor,
                changes={
                    "kind": kind,
                    "number": number,
                    "rows": len(cleaned),
                    "added": changes.added,
                    "removed": changes.removed,
                    "changed": changes.changed,
                },
                reason=note,
            )
    except IntegrityError:
        raise ListRefused(
            [_("Another version was published at the same moment; please try again.")]
        ) from None
    return version


@dataclass(frozen=True)
class Changes:
    added: list[str]
    removed: list[str]
    changed: list[str]

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def version_changes(version: ListVersion, previous: ListVersion | None) -> Changes:
    """What ``version`` added, removed and changed against ``previous`` (by the rows'
    names), for the public page's "what changed"."""
    key = ROW_KEY.get(version.kind, "")
    current = {row.get(key, ""): row for row in version.rows}
    before = {row.get(key, ""): row for row in previous.rows} if previous else {}
    return Changes(
        added=[name for name in current if name not in before],
        removed=[name for name in before if name not in current],
        changed=[name for name in current if name in before and before[name] != current[name]],
    )


# --- reading the form and workbooks -------------------------------------------------


def rows_from_text(kind: str, text: str) -> list[dict[str, str]]:
    """One row per line, cells separated by tabs (as pasted from a spreadsheet) or by
    ｜ or |, in the list's column order; a first line of headings is skipped."""
    columns = columns_of(kind)
    headers = [c.header for c in columns]
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in re.split(r"\t|｜|\|", line)]
        if cells[: len(headers)] == headers and not rows:
            continue
        if len(cells) > len(headers):
            rows.append({"__extra__": "x"})  # named as unknown columns by the check
            continue
        cells += [""] * (len(headers) - len(cells))
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def rows_from_xlsx(kind: str, upload: BinaryIO) -> list[dict[str, str]]:
    """The first sheet of a workbook whose first row holds the column headings."""
    from yangguang.core.sheets import SheetError, sheet_rows

    try:
        return sheet_rows(upload, [c.header for c in columns_of(kind)], max_rows=MAX_ROWS)
    except SheetError as error:
        raise ListRefused([str(error)]) from None


def list_xlsx(version: ListVersion) -> bytes:
    """The version as a workbook in the import's layout."""
    from openpyxl import Workbook

    columns = columns_of(version.kind)
    book = Workbook()
    sheet = book.active
    sheet.title = f"v{version.number}"
    sheet.append([c.header for c in columns])
    for row in version.rows:
        sheet.append([row.get(c.key, "") for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reads for the public pages -----------------------------------------------------


@dataclass(frozen=True)
class AreaUnit:
    """A squadron or a sub-district with the area its grids cover."""

    pk: int
    name: str
    kind: str
    grids: int
    area_km2: float
    places: list[str]  # the sub-districts a squadron patrols, the squadrons of a street


def bureau_units() -> tuple[list[AreaUnit], list[AreaUnit]]:
    """The squadrons and the sub-districts with what their grids cover (public data:
    unit names, grid counts and areas)."""
    from yangguang.grids.models import Grid
    from yangguang.org.enums import UnitKind
    from yangguang.org.models import Unit

    rows = Grid.objects.values_list(
        "squadron_id",
        "squadron__name",
        "community__parent_id",
        "community__parent__name",
        "area_m2",
    )
    squadrons: dict[int, dict] = {}
    streets: dict[int, dict] = {}
    for squadron_id, squadron, street_id, street, area in rows:
        if squadron_id is not None:
            entry = squadrons.setdefault(squadron_id, {"grids": 0, "area": 0.0, "places": []})
            entry["grids"] += 1
            entry["area"] += area or 0
            if street and street not in entry["places"]:
                entry["places"].append(street)
        if street_id is not None:
            entry = streets.setdefault(street_id, {"grids": 0, "area": 0.0, "places": []})
            entry["grids"] += 1
            entry["area"] += area or 0
            if squadron and squadron not in entry["places"]:
                entry["places"].append(squadron)

    def listed(kind: str, found: dict[int, dict]) -> list[AreaUnit]:
        units = Unit.objects.filter(kind=kind, is_active=True).order_by("sort_order", "name")
        return [
            AreaUnit(
                pk=unit.pk,
                name=unit.name,
                kind=kind,
                grids=found.get(unit.pk, {}).get("grids", 0),
                area_km2=round(found.get(unit.pk, {}).get("area", 0.0) / 1_000_000, 2),
                places=found.get(unit.pk, {}).get("places", []),
            )
            for unit in units
        ]

    return listed(UnitKind.SQUADRON, squadrons), listed(UnitKind.STREET, streets)


def bureau_areas_geojson() -> dict:
    """One feature per squadron: the union of its grids (the outline of the area it
    patrols), with the squadron's name and the sub-districts it covers. In the
    properties of the back office's grid map, so its script draws it unchanged."""
    import shapely

    from yangguang.grids.geometry import geometry_from_geojson, to_geojson
    from yangguang.grids.models import Grid

    shapes: dict[str, list] = {}
    streets: dict[str, list[str]] = {}
    for squadron, street, geometry in Grid.objects.exclude(squadron=None).values_list(
        "squadron__name", "community__parent__name", "geometry"
    ):
        shapes.setdefault(squadron, []).append(geometry_from_geojson(geometry))
        if street and street not in streets.setdefault(squadron, []):
            streets[squadron].append(street)
    features = [
        {
            "type": "Feature",
            "geometry": to_geojson(shapely.union_all(polygons)),
            "properties": {
                "code": "",
                "name": "",
                "street": squadron,
                "community": "、".join(streets.get(squadron, [])),
                "squadron": "",
            },
        }
        for squadron, polygons in sorted(shapes.items())
    ]
    return {"type": "FeatureCollection", "features": features}
