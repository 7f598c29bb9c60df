"""The bureau before enforcement (事前公开, 国办发〔2018〕118号): who the bureau is and
where its units work, the 权责清单 with the published discretion standards, the
procedure flow charts and the 随机抽查事项清单 with all its versions.

Everything shown is generated from the domain's own data on each request (the
catalogue, the state machines' tables, the published list versions), so it cannot
drift from what the system applies. Nothing personal is shown: no names of staff or
citizens, only the bureau's public contacts."""

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yangguang.disclosure import before, flowchart, powers
from yangguang.disclosure.enums import ListKind
from yangguang.disclosure.models import ListVersion
from yangguang.disclosure.selectors import bureau_profile, current_list, list_versions

# A version number in an address: ASCII digits only (int() would take ٣ or ３).
VERSION = re.compile(r"[0-9]{1,9}")
KIND = ListKind.RANDOM_INSPECTION


@require_GET
def bureau(request: HttpRequest) -> HttpResponse:
    squadrons, streets = before.bureau_units()
    return render(
        request,
        "portal/before/bureau.html",
        {
            "profile": bureau_profile(),
            "remedies": powers.remedies(),
            "squadrons": squadrons,
            "streets": streets,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@require_GET
def bureau_areas(request: HttpRequest) -> JsonResponse:
    """The squadrons' areas as GeoJSON for the map (unit names only)."""
    return JsonResponse(before.bureau_areas_geojson())


@require_GET
def power_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/before/powers.html",
        {"powers": powers.powers(), "profile": bureau_profile(), "remedies": powers.remedies()},
    )


@require_GET
def power_detail(request: HttpRequest, power_code: str) -> HttpResponse:
    found = powers.power(power_code)
    if found is None:
        raise Http404
    return render(
        request,
        "portal/before/power.html",
        {
            "power": found,
            "profile": bureau_profile(),
            "remedies": powers.remedies(),
            "guide": powers.service_guide(),
        },
    )


@require_GET
def procedure(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/before/procedure.html", {"charts": flowchart.charts()})


def _version_context(version: ListVersion | None) -> dict:
    previous = None
    if version is not None:
        previous = list_versions(KIND).filter(number__lt=version.number).first()
    return {
        "version": version,
        "columns": before.columns_of(KIND),
        "rows": [
            [row.get(column.key, "") for column in before.columns_of(KIND)]
            for row in (version.rows if version else [])
        ],
        "changes": before.version_changes(version, previous) if version else None,
        "previous": previous,
        "versions": ListVersion.objects.filter(kind=KIND)
        .order_by("-number")
        .only("number", "note", "published_at", "kind"),
    }


@require_GET
def inspections(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/before/inspections.html",
        {**_version_context(current_list(KIND)), "is_current": True},
    )


@require_GET
def inspection_version(request: HttpRequest, version: str) -> HttpResponse:
    if not VERSION.fullmatch(version):
        raise Http404
    found = list_versions(KIND).filter(number=int(version)).first()
    if found is None:
        raise Http404
    latest = current_list(KIND)
    return render(
        request,
        "portal/before/inspections.html",
        {**_version_context(found), "is_current": latest is not None and latest.pk == found.pk},
    )


@require_GET
def inspections_xlsx(request: HttpRequest) -> HttpResponse:
    """A version (``?version=n``, default the current one) as a workbook."""
    number = request.GET.get("version", "")
    if number:
        if not VERSION.fullmatch(number):
            raise Http404
        found = list_versions(KIND).filter(number=int(number)).first()
    else:
        found = current_list(KIND)
    if found is None:
        raise Http404
    response = HttpResponse(
        before.list_xlsx(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="random-inspection-v{found.number}.xlsx"'
    )
    return response
