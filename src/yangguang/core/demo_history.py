"""A month of history for the demo (issue 14): reports received over the last 30 days
in every sub-district, community and grid of the district, by several channels (the
public website, the hotline entered by the intake operator, patrol findings entered by
the grid inspectors, Open311), taken through the loop by the demo's staff — registered,
dispatched to the unit routing proposes, taken on, handled with a 721 disposal mode,
verified, answered, closed and rated; some returned, reworked, extended or late, some
left overdue, some not registered or only answered — so that this month's and last
month's rankings, the 721 pie, the top categories and the map's clusters and hot spots
have something to show.

Everything goes through ``reports.services`` and ``reports.workflow.report_transition``
with explicit ``now=`` times, so the record chain and the summaries (``reports.tally``)
stay what the services make them. The record's own entry times are those of the load
(entries only move forward): the posts' step counts land on the day of loading. A
reply (``report_reply``) is dated at the load too: the service takes no time.

A fixed seed keeps the demo the same on every load; steps that would fall after the
load moment are not taken, so the newest reports are still somewhere in the loop."""

import contextlib
import datetime
import random
from dataclasses import dataclass

import shapely
from django.utils import timezone

from yangguang.categories.models import Category
from yangguang.core.demo_photos import after_photo
from yangguang.grids.geometry import geometry_from_geojson
from yangguang.grids.models import Grid
from yangguang.notify.services import messages_settle_for_demo
from yangguang.org.enums import PostCode
from yangguang.org.models import Unit, User
from yangguang.org.rules import Action, permission_name
from yangguang.reports.enums import Channel, DisposalMode, Rating, ReportKind, Status
from yangguang.reports.models import Report
from yangguang.reports.routing import locate, propose_unit
from yangguang.reports.services import (
    NewReport,
    deadlines_check,
    report_rate,
    report_reply,
    report_submit,
)
from yangguang.reports.workflow import report_transition

DAYS_BACK = 30
COUNT = 150
SEED = 1430
# Tracking numbers of the history's reports carry this in their description: the
# load is skipped when one exists.
MARK = "（历史）"

HOT_SPOTS = 6  # grids where reports cluster
HOT_SHARE = 0.35
CHANNELS = [(Channel.WEB, 30), (Channel.HOTLINE, 35), (Channel.PATROL, 25), (Channel.OPEN311, 10)]
OUTCOMES = [
    ("closed", 52),
    ("late", 8),
    ("rework", 7),
    ("extended", 6),
    ("returned", 5),
    ("overdue", 6),
    ("handled", 3),
    ("rejected", 5),
    ("answered", 4),
    ("registered", 4),
]
MODES_721 = [
    (DisposalMode.SERVICE, 70),
    (DisposalMode.MANAGEMENT, 20),
    (DisposalMode.ENFORCEMENT, 10),
]
RATINGS = [(Rating.SATISFIED, 78), (Rating.BASICALLY, 15), (Rating.UNSATISFIED, 7), ("", 20)]
TOP_CATEGORIES = 18

WHAT = {
    "event": ["占道经营", "乱堆物料", "违规广告", "油烟扰民", "渣土撒漏", "暴露垃圾", "乱停乱放"],
    "component": ["路灯不亮", "井盖破损", "护栏损坏", "绿地缺株", "果皮箱破损", "路面坑洼"],
}
WHERE = ["文化路", "建设路", "朝阳街", "人民大道", "东关街", "阳光花园", "滨河路", "和平街"]
QUESTIONS = [
    "请问门店招牌更换需要办理什么手续？",
    "装修垃圾应该放在哪里？",
    "早市的摊位怎么申请？",
    "小区里的共享单车乱停归谁管？",
]
RESULTS = {
    DisposalMode.SERVICE: "已到现场劝导当事人自行整改，现场已恢复。",
    DisposalMode.MANAGEMENT: "已责令当事人限期改正并约谈负责人，现场已整改到位。",
    DisposalMode.ENFORCEMENT: "当事人拒不整改，已依法立案查处，现场已清理。",
}
REPLY = "您反映的问题已处理完毕，感谢您对城市管理工作的支持。"
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


class _Late(Exception):  # noqa: N818 - not an error: the next step lies after the load
    """The next step would fall after the load moment: the report stays where it is."""


@dataclass
class _Staff:
    intake: User
    dispatcher: User
    shift_lead: User
    handlers: dict[int, User | None]

    def handler(self, unit: Unit) -> User | None:
        """Someone in ``unit`` (or below it) who may take reports on."""
        if unit.pk not in self.handlers:
            allowed = permission_name(Action.REPORT_HANDLE)
            candidates = User.objects.filter(
                unit__path__startswith=unit.path, is_active=True
            ).order_by(
                "username"
            )  # fmt: skip
            preferred = [u for u in candidates if u.posts.filter(code=PostCode.HANDLER).exists()]
            self.handlers[unit.pk] = next(
                (u for u in [*preferred, *candidates] if u.has_perm(allowed)), None
            )
        return self.handlers[unit.pk]


