import pytest
import shapely
from shapely.geometry import Polygon

from yangguang.core.demo_geometry import demo_district, generated_grids
from yangguang.grids.geometry import area_m2, to_geojson

RELATIVE = 1e-6
MAX_OVERLAP_M2 = 0.01


@pytest.fixture(scope="module")
def district():
    return demo_district()


@pytest.fixture(scope="module")
def grids(district):
    return [
        grid
        for street in district.streets
        for community in street.communities
        for grid in community.grids
    ]


def _is_sound_polygon(geometry: shapely.Geometry) -> bool:
    return isinstance(geometry, Polygon) and geometry.is_valid and not geometry.is_empty


def _assert_tiles(parts: list[Polygon], whole: Polygon) -> None:
    """``parts`` cover ``whole`` exactly, without overlapping each other."""
    whole_m2 = area_m2(whole)
    assert sum(area_m2(part) for part in parts) == pytest.approx(whole_m2, rel=RELATIVE)
    difference = shapely.symmetric_difference(shapely.union_all(parts), whole)
    assert area_m2(difference) < RELATIVE * whole_m2
    left, right = shapely.STRtree(parts).query(parts, predicate="intersects")
    overlaps = [
        area_m2(parts[i].intersection(parts[j]))
        for i, j in zip(left.tolist(), right.tolist(), strict=True)
        if i < j
    ]
    assert max(overlaps, default=0.0) < MAX_OVERLAP_M2


def test_demo_district_has_the_four_streets(district):
    assert [street.name for street in district.streets] == [
        "阳光街道",
        "和平街道",
        "振兴街道",
        "滨河街道",
    ]


def test_demo_district_has_thirteen_distinct_communities(district):
    names = [community.name for street in district.streets for community in street.communities]

    assert (len(names), len(set(names))) == (13, 13)
    assert [len(street.communities) for street in district.streets] == [3, 3, 3, 4]


def test_demo_district_grid_count_is_in_range(grids):
    assert 220 <= len(grids) <= 300


def test_demo_district_grids_are_valid_polygons(grids):
    broken = [grid for grid in grids if not _is_sound_polygon(grid)]

    assert broken == []


def test_demo_district_grids_are_half_to_five_hectares(grids):
    outside = [area_m2(grid) for grid in grids if not 5_000 <= area_m2(grid) <= 50_000]

    assert outside == []


def test_demo_district_area_and_place_are_as_designed(district):
    min_lon, min_lat, max_lon, max_lat = district.polygon.bounds

    assert 4e6 <= area_m2(district.polygon) <= 6e6
    assert 116.55 <= min_lon < max_lon <= 116.65
    assert 35.37 <= min_lat < max_lat <= 35.43
    assert len(district.polygon.interiors) == 0


def test_demo_district_grids_tile_the_district(district, grids):
    _assert_tiles(grids, district.polygon)


def test_demo_district_grids_tile_each_community(district):
    for street in district.streets:
        for community in street.communities:
            _assert_tiles(community.grids, community.polygon)


def test_demo_district_communities_tile_each_street(district):
    for street in district.streets:
        _assert_tiles([community.polygon for community in street.communities], street.polygon)


def test_demo_district_streets_tile_the_district(district):
    _assert_tiles([street.polygon for street in district.streets], district.polygon)


def test_demo_district_grids_survive_geojson_rounding(grids):
    # Stored GeoJSON keeps 7 decimals; the demo grids are already on that lattice.
    rounded = [shapely.geometry.shape(to_geojson(grid)) for grid in grids]

    assert rounded == grids


def test_demo_district_grids_are_numbered_north_to_south(district):
    for street in district.streets:
        for community in street.communities:
            latitudes = [grid.centroid.y for grid in community.grids]
            third = len(latitudes) // 3
            first, last = latitudes[:third], latitudes[-third:]

            assert sum(first) / third > sum(last) / third


def test_demo_district_same_seed_gives_same_district(district):
    assert demo_district() == district


def test_demo_district_other_seed_gives_other_district(district):
    assert demo_district(seed=1) != district


def test_generated_grids_tile_their_frame():
    polygons = generated_grids(2_000)
    frame = shapely.box(*shapely.total_bounds(polygons))

    assert len(polygons) == 2_000
    assert [polygon for polygon in polygons if not _is_sound_polygon(polygon)] == []
    _assert_tiles(polygons, frame)


def test_generated_grids_are_about_a_hectare():
    polygons = generated_grids(2_000)

    assert sum(area_m2(polygon) for polygon in polygons) / 2_000 == pytest.approx(12_100, rel=0.1)


def test_generated_grids_same_seed_gives_same_grids():
    assert generated_grids(500, seed=3) == generated_grids(500, seed=3)
