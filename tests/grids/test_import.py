import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import UnitFactory
from yangguang.grids.models import Grid
from yangguang.grids.selectors import grid_at
from yangguang.grids.services import GridImportError, grids_import
from yangguang.org.enums import PostCode, UnitKind

# ~90 m × 100 m cells near lon 116.6, lat 35.4.
STEP_LON, STEP_LAT = 0.001, 0.0009
ORIGIN_LON, ORIGIN_LAT = 116.60, 35.40


def square(col: int, row: int) -> dict:
    west, south = ORIGIN_LON + col * STEP_LON, ORIGIN_LAT + row * STEP_LAT
    east, north = west + STEP_LON, south + STEP_LAT
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code: str, geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, **properties}}


def collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture
def three_grids(org_tree):
    return collection(
        [
            feature("370899001001001", square(0, 0), name="一号", squadron="ZD01"),
            feature("370899001001002", square(1, 0), officers=["inspector"]),
            feature("370899001002001", square(0, 1), squadron="第二中队"),
        ]
    )


def test_valid_file_imports_every_grid(personas, three_grids, org_tree):
    result = grids_import(collection=three_grids)
    assert (result.created, result.updated) == (3, 0)
    first = Grid.objects.get(code="370899001001001")
    assert (first.name, first.community, first.squadron) == (
        "一号",
        org_tree.community1,
        org_tree.squadron1,
    )
    assert 8000 < first.area_m2 < 10000
    assert [o.username for o in Grid.objects.get(code="370899001001002").officers.all()] == [
        PostCode.INSPECTOR
    ]
    assert Grid.objects.get(code="370899001002001").squadron == org_tree.squadron2


def test_reimport_updates_by_code(personas, three_grids):
    grids_import(collection=three_grids)
    three_grids["features"][0]["properties"]["name"] = "改名"
    result = grids_import(collection=three_grids)
    assert (result.created, result.updated) == (0, 3)
    assert Grid.objects.get(code="370899001001001").name == "改名"
    assert Grid.objects.count() == 3


def test_one_invalid_feature_imports_nothing_and_is_named(personas, three_grids):
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [[116.7, 35.4], [116.701, 35.401], [116.701, 35.4], [116.7, 35.401], [116.7, 35.4]]
        ],
    }
    three_grids["features"].append(feature("370899001001003", bow_tie))
    with pytest.raises(GridImportError) as error:
        grids_import(collection=three_grids)
    assert [(p.index, p.code) for p in error.value.problems] == [(3, "370899001001003")]
    assert error.value.problems[0].reason == "The boundary crosses itself near [116.7005, 35.4005]."
    assert Grid.objects.count() == 0


def test_every_bad_feature_is_listed_with_its_reason(personas, org_tree):
    features = [
        feature("37089900100100", square(0, 0)),  # 14 digits
        feature("370899001001002", square(1, 0)),
        feature("370899001001002", square(2, 0)),  # duplicate
        feature("370899001009001", square(3, 0)),  # unknown community
        feature("370899001001004", square(4, 0), squadron="第九中队"),
        feature("370899001001005", square(5, 0), officers=["nobody"]),
        feature("370899001001006", {"type": "Point", "coordinates": [116.6, 35.4]}),
        {
            "type": "Feature",
            "geometry": square(7, 0),
            "properties": {"code": "370899001001007", "community": "370899001002"},
        },
    ]
    with pytest.raises(GridImportError) as error:
        grids_import(collection=collection(features))
    reasons = {p.index: p.reason for p in error.value.problems}
    assert sorted(reasons) == [0, 2, 3, 4, 5, 6, 7]
    assert "15 digits" in reasons[0]
    assert reasons[2] == "Duplicate code: features[1] has it too."
    assert reasons[3] == "Unknown community 370899001009."
    assert reasons[4] == "Unknown squadron “第九中队”."
    assert reasons[5] == "Unknown or inactive officer “nobody”."
    assert "Point" in reasons[6]
    assert reasons[7] == "The code does not start with its community's code 370899001002."
    assert Grid.objects.count() == 0


