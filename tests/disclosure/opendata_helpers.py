"""Published decisions for the open-data tests: through the services (a decided case,
approved by the legal office, perhaps withdrawn) or, for volume, as rows."""

import datetime
import secrets
from decimal import Decimal

from tests.cases.helpers import P, at
from tests.cases.test_law import decided
from tests.disclosure.test_publication import decided_individual
from yangguang.cases.enums import PartyKind, Procedure, Source, Status
from yangguang.cases.models import Case
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication
from yangguang.disclosure.services import (
    content_digest,
    publication_approve,
    publication_withdraw,
)

S = PublicationStatus
# After the helpers' decisions (2026-09-30), their approval (10-09) and withdrawals.
NOW = at(2026, 11, 23, 10, 30)
APPROVED = at(2026, 10, 9, 10)
WITHDRAWN = at(2026, 11, 16, 15)
REASON = "该决定已被行政复议决定撤销。"


def approve(people, publication: Publication, *, now=APPROVED) -> Publication:
    return publication_approve(
        publication_id=publication.pk, actor=people[P.LEGAL_REVIEWER], now=now
    )


def published_company(people) -> Publication:
    """阳光餐饮有限公司's ¥6,000 decision of 2026-09-30, approved on 10-09."""
    return approve(people, Publication.objects.get(case=decided(people)))


def published_individual(people) -> Publication:
    """张三's ¥10,000 decision of 2026-09-30 (published as 张某), approved on 10-09."""
    return approve(people, Publication.objects.get(case=decided_individual(people)))


def withdraw(people, publication: Publication, *, reason=REASON) -> Publication:
    return publication_withdraw(
        publication_id=publication.pk,
        actor=people[P.LEGAL_REVIEWER],
        reason=reason,
        ground="revoked",
        now=WITHDRAWN,
    )


def rows(people, count: int, *, start: int = 0, **overrides) -> list[Publication]:
    """``count`` published decisions as rows (each on a case of its own), one a day
    back from 2026-09-30, alternately a company and an individual (张某)."""
    officer = people[P.OFFICER]
    cases, publications = [], []
    for index in range(start, start + count):
        day = datetime.date(2026, 9, 30) - datetime.timedelta(days=index - start)
        company = index % 2 == 0
        name = f"阳光第{index}建材有限公司" if company else "张某"
        decided_at = datetime.datetime.combine(day, datetime.time(11), tzinfo=NOW.tzinfo)
        case = Case(
            number=f"T2026-{index:06d}",
            procedure=Procedure.ORDINARY,
            status=Status.CLOSED,
            source=Source.PATROL,
            unit=officer.unit,
            title="运输建筑垃圾沿途撒漏",
            facts="当事人运输建筑垃圾未密闭，沿途撒漏。",
            act_started_on=day - datetime.timedelta(days=20),
            discovered_on=day - datetime.timedelta(days=18),
            party_kind=PartyKind.ORGANISATION if company else PartyKind.INDIVIDUAL,
            party_name=name if company else "张五",
            outcome="penalty",
            penalty_kinds=["fine"],
            fine=Decimal(1000),
            decided_at=decided_at,
            created_by=officer,
        )
        cases.append(case)
        values = {
            "case": case,
            "status": S.PUBLISHED,
            "proposed_at": decided_at,
            "document_number": f"阳城管罚决字〔{day.year}〕第{index + 1:06d}号",
            "title": "运输建筑垃圾沿途撒漏" if index % 3 else "占道经营",
            "facts": "当事人运输建筑垃圾未密闭，沿途撒漏。",
            "basis": "《城市市容和环境卫生管理条例》第三十六条",
            "result": "罚款1,000.00元",
            "penalty_kinds": ["fine"],
            "fine": Decimal(1000),
            "party": name,
            "party_is_organisation": company,
            "party_credit_code": f"91370811MA3C{index:06d}" if company else "",
            "authority": "测试局",
            "category": "市容环境" if index % 2 else "建筑垃圾",
            "area": "东街道" if index % 4 < 2 else "西街道",
            "decided_on": day,
            "verify_token": secrets.token_urlsafe(18),
            "published_at": decided_at + datetime.timedelta(days=3),
            "publish_until": decided_at + datetime.timedelta(days=3 + 5 * 365),
            **overrides,
        }
        publications.append(Publication(**values))
    Case.objects.bulk_create(cases)
    made = Publication.objects.bulk_create(publications)
    for publication in made:
        publication.content_sha256 = content_digest(publication)
    Publication.objects.bulk_update(made, ["content_sha256"])
    return made
