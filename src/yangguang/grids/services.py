"""Writes to unit grids. Every write goes through ``grids_import`` so one set of checks
guards the command line, the admin and later the API."""

import hashlib
import re
from dataclasses import dataclass, field

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.grids.geometry import (
    GeometryError,
    area_m2,
    bounds,
    geometry_from_geojson,
    to_geojson,
)
from yangguang.grids.models import Grid
from yangguang.org.enums import UnitKind
from yangguang.org.models import Unit, User
from yangguang.records.chain import canonical_json
from yangguang.records.diff import changes_between, snapshot
from yangguang.records.services import Pending, record_append, record_append_many

GRID_CODE = re.compile(r"^[0-9]{15}$")

# Neighbouring grids digitised by hand share edges only approximately; overlaps below
# this many square metres are drawing noise, not two grids claiming the same ground.
OVERLAP_TOLERANCE_M2 = 1.0


WRITTEN_FIELDS = [
    "name",
    "community",
    "squadron",
    "geometry",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "area_m2",
]


@dataclass(frozen=True)
class FeatureProblem:
    index: int
    code: str
    reason: str

    def __str__(self) -> str:
        code = _("code %(code)s") % {"code": self.code} if self.code else _("no code")
        return _("features[%(index)d] (%(code)s): %(reason)s") % {
            "index": self.index,
            "code": code,
            "reason": self.reason,
        }


class GridImportError(Exception):
    """The file was refused; nothing was written. ``problems`` lists every bad feature."""

    def __init__(self, problems: list[FeatureProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class GridImportResult:
    created: int = 0
    updated: int = 0
    codes: list[str] = field(default_factory=list)


@dataclass
class _Parsed:
    index: int
    code: str
    name: str
    community: Unit
    squadron: Unit | None
    officers: list[User]
    geometry: shapely.Geometry


def _features(collection: object) -> list:
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GridImportError(
            [FeatureProblem(-1, "", _("The file is not a GeoJSON FeatureCollection."))]
        )
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise GridImportError([FeatureProblem(-1, "", _("The FeatureCollection has no features."))])
    return features


class _Lookups:
    """Units and officers a file refers to, loaded once for the whole file."""

    def __init__(self) -> None:
        units = Unit.objects.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.SQUADRON])
        self.communities = {u.code: u for u in units if u.kind == UnitKind.COMMUNITY}
        squadrons = [u for u in units if u.kind == UnitKind.SQUADRON]
        self.squadrons = {u.code: u for u in squadrons if u.code}
        self.squadrons.update({u.name: u for u in squadrons})
        self.officers = {u.username: u for u in User.objects.filter(is_active=True)}


def _code_problems(code: str, index: int, seen: dict[str, int]) -> list[str]:
    if not GRID_CODE.match(code):
        return [
            _(
                "The grid code must be 15 digits (12-digit community code + 3-digit "
                "sequence), got “%(code)s”."
            )
            % {"code": code}
        ]
    if code in seen:
        return [_("Duplicate code: features[%(other)d] has it too.") % {"other": seen[code]}]
    seen[code] = index
    return []


def _community(code: str, properties: dict, lookups: _Lookups) -> tuple[Unit | None, list[str]]:
    community_code = str(properties.get("community") or code[:12]).strip()
    if GRID_CODE.match(code) and community_code != code[:12]:
        return None, [
            _("The code does not start with its community's code %(community)s.")
            % {"community": community_code}
        ]
    community = lookups.communities.get(community_code)
    if community is None:
        return None, [_("Unknown community %(community)s.") % {"community": community_code}]
    return community, []


def _squadron(properties: dict, lookups: _Lookups) -> tuple[Unit | None, list[str]]:
    reference = str(properties.get("squadron") or "").strip()
    if not reference:
        return None, []
    squadron = lookups.squadrons.get(reference)
    if squadron is None:
        return None, [_("Unknown squadron “%(squadron)s”.") % {"squadron": reference}]
    return squadron, []


