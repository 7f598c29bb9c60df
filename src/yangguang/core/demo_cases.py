"""Demo enforcement cases, through the same services and moves the pages and the API
use, so their documents, deadlines, record chain and case file are real: one ordinary
case with a hearing run end to end, and open work at every step that runs a deadline —
under investigation with preserved evidence waiting for a decision, notified with the
party's link to state their case or ask for a hearing from the phone, decided and not
yet served, served with the fine overdue, and a summary-procedure (简易程序) decision.
Each is dated back from the moment of loading, in working days."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from yangguang.cases import law
from yangguang.cases.enums import PartyKind, Procedure, ReviewPoint, Source
from yangguang.cases.identity import generate_id_number
from yangguang.cases.models import Case, Violation
from yangguang.cases.party import party_access_issue
from yangguang.cases.procedure import case_transition
from yangguang.cases.services import (
    NewCase,
    Party,
    case_assess,
    case_decide_on_the_spot,
    case_open,
)
from yangguang.core.demo_reports import working_morning
from yangguang.notify.services import messages_settle_for_demo
from yangguang.org.models import User
from yangguang.worktime.calendar import add_working_days
from yangguang.worktime.selectors import work_calendar

HEARING_CASE_TITLE = "餐饮服务业经营者超标排放油烟"
ALL_POINTS = list(ReviewPoint.values)
FIRST_OPINION = "事实清楚，证据确凿，适用依据正确，裁量适当，程序合法，同意。"
SECOND_OPINION = "听证后复核：当事人已主动整改，建议在较重阶次内从轻。"


@dataclass(frozen=True)
class Cast:
    officer: User  # the lead officer
    partner: User  # the second officer (行政处罚法 第四十二条)
    approver: User  # 中队长: files, reviews, schedules the hearing, closes
    reviewer: User  # 法制审核员
    leader: User  # 局领导: discusses, presides over the hearing, decides


def _officers(cast: Cast) -> list[tuple[User, str]]:
    return [
        (user, user.certificates.order_by("-valid_to").first().number)
        for user in (cast.officer, cast.partner)
    ]


def ordinary_case_with_hearing(*, cast: Cast, start: datetime.datetime) -> Case:
    """A restaurant fined for cooking fumes (大气污染防治法 第一百一十八条): filed, evidence
    preserved, investigated, reviewed, legally reviewed, discussed, notified, defended,
    heard, reviewed and discussed again, decided, served, paid, closed and archived.
    Each step is a working day or more after the last, starting at ``start``."""
    calendar = work_calendar()
    moment = start

    def later(days: int = 1, hour: int = 10) -> datetime.datetime:
        nonlocal moment
        day = add_working_days(moment, days, calendar=calendar).date()
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        return moment

    def move(verb: str, actor: User, **payload) -> Case:
        return case_transition(case_id=case.pk, verb=verb, actor=actor, now=moment, **payload)

    act_day = timezone.localtime(start).date() - datetime.timedelta(days=2)
    case = case_open(
        data=NewCase(
            procedure=Procedure.ORDINARY,
            source=Source.COMPLAINT,
            title=HEARING_CASE_TITLE,
            facts=(
                "经现场检查和委托监测，当事人经营的“老街坊餐馆”未正常使用油烟净化设施，"
                "油烟排放浓度为3.6毫克/立方米，超过《饮食业油烟排放标准》规定的2.0毫克/立方米，"
                "周边居民多次投诉。"
            ),
            place="阳光区东街道幸福路18号",
            act_started_on=act_day,
            act_ended_on=act_day,
            discovered_on=act_day,
            officers=_officers(cast),
            party=Party(
                kind=PartyKind.INDIVIDUAL,
                name="刘德明",
                id_number=generate_id_number("370811", datetime.date(1975, 3, 18), 21),
                phone="13800005678",
                address="阳光区东街道幸福路18号（个体工商户“老街坊餐馆”经营者）",
            ),
        ),
        actor=cast.officer,
        now=moment,
    )
    move("file", cast.approver)
    later()
    move("preserve", cast.approver, items="油烟净化设施运行记录一本；监测报告一份")
    later()
    move("decide_preserved", cast.officer, decision="作为证据附卷，原件已复制后退还")
    case_assess(
        case_id=case.pk,
        actor=cast.officer,
        violation=Violation.objects.get(code="DQ-001", is_current=True),
        circumstances={"harm": "serious"},
        penalty_kinds=["fine"],
        fine=Decimal(30000),
    )
    later()
    move("end_investigation", cast.officer)
    later()
    move("review", cast.approver)
    later()
    move("legal_review", cast.reviewer, opinion=FIRST_OPINION, points=ALL_POINTS)
    later()
    move("discuss", cast.leader, minutes="局领导集体讨论，同意拟处罚款三万元。")
    later()
    move("notify", cast.officer)
    later()
    move("record_statement", cast.officer, text="已更换净化设施并签订维护合同，请求从轻处罚。")
    move("request_hearing", cast.officer)
    later()
    hearing_at = add_working_days(moment, 8, calendar=calendar).replace(hour=9, minute=30, second=0)
    move("schedule_hearing", cast.approver, hearing_at=hearing_at, presider=cast.leader)
    moment = hearing_at + datetime.timedelta(hours=2)
    move(
        "hold_hearing",
        cast.leader,
        transcript=(
            "调查人员陈述了违法事实、证据和处罚建议；当事人刘德明到场，承认超标排放，"
            "提交了新设施的安装验收单和维护合同，请求从轻处罚。双方进行了质证和辩论。"
        ),
    )
    later()
    move("legal_review", cast.reviewer, opinion=SECOND_OPINION, points=ALL_POINTS)
    later()
    move("discuss", cast.leader, minutes="集体讨论：考虑当事人主动整改，决定罚款二万五千元。")
    move("decide", cast.leader, fine="25000")
    later()
    move("serve", cast.officer, method="direct")
    later(3)
    move(
        "record_payment",
        cast.officer,
        paid_on=timezone.localtime(moment).date(),
        amount="25000",
        bank_receipt="ICBC-DEMO-0001",
    )
    later()
    move("close", cast.approver)
    later()
    return move("archive", cast.approver)


# The party of the notified case: fictional, like every party of the demo; the demo
# prints the page of this case's link, and the codes texted to this number in the
# console (core.demo.DemoSmsGateway).
DEMO_PARTY_PHONE = "13800005601"


@dataclass(frozen=True)
class DemoCases:
    # The party's page of the notified case (its link's path), when this load issued it.
    party_path: str | None = None


def _person(name: str, phone: str, birth: datetime.date, serial: int, address: str) -> Party:
    return Party(
        kind=PartyKind.INDIVIDUAL,
        name=name,
        id_number=generate_id_number("370811", birth, serial),
        phone=phone,
        address=address,
    )


class _OpenCase:
    """One case moved step by step, each step dated ``days_back`` working days before
    ``now`` (10:00, plus ``minutes``)."""

    def __init__(self, *, cast: Cast, now: datetime.datetime) -> None:
        self.cast, self.now, self.case = cast, now, None

    def at(self, days_back: int, minutes: int = 0) -> datetime.datetime:
        return working_morning(self.now, days_back) + datetime.timedelta(minutes=minutes)

    def open(self, *, days_back: int, title: str, facts: str, place: str, party: Party) -> Case:
        moment = self.at(days_back)
        act_day = timezone.localtime(moment).date() - datetime.timedelta(days=1)
        self.case = case_open(
            data=NewCase(
                procedure=Procedure.ORDINARY,
                source=Source.PATROL,
                title=title,
                facts=facts,
                place=place,
                act_started_on=act_day,
                act_ended_on=act_day,
                discovered_on=act_day,
                officers=_officers(self.cast),
                party=party,
            ),
            actor=self.cast.officer,
            now=moment,
        )
        return self.case

    def move(self, verb: str, actor: User, *, days_back: int, minutes: int = 0, **payload) -> Case:
        return case_transition(
            case_id=self.case.pk,
            verb=verb,
            actor=actor,
            now=self.at(days_back, minutes),
            **payload,
        )

    def assess(self, code: str, *, fine: int, circumstances: dict | None = None) -> None:
        case_assess(
            case_id=self.case.pk,
            actor=self.cast.officer,
            violation=Violation.objects.get(code=code, is_current=True),
            circumstances=circumstances or {},
            penalty_kinds=["fine"],
            fine=Decimal(fine),
        )

    def to_notice(self, *, days_back: int) -> None:
        """Filed, investigated and reviewed over the working days before the notice."""
        cast = self.cast
        self.move("file", cast.approver, days_back=days_back + 4, minutes=60)
        self.move("end_investigation", cast.officer, days_back=days_back + 2)
        self.move("review", cast.approver, days_back=days_back + 1)
        self.move("notify", cast.officer, days_back=days_back)


def _preserved_days_back(now: datetime.datetime) -> int:
    """How many working days back evidence was preserved for 第五十六条's seven working
    days to end with the next working day (however long a holiday lies between)."""
    calendar = work_calendar()
    due = add_working_days(now, 1, calendar=calendar)
    days_back = 1
    while (
        add_working_days(
            working_morning(now, days_back), law.PRESERVATION_WORKING_DAYS, calendar=calendar
        )
        > due
    ):
        days_back += 1
    return days_back


def investigating_with_preserved_evidence(cast: Cast, now: datetime.datetime) -> Case:
    """Filed a week ago; evidence preserved and not yet decided on: 第五十六条's seven
    working days end with the next working day (a yellow light)."""
    back = _preserved_days_back(now)
    work = _OpenCase(cast=cast, now=now)
    work.open(
        days_back=back + 1,
        title="在禁止区域内露天烧烤食品",
        facts="巡查发现当事人在振兴路夜市禁烧区域内设摊露天烧烤食品，经劝阻仍继续经营。",
        place="阳光区振兴街道振兴路夜市",
        party=_person(
            "马建军", "13800005602", datetime.date(1988, 7, 2), 33, "阳光区振兴街道新华小区5号楼"
        ),
    )
    work.move("file", cast.approver, days_back=back + 1, minutes=60)
    work.move("preserve", cast.approver, days_back=back, items="烧烤炉具一套；木炭两袋")
    return work.case


def notified_with_party_link(cast: Cast, now: datetime.datetime) -> tuple[Case, str]:
    """Notified yesterday of a ¥5,000 fine: the party may state their case (第四十五条)
    and ask for a hearing (第六十三条, ¥3,000 and over for an individual) through the link
    texted to them. Returns the case and the link's path."""
    work = _OpenCase(cast=cast, now=now)
    work.open(
        days_back=6,
        title="在禁止区域内露天烧烤食品（固定摊点）",
        facts="当事人在滨河路禁烧区域内以固定摊点露天烧烤食品，经责令改正后仍继续经营。",
        place="阳光区滨河街道滨河路中段",
        party=_person(
            "赵春生",
            DEMO_PARTY_PHONE,
            datetime.date(1979, 11, 9),
            57,
            "阳光区滨河街道柳岸小区2号楼",
        ),
    )
    work.assess("DQ-002", fine=5000, circumstances={"harm": "serious"})
    work.to_notice(days_back=1)
    access = party_access_issue(case_id=work.case.pk, actor=cast.officer)
    return work.case, reverse("portal:party", args=[access.token])