def test_overlapping_grids_are_refused(personas, org_tree):
    shifted = square(0, 0)
    shifted["coordinates"][0] = [[x + STEP_LON / 2, y] for x, y in shifted["coordinates"][0]]
    features = [feature("370899001001001", square(0, 0)), feature("370899001001002", shifted)]
    with pytest.raises(GridImportError) as error:
        grids_import(collection=collection(features))
    assert [p.index for p in error.value.problems] == [1]
    assert error.value.problems[0].reason.startswith("Overlaps features[0] (370899001001001) by")


def test_overlap_with_a_stored_grid_is_refused(personas, three_grids):
    grids_import(collection=three_grids)
    with pytest.raises(GridImportError) as error:
        grids_import(collection=collection([feature("370899001001009", square(0, 0))]))
    assert error.value.problems[0].reason.startswith("Overlaps the stored grid 370899001001001")


def test_shared_edges_are_not_overlaps(personas, three_grids):
    assert grids_import(collection=three_grids).created == 3


def test_not_a_feature_collection_is_refused(db):
    with pytest.raises(GridImportError) as error:
        grids_import(collection={"type": "Feature"})
    assert str(error.value.problems[0].reason) == "The file is not a GeoJSON FeatureCollection."


def test_point_lookup_finds_the_grid_and_sees_changes(personas, three_grids):
    grids_import(collection=three_grids)
    assert grid_at(lon=ORIGIN_LON + 0.0005, lat=ORIGIN_LAT + 0.0004).code == "370899001001001"
    assert grid_at(lon=ORIGIN_LON + 0.0015, lat=ORIGIN_LAT + 0.0004).code == "370899001001002"
    assert grid_at(lon=ORIGIN_LON - 0.01, lat=ORIGIN_LAT) is None
    grids_import(collection=collection([feature("370899001001003", square(3, 0))]))
    assert grid_at(lon=ORIGIN_LON + 0.0035, lat=ORIGIN_LAT + 0.0004).code == "370899001001003"


@pytest.mark.slow
def test_ten_thousand_features_import(org_tree):
    communities = [org_tree.community1, org_tree.community2] + [
        UnitFactory(
            name=f"社区{n}",
            kind=UnitKind.COMMUNITY,
            parent=org_tree.street,
            code=f"370899001{n:03d}",
        )
        for n in range(3, 12)
    ]
    features = []
    for index in range(10_000):
        community = communities[index // 999]
        sequence = index % 999 + 1
        features.append(
            feature(f"{community.code}{sequence:03d}", square(index % 100, index // 100))
        )
    result = grids_import(collection=collection(features))
    assert result.created == 10_000
    assert Grid.objects.count() == 10_000


def test_command_exits_non_zero_and_lists_bad_features(personas, tmp_path, capsys):
    path = tmp_path / "grids.geojson"
    path.write_text(
        json.dumps(
            collection(
                [
                    feature("370899001001001", square(0, 0)),
                    feature("370899001099001", square(1, 0)),
                ]
            )
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_grids", str(path))
    assert "Nothing was written" in str(error.value)
    assert "features[1]" in capsys.readouterr().err
    assert Grid.objects.count() == 0


def test_command_reports_broken_json_with_its_position(db, tmp_path):
    path = tmp_path / "grids.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [}', encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_grids", str(path))
    assert "line 1, column 44" in str(error.value)


def test_command_imports_a_valid_file(personas, tmp_path, capsys, three_grids):
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps(three_grids), encoding="utf-8")
    call_command("import_grids", str(path))
    assert "3 new" in capsys.readouterr().out


def test_grids_imported_again_within_one_clock_tick_are_found(personas, three_grids, time_machine):
    """The lookup's index notices grids replaced at the same instant (same count and
    update time, new ids), as when the clock is pinned or two imports share a tick."""
    time_machine.move_to("2026-11-23T02:00:00+00:00", tick=False)
    grids_import(collection=three_grids)
    point = {"lon": ORIGIN_LON + STEP_LON / 2, "lat": ORIGIN_LAT + STEP_LAT / 2}
    assert grid_at(**point).code == "370899001001001"
    Grid.objects.all().delete()
    grids_import(collection=three_grids)
    assert grid_at(**point) == Grid.objects.get(code="370899001001001")
