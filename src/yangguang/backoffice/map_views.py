"""The command centre's map (指挥地图): reports as clusters and a heat layer, grids
coloured by their open load, and (for those who may see them) the patrol on duty.

The page holds the map and its filters; its script fetches three JSON documents:

- ``command_map_reports``: the points, ``[id, lat, lon, status, light]`` each (the light
  only for open reports), the newest ``settings.MAP_POINTS_MAX`` of those the filters
  select among the reports the user may see;
- ``command_map_report``: one report's popup (no personal data of the reporter);
- ``command_map_grids``: the user's grids as GeoJSON with their open reports by light
  (``reports.tally.open_load_by_grid``) and a link to the list of them.

A filter value that cannot be read is answered 400 with ``{"error": {"field",
"message"}}``: never a 500, never silently ignored.

The base map is the bureau's tile server (or 天地图 with its key) when one is set, else
the GeoJSON base layer ``settings.MAP_BASE_LAYER`` (the demo's streets and names).
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yangguang.categories.enums import CategoryKind
from yangguang.categories.selectors import major_classes
from yangguang.grids.selectors import grids_visible_to
from yangguang.org.rules import Action, permission_name
from yangguang.records.registry import pk_or_404
from yangguang.reports.enums import TERMINAL, DeadlineState, Status
from yangguang.reports.models import Report
from yangguang.reports.selectors import OPEN, get_report_for_user, reports_visible_to

VIEW_COMMAND_CENTRE = permission_name(Action.VIEW_COMMAND_CENTRE)
VIEW_POSITIONS = permission_name(Action.VIEW_POSITIONS)
PATROL_POSITIONS = "backoffice:patrol_positions_json"

STATE_OPEN = "open"
LIGHTS = tuple(DeadlineState.values)
# A category code as GB/T 47678.5 and local lists write it, optionally after its kind
# ("event:06"); two characters are a major class. ASCII only: int() and \d would take
# "٠٦" (Arabic-Indic digits) for "06".
CATEGORY = re.compile(r"(?:(?P<kind>[a-z]+):)?(?P<code>[0-9A-Za-z]{2,12})")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)
PARAMETER_MAX = 40


class BadFilterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MapFilters:
    state: str = ""  # "", "open", a status or a light (of open reports)
    kind: str = ""
    category: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.state == STATE_OPEN:
            reports = reports.filter(OPEN)
        elif self.state in LIGHTS:
            reports = reports.filter(OPEN, deadline_state=self.state)
        elif self.state:
            reports = reports.filter(status=self.state)
        if self.kind:
            reports = reports.filter(category__kind=self.kind)
        if len(self.category) == 2:
            reports = reports.filter(category__major_code=self.category)
        elif self.category:
            reports = reports.filter(category__code=self.category)
        if self.since:
            reports = reports.filter(created_at__gte=_day_start(self.since))
        if self.until:
            reports = reports.filter(created_at__lt=_day_start(self.until, after=1))
        return reports


def map_filters(query) -> MapFilters:
    """The filters of a query string; ``BadFilterError`` names the first it cannot read."""
    values = {}
    for name in ("state", "category", "since", "until"):
        value = query.get(name, "")
        if len(value) > PARAMETER_MAX or "\x00" in value:
            raise BadFilterError(name, _("This filter value is too long or not text."))
        values[name] = value.strip()
    state = values["state"]
    if state and state != STATE_OPEN and state not in LIGHTS and state not in Status.values:
        raise BadFilterError("state", _("Unknown report state: choose open, a status or a light."))
    kind, category = "", ""
    if values["category"]:
        found = CATEGORY.fullmatch(values["category"])
        if found is None or (found["kind"] and found["kind"] not in CategoryKind.values):
            raise BadFilterError(
                "category",
                _("A category is its code (e.g. 01037 or event:06), in ASCII letters and digits."),
            )
        kind, category = found["kind"] or "", found["code"]
    since, until = _date(values["since"], "since"), _date(values["until"], "until")
    if since and until and since > until:
        raise BadFilterError("until", _("The end date is before the start date."))
    return MapFilters(state=state, kind=kind, category=category, since=since, until=until)


def _date(value: str, field: str) -> datetime.date | None:
    if not value:
        return None
    message = _("A date is written as YYYY-MM-DD, between 2000 and 2099.")
    if not DATE.fullmatch(value):
        raise BadFilterError(field, message)
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise BadFilterError(field, message) from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadFilterError(field, message)
    return day


def _day_start(day: datetime.date, *, after: int = 0) -> datetime.datetime:
    """Local midnight: a range on the indexed column."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=after), datetime.time.min)
    )


