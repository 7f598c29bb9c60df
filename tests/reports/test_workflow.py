"""The report loop (reference.md §1.5): the transition table, each post's verbs, and
the rules of the loop."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.reports.helpers import deliver, go, photo, submit
from yangguang.notify.models import Message, MessageStatus
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.records.verify import chain_verify
from yangguang.reports.enums import DisposalMode, Rating, ReportKind, Status
from yangguang.reports.models import Report
from yangguang.reports.routing import duplicate_candidates
from yangguang.reports.services import (
    report_rate,
    report_reply,
    supervision_issue,
    supervision_reply,
)
from yangguang.reports.workflow import (
    ALLOWED_TRANSITIONS,
    MOVES,
    TransitionRefused,
    report_transition,
)

S = Status
EXPECTED = {
    (S.SUBMITTED, S.REGISTERED),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.VOID),
    (S.SUBMITTED, S.CLOSED),
    (S.SUBMITTED, S.MERGED),
    (S.REGISTERED, S.MERGED),
    (S.REGISTERED, S.DISPATCHED),
    (S.RETURNED, S.DISPATCHED),
    (S.DISPATCHED, S.RETURNED),
    (S.DISPATCHED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.DELAY_REQUESTED),
    (S.IN_PROGRESS, S.SHELVE_REQUESTED),
    (S.DELAY_REQUESTED, S.IN_PROGRESS),
    (S.SHELVE_REQUESTED, S.SHELVED),
    (S.SHELVE_REQUESTED, S.IN_PROGRESS),
    (S.SHELVED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.HANDLED),
    (S.HANDLED, S.VERIFIED),
    (S.HANDLED, S.IN_PROGRESS),
    (S.VERIFIED, S.CLOSED),
    (S.CLOSED, S.REGISTERED),
}


def test_the_table_is_the_loop():
    assert set(ALLOWED_TRANSITIONS) == EXPECTED


def test_every_status_and_verb_pair_is_checked(city):
    """All (status, verb) pairs: a verb outside its source statuses is refused for the
    status, whoever asks; inside them, the status is never the reason."""
    report, _ = submit(city)
    leader = city.people[PostCode.LEADER]
    for status in Status:
        Report.objects.filter(pk=report.pk).update(status=status)
        for verb, move in MOVES.items():
            with pytest.raises(TransitionRefused) as refused:
                report_transition(report=report, verb=verb, actor=leader, reason="")
            expected_wrong_status = status not in move.sources
            assert (refused.value.code == "wrong_status") == expected_wrong_status, (status, verb)


def test_the_whole_loop_across_posts(city):
    """受理 → 派遣 → 回退 → 派遣 → 处置 (延期, 挂账, 督办) → 核查 返工 → 处置 → 核查 →
    答复 → 结案 → 不满意 → 重新办理, with a merged duplicate answered too."""
    report, _ = submit(city)
    duplicate, _ = submit(city, reporter_name="李四", reporter_phone="13700000001")
    assert duplicate_candidates(duplicate) == [report]

    report = go(report, "accept", PostCode.INTAKE, city)
    go(duplicate, "merge", PostCode.INTAKE, city, into=report)
    assert sorted(r.name for r in report.reporters.all()) == ["李四", "王小明"]

    report = go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    assert (report.status, report.unit) == (S.DISPATCHED, city.org.municipal)
    assert report.deadline > report.warn_at > report.dispatched_at

    report = go(report, "return", PostCode.HANDLER, city, reason="不属于我单位管辖")
    assert (report.status, report.unit) == (S.RETURNED, None)
    report = go(report, "dispatch", PostCode.SHIFT_LEAD, city, unit=city.org.municipal)
    report = go(report, "claim", PostCode.HANDLER, city)

    first_deadline = report.deadline
    report = go(report, "request_delay", PostCode.HANDLER, city, reason="需采购灯具", amount="2")
    report = go(report, "approve_delay", PostCode.SHIFT_LEAD, city)
    assert (report.status, report.delay_count) == (S.IN_PROGRESS, 1)
    assert report.deadline > first_deadline

    report = go(report, "request_shelve", PostCode.HANDLER, city, reason="线路改造，需等待供电部门")
    report = go(report, "approve_shelve", PostCode.SHIFT_LEAD, city)
    assert (report.status, report.deadline) == (S.SHELVED, None)
    report = go(report, "resume", PostCode.SHIFT_LEAD, city)
    assert report.deadline is not None

    order = supervision_issue(
        report=report,
        instruction="群众多次反映，请加快处理",
        deadline=timezone.now() + datetime.timedelta(days=1),
        actor=city.people[PostCode.LEADER],
    )
    supervision_reply(order=order, reply="已安排今晚抢修", actor=city.people[PostCode.HANDLER])

    report = go(
        report,
        "handle",
        PostCode.HANDLER,
        city,
        result="已更换灯具",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo("before-rework.jpg", size=20)],
    )
    report = go(report, "verify_fail", PostCode.INSPECTOR, city, reason="现场仍不亮")
    assert (report.status, report.rework_count) == (S.IN_PROGRESS, 1)
    report = go(
        report,
        "handle",
        PostCode.HANDLER,
        city,
        result="更换线路后已亮",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo("after-rework.jpg", size=24)],
    )
    report = go(report, "verify_pass", PostCode.INSPECTOR, city)

    with pytest.raises(TransitionRefused) as refused:
        go(report, "close", PostCode.SHIFT_LEAD, city)
    assert refused.value.code == "reply_missing"
    report_reply(
        report=report, text="路灯已修复，感谢您的反映。", actor=city.people[PostCode.SHIFT_LEAD]
    )
    with pytest.raises(TransitionRefused) as refused:
        go(report, "close", PostCode.SHIFT_LEAD, city)
    assert refused.value.code == "reply_missing"  # still queued
    deliver()
    report = go(report, "close", PostCode.SHIFT_LEAD, city)
    assert report.status == S.CLOSED
    replies = Message.objects.filter(purpose="reply", status=MessageStatus.SENT)
    assert sorted(replies.values_list("phone", flat=True)) == ["13700000001", "13912345678"]

    report_rate(report=report, rating=Rating.UNSATISFIED, comment="晚上还是暗")
    report = go(report, "reopen", PostCode.SHIFT_LEAD, city, reason="群众不满意，重新办理")
    assert (report.status, report.reopen_count) == (S.REGISTERED, 1)

    actions = list(
        RecordEntry.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[:4] == ["report.submit", "report.accept", "report.merged_in", "report.dispatch"]
    assert "report.supervise" in actions
    assert actions[-1] == "report.reopen"
    assert chain_verify().ok


def test_close_before_verification_is_refused_with_a_reason(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "close", PostCode.SHIFT_LEAD, city)
    assert refused.value.code == "wrong_status"
    assert refused.value.reason == "Cannot Close a report that is “Awaiting dispatch”."


def test_dispatch_by_an_inspector_is_refused(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "dispatch", PostCode.INSPECTOR, city, unit=city.org.municipal)
    assert refused.value.code == "not_permitted"
    assert Report.objects.get(pk=report.pk).status == S.REGISTERED


def test_only_the_assigned_unit_handles(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.squadron2)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "claim", PostCode.HANDLER, city)
    assert refused.value.code == "not_assigned"


def test_return_needs_a_reason(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "return", PostCode.HANDLER, city, reason=" ")
    assert refused.value.code == "reason_required"


def test_handling_needs_the_721_mode(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    go(report, "claim", PostCode.HANDLER, city)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "handle", PostCode.HANDLER, city, result="修好了")
    assert refused.value.code == "mode_required"


def test_reopen_only_once_and_only_when_unsatisfied(city):
    report, _ = submit(city)
    Report.objects.filter(pk=report.pk).update(status=S.CLOSED, rating=Rating.SATISFIED)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "reopen", PostCode.SHIFT_LEAD, city, reason="x")
    assert refused.value.code == "not_unsatisfied"
    Report.objects.filter(pk=report.pk).update(rating=Rating.UNSATISFIED, reopen_count=1)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "reopen", PostCode.SHIFT_LEAD, city, reason="x")
    assert refused.value.code == "reopened_already"


def test_question_is_answered_and_closed_without_dispatch(city):
    report, _ = submit(city, kind=ReportKind.CONSULTATION, category=None)
    report = go(
        report,
        "answer",
        PostCode.INTAKE,
        city,
        reply="占道经营按《城市市容和环境卫生管理条例》处理。",
    )
    assert (report.status, report.unit) == (S.CLOSED, None)
    deliver()
    assert Message.objects.filter(purpose="reply", status=MessageStatus.SENT).count() == 1


def test_rejection_answers_the_reporter_with_the_reason(city):
    report, _ = submit(city)
    report = go(
        report, "reject", PostCode.INTAKE, city, reason="该路段属于高速公路管理范围，请致电12122。"
    )
    assert report.public_reply.startswith("该路段属于高速公路")
    deliver()
    assert Message.objects.get(purpose="reply").status == MessageStatus.SENT


def test_failed_reply_blocks_closing_and_says_why(city, settings):
    report, _ = submit(city)
    Report.objects.filter(pk=report.pk).update(status=S.VERIFIED)
    report_reply(report=report, text="已处理", actor=city.people[PostCode.SHIFT_LEAD])
    Message.objects.filter(purpose="reply").update(status=MessageStatus.FAILED, last_error="空号")
    with pytest.raises(TransitionRefused) as refused:
        go(report, "close", PostCode.SHIFT_LEAD, city)
    assert "空号" in refused.value.reason


def test_hand_over_only_for_case_categories(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    go(report, "claim", PostCode.HANDLER, city)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "hand_over", PostCode.HANDLER, city)
    assert refused.value.code == "not_case_category"


def test_extension_in_working_days_must_be_whole(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    go(report, "claim", PostCode.HANDLER, city)
    with pytest.raises(TransitionRefused) as refused:
        go(report, "request_delay", PostCode.HANDLER, city, reason="x", amount=Decimal("1.5"))
    assert refused.value.code == "invalid"
