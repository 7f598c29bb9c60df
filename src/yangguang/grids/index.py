"""Point → grid lookup over an R-tree (shapely ``STRtree``).

Kept free of Django so it can be built from any source (database rows, demo data,
benchmarks); caching and invalidation live with the callers.
"""

from collections.abc import Iterable, Mapping

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


class GridIndex:
    """Answers "which grid is this point in?".

    A point on the edge or vertex shared by several grids belongs to the one with the
    smallest code, so every process gives the same answer for the same data. Geometries
    are stored sorted by (code, id): the smallest matching position is then that grid.
    """

    def __init__(self, entries: Iterable[tuple[int, str, BaseGeometry]]) -> None:
        rows = sorted(entries, key=lambda row: (row[1], row[0]))
        self._ids = [grid_id for grid_id, _code, _geometry in rows]
        self._geometries = np.array([geometry for _id, _code, geometry in rows], dtype=object)
        self._tree = shapely.STRtree(self._geometries)

    @classmethod
    def from_geojson(cls, entries: Iterable[tuple[int, str, Mapping]]) -> "GridIndex":
        """Build from stored GeoJSON, which was validated when it was saved."""
        return cls((grid_id, code, shape(geojson)) for grid_id, code, geojson in entries)

    def __len__(self) -> int:
        return len(self._ids)

    def locate(self, lon: float, lat: float) -> int | None:
        """Id of the grid covering (lon, lat), boundary included; None outside all grids."""
        hits = self._tree.query(_point(lon, lat), predicate="intersects")
        # Plain Python on the one to three hits beats NumPy's per-call overhead.
        return self._ids[min(hits.tolist())] if hits.size else None

    def locate_brute_force(self, lon: float, lat: float) -> int | None:
        """Same answer as ``locate`` by testing every grid (a vectorised GEOS call).

        The reference for tests and the baseline for bench/grid_lookup.py.
        """
        hits = np.flatnonzero(shapely.intersects(self._geometries, _point(lon, lat)))
        return self._ids[hits[0]] if hits.size else None

    def locate_many(self, points: Iterable[tuple[float, float]] | np.ndarray) -> list[int | None]:
        """``locate`` for many (lon, lat) pairs (or an n × 2 array) in one tree query."""
        if not isinstance(points, np.ndarray):
            points = list(points)
        coordinates = np.asarray(points, dtype=float).reshape(-1, 2)
        point_numbers, positions = self._tree.query(
            shapely.points(coordinates), predicate="intersects"
        )
        # Per point, the smallest matching position, i.e. the smallest code.
        no_hit = len(self._ids)
        best = np.full(len(coordinates), no_hit)
        np.minimum.at(best, point_numbers, positions)
        return [None if position == no_hit else self._ids[position] for position in best]


def _point(lon: float, lat: float) -> shapely.Point:
    # Half the cost of ``shapely.Point(lon, lat)``, which is most of a lookup's time.
    return shapely.points((lon, lat))
