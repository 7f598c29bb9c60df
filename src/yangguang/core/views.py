"""Views that belong to no module: the health and liveness checks."""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_reachable(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """One round trip to the database: the connection opens and answers a query."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Django drops a broken connection when the request ends.
        logger.warning("Health check: the database %r is unreachable.", alias, exc_info=True)
        return False
    return True


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Readiness for the reverse proxy and monitoring: the process answers and the
    database does. 503 while the database is unreachable, so that a proxy takes the
    instance out of rotation and monitoring raises the alarm (等保2.0 GB/T 22239-2019
    8.1.5.4 集中管控: the running state of the system is monitored)."""
    if not database_reachable():
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers requests. It touches neither the database nor the
    cache (a restart would not bring the database back), so it is also the benchmarks'
    baseline of a bare Django JSON endpoint on the same server."""
    return JsonResponse({"status": "ok"})
