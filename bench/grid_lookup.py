"""Point → grid lookup: the STRtree index against brute force, in one run.

Run from the repository root:  /tmp/yg-venv/bin/python bench/grid_lookup.py
Writes bench/results/grid_lookup.json; see bench/README.md for how to read it.
"""

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import shapely

from yangguang.core.demo_geometry import demo_district, generated_grids
from yangguang.grids.index import GridIndex

RESULTS = Path(__file__).parent / "results" / "grid_lookup.json"
SEED = 20260101
POINTS = 20_000
REPEATS = 3  # each figure is the median of this many timed runs
MIN_SECONDS = 1.0  # per timed run, for every method
AGREEMENT_POINTS = 500
TARGET_RATIO = 100  # acceptance: index ≥ 100× brute force at 50,000 grids
LARGE = 50_000

Locate = Callable[[float, float], int | None]


def main() -> None:
    demo = demo_district()
    cases = {
        "demo district": [
            grid
            for street in demo.streets
            for community in street.communities
            for grid in community.grids
        ],
        "generated": generated_grids(LARGE),
    }
    rows = [_measure_case(name, grids) for name, grids in cases.items()]
    large = rows[-1]
    report = {
        "benchmark": "grid_lookup",
        "measured_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": _environment(),
        "settings": {
            "seed": SEED,
            "points": POINTS,
            "repeats": REPEATS,
            "min_seconds_per_run": MIN_SECONDS,
        },
        "cases": rows,
        "acceptance": {
            "criterion": f"index ≥ {TARGET_RATIO}× brute force at {LARGE:,} grids",
            "ratio": large["index_over_brute_force"],
            "met": large["index_over_brute_force"] >= TARGET_RATIO,
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _print_table(rows)
    verdict = "met" if report["acceptance"]["met"] else "NOT met"
    print(
        f"\nAcceptance ({report['acceptance']['criterion']}): {verdict}, "
        f"ratio {large['index_over_brute_force']:,.0f}×."
    )
    print(f"Figures written to {RESULTS}")


def _measure_case(name: str, grids: list[shapely.Geometry]) -> dict:
    entries = [(number, f"{number:015d}", grid) for number, grid in enumerate(grids, 1)]
    build_seconds = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        index = GridIndex(entries)
        build_seconds.append(time.perf_counter() - started)

    min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(grids)
    rng = np.random.default_rng(SEED)
    points = rng.uniform([min_lon, min_lat], [max_lon, max_lat], (POINTS, 2)).tolist()

    sample = points[:AGREEMENT_POINTS]
    answers = [index.locate(lon, lat) for lon, lat in sample]
    agree = answers == [index.locate_brute_force(lon, lat) for lon, lat in sample]
    if not agree:
        sys.exit(f"{name}: index and brute force disagree; the figures would be meaningless.")

    bbox_scan = _bounds_scan(entries)
    located = _rate(index.locate, points)
    brute = _rate(index.locate_brute_force, points)
    scanned = _rate(bbox_scan, points)
    batch = _batch_rate(index, points)
    return {
        "case": name,
        "grids": len(grids),
        "points_inside_a_grid": sum(answer is not None for answer in answers) / len(answers),
        "index_build_seconds": statistics.median(build_seconds),
        "locate_per_second": located,
        "brute_force_per_second": brute,
        "index_over_brute_force": located / brute,
        "bbox_scan_per_second": scanned,
        "index_over_bbox_scan": located / scanned,
        "locate_many_per_second": batch,
    }


def _rate(locate: Locate, points: list[list[float]]) -> float:
    """Median lookups per second over ``REPEATS`` runs of at least ``MIN_SECONDS`` each."""
    rates = []
    for _ in range(REPEATS):
        calls = 0
        started = time.perf_counter()
        elapsed = 0.0
        while elapsed < MIN_SECONDS:
            # Check the clock every few calls only: brute force takes milliseconds per call,
            # the index microseconds, and reading the clock should not be what we measure.
            start = calls % len(points)
            for lon, lat in points[start : start + 16]:
                locate(lon, lat)
                calls += 1
            elapsed = time.perf_counter() - started
        rates.append(calls / elapsed)
    return statistics.median(rates)


def _batch_rate(index: GridIndex, points: list[list[float]]) -> float:
    array = np.array(points)
    rates = []
    for _ in range(REPEATS):
        calls = 0
        started = time.perf_counter()
        elapsed = 0.0
        while elapsed < MIN_SECONDS:
            index.locate_many(array)
            calls += len(array)
            elapsed = time.perf_counter() - started
        rates.append(calls / elapsed)
    return statistics.median(rates)


def _bounds_scan(entries: list[tuple[int, str, shapely.Geometry]]) -> Locate:
    """A stronger brute force, for context: compare the point with every grid's bounding
    box in NumPy, then run the exact test on the few boxes that contain it."""
    rows = sorted(entries, key=lambda row: (row[1], row[0]))
    ids = [grid_id for grid_id, _code, _geometry in rows]
    geometries = np.array([geometry for _id, _code, geometry in rows], dtype=object)
    min_x, min_y, max_x, max_y = shapely.bounds(geometries).T.copy()

    def locate(lon: float, lat: float) -> int | None:
        boxed = np.flatnonzero((min_x <= lon) & (lon <= max_x) & (min_y <= lat) & (lat <= max_y))
        hits = boxed[shapely.intersects_xy(geometries[boxed], lon, lat)]
        return ids[hits[0]] if hits.size else None

    return locate


def _environment() -> dict:
    return {
        "python": platform.python_version(),
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "numpy": np.__version__,
        "machine": platform.machine(),
        "system": platform.platform(),
        "cpus": os.cpu_count(),
    }


def _print_table(rows: list[dict]) -> None:
    print(
        "| case | grids | build (ms) | locate/s | brute force/s | index ÷ brute | "
        "bbox scan/s | index ÷ bbox scan | locate_many/s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['case']} | {row['grids']:,} | {row['index_build_seconds'] * 1000:,.1f} | "
            f"{row['locate_per_second']:,.0f} | {row['brute_force_per_second']:,.0f} | "
            f"{row['index_over_brute_force']:,.1f}× | {row['bbox_scan_per_second']:,.0f} | "
            f"{row['index_over_bbox_scan']:,.1f}× | {row['locate_many_per_second']:,.0f} |"
        )


if __name__ == "__main__":
    main()