class _Clock:
    """The times of one report's steps, never past the load moment."""

    def __init__(self, start: datetime.datetime, now: datetime.datetime) -> None:
        self.at = start
        self.now = now

    def after(self, delta: datetime.timedelta) -> datetime.datetime:
        moment = self.at + delta
        if moment > self.now - 5 * MINUTE:
            raise _Late
        self.at = moment
        return moment

    def until(self, moment: datetime.datetime) -> datetime.datetime:
        return self.after(max(moment - self.at, MINUTE))


def demo_history_load(*, now: datetime.datetime | None = None, count: int = COUNT) -> int:
    """Create the month of history (skipped when it is there). Returns the reports
    created."""
    if Report.objects.filter(description__endswith=MARK).exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)
    grids = list(Grid.objects.select_related("community").prefetch_related("officers"))
    if not grids:
        return 0
    staff = _Staff(
        intake=User.objects.get(username="shouli"),
        dispatcher=User.objects.get(username="paiqian"),
        shift_lead=User.objects.get(username="zhibanzhang"),
        handlers={},
    )
    categories = _categories(grids, rng)
    hot = rng.sample(grids, min(HOT_SPOTS, len(grids)))
    shapes: dict[int, object] = {}
    made = 0
    for index, received in enumerate(_arrivals(count, now, rng)):
        grid = rng.choice(hot) if rng.random() < HOT_SHARE else rng.choice(grids)
        outcome = _pick(rng, OUTCOMES)
        category = rng.choice(categories)
        lon, lat = _point_in(grid, shapes, rng, hot=grid in hot)
        report = _submit(index, received, grid, category, lon, lat, outcome, staff, rng)
        with contextlib.suppress(_Late):  # the rest of its loop lies after the load
            _advance(report, outcome, grid, staff, rng, _Clock(received, now))
        made += 1
    # The lights as the worker would set them now (yellow and red on the open ones).
    deadlines_check(now=now)
    messages_settle_for_demo()
    return made


def _pick(rng: random.Random, weighted: list[tuple]) -> object:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _arrivals(count: int, now: datetime.datetime, rng: random.Random) -> list[datetime.datetime]:
    """``count`` moments over the last ``DAYS_BACK`` days, in daytime hours, oldest first."""
    today = timezone.localdate(now)
    moments = []
    for _ in range(count):
        day = today - datetime.timedelta(days=rng.randint(0, DAYS_BACK - 1))
        clock = datetime.time(rng.randint(7, 20), rng.randint(0, 59))
        moment = timezone.make_aware(datetime.datetime.combine(day, clock))
        if moment > now - HOUR:
            moment = now - HOUR - rng.randint(1, 600) * MINUTE
        moments.append(moment)
    return sorted(moments)


