"""Demo reports at every stage of the loop, driven through the same services and
verbs as real work (so their records, replies and text messages are real too). Every
finished report has been answered: the demo's feedback rate is 100 %.

They are dated back from the moment of loading on the working calendar, so that the
running ones show every light whenever the demo is loaded: green (dispatched within
the hour), yellow (an 8-hour emergency dispatched 6.5 hours ago) and red (dispatched three
working days ago with a limit of hours, and supervised, 督办)."""

import datetime

from django.utils import timezone

from yangguang.categories.models import Category
from yangguang.core.demo_photos import after_photo
from yangguang.grids.models import Grid
from yangguang.notify.services import messages_settle_for_demo
from yangguang.org.enums import PostCode
from yangguang.org.models import User
from yangguang.reports.enums import Channel, DisposalMode, Rating, ReportKind, Status
from yangguang.reports.models import Report
from yangguang.reports.services import (
    NewReport,
    deadlines_check,
    report_rate,
    report_reply,
    report_submit,
    supervision_issue,
)
from yangguang.reports.workflow import report_transition
from yangguang.worktime.calendar import add_working_days
from yangguang.worktime.selectors import work_calendar

STANDARD = "GB/T 47678.5-2026"

# (category kind, code, description, address, reporter, phone, how far it goes)
SCENARIOS = [
    (
        "component",
        "01037",
        "小区门口的路灯连续三晚不亮，行人容易摔倒。",
        "朝阳社区东门",
        "王先生",
        "13905370001",
        "closed_satisfied",
    ),
    (
        "event",
        "09006",
        "早市摊贩占用人行道经营，行人只能走机动车道。",
        "文化路与建设路口",
        "",
        "13905370002",
        "closed_basically",
    ),
    (
        "event",
        "06013",
        "人行道地砖破损翘起，老人容易绊倒。",
        "阳光花园3号楼北侧",
        "李女士",
        "13905370003",
        "closed_satisfied",
    ),
    (
        "component",
        "01026",
        "沟槽盖板松动，车辆经过时响声很大。",
        "和平街12号门前",
        "",
        "",
        "closed_satisfied",
    ),
    (
        "event",
        "07001",
        "电线杆上贴满了小广告。",
        "振兴路公交站",
        "赵先生",
        "13905370005",
        "handled",
    ),
    (
        "event",
        "09005",
        "餐馆把桌椅摆到店外人行道上。",
        "建设路28号",
        "",
        "13905370006",
        "in_progress_red",
    ),
    (
        "component",
        "01037",
        "路灯白天也亮着，浪费电。",
        "滨河路中段",
        "孙女士",
        "13905370007",
        "dispatched",
    ),
    (
        "component",
        "01003",
        "雨水井盖破损塌陷，雨天积水，车辆经过很危险。",
        "和平街与文化路口",
        "",
        "13905370012",
        "in_progress_yellow",
    ),
    (
        "event",
        "06028",
        "夜间施工噪声扰民，凌晨一点还在作业。",
        "阳光花园南侧工地",
        "",
        "13905370008",
        "delay_requested",
    ),
    (
        "event",
        "09006",
        "路口有流动摊贩卖水果，占了半条人行道。",
        "文化路与建设路口",
        "周先生",
        "13905370009",
        "submitted",
    ),
    (
        "event",
        "09006",
        "文化路口又有摊贩占道。",
        "文化路与建设路口",
        "",
        "13905370010",
        "submitted",
    ),
]

# Public summaries the intake operator wrote instead of the proposal, by category code:
# what the public reads on Open311 and the tracking page, never the reporter's words.
EDITED_SUMMARIES = {"09005": "店外摆放桌椅占用人行道 · 建设路"}


def _category(kind: str, code: str) -> Category:
    return Category.objects.get(standard__code=STANDARD, kind=kind, code=code)


def _position(index: int, grids: list[Grid]) -> tuple[float, float]:
    """A grid of the first squadron's area; the two last reports share a place, as
    duplicates do."""
    grid = grids[min(index, 9) % len(grids)]
    return (grid.min_lon + grid.max_lon) / 2, (grid.min_lat + grid.max_lat) / 2


def working_morning(now: datetime.datetime, days_back: int) -> datetime.datetime:
    """10:00 on the ``days_back``-th working day before ``now``'s day."""
    calendar = work_calendar()
    day = timezone.localdate(now)
    while days_back:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            days_back -= 1
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _submitted_at(stage: str, now: datetime.datetime) -> datetime.datetime:
    """When the scenario's report came in, so that its light is what the stage says."""
    hours = datetime.timedelta(hours=1)
    if stage == "submitted":
        return now - hours / 3
    if stage in {"dispatched", "delay_requested"}:
        return now - hours * 1.5  # dispatched within the hour: green
    if stage == "in_progress_yellow":
        # An 8-hour emergency dispatched 6.5 hours ago: yellow for the next 1.5 hours.
        return now - hours * 6.5 - datetime.timedelta(minutes=20)
    if stage == "in_progress_red":
        return working_morning(now, 3)  # 4 working hours, three working days ago: red
    return working_morning(now, 6 if stage.startswith("closed") else 2)