def _officers(properties: dict, lookups: _Lookups) -> tuple[list[User], list[str]]:
    references = properties.get("officers") or []
    if not isinstance(references, list):
        return [], [_("“officers” must be a list of login names.")]
    officers, problems = [], []
    for username in references:
        officer = lookups.officers.get(str(username))
        if officer is None:
            problems.append(
                _("Unknown or inactive officer “%(username)s”.") % {"username": username}
            )
        else:
            officers.append(officer)
    return officers, problems


def _parse_feature(
    index: int, feature: object, lookups: _Lookups, seen: dict[str, int]
) -> tuple[_Parsed | None, list[FeatureProblem]]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, [FeatureProblem(index, "", _("Not a GeoJSON Feature."))]
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return None, [FeatureProblem(index, "", _("The properties are not an object."))]
    code = str(properties.get("code") or "").strip()
    reasons = _code_problems(code, index, seen)
    community, community_reasons = _community(code, properties, lookups)
    squadron, squadron_reasons = _squadron(properties, lookups)
    officers, officer_reasons = _officers(properties, lookups)
    reasons += community_reasons + squadron_reasons + officer_reasons
    name = str(properties.get("name") or "").strip()
    if len(name) > 100:
        reasons.append(_("The name is longer than %(max)d characters.") % {"max": 100})
    geometry = None
    try:
        geometry = geometry_from_geojson(feature.get("geometry"))
    except GeometryError as exc:
        reasons.append(exc.reason)
    if reasons or community is None or geometry is None:
        return None, [FeatureProblem(index, code, reason) for reason in reasons]
    return _Parsed(index, code, name, community, squadron, officers, geometry), []


def _overlaps(parsed: list[_Parsed], tolerance_m2: float) -> list[FeatureProblem]:
    """Grids must not overlap each other, nor grids already stored under other codes."""
    codes = {item.code for item in parsed}
    stored = [
        (grid_code, geometry_from_geojson(geojson))
        for grid_code, geojson in Grid.objects.exclude(code__in=codes).values_list(
            "code", "geometry"
        )
    ]
    geometries = [item.geometry for item in parsed] + [geom for _code, geom in stored]
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="intersects")
    problems = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= len(parsed) or j <= i:
            continue  # each pair once, reported on the later feature of the file
        shared = area_m2(geometries[i].intersection(geometries[j]))
        if shared <= tolerance_m2:
            continue
        if j < len(parsed):
            first, second = (parsed[i], parsed[j])
            problems.append(
                FeatureProblem(
                    second.index,
                    second.code,
                    _("Overlaps features[%(other)d] (%(code)s) by %(area).1f m².")
                    % {"other": first.index, "code": first.code, "area": shared},
                )
            )
        else:
            stored_code = stored[j - len(parsed)][0]
            problems.append(
                FeatureProblem(
                    parsed[i].index,
                    parsed[i].code,
                    _("Overlaps the stored grid %(code)s by %(area).1f m².")
                    % {"code": stored_code, "area": shared},
                )
            )
    return problems


def grids_import(
    *,
    collection: object,
    actor: User | None = None,
    overlap_tolerance_m2: float = OVERLAP_TOLERANCE_M2,
) -> GridImportResult:
    """Create or update grids from a GeoJSON FeatureCollection, all or nothing.

    Each feature's properties: ``code`` (15 digits, required), ``community`` (12
    digits, optional: defaults to the code's first 12 digits), ``squadron`` (unit code
    or name), ``officers`` (login names), ``name``. Grids are matched by code: a known
    code is updated, a new one created. Every feature is checked before anything is
    written; on any problem GridImportError lists them all and nothing changes.
    Side effect: a ``grids.import`` record on every grid created or changed.
    """
    features = _features(collection)
    lookups = _Lookups()
    seen: dict[str, int] = {}
    parsed: list[_Parsed] = []
    problems: list[FeatureProblem] = []
    for index, feature in enumerate(features):
        item, item_problems = _parse_feature(index, feature, lookups, seen)
        problems.extend(item_problems)
        if item is not None:
            parsed.append(item)
    if not problems:
        problems.extend(_overlaps(parsed, overlap_tolerance_m2))
    if problems:
        raise GridImportError(sorted(problems, key=lambda p: p.index))
    return _write(parsed, actor)


