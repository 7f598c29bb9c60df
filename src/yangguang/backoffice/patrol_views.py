"""Patrol duty (巡查在岗): the duty bar of the field staff's phone pages (start and end
of duty, the positions the phone shares while on duty) and the pages of who is on duty
where, a shift's track and each grid's 巡查覆盖率 and 在岗率 — the latter for
``VIEW_POSITIONS`` only, each look recorded (docs/patrol.md)."""

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yangguang.grids.selectors import get_grid_for_user
from yangguang.org.rules import Action, permission_name
from yangguang.patrol.fixes import PatrolError
from yangguang.patrol.selectors import (
    get_shift_for_user,
    grid_figures,
    grid_officer_shifts,
    grid_positions,
    on_duty,
    open_shift,
    shift_track,
)
from yangguang.patrol.services import (
    duty_end,
    duty_start,
    positions_add,
    positions_view_record,
)

REPORT_PATROL = permission_name(Action.REPORT_PATROL)
VIEW_POSITIONS = permission_name(Action.VIEW_POSITIONS)
# The largest body a phone may post: 50 fixes of ~100 bytes, with room to spare.
MAX_BODY_BYTES = 64 * 1024
# The longest period of the grid table, in days.
MAX_PERIOD_DAYS = 92


def _error(error: PatrolError, status: int) -> JsonResponse:
    return JsonResponse(
        {"error": error.as_dict()}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _back(request: HttpRequest) -> HttpResponse:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(candidate)
    return redirect("backoffice:home")


def _float_or_none(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


# --- The field staff's duty bar --------------------------------------------------------


@login_required
@permission_required(REPORT_PATROL, raise_exception=True)
@require_GET
@never_cache
def duty_bar(request: HttpRequest) -> HttpResponse:
    """The bar's content, fetched by duty.js on the pages that include the bar."""
    return render(
        request,
        "backoffice/patrol/_duty_bar_content.html",
        {
            "shift": open_shift(request.user),
            "next": request.GET.get("next", ""),
            "interval_seconds": settings.POSITION_MIN_INTERVAL_SECONDS,
            "batch_max": settings.POSITION_BATCH_MAX,
        },
    )


@login_required
@permission_required(REPORT_PATROL, raise_exception=True)
@require_POST
def duty_start_view(request: HttpRequest) -> HttpResponse:
    try:
        duty_start(user=request.user)
    except PatrolError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("On duty: your phone now shares its position."))
    return _back(request)


@login_required
@permission_required(REPORT_PATROL, raise_exception=True)
@require_POST
def duty_end_view(request: HttpRequest) -> HttpResponse:
    try:
        duty_end(
            user=request.user,
            lon=_float_or_none(request.POST.get("lon", "")),
            lat=_float_or_none(request.POST.get("lat", "")),
        )
    except PatrolError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Off duty: your position is no longer shared."))
    return _back(request)


@login_required
@permission_required(REPORT_PATROL, raise_exception=True)
@require_POST
def duty_positions(request: HttpRequest) -> JsonResponse:
    """The phone's fixes, as JSON ``{"fixes": [{"lon", "lat", "accuracy", "at"}, …]}``."""
    if len(request.body) > MAX_BODY_BYTES:
        return _error(PatrolError("too_large", _("Too much data at once.")), 413)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return _error(PatrolError("bad_json", _("The positions are not valid JSON.")), 400)
    fixes = payload.get("fixes") if isinstance(payload, dict) else None
    try:
        result = positions_add(
            user=request.user,
            fixes=fixes,
            sent_at=payload.get("sent_at") if isinstance(payload, dict) else None,
        )
    except PatrolError as error:
        status = 409 if error.code == "not_on_duty" else 400
        return _error(error, status)
    return JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})


# --- Who is where (VIEW_POSITIONS) ----------------------------------------------------


