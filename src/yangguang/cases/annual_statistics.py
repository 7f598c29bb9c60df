"""行政执法统计年报: the bureau's annual enforcement statistics (reference-wave2.md §1.5),
for any year, as tables that the portal shows and that print as PDF and .xlsx.

Counting rules:

- A decision is counted once (one 宗), in the year of its decision date
  (``Case.decided_at`` in Asia/Shanghai, not the date it was served), under its heaviest
  penalty kind (并处 counts once). Kinds from lightest to heaviest, mapped from the codes
  of ``cases.enums.PenaltyKind``:

  ========================================  =======================================
  column                                    PenaltyKind codes
  ========================================  =======================================
  警告、通报批评                              warning, criticism
  罚款                                       fine
  没收违法所得、没收非法财物                     confiscate_income, confiscate_property
  暂扣许可证件、降低资质等级                     suspend_licence
  限制生产经营、责令停产停业、责令关闭             restrict_business, stop_business, close_down
  吊销许可证件                                revoke_licence
  ========================================  =======================================

  Any other code is 其他 and lighter than every kind above, so 罚款 + 其他 is a 罚款;
  a decision of 其他 alone counts under 其他.
- 罚没金额 is the fine plus the confiscated income or property's worth as decided
  (``fine`` + ``confiscation_value``), in 万元 to two places.
- Decisions of no penalty (不予行政处罚) are counted apart; summary (简易) and ordinary
  (普通) procedure are the penalty table's two rows.
- Measures and steps count in the year they happened: 先行登记保存 by the day evidence
  was preserved, hearings by the day held, applications to the court by the day made,
  on-site inspections by their written record (现场检查（勘验）笔录; the row is left out
  when the year has none: the platform may not be where the bureau records them, and a
  zero would claim it is), 复议/诉讼 results by the day the result was given.
- 执法证持证率: of the enforcement staff (active accounts holding the post of officer or
  squadron leader), those with a certificate valid on 31 December
  (``Certificate.is_valid_on``). Posts are not kept historically: the staff are today's.

The current year may be shown as a provisional report up to today (截至); a year is
final once it has ended, and due for publication by 31 January of the next year.
"""

import datetime
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yangguang.cases.documents import bureau_name
from yangguang.cases.enums import Outcome, PenaltyKind, Procedure, RemedyResult
from yangguang.cases.models import Case, CaseDocument, Preservation
from yangguang.org.enums import PostCode
from yangguang.org.models import User

# 行政处罚法 came into force in 1996; nothing the platform holds is older.
FIRST_YEAR = 1996
OTHER = "other"


@dataclass(frozen=True)
class KindColumn:
    key: str
    label: Promise
    codes: frozenset[str]
    weight: int  # heavier is larger


# Lightest to heaviest (the counting rule's order).
KINDS = [
    KindColumn(
        "warning",
        gettext_lazy("Warning or public criticism"),
        frozenset({PenaltyKind.WARNING, PenaltyKind.CRITICISM}),
        1,
    ),
    KindColumn("fine", gettext_lazy("Fine"), frozenset({PenaltyKind.FINE}), 2),
    KindColumn(
        "confiscation",
        gettext_lazy("Confiscation"),
        frozenset({PenaltyKind.CONFISCATE_INCOME, PenaltyKind.CONFISCATE_PROPERTY}),
        3,
    ),
    KindColumn(
        "suspension",
        gettext_lazy("Licence suspended or qualification lowered"),
        frozenset({PenaltyKind.SUSPEND_LICENCE}),
        4,
    ),
    KindColumn(
        "business",
        gettext_lazy("Business restricted, stopped or closed"),
        frozenset(
            {PenaltyKind.RESTRICT_BUSINESS, PenaltyKind.STOP_BUSINESS, PenaltyKind.CLOSE_DOWN}
        ),
        5,
    ),
    KindColumn(
        "revocation", gettext_lazy("Licence revoked"), frozenset({PenaltyKind.REVOKE_LICENCE}), 6
    ),
]
OTHER_COLUMN = KindColumn(OTHER, gettext_lazy("Other"), frozenset(), 0)
# The columns as the statistical table prints them (吊销 before the business orders).
COLUMNS = [KINDS[0], KINDS[1], KINDS[2], KINDS[3], KINDS[5], KINDS[4], OTHER_COLUMN]
_BY_CODE = {code: column for column in KINDS for code in column.codes}
# The results as the statistical table names them (RemedyResult's codes).
REMEDY_LABELS = {
    RemedyResult.UPHELD: pgettext_lazy("remedy result", "Upheld"),
    RemedyResult.CHANGED: pgettext_lazy("remedy result", "Changed"),
    RemedyResult.REVOKED: pgettext_lazy("remedy result", "Revoked"),
    RemedyResult.CONFIRMED_UNLAWFUL: pgettext_lazy("remedy result", "Confirmed unlawful"),
    RemedyResult.VOID: pgettext_lazy("remedy result", "Confirmed void"),
}
ENFORCEMENT_POSTS = (PostCode.OFFICER, PostCode.SQUAD_LEADER)
TEN_THOUSAND = Decimal(10_000)
CENTS = Decimal("0.01")


