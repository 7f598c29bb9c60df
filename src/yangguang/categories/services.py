"""Writes to the category code sets: imports of whole code sets (all or nothing) and
edits of one category's configuration."""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.categories.enums import KIND_ALIASES
from yangguang.categories.models import Category, CategoryStandard
from yangguang.org.models import HandlingUnitType, User
from yangguang.records.diff import changes_between, created, snapshot
from yangguang.records.services import Pending, record_append, record_append_many
from yangguang.worktime.enums import TimeLimitUnit

RECORDED_FIELDS = [
    "standard",
    "kind",
    "code",
    "major_code",
    "major_name",
    "name",
    "handling_type",
    "limit_amount",
    "limit_unit",
    "can_lead_to_case",
    "keywords",
]
REQUIRED_COLUMNS = ["standard", "kind", "code", "major_code", "major_name", "name"]
# Set by the administrator only (not by code-set files): the photos the loop requires.
PHOTO_FIELDS = ["after_photo_required", "verification_photo_required"]
OPTIONAL_COLUMNS = ["handling_type", "limit_amount", "limit_unit", "can_lead_to_case", "keywords"]
CODE = re.compile(r"^[0-9A-Za-z]{1,12}$")
TRUE_WORDS = {"1", "true", "yes", "是", "y"}
FALSE_WORDS = {"", "0", "false", "no", "否", "n"}
UNIT_ALIASES = {
    **{unit.value: unit.value for unit in TimeLimitUnit},
    "工作日": TimeLimitUnit.WORKING_DAYS.value,
    "工作时": TimeLimitUnit.WORKING_HOURS.value,
    "紧急工作时": TimeLimitUnit.EMERGENCY_HOURS.value,
}


@dataclass(frozen=True)
class LineProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


