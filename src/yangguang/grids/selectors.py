"""Reads of unit grids, and the point → grid lookup through a spatial index.

The index lives in process memory and is rebuilt when the grids change: its key is
(number of grids, highest id, latest update time), one cheap aggregate query per lookup
(the id too: grids deleted and imported again within one clock tick keep count and
time, but not their ids, and an index of the old ids would find no grid), so every
process (gunicorn worker, task worker) notices an import without any messaging.
"""

import threading

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from yangguang.grids.index import GridIndex
from yangguang.grids.models import Grid
from yangguang.org.models import User
from yangguang.org.selectors import scope_filter

_lock = threading.Lock()
_cached: dict[str, object] = {"key": None, "index": None}


def _index_key() -> tuple:
    state = Grid.objects.aggregate(count=Count("id"), top=Max("id"), latest=Max("updated_at"))
    return (state["count"], state["top"], state["latest"])


def grid_index() -> GridIndex:
    key = _index_key()
    with _lock:
        if _cached["key"] != key or _cached["index"] is None:
            rows = Grid.objects.values_list("id", "code", "geometry")
            _cached["index"] = GridIndex.from_geojson(list(rows))
            _cached["key"] = key
        return _cached["index"]  # type: ignore[return-value]


def grid_at(*, lon: float, lat: float) -> Grid | None:
    """The grid covering the point, or None outside every grid."""
    grid_id = grid_index().locate(lon, lat)
    if grid_id is None:
        return None
    return (
        Grid.objects.select_related("community", "community__parent", "squadron")
        .filter(pk=grid_id)
        .first()
    )


def grids_visible_to(user: User) -> QuerySet[Grid]:
    """Grids of the user's communities, or patrolled by the user's squadrons."""
    return (
        Grid.objects.filter(
            scope_filter(user=user, unit_field="community")
            | scope_filter(user=user, unit_field="squadron")
        )
        .select_related("community", "community__parent", "squadron")
        .prefetch_related("officers")
    )


def get_grid_for_user(*, user: User, grid_id: int) -> Grid:
    try:
        return grids_visible_to(user).get(pk=grid_id)
    except Grid.DoesNotExist as exc:
        raise Http404 from exc
