"""The public summary (reports.public): what every public surface shows of a report
instead of the reporter's words — approved at registration (受理), changed only by a
recorded edit, and never carrying a phone or identity number.

个人信息保护法 (PIPL) art 6 (minimum necessary) and art 28 (sensitive personal
information); 等保2.0 GB/T 22239-2019 8.1.4.10 (个人信息保护)."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.reports.helpers import go, submit
from yangguang.categories.models import Category
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.records.verify import chain_verify
from yangguang.reports.enums import Status
from yangguang.reports.models import PUBLIC_SUMMARY_MAX, Report
from yangguang.reports.public import (
    public_location,
    public_summary_default,
    public_what,
    validate_public_summary,
)
from yangguang.reports.services import report_public_summary_set
from yangguang.reports.workflow import TransitionRefused

# A complaint about a neighbour: a third person's name, a flat and a phone number.
THIRD_PERSON = {
    "description": "3号楼2单元501室的张建国长期在楼道堆放杂物，他的电话13800138000",
    "address": "阳光花园3号楼2单元501室",
}
MOBILE_NUMBERS = [
    "13800138000",
    "138 0013 8000",
    "138-0013-8000",
    "+8613800138000",
    "１３８００１３８０００",  # full-width digits
]
ID_NUMBERS = ["11010519491231002X", "110105194912310021", "11010519491231002x"]


def entries(report, action: str) -> list[RecordEntry]:
    return list(
        RecordEntry.objects.filter(
            object_type="reports.report", object_id=str(report.pk), action=action
        ).order_by("sequence")
    )


def summary_error(refused: pytest.ExceptionInfo) -> list[str]:
    return refused.value.message_dict["public_summary"]


def test_location_is_the_street_and_community_never_the_address(city):
    report, _ = submit(city, **THIRD_PERSON)
    assert public_location(report) == "东街道一社区"


def test_default_summary_is_the_category_and_the_location(city):
    """PIPL art 6: the minimum the public needs — what and roughly where."""
    report, _ = submit(city, **THIRD_PERSON)
    assert public_summary_default(report) == "路灯 · 东街道一社区"


def test_default_summary_of_a_report_outside_the_grids_is_the_category(city):
    report, _ = submit(city, longitude=None, latitude=None, **THIRD_PERSON)
    assert public_summary_default(report) == "路灯"


def test_no_summary_before_registration_only_the_category(city):
    """Before 受理 the public reads the category, never the description."""
    report, _ = submit(city, **THIRD_PERSON)
    assert (report.public_summary, public_what(report)) == ("", "路灯")


def test_registration_approves_the_default_summary_and_records_it(city):
    """The approval is part of the 受理 entry of the chain (等保2.0 8.1.4.10)."""
    report, _ = submit(city, **THIRD_PERSON)
    report = go(report, "accept", PostCode.INTAKE, city)
    assert report.public_summary == "路灯 · 东街道一社区"
    (accepted,) = entries(report, "report.accept")
    assert accepted.changes["public_summary"] == ["", "路灯 · 东街道一社区"]
    assert chain_verify().ok


def test_registration_with_an_edited_summary(city):
    report, _ = submit(city, **THIRD_PERSON)
    report = go(
        report, "accept", PostCode.INTAKE, city, public_summary="  楼道堆放杂物 ·\n东街道一社区 "
    )
    assert report.public_summary == "楼道堆放杂物 · 东街道一社区"
    (accepted,) = entries(report, "report.accept")
    assert accepted.changes["public_summary"] == ["", "楼道堆放杂物 · 东街道一社区"]


def test_unedited_proposal_follows_the_category_chosen_at_registration(city):
    stall = Category.objects.get(standard__code="GB/T 47678.5-2026", kind="event", code="09006")
    report, _ = submit(city, **THIRD_PERSON)
    report = go(
        report,
        "accept",
        PostCode.INTAKE,
        city,
        category=stall,
        public_summary=public_summary_default(report),
    )
    assert report.public_summary == "占道经营 · 东街道一社区"


def test_summary_may_name_the_road_and_hold_other_numbers(city):
    report, _ = submit(city, **THIRD_PERSON)
    text = "占道经营 · 文化路与建设路口，2026年11月22日起，约3个摊位"
    assert go(report, "accept", PostCode.INTAKE, city, public_summary=text).public_summary == text


@pytest.mark.parametrize("number", MOBILE_NUMBERS)
def test_registration_refuses_a_summary_with_a_mobile_number(city, number):
    """PIPL art 6, art 28: a phone number is never published. Nothing is written."""
    report, _ = submit(city, **THIRD_PERSON)
    with pytest.raises(ValidationError) as refused:
        go(report, "accept", PostCode.INTAKE, city, public_summary=f"楼道堆放杂物，联系{number}")
    assert summary_error(refused) == [
        "The public summary contains a mobile phone number; remove it (it is published)."
    ]
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert entries(report, "report.accept") == []


@pytest.mark.parametrize("number", ID_NUMBERS)
def test_registration_refuses_a_summary_with_an_identity_number(city, number):
    """PIPL art 28: an identity number is sensitive personal information (GB 11643)."""
    report, _ = submit(city, **THIRD_PERSON)
    with pytest.raises(ValidationError) as refused:
        go(report, "accept", PostCode.INTAKE, city, public_summary=f"当事人身份证{number}")
    assert summary_error(refused) == [
        "The public summary contains an identity number; remove it (it is published)."
    ]
    assert Report.objects.get(pk=report.pk).public_summary == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("路灯\x00不亮", "The text contains a NUL character, which cannot be stored."),
        ("路" * (PUBLIC_SUMMARY_MAX + 1), "The public summary is longer than 200 characters."),
        ("王小明反映路灯不亮", "The public summary names a reporter; remove it (it is published)."),
    ],
)
def test_registration_refuses_a_bad_summary(city, text, message):
    report, _ = submit(city, **THIRD_PERSON)
    with pytest.raises(ValidationError) as refused:
        go(report, "accept", PostCode.INTAKE, city, public_summary=text)
    assert summary_error(refused) == [message]
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_validator_accepts_a_summary_at_the_length_limit():
    validate_public_summary("路" * PUBLIC_SUMMARY_MAX)


@pytest.mark.parametrize("who", [PostCode.INTAKE, PostCode.SHIFT_LEAD])
def test_summary_changed_later_by_intake_or_shift_lead_is_recorded(city, who):
    """A later change is its own entry in the chain, with the text before and after."""
    report, _ = submit(city, **THIRD_PERSON)
    report = go(report, "accept", PostCode.INTAKE, city)
    report = report_public_summary_set(
        report=report, text="楼道堆放杂物 · 东街道一社区", actor=city.people[who]
    )
    assert Report.objects.get(pk=report.pk).public_summary == "楼道堆放杂物 · 东街道一社区"
    (changed,) = entries(report, "report.public_summary")
    assert changed.changes == {
        "public_summary": ["路灯 · 东街道一社区", "楼道堆放杂物 · 东街道一社区"]
    }
    assert changed.actor_id == city.people[who].pk
    assert chain_verify().ok


def test_summary_changed_to_the_same_text_records_nothing(city):
    report, _ = submit(city, **THIRD_PERSON)
    report = go(report, "accept", PostCode.INTAKE, city)
    report_public_summary_set(
        report=report, text="路灯 · 东街道一社区", actor=city.people[PostCode.INTAKE]
    )
    assert entries(report, "report.public_summary") == []


@pytest.mark.parametrize("who", [PostCode.DISPATCHER, PostCode.HANDLER, PostCode.INSPECTOR])
def test_summary_change_by_another_post_is_refused(city, who):
    report, _ = submit(city, **THIRD_PERSON)
    report = go(report, "accept", PostCode.INTAKE, city)
    with pytest.raises(TransitionRefused) as refused:
        report_public_summary_set(report=report, text="楼道堆放杂物", actor=city.people[who])
    assert refused.value.code == "not_permitted"
    assert Report.objects.get(pk=report.pk).public_summary == "路灯 · 东街道一社区"


def test_summary_change_before_registration_is_refused(city):
    report, _ = submit(city, **THIRD_PERSON)
    with pytest.raises(TransitionRefused) as refused:
        report_public_summary_set(
            report=report, text="楼道堆放杂物", actor=city.people[PostCode.INTAKE]
        )
    assert refused.value.code == "not_registered"
    assert Report.objects.get(pk=report.pk).public_summary == ""


@pytest.mark.parametrize("text", ["张建国电话13800138000", "身份证11010519491231002X", "  "])
def test_summary_change_with_personal_data_is_refused_and_not_recorded(city, text):
    """PIPL art 6, art 28; 等保2.0 8.1.4.10: the same rule as at registration."""
    report, _ = submit(city, **THIRD_PERSON)
    report = go(report, "accept", PostCode.INTAKE, city)
    with pytest.raises(ValidationError) as refused:
        report_public_summary_set(report=report, text=text, actor=city.people[PostCode.INTAKE])
    assert list(refused.value.message_dict) == ["public_summary"]
    assert Report.objects.get(pk=report.pk).public_summary == "路灯 · 东街道一社区"
    assert entries(report, "report.public_summary") == []


def test_no_summary_while_awaiting_intake_is_a_database_constraint(city):
    report, _ = submit(city)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(public_summary="路灯")


def test_summary_stays_through_the_loop_and_a_reopening(city):
    report, _ = submit(city)
    report = go(report, "accept", PostCode.INTAKE, city, public_summary="路灯不亮 · 东街道")
    report = go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    assert Report.objects.get(pk=report.pk).public_summary == "路灯不亮 · 东街道"


def _migration():
    return importlib.import_module(
        "yangguang.reports.migrations.0005_public_summary_of_registered_reports"
    )


def test_migration_gives_registered_problems_the_default_summary_and_reverses(city):
    """Reports registered before summaries existed: category + community, never their
    words; awaiting intake, rejected or merged ones get none. The reverse empties them."""
    registered, _ = submit(city, **THIRD_PERSON)
    registered = go(registered, "accept", PostCode.INTAKE, city)
    dispatched, _ = submit(city, **THIRD_PERSON)
    go(dispatched, "accept", PostCode.INTAKE, city)
    go(dispatched, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    waiting, _ = submit(city, **THIRD_PERSON)
    rejected, _ = submit(city, **THIRD_PERSON)
    go(rejected, "reject", PostCode.INTAKE, city, reason="不属于城管职责")
    Report.objects.update(public_summary="")
    migration = _migration()

    migration.set_default_summaries(apps, None)

    summaries = dict(Report.objects.values_list("pk", "public_summary"))
    assert summaries == {
        registered.pk: "路灯 · 东街道一社区",
        dispatched.pk: "路灯 · 东街道一社区",
        waiting.pk: "",
        rejected.pk: "",
    }
    migration.clear_summaries(apps, None)
    assert set(Report.objects.values_list("public_summary", flat=True)) == {""}