class CategoryImportError(Exception):
    def __init__(self, problems: list[LineProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class _Row:
    standard: str
    kind: str
    code: str
    major_code: str
    major_name: str
    name: str
    handling_type: HandlingUnitType | None
    limit_amount: Decimal | None
    limit_unit: str
    can_lead_to_case: bool
    keywords: str


def _identity_problems(values: dict[str, str]) -> list[str]:
    errors = [
        _("“%(column)s” is empty.") % {"column": key} for key in REQUIRED_COLUMNS if not values[key]
    ]
    if values["kind"] and values["kind"] not in KIND_ALIASES:
        errors.append(
            _("Unknown kind “%(kind)s”: use 部件 or 事件/事项.") % {"kind": values["kind"]}
        )
    if values["code"] and not CODE.match(values["code"]):
        errors.append(_("The code “%(code)s” must be 1–12 letters or digits.") % values)
    if values["major_code"] and not values["code"].startswith(values["major_code"]):
        errors.append(_("The code does not start with its major class code."))
    if len(values["name"]) > 100 or len(values["major_name"]) > 50:
        errors.append(_("The name is too long."))
    return errors


def _limit(values: dict[str, str]) -> tuple[Decimal | None, str, list[str]]:
    if not values["limit_amount"] and not values["limit_unit"]:
        return None, "", []
    errors = []
    amount = None
    try:
        amount = Decimal(values["limit_amount"])
        if not amount.is_finite() or amount <= 0:
            raise InvalidOperation
    except InvalidOperation:
        amount = None
        errors.append(_("The time limit must be a positive number."))
    unit = UNIT_ALIASES.get(values["limit_unit"], "")
    if not unit:
        errors.append(
            _("The time limit unit must be 工作日, 工作时 or 紧急工作时, got “%(u)s”.")
            % {"u": values["limit_unit"]}
        )
    elif (
        unit == TimeLimitUnit.WORKING_DAYS and amount is not None and amount != amount.to_integral()
    ):
        errors.append(_("A limit in working days must be a whole number."))
    return amount, unit, errors


def _parse_row(
    row: dict[str, str], types: dict[str, HandlingUnitType]
) -> tuple[_Row | None, list[str]]:
    values = {key: (row.get(key) or "").strip() for key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    errors = _identity_problems(values)
    kind = KIND_ALIASES.get(values["kind"])
    handling = types.get(values["handling_type"]) if values["handling_type"] else None
    if values["handling_type"] and handling is None:
        errors.append(
            _("Unknown handling-unit type “%(t)s”; known: %(known)s.")
            % {"t": values["handling_type"], "known": ", ".join(sorted(types))}
        )
    amount, unit, limit_errors = _limit(values)
    errors += limit_errors
    case_word = values["can_lead_to_case"].lower()
    if case_word not in TRUE_WORDS | FALSE_WORDS:
        errors.append(_("“can_lead_to_case” must be 是 or 否."))
    if errors:
        return None, errors
    return (
        _Row(
            standard=values["standard"],
            kind=str(kind),
            code=values["code"],
            major_code=values["major_code"],
            major_name=values["major_name"],
            name=values["name"],
            handling_type=handling,
            limit_amount=amount,
            limit_unit=unit,
            can_lead_to_case=case_word in TRUE_WORDS,
            keywords=values["keywords"][:200],
        ),
        [],
    )


def categories_import_csv(
    *, text: str, title: str = "", local: bool = False, actor: User | None = None
) -> dict[str, int]:
    """Create or update categories from CSV text, all or nothing.

    Columns: standard, kind, code, major_code, major_name, name; optional handling_type
    (a handling-unit type code), limit_amount, limit_unit (工作日/工作时/紧急工作时),
    can_lead_to_case (是/否), keywords. Rows are matched on (standard, kind, code).
    Returns the number of rows per standard. Raises CategoryImportError listing every
    bad line; then nothing is written. Side effect: a ``categories.import`` record on
    each category created or changed.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise CategoryImportError(
            [LineProblem(1, _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})]
        )
    types = {t.code: t for t in HandlingUnitType.objects.all()}
    rows: list[_Row] = []
    problems: list[LineProblem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        row, errors = _parse_row(raw, types)
        problems.extend(LineProblem(line, error) for error in errors)
        if row is None:
            continue
        key = (row.standard, row.kind, row.code)
        if key in seen:
            problems.append(
                LineProblem(line, _("Duplicate of line %(other)d.") % {"other": seen[key]})
            )
            continue
        seen[key] = line
        rows.append(row)
    if not rows and not problems:
        problems.append(LineProblem(2, _("The file has no rows.")))
    if problems:
        raise CategoryImportError(problems)
    return _write(rows, title=title, local=local, actor=actor)


@transaction.atomic
def _write(rows: list[_Row], *, title: str, local: bool, actor: User | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    standards: dict[str, CategoryStandard] = {}
    for code in sorted({row.standard for row in rows}):
        standard, created_now = CategoryStandard.objects.get_or_create(
            code=code, defaults={"name": title or code, "is_local": local}
        )
        if created_now:
            record_append(
                action="config.create",
                target=standard,
                actor=actor,
                changes=created(snapshot(standard, ["code", "name", "is_local", "is_current"])),
            )
        standards[code] = standard
    pending = []
    for row in rows:
        category = Category.objects.filter(
            standard=standards[row.standard], kind=row.kind, code=row.code
        ).first() or Category(standard=standards[row.standard], kind=row.kind, code=row.code)
        before = snapshot(category, RECORDED_FIELDS) if category.pk else {}
        for key in RECORDED_FIELDS:
            if key not in {"standard", "kind", "code"}:
                setattr(category, key, getattr(row, key))
        category.save()
        changes = changes_between(before, snapshot(category, RECORDED_FIELDS))
        if changes:
            pending.append(Pending("categories.import", category, changes))
        counts[row.standard] = counts.get(row.standard, 0) + 1
    record_append_many(entries=pending, actor=actor)
    return counts


def category_limit_validate(*, limit_amount: Decimal | None, limit_unit: str) -> None:
    if (limit_amount is None) != (not limit_unit):
        raise ValidationError(_("Give both the time limit and its unit, or neither."))
    if limit_amount is not None and limit_amount <= 0:
        raise ValidationError({"limit_amount": _("The time limit must be a positive number.")})
    if (
        limit_unit == TimeLimitUnit.WORKING_DAYS
        and limit_amount is not None
        and limit_amount != limit_amount.to_integral()
    ):
        raise ValidationError(
            {"limit_amount": _("A limit in working days must be a whole number.")}
        )


@transaction.atomic
def category_configure(
    *,
    category: Category,
    handling_type: HandlingUnitType | None,
    limit_amount: Decimal | None,
    limit_unit: str,
    can_lead_to_case: bool,
    keywords: str,
    is_active: bool,
    after_photo_required: bool | None = None,
    verification_photo_required: bool | None = None,
    actor: User | None = None,
) -> Category:
    """Set a category's local configuration (the code and names stay as published).
    The photo requirements are left as they are when not given (None).

    Side effect: a ``categories.category.configure`` record of what changed.
    """
    category_limit_validate(limit_amount=limit_amount, limit_unit=limit_unit)
    recorded = [*RECORDED_FIELDS, "is_active", *PHOTO_FIELDS]
    before = snapshot(category, recorded)
    category.handling_type = handling_type
    category.limit_amount = limit_amount
    category.limit_unit = limit_unit
    category.can_lead_to_case = can_lead_to_case
    category.keywords = keywords.strip()
    category.is_active = is_active
    if after_photo_required is not None:
        category.after_photo_required = after_photo_required
    if verification_photo_required is not None:
        category.verification_photo_required = verification_photo_required
    category.save(
        update_fields=[
            "handling_type",
            "limit_amount",
            "limit_unit",
            "can_lead_to_case",
            "keywords",
            "is_active",
            *PHOTO_FIELDS,
        ]
    )
    changes = changes_between(before, snapshot(category, recorded))
    if changes:
        record_append(
            action="categories.category.configure", target=category, actor=actor, changes=changes
        )
    return category
