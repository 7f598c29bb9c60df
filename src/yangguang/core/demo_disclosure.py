"""Demo publications (阳光公示, 事后公开), through the same services as the pages: the
hearing case's decision published; a company's decision published; another company's
decision published, then revoked on reconsideration and withdrawn with its reason
(行政处罚法 第四十八条第二款). The decisions the demo's open cases reached stay proposed,
their publication deadlines running (one of them overdue)."""

import datetime

from yangguang.cases.enums import PartyKind
from yangguang.cases.identity import generate_credit_code
from yangguang.cases.models import Case
from yangguang.cases.procedure import case_transition
from yangguang.cases.services import Party
from yangguang.core.demo_before import demo_before_load
from yangguang.core.demo_cases import HEARING_CASE_TITLE, Cast, _OpenCase
from yangguang.disclosure.models import Publication
from yangguang.disclosure.services import publication_approve, publication_withdraw

PUBLISHED_COMPANY = "阳光区鑫源建材有限公司"
WITHDRAWN_COMPANY = "阳光区快捷广告传媒有限公司"
CHANGED_COMPANY = "阳光区恒通物流有限公司"


def _company(name: str, body8: str, representative: str) -> Party:
    return Party(
        kind=PartyKind.ORGANISATION,
        name=name,
        credit_code=generate_credit_code("9", "1", "370811", body8),
        representative=representative,
        phone="05370000000",
        address="阳光区东街道建设路66号",
    )


def _decided_company_case(
    cast: Cast, now: datetime.datetime, *, days_back: int, title: str, facts: str, party: Party
) -> _OpenCase:
    work = _OpenCase(cast=cast, now=now)
    work.open(days_back=days_back + 8, title=title, facts=facts, place="阳光区东街道", party=party)
    work.assess("HW-004", fine=20000, circumstances={"harm": "serious"})
    work.to_notice(days_back=days_back + 3)
    work.move("waive_rights", cast.officer, days_back=days_back + 2)
    work.move("decide", cast.leader, days_back=days_back, fine="20000")
    work.move("serve", cast.officer, days_back=days_back - 1, method="direct")
    return work


def demo_disclosure_load(cast: Cast, now: datetime.datetime) -> None:
    """Once, right after the demo cases (their loader runs it only on a fresh load)."""
    hearing = Case.objects.get(title=HEARING_CASE_TITLE)
    publication_approve(
        publication_id=Publication.objects.get(case=hearing).pk,
        actor=cast.reviewer,
        now=hearing.decided_at + datetime.timedelta(days=2),
    )

    published = _decided_company_case(
        cast,
        now,
        days_back=30,
        title="运输建筑垃圾沿途撒漏",
        facts="当事人运输建筑垃圾的车辆未采取密闭措施，沿建设路撒漏约三百米，污染路面。",
        party=_company(PUBLISHED_COMPANY, "MA3C0101", "钱志刚"),
    )
    publication_approve(
        publication_id=Publication.objects.get(case=published.case).pk,
        actor=cast.reviewer,
        now=published.at(28),
    )

    revoked = _decided_company_case(
        cast,
        now,
        days_back=25,
        title="擅自倾倒建筑垃圾",
        facts="当事人将施工产生的建筑垃圾倾倒在滨河路绿化带内，数量约十立方米。",
        party=_company(WITHDRAWN_COMPANY, "MA3C0102", "孙立新"),
    )
    publication = Publication.objects.get(case=revoked.case)
    publication_approve(publication_id=publication.pk, actor=cast.reviewer, now=revoked.at(23))
    result_on = revoked.at(11).date()
    case_transition(
        case_id=revoked.case.pk,
        verb="record_remedy_result",
        actor=cast.approver,
        now=revoked.at(11, minutes=300),
        result="revoked",
        result_on=result_on,
        body="阳光区人民政府",
        reference=f"阳政复决字〔{result_on.year}〕第3号",
    )
    publication_withdraw(
        publication_id=publication.pk,
        actor=cast.reviewer,
        reason="该行政处罚决定已被阳光区人民政府行政复议决定撤销，现撤回公示。",
        now=revoked.at(10),
    )

    changed = _decided_company_case(
        cast,
        now,
        days_back=20,
        title="车辆运输渣土未密闭",
        facts="当事人运输渣土的车辆未采取密闭措施，沿振兴路撒漏，污染路面约二百米。",
        party=_company(CHANGED_COMPANY, "MA3C0103", "郑国强"),
    )
    publication_approve(
        publication_id=Publication.objects.get(case=changed.case).pk,
        actor=cast.reviewer,
        now=changed.at(18),
    )
    # Changed by the court yesterday: the legal office has three working days to withdraw.
    case_transition(
        case_id=changed.case.pk,
        verb="record_remedy_result",
        actor=cast.approver,
        now=changed.at(1, minutes=300),
        result="changed",
        result_on=changed.at(1).date(),
        body="阳光区人民法院",
        reference=f"（{changed.at(1).year}）鲁0811行初12号",
    )
    demo_before_load(now)  # the bureau's profile and its lists (事前公开)
