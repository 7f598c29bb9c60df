"""The violation catalogue (违法行为库): the starter catalogue shipped with the platform
and the .xlsx import, all or nothing.

Both sources become ``ItemData``; ``catalogue_save`` writes them in one transaction,
making a new version of an item only where something changed, so cases keep the
version they were decided under.
"""

import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yangguang.cases.enums import FineBasis, Grade, GradeParty, PenaltyKind
from yangguang.cases.models import DiscretionGrade, Violation
from yangguang.org.models import User
from yangguang.records.registry import Target
from yangguang.records.services import record_append

STARTER = Path(__file__).parent / "data" / "violations.json"
ITEMS_SHEET = "违法行为"
GRADES_SHEET = "裁量阶次"
ITEM_COLUMNS = [
    "编码",
    "名称",
    "领域",
    "违法依据法规",
    "违法依据条款",
    "违法依据条文",
    "处罚依据法规",
    "处罚依据条款",
    "处罚依据条文",
    "处罚种类",
    "措施",
    "需地方依据",
    "首违不罚",
    "说明",
]
GRADE_COLUMNS = [
    "编码",
    "阶次",
    "适用对象",
    "情形",
    "罚款下限",
    "罚款上限",
    "计算方式",
    "数量上限",
    "可不予处罚",
]

# The catalogue names penalties as the laws do; these are the kinds of 第九条 they are.
KIND_WORDS: dict[str, list[str]] = {
    "警告": [PenaltyKind.WARNING],
    "通报批评": [PenaltyKind.CRITICISM],
    "罚款": [PenaltyKind.FINE],
    "没收违法所得": [PenaltyKind.CONFISCATE_INCOME],
    "没收非法财物": [PenaltyKind.CONFISCATE_PROPERTY],
    "没收烧烤工具": [PenaltyKind.CONFISCATE_PROPERTY],
    "没收实物或者违法收入": [PenaltyKind.CONFISCATE_PROPERTY, PenaltyKind.CONFISCATE_INCOME],
    "暂扣许可证件": [PenaltyKind.SUSPEND_LICENCE],
    "吊销许可证件": [PenaltyKind.REVOKE_LICENCE],
    "限制开展生产经营活动": [PenaltyKind.RESTRICT_BUSINESS],
    "责令停产停业": [PenaltyKind.STOP_BUSINESS],
    "责令停业整治": [PenaltyKind.STOP_BUSINESS],
    "责令关闭": [PenaltyKind.CLOSE_DOWN],
}
GRADE_WORDS = {
    "轻微": Grade.MINOR,
    "一般": Grade.GENERAL,
    "较重": Grade.SERIOUS,
    "严重": Grade.GRAVE,
}
PARTY_WORDS = {
    "不限": GradeParty.ANY,
    "any": GradeParty.ANY,
    "个人": GradeParty.INDIVIDUAL,
    "individual": GradeParty.INDIVIDUAL,
    "单位": GradeParty.ORGANISATION,
    "unit": GradeParty.ORGANISATION,
}
BASIS_WORDS = {
    "元": FineBasis.FIXED,
    "元每平方米": FineBasis.PER_SQM,
    "工程造价百分比": FineBasis.PERCENT_OF_COST,
    "违法所得倍数": FineBasis.MULTIPLE_OF_INCOME,
    **{basis.value: basis.value for basis in FineBasis},
}
YES = {"是", "yes", "true", "1", "y"}
NO = {"否", "no", "false", "0", "n", ""}


