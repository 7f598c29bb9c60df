"""The national category list (GB/T 47678.5-2026) and the defaults it ships with.

Time limits and handling-unit types are NOT national: CJ/T 315 / GB/T 30428.8 give the
model and each city fills in its own table (reference.md §1.6). The defaults below are
a starting point drawn from the local tables quoted there (济源, 大英县 and others);
every bureau adjusts them in 系统配置. They are data, not rules of the code.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "gbt47678.5-2026-categories.csv"
NATIONAL_STANDARD = "GB/T 47678.5-2026"
NATIONAL_TITLE = "城市运行管理服务平台 第5部分：管理部件和管理事项"

WD, WH, EH = "working_days", "working_hours", "emergency_hours"


@dataclass(frozen=True)
class Default:
    handling_type: str
    limit_amount: Decimal
    limit_unit: str
    can_lead_to_case: bool = False


def _d(handling: str, amount: str, unit: str, case: bool = False) -> Default:
    return Default(handling, Decimal(amount), unit, case)


# By major class. 事项 classes 01–05 are "<部件>异常" and mirror the 部件 classes.
MAJOR_DEFAULTS: dict[str, Default] = {
    "01": _d("municipal", "5", WD),
    "02": _d("traffic", "5", WD),
    "03": _d("sanitation", "3", WD),
    "04": _d("landscape", "5", WD),
    "05": _d("locality", "5", WD),
    "06": _d("locality", "2", WD),
    "07": _d("enforcement", "2", WD, case=True),
    "08": _d("construction", "2", WD, case=True),
    "09": _d("enforcement", "4", WH, case=True),
    "10": _d("municipal", "24", EH),
}

# Facilities owned by utilities or water works rather than the municipal department
# (部件"先属主": the owner handles it). Matched on the category name.
OWNER_BY_NAME = [
    (("电力", "通信", "电视", "网络", "燃气", "热力", "输油", "电缆", "信号灯电源"), "utility"),
    (("供水", "污水", "雨水", "中水", "化粪池", "水井", "供水器"), "water"),
]

# Missing or broken covers and gratings endanger passers-by: handled in natural hours.
HAZARD_NAMES = ("井盖", "箅子", "沟槽盖板")

# Event-specific defaults (事项 codes), from the local tables of reference.md §1.6.
EVENT_DEFAULTS: dict[str, Default] = {
    "06001": _d("illegal_building", "15", WD, case=True),  # 私搭乱建: 济源 15 工作日
    "06002": _d("enforcement", "5", WD, case=True),
    "06003": _d("enforcement", "5", WD, case=True),
    "06008": _d("enforcement", "5", WD, case=True),
    "06010": _d("sanitation", "1", WD),  # 暴露垃圾: 济源 1 工作日
    "06011": _d("sanitation", "4", WD),  # 积存垃圾渣土: 济源 4 工作日
    "06012": _d("sanitation", "5", WH),  # 道路不洁: 济源 5 工作时
    "06013": _d("municipal", "5", WD),
    "06014": _d("sanitation", "4", WH, case=True),
    "06016": _d("traffic", "5", WD),
    "06017": _d("landscape", "2", WD),
    "06018": _d("landscape", "2", WD),
    "06020": _d("enforcement", "4", WH, case=True),
    "06021": _d("landscape", "5", WD),
    "06022": _d("landscape", "1", WD, case=True),
    "06023": _d("water", "10", WD),
    "06024": _d("water", "2", WD),
    "06025": _d("water", "15", WD),  # 水域不洁: 济源 15 工作日
    "06026": _d("water", "2", WD, case=True),
    "06027": _d("fume", "5", WD, case=True),
    "06028": _d("enforcement", "4", WH, case=True),
    "06029": _d("enforcement", "4", WH, case=True),
    "06030": _d("enforcement", "1", WD, case=True),
    "06032": _d("sanitation", "5", WD, case=True),
    "06033": _d("sanitation", "4", EH, case=True),
    "06037": _d("sanitation", "4", WH),
    "06041": _d("sanitation", "2", WD, case=True),
    "06042": _d("sanitation", "4", WH),
    "06045": _d("landscape", "2", WD, case=True),
    "06046": _d("water", "5", WD, case=True),
    "06047": _d("landscape", "2", WD),
    "06048": _d("municipal", "10", WD),
    "06049": _d("municipal", "5", WD),
    "06050": _d("municipal", "5", WD),
    "06051": _d("municipal", "5", WD),
    "06052": _d("municipal", "5", WD),
    "07001": _d("enforcement", "1", WD, case=True),
    "07004": _d("enforcement", "5", WD),
    "07008": _d("locality", "5", WD),
    "08016": _d("illegal_building", "4", WH, case=True),
    "09003": _d("locality", "2", WH),
    "09009": _d("traffic", "3", EH),  # 机动车乱停放: 大英县 3 紧急工作时
    "09010": _d("locality", "4", WH),
    "09011": _d("locality", "4", WH),
    "09012": _d("enforcement", "2", EH),
    "09019": _d("enforcement", "4", WH),
    "09020": _d("enforcement", "1", WD),
    "10001": _d("sanitation", "24", EH),
    "10002": _d("utility", "8", EH),
}


def default_for(*, kind: str, code: str, major_code: str, name: str) -> Default:
    if kind == "event" and code in EVENT_DEFAULTS:
        return EVENT_DEFAULTS[code]
    base = MAJOR_DEFAULTS.get(major_code, _d("locality", "2", WD))
    handling = base.handling_type
    if major_code == "01":
        for words, owner in OWNER_BY_NAME:
            if any(word in name for word in words):
                handling = owner
                break
    if major_code == "03" and name in {"户外广告", "牌匾标识"}:
        handling = "enforcement"
    if major_code <= "05" and any(word in name for word in HAZARD_NAMES):
        return Default(handling, Decimal("8"), EH, base.can_lead_to_case)
    return Default(handling, base.limit_amount, base.limit_unit, base.can_lead_to_case)


def national_rows() -> list[dict[str, str]]:
    with NATIONAL_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_national_categories(CategoryStandard, Category, HandlingUnitType) -> None:  # noqa: N803
    """Load GB/T 47678.5-2026 with its defaults. Called by a data migration."""
    from yangguang.categories.enums import KIND_ALIASES

    standard, _created = CategoryStandard.objects.get_or_create(
        code=NATIONAL_STANDARD, defaults={"name": NATIONAL_TITLE, "is_current": True}
    )
    types = {t.code: t for t in HandlingUnitType.objects.all()}
    existing = set(standard.categories.values_list("kind", "code"))
    rows = []
    for row in national_rows():
        kind = str(KIND_ALIASES[row["kind"]])
        if (kind, row["code"]) in existing:
            continue
        default = default_for(
            kind=kind, code=row["code"], major_code=row["major_code"], name=row["name"]
        )
        rows.append(
            Category(
                standard=standard,
                kind=kind,
                code=row["code"],
                major_code=row["major_code"],
                major_name=row["major_name"],
                name=row["name"],
                handling_type=types.get(default.handling_type),
                limit_amount=default.limit_amount,
                limit_unit=default.limit_unit,
                can_lead_to_case=default.can_lead_to_case,
            )
        )
    Category.objects.bulk_create(rows)
