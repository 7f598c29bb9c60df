import numpy as np
import pytest
from shapely.geometry import box, mapping

from yangguang.core.demo_geometry import demo_district
from yangguang.grids.index import GridIndex

# Four 0.001° squares around (116.601, 35.401). Ids deliberately do not follow the codes,
# so a tie broken by id instead of code would show.
#   NW 40 (…003) | NE 30 (…004)
#   SW 20 (…001) | SE 10 (…002)
SQUARES = [
    (20, "370102001001001", box(116.600, 35.400, 116.601, 35.401)),
    (10, "370102001001002", box(116.601, 35.400, 116.602, 35.401)),
    (40, "370102001001003", box(116.600, 35.401, 116.601, 35.402)),
    (30, "370102001001004", box(116.601, 35.401, 116.602, 35.402)),
]


@pytest.fixture(scope="module")
def squares():
    return GridIndex(reversed(SQUARES))


@pytest.fixture(scope="module")
def district():
    return demo_district()


@pytest.fixture(scope="module")
def demo_grids(district):
    return [
        grid
        for street in district.streets
        for community in street.communities
        for grid in community.grids
    ]


@pytest.fixture(scope="module")
def demo_index(demo_grids):
    return GridIndex(
        (1000 + number, f"370102001001{number:03d}", grid) for number, grid in enumerate(demo_grids)
    )


@pytest.fixture(scope="module")
def demo_points(district):
    min_lon, min_lat, max_lon, max_lat = district.polygon.bounds
    rng = np.random.default_rng(42)
    return rng.uniform([min_lon, min_lat], [max_lon, max_lat], (2_000, 2)).tolist()


def test_locate_point_inside_each_square_returns_its_id(squares):
    found = [
        squares.locate(116.6005, 35.4005),
        squares.locate(116.6015, 35.4005),
        squares.locate(116.6005, 35.4015),
        squares.locate(116.6015, 35.4015),
    ]

    assert found == [20, 10, 40, 30]


def test_locate_point_on_shared_edge_returns_smallest_code(squares):
    # The edge between NW (…003, id 40) and NE (…004, id 30).
    assert squares.locate(116.601, 35.4015) == 40


def test_locate_point_on_shared_vertex_returns_smallest_code(squares):
    assert squares.locate(116.601, 35.401) == 20


def test_locate_point_on_outer_boundary_counts_as_inside(squares):
    assert squares.locate(116.6015, 35.400) == 10


def test_locate_point_outside_all_grids_returns_none(squares):
    assert squares.locate(116.7, 35.5) is None


def test_locate_brute_force_breaks_ties_like_locate(squares):
    points = [(116.601, 35.4015), (116.601, 35.401), (116.6015, 35.400), (116.7, 35.5)]

    assert [squares.locate_brute_force(lon, lat) for lon, lat in points] == [40, 20, 10, None]


def test_grid_index_len_counts_grids(squares):
    assert len(squares) == 4


def test_grid_index_empty_locates_nothing():
    index = GridIndex([])

    assert (len(index), index.locate(116.6, 35.4), index.locate_many([(116.6, 35.4)])) == (
        0,
        None,
        [None],
    )


def test_grid_index_from_geojson_matches_geometries(squares):
    index = GridIndex.from_geojson(
        (grid_id, code, mapping(geometry)) for grid_id, code, geometry in SQUARES
    )
    points = [(116.6005, 35.4005), (116.601, 35.401), (116.601, 35.4015), (116.7, 35.5)]

    assert index.locate_many(points) == squares.locate_many(points)


def test_locate_many_breaks_ties_like_locate(squares):
    points = [(116.601, 35.4015), (116.601, 35.401), (116.6015, 35.4015), (116.7, 35.5)]

    assert squares.locate_many(points) == [squares.locate(lon, lat) for lon, lat in points]


def test_locate_agrees_with_brute_force_over_demo_district(demo_index, demo_points):
    located = [demo_index.locate(lon, lat) for lon, lat in demo_points]

    assert located == [demo_index.locate_brute_force(lon, lat) for lon, lat in demo_points]
    # The points fall over the district's bounding box: some inside, some outside.
    assert (any(grid_id is None for grid_id in located), len(set(located)) > 200) == (True, True)


def test_locate_many_equals_locate_over_demo_district(demo_index, demo_points):
    located = demo_index.locate_many(np.array(demo_points))

    assert located == [demo_index.locate(lon, lat) for lon, lat in demo_points]


def test_locate_on_demo_grid_vertices_agrees_with_brute_force(demo_index, demo_grids):
    # Vertices are shared by two or three grids: the tie-break must agree on all of them.
    vertices = sorted({vertex for grid in demo_grids[:40] for vertex in grid.exterior.coords})

    located = [demo_index.locate(lon, lat) for lon, lat in vertices]

    assert located == [demo_index.locate_brute_force(lon, lat) for lon, lat in vertices]
    assert None not in located
