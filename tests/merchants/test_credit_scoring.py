"""Credit scores from events: the scheme's base points each year plus the events of that
year, grades by band, red and black lists (docs/merchants.md: 日照 北京路街道 1,000 points a
year reset yearly, A/B/C/D; the national rule's 一般/严重失信)."""

import pytest
from django.core.exceptions import ValidationError

from tests.merchants.helpers import at, merchant, shop
from yangguang.credit.enums import CreditList, EventKind
from yangguang.credit.events import event_record
from yangguang.credit.models import CreditEvent, CreditScheme, CreditScore
from yangguang.credit.scheme import DEFAULT_RULES, rules_from
from yangguang.credit.scoring import (
    active_scheme,
    merchant_rescore,
    scheme_activate,
    scheme_save,
    scores_recompute,
)
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db
RULES = rules_from(DEFAULT_RULES)


def test_grade_boundaries_are_inclusive_at_each_bands_minimum():
    assert [RULES.band_for(p).grade for p in (1000, 950, 949, 850, 849, 700, 699, 0)] == [
        "A", "A", "B", "B", "C", "C", "D", "D",
    ]  # fmt: skip


def test_a_score_is_the_base_plus_each_events_points_and_never_below_zero():
    assert RULES.score([("report_verified", "", 2), ("commendation", "", 1)]) == 1000 - 40 + 50
    assert RULES.score([("penalty_decided", "grave", 5)]) == 0
    assert RULES.points_for("penalty_decided", "serious") == -200


def _event(owner, source, kind=EventKind.REPORT_VERIFIED, *, when, severity=""):
    return event_record(
        merchant=owner,
        kind=kind,
        source=source,
        severity=severity,
        reason="测试",
        occurred_at=when,
        now=when,
    )


def test_the_year_resets_the_score_events_of_last_year_no_longer_count(city):
    owner = merchant(city, now=at(2026, 1, 5, 9))
    front = shop(city, owner)
    _event(owner, front, when=at(2026, 6, 1, 10))
    _event(owner, owner, EventKind.RECTIFICATION_OVERDUE, when=at(2026, 12, 31, 23))
    assert CreditScore.objects.get(merchant=owner).points == 1000 - 20 - 50
    # 2027-01-01 00:30 in Shanghai is still 2026 in UTC: the bureau's year counts.
    score = merchant_rescore(merchant_id=owner.pk, now=at(2027, 1, 1, 0, 30))
    assert (score.year, score.points, score.grade) == (2027, 1000, "A")


def test_the_same_source_never_makes_the_same_event_twice_and_each_event_is_recorded(city):
    owner = merchant(city)
    front = shop(city, owner)
    first = _event(owner, front, when=at(2026, 6, 1, 10))
    assert first is not None
    assert _event(owner, front, when=at(2026, 6, 2, 10)) is None
    assert CreditEvent.objects.filter(merchant=owner).count() == 1
    entry = RecordEntry.objects.filter(action="credit.event").get()
    assert entry.object_id == str(owner.pk)
    assert f"merchants.shop:{front.pk}" in entry.changes["source"][1]


def test_black_list_after_a_serious_event_and_red_list_for_a_clean_a_grade(city, people):
    from tests.cases.test_law import decided

    clean = merchant(city, n=1)
    dishonest = merchant(city, n=2)
    _event(clean, clean, EventKind.COMMENDATION, when=at(2026, 6, 1))
    _event(
        dishonest,
        decided(people),
        EventKind.PENALTY_DECIDED,
        severity="grave",
        when=at(2026, 9, 30),
    )
    scores = {s.merchant_id: s for s in CreditScore.objects.all()}
    assert scores[clean.pk].credit_list == CreditList.RED
    assert scores[dishonest.pk].credit_list == CreditList.BLACK
    assert scores[dishonest.pk].grade == "C"  # 1000 - 300


