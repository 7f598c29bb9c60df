"""The record's change tables name fields and values in the reader's language."""

from django.utils import translation

from yangguang.records.models import RecordEntry
from yangguang.records.presenters import present


def rows(object_type: str, changes: dict) -> list[tuple[str, str, str]]:
    entry = RecordEntry(object_type=object_type, action="case.open", changes=changes, personal={})
    with translation.override("zh-hans"):
        return [(row.field, row.before, row.after) for row in present(entry).changes]


def test_case_officers_are_named_as_case_officers_not_grid_officers():
    assert rows("cases.case", {"officers": [None, ["zhifa1 370000001"]]}) == [
        ("办案人员", "—", "zhifa1 370000001")
    ]


def test_grid_officers_keep_their_own_name():
    assert rows("grids.grid", {"officers": [[], ["wangge01"]]})[0][0] == "网格员"


def test_case_penalty_kinds_are_shown_by_name():
    assert rows("cases.case", {"penalty_kinds": [[], ["warning", "fine"]]}) == [
        ("处罚种类", "—", "警告、罚款")
    ]


def test_case_circumstances_show_those_that_apply_and_the_harm():
    circumstances = {"minor": False, "first_offence": True, "harm": "serious"}

    (_field, _before, after) = rows("cases.case", {"circumstances": [None, circumstances]})[0]

    assert after == "12个月内初次违法、危害后果：危害后果严重"


def test_special_days_show_their_kind_by_name():
    (_field, _before, after) = rows(
        "worktime.calendaryear", {"days": [None, ["2027-01-01 holiday 元旦"]]}
    )[0]

    assert after == "2027-01-01 节假日（放假） 元旦"


def test_attached_evidence_shows_its_kind_by_name():
    (_field, _before, after) = rows(
        "reports.report", {"evidence": [None, "after-1.jpg (photo, ee62b248115a)"]}
    )[0]

    assert after == "after-1.jpg (照片, ee62b248115a)"


def test_reporter_fields_recorded_on_the_report_have_names():
    names = [row[0] for row in rows("reports.report", {"reporter_name": [None, "张三"]})]

    assert names == ["反映人姓名"]
