"""Demo enforcement cases: one ordinary case with a hearing run end to end, through the
same services and moves the pages and the API use, so its documents, deadlines, record
chain and case file are real."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from yangguang.cases.enums import PartyKind, Procedure, ReviewPoint, Source
from yangguang.cases.identity import generate_id_number
from yangguang.cases.models import Case, Violation
from yangguang.cases.procedure import case_transition
from yangguang.cases.services import NewCase, Party, case_assess, case_open
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


def demo_cases_load(*, today: datetime.date | None = None) -> None:
    """Run the demo case once, starting 80 days before ``today``."""
    if Case.objects.filter(title=HEARING_CASE_TITLE).exists():
        return
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    if len(users) < len(USERNAMES):
        return
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


USERNAMES = ("zhifa1", "zhifa2", "zhongduizhang", "fazhi", "juzhang")
