"""A leaders' report drawn: the PDF (A4, the embedded fonts of ``core.printing``, a
title in the manner of GB/T 9704, charts drawn by ReportLab on the server — no
browser, no CDN) and the .xlsx (one sheet per table, raw numbers)."""

import io
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from yangguang.analytics.leader_report_content import LeaderReportContent, Ranking
from yangguang.core.printing import FONT, GRID, HEADING, SHADE, SMALL, TEXT, TITLE_FONT, para
from yangguang.reports.measures import MEASURES

# GB/T 9704-2012 page margins; a 二号 title in the title face, centred.
MARGINS = {"top": 30 * mm, "bottom": 28 * mm, "left": 28 * mm, "right": 26 * mm}
REPORT_TITLE = ParagraphStyle(
    "leader-title",
    parent=TEXT,
    fontName=TITLE_FONT,
    fontSize=20,
    leading=30,
    alignment=TA_CENTER,
    spaceAfter=6,
)
SUBTITLE = ParagraphStyle("leader-subtitle", parent=TEXT, alignment=TA_CENTER, spaceAfter=8)
SECTION = ParagraphStyle(
    "leader-section", parent=HEADING, fontName=TITLE_FONT, fontSize=13, leading=20
)
CHART_COLOURS = [
    colors.HexColor(c) for c in ("#1f5f99", "#d9822b", "#3c8d5a", "#a83c3c", "#7a5ca8", "#8c8c8c")
]


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _signed(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:+.2f}"
    return f"{value:+d}"


def _table(header: list[str], rows: list[list], widths: list[float]) -> Table:
    cells = [[para(text, SMALL) for text in header]]
    cells += [[para(_number(value) if not isinstance(value, str) else value, SMALL)
               for value in row] for row in rows]  # fmt: skip
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _empty(width: float, height: float, text: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(width / 2, height / 2, text, fontName=FONT, fontSize=9, textAnchor="middle"))
    return drawing


def _chart_title(drawing: Drawing, title: str) -> None:
    drawing.add(
        String(
            drawing.width / 2,
            drawing.height - 12,
            title,
            fontName=FONT,
            fontSize=9,
            textAnchor="middle",
        )
    )