class CatalogueError(Exception):
    """The file cannot be imported; ``problems`` says where and why, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class GradeData:
    grade: str
    party: str
    conditions: str
    fine_min: Decimal
    fine_max: Decimal
    fine_basis: str
    quantity_up_to: Decimal | None = None
    no_penalty_possible: bool = False


@dataclass
class ItemData:
    code: str
    name: str
    domain: str
    violated_law: str
    violated_article: str
    violated_text: str
    penalty_law: str
    penalty_article: str
    penalty_text: str
    penalty_kinds: list[str]
    measures: list[str]
    local_basis_required: bool
    first_offence_exemption: bool
    note: str
    grades: list[GradeData] = field(default_factory=list)


class _Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


def _kinds(words: list[str], where: str, problems: _Problems) -> list[str]:
    kinds: list[str] = []
    for word in words:
        if word not in KIND_WORDS:
            problems.add(
                where,
                _("unknown penalty kind “%(word)s”; use one of %(known)s")
                % {"word": word, "known": "、".join(KIND_WORDS)},
            )
            continue
        kinds += [k for k in KIND_WORDS[word] if k not in kinds]
    return kinds


def _amount(value: object, where: str, problems: _Problems, *, optional: bool = False):
    if value in (None, "") and optional:
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.add(where, _("“%(value)s” is not a number") % {"value": value})
        return Decimal(0)
    if not amount.is_finite() or amount < 0:
        problems.add(where, _("“%(value)s” is not a number") % {"value": value})
        return Decimal(0)
    return amount


def _check_item(item: ItemData, where: str, problems: _Problems) -> None:
    if not item.code or len(item.code) > 20:
        problems.add(where, _("the code is required, at most 20 characters"))
    for label, value in ((_("name"), item.name), (_("law violated"), item.violated_law)):
        if not value:
            problems.add(where, _("%(field)s is required") % {"field": label})
    if not item.penalty_kinds:
        problems.add(where, _("at least one penalty kind is required"))
    if not item.local_basis_required and not item.grades:
        problems.add(
            where,
            _("give its discretion grades, or mark that a local regulation supplies the fine"),
        )
    seen = set()
    for grade in item.grades:
        key = (grade.grade, grade.party)
        if key in seen:
            problems.add(where, _("the grade %(grade)s appears twice") % {"grade": grade.grade})
        seen.add(key)
        if grade.fine_max < grade.fine_min:
            problems.add(
                where,
                _("grade %(grade)s: the fine's upper limit is below its lower limit")
                % {"grade": grade.grade},
            )


def items_from_json(path: Path = STARTER) -> list[ItemData]:
    """The starter catalogue (data/violations.json)."""
    problems = _Problems()
    items = []
    for raw in json.loads(path.read_text(encoding="utf-8")):
        where = raw.get("code", "?")
        item = ItemData(
            code=raw["code"],
            name=raw["name"],
            domain=raw.get("domain", ""),
            violated_law=raw["violated_basis"]["law"],
            violated_article=raw["violated_basis"]["article"],
            violated_text=raw["violated_basis"].get("text", ""),
            penalty_law=raw["penalty_basis"]["law"],
            penalty_article=raw["penalty_basis"]["article"],
            penalty_text=raw["penalty_basis"].get("text", ""),
            penalty_kinds=_kinds(raw["penalty_kinds"], where, problems),
            measures=list(raw.get("measures", [])),
            local_basis_required=bool(raw.get("local_basis_required")),
            first_offence_exemption=bool(raw.get("first_offence_exemption")),
            note=raw.get("note", ""),
            grades=[
                GradeData(
                    grade=g["grade"],
                    party=PARTY_WORDS[g.get("party", "any")],
                    conditions=g["conditions"],
                    fine_min=Decimal(g["fine_min"]),
                    fine_max=Decimal(g["fine_max"]),
                    fine_basis=g["fine_basis"],
                    quantity_up_to=(
                        Decimal(g["quantity_up_to"]) if g.get("quantity_up_to") else None
                    ),
                    no_penalty_possible=bool(g.get("no_penalty_possible")),
                )
                for g in raw.get("grades", [])
            ],
        )
        _check_item(item, where, problems)
        items.append(item)
    if problems.lines:
        raise CatalogueError(problems.lines)
    return items


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _flag(value: object, where: str, problems: _Problems) -> bool:
    text = _cell(value).lower()
    if text in YES:
        return True
    if text not in NO:
        problems.add(where, _("write 是 or 否, not “%(value)s”") % {"value": value})
    return False


def _rows(sheet, columns: list[str], problems: _Problems):
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    missing = [c for c in columns if c not in header]
    if missing:
        problems.add(
            sheet.title,
            _("missing columns: %(columns)s") % {"columns": "、".join(missing)},
        )
        return
    index = {name: header.index(name) for name in columns}
    for number, row in enumerate(rows, start=2):
        if all(v in (None, "") for v in row):
            continue
        padded = list(row) + [None] * len(header)
        yield number, {name: padded[index[name]] for name in columns}


def _read_items(sheet, problems: _Problems) -> dict[str, ItemData]:
    items: dict[str, ItemData] = {}
    for number, row in _rows(sheet, ITEM_COLUMNS, problems):
        where = _("%(sheet)s row %(row)d") % {"sheet": ITEMS_SHEET, "row": number}
        code = _cell(row["编码"])
        if code in items:
            problems.add(where, _("the code %(code)s appears twice") % {"code": code})
        words = [w for w in _cell(row["处罚种类"]).replace("，", "、").split("、") if w]
        items[code] = ItemData(
            code=code,
            name=_cell(row["名称"]),
            domain=_cell(row["领域"]),
            violated_law=_cell(row["违法依据法规"]),
            violated_article=_cell(row["违法依据条款"]),
            violated_text=_cell(row["违法依据条文"]),
            penalty_law=_cell(row["处罚依据法规"]),
            penalty_article=_cell(row["处罚依据条款"]),
            penalty_text=_cell(row["处罚依据条文"]),
            penalty_kinds=_kinds(words, where, problems),
            # Measures may contain 、 themselves (限期清理、拆除): one per line or ；.
            measures=[w.strip() for w in re.split(r"[；;\n]", _cell(row["措施"])) if w.strip()],
            local_basis_required=_flag(row["需地方依据"], where, problems),
            first_offence_exemption=_flag(row["首违不罚"], where, problems),
            note=_cell(row["说明"]),
        )
    return items


def _read_grades(sheet, items: dict[str, ItemData], problems: _Problems) -> None:
    for number, row in _rows(sheet, GRADE_COLUMNS, problems):
        where = _("%(sheet)s row %(row)d") % {"sheet": GRADES_SHEET, "row": number}
        code = _cell(row["编码"])
        if code not in items:
            problems.add(where, _("no item with the code %(code)s") % {"code": code})
            continue
        grade, party, basis = (
            _cell(row["阶次"]),
            _cell(row["适用对象"]) or "不限",
            _cell(row["计算方式"]) or "元",
        )
        for value, known in ((grade, GRADE_WORDS), (party, PARTY_WORDS), (basis, BASIS_WORDS)):
            if value not in known:
                problems.add(
                    where,
                    _("“%(value)s” is not one of %(known)s")
                    % {"value": value, "known": "、".join(known)},
                )
        items[code].grades.append(
            GradeData(
                grade=GRADE_WORDS.get(grade, Grade.GENERAL),
                party=PARTY_WORDS.get(party, GradeParty.ANY),
                conditions=_cell(row["情形"]),
                fine_min=_amount(row["罚款下限"], where, problems),
                fine_max=_amount(row["罚款上限"], where, problems),
                fine_basis=BASIS_WORDS.get(basis, FineBasis.FIXED),
                quantity_up_to=_amount(row["数量上限"], where, problems, optional=True),
                no_penalty_possible=_flag(row["可不予处罚"], where, problems),
            )
        )


def items_from_xlsx(upload: BinaryIO) -> list[ItemData]:
    """Read a catalogue workbook: sheet 违法行为 (one row per item) and sheet 裁量阶次
    (one row per grade). Every problem in the file is reported at once."""
    problems = _Problems()
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise CatalogueError([_("This is not a readable .xlsx workbook (%s).") % error]) from None
    for sheet in (ITEMS_SHEET, GRADES_SHEET):
        if sheet not in book.sheetnames:
            problems.add(sheet, _("the workbook has no sheet of this name"))
    if problems.lines:
        raise CatalogueError(problems.lines)
    items = _read_items(book[ITEMS_SHEET], problems)
    _read_grades(book[GRADES_SHEET], items, problems)
    for code, item in items.items():
        _check_item(item, f"{ITEMS_SHEET} {code}", problems)
    if not items and not problems.lines:
        problems.add(ITEMS_SHEET, _("the sheet holds no items"))
    if problems.lines:
        raise CatalogueError(problems.lines)
    return list(items.values())


def _item_of(violation: Violation) -> ItemData:
    fields = {name: getattr(violation, name) for name in ItemData.__dataclass_fields__}
    fields["grades"] = [
        GradeData(
            grade=g.grade,
            party=g.party,
            conditions=g.conditions,
            fine_min=g.fine_min,
            fine_max=g.fine_max,
            fine_basis=g.fine_basis,
            quantity_up_to=g.quantity_up_to,
            no_penalty_possible=g.no_penalty_possible,
        )
        for g in violation.grades.order_by("party", "fine_max", "grade")
    ]
    return ItemData(**fields)


def _normalised(item: ItemData) -> dict:
    data = asdict(item)
    data["penalty_kinds"] = sorted(data["penalty_kinds"])  # their order means nothing
    data["grades"] = sorted(
        (
            {k: str(v) if isinstance(v, Decimal) else v for k, v in grade.items()}
            for grade in data["grades"]
        ),
        key=lambda g: (g["party"], g["grade"]),
    )
    for grade in data["grades"]:
        for key in ("fine_min", "fine_max", "quantity_up_to"):
            if grade[key] not in (None, "None"):
                grade[key] = str(Decimal(grade[key]).normalize())
    return data


def catalogue_save(*, items: list[ItemData], actor: User | None, source: str) -> dict[str, int]:
    """Write the items in one transaction; a changed item gets a new version. Returns
    how many were added, changed and left as they were."""
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    with transaction.atomic():
        current = {
            v.code: v
            for v in Violation.objects.filter(
                code__in=[i.code for i in items], is_current=True
            ).prefetch_related("grades")
        }
        for item in items:
            existing = current.get(item.code)
            if existing and _normalised(_item_of(existing)) == _normalised(item):
                counts["unchanged"] += 1
                continue
            version = 1
            if existing:
                existing.is_current = False
                existing.save(update_fields=["is_current"])
                version = existing.version + 1
            fields = asdict(item)
            fields.pop("grades")
            violation = Violation.objects.create(**fields, version=version)
            DiscretionGrade.objects.bulk_create(
                DiscretionGrade(violation=violation, **asdict(grade)) for grade in item.grades
            )
            counts["changed" if existing else "added"] += 1
        record_append(
            action="cases.catalogue.import",
            target=Target("cases.violation", "catalogue", str(_("Violation catalogue")), None),
            actor=actor,
            changes={"source": source, **counts},
        )
    return counts


def _word(table: dict[str, object], value: object) -> str:
    """The first word of a words table that means ``value``."""
    return next(word for word, meaning in table.items() if meaning == value)


def catalogue_xlsx(violations) -> bytes:
    """The current catalogue as a workbook in the import's layout: download, edit,
    import again (a changed item becomes a new version)."""
    import io

    from openpyxl import Workbook

    kind_words = {kinds[0]: word for word, kinds in reversed(KIND_WORDS.items())}
    book = Workbook()
    items = book.active
    items.title = ITEMS_SHEET
    items.append(ITEM_COLUMNS)
    grades = book.create_sheet(GRADES_SHEET)
    grades.append(GRADE_COLUMNS)
    for item in violations:
        items.append(
            [
                item.code,
                item.name,
                item.domain,
                item.violated_law,
                item.violated_article,
                item.violated_text,
                item.penalty_law,
                item.penalty_article,
                item.penalty_text,
                "、".join(kind_words[kind] for kind in item.penalty_kinds),
                "；".join(item.measures),
                "是" if item.local_basis_required else "否",
                "是" if item.first_offence_exemption else "否",
                item.note,
            ]
        )
        for grade in item.grades.all():
            grades.append(
                [
                    item.code,
                    _word(GRADE_WORDS, grade.grade),
                    _word(PARTY_WORDS, grade.party),
                    grade.conditions,
                    grade.fine_min,
                    grade.fine_max,
                    _word(BASIS_WORDS, grade.fine_basis),
                    grade.quantity_up_to,
                    "是" if grade.no_penalty_possible else "否",
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
