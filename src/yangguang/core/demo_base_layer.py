"""The demo's offline base map: the streets and place names of the fictional 阳光区.

A real bureau draws its command-centre map on its own tile server or on 天地图; the
demo has neither, so it ships a small GeoJSON base layer that the map draws instead
(``settings.MAP_BASE_LAYER``), so the map is never a blank square. It is derived from
the demo's boundaries (``demo_district``), whose edges are where streets run:

- 阳光路, the east–west road through the middle of 阳光街道 that ``demo_merchants`` lines
  with shops (the same line: the sub-district's centroid latitude), drawn across the
  whole district;
- roads (路) along the boundaries between sub-districts, and streets (街) along those
  between communities of one sub-district, named from fixed lists, longest first;
- the district, sub-district and community areas with their names and a point inside
  each to write them at.

Every feature has ``kind`` (road, street, district, subdistrict, community), ``name``
and ``label_at`` ([lon, lat] where its name goes). Regenerate the shipped file with
``.venv/bin/python -m yangguang.core.demo_base_layer`` from the repository root: the
output is the same every time, and a test checks the shipped file is that output.
"""

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiLineString, Polygon, mapping

from yangguang.core.demo_geometry import DemoDistrict, demo_district

OUTPUT = Path(__file__).parent / "static" / "yangguang" / "demo-base-layer.geojson"
DECIMALS = 6  # about 0.1 m: plenty for a drawing, and a small file
# Shorter shared edges than this (in degrees, ≈ 150 m) are corners, not streets.
MIN_ROAD_DEGREES = 0.0015
# Area outlines are drawn at this tolerance (≈ 2 m): the grids' jagged vertices vanish.
SIMPLIFY_DEGREES = 0.00002
LABEL_ALONG = 0.3
ROAD_NAMES = ("和平路", "建设路", "人民路", "解放路", "振兴路", "滨河路", "胜利路", "新华路")
STREET_NAMES = (
    "文化街",
    "团结街",
    "光明街",
    "春晖街",
    "柳岸街",
    "翠苑街",
    "东湖街",
    "朝阳街",
    "向阳街",
    "育才街",
    "幸福街",
    "友谊街",
    "青年街",
    "民主街",
    "工农街",
    "长青街",
)


def base_layer(district: DemoDistrict | None = None) -> dict:
    """The base layer as a GeoJSON FeatureCollection (a plain dict)."""
    from yangguang.core.demo_merchants import ROAD

    district = district or demo_district()
    features = [_area("district", district.name, district.polygon)]
    for street in district.streets:
        features.append(_area("subdistrict", street.name, street.polygon))
        features.extend(
            _area("community", community.name, community.polygon)
            for community in street.communities
        )
    features.append(_line("road", ROAD, sunshine_road(district)))
    between_streets = _shared_edges([street.polygon for street in district.streets])
    features.extend(_named("road", between_streets, ROAD_NAMES))
    between_communities = [
        edge
        for street in district.streets
        for edge in _shared_edges([community.polygon for community in street.communities])
    ]
    features.extend(_named("street", between_communities, STREET_NAMES))
    return {"type": "FeatureCollection", "features": features}


def sunshine_road(district: DemoDistrict) -> LineString:
    """阳光路 across the district, on the line ``demo_merchants._Street`` puts the shops
    along: the latitude of 阳光街道's centroid."""
    from yangguang.core.demo_merchants import SUB_DISTRICT

    (street,) = [street for street in district.streets if street.name == SUB_DISTRICT]
    latitude = street.polygon.centroid.y
    min_lon, _min_lat, max_lon, _max_lat = district.polygon.bounds
    crossing = district.polygon.intersection(
        LineString([(min_lon - 1, latitude), (max_lon + 1, latitude)])
    )
    parts = [part for part in shapely.get_parts(crossing) if isinstance(part, LineString)]
    return max(parts, key=lambda part: part.intersection(street.polygon).length)


def _shared_edges(polygons: list[Polygon]) -> list[LineString]:
    """The boundaries two neighbouring polygons share, each merged into lines."""
    edges = []
    for number, first in enumerate(polygons):
        for second in polygons[number + 1 :]:
            shared = shapely.line_merge(
                shapely.union_all(
                    [
                        part
                        for part in shapely.get_parts(first.boundary.intersection(second.boundary))
                        if isinstance(part, LineString | MultiLineString)
                    ]
                )
            )
            edges.extend(
                part
                for part in shapely.get_parts(shared)
                if isinstance(part, LineString) and part.length >= MIN_ROAD_DEGREES
            )
    return edges


def _named(kind: str, lines: list[LineString], names: tuple[str, ...]) -> list[dict]:
    ordered = sorted(lines, key=lambda line: (-round(line.length, 9), line.coords[0]))
    return [
        _line(kind, names[number] if number < len(names) else f"{number + 1}号{kind}", line)
        for number, line in enumerate(ordered)
    ]


def _line(kind: str, name: str, line: LineString) -> dict:
    simple = line.simplify(SIMPLIFY_DEGREES)
    # A third of the way along: the middle is where roads meet, and area names sit.
    return _feature(kind, name, simple, line.interpolate(LABEL_ALONG, normalized=True))


def _area(kind: str, name: str, polygon: Polygon) -> dict:
    return _feature(kind, name, polygon.simplify(SIMPLIFY_DEGREES), polygon.point_on_surface())


def _feature(kind: str, name: str, geometry: shapely.Geometry, label_at: shapely.Point) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "kind": kind,
            "name": name,
            "label_at": [round(label_at.x, DECIMALS), round(label_at.y, DECIMALS)],
        },
        "geometry": _rounded(mapping(shapely.set_precision(geometry, 10**-DECIMALS))),
    }


def _rounded(value):
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


def render(collection: dict) -> str:
    """The file's text: one feature a line, so a change shows as a readable diff."""
    lines = [json.dumps(feature, ensure_ascii=False) for feature in collection["features"]]
    return '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    django.setup()
    OUTPUT.write_text(render(base_layer()), encoding="utf-8")
    sys.stdout.write(f"{OUTPUT}\n")


if __name__ == "__main__":
    main()