def heaviest_kind(kinds: Iterable[str]) -> str:
    """The column a decision of these penalty kinds counts under."""
    columns = [_BY_CODE.get(kind, OTHER_COLUMN) for kind in kinds]
    return max(columns, key=lambda column: column.weight, default=OTHER_COLUMN).key


def in_ten_thousands(yuan: Decimal) -> Decimal:
    return (Decimal(yuan) / TEN_THOUSAND).quantize(CENTS, rounding=ROUND_HALF_UP)


class YearError(ValueError):
    """A year the report cannot be made for (not begun, or before any record)."""


@dataclass
class PenaltyRow:
    label: str | Promise
    counts: dict[str, int] = field(default_factory=dict)
    yuan: Decimal = Decimal(0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def amount(self) -> Decimal:
        return in_ten_thousands(self.yuan)


@dataclass(frozen=True)
class StatTable:
    """A table as every rendering shows it: title, header row, body rows (label first)."""

    title: str
    headers: list[str]
    rows: list[list[object]]
    note: str = ""


@dataclass(frozen=True)
class AnnualStatistics:
    year: int
    bureau: str
    # Set for the running year: the figures are those up to this day.
    as_of: datetime.date | None
    penalties: list[PenaltyRow]  # summary, ordinary, total
    no_penalty: int
    inspections: int
    preservations: int
    hearings: int
    court_applications: int
    remedies: dict[str, int]
    enforcement_staff: int
    certified_staff: int

    @property
    def final(self) -> bool:
        return self.as_of is None

    @property
    def due_on(self) -> datetime.date:
        """Published by 31 January of the next year (reference-wave2.md §1.5)."""
        return datetime.date(self.year + 1, 1, 31)

    @property
    def certificate_rate(self) -> Decimal | None:
        if not self.enforcement_staff:
            return None
        rate = Decimal(100) * self.certified_staff / self.enforcement_staff
        return rate.quantize(CENTS, rounding=ROUND_HALF_UP)

    @property
    def title(self) -> str:
        return _("%(bureau)s administrative enforcement statistics %(year)d") % {
            "bureau": self.bureau,
            "year": self.year,
        }

    def tables(self) -> list[StatTable]:
        return _tables(self)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(year, 1, 1, tzinfo=timezone.get_default_timezone())
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone())


def year_check(year: int, *, today: datetime.date) -> None:
    if year > today.year:
        raise YearError(_("The year %(year)d has not begun.") % {"year": year})
    if year < FIRST_YEAR:
        raise YearError(_("There are no statistics before %(year)d.") % {"year": FIRST_YEAR})


