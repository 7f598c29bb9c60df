"""行政执法统计年报 (reference-wave2.md §1.5): each decision counted once, by its
decision date in Shanghai time, under its heaviest penalty kind; 罚没金额 in 万元;
measures, hearings, 复议/诉讼 results and the 执法证持证率; PDF and .xlsx."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cases.helpers import P, at, new_case, officers, person, violation
from tests.factories import CertificateFactory, UserFactory
from yangguang.cases.annual_statistics import (
    YearError,
    annual_pdf,
    annual_statistics,
    annual_xlsx,
    heaviest_kind,
)
from yangguang.cases.enums import Outcome, Procedure, RemedyResult, Source
from yangguang.cases.models import Case, CaseDocument, Preservation
from yangguang.cases.services import NewCase, case_decide_on_the_spot

AFTER_2026 = at(2027, 2, 1, 9)


def decided(people, moment, kinds, *, fine=0, confiscated=0, outcome=Outcome.PENALTY, **more):
    """A case opened by the squadron's officers and recorded as decided at ``moment``."""
    opened = moment - datetime.timedelta(days=30)
    day = opened.date()
    case = new_case(people, now=opened, act_started_on=day, act_ended_on=day, discovered_on=day)
    Case.objects.filter(pk=case.pk).update(
        decided_at=moment,
        outcome=outcome,
        penalty_kinds=kinds,
        fine=Decimal(fine),
        confiscation_value=Decimal(confiscated),
        **more,
    )
    return case


def ordinary(stats) -> dict:
    return stats.penalties[1].counts


@pytest.mark.parametrize(
    ("kinds", "column"),
    [
        (["fine", "confiscate_income"], "confiscation"),
        (["warning", "fine"], "fine"),
        (["fine", "an_unlisted_kind"], "fine"),
        (["an_unlisted_kind"], "other"),
        (["criticism"], "warning"),
        (["suspend_licence", "fine"], "suspension"),
        (["stop_business", "confiscate_property"], "business"),
        (["close_down", "revoke_licence"], "revocation"),
        ([], "other"),
    ],
)
def test_heaviest_kind_orders_the_penalty_kinds(kinds, column):
    assert heaviest_kind(kinds) == column


def test_each_decision_counts_once_under_its_heaviest_kind(people):
    decided(people, at(2026, 5, 6, 10), ["fine", "confiscate_income"], fine=12000, confiscated=3000)
    decided(people, at(2026, 6, 1, 10), ["warning", "fine"], fine=445)
    decided(people, at(2026, 7, 1, 10), ["fine"], fine=2000)

    stats = annual_statistics(year=2026, now=AFTER_2026)

    assert ordinary(stats)["confiscation"] == 1
    assert ordinary(stats)["fine"] == 2
    assert ordinary(stats)["warning"] == 0
    assert stats.penalties[1].total == 3
    assert stats.penalties[2].total == 3
    # 12000 + 3000 + 445 + 2000 = 17445 yuan = 1.7445 万元, to two places.
    assert stats.penalties[1].amount == Decimal("1.74")
    assert stats.penalties[2].amount == Decimal("1.74")


def test_the_decision_date_counts_in_shanghai_time(people):
    # 23:30 in Shanghai on 31 December is 15:30 UTC: still 2026.
    late = decided(people, at(2026, 12, 31, 23, 30), ["fine"], fine=100)
    decided(people, at(2027, 1, 1, 0, 10), ["fine"], fine=100)
    assert Case.objects.get(pk=late.pk).decided_at == datetime.datetime(
        2026, 12, 31, 15, 30, tzinfo=datetime.UTC
    )

    assert annual_statistics(year=2026, now=AFTER_2026).penalties[2].total == 1
    assert annual_statistics(year=2027, now=AFTER_2026).penalties[2].total == 1


def test_a_summary_decision_counts_in_the_summary_row(people):
    day = datetime.date(2026, 9, 1)
    case_decide_on_the_spot(
        data=NewCase(
            procedure=Procedure.SIMPLE,
            source=Source.PATROL,
            title="随意倾倒生活垃圾",
            facts="当事人将一袋生活垃圾丢弃在公交站旁。",
            place="东街道公交站",
            act_started_on=day,
            act_ended_on=day,
            discovered_on=day,
            officers=officers(people),
            party=person(),
            violation=violation("HW-002"),
        ),
        actor=people[P.OFFICER],
        circumstances={},
        penalty_kinds=["fine"],
        fine=Decimal(100),
        party_informed=True,
        now=at(2026, 9, 1, 10),
    )

    stats = annual_statistics(year=2026, now=AFTER_2026)

    assert stats.penalties[0].counts["fine"] == 1
    assert stats.penalties[0].amount == Decimal("0.01")
    assert stats.penalties[1].total == 0


