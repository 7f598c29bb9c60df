"""事前公开: the bureau's profile and the versioned 随机抽查事项清单 (国办发〔2018〕118号:
lists published and adjusted, every version readable), written only by the system
administrator (三员分立) and recorded in the chain."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.cases.helpers import at
from yangguang.cases.identity import generate_credit_code
from yangguang.core.demo_before import ITEMS_V1, ITEMS_V2
from yangguang.disclosure.before import (
    ListRefused,
    bureau_profile_save,
    list_version_publish,
    list_xlsx,
    rows_check,
    rows_from_text,
    rows_from_xlsx,
    version_changes,
)
from yangguang.disclosure.enums import ListKind
from yangguang.disclosure.models import BureauProfile, ListVersion
from yangguang.disclosure.selectors import current_list, list_versions
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db
P = PostCode
KIND = ListKind.RANDOM_INSPECTION
CODE = generate_credit_code("1", "1", "370899", "MB123456")


def publish(personas, rows, *, note="", day=1, who=P.SYSTEM_ADMIN):
    return list_version_publish(
        kind=KIND, rows=rows, note=note, actor=personas[who], now=at(2026, 10, day, 9)
    )


# --- the profile ------------------------------------------------------------------------


def test_profile_save_with_a_valid_credit_code_is_recorded(personas):
    profile = bureau_profile_save(
        actor=personas[P.SYSTEM_ADMIN], name="测试局", credit_code=CODE.lower(), court="某法院"
    )

    assert (profile.credit_code, BureauProfile.objects.get().court) == (CODE, "某法院")
    entry = RecordEntry.objects.get(action="disclosure.profile")
    assert entry.changes["credit_code"] == ["", CODE]


def test_profile_credit_code_with_a_wrong_check_character_is_refused(personas):
    wrong = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")

    with pytest.raises(ValidationError) as refused:
        bureau_profile_save(actor=personas[P.SYSTEM_ADMIN], name="测试局", credit_code=wrong)

    assert list(refused.value.message_dict) == ["credit_code"]
    assert not BureauProfile.objects.exists()
    assert not RecordEntry.objects.filter(action="disclosure.profile").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("address", "路\x00号"),
        ("phone", "1" * 51),
        ("website", "javascript:alert(1)"),
        ("credit_code", "９１３７０８９９ＭＢ１２３４５６Ｘ"),
    ],
)
def test_profile_bad_values_are_refused_per_field(personas, field, value):
    values = {"name": "测试局", field: value}

    with pytest.raises(ValidationError) as refused:
        bureau_profile_save(actor=personas[P.SYSTEM_ADMIN], **values)

    assert list(refused.value.message_dict) == [field]


def test_profile_unchanged_writes_no_entry(personas):
    bureau_profile_save(actor=personas[P.SYSTEM_ADMIN], name="测试局", phone="12319")
    bureau_profile_save(actor=personas[P.SYSTEM_ADMIN], name="测试局", phone="12319")

    assert RecordEntry.objects.filter(action="disclosure.profile").count() == 1


@pytest.mark.parametrize("post", [P.SECURITY_ADMIN, P.AUDIT_ADMIN, P.LEADER, P.LEGAL_REVIEWER])
def test_only_the_system_administrator_changes_the_profile(personas, post):
    with pytest.raises(PermissionDenied):
        bureau_profile_save(actor=personas[post], name="别的局")

    assert not BureauProfile.objects.exists()


# --- the lists --------------------------------------------------------------------------


def test_versions_are_numbered_and_each_stays_readable(personas):
    first = publish(personas, ITEMS_V1, note="首次公布", day=1)
    second = publish(personas, ITEMS_V2, note="调整", day=20)

    assert [v.number for v in list_versions(KIND)] == [2, 1]
    assert current_list(KIND) == second
    assert ListVersion.objects.get(number=1).rows == first.rows == ITEMS_V1
    changes = version_changes(second, first)
    assert (changes.added, changes.removed, changes.changed) == (
        ["生活垃圾分类投放管理检查"],
        [],
        ["户外广告设施设置情况检查"],
    )
    entries = RecordEntry.objects.filter(action="disclosure.list_version").order_by("sequence")
    assert [e.changes["number"] for e in entries] == [1, 2]
    assert entries.last().changes["added"] == ["生活垃圾分类投放管理检查"]


def test_a_version_with_bad_rows_publishes_nothing_and_names_every_row(personas):
    rows = [
        dict(ITEMS_V1[0]),
        {**ITEMS_V1[1], "category": "特别"},
        {**ITEMS_V1[2], "target": ""},
        dict(ITEMS_V1[0]),
        {**ITEMS_V1[3], "method": "现场\x00检查"},
    ]

    with pytest.raises(ListRefused) as refused:
        publish(personas, rows)

    problems = refused.value.problems
    assert [p.split(":")[0].split(",")[0] for p in problems] == [
        "Row 2",
        "Row 3",
        "Row 4",
        "Row 5",
    ]
    assert "类别" in problems[0]
    assert "检查对象" in problems[1]
    assert "row 1" in problems[2]
    assert not ListVersion.objects.exists()
    assert not RecordEntry.objects.filter(action="disclosure.list_version").exists()


@pytest.mark.parametrize("rows", [[], None, "text", [["a"]], [{"其他": "x"}], [{}] * 1001])
def test_rows_of_the_wrong_shape_are_refused(personas, rows):
    with pytest.raises(ListRefused):
        publish(personas, rows)

    assert not ListVersion.objects.exists()


def test_the_same_rows_again_are_not_a_new_version(personas):
    publish(personas, ITEMS_V1)

    with pytest.raises(ListRefused):
        publish(personas, ITEMS_V1, day=2)

    assert ListVersion.objects.count() == 1


@pytest.mark.parametrize("post", [P.SECURITY_ADMIN, P.AUDIT_ADMIN, P.LEADER, P.OFFICER])
def test_only_the_system_administrator_publishes_a_list(personas, post):
    with pytest.raises(PermissionDenied):
        publish(personas, ITEMS_V1, who=post)

    assert not ListVersion.objects.exists()


def test_pasted_text_becomes_rows_the_header_line_skipped():
    header = "事项名称\t类别\t检查对象\t依据\t实施主体\t检查内容\t检查方式\t比例/频次"
    line = "甲检查\t重点\t对象\t《法》第一条\t某局\t\t现场检查\t每年1次"

    rows = rows_from_text(
        KIND, f"{header}\n\n{line}\n乙检查｜一般｜对象｜依据｜某局｜内容｜抽查｜5%"
    )

    assert [(r["事项名称"], r["类别"], r["检查内容"]) for r in rows] == [
        ("甲检查", "重点", ""),
        ("乙检查", "一般", "内容"),
    ]


def test_a_workbook_round_trips(personas):
    version = publish(personas, ITEMS_V2)

    rows = rows_from_xlsx(KIND, io.BytesIO(list_xlsx(version)))
    again = publish(personas, [{**rows[0], "比例/频次": "每月1次"}, *rows[1:]], day=2)

    assert again.number == 2
    assert again.rows[1:] == ITEMS_V2[1:]
    assert again.rows[0]["frequency"] == "每月1次"


def test_a_broken_workbook_is_refused():
    with pytest.raises(ListRefused):
        rows_from_xlsx(KIND, io.BytesIO(b"PK\x03\x04 not really a workbook"))


def test_demo_items_pass_the_check():
    assert rows_check(KIND, ITEMS_V1) == ITEMS_V1
    assert rows_check(KIND, ITEMS_V2) == ITEMS_V2
