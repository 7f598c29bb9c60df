import math

import pytest
from django.utils import translation
from shapely.geometry import MultiPolygon, Polygon

from yangguang.grids.geometry import (
    GeometryError,
    area_m2,
    bounds,
    geometry_from_geojson,
    to_geojson,
)

SQUARE = [[116.6, 35.4], [116.601, 35.4], [116.601, 35.401], [116.6, 35.401], [116.6, 35.4]]
OTHER_SQUARE = [[116.7, 35.4], [116.701, 35.4], [116.701, 35.401], [116.7, 35.401], [116.7, 35.4]]


@pytest.fixture(autouse=True)
def _english():
    # The messages are compared as msgids; the project's default language is Chinese.
    with translation.override("en"):
        yield


def _reason(geojson: object) -> str:
    with pytest.raises(GeometryError) as raised:
        geometry_from_geojson(geojson)
    return raised.value.reason


def test_geometry_from_geojson_polygon_parses():
    geometry = geometry_from_geojson({"type": "Polygon", "coordinates": [SQUARE]})

    assert geometry == Polygon(SQUARE)


def test_geometry_from_geojson_multipolygon_with_altitude_parses():
    with_altitude = [[*position, 12.5] for position in OTHER_SQUARE]

    geometry = geometry_from_geojson(
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [with_altitude]]}
    )

    assert geometry == MultiPolygon([Polygon(SQUARE), Polygon(OTHER_SQUARE)])


def test_geometry_from_geojson_wrong_type_names_it():
    reason = _reason({"type": "Point", "coordinates": [116.6, 35.4]})

    assert reason == "Geometry type 'Point' is not supported; use Polygon or MultiPolygon."


def test_geometry_from_geojson_not_an_object_is_rejected():
    assert _reason([SQUARE]) == "The boundary must be a GeoJSON geometry object."


def test_geometry_from_geojson_unclosed_ring_names_both_ends():
    reason = _reason({"type": "Polygon", "coordinates": [[*SQUARE[:-1], [116.6, 35.4005]]]})

    assert reason == (
        "The first and last positions of the outer ring must be the same to close it, "
        "but they are [116.6, 35.4] and [116.6, 35.4005]."
    )


def test_geometry_from_geojson_too_few_points_counts_them():
    reason = _reason({"type": "Polygon", "coordinates": [[SQUARE[0], SQUARE[1], SQUARE[0]]]})

    assert reason == "A ring needs at least 4 positions, but the outer ring has 3."


def test_geometry_from_geojson_swapped_lat_lon_says_so():
    swapped = [[lat, lon] for lon, lat in SQUARE]

    reason = _reason({"type": "Polygon", "coordinates": [swapped]})

    assert reason == (
        "Position 1 of the outer ring, [35.4, 116.6], seems to be in latitude/longitude "
        "order; GeoJSON needs longitude first, then latitude."
    )


def test_geometry_from_geojson_out_of_range_names_the_position():
    far_away = [[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]

    reason = _reason({"type": "Polygon", "coordinates": [far_away]})

    assert reason == (
        "Position 1 of the outer ring, [2.35, 48.85], is outside China "
        "(longitude 73 to 136, latitude 3 to 54)."
    )


def test_geometry_from_geojson_bow_tie_reports_the_crossing():
    bow_tie = [[116.6, 35.4], [116.61, 35.41], [116.61, 35.4], [116.6, 35.41], [116.6, 35.4]]

    reason = _reason({"type": "Polygon", "coordinates": [bow_tie]})

    assert reason == "The boundary crosses itself near [116.605, 35.405]."


def test_geometry_from_geojson_non_numeric_coordinate_names_the_position():
    text = [SQUARE[0], ["116.601", "35.4"], *SQUARE[2:]]

    reason = _reason({"type": "Polygon", "coordinates": [text]})

    assert reason == (
        "Position 2 of the outer ring must be [longitude, latitude], got ['116.601', '35.4']."
    )


def test_geometry_from_geojson_non_finite_coordinate_is_rejected():
    infinite = [SQUARE[0], [math.inf, 35.4], *SQUARE[2:]]

    reason = _reason({"type": "Polygon", "coordinates": [infinite]})

    assert reason == "Position 2 of the outer ring is not a finite number: [inf, 35.4]."


def test_geometry_from_geojson_multipolygon_error_names_polygon_and_hole():
    short_hole = [[116.7002, 35.4002], [116.7004, 35.4002], [116.7002, 35.4002]]

    reason = _reason(
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [OTHER_SQUARE, short_hole]]}
    )

    assert reason == "A ring needs at least 4 positions, but hole 1 of polygon 2 has 3."


def test_geometry_from_geojson_overlapping_parts_are_rejected():
    reason = _reason({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]})

    assert reason.startswith("The boundary crosses itself near ")


def test_geometry_from_geojson_empty_coordinates_are_rejected():
    reason = _reason({"type": "Polygon", "coordinates": []})

    assert reason == "A Polygon's coordinates must be a non-empty list of rings."


def test_geometry_error_is_a_value_error_with_its_reason_as_message():
    error = GeometryError("reason")

    assert (isinstance(error, ValueError), str(error)) == (True, "reason")


def test_area_m2_hundred_metre_square_is_one_hectare():
    # Degree lengths from the WGS 84 ellipsoid, independent of the sphere used by area_m2.
    a, e2 = 6_378_137.0, 0.00669437999014
    latitude = math.radians(35.4)
    w = 1 - e2 * math.sin(latitude) ** 2
    metres_per_degree_lat = math.radians(a * (1 - e2) / w**1.5)
    metres_per_degree_lon = math.radians(a / math.sqrt(w) * math.cos(latitude))
    d_lon, d_lat = 100 / metres_per_degree_lon, 100 / metres_per_degree_lat
    square = Polygon(
        [(116.6, 35.4), (116.6 + d_lon, 35.4), (116.6 + d_lon, 35.4 + d_lat), (116.6, 35.4 + d_lat)]
    )

    assert area_m2(square) == pytest.approx(10_000, rel=0.005)


def test_bounds_of_square_are_its_corners():
    assert bounds(Polygon(SQUARE)) == (116.6, 35.4, 116.601, 35.401)


def test_to_geojson_rounds_to_seven_decimals_in_lists():
    polygon = Polygon([(116.123456789, 35.4), (116.2, 35.4), (116.2, 35.987654321)])

    assert to_geojson(polygon) == {
        "type": "Polygon",
        "coordinates": [
            [[116.1234568, 35.4], [116.2, 35.4], [116.2, 35.9876543], [116.1234568, 35.4]]
        ],
    }


def test_to_geojson_round_trips_through_the_parser():
    polygon = Polygon(SQUARE)

    assert geometry_from_geojson(to_geojson(polygon)) == polygon