def _day(text: str, default: datetime.date) -> tuple[datetime.date, bool]:
    if not text:
        return default, True
    try:
        return datetime.date.fromisoformat(text[:10]), len(text) == 10
    except ValueError:
        return default, False


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date, str]:
    today = timezone.localdate()
    first, ok_first = _day(request.GET.get("from", ""), today)
    last, ok_last = _day(request.GET.get("to", ""), today)
    problem = ""
    if not (ok_first and ok_last):
        problem = _("Dates are written like 2026-11-23; showing today.")
        first = last = today
    elif last < first or (last - first).days >= MAX_PERIOD_DAYS or first > today:
        problem = _(
            "Choose a period of at most %(days)d days, not after today, that ends after it "
            "starts; showing today."
        ) % {"days": MAX_PERIOD_DAYS}
        first = last = today
    return first, min(last, today), problem


def _position_row(row) -> dict:
    shift, last = row.shift, row.last
    return {
        "user_id": shift.user_id,
        "name": shift.user.name,
        "post": "、".join(row.posts),
        "unit": shift.user.unit.name if shift.user.unit else "",
        "lon": last.lon if last else None,
        "lat": last.lat if last else None,
        "accuracy": last.accuracy_m if last else None,
        "at": timezone.localtime(last.at).isoformat() if last else None,
        "started_at": timezone.localtime(shift.started_at).isoformat(),
        "shift_id": shift.pk,
        "track_url": reverse("backoffice:patrol_shift", args=[shift.pk]),
    }


def _percent(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.1f}"


def _figure_row(figures) -> dict:
    rates = figures.rates
    return {
        "grid": figures.grid,
        "rates": rates,
        "positions": figures.positions,
        "coverage_pct": _percent(rates.coverage),
        "on_duty_pct": _percent(rates.on_duty_rate),
        "on_duty_hours": f"{rates.on_duty.total_seconds() / 3600:.1f}",
    }


@login_required
@permission_required(VIEW_POSITIONS, raise_exception=True)
@require_GET
def positions_page(request: HttpRequest) -> HttpResponse:
    first, last, problem = _period(request)
    rows = on_duty(request.user)
    figures = grid_figures(viewer=request.user, first_day=first, last_day=last, now=timezone.now())
    positions_view_record(viewer=request.user, what="page")
    return render(
        request,
        "backoffice/patrol/positions.html",
        {
            "rows": rows,
            "markers": [_position_row(row) for row in rows if row.last],
            "figures": [_figure_row(row) for row in figures],
            "retention_days": settings.POSITION_RETENTION_DAYS,
            "first": first,
            "last": last,
            "problem": problem,
            "patrol_hours": (settings.PATROL_HOUR_FROM, settings.PATROL_HOUR_TO),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
@permission_required(VIEW_POSITIONS, raise_exception=True)
@require_GET
@never_cache
def positions_json(request: HttpRequest) -> JsonResponse:
    """On-duty staff with their latest position, for the command centre's map."""
    rows = [_position_row(row) for row in on_duty(request.user)]
    positions_view_record(viewer=request.user, what="json")
    response = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(VIEW_POSITIONS, raise_exception=True)
@require_GET
def shift_page(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = get_shift_for_user(user=request.user, shift_id=shift_id)
    track = shift_track(shift)
    positions_view_record(viewer=request.user, shift=shift, what="track")
    return render(
        request,
        "backoffice/patrol/shift.html",
        {
            "shift": shift,
            "track": track,
            "line": [[p.lat, p.lon] for p in track],
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
@permission_required(VIEW_POSITIONS, raise_exception=True)
@require_GET
def grid_page(request: HttpRequest, grid_id: int) -> HttpResponse:
    """What a grid's two figures count: the positions inside it and its officers' shifts."""
    grid = get_grid_for_user(user=request.user, grid_id=grid_id)
    first, last, problem = _period(request)
    positions = Paginator(grid_positions(grid=grid, first_day=first, last_day=last), 100)
    positions_view_record(viewer=request.user, what=f"grid {grid.code}")
    return render(
        request,
        "backoffice/patrol/grid.html",
        {
            "grid": grid,
            "first": first,
            "last": last,
            "problem": problem,
            "page": positions.get_page(request.GET.get("page")),
            "shifts": grid_officer_shifts(grid=grid, first_day=first, last_day=last),
        },
    )