def _daily_chart(content: LeaderReportContent, width: float) -> Drawing:
    """Bars for a month's days; a line for the days of a quarter or a year."""
    height = 160
    values = [n for _day, n in content.daily]
    if not any(values):
        return _empty(width, height, _("No reports received in this period."))
    drawing = Drawing(width, height)
    chart = VerticalBarChart() if len(values) <= 31 else HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 30, 25, width - 45, height - 50
    chart.data = [values]
    step = max(1, len(values) // 12)
    chart.categoryAxis.categoryNames = [
        f"{day:%m-%d}" if i % step == 0 else "" for i, (day, _n) in enumerate(content.daily)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    if isinstance(chart, VerticalBarChart):
        chart.bars[0].fillColor = CHART_COLOURS[0]
        chart.bars[0].strokeColor = None
    else:
        chart.lines[0].strokeColor = CHART_COLOURS[0]
        chart.lines[0].strokeWidth = 1.2
    drawing.add(chart)
    _chart_title(drawing, _("Reports received per day"))
    return drawing


def _bars(items: list[tuple[str, int]], width: float, title: str) -> Drawing:
    height = max(90, 22 * len(items) + 40)
    if not any(n for _label, n in items):
        return _empty(width, 60, title + " — " + _("none in this period"))
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = width * 0.38, 10
    chart.width, chart.height = width * 0.55, height - 35
    # Largest at the top: the category axis runs upwards.
    shown = list(reversed(items))
    chart.data = [[n for _label, n in shown]]
    chart.categoryAxis.categoryNames = [label[:18] for label, _n in shown]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = CHART_COLOURS[0]
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    _chart_title(drawing, title)
    return drawing


def _pie(items: list[tuple[str, int]], width: float, title: str) -> Drawing:
    height = 150
    shown = [(label, n) for label, n in items if n]
    if not shown:
        return _empty(width, 60, title + " — " + _("none in this period"))
    total = sum(n for _label, n in shown)
    drawing = Drawing(width, height)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = width / 2 - 50, 15, 100, 100
    pie.data = [n for _label, n in shown]
    pie.labels = [f"{label} {n * 100 / total:.0f}%" for label, n in shown]
    pie.sideLabels = 1
    pie.slices.fontName = FONT
    pie.slices.fontSize = 7
    pie.slices.strokeColor = colors.white
    for i in range(len(shown)):
        pie.slices[i].fillColor = CHART_COLOURS[i % len(CHART_COLOURS)]
    drawing.add(pie)
    _chart_title(drawing, title)
    return drawing


def _column_chart(items: list[tuple[str, int]], width: float, title: str) -> Drawing:
    height = 140
    if not any(n for _label, n in items):
        return _empty(width, 60, title + " — " + _("none in this period"))
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 25, width - 45, height - 50
    chart.data = [[n for _label, n in items]]
    chart.categoryAxis.categoryNames = [label[:10] for label, _n in items]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = CHART_COLOURS[1]
    drawing.add(chart)
    _chart_title(drawing, title)
    return drawing


def overview_table(content: LeaderReportContent) -> tuple[list[str], list[list]]:
    header = [
        _("Indicator of the report"),
        content.period.code,
        content.previous.code + " " + _("(the period before)"),
        _("Change on the period before"),
    ]
    rows = [[line.label, line.value, line.previous, line.change] for line in content.overview]
    return header, rows


def ranking_table(ranking: Ranking) -> tuple[list[str], list[list]]:
    header = [_("Place in the ranking"), _("Name")] + [label for _code, label in ranking.columns]
    if not ranking.posts:
        header += [_("Place in the period before"), _("Places gained or lost")]
    rows = []
    for row in ranking.rows:
        values = [
            row.composite if code == "composite" else getattr(row.figures.get(code), "value", 0)
            for code, _label in ranking.columns
        ]
        line = [row.rank, row.label, *values]
        if not ranking.posts:
            line += [row.previous_rank, row.rank_change]
        rows.append(line)
    return header, rows


def notable_tables(content: LeaderReportContent) -> list[tuple[str, list[str], list[list]]]:
    return [
        (
            _("Longest-overdue open reports"),
            [_("Tracking number"), _("Category"), _("Handling unit"), _("Days overdue")],
            [
                [item.tracking_number, item.category, item.unit, item.days_overdue]
                for item in content.overdue_reports
            ],
        ),
        (
            _("Open supervision orders (督办)"),
            [
                _("Tracking number"),
                _("Category"),
                _("Handling unit"),
                _("Issued on"),
                _("Days overdue"),
            ],
            [
                [
                    item.tracking_number,
                    item.category,
                    item.unit,
                    item.issued_on.isoformat(),
                    item.days_overdue,
                ]
                for item in content.open_supervisions
            ],
        ),
    ]


DEFINITIONS = gettext_lazy(
    "Figures count the reports received in the period (by the day received), in their "
    "state at the time of generation, from the same summaries as the command centre. "
    "Each rate is the percentage of two counts (CJ/T 292): on-time handling = handled on "
    "time / due for handling; handling = handled / due for handling; rework = sent back "
    "/ handled at least once; closing = closed / due for closing; on-time closing = "
    "closed and handled on time / due for closing; satisfaction = satisfied or basically "
    "satisfied / rated; feedback = answered / finished. The composite indicator is the "
    "weighted mean of the rates with the bureau's weights (rework enters as 100 - rate). "
    "Places are competition places (1, 1, 3); the change compares with the period "
    "before. Notable items are those open when the report was generated; days overdue "
    "count from the deadline."
)


def _change_cells(rows: list[list]) -> list[list]:
    return [[label, _number(v), _number(p), _signed(c)] for label, v, p, c in rows]


def leader_report_pdf(content: LeaderReportContent) -> bytes:
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=content.title,
        author=content.bureau,
    )
    width = template.width
    generated = content.generated_at.strftime("%Y-%m-%d %H:%M")
    story = [
        para(content.title, REPORT_TITLE),
        para(
            _("Period %(start)s to %(end)s; generated %(at)s")
            % {"start": content.period.start, "end": content.period.end, "at": generated},
            SUBTITLE,
        ),
        para(_("1. Overview"), SECTION),
    ]
    header, rows = overview_table(content)
    widths = [width * 0.46, width * 0.18, width * 0.18, width * 0.18]
    story.append(_table(header, _change_cells(rows), widths))
    story += [
        para(_("2. Charts"), SECTION),
        _daily_chart(content, width),
        Spacer(1, 3 * mm),
        _column_chart(content.channels, width, _("Reports received by channel")),
        Spacer(1, 3 * mm),
        _pie(content.modes, width, _("Shares of the 721 working method")),
        Spacer(1, 3 * mm),
        _bars(
            [(label, received) for label, received, _registered in content.categories],
            width,
            _("Top categories (received)"),
        ),
        para(_("3. Rankings"), SECTION),
    ]
    for ranking in content.rankings:
        header, rows = ranking_table(ranking)
        part = [para(ranking.title, HEADING)]
        if rows:
            first = [width * 0.1, width * 0.3]
            rest = (width - sum(first)) / (len(header) - 2)
            part.append(_table(header, rows, first + [rest] * (len(header) - 2)))
        else:
            part.append(para(_("Nothing to rank in this period."), SMALL))
        story += [KeepTogether(part), Spacer(1, 2 * mm)]
    story.append(para(_("4. Notable items"), SECTION))
    for title, header, rows in notable_tables(content):
        part = [para(title, HEADING)]
        if rows:
            part.append(_table(header, rows, [width / len(header)] * len(header)))
        else:
            part.append(para(_("None."), SMALL))
        story += [KeepTogether(part), Spacer(1, 2 * mm)]
    story += [para(_("5. Definitions"), SECTION), para(DEFINITIONS, TEXT)]
    template.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {document.page} —")
    canvas.restoreState()


# --- .xlsx ---------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str, used: set[str]) -> str:
    title = _SHEET_FORBIDDEN.sub(" ", text)[:28].strip() or "Sheet"
    candidate, n = title, 2
    while candidate in used:
        candidate, n = f"{title} {n}", n + 1
    used.add(candidate)
    return candidate


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float):
        return value
    return str(value)


def leader_report_xlsx(content: LeaderReportContent) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()

    def sheet(title: str, header: list[str], rows: list[list]) -> None:
        ws = workbook.create_sheet(_sheet_title(title, used))
        ws.append([str(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_cell(value) for value in row])
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 20

    header, rows = overview_table(content)
    sheet(_("Overview"), header, rows)
    received = str(MEASURES["received"].label)
    sheet(_("Intake per day"), [_("Day"), received], [[d, n] for d, n in content.daily])
    sheet(_("By channel"), [_("Channel"), received], content.channels)
    sheet(
        _("721 working method"),
        [_("721 mode"), _("Reports handled with this mode")],
        content.modes,
    )
    sheet(
        _("By category"),
        [_("Category"), received, str(MEASURES["registered"].label)],
        content.categories,
    )
    for ranking in content.rankings:
        header, rows = ranking_table(ranking)
        sheet(ranking.title, header, rows)
    for title, header, rows in notable_tables(content):
        sheet(title, header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
