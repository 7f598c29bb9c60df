"""Public statistics (事后公开, open data): the report loop per sub-district and month
(``reports.public_statistics``), and the annual enforcement statistics report
(``cases.annual_statistics``) as a page, PDF and .xlsx.

Charts are drawn here as inline SVG (no script, nothing from elsewhere), each with its
figures in a table beside it for readers who cannot see the picture. Only counts and
rates are shown: no report, no person."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from yangguang.cases.annual_statistics import (
    AnnualStatistics,
    StatTable,
    YearError,
    annual_pdf,
    annual_statistics,
    annual_xlsx,
    subtitle,
)
from yangguang.org.models import Unit
from yangguang.reports.public_statistics import (
    CategoryCount,
    Month,
    MonthError,
    MonthlyStatistics,
    last_full_month,
    month_of,
    month_parse,
    public_statistics,
    public_streets,
)

# --- Charts -------------------------------------------------------------------------------

WIDTH = 360  # the SVG's user units; it scales to the column (390 px phones and up)
LABEL_WIDTH = 92
BAR_START = 96
BAR_ROOM = 200
ROW = 26
BAR_HEIGHT = 16


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    y: float
    width: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> float:
        return BAR_START + self.width + 4


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    header: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * ROW + 8

    width = WIDTH
    label_x = LABEL_WIDTH
    bar_x = BAR_START
    bar_height = BAR_HEIGHT


def _shown(value: Decimal | int | None, *, percent: bool) -> str:
    if value is None:
        return _("no data")
    return f"{value}%" if percent else str(value)


def bar_chart(
    *,
    key: str,
    title: str,
    header: str,
    rows: list[tuple[str, Decimal | int | None]],
    percent: bool,
) -> Chart:
    """Horizontal bars, one per row; rates on a 0–100 scale, counts on the largest."""
    top = Decimal(100) if percent else Decimal(max([v or 0 for _l, v in rows], default=0) or 1)
    bars = [
        Bar(
            label=label,
            shown=_shown(value, percent=percent),
            y=4 + index * ROW,
            width=round(float(BAR_ROOM * Decimal(value or 0) / top), 1),
        )
        for index, (label, value) in enumerate(rows)
    ]
    description = "；".join(f"{bar.label}：{bar.shown}" for bar in bars)
    return Chart(key=key, title=title, description=description, header=header, bars=bars)


# --- The monthly page -------------------------------------------------------------------


class StatisticsForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), required=False, max_length=20)
    street = forms.TypedChoiceField(
        label=gettext_lazy("Sub-district"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, streets: list[Unit], now, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        self.streets = {unit.pk: unit for unit in streets}
        self.fields["street"].choices = [("", _("All sub-districts"))] + [
            (unit.pk, unit.name) for unit in streets
        ]
        self.fields["street"].error_messages["invalid_choice"] = _(
            "Choose a sub-district from the list."
        )
        self.fields["month"].error_messages["max_length"] = _(
            "Give the month as year and month, for example 2026-05."
        )

    def clean_month(self) -> Month:
        text = self.cleaned_data.get("month") or ""
        if not text.strip():
            return last_full_month(self.now)
        try:
            return month_parse(text, now=self.now)
        except MonthError as error:
            raise forms.ValidationError(str(error), code="month") from error

    def chosen_street(self) -> Unit | None:
        return self.streets.get(self.cleaned_data.get("street"))


def _month_label(month: Month) -> str:
    """The month as the active language writes it (2026年10月)."""
    return date_format(datetime.date(month.year, month.month, 1), "YEAR_MONTH_FORMAT")


def _charts(stats: MonthlyStatistics) -> list[Chart]:
    rows = stats.streets
    specs = [
        ("received", _("Reports received"), None, False),
        ("closing", _("Closing rate"), "closing_rate", True),
        ("on-time", _("Closed on time"), "on_time_rate", True),
        ("satisfaction", _("Satisfaction rate"), "satisfaction_rate", True),
    ]
    charts = []
    for key, title, attribute, percent in specs:
        data = [
            (
                row.street.name,
                getattr(row.indicators, attribute)
                if attribute
                else row.indicators.counts["received"],
            )
            for row in rows
        ]
        charts.append(bar_chart(key=key, title=title, header=title, rows=data, percent=percent))
    return charts


def _top_chart(top: list[CategoryCount]) -> Chart:
    return bar_chart(
        key="categories",
        title=_("Most reported categories"),
        header=_("Number of reports"),
        rows=[(item.name, item.count) for item in top],
        percent=False,
    )


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    streets = public_streets()
    form = StatisticsForm(request.GET, streets=streets, now=now)
    context: dict = {
        "form": form,
        "latest": month_of(now).key,
        "annual_url": reverse("portal:statistics_annual_index"),
    }
    if not form.is_valid():
        return render(request, "portal/statistics/monthly.html", context, status=400)
    month, street = form.cleaned_data["month"], form.chosen_street()
    key = f"monthly-statistics:{month.key}:{street.pk if street else ''}:{now:%Y%m%d%H}"
    stats = cache.get(key)
    if stats is None:  # the month's figures, kept within the hour (see ANNUAL_CACHE_SECONDS)
        stats = public_statistics(month=month, street=street, now=now)
        cache.set(key, stats, ANNUAL_CACHE_SECONDS)
    context.update(
        stats=stats,
        month=month,
        month_label=_month_label(month),
        street=street,
        charts=_charts(stats),
        top_chart=_top_chart(stats.top_categories),
        previous=month.previous().key,
        next=month.next().key if month.next() <= month_of(now) else "",
    )
    return render(request, "portal/statistics/monthly.html", context)


# --- The annual report ------------------------------------------------------------------


# Public figures need not be live: the year's figures (a dozen aggregates over every case)
# are kept for a few minutes, per day for the running year.
ANNUAL_CACHE_SECONDS = 600


def _annual(request: HttpRequest, year: int) -> AnnualStatistics | HttpResponse:
    key = f"annual-statistics:{year}:{timezone.localdate().isoformat()}"
    try:
        figures = cache.get(key)
        if figures is None:
            figures = annual_statistics(year=year)
            cache.set(key, figures, ANNUAL_CACHE_SECONDS)
        return figures
    except YearError as error:
        context = {"year": year, "message": str(error)}
        return render(request, "portal/statistics/annual_missing.html", context, status=404)


@require_GET
def annual_index(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    years = list(range(this_year - 1, this_year - 6, -1))
    return render(
        request,
        "portal/statistics/annual_index.html",
        {"this_year": this_year, "years": years},
    )


def _kinds_as_rows(table: StatTable) -> StatTable:
    """The penalty table turned a quarter: a row per kind, a column per procedure — the
    printed table's ten columns do not fit a phone; the PDF and .xlsx keep them."""
    headers = [_("Penalty kind"), *[str(row[0]) for row in table.rows]]
    rows = [
        [header, *[row[index] for row in table.rows]]
        for index, header in enumerate(table.headers[1:], start=1)
    ]
    return StatTable(title=table.title, headers=headers, rows=rows, note=table.note)


@require_GET
def annual(request: HttpRequest, year: int) -> HttpResponse:
    stats = _annual(request, year)
    if isinstance(stats, HttpResponse):
        return stats
    penalties, *others = stats.tables()
    context = {
        "stats": stats,
        "subtitle": subtitle(stats),
        "tables": [_kinds_as_rows(penalties), *others],
        "previous": year - 1,
    }
    return render(request, "portal/statistics/annual.html", context)


def _download(content: bytes, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    stats = _annual(request, year)
    if isinstance(stats, HttpResponse):
        return stats
    return _download(
        annual_pdf(stats), content_type="application/pdf", name=f"statistics-{year}.pdf"
    )


@require_GET
def annual_report_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    stats = _annual(request, year)
    if isinstance(stats, HttpResponse):
        return stats
    return _download(
        annual_xlsx(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name=f"statistics-{year}.xlsx",
    )
