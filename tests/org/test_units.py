import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from tests.factories import UnitFactory
from yangguang.org import services
from yangguang.org.enums import UnitKind
from yangguang.org.models import Unit


def test_unit_path_follows_the_tree(org_tree):
    assert org_tree.squadron1.path == (
        f"{org_tree.bureau.pk}/{org_tree.brigade.pk}/{org_tree.squadron1.pk}/"
    )
    assert org_tree.squadron1.depth == 2
    assert org_tree.squadron1.is_within(org_tree.brigade)
    assert not org_tree.squadron1.is_within(org_tree.squadron2)


def test_unit_subtree_is_one_prefix_query(org_tree):
    subtree = Unit.objects.filter(path__startswith=org_tree.brigade.path)
    assert set(subtree) == {org_tree.brigade, org_tree.squadron1, org_tree.squadron2}


def test_unit_move_repaths_the_subtree(org_tree):
    other_brigade = UnitFactory(name="二大队", kind=UnitKind.BRIGADE, parent=org_tree.bureau)
    squadron = services.unit_update(
        unit=org_tree.squadron1,
        name="第一中队",
        parent=other_brigade,
        code="ZD01",
        handling_type=None,
        is_external=False,
        phone="",
        sort_order=0,
        is_active=True,
    )
    assert squadron.path == f"{org_tree.bureau.pk}/{other_brigade.pk}/{squadron.pk}/"


def test_unit_move_below_itself_is_refused(org_tree):
    with pytest.raises(ValidationError) as error:
        services.unit_update(
            unit=org_tree.brigade,
            name="执法大队",
            parent=org_tree.squadron1,
            code="",
            handling_type=None,
            is_external=False,
            phone="",
            sort_order=0,
            is_active=True,
        )
    assert "parent" in error.value.message_dict


def test_unit_move_repaths_descendants(org_tree):
    new_bureau_child = UnitFactory(name="新大队", kind=UnitKind.BRIGADE, parent=org_tree.bureau)
    services.unit_update(
        unit=org_tree.brigade,
        name="执法大队",
        parent=org_tree.bureau,
        code="",
        handling_type=None,
        is_external=False,
        phone="",
        sort_order=5,
        is_active=True,
    )
    org_tree.squadron1.refresh_from_db()
    assert org_tree.squadron1.path.startswith(org_tree.brigade.path)
    assert new_bureau_child.path.startswith(org_tree.bureau.path)


@pytest.mark.parametrize(
    ("kind", "parent_key"),
    [
        (UnitKind.COMMUNITY, "bureau"),
        (UnitKind.SQUADRON, "street"),
        (UnitKind.STREET, "brigade"),
        (UnitKind.BRIGADE, "squadron1"),
    ],
)
def test_unit_create_refuses_a_wrong_parent(org_tree, kind, parent_key):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            name="x", kind=kind, parent=getattr(org_tree, parent_key), code="370899001009"
        )
    assert "parent" in error.value.message_dict


def test_unit_create_without_parent_is_refused_unless_bureau(db):
    with pytest.raises(ValidationError) as error:
        services.unit_create(name="中队", kind=UnitKind.SQUADRON)
    assert error.value.message_dict["parent"] == ["A unit of kind “Squadron” needs a parent unit."]


@pytest.mark.parametrize(
    ("code", "message_part"),
    [
        ("37089900100", "12 digits"),
        ("3708990010000", "12 digits"),
        ("37089900100a", "12 digits"),
        ("370899002001", "first nine digits"),
        ("370899001000", "must not end in 000"),
    ],
)
def test_community_code_is_checked_against_its_sub_district(org_tree, code, message_part):
    """Reference §1.4: 12-digit codes = 6 county + 3 sub-district + 3 community."""
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            name="新社区", kind=UnitKind.COMMUNITY, parent=org_tree.street, code=code
        )
    assert message_part in " ".join(error.value.message_dict["code"])


def test_street_code_must_end_in_000(org_tree):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            name="西街道", kind=UnitKind.STREET, parent=org_tree.bureau, code="370899002001"
        )
    assert "000" in error.value.message_dict["code"][0]


def test_unit_code_must_be_unique(org_tree):
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            name="重复", kind=UnitKind.COMMUNITY, parent=org_tree.street, code="370899001001"
        )
    assert "already used" in error.value.message_dict["code"][0]


def test_handling_unit_needs_a_type(org_tree):
    with pytest.raises(ValidationError) as error:
        services.unit_create(name="园林所", kind=UnitKind.HANDLING, parent=org_tree.bureau)
    assert "handling_type" in error.value.message_dict


def test_unit_cannot_be_deleted_once_recorded(org_tree):
    """Its creation record refers to the unit for ever: deactivate it instead."""
    with pytest.raises(ProtectedError):
        org_tree.command.delete()
    assert Unit.objects.filter(pk=org_tree.command.pk).exists()
