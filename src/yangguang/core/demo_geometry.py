"""Boundaries for the demo district 阳光区: streets, communities and unit grids that tile it.

Each level is a Voronoi tessellation of random seeds inside its parent, relaxed a few
times (Lloyd) so the cells look like drawn blocks rather than shards, and clipped to the
parent: communities therefore tile their street and grids their community exactly, as
the real ones must (every point of the district belongs to one grid).

The work is done in metres on a local equirectangular plane around ``ORIGIN`` (so
"round" cells are round on the map) and converted to lon/lat at the end. The grids are
then put on the 1e-7° lattice the database stores, with every vertex shared by its
neighbours (``_stored_precision``), and communities, streets and the district are rebuilt
as unions of their grids: saved and reloaded, the tiling is still exact.
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

from yangguang.grids.geometry import METRES_PER_DEGREE

ORIGIN_LON, ORIGIN_LAT = 116.60, 35.40
PRECISION_DEGREES = 1e-7  # grids.geometry.to_geojson keeps 7 decimals
_METRES_PER_DEGREE_LON = METRES_PER_DEGREE * math.cos(math.radians(ORIGIN_LAT))

DISTRICT_NAME = "阳光区"
STREETS = (
    ("阳光街道", ("朝阳社区", "向阳社区", "春晖社区")),
    ("和平街道", ("和平里社区", "文化社区", "团结社区")),
    ("振兴街道", ("振兴社区", "新华社区", "光明社区")),
    ("滨河街道", ("滨河社区", "柳岸社区", "东湖社区", "翠苑社区")),
)
DISTRICT_AREA_M2 = 5_000_000.0
DISTRICT_VERTICES = 12
GRID_COUNT_TARGET = 260  # ≈ 1.9 ha each; a 万米单元网格 is about 1 ha
LLOYD_ITERATIONS = 3
# A grid under this share of the community's typical grid (usually a corner clipped off
# by the parent's boundary) is merged into a neighbour rather than kept as a scrap.
SMALL_GRID_SHARE = 0.4
# Holes left by float noise when merging two cells are far below a square metre.
_NOISE_HOLE_M2 = 1.0
_TOUCH_M = 1e-6
_CANDIDATES = 10  # per seed, for _spread_points

GENERATED_SPACING_M = 110.0  # ≈ 1.2 ha cells, like real unit grids
_JITTER = 0.35  # of the spacing: irregular cells while each seed stays in its lattice cell


@dataclass(frozen=True)
class DemoCommunity:
    name: str
    polygon: Polygon
    grids: list[Polygon]


@dataclass(frozen=True)
class DemoStreet:
    name: str
    polygon: Polygon
    communities: list[DemoCommunity]


@dataclass(frozen=True)
class DemoDistrict:
    name: str
    polygon: Polygon
    streets: list[DemoStreet]


def demo_district(seed: int = 2026) -> DemoDistrict:
    """The demo district; the same seed always gives the same boundaries.

    Streets and communities are named in the order given in ``STREETS`` after sorting
    their cells north→south, west→east; grids within a community are listed in that
    order too (DB11 numbering: 从西向东、由北至南), ready to take sequence numbers.
    """
    rng = np.random.default_rng(seed)
    district = _district_outline(rng=rng)
    grid_area = district.area / GRID_COUNT_TARGET
    layout = []  # in metres: for each street, for each community, its grids
    street_cells = _tessellate(district, count=len(STREETS), rng=rng)
    for (_street_name, community_names), street in zip(STREETS, street_cells, strict=True):
        community_cells = _tessellate(street, count=len(community_names), rng=rng)
        layout.append(
            [_grids(community, grid_area=grid_area, rng=rng) for community in community_cells]
        )
    flat = [grid for street in layout for community in street for grid in community]
    stored = iter(_stored_precision(list(_to_lonlat(np.array(flat)))))
    # Parents are rebuilt as unions of their (stored) grids, so they match them exactly.
    streets = []
    for (street_name, community_names), street in zip(STREETS, layout, strict=True):
        communities = []
        for name, grids in zip(community_names, street, strict=True):
            polygons = list(itertools.islice(stored, len(grids)))
            communities.append(DemoCommunity(name=name, polygon=_union(polygons), grids=polygons))
        polygon = _union([community.polygon for community in communities])
        streets.append(DemoStreet(name=street_name, polygon=polygon, communities=communities))
    polygon = _union([street.polygon for street in streets])
    return DemoDistrict(name=DISTRICT_NAME, polygon=polygon, streets=streets)


def generated_grids(count: int, *, seed: int = 1) -> list[Polygon]:
    """``count`` grids of ~1.2 ha tiling a rectangle centred on the demo district.

    For benchmarks: 50,000 grids cover about 30 km × 20 km. The seeds are a jittered
    lattice, so the cells are irregular polygons of mostly 5–7 vertices like real grids,
    and a single Voronoi pass over the whole set keeps this fast (~1 s for 50,000).
    Unlike ``demo_district`` they are not snapped to the stored precision.
    """
    rng = np.random.default_rng(seed)
    columns = math.ceil(math.sqrt(count * 1.5))
    rows = math.ceil(count / columns)
    numbers = np.arange(count)
    lattice = np.column_stack([numbers % columns, numbers // columns]) + 0.5
    width, height = columns * GENERATED_SPACING_M, rows * GENERATED_SPACING_M
    seeds = (lattice + rng.uniform(-_JITTER, _JITTER, (count, 2))) * GENERATED_SPACING_M
    seeds -= [width / 2, height / 2]
    frame = shapely.box(-width / 2, -height / 2, width / 2, height / 2)
    cells = _voronoi_cells(seeds, frame)
    return list(_to_lonlat(cells))


def _grids(community: Polygon, *, grid_area: float, rng: np.random.Generator) -> list[Polygon]:
    count = max(1, round(community.area / grid_area))
    min_area = SMALL_GRID_SHARE * community.area / count
    return _tessellate(community, count=count, rng=rng, min_area=min_area)


def _stored_precision(grids: list[Polygon]) -> list[Polygon]:
    """The grids on the 1e-7° lattice GeoJSON is stored at, sharing every vertex.

    Rounding each grid on its own would move a vertex that lies on a neighbour's edge
    (where a grid edge meets a community boundary) off that edge, leaving overlaps and
    gaps of up to ~1 m² that the grid import rejects. So the boundaries of all grids are
    noded together with snap-rounding and polygonised again, and each face goes back to
    the grid it overlaps most: storing the result loses nothing.
    """
    linework = shapely.union_all(shapely.boundary(grids), grid_size=PRECISION_DEGREES)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
    originals = np.array(grids)
    tree = shapely.STRtree(originals)
    owned: list[list[Polygon]] = [[] for _ in grids]
    for face in faces:
        candidates = tree.query(face, predicate="intersects")
        overlaps = shapely.area(shapely.intersection(originals[candidates], face))
        owned[candidates[overlaps.argmax()]].append(face)
    return [_union(faces) for faces in owned]


def _union(polygons: list[Polygon]) -> Polygon:
    return shapely.union_all(polygons, grid_size=PRECISION_DEGREES)


def _district_outline(*, rng: np.random.Generator) -> Polygon:
    """A star-shaped (hence simple) irregular polygon, scaled to ``DISTRICT_AREA_M2``."""
    steps = np.arange(DISTRICT_VERTICES) + rng.uniform(-0.3, 0.3, DISTRICT_VERTICES)
    angles = 2 * math.pi * steps / DISTRICT_VERTICES
    radii = 1 + rng.uniform(-0.2, 0.2, DISTRICT_VERTICES)
    # Wider than tall, like a district along a river.
    outline = Polygon(np.column_stack([1.3 * radii * np.cos(angles), radii * np.sin(angles)]))
    scale = math.sqrt(DISTRICT_AREA_M2 / outline.area)
    return shapely.transform(outline, lambda xy: xy * scale)


def _tessellate(
    parent: Polygon, *, count: int, rng: np.random.Generator, min_area: float = 0.0
) -> list[Polygon]:
    """``count`` (fewer after merging scraps) polygons tiling ``parent``, in reading order."""
    if count == 1:
        return [parent]
    seeds = _spread_points(parent, count=count, rng=rng)
    for _ in range(LLOYD_ITERATIONS):
        seeds = np.array([_centre(cell, parent) for cell in _voronoi_cells(seeds, parent)])
    cells = _merge_scraps(_voronoi_cells(seeds, parent), min_area=min_area)
    return _reading_order(cells, top=parent.bounds[3])


def _spread_points(parent: Polygon, *, count: int, rng: np.random.Generator) -> np.ndarray:
    """Seeds spread evenly over ``parent`` (Mitchell's best candidate).

    Uniform random seeds clump, and a few Lloyd rounds do not undo that: the grids came
    out from under 1 ha to over 5 ha. Taking, for each seed, the farthest of a few random
    candidates from the seeds so far gives even cells after Lloyd.
    """
    candidates = _points_inside(parent, count=count * _CANDIDATES, rng=rng)
    seeds = candidates[:1]
    for start in range(_CANDIDATES, len(candidates), _CANDIDATES):
        batch = candidates[start : start + _CANDIDATES]
        distances = np.linalg.norm(batch[:, None, :] - seeds[None, :, :], axis=2).min(axis=1)
        seeds = np.vstack([seeds, batch[distances.argmax()]])
    return seeds


def _points_inside(parent: Polygon, *, count: int, rng: np.random.Generator) -> np.ndarray:
    min_x, min_y, max_x, max_y = parent.bounds
    found = np.empty((0, 2))
    while len(found) < count:
        candidates = rng.uniform([min_x, min_y], [max_x, max_y], (2 * count, 2))
        inside = shapely.contains_xy(parent, candidates[:, 0], candidates[:, 1])
        found = np.vstack([found, candidates[inside]])
    return found[:count]


def _voronoi_cells(seeds: np.ndarray, parent: Polygon) -> np.ndarray:
    """Voronoi cells of ``seeds`` clipped to ``parent``, in the order of the seeds."""
    diagram = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=parent, ordered=True)
    return shapely.intersection(shapely.get_parts(diagram), parent)


def _centre(cell: shapely.Geometry, parent: Polygon) -> tuple[float, float]:
    # A cell clipped by a concave parent can have its centroid outside the parent; a seed
    # there would give an empty cell in the next round.
    point = cell.centroid
    if not parent.contains(point):
        point = cell.point_on_surface()
    return (point.x, point.y)


def _merge_scraps(cells: np.ndarray, *, min_area: float) -> list[Polygon]:
    """Make every cell one Polygon by merging scraps into the neighbour they share most with.

    Scraps are the smaller parts of a cell that clipping split in two (a concave parent)
    and whole cells under ``min_area``. Merging rather than dropping keeps the tiling
    exact. A scrap that cannot join any neighbour as a single Polygon (never seen with
    the demo seeds) stays a grid of its own, so the result is always Polygons.
    """
    pieces: list[tuple[Polygon, bool]] = []  # (polygon, is a split-off part)
    for cell in cells:
        parts = sorted(_polygons(cell), key=lambda part: part.area, reverse=True)
        pieces.extend((part, number > 0) for number, part in enumerate(parts))
    stuck: list[Polygon] = []  # scraps no neighbour could take; kept as they are
    while len(pieces) > 1:
        scraps = [
            number
            for number, (piece, split_off) in enumerate(pieces)
            if (split_off or piece.area < min_area) and not any(piece is s for s in stuck)
        ]
        if not scraps:
            break
        scrap = min(scraps, key=lambda number: pieces[number][0].area)
        merged = _merge_into_neighbour(scrap, [piece for piece, _split_off in pieces])
        if merged is None:
            stuck.append(pieces[scrap][0])
            continue
        neighbour, polygon = merged
        split_off = pieces[scrap][1] and pieces[neighbour][1]
        pieces[neighbour] = (polygon, split_off)
        del pieces[scrap]
    return [piece for piece, _split_off in pieces]


def _merge_into_neighbour(scrap: int, polygons: list[Polygon]) -> tuple[int, Polygon] | None:
    outline = polygons[scrap].boundary
    shared = {
        number: outline.intersection(polygon.buffer(_TOUCH_M)).length
        for number, polygon in enumerate(polygons)
        if number != scrap and polygon.distance(polygons[scrap]) < _TOUCH_M
    }
    for number in sorted(shared, key=lambda number: -shared[number]):
        union = _without_noise_holes(shapely.union(polygons[number], polygons[scrap]))
        if isinstance(union, Polygon) and shared[number] > 0:
            return number, union
    return None


def _without_noise_holes(geometry: shapely.Geometry) -> shapely.Geometry:
    if not isinstance(geometry, Polygon):
        return geometry
    holes = [ring for ring in geometry.interiors if Polygon(ring).area >= _NOISE_HOLE_M2]
    return Polygon(geometry.exterior, holes)


def _polygons(geometry: shapely.Geometry) -> list[Polygon]:
    """The polygonal parts of a clipping result (which may hold stray lines or points)."""
    return [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, Polygon) and not part.is_empty
    ]


def _reading_order(polygons: list[Polygon], *, top: float) -> list[Polygon]:
    """North→south in bands one cell high, then west→east within a band."""
    band = math.sqrt(sum(polygon.area for polygon in polygons) / len(polygons))

    def key(polygon: Polygon) -> tuple[int, float]:
        centroid = polygon.centroid
        return (math.floor((top - centroid.y) / band), centroid.x)

    return sorted(polygons, key=key)


def _to_lonlat(geometries: np.ndarray) -> np.ndarray:
    return shapely.transform(
        geometries,
        lambda xy: xy / [_METRES_PER_DEGREE_LON, METRES_PER_DEGREE] + [ORIGIN_LON, ORIGIN_LAT],
    )