def _penalties(decided: Q) -> list[PenaltyRow]:
    rows = {
        Procedure.SIMPLE: PenaltyRow(Procedure.SIMPLE.label),
        Procedure.ORDINARY: PenaltyRow(Procedure.ORDINARY.label),
    }
    # A year's decisions are thousands, not millions; the heaviest kind is read from
    # each decision's list of kinds, which no portable SQL ranks.
    counted: dict[str, Counter] = {procedure: Counter() for procedure in rows}
    for procedure, kinds in (
        Case.objects.filter(decided, outcome=Outcome.PENALTY)
        .order_by()
        .values_list("procedure", "penalty_kinds")
    ):
        counted.setdefault(procedure, Counter())[heaviest_kind(kinds or [])] += 1
    amounts = (
        Case.objects.filter(decided, outcome=Outcome.PENALTY)
        .order_by()
        .values("procedure")
        .annotate(fines=Sum("fine"), confiscated=Sum("confiscation_value"))
    )
    for row in amounts:
        if row["procedure"] in rows:
            rows[row["procedure"]].yuan = (row["fines"] or 0) + (row["confiscated"] or 0)
    total = PenaltyRow(gettext_lazy("Total"))
    for procedure, row in rows.items():
        row.counts = {column.key: counted[procedure][column.key] for column in COLUMNS}
    total.counts = {
        key: sum(row.counts[key] for row in rows.values()) for key in rows[Procedure.SIMPLE].counts
    }
    total.yuan = sum((row.yuan for row in rows.values()), Decimal(0))
    return [rows[Procedure.SIMPLE], rows[Procedure.ORDINARY], total]


def _certificates(day: datetime.date) -> tuple[int, int]:
    staff = (
        User.objects.filter(is_active=True, posts__code__in=ENFORCEMENT_POSTS)
        .distinct()
        .prefetch_related("certificates")
    )
    people = list(staff)
    certified = sum(
        1 for person in people if any(c.is_valid_on(day) for c in person.certificates.all())
    )
    return len(people), certified


