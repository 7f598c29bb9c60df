"""Every write of the foundation records itself, in the same transaction."""

from decimal import Decimal

from tests.grids.test_import import collection, feature, square
from yangguang.categories.models import Category
from yangguang.categories.services import category_configure
from yangguang.grids.services import grids_import
from yangguang.org import services as org
from yangguang.org.enums import PostCode, UnitKind
from yangguang.records.models import RecordEntry
from yangguang.records.registry import target_for
from yangguang.records.selectors import records_of, records_visible_to
from yangguang.records.verify import chain_verify
from yangguang.worktime.services import calendar_import_csv


def entries(action: str) -> list[RecordEntry]:
    return list(RecordEntry.objects.filter(action=action).order_by("sequence"))


def test_unit_creation_and_change_are_recorded(personas, org_tree):
    admin = personas[PostCode.SYSTEM_ADMIN]
    unit = org.unit_create(
        name="第三中队", kind=UnitKind.SQUADRON, parent=org_tree.brigade, code="ZD03", actor=admin
    )
    created = entries("org.unit.create")[-1]
    assert (created.object_id, created.actor, created.unit) == (str(unit.pk), admin, unit)
    assert created.changes["name"] == [None, "第三中队"]
    assert created.changes["parent"] == [None, f"执法大队 #{org_tree.brigade.pk}"]

    org.unit_update(
        unit=unit,
        name="第三中队（东）",
        parent=org_tree.brigade,
        code="ZD03",
        handling_type=None,
        is_external=False,
        phone="",
        sort_order=0,
        is_active=True,
        actor=admin,
    )
    assert entries("org.unit.update")[-1].changes == {"name": ["第三中队", "第三中队（东）"]}
    assert chain_verify().ok


def test_an_edit_that_changes_nothing_records_nothing(personas, org_tree):
    before = RecordEntry.objects.count()
    unit = org_tree.squadron1
    org.unit_update(
        unit=unit,
        name=unit.name,
        parent=unit.parent,
        code=unit.code,
        handling_type=unit.handling_type,
        is_external=unit.is_external,
        phone=unit.phone,
        sort_order=unit.sort_order,
        is_active=unit.is_active,
    )
    assert RecordEntry.objects.count() == before


def test_staff_phone_is_marked_as_personal_data(personas):
    officer = personas[PostCode.OFFICER]
    created = RecordEntry.objects.get(action="org.user.create", object_id=str(officer.pk))
    assert created.personal == {"phone": "phone"}
    org.user_update(
        user=officer,
        name=officer.name,
        phone="13700000000",
        unit=officer.unit,
        rank=None,
        is_active=True,
        actor=personas[PostCode.SECURITY_ADMIN],
    )
    update = entries("org.user.update")[-1]
    assert update.changes == {"phone": ["13800000005", "13700000000"]}
    assert update.personal == {"phone": "phone"}


def test_grid_import_records_each_grid_once(personas, org_tree):
    grids_import(collection=collection([feature("370899001001001", square(0, 0), name="一号")]))
    grids_import(collection=collection([feature("370899001001001", square(0, 0), name="一号")]))
    grids_import(collection=collection([feature("370899001001001", square(0, 0), name="二号")]))
    recorded = entries("grids.import")
    assert len(recorded) == 2
    assert recorded[1].changes == {"name": ["一号", "二号"]}
    assert len(recorded[0].changes["boundary_sha256"][1]) == 64


def test_category_configuration_is_recorded(personas):
    category = Category.objects.get(standard__code="GB/T 47678.5-2026", kind="event", code="09006")
    category_configure(
        category=category,
        handling_type=category.handling_type,
        limit_amount=Decimal("2"),
        limit_unit="working_hours",
        can_lead_to_case=True,
        keywords="",
        is_active=True,
        actor=personas[PostCode.SYSTEM_ADMIN],
    )
    assert entries("categories.category.configure")[-1].changes == {"limit_amount": ["4", "2"]}


def test_calendar_import_is_recorded(db):
    calendar_import_csv(text="date,kind,name\n2030-01-01,holiday,元旦\n", source="测试通知")
    recorded = entries("worktime.calendar.import")[-1]
    assert recorded.changes["days"] == [None, ["2030-01-01 holiday 元旦"]]


def test_squadron_leader_reads_records_of_his_squadron_only(personas, org_tree):
    leader = personas[PostCode.SQUAD_LEADER]
    visible = set(records_visible_to(leader).values_list("unit_id", flat=True))
    assert visible == {org_tree.squadron1.pk}
    assert records_of(user=leader, target=target_for(org_tree.squadron1)).exists()


def test_account_records_are_for_the_auditor_only(personas):
    leader = personas[PostCode.LEADER]
    auditor = personas[PostCode.AUDIT_ADMIN]
    assert not records_visible_to(leader).filter(action="org.user.create").exists()
    assert records_visible_to(auditor).filter(action="org.user.create").count() == len(personas)


def test_system_and_security_administrators_read_no_records(personas):
    for code in (PostCode.SYSTEM_ADMIN, PostCode.SECURITY_ADMIN):
        assert not records_visible_to(personas[code]).exists()


def test_timeline_names_posts_by_their_labels(personas):
    from django.utils import translation

    from yangguang.records.presenters import present

    entry = RecordEntry.objects.get(
        action="org.user.create", object_id=str(personas[PostCode.OFFICER].pk)
    )
    with translation.override("zh-hans"):
        rows = {row.field: row.after for row in present(entry).changes}
    assert rows["岗位"] == "执法队员"