def _categories(grids: list[Grid], rng: random.Random) -> list[Category]:
    """Categories that routing sends to a unit, the first few much more often (so the
    top categories have a shape)."""
    place = locate(
        longitude=(grids[0].min_lon + grids[0].max_lon) / 2,
        latitude=(grids[0].min_lat + grids[0].max_lat) / 2,
    )
    routed = [
        category
        for category in Category.objects.filter(is_active=True).select_related("handling_type")
        if propose_unit(category=category, place=place) is not None
    ]
    chosen = rng.sample(routed, min(TOP_CATEGORIES, len(routed)))
    # Zipf-like: the first appears about as often as the last six together.
    return [c for rank, c in enumerate(chosen, start=1) for _ in range(max(1, 12 // rank))]


def _point_in(grid: Grid, shapes: dict, rng: random.Random, *, hot: bool) -> tuple[float, float]:
    """A point inside ``grid``: near its middle for a hot spot, anywhere otherwise."""
    shape = shapes.get(grid.pk)
    if shape is None:
        shape = shapes[grid.pk] = geometry_from_geojson(grid.geometry)
    centre = shape.representative_point()
    spread = 0.08 if hot else 0.45
    for _ in range(12):
        lon = centre.x + (grid.max_lon - grid.min_lon) * spread * rng.uniform(-1, 1)
        lat = centre.y + (grid.max_lat - grid.min_lat) * spread * rng.uniform(-1, 1)
        if shape.contains(shapely.Point(lon, lat)):
            return lon, lat
    return centre.x, centre.y


def _submit(  # noqa: PLR0917 - one report's facts
    index, received, grid, category, lon, lat, outcome, staff, rng
) -> Report:
    if outcome == "answered":
        report, _token = report_submit(
            data=NewReport(
                kind=ReportKind.CONSULTATION,
                channel=Channel.HOTLINE,
                description=rng.choice(QUESTIONS) + MARK,
                reporter_phone=f"139053{index:05d}",
            ),
            actor=staff.intake,
            now=received,
        )
        return report
    channel = _pick(rng, CHANNELS)
    if channel == Channel.PATROL:
        actor = next(iter(grid.officers.all()), None) or staff.intake
    elif channel == Channel.HOTLINE:
        actor = staff.intake
    else:
        actor = None
    where = rng.choice(WHERE)
    what = rng.choice(WHAT.get(category.kind, WHAT["event"]))
    report, _token = report_submit(
        data=NewReport(
            kind=ReportKind.PROBLEM,
            channel=channel,
            description=f"{where}附近{what}，请尽快处理。{MARK}",
            category=category,
            address=f"{grid.community.name} · {where}{rng.randint(1, 300)}号",
            longitude=lon,
            latitude=lat,
            reporter_phone="" if channel == Channel.PATROL else f"139053{index:05d}",
        ),
        actor=actor,
        now=received,
    )
    return report


def _advance(  # noqa: PLR0911, PLR0917 - the loop, step by step, as the outcome says
    report: Report, outcome: str, grid: Grid, staff: _Staff, rng: random.Random, clock: _Clock
) -> None:
    if outcome == "answered":
        report_transition(
            report=report,
            verb="answer",
            actor=staff.intake,
            reply="您好，相关手续请到区政务服务中心综合窗口咨询办理。",
            now=clock.after(rng.randint(5, 40) * MINUTE),
        )
        return
    if outcome == "rejected":
        report_transition(
            report=report,
            verb="reject",
            actor=staff.intake,
            reason="经核实不属于城市管理事项，已告知向相关部门反映。",
            now=clock.after(rng.randint(10, 90) * MINUTE),
        )
        return
    report = report_transition(
        report=report,
        verb="accept",
        actor=staff.intake,
        now=clock.after(rng.randint(10, 60) * MINUTE),
    )
    if outcome == "registered" or report.proposed_unit_id is None:
        return
    report = _dispatch(report, staff, clock, rng)
    if outcome == "returned":
        handler = staff.handler(report.unit)
        if handler is None:
            return
        report = report_transition(
            report=report,
            verb="return",
            actor=handler,
            reason="该事项不属于本单位职责范围，请重新派遣。",
            now=clock.after(rng.randint(1, 4) * HOUR),
        )
        report = _dispatch(report, staff, clock, rng)
    handler = staff.handler(report.unit)
    if handler is None:
        return
    report = report_transition(
        report=report, verb="claim", actor=handler, now=clock.after(rng.randint(10, 120) * MINUTE)
    )
    if outcome == "overdue":
        return  # the deadline passes; the worker's check turns it red
    if outcome == "extended":
        report = report_transition(
            report=report,
            verb="request_delay",
            actor=handler,
            reason="需协调相关单位配合处置，申请延期。",
            amount="2",
            now=clock.after(rng.randint(1, 3) * HOUR),
        )
        report = report_transition(
            report=report,
            verb="approve_delay",
            actor=staff.shift_lead,
            now=clock.after(rng.randint(20, 90) * MINUTE),
        )
    report = _handle(report, handler, clock, rng, late=outcome == "late")
    if outcome == "handled":
        return
    inspector = next(iter(grid.officers.all()), None)
    if inspector is None:
        return
    if outcome == "rework":
        report = report_transition(
            report=report,
            verb="verify_fail",
            actor=inspector,
            reason="现场复核仍有残留，请返工处理。",
            photos=[after_photo(report.pk + 5000)],
            now=clock.after(rng.randint(1, 6) * HOUR),
        )
        report = _handle(report, handler, clock, rng, late=False)
    report = report_transition(
        report=report,
        verb="verify_pass",
        actor=inspector,
        photos=[after_photo(report.pk + 9000)],
        now=clock.after(rng.randint(1, 6) * HOUR),
    )
    _close(report, staff, clock, rng)


def _dispatch(report: Report, staff: _Staff, clock: _Clock, rng: random.Random) -> Report:
    return report_transition(
        report=report,
        verb="dispatch",
        actor=staff.dispatcher,
        now=clock.after(rng.randint(10, 90) * MINUTE),
    )


def _handle(
    report: Report, handler: User, clock: _Clock, rng: random.Random, *, late: bool
) -> Report:
    """Handled within the limit (most), or some hours after it."""
    if report.deadline is not None and late:
        moment = report.deadline + rng.randint(2, 30) * HOUR
    elif report.deadline is not None:
        moment = clock.at + (report.deadline - clock.at) * rng.uniform(0.15, 0.75)
    else:
        moment = clock.at + rng.randint(2, 8) * HOUR
    mode = _pick(rng, MODES_721)
    return report_transition(
        report=report,
        verb="handle",
        actor=handler,
        result=RESULTS[mode],
        disposal_mode=mode,
        photos=[after_photo(report.pk)],
        now=clock.until(moment),
    )


def _close(report: Report, staff: _Staff, clock: _Clock, rng: random.Random) -> None:
    moment = clock.after(rng.randint(20, 180) * MINUTE)
    report_reply(report=report, text=REPLY, actor=staff.shift_lead)
    messages_settle_for_demo()  # the reply is sent before the report closes
    report = report_transition(report=report, verb="close", actor=staff.shift_lead, now=moment)
    rating = _pick(rng, RATINGS)
    if rating and report.status == Status.CLOSED:
        report_rate(report=report, rating=rating)
