"""Views that belong to no module: the liveness check."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the reverse proxy and monitoring: the process answers requests.
    It touches neither the database nor the cache, so it is also the benchmarks'
    baseline of a bare Django JSON endpoint on the same server."""
    return JsonResponse({"status": "ok"})