def _recorded(grid: Grid, officers: list[str]) -> dict[str, object]:
    """What the record keeps of a grid: its fields, officers and the boundary's hash
    (the boundary itself is in the grid row; its hash proves which one was imported)."""
    values = snapshot(grid, ["name", "community", "squadron", "area_m2"])
    values["officers"] = sorted(officers)
    values["boundary_sha256"] = hashlib.sha256(canonical_json(grid.geometry)).hexdigest()
    return values


@transaction.atomic
def _write(parsed: list[_Parsed], actor: User | None) -> GridImportResult:
    codes = [p.code for p in parsed]
    existing = {grid.code: grid for grid in Grid.objects.filter(code__in=codes)}
    officers_before: dict[int, list[str]] = {}
    for grid_id, username in Grid.officers.through.objects.filter(grid__code__in=codes).values_list(
        "grid_id", "user__username"
    ):
        officers_before.setdefault(grid_id, []).append(username)
    before = {
        code: _recorded(grid, officers_before.get(grid.pk, [])) for code, grid in existing.items()
    }
    now = timezone.now()
    result = GridImportResult()
    to_create, to_update = [], []
    for item in parsed:
        min_lon, min_lat, max_lon, max_lat = bounds(item.geometry)
        values = {
            "name": item.name,
            "community": item.community,
            "squadron": item.squadron,
            "geometry": to_geojson(item.geometry),
            "min_lon": min_lon,
            "min_lat": min_lat,
            "max_lon": max_lon,
            "max_lat": max_lat,
            "area_m2": round(area_m2(item.geometry), 1),
        }
        grid = existing.get(item.code)
        if grid is None:
            to_create.append(Grid(code=item.code, **values))
        else:
            for key, value in values.items():
                setattr(grid, key, value)
            # bulk_update skips auto_now; the index cache keys on updated_at.
            grid.updated_at = now
            to_update.append(grid)
        result.codes.append(item.code)
    Grid.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Grid.objects.bulk_update(to_update, [*WRITTEN_FIELDS, "updated_at"], batch_size=500)
    result.created, result.updated = len(to_create), len(to_update)

    grids = {
        grid.code: grid
        for grid in Grid.objects.filter(code__in=codes).select_related("community", "squadron")
    }
    through = Grid.officers.through
    through.objects.filter(grid_id__in=[grid.pk for grid in grids.values()]).delete()
    through.objects.bulk_create(
        [
            through(grid_id=grids[item.code].pk, user_id=officer.pk)
            for item in parsed
            for officer in item.officers
        ],
        batch_size=1000,
    )
    pending = []
    for item in parsed:
        grid = grids[item.code]
        after = _recorded(grid, [officer.username for officer in item.officers])
        changes = changes_between(before.get(item.code, {}), after)
        if changes:
            pending.append(Pending("grids.import", grid, changes))
    record_append_many(entries=pending, actor=actor)
    return result


@transaction.atomic
def grid_delete(*, grid: Grid, actor: User | None = None) -> None:
    """Delete a grid. Side effect: a ``grids.grid.delete`` record (kept on the bureau's
    timeline, since the grid's own is gone with it)."""
    record_append(
        action="grids.grid.delete",
        target=grid,
        actor=actor,
        changes={key: [value, None] for key, value in _recorded(grid, []).items()},
    )
    grid.delete()


@transaction.atomic
def grid_update(*, grid: Grid, name: str, squadron: Unit | None, officers: list[User]) -> Grid:
    """Edit a grid's name, squadron and officers. Boundaries change only by import,
    where overlaps with the neighbours are checked."""
    if squadron is not None and squadron.kind != UnitKind.SQUADRON:
        raise ValidationError({"squadron": _("%(unit)s is not a squadron.") % {"unit": squadron}})
    grid.name = name.strip()
    grid.squadron = squadron
    grid.save(update_fields=["name", "squadron", "updated_at"])
    grid.officers.set(officers)
    return grid
