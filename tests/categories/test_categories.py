from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from yangguang.categories.models import Category, CategoryStandard
from yangguang.categories.reference_data import NATIONAL_STANDARD
from yangguang.categories.selectors import categories_search
from yangguang.categories.services import (
    CategoryImportError,
    categories_import_csv,
    category_configure,
)
from yangguang.org.enums import PostCode
from yangguang.org.models import HandlingUnitType
from yangguang.records.models import RecordEntry

HEADER = (
    "standard,kind,code,major_code,major_name,name,"
    "handling_type,limit_amount,limit_unit,can_lead_to_case\n"
)


def test_national_list_is_loaded_with_153_components_and_250_events(db):
    """GB/T 47678.5-2026 附录A 表A.1 (153 部件) and 附录C 表C.1 (250 事项)."""
    national = Category.objects.filter(standard__code=NATIONAL_STANDARD)
    assert national.filter(kind="component").count() == 153
    assert national.filter(kind="event").count() == 250
    assert CategoryStandard.objects.get(code=NATIONAL_STANDARD).is_current


def test_every_national_category_has_routing_and_a_time_limit(db):
    national = Category.objects.filter(standard__code=NATIONAL_STANDARD)
    assert national.filter(handling_type__isnull=True).count() == 0
    assert national.filter(limit_amount__isnull=True).count() == 0


def test_national_defaults_follow_the_local_tables(db):
    """Reference §1.6 (济源): 暴露垃圾 1 工作日, 道路不洁 5 工作时, 私搭乱建 15 工作日."""
    national = Category.objects.filter(standard__code=NATIONAL_STANDARD, kind="event")
    assert (national.get(code="06010").limit_amount, national.get(code="06010").limit_unit) == (
        Decimal("1.00"),
        "working_days",
    )
    assert national.get(code="06012").limit_unit == "working_hours"
    assert national.get(code="06001").handling_type.code == "illegal_building"
    assert national.get(code="06001").can_lead_to_case


def test_component_codes_and_event_codes_may_coincide(db):
    """Codes are unique only within a kind: 01001 is both 供水井盖 and its 异常 event."""
    national = Category.objects.filter(standard__code=NATIONAL_STANDARD, code="01001")
    assert sorted(national.values_list("kind", flat=True)) == ["component", "event"]


def test_search_by_word_and_code(db):
    assert [c.code for c in categories_search(query="占道经营")] == ["09006"]
    assert [c.code for c in categories_search(query="06010")] == ["06010"]
    assert categories_search(query="井盖", kind="component").count() > 10


def test_local_extension_code_set_imports(db):
    text = HEADER + (
        "阳光区扩展事项,事件,99001,99,本地扩展,占道晾晒农作物,locality,4,工作时,否\n"
        "阳光区扩展事项,事件,99002,99,本地扩展,违规燃放烟花爆竹,enforcement,2,紧急工作时,是\n"
    )
    assert categories_import_csv(text=text, title="阳光区扩展事项", local=True) == {
        "阳光区扩展事项": 2
    }
    second = Category.objects.get(standard__code="阳光区扩展事项", code="99002")
    assert (second.limit_unit, second.can_lead_to_case, second.standard.is_local) == (
        "emergency_hours",
        True,
        True,
    )


def test_old_cj_t_214_codes_live_beside_the_new_ones(db):
    text = HEADER + "CJ/T 214-2007,部件,100101,1001,公共设施,上水井盖,water,5,工作日,否\n"
    categories_import_csv(text=text)
    assert Category.objects.filter(code="100101", standard__code="CJ/T 214-2007").exists()
    assert Category.objects.filter(standard__code=NATIONAL_STANDARD).count() == 403


def test_import_with_one_bad_line_writes_nothing(db):
    text = HEADER + (
        "本地,事件,99001,99,本地扩展,好的一行,locality,4,工作时,否\n"
        "本地,事故,99002,99,本地扩展,坏的种类,locality,4,工作时,否\n"
        "本地,事件,99003,99,本地扩展,坏的时限,locality,-1,工作时,否\n"
        "本地,事件,99004,99,本地扩展,坏的单位,locality,4,小时,否\n"
        "本地,事件,99005,99,本地扩展,小数工作日,locality,1.5,工作日,否\n"
        "本地,事件,99006,99,本地扩展,未知处置,nobody,4,工作时,否\n"
        "本地,事件,88007,99,本地扩展,大类不符,locality,4,工作时,否\n"
        "本地,事件,99001,99,本地扩展,重复,locality,4,工作时,否\n"
    )
    with pytest.raises(CategoryImportError) as error:
        categories_import_csv(text=text)
    assert [problem.line for problem in error.value.problems] == [3, 4, 5, 6, 7, 8, 9]
    assert error.value.problems[0].reason == "Unknown kind “事故”: use 部件 or 事件/事项."
    assert error.value.problems[-1].reason == "Duplicate of line 2."
    assert not CategoryStandard.objects.filter(code="本地").exists()


def test_import_without_required_columns_is_refused(db):
    with pytest.raises(CategoryImportError) as error:
        categories_import_csv(text="code,name\n1,x\n")
    assert error.value.problems[0].reason == (
        "Missing columns: standard, kind, major_code, major_name."
    )


def test_command_lists_bad_lines_and_exits_non_zero(db, tmp_path, capsys):
    path = tmp_path / "local.csv"
    path.write_text(
        HEADER + "本地,事件,99001,99,本地扩展,x,locality,0,工作时,否\n", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("import_categories", str(path))
    assert "line 2" in capsys.readouterr().err


def test_category_configuration_is_validated(db):
    category = Category.objects.get(standard__code=NATIONAL_STANDARD, kind="event", code="09006")
    with pytest.raises(ValidationError):
        category_configure(
            category=category,
            handling_type=None,
            limit_amount=Decimal("1.5"),
            limit_unit="working_days",
            can_lead_to_case=True,
            keywords="",
            is_active=True,
        )
    sanitation = HandlingUnitType.objects.get(code="sanitation")
    category_configure(
        category=category,
        handling_type=sanitation,
        limit_amount=Decimal("2"),
        limit_unit="working_hours",
        can_lead_to_case=True,
        keywords="摆摊 地摊",
        is_active=True,
    )
    assert [c.code for c in categories_search(query="地摊")] == ["09006"]


def test_the_system_administrator_sets_the_photo_rules_in_the_admin(client, personas):
    category = Category.objects.get(
        standard__code=NATIONAL_STANDARD, kind="component", code="01037"
    )
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    url = reverse("admin:categories_category_change", args=[category.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="after_photo_required"' in form.content.decode()
    assert 'name="verification_photo_required"' in form.content.decode()
    response = client.post(
        url,
        {
            "handling_type": category.handling_type_id or "",
            "limit_amount": category.limit_amount or "",
            "limit_unit": category.limit_unit,
            "can_lead_to_case": "on" if category.can_lead_to_case else "",
            "verification_photo_required": "on",
            "keywords": category.keywords,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.after_photo_required, category.verification_photo_required) == (False, True)
    entry = RecordEntry.objects.filter(action="categories.category.configure").get()
    assert entry.changes["after_photo_required"] == [True, False]
    assert entry.changes["verification_photo_required"] == [False, True]
