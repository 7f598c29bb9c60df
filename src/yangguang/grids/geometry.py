"""Parse, check and measure grid boundaries given as GeoJSON (pure functions, no database).

Boundaries arrive from map drawings, imported shapefiles and API clients, so each check
names the ring and position at fault: the person fixing the data needs to find it.
"""

import math
import re
import reprlib
from collections.abc import Mapping, Sequence

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

# Mean Earth radius (IUGG). See ``area_m2`` for why a sphere is good enough here.
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180

# Mainland China, islands included, with a little slack: a boundary outside this box is
# a data-entry mistake, most often swapped or projected (metre) coordinates.
MIN_LON, MAX_LON = 73.0, 136.0
MIN_LAT, MAX_LAT = 3.0, 54.0

# 7 decimals of a degree is about 1 cm: finer digits are noise from surveys and projections.
GEOJSON_DECIMALS = 7

_MIN_RING_POSITIONS = 4
_SUPPORTED_TYPES = ("Polygon", "MultiPolygon")
_INVALIDITY = re.compile(r"^(?P<name>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)\]$")
# Echo a bad value back in a message, cut short: it may be a whole pasted document.
_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 40
_repr.maxlist = 4
_short_repr = _repr.repr


class GeometryError(ValueError):
    """A boundary that cannot be used; ``reason`` is a translated, user-facing sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def geometry_from_geojson(obj: object) -> Polygon | MultiPolygon:
    """Return the shapely geometry for a GeoJSON Polygon or MultiPolygon in lon/lat.

    Raises ``GeometryError`` for anything else: other types, malformed or non-finite
    coordinates, short or unclosed rings, positions outside China (with a hint when
    latitude and longitude look swapped), invalid shapes (self-intersections …) and
    boundaries without area.
    """
    if not isinstance(obj, Mapping):
        raise GeometryError(_("The boundary must be a GeoJSON geometry object."))
    kind = obj.get("type")
    if kind not in _SUPPORTED_TYPES:
        raise GeometryError(
            _("Geometry type %(type)s is not supported; use Polygon or MultiPolygon.")
            % {"type": _short_repr(kind)}
        )
    coordinates = obj.get("coordinates")
    if kind == "Polygon":
        geometry: Polygon | MultiPolygon = _polygon(coordinates, polygon=None)
    else:
        if not _is_list(coordinates) or not coordinates:
            raise GeometryError(_("A MultiPolygon's coordinates must be a non-empty list."))
        geometry = MultiPolygon(
            [_polygon(part, polygon=number) for number, part in enumerate(coordinates, 1)]
        )
    _check_shape(geometry)
    return geometry


def area_m2(geom: BaseGeometry) -> float:
    """Area in square metres.

    Uses an equirectangular projection centred on the geometry's centroid latitude: one
    degree of latitude is ``METRES_PER_DEGREE`` and one of longitude that times
    cos(latitude). Over a grid (~100 m across) or a district (a few km) the scale varies by
    far less than 1e-6, and the mean-radius sphere differs from the WGS 84 ellipsoid by
    about 0.01 % at the demo city's latitude (at most ~0.5 % at China's far north and
    south), which is well inside the precision of a hand-drawn grid. No projection library
    is needed, and the figure is the same in every process.
    """
    if geom.is_empty:
        return 0.0
    latitude = math.radians(geom.centroid.y)
    return geom.area * METRES_PER_DEGREE**2 * math.cos(latitude)


def bounds(geom: BaseGeometry) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat), the values stored on ``Grid`` for filtering."""
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    return (float(min_lon), float(min_lat), float(max_lon), float(max_lat))


def to_geojson(geom: BaseGeometry) -> dict:
    """GeoJSON dict with JSON-native lists and coordinates rounded to ~1 cm."""
    return {key: _rounded_lists(value) for key, value in mapping(geom).items()}


def _rounded_lists(value: object) -> object:
    if isinstance(value, tuple | list):
        return [_rounded_lists(item) for item in value]
    if isinstance(value, float):
        return round(value, GEOJSON_DECIMALS)
    return value


def _polygon(coordinates: object, *, polygon: int | None) -> Polygon:
    """Check one GeoJSON polygon (a list of rings); ``polygon`` numbers it in a multi."""
    if not _is_list(coordinates) or not coordinates:
        if polygon is None:
            raise GeometryError(_("A Polygon's coordinates must be a non-empty list of rings."))
        raise GeometryError(
            _("Polygon %(polygon)d must be a non-empty list of rings.") % {"polygon": polygon}
        )
    rings = [
        _ring(ring, label=_ring_label(polygon=polygon, ring=number))
        for number, ring in enumerate(coordinates)
    ]
    return Polygon(rings[0], rings[1:])


