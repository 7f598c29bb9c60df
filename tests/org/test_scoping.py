import pytest
from django.http import Http404

from tests.factories import UserFactory
from yangguang.org.enums import PostCode
from yangguang.org.selectors import get_unit_for_user, staff_visible_to, units_visible_to


def test_squadron_leader_sees_only_his_squadron(personas, org_tree):
    leader = personas[PostCode.SQUAD_LEADER]
    assert set(units_visible_to(leader)) == {org_tree.squadron1}
    assert {u.username for u in staff_visible_to(leader)} == {
        "inspector",
        "officer",
        "squad_leader",
    }


def test_bureau_leader_sees_the_whole_bureau(personas, org_tree):
    leader = personas[PostCode.LEADER]
    assert units_visible_to(leader).count() == 11
    assert staff_visible_to(leader).count() == len(personas)


def test_bureau_wide_post_in_an_office_sees_the_whole_bureau(personas, org_tree):
    """A dispatcher sits in the command centre but dispatches across the bureau."""
    dispatcher = personas[PostCode.DISPATCHER]
    assert org_tree.squadron2 in units_visible_to(dispatcher)


def test_handling_unit_staff_see_only_their_unit(personas, org_tree):
    handler = personas[PostCode.HANDLER]
    assert list(units_visible_to(handler)) == [org_tree.municipal]


def test_unit_outside_scope_is_404(personas, org_tree):
    leader = personas[PostCode.SQUAD_LEADER]
    assert get_unit_for_user(user=leader, unit_id=org_tree.squadron1.pk) == org_tree.squadron1
    with pytest.raises(Http404):
        get_unit_for_user(user=leader, unit_id=org_tree.squadron2.pk)


def test_user_without_unit_sees_nothing(db):
    user = UserFactory(unit=None, posts=[PostCode.LEADER])
    assert list(units_visible_to(user)) == []
    assert list(staff_visible_to(user)) == []


def test_inactive_user_sees_nothing(personas):
    leader = personas[PostCode.LEADER]
    leader.is_active = False
    assert list(units_visible_to(leader)) == []
