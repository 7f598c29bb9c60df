"""The Simplified Chinese catalogue: complete, compiled, and using the bureau's terms."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

import yangguang

CATALOGUE = Path(yangguang.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[a-zA-Z]")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(CATALOGUE / "django.po"))


@pytest.fixture(scope="module")
def mo():
    return polib.mofile(str(CATALOGUE / "django.mo"))


def _live(po):
    return [entry for entry in po if not entry.obsolete]


def _translations(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_catalogue_header_declares_chinese_utf8_and_one_plural_form(po):
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not po.metadata_is_fuzzy


def test_catalogue_has_no_untranslated_entries_when_complete(po):
    untranslated = [entry.msgid for entry in _live(po) if not all(_translations(entry))]
    assert untranslated == []


def test_catalogue_has_no_fuzzy_entries_when_reviewed(po):
    fuzzy = [entry.msgid for entry in _live(po) if "fuzzy" in entry.flags]
    assert fuzzy == []


def test_catalogue_placeholders_match_their_msgid_when_translated(po):
    mismatched = [
        (entry.msgid, text)
        for entry in _live(po)
        for text in _translations(entry)
        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert mismatched == []


def test_compiled_catalogue_matches_the_po_file_when_committed(po, mo):
    compiled = {(entry.msgctxt, entry.msgid): _translations(entry) for entry in mo}
    stale = [
        entry.msgid
        for entry in _live(po)
        if compiled.get((entry.msgctxt, entry.msgid)) != _translations(entry)
    ]
    assert stale == [], "run `yangguang compilemessages -l zh_Hans` and commit django.mo"


def test_compiled_catalogue_has_no_entries_missing_from_the_po_file(po, mo):
    known = {(entry.msgctxt, entry.msgid) for entry in _live(po)}
    extra = [
        entry.msgid for entry in mo if entry.msgid and (entry.msgctxt, entry.msgid) not in known
    ]
    assert extra == []


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Yangguang", "阳光执法"),
        ("Staff login", "工作人员登录"),
        ("Bureau", "执法局"),
        ("Brigade", "大队"),
        ("Squadron", "中队"),
        ("Office", "科室"),
        ("Handling unit", "处置单位"),
        ("Sub-district", "街道"),
        ("Community", "社区"),
        ("Unit grids", "单元网格"),
        ("Intake operator", "受理员"),
        ("Dispatcher", "派遣员"),
        ("Shift leader", "值班长"),
        ("Inspector / grid officer", "监督员/网格员"),
        ("Enforcement officer", "执法队员"),
        ("Squadron leader", "中队长"),
        ("Legal reviewer", "法制审核员"),
        ("Bureau leader", "局领导"),
        ("Handling-unit staff", "处置人员"),
        ("System administrator", "系统管理员"),
        ("Security administrator", "安全管理员"),
        ("Audit administrator", "审计管理员"),
        ("data scope", "数据权限"),
        ("enforcement certificate", "行政执法证"),
        ("rank", "职级"),
        ("staff member", "工作人员"),
        ("Component (部件)", "部件"),
        ("major class", "大类"),
        ("time limit", "处置时限"),
        ("working hours", "工作时"),
        ("emergency (natural) hours", "紧急工作时（自然小时）"),
        ("working days", "工作日"),
        ("make-up working day", "调休上班日"),
        ("Working calendar", "工作日历"),
        ("provisional", "暂定"),
        ("Audit records", "审计记录"),
        ("System configuration", "系统配置"),
    ],
)
def test_domain_term_translates_to_the_bureau_term_when_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


def test_message_keeps_its_placeholders_when_chinese():
    with translation.override("zh-hans"):
        message = translation.gettext("%(name)s: certificate %(number)s expired on %(end)s.")
        assert message % {"name": "李四", "number": "370000999", "end": "2026-06-30"} == (
            "李四：执法证 370000999 已于 2026-06-30 过期。"
        )


def test_working_day_limit_error_names_working_days_when_chinese():
    with translation.override("zh-hans"):
        message = translation.gettext("A limit in working days must be a whole number.")
    assert "工作日" in message


def test_three_duty_separation_keeps_its_chinese_term_when_chinese():
    msgid = (
        "The system, security and audit administrators are separate duties (三员分立): one "
        "account may hold only one of them, not %(posts)s."
    )
    with translation.override("zh-hans"):
        assert "三员分立" in translation.gettext(msgid)