def test_no_penalty_hearings_measures_and_remedies(people):
    case = decided(
        people,
        at(2026, 4, 1, 10),
        ["fine"],
        fine=5000,
        heard_at=at(2026, 3, 20, 10),
        remedy_result=RemedyResult.REVOKED,
        remedy_result_on=datetime.date(2026, 8, 1),
    )
    decided(people, at(2026, 4, 2, 10), [], outcome=Outcome.NO_PENALTY)
    decided(
        people,
        at(2025, 4, 2, 10),
        ["fine"],
        remedy_result=RemedyResult.UPHELD,
        remedy_result_on=datetime.date(2026, 2, 1),
    )
    Preservation.objects.create(
        case=case,
        items="烧烤炉一台",
        preserved_at=at(2026, 3, 1, 10),
        decide_by=at(2026, 3, 10, 17),
    )

    stats = annual_statistics(year=2026, now=AFTER_2026)

    assert (stats.no_penalty, stats.hearings, stats.preservations) == (1, 1, 1)
    assert stats.remedies["revoked"] == 1
    assert stats.remedies["upheld"] == 1
    assert stats.remedies["changed"] == 0
    assert stats.penalties[2].total == 1  # the no-penalty decision is not a penalty


def test_inspections_appear_only_when_recorded(people):
    case = decided(people, at(2026, 4, 1, 10), ["fine"])
    titles = [row[0] for row in annual_statistics(year=2026, now=AFTER_2026).tables()[1].rows]
    assert "On-site inspections (written records)" not in titles

    CaseDocument.objects.create(
        case=case,
        kind="inspection_record",
        title="现场检查（勘验）笔录",
        issued_at=at(2026, 3, 2, 10),
        sections=[],
        sha256="0" * 64,
        verify_token="t" * 32,
        issued_by=people[P.OFFICER],
    )

    stats = annual_statistics(year=2026, now=AFTER_2026)
    assert stats.inspections == 1
    assert ["On-site inspections (written records)", 1] in stats.tables()[1].rows


def test_certificate_rate_counts_enforcement_staff_on_31_december(people):
    expired = UserFactory(unit=people[P.OFFICER].unit, posts=[P.OFFICER])
    CertificateFactory(
        holder=expired, valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2026, 6, 30)
    )
    suspended = UserFactory(unit=people[P.OFFICER].unit, posts=[P.SQUAD_LEADER])
    CertificateFactory(holder=suspended, status="suspended")
    UserFactory(unit=people[P.OFFICER].unit, posts=[P.INSPECTOR])  # not enforcement staff

    stats = annual_statistics(year=2026, now=AFTER_2026)

    assert (stats.enforcement_staff, stats.certified_staff) == (4, 2)
    assert stats.certificate_rate == Decimal("50.00")


def test_the_running_year_is_provisional_and_a_future_year_refused(people):
    now = at(2026, 12, 3, 10)

    running = annual_statistics(year=2026, now=now)
    ended = annual_statistics(year=2025, now=now)

    assert running.as_of == datetime.date(2026, 12, 3)
    assert not running.final
    assert ended.final
    assert ended.due_on == datetime.date(2026, 1, 31)
    with pytest.raises(YearError):
        annual_statistics(year=2027, now=now)


def test_pdf_and_xlsx_carry_the_tables(people):
    decided(people, at(2026, 5, 6, 10), ["fine", "confiscate_income"], fine=12000, confiscated=3000)
    stats = annual_statistics(year=2026, now=AFTER_2026)

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(annual_pdf(stats))).pages)
    sheet = load_workbook(io.BytesIO(annual_xlsx(stats))).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]

    for title in ("行政处罚", "其他执法行为", "行政复议", "执法证"):
        assert title in text
        assert any(title in str(cell) for cell in cells)
    assert "2026" in text
    assert 1.5 in cells  # 罚没金额: 15000 yuan = 1.5 万元
    assert "张三丰" not in text
