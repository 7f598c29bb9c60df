"""The 门前三包 responsibility zone as geometry (pure functions, no database).

A zone is drawn on the map, or by default the rectangle in front of the shop: as wide as
its frontage, as deep as the bureau's usual depth (to the kerb), starting at the front
door and extending the way the front faces. Zones are small (tens of metres), so a local
flat projection around the door is exact to millimetres (grids.geometry.area_m2 explains
the same choice).
"""

import math

from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from yangguang.grids.geometry import (
    METRES_PER_DEGREE,
    area_m2,
    bounds,
    geometry_from_geojson,
    to_geojson,
)

# A report placed on the zone's edge, or a metre outside it (a phone's GPS in a street),
# is still at the zone.
TOLERANCE_M = 1.0
# A zone larger than this is a drawing mistake, not a shop front.
MAX_ZONE_M2 = 5000.0


def _offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    return (
        lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
        lat + north_m / METRES_PER_DEGREE,
    )


def default_zone(*, lon: float, lat: float, frontage_m: float, depth_m: float, facing: int) -> dict:
    """The frontage × depth rectangle in front of the door at (lon, lat), as GeoJSON."""
    bearing = math.radians(facing % 360)
    # Unit vectors (east, north): out of the front, and along it.
    out = (math.sin(bearing), math.cos(bearing))
    along = (math.cos(bearing), -math.sin(bearing))
    half = frontage_m / 2
    corners_m = [
        (-half * along[0], -half * along[1]),
        (half * along[0], half * along[1]),
        (half * along[0] + depth_m * out[0], half * along[1] + depth_m * out[1]),
        (-half * along[0] + depth_m * out[0], -half * along[1] + depth_m * out[1]),
    ]
    ring = [_offset(lon, lat, east, north) for east, north in corners_m]
    return to_geojson(Polygon(ring + ring[:1]))


def zone_geometry(geojson: object) -> BaseGeometry:
    """The zone checked as a grid boundary is (grids.geometry), and no larger than
    ``MAX_ZONE_M2``; raises GeometryError with the reason."""
    from django.utils.translation import gettext as _

    from yangguang.grids.geometry import GeometryError

    geometry = geometry_from_geojson(geojson)
    if area_m2(geometry) > MAX_ZONE_M2:
        raise GeometryError(
            _("A responsibility zone of %(area)d m² is too large: draw the shop's frontage only.")
            % {"area": area_m2(geometry)}
        )
    return geometry


def zone_bounds(geojson: dict) -> tuple[float, float, float, float]:
    return bounds(geometry_from_geojson(geojson))


def covers(geojson: dict, *, lon: float, lat: float) -> bool:
    """Whether the point lies in the zone, its edge or within ``TOLERANCE_M`` of it."""
    geometry = geometry_from_geojson(geojson)
    scale = METRES_PER_DEGREE * math.cos(math.radians(lat))
    return geometry.distance(Point(lon, lat)) * scale <= TOLERANCE_M


def tolerance_degrees(lat: float) -> tuple[float, float]:
    """``TOLERANCE_M`` in degrees of (longitude, latitude), to widen a bounding box."""
    return (
        TOLERANCE_M / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
        TOLERANCE_M / METRES_PER_DEGREE,
    )