def _ring(ring: object, *, label: str) -> list[tuple[float, float]]:
    if not _is_list(ring):
        raise GeometryError(_("Expected a list of positions for %(ring)s.") % {"ring": label})
    positions = [
        _position(position, number=number, ring=label) for number, position in enumerate(ring, 1)
    ]
    if len(positions) < _MIN_RING_POSITIONS:
        raise GeometryError(
            _("A ring needs at least 4 positions, but %(ring)s has %(count)d.")
            % {"ring": label, "count": len(positions)}
        )
    if positions[0] != positions[-1]:
        raise GeometryError(
            _(
                "The first and last positions of %(ring)s must be the same to close it, "
                "but they are %(first)s and %(last)s."
            )
            % {"ring": label, "first": _show(positions[0]), "last": _show(positions[-1])}
        )
    return positions


def _position(position: object, *, number: int, ring: str) -> tuple[float, float]:
    where = {"position": number, "ring": ring}
    # GeoJSON allows an optional third value (altitude); a grid is flat, so it is ignored.
    if not _is_list(position) or len(position) not in (2, 3) or not all(map(_is_number, position)):
        raise GeometryError(
            _("Position %(position)d of %(ring)s must be [longitude, latitude], got %(value)s.")
            % {**where, "value": _short_repr(position)}
        )
    lon, lat = float(position[0]), float(position[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise GeometryError(
            _("Position %(position)d of %(ring)s is not a finite number: %(value)s.")
            % {**where, "value": _show((lon, lat))}
        )
    if not (MIN_LON <= lon <= MAX_LON and MIN_LAT <= lat <= MAX_LAT):
        if MIN_LON <= lat <= MAX_LON and MIN_LAT <= lon <= MAX_LAT:
            raise GeometryError(
                _(
                    "Position %(position)d of %(ring)s, %(value)s, seems to be in latitude/"
                    "longitude order; GeoJSON needs longitude first, then latitude."
                )
                % {**where, "value": _show((lon, lat))}
            )
        raise GeometryError(
            _(
                "Position %(position)d of %(ring)s, %(value)s, is outside China "
                "(longitude 73 to 136, latitude 3 to 54)."
            )
            % {**where, "value": _show((lon, lat))}
        )
    return (lon, lat)


def _check_shape(geometry: Polygon | MultiPolygon) -> None:
    reason = shapely.is_valid_reason(geometry)
    if reason != "Valid Geometry":
        raise GeometryError(_invalidity_message(reason))
    if geometry.is_empty or geometry.area <= 0:
        raise GeometryError(_("The boundary encloses no area."))


def _invalidity_message(reason: str) -> str:
    """Translate the GEOS reason, e.g. ``Self-intersection[116.6 35.4]``."""
    match = _INVALIDITY.match(reason)
    if match is None:
        return _("The boundary is not a valid polygon: %(reason)s.") % {"reason": reason}
    point = _show((float(match["x"]), float(match["y"])))
    messages = {
        "Self-intersection": _("The boundary crosses itself near %(point)s."),
        "Ring Self-intersection": _("A ring touches itself near %(point)s."),
        "Hole lies outside shell": _("A hole lies outside its outer ring near %(point)s."),
        "Nested holes": _("A hole lies inside another hole near %(point)s."),
        "Interior is disconnected": _("Holes cut the polygon into pieces near %(point)s."),
        "Nested shells": _("One polygon lies inside another near %(point)s."),
        "Duplicate Rings": _("Two rings are the same near %(point)s."),
        "Too few points in geometry component": _(
            "A ring has fewer than 3 distinct positions near %(point)s."
        ),
    }
    message = messages.get(
        match["name"], _("The boundary is not a valid polygon (%(reason)s) near %(point)s.")
    )
    return message % {"point": point, "reason": match["name"]}


def _ring_label(*, polygon: int | None, ring: int) -> str:
    if polygon is None:
        if ring == 0:
            return _("the outer ring")
        return _("hole %(hole)d") % {"hole": ring}
    if ring == 0:
        return _("the outer ring of polygon %(polygon)d") % {"polygon": polygon}
    return _("hole %(hole)d of polygon %(polygon)d") % {"hole": ring, "polygon": polygon}


def _show(position: tuple[float, float]) -> str:
    lon, lat = position
    return f"[{round(lon, GEOJSON_DECIMALS)!r}, {round(lat, GEOJSON_DECIMALS)!r}]"


def _is_list(value: object) -> bool:
    # Tuples too: Python callers pass shapely ``mapping()`` output straight in.
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
