"""The 权责清单 is the violation catalogue: the same current versions and the same
DiscretionGrade rows the discretion engine reads (行政处罚法 第三十四条: the standards
are published), with the remedies of 第三十九条."""

import dataclasses
from decimal import Decimal

import pytest

from tests.cases.helpers import load_catalogue
from yangguang.cases.catalogue import catalogue_save, items_from_json
from yangguang.cases.discretion import Facts, propose
from yangguang.cases.models import CaseRules, DiscretionGrade, Violation
from yangguang.disclosure.before import bureau_profile_save
from yangguang.disclosure.powers import power, powers, remedies
from yangguang.org.enums import PostCode

pytestmark = pytest.mark.django_db


def test_the_powers_are_the_current_catalogue(db):
    load_catalogue()

    listed = powers()

    current = Violation.objects.filter(is_current=True).order_by("code")
    assert [(p.code, p.name, p.version) for p in listed] == [
        (v.code, v.name, v.version) for v in current
    ]
    for item in listed:
        grades = DiscretionGrade.objects.filter(
            violation__code=item.code, violation__is_current=True
        )
        assert sorted((g.fine_min, g.fine_max, g.conditions) for g in item.grades) == sorted(
            (g.fine_min, g.fine_max, g.conditions) for g in grades
        )


def test_a_new_catalogue_version_shows_at_once(db):
    load_catalogue()
    items = items_from_json()
    item = next(i for i in items if i.grades)
    changed = dataclasses.replace(
        item,
        name=item.name + "（修订）",
        grades=[dataclasses.replace(g, fine_max=g.fine_max + Decimal(100)) for g in item.grades],
    )

    catalogue_save(items=[changed], actor=None, source="test")

    shown = power(item.code)
    assert (shown.name, shown.version) == (changed.name, 2)
    assert sorted(g.fine_max for g in shown.grades) == sorted(
        g.fine_max + Decimal(100) for g in item.grades
    )
    assert [p.name for p in powers() if p.code == item.code] == [changed.name]


def test_the_published_range_is_the_one_the_engine_proposes(db):
    load_catalogue()
    violation = Violation.objects.get(code="DQ-001", is_current=True)

    proposal = propose(violation=violation, facts=Facts(), party_kind="individual")

    shown = power("DQ-001")
    general = [
        g
        for g in shown.grades
        if (g.fine_min, g.fine_max) == (proposal.fine_min, proposal.fine_max)
    ]
    assert general, "the engine's proposed range is one of the published grades"
    assert shown.ranges[0].low == min(g.fine_min for g in shown.grades)
    assert shown.ranges[0].high == max(g.fine_max for g in shown.grades)


def test_an_item_the_local_regulation_fines_shows_no_invented_range(db):
    load_catalogue()

    shown = power("SR-001")

    assert (shown.local_basis_required, shown.grades, shown.ranges) == (True, [], [])


@pytest.mark.parametrize("code", ["", "NOPE", "x" * 21, "SR-\x00001", "ＳＲ-001"])
def test_unknown_codes_find_nothing(db, code):
    load_catalogue()

    assert power(code) is None


def test_remedies_name_the_reconsideration_body_and_the_court(personas):
    CaseRules.objects.create(pk=1, reconsideration_body="测试区人民政府")
    bureau_profile_save(
        actor=personas[PostCode.SYSTEM_ADMIN], name="测试局", court="测试区人民法院"
    )

    found = remedies()

    assert (found.reconsideration_body, found.reconsideration_days) == ("测试区人民政府", 60)
    assert (found.court, found.lawsuit_months, found.authority) == ("测试区人民法院", 6, "测试局")
    assert "第四十六条" in found.lawsuit_article
