"""Cases are scoped to the reader's units (数据权限): outside the scope a case does not
exist for the reader, and its facts cannot be changed."""

import pytest
from django.http import Http404

from tests.cases.helpers import P, new_case
from tests.factories import UserFactory
from yangguang.cases.procedure import case_transition
from yangguang.cases.selectors import cases_visible_to, get_case_for_user
from yangguang.cases.services import case_update_facts

pytestmark = pytest.mark.django_db


def test_an_officer_of_another_squadron_cannot_see_or_move_the_case(people, org_tree):
    case = new_case(people)
    outsider = UserFactory(unit=org_tree.squadron2, posts=[P.SQUAD_LEADER])
    assert list(cases_visible_to(outsider)) == []
    with pytest.raises(Http404):
        get_case_for_user(user=outsider, case_id=case.pk)
    with pytest.raises(Http404):
        case_transition(case_id=case.pk, verb="file", actor=outsider)
    with pytest.raises(Http404):
        case_update_facts(case_id=case.pk, actor=outsider, facts="改写")


def test_the_squadron_and_the_bureau_wide_posts_see_it(people):
    case = new_case(people)
    for post in (P.OFFICER, P.SQUAD_LEADER, P.LEGAL_REVIEWER, P.LEADER):
        assert get_case_for_user(user=people[post], case_id=case.pk) == case


def test_facts_can_be_corrected_during_the_investigation_and_are_recorded(people):
    case = new_case(people)
    case = case_update_facts(case_id=case.pk, actor=people[P.OFFICER], place="东街道二号")
    assert case.place == "东街道二号"
    with pytest.raises(Exception, match="cannot be discovered before"):
        case_update_facts(
            case_id=case.pk,
            actor=people[P.OFFICER],
            discovered_on=case.act_started_on.replace(year=2025),
        )