def annual_statistics(*, year: int, now: datetime.datetime | None = None) -> AnnualStatistics:
    """The year's figures (the running year's up to today). Raises YearError."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year_check(year, today=today)
    start, end = _year_bounds(year)
    decided = Q(decided_at__gte=start, decided_at__lt=end)
    cases = Case.objects.order_by()
    counts = cases.aggregate(
        no_penalty=Count("id", filter=decided & Q(outcome=Outcome.NO_PENALTY)),
        hearings=Count("id", filter=Q(heard_at__gte=start, heard_at__lt=end)),
        court=Count("id", filter=Q(court_applied_at__gte=start, court_applied_at__lt=end)),
    )
    remedies = dict(
        cases.filter(remedy_result_on__gte=start.date(), remedy_result_on__lt=end.date())
        .exclude(remedy_result="")
        .values_list("remedy_result")
        .annotate(n=Count("id"))
    )
    as_of = today if year == today.year else None
    staff, certified = _certificates(as_of or datetime.date(year, 12, 31))
    return AnnualStatistics(
        year=year,
        bureau=bureau_name(),
        as_of=as_of,
        penalties=_penalties(decided),
        no_penalty=counts["no_penalty"],
        inspections=CaseDocument.objects.filter(
            kind="inspection_record", issued_at__gte=start, issued_at__lt=end
        ).count(),
        preservations=Preservation.objects.filter(
            preserved_at__gte=start, preserved_at__lt=end
        ).count(),
        hearings=counts["hearings"],
        court_applications=counts["court"],
        remedies={result: remedies.get(result, 0) for result in RemedyResult.values},
        enforcement_staff=staff,
        certified_staff=certified,
    )


# --- The tables -------------------------------------------------------------------------


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _tables(stats: AnnualStatistics) -> list[StatTable]:
    penalty = StatTable(
        title=_("1. Administrative penalties (decisions)"),
        headers=[
            _("Procedure"),
            *[str(column.label) for column in COLUMNS],
            _("Total (decisions)"),
            _("Fines and confiscations (10,000 yuan)"),
        ],
        rows=[
            [str(row.label), *[row.counts[c.key] for c in COLUMNS], row.total, row.amount]
            for row in stats.penalties
        ],
        note=_(
            "Each decision counts once, in the year of its decision date, under its "
            "heaviest penalty kind."
        ),
    )
    other = [
        [_("Decisions of no penalty"), stats.no_penalty],
        [_("Hearings held"), stats.hearings],
        [_("Preservations of evidence (先行登记保存)"), stats.preservations],
        [_("Applications to the court for enforcement"), stats.court_applications],
    ]
    if stats.inspections:
        other.insert(0, [_("On-site inspections (written records)"), stats.inspections])
    remedy_rows: list[list[object]] = [
        [str(REMEDY_LABELS[result]), count] for result, count in stats.remedies.items()
    ]
    remedy_rows.append([_("Total"), sum(stats.remedies.values())])
    certificates = StatTable(
        title=_("4. Enforcement certificates"),
        headers=[_("Enforcement staff"), _("Holding a valid certificate"), _("Rate")],
        rows=[
            [
                stats.enforcement_staff,
                stats.certified_staff,
                _rate(stats.certificate_rate),
            ]
        ],
        note=_("Certificates valid on %(day)s.")
        % {"day": _date(stats.as_of or datetime.date(stats.year, 12, 31))},
    )
    return [
        penalty,
        StatTable(
            title=_("2. Other enforcement acts"), headers=[_("Item"), _("Number")], rows=other
        ),
        StatTable(
            title=_("3. Results of reconsideration and lawsuits"),
            headers=[_("Result"), _("Number")],
            rows=remedy_rows,
            note=_("Counted by the day the result was given."),
        ),
        certificates,
    ]


def _date(day: datetime.date) -> str:
    """The day as the active language writes it (2027年1月31日)."""
    return date_format(day)


def subtitle(stats: AnnualStatistics) -> str:
    if stats.as_of is not None:
        return _("Provisional: up to %(day)s. The final report is due by %(due)s.") % {
            "day": _date(stats.as_of),
            "due": _date(stats.due_on),
        }
    return _("Final. Due for publication by %(due)s.") % {"due": _date(stats.due_on)}


# --- PDF and .xlsx (in the bureau's language) ------------------------------------------


def annual_pdf(stats: AnnualStatistics, *, language: str = "zh-hans") -> bytes:
    """A4 landscape, the embedded font of ``core.printing``, one table per section."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

    from yangguang.cases.render import DOC_TITLE
    from yangguang.core.printing import GRID, HEADING, SHADE, SMALL, TEXT, para

    figure = ParagraphStyle("stat-figure", parent=SMALL, alignment=TA_RIGHT)
    with translation.override(language):
        buffer = io.BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=landscape(A4),
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=15 * mm,
            title=stats.title,
            author=stats.bureau,
        )
        story = [para(stats.title, DOC_TITLE), para(subtitle(stats), TEXT), Spacer(1, 4 * mm)]
        for table in stats.tables():
            count = len(table.headers)
            cells = [
                [para(text, SMALL if i == 0 else figure) for i, text in enumerate(table.headers)]
            ]
            cells += [
                [para(value, SMALL if i == 0 else figure) for i, value in enumerate(row)]
                for row in table.rows
            ]
            if count <= 3:  # a short list: label and figures, not across the page
                widths = [template.width * 0.4] + [template.width * 0.15] * (count - 1)
            else:
                widths = [template.width / count] * count
            drawn = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
            drawn.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ]
                )
            )
            part = [para(table.title, HEADING), drawn]
            if table.note:
                part.append(para(table.note, SMALL))
            story += [KeepTogether(part), Spacer(1, 3 * mm)]
        template.build(story)
        return buffer.getvalue()


def annual_xlsx(stats: AnnualStatistics, *, language: str = "zh-hans") -> bytes:
    """One sheet: the title, then each table under its title, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Statistics %(year)d") % {"year": stats.year}
        sheet.append([stats.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([subtitle(stats)])
        for table in stats.tables():
            sheet.append([])
            sheet.append([table.title])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            sheet.append(table.headers)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([_cell(value) for value in row])
            if table.note:
                sheet.append([table.note])
        sheet.column_dimensions["A"].width = 36
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value if isinstance(value, int) else str(value)
