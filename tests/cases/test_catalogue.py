"""The violation catalogue (违法行为库): the starter items, versions, and the .xlsx
import that is all or nothing."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.cases.helpers import load_catalogue
from yangguang.cases.catalogue import (
    GRADE_COLUMNS,
    GRADES_SHEET,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    CatalogueError,
    catalogue_save,
    items_from_json,
    items_from_xlsx,
)
from yangguang.cases.models import DiscretionGrade, Violation
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db


def workbook(items: list[list], grades: list[list], *, drop_sheet: str = "") -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in (
        (ITEMS_SHEET, ITEM_COLUMNS, items),
        (GRADES_SHEET, GRADE_COLUMNS, grades),
    ):
        if title == drop_sheet:
            continue
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


ITEM = [
    "BJ-001",
    "擅自占用道路堆放物料",
    "道路",
    "城市道路管理条例",
    "第二十七条第（二）项",
    "城市道路范围内禁止下列行为：……",
    "城市道路管理条例",
    "第四十二条",
    "可以处以2万元以下的罚款",
    "罚款",
    "责令限期改正",
    "否",
    "是",
    "",
]
GRADES = [
    ["BJ-001", "一般", "不限", "占用10平方米以下", 0, 5000, "元", 10, "否"],
    ["BJ-001", "较重", "不限", "占用10平方米以上", 5000, 20000, "元", "", "否"],
]


def test_starter_catalogue_cites_real_national_articles_or_says_a_local_one_is_needed():
    load_catalogue()
    items = Violation.objects.filter(is_current=True)
    assert items.count() == len(items_from_json()) >= 10
    oil = items.get(code="DQ-001")
    assert oil.penalty_basis == "《中华人民共和国大气污染防治法》第一百一十八条第一款"
    assert oil.grades.count() == 3
    stalls = items.get(code="SR-001")
    assert stalls.local_basis_required
    assert stalls.grades.count() == 0
    for item in items:
        assert item.violated_article.startswith("第")
        assert item.local_basis_required or item.grades.exists()


def test_loading_the_starter_twice_changes_nothing():
    load_catalogue()
    counts = catalogue_save(items=items_from_json(), actor=None, source="starter")
    assert counts == {"added": 0, "changed": 0, "unchanged": len(items_from_json())}
    assert Violation.objects.count() == len(items_from_json())


def test_changed_item_gets_a_new_version_and_the_old_one_is_kept():
    load_catalogue()
    items = items_from_json()
    oil = next(i for i in items if i.code == "DQ-001")
    oil.grades[0].fine_max = Decimal(15000)
    counts = catalogue_save(items=[oil], actor=None, source="test")
    assert counts["changed"] == 1
    versions = Violation.objects.filter(code="DQ-001").order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].grades.get(grade="general").fine_max == Decimal(20000)
    assert versions[1].grades.get(grade="general").fine_max == Decimal(15000)


def test_xlsx_import_reads_items_and_grades_and_records_the_import():
    counts = catalogue_save(
        items=items_from_xlsx(workbook([ITEM], GRADES)), actor=None, source="upload.xlsx"
    )
    assert counts == {"added": 1, "changed": 0, "unchanged": 0}
    item = Violation.objects.get(code="BJ-001")
    assert (item.penalty_kinds, item.first_offence_exemption) == (["fine"], True)
    general = item.grades.get(grade="general")
    assert (general.fine_max, general.quantity_up_to) == (Decimal(5000), Decimal(10))
    assert RecordEntry.objects.filter(action="cases.catalogue.import").count() == 1


def test_xlsx_import_reports_every_problem_with_its_row_and_writes_nothing():
    bad_item = list(ITEM)
    bad_item[9] = "罚款、拘留"
    grades = [
        ["BJ-001", "一般", "不限", "x", 5000, 100, "元", "", "否"],
        ["BJ-999", "一般", "不限", "x", 0, 100, "元", "", "否"],
        ["BJ-001", "较重", "某些人", "x", "五千", 100, "元", "", "也许"],
    ]
    with pytest.raises(CatalogueError) as caught:
        items_from_xlsx(workbook([bad_item], grades))
    problems = "\n".join(caught.value.problems)
    assert "row 2" in problems
    assert "拘留" in problems
    assert "BJ-999" in problems
    assert "某些人" in problems
    assert "五千" in problems
    assert "也许" in problems
    assert "upper limit is below" in problems
    assert not Violation.objects.exists()
    assert not DiscretionGrade.objects.exists()


def test_xlsx_import_refuses_a_file_that_is_not_a_workbook():
    with pytest.raises(CatalogueError, match=r"\.xlsx"):
        items_from_xlsx(io.BytesIO(b"PK\x03\x04 not really a zip"))


def test_xlsx_import_names_a_missing_sheet_and_missing_columns():
    with pytest.raises(CatalogueError, match=GRADES_SHEET):
        items_from_xlsx(workbook([ITEM], GRADES, drop_sheet=GRADES_SHEET))
    book = Workbook()
    book.active.title = ITEMS_SHEET
    book.active.append(["编码", "名称"])
    book.create_sheet(GRADES_SHEET).append(GRADE_COLUMNS)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(CatalogueError, match="违法依据法规"):
        items_from_xlsx(buffer)


def test_item_without_grades_must_say_a_local_regulation_supplies_the_fine():
    with pytest.raises(CatalogueError, match="local regulation"):
        items_from_xlsx(workbook([ITEM], []))


def test_import_command_loads_the_starter_and_refuses_a_bad_workbook_whole(tmp_path):
    from django.core.management import CommandError, call_command

    call_command("import_violations", stdout=io.StringIO())
    assert Violation.objects.filter(is_current=True).count() == len(items_from_json())
    bad = tmp_path / "bad.xlsx"
    bad_item = list(ITEM)
    bad_item[9] = "拘留"
    bad.write_bytes(workbook([bad_item], GRADES).getvalue())
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_violations", str(bad), stderr=errors)
    assert "拘留" in errors.getvalue()
    assert not Violation.objects.filter(code="BJ-001").exists()


def test_the_catalogue_exports_to_the_import_layout_and_round_trips():
    from yangguang.cases.catalogue import catalogue_xlsx
    from yangguang.cases.selectors import violations_current

    load_catalogue()
    workbook_bytes = catalogue_xlsx(violations_current())
    items = items_from_xlsx(io.BytesIO(workbook_bytes))
    counts = catalogue_save(items=items, actor=None, source="round trip")
    assert counts == {"added": 0, "changed": 0, "unchanged": len(items_from_json())}

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes))
    for row in book[GRADES_SHEET].iter_rows(min_row=2):
        if row[0].value == "DQ-001" and row[1].value == "一般":
            row[5].value = 18000
    edited = io.BytesIO()
    book.save(edited)
    edited.seek(0)
    counts = catalogue_save(items=items_from_xlsx(edited), actor=None, source="edited")
    assert counts["changed"] == 1
    current = Violation.objects.get(code="DQ-001", is_current=True)
    assert current.version == 2
    assert current.grades.get(grade="general").fine_max == Decimal(18000)


def test_export_command_writes_a_workbook_the_import_reads(tmp_path):
    from django.core.management import call_command

    load_catalogue()
    target = tmp_path / "catalogue.xlsx"
    call_command("export_violations", str(target), stdout=io.StringIO())
    with target.open("rb") as workbook_file:
        assert len(items_from_xlsx(workbook_file)) == len(items_from_json())