HANDLED_AFTER = datetime.timedelta(hours=2)


def demo_reports_load(*, now: datetime.datetime | None = None) -> int:
    """Create the demo reports (skipped when reports exist), dated back from ``now``.
    Returns how many."""
    if Report.objects.exists():
        return 0
    now = now or timezone.now()
    staff = {
        user.username: user
        for user in User.objects.filter(
            username__in=["shouli", "paiqian", "zhibanzhang", "jianduyuan", "zhifa1"]
        )
    }
    grids = list(Grid.objects.filter(squadron__code="ZD01").order_by("code")[:12])
    for index, (kind, code, description, address, name, phone, stage) in enumerate(SCENARIOS):
        longitude, latitude = _position(index, grids)
        report, _token = report_submit(
            data=NewReport(
                kind=ReportKind.PROBLEM,
                channel=Channel.HOTLINE if index % 3 == 1 else Channel.WEB,
                description=description,
                category=_category(kind, code),
                address=address,
                longitude=longitude,
                latitude=latitude,
                reporter_name=name,
                reporter_phone=phone,
            ),
            actor=staff["shouli"] if index % 3 == 1 else None,
            now=_submitted_at(stage, now),
        )
        _advance(report, stage, staff, at=_submitted_at(stage, now))
    question, _token = report_submit(
        data=NewReport(
            kind=ReportKind.CONSULTATION,
            channel=Channel.HOTLINE,
            description="请问装修垃圾应该放在哪里？",
            reporter_phone="13905370011",
        ),
        actor=staff["shouli"],
        now=working_morning(now, 1),
    )
    report_transition(
        report=question,
        verb="answer",
        actor=staff["shouli"],
        reply="装修垃圾请装袋后投放到小区指定的装修垃圾堆放点，或预约环卫部门上门清运。",
        now=working_morning(now, 1) + datetime.timedelta(minutes=5),
    )
    _supervise_the_overdue(staff["zhibanzhang"], now)
    # The lights as the worker would set them now; its texts to the units' duty phones
    # are settled with the others.
    deadlines_check(now=now)
    messages_settle_for_demo()
    return len(SCENARIOS) + 1


def _supervise_the_overdue(shift_lead: User, now: datetime.datetime) -> None:
    """督办 on the overdue report, to be answered by the end of the next working day."""
    overdue = Report.objects.filter(status=Status.IN_PROGRESS, deadline__lt=now).first()
    if overdue is None:
        return
    supervision_issue(
        report=overdue,
        instruction="该事项已超时，请立即处置并于明日下班前书面回复处置情况。",
        deadline=add_working_days(now, 1, calendar=work_calendar()),
        actor=shift_lead,
    )


STAGES = [
    "submitted",
    "dispatched",
    "in_progress",
    "delay_requested",
    "handled",
    "closed",
]


def _handler(report: Report, staff: dict[str, User]) -> User:
    """Who claims the report in its unit: the unit's handler, or a squadron officer."""
    if report.unit.kind != "handling":
        return staff["zhifa1"]
    return User.objects.filter(unit=report.unit, posts__code=PostCode.HANDLER).first()


def _advance(report: Report, stage: str, staff: dict[str, User], *, at: datetime.datetime) -> None:
    order = STAGES.index(next(step for step in STAGES if stage.startswith(step)))
    if order < STAGES.index("dispatched"):
        return
    minutes = datetime.timedelta(minutes=1)
    # Registration approves the public summary: the proposal (category · community), or
    # what the intake operator wrote instead.
    report_transition(
        report=report,
        verb="accept",
        actor=staff["shouli"],
        public_summary=EDITED_SUMMARIES.get(report.category.code, ""),
        now=at + 10 * minutes,
    )
    report = report_transition(
        report=report, verb="dispatch", actor=staff["paiqian"], now=at + 20 * minutes
    )
    handler = _handler(report, staff)
    if order < STAGES.index("in_progress"):
        return
    report_transition(report=report, verb="claim", actor=handler, now=at + 40 * minutes)
    if stage == "delay_requested":
        report_transition(
            report=report,
            verb="request_delay",
            actor=handler,
            reason="需协调建设单位调整施工时间，申请延期",
            amount="2",
            now=at + 50 * minutes,
        )
        return
    if order < STAGES.index("handled"):
        return
    report_transition(
        report=report,
        verb="handle",
        actor=handler,
        result="已到现场处理完毕，并对当事人进行了宣传教育。",
        disposal_mode=DisposalMode.SERVICE,
        photos=[after_photo(report.pk)],
        now=at + 20 * minutes + HANDLED_AFTER,
    )
    if stage == "handled":
        return
    # Verified, answered and closed at the moment of loading: the reply is sent then.
    report_transition(report=report, verb="verify_pass", actor=staff["jianduyuan"])
    report_reply(
        report=report,
        text="您反映的问题已处理完毕，感谢您对城市管理工作的支持。",
        actor=staff["zhibanzhang"],
    )
    messages_settle_for_demo()
    report_transition(report=report, verb="close", actor=staff["zhibanzhang"])
    rating = Rating.BASICALLY if stage == "closed_basically" else Rating.SATISFIED
    report_rate(report=report, rating=rating)