def _bad(exc: BadFilterError) -> JsonResponse:
    return JsonResponse(
        {"error": {"field": exc.field, "message": exc.message}},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def patrol_url(user) -> str:
    """The patrol positions' JSON when the user may see them and it exists, else ""."""
    if not user.has_perm(VIEW_POSITIONS):
        return ""
    try:
        return reverse(PATROL_POSITIONS)
    except NoReverseMatch:
        return ""


def base_layer_url() -> str:
    """The offline base layer's URL: a static path, or a URL as configured."""
    configured = settings.MAP_BASE_LAYER
    if not configured or configured.startswith(("/", "http://", "https://")):
        return configured
    return static(configured)


def _state_choices() -> list[tuple[str, str]]:
    return [
        ("", _("All reports")),
        (STATE_OPEN, _("Open reports")),
        *((light, label) for light, label in DeadlineState.choices),
        *Status.choices,
    ]


def _category_choices() -> list[tuple[str, str]]:
    kinds = dict(CategoryKind.choices)
    return [
        (f"{kind}:{code}", f"{kinds.get(kind, kind)} {code} {name}")
        for kind, code, name in major_classes()
    ]


@login_required
@permission_required(VIEW_COMMAND_CENTRE, raise_exception=True)
@require_GET
def command_map(request: HttpRequest) -> HttpResponse:
    try:
        filters = map_filters(request.GET)
        error = ""
    except BadFilterError as exc:
        filters, error = MapFilters(state=STATE_OPEN), exc.message
    if "state" not in request.GET and not error:
        filters = MapFilters(state=STATE_OPEN)
    category = f"{filters.kind}:{filters.category}" if filters.kind else filters.category
    context = {
        "filters": filters,
        "category": category,
        "states": _state_choices(),
        "categories": _category_choices(),
        "error": error,
        "patrol_url": patrol_url(request.user),
        "tile_url": settings.MAP_TILE_URL,
        "label_tile_url": settings.MAP_LABEL_TILE_URL,
        "tile_subdomains": settings.MAP_TILE_SUBDOMAINS,
        "tile_key": settings.MAP_TILE_KEY,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "base_layer_url": "" if settings.MAP_TILE_URL else base_layer_url(),
        "points_max": f"{settings.MAP_POINTS_MAX:,}",
    }
    return render(request, "backoffice/command/map.html", context)


@login_required
@permission_required(VIEW_COMMAND_CENTRE, raise_exception=True)
@require_GET
@never_cache
def command_map_reports(request: HttpRequest) -> JsonResponse:
    try:
        filters = map_filters(request.GET)
    except BadFilterError as exc:
        return _bad(exc)
    limit = max(1, settings.MAP_POINTS_MAX)
    reports = filters.apply(
        reports_visible_to(request.user).filter(latitude__isnull=False, longitude__isnull=False)
    )
    rows = list(
        reports.order_by("-created_at", "-pk").values_list(
            "pk", "latitude", "longitude", "status", "deadline_state"
        )[: limit + 1]
    )
    truncated = len(rows) > limit
    rows = rows[:limit]
    points = [
        [
            pk,
            round(latitude, 6),
            round(longitude, 6),
            status,
            "" if status in TERMINAL else light,
        ]
        for pk, latitude, longitude, status, light in rows
    ]
    count = reports.count() if truncated else len(points)
    return JsonResponse({"count": count, "truncated": truncated, "points": points})


@login_required
@permission_required(VIEW_COMMAND_CENTRE, raise_exception=True)
@require_GET
@never_cache
def command_map_report(request: HttpRequest, report_id: str) -> JsonResponse:
    """What the popup shows of one report: nothing of who reported it."""
    report = get_report_for_user(user=request.user, report_id=pk_or_404(report_id))
    category = report.category
    open_ = report.status not in TERMINAL
    body = {
        "id": report.pk,
        "tracking_number": report.tracking_number,
        "category": category.name if category else "",
        "category_code": category.code if category else "",
        "status": report.status,
        "status_label": report.get_status_display(),
        "light": report.deadline_state if open_ else "",
        "light_label": report.get_deadline_state_display() if open_ else "",
        "address": report.address,
        "grid": report.grid.code if report.grid_id else "",
        "received": timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M"),
        "url": reverse("backoffice:report", args=[report.pk]),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def open_load_by_grid() -> dict[int, dict[str, int]]:
    """Open reports by grid and light, as the tally keeps them."""
    from yangguang.reports import tally

    return tally.open_load_by_grid()


@login_required
@permission_required(VIEW_COMMAND_CENTRE, raise_exception=True)
@require_GET
@never_cache
def command_map_grids(request: HttpRequest) -> JsonResponse:
    """The user's grids with their open load: a GeoJSON FeatureCollection."""
    load = open_load_by_grid()
    rows = grids_visible_to(request.user).values_list(
        "pk", "code", "name", "community__parent__name", "community__name", "geometry"
    )
    queue = reverse("backoffice:queue", args=["all"])
    features = []
    for pk, code, name, street, community, geometry in rows:
        lights = load.get(pk, {})
        counts = {light: int(lights.get(light, 0)) for light in LIGHTS}
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "code": code,
                    "name": name,
                    "street": street,
                    "community": community,
                    "open": sum(counts.values()),
                    "warning": counts[DeadlineState.WARNING],
                    "overdue": counts[DeadlineState.OVERDUE],
                    "url": f"{queue}?{urlencode({'grid': code, 'measure': 'open'})}",
                },
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"ensure_ascii": False},
    )
