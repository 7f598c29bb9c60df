"""The figures of the 大屏 (command-centre screen), from the summaries: today's intake
by channel, open work by state and light, overdue and 督办, cases by stage, this
month's 721 shares, top categories and hot spots. Each figure carries the link to
the list of what it counts."""

import datetime
import hashlib
import json
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.analytics.links import case_list_url, queue_url, report_list_url
from yangguang.analytics.periods import PeriodKind, period_containing
from yangguang.cases.enums import Status as CaseStatus
from yangguang.cases.models import Case
from yangguang.categories.models import Category
from yangguang.grids.models import Grid
from yangguang.reports import tally
from yangguang.reports.enums import Channel, DeadlineState, DisposalMode, Status
from yangguang.reports.measures import TERMINAL
from yangguang.reports.models import Supervision

TOP = 10
# Cases no longer in the bureau's hands.
CASES_ENDED = {
    CaseStatus.NOT_FILED,
    CaseStatus.CLOSED,
    CaseStatus.ARCHIVED,
    CaseStatus.WITHDRAWN,
    CaseStatus.TRANSFERRED,
}


def _share(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(100) * part / whole).quantize(Decimal("0.01")))


def _intake_today(today: datetime.date) -> dict:
    rows = tally.report_rows(since=today, until=today)
    by_channel = tally.measure_sums_by(rows, "channel", ["received"])
    return {
        "count": sum(counts["received"] for counts in by_channel.values()),
        "url": report_list_url("received", since=today, until=today),
        "by_channel": [
            {
                "code": channel.value,
                "label": str(channel.label),
                "count": by_channel.get(channel.value, {}).get("received", 0),
                "url": report_list_url("received", since=today, until=today, channel=channel),
            }
            for channel in Channel
        ],
    }


def _open_work() -> tuple[list[dict], list[dict], dict]:
    # Only the rows of open work (the status index): a few among a million.
    rows = tally.report_rows().exclude(status__in=TERMINAL)
    by_status = tally.measure_sums_by(rows, "status", ["open"])
    open_by_state = [
        {
            "code": status.value,
            "label": str(status.label),
            "count": by_status[status.value]["open"],
            "url": report_list_url("open", status=status.value),
        }
        for status in Status
        if by_status.get(status.value, {}).get("open")
    ]
    sums = tally.measure_sums(rows, ["light_normal", "light_warning", "overdue"])
    # Short words, legible from across the room (the full ones are the lists' headings).
    lights = [
        {
            "code": state.value,
            "label": str(label),
            "count": sums[measure],
            "url": report_list_url(measure),
        }
        for state, label, measure in (
            (DeadlineState.NORMAL, _("Green light"), "light_normal"),
            (DeadlineState.WARNING, _("Yellow light"), "light_warning"),
            (DeadlineState.OVERDUE, _("Red light"), "overdue"),
        )
    ]
    overdue = {"count": sums["overdue"], "url": report_list_url("overdue")}
    return open_by_state, lights, overdue


def _cases_by_stage() -> list[dict]:
    counts = dict(
        Case.objects.order_by()
        .exclude(status__in=CASES_ENDED)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return [
        {
            "code": status.value,
            "label": str(status.label),
            "count": counts[status.value],
            "url": case_list_url(status.value),
        }
        for status in CaseStatus
        if counts.get(status.value)
    ]


def _shares_721(month) -> dict:
    modes = [f"mode_{mode.value}" for mode in DisposalMode]
    sums = tally.measure_sums(
        tally.report_rows(since=month.start, until=month.end), ["mode_set", *modes]
    )
    return {
        "period": month.label,
        "handled": sums["mode_set"],
        "items": [
            {
                "code": mode.value,
                "label": str(mode.label),
                "count": sums[f"mode_{mode.value}"],
                "share": _share(sums[f"mode_{mode.value}"], sums["mode_set"]),
                "url": report_list_url(f"mode_{mode.value}", since=month.start, until=month.end),
            }
            for mode in DisposalMode
        ],
    }


def _top_categories(month) -> list[dict]:
    rows = tally.report_rows(since=month.start, until=month.end).filter(category__isnull=False)
    counts = tally.measure_sums_by(rows, "category", ["received"])
    top = sorted(counts.items(), key=lambda item: (-item[1]["received"], item[0]))[:TOP]
    names = {
        category.pk: category
        for category in Category.objects.filter(pk__in=[pk for pk, _counts in top])
    }
    return [
        {
            "code": names[pk].code if pk in names else str(pk),
            "label": names[pk].name if pk in names else str(pk),
            "count": item["received"],
            "url": report_list_url("received", since=month.start, until=month.end, category_id=pk),
        }
        for pk, item in top
    ]


def _hot_spots() -> list[dict]:
    load = tally.open_load_by_grid()
    top = sorted(load.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:TOP]
    grids = {
        grid.pk: grid
        for grid in Grid.objects.filter(pk__in=[pk for pk, _lights in top]).select_related(
            "community"
        )
    }
    spots = []
    for pk, lights in top:
        grid = grids.get(pk)
        if grid is None:
            continue
        label = " ".join(part for part in (grid.name, getattr(grid.community, "name", "")) if part)
        spots.append(
            {
                "code": grid.code,
                "label": label or grid.code,
                "count": sum(lights.values()),
                "overdue": lights.get("overdue", 0),
                "url": report_list_url("open", grid=grid.code),
            }
        )
    return spots


def live_figures(*, now: datetime.datetime) -> dict:
    """Everything the 大屏 shows at ``now``, JSON-ready, with a ``version`` that changes
    when any figure does."""
    today = timezone.localtime(now).date()
    month = period_containing(PeriodKind.MONTH, today)
    open_by_state, lights, overdue = _open_work()
    figures = {
        "intake_today": _intake_today(today),
        "open_by_state": open_by_state,
        "lights": lights,
        "overdue": overdue,
        "supervised": {
            "count": Supervision.objects.filter(replied_at__isnull=True)
            .values("report")
            .distinct()
            .count(),
            "url": queue_url("supervised"),
        },
        "cases_by_stage": _cases_by_stage(),
        "shares_721": _shares_721(month),
        "top_categories": _top_categories(month),
        "hot_spots": _hot_spots(),
    }
    digest = hashlib.sha256(
        json.dumps(figures, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return {
        "generated_at": timezone.localtime(now).isoformat(),
        "version": digest,
        "title": _("Command centre"),
        **figures,
    }