def decided_not_served(cast: Cast, now: datetime.datetime) -> Case:
    """Decided two working days ago; 送达 within seven days (第六十一条) is running."""
    work = _OpenCase(cast=cast, now=now)
    work.open(
        days_back=10,
        title="随意倾倒建筑垃圾",
        facts="当事人将装修产生的建筑垃圾倾倒在和平里社区绿化带内，数量约两立方米。",
        place="阳光区和平街道和平里社区",
        party=_person(
            "孙玉兰", "13800005603", datetime.date(1969, 4, 21), 44, "阳光区和平街道和平里社区8号楼"
        ),
    )
    work.assess("HW-004", fine=150, circumstances={"harm": "serious"})
    work.to_notice(days_back=5)
    work.move("waive_rights", cast.officer, days_back=4)
    work.move("decide", cast.leader, days_back=2, fine="150")
    return work.case


def served_fine_overdue(cast: Cast, now: datetime.datetime) -> Case:
    """Served fifteen working days ago and not paid: the fifteen days of 第六十七条 have
    passed (red on the deadline board)."""
    work = _OpenCase(cast=cast, now=now)
    work.open(
        days_back=24,
        title="随意倾倒生活垃圾",
        facts="当事人多次将生活垃圾倾倒在文化路绿化带内，经指出后拒不清理。",
        place="阳光区和平街道文化路",
        party=_person(
            "周德明", "13800005604", datetime.date(1972, 1, 30), 19, "阳光区和平街道文化社区3号楼"
        ),
    )
    work.assess("HW-002", fine=300, circumstances={"harm": "serious"})
    work.to_notice(days_back=19)
    work.move("waive_rights", cast.officer, days_back=18)
    work.move("decide", cast.leader, days_back=17, fine="300")
    work.move("serve", cast.officer, days_back=15, method="direct")
    return work.case


