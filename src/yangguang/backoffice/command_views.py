"""The command centre (数字化中心): the 大屏 (1920×1080, dark, full-screen), the same
figures as an ordinary responsive page, and the JSON both poll for fresh figures.

The figures come from ``analytics.live.live_figures``; every figure carries the URL of
the list it counts, so every number and every chart item on the pages is a link."""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yangguang.analytics.live import live_figures
from yangguang.org.rules import Action, permission_name

VIEW_COMMAND_CENTRE = permission_name(Action.VIEW_COMMAND_CENTRE)
# Many screens and pages poll at once: one computation serves them all for this long.
CACHE_SECONDS = 3


def figures() -> dict:
    """The live figures, shared for ``CACHE_SECONDS`` (per language: labels are
    translated)."""
    key = f"backoffice:command-live:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = live_figures(now=timezone.now())
        cache.set(key, found, min(CACHE_SECONDS, settings.SCREEN_REFRESH_SECONDS))
    return found


def _page(request: HttpRequest, template: str) -> HttpResponse:
    return render(
        request,
        template,
        {
            "figures": figures(),
            "refresh_seconds": settings.SCREEN_REFRESH_SECONDS,
            "time_zone": settings.TIME_ZONE,
        },
    )


@login_required
@permission_required(VIEW_COMMAND_CENTRE, raise_exception=True)
@require_GET
def command_centre(request: HttpRequest) -> HttpResponse:
    return _page(request, "backoffice/command/centre.html")


@login_required
@permission_required(VIEW_COMMAND_CENTRE, raise_exception=True)
@require_GET
def command_screen(request: HttpRequest) -> HttpResponse:
    return _page(request, "backoffice/command/screen.html")


@login_required
@permission_required(VIEW_COMMAND_CENTRE, raise_exception=True)
@require_GET
@never_cache
def command_live_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(figures(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