def test_a_new_version_of_the_active_scheme_becomes_active_and_rescores_everyone(city):
    owner = merchant(city)
    _event(owner, owner, EventKind.RECTIFICATION_OVERDUE, when=at(2026, 6, 1))
    admin = city.people[PostCode.SYSTEM_ADMIN]
    harsher = {
        **DEFAULT_RULES,
        "points": {**DEFAULT_RULES["points"], "rectification_overdue": -400},
    }
    scheme = scheme_save(
        code="abcd", name="A/B/C/D", rules=harsher, note="逾期加重", actor=admin, now=at(2026, 6, 2)
    )
    assert scheme.version == 2
    assert scheme.active
    assert CreditScheme.objects.get(code="abcd", version=1).active is False
    assert CreditScore.objects.get(merchant=owner).points == 600
    stars = CreditScheme.objects.get(code="stars")
    scheme_activate(scheme=stars, actor=admin, now=at(2026, 6, 3))
    assert active_scheme() == stars
    # The stars scheme counts an overdue 整改 −50: 950 points are ★★★★.
    assert CreditScore.objects.get(merchant=owner).grade == "4"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bands": [{"grade": "A", "min_points": 900}]}, "between 2 and 10"),
        (
            {
                "bands": [
                    {"grade": "A", "min_points": 800},
                    {"grade": "B", "min_points": 900},
                    {"grade": "C", "min_points": None},
                ]
            },
            "lower than the band above",
        ),
        ({"points": {"no_such_kind": -5}}, "no event kind"),
        ({"base_points": "1000"}, "whole number"),
        ({"repair_months": {"general": 3}}, "general and serious"),
        ({"red_list": {"grades": ["S"]}}, "no band has"),
    ],
)
def test_a_bad_scheme_is_refused_with_what_is_wrong_and_nothing_is_saved(city, change, message):
    before = CreditScheme.objects.count()
    with pytest.raises(ValidationError) as refused:
        scheme_save(
            code="abcd",
            name="坏方案",
            rules={**DEFAULT_RULES, **change},
            note="",
            actor=city.people[PostCode.SYSTEM_ADMIN],
        )
    assert message in " ".join(refused.value.messages)
    assert CreditScheme.objects.count() == before


def test_only_the_system_administrator_changes_schemes(city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        scheme_save(
            code="abcd", name="x", rules=DEFAULT_RULES, note="", actor=city.people[PostCode.LEADER]
        )


def test_recomputing_everyone_in_batches_matches_one_by_one(city):
    owners = [merchant(city, n=n) for n in range(1, 6)]
    for number, owner in enumerate(owners):
        for _ in range(number):
            CreditEvent.objects.create(
                merchant=owner,
                kind=EventKind.REPORT_VERIFIED,
                occurred_at=at(2026, 5, 1),
                year=2026,
                source_type="test",
                source_id=str(_) + str(number),
                source_repr="x",
                reason="x",
                recorded_at=at(2026, 5, 1),
            )
    assert scores_recompute(now=at(2026, 6, 1), batch=2) == 5
    assert [CreditScore.objects.get(merchant=o).points for o in owners] == [
        1000,
        980,
        960,
        940,
        920,
    ]


def test_the_worker_rescores_everyone_once_when_the_year_turns(city):
    from yangguang.credit.scoring import scores_new_year

    owner = merchant(city, now=at(2026, 5, 1))
    _event(owner, owner, EventKind.RECTIFICATION_OVERDUE, when=at(2026, 6, 1))
    assert scores_new_year(now=at(2026, 12, 31, 23, 59)) == 0
    assert scores_new_year(now=at(2027, 1, 1, 0, 1)) == 1
    assert CreditScore.objects.get(merchant=owner).points == 1000
    assert scores_new_year(now=at(2027, 1, 1, 0, 2)) == 0


def test_without_an_active_scheme_the_shipped_default_is_restored_rather_than_failing(city):
    CreditScheme.objects.update(active=False)
    owner = merchant(city)
    assert CreditScore.objects.get(merchant=owner).grade == "A"
    restored = CreditScheme.objects.get(active=True)
    assert (restored.code, restored.version) == ("abcd", 2)


def test_a_figure_too_large_for_a_score_is_refused(city):
    with pytest.raises(ValidationError, match="at most 1000000"):
        scheme_save(
            code="abcd",
            name="坏方案",
            rules={**DEFAULT_RULES, "base_points": 10**30},
            note="",
            actor=city.people[PostCode.SYSTEM_ADMIN],
        )