def summary_decision(cast: Cast, now: datetime.datetime) -> Case:
    """简易程序: a ¥100 fine decided on the spot yesterday (第五十一条); payment and the
    备案 with the bureau are running."""
    moment = working_morning(now, 1) + datetime.timedelta(hours=5)
    act_day = timezone.localtime(moment).date()
    return case_decide_on_the_spot(
        data=NewCase(
            procedure=Procedure.SIMPLE,
            source=Source.PATROL,
            title="随意倾倒生活垃圾（当场处罚）",
            facts="当事人将一袋生活垃圾丢弃在公交站旁，经指出后当场清理。",
            place="阳光区阳光街道振兴路公交站",
            act_started_on=act_day,
            act_ended_on=act_day,
            discovered_on=act_day,
            officers=_officers(cast),
            party=_person(
                "王海燕", "13800005605", datetime.date(1995, 6, 12), 62, "阳光区阳光街道朝阳社区"
            ),
            violation=Violation.objects.get(code="HW-002", is_current=True),
        ),
        actor=cast.officer,
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(100),
        party_informed=True,
        now=moment,
    )


def demo_cases_load(*, now: datetime.datetime | None = None) -> DemoCases:
    """Run the demo cases once: the case with a hearing from 80 days before ``now``,
    the open ones over the last working days."""
    if Case.objects.filter(title=HEARING_CASE_TITLE).exists():
        return DemoCases()
    now = now or timezone.now()
    today = timezone.localdate(now)
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    if len(users) < len(USERNAMES):
        return DemoCases()
    cast = Cast(
        officer=users["zhifa1"],
        partner=users["zhifa2"],
        approver=users["zhongduizhang"],
        reviewer=users["fazhi"],
        leader=users["juzhang"],
    )
    start = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=80), datetime.time(9))
    )
    ordinary_case_with_hearing(cast=cast, start=start)
    served_fine_overdue(cast, now)
    decided_not_served(cast, now)
    investigating_with_preserved_evidence(cast, now)
    _case, party_path = notified_with_party_link(cast, now)
    summary_decision(cast, now)
    from yangguang.core.demo_disclosure import demo_disclosure_load  # it builds on these

    demo_disclosure_load(cast, now)
    messages_settle_for_demo()
    return DemoCases(party_path=party_path)


USERNAMES = ("zhifa1", "zhifa2", "zhongduizhang", "fazhi", "juzhang")
