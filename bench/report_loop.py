"""The report loop at scale, on PostgreSQL through a real server: Open311 intake, the
待派遣 queue page and a CSV export, with 1,000,000 reports in the database.

Run from the repository root:  /tmp/yg-venv/bin/python bench/report_loop.py
(``--reports 50000 --seconds 5`` to try it). Needs PostgreSQL (see _support.py) and wrk
(Debian's package ``wrk``); uses Redis on 127.0.0.1:6379 for the shared cache when it
answers, as production would. Writes bench/results/report_loop.json; bench/README.md
says how to read it.

One run:

1. **Build** (a child process): a scratch database; migrate; the demo city (units,
   staff, 261 grids, 403 categories); an Open311 client with a limit no run reaches;
   then ``--reports`` reports over three years, loaded with COPY: everything older than
   60 days finished (closed, not registered, void), the last 60 days spread over every
   open state, ~1 % of all of them 待派遣. Positions inside their grid, real categories,
   handling units, deadlines and lights, replies and ratings. ``VACUUM ANALYZE``.
2. ``yangguang serve`` (gunicorn, 2 workers × 4 threads, as the demo) on a free port.
3. **Queue page**: the dispatcher ``paiqian`` logs in through the form; 20 warm-up
   requests, then ``--queue-requests`` GETs of ``/staff/reports/queue/dispatch/`` in a
   fixed shuffled mix (first page; a page deep in the list; oldest first; deadline
   order; a channel filter; a search), one at a time, each on a fresh connection,
   alternating with as many GETs of the baseline ``/livez`` (a bare Django JSON view
   on the same server). Each page must answer 200 with the queue's rows.
4. **Open311 intake**: wrk, ``--connections`` connections for ``--seconds`` seconds,
   against ``/livez`` (baseline), then POST ``/open311/v2/requests.json`` (random
   event category and point inside a random grid per request), then ``/livez``
   again. Every POST must answer 2xx, and the database must hold as many new Open311
   reports as wrk counted (plus at most one in flight per connection).
5. **CSV export**: the dispatcher downloads ``/staff/reports/queue/all/export.csv``
   (every report in the database) while a thread samples the RSS of each gunicorn
   worker every 20 ms; the rows received must equal the reports counted just before.

The server is stopped and the database dropped at the end, also when something fails.
"""

import argparse
import datetime as dt
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import gunicorn
import psutil
import psycopg

from _support import (
    MIB,
    Browser,
    PeakSampler,
    django_env,
    environment,
    free_port,
    ms,
    percentile,
    postgres_version,
    rss,
    run_child,
    scratch_postgres,
    stop_server,
    wait_until_up,
    write_child_result,
    write_results,
)

SCRIPT = str(Path(__file__).resolve())
YANGGUANG = Path(sys.executable).with_name("yangguang")
DISPATCHER, PASSWORD = "paiqian", "Yangguang-2026"  # the demo's dispatcher
WORKERS, THREADS = 2, 4
REDIS_URL = "redis://127.0.0.1:6379/15"
EXPORT_LIMIT_MIB = 200  # acceptance: a 1,000,000-row export under 200 MB peak
YEARS = 3
OPEN_DAYS = 60  # reports younger than this are still somewhere in the loop
SEED = 20261122


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=["build"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--queue-requests", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=20, help="each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    args = parser.parse_args()
    if args.role == "build":
        write_child_result(args.out, _build(args.reports))
        return
    if postgres_version() is None:
        sys.exit("PostgreSQL does not answer; this benchmark needs it (see _support.py).")
    if subprocess.run(["wrk", "--version"], capture_output=True, check=False).returncode > 1:
        sys.exit("wrk is missing: apt-get install wrk")
    redis_up = _redis_answers()
    with (
        tempfile.TemporaryDirectory(prefix="yangguang-bench-loop-") as scratch,
        scratch_postgres(f"yangguang_bench_report_loop_{os.getpid()}") as url,
    ):
        data_dir = Path(scratch)
        env = django_env(data_dir=data_dir, database_url=url)
        env.update(
            YANGGUANG_HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50), YANGGUANG_LOG_LEVEL="WARNING"
        )
        if redis_up:
            env["REDIS_URL"] = REDIS_URL
        print(f"Building {args.reports:,} reports …", flush=True)
        built = run_child(SCRIPT, "build", ["--reports", str(args.reports)], env)
        print(f"  built in {built['build_seconds']:.0f} s", flush=True)
        port = free_port()
        log_path = data_dir / "server.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [
                    str(YANGGUANG),
                    "serve",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(WORKERS),
                    "--threads",
                    str(THREADS),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                browser = Browser(port)
                wait_until_up(server, browser, seconds=120)
                browser.login(DISPATCHER, PASSWORD)
                print("Queue page …", flush=True)
                queue = _queue_page(browser, built, requests=args.queue_requests)
                print("Open311 intake …", flush=True)
                intake = _intake(
                    port,
                    url,
                    built,
                    seconds=args.seconds,
                    connections=args.connections,
                    scratch=data_dir,
                )
                print("CSV export …", flush=True)
                export = _export(browser, server, url)
            except BaseException:
                print(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
                raise
            finally:
                stop_server(server)

    report = {
        "benchmark": "report_loop",
        "measured_at": dt.datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(gunicorn=gunicorn.__version__, wrk=_wrk_version()),
        "settings": {
            "server": f"yangguang serve: gunicorn gthread, {WORKERS} workers × {THREADS} threads",
            "database": "PostgreSQL",
            "cache": "Redis" if redis_up else "in-process (Redis did not answer)",
            "reports": built["reports"],
            "awaiting_dispatch": built["awaiting_dispatch"],
            "build_seconds": built["build_seconds"],
            "wrk": f"{args.connections} connections, 2 threads, {args.seconds} s per run",
        },
        "queue_page": queue,
        "open311_intake": intake,
        "csv_export": export,
        "acceptance": {
            "export_criterion": f"worker peak RSS < {EXPORT_LIMIT_MIB} MB over a "
            f"{export['rows']:,}-row export, every row received",
            "export_met": export["worker_peak_mib"] < EXPORT_LIMIT_MIB and export["complete"],
        },
    }
    path = write_results("report_loop", report)
    _print(report)
    print(f"\nFigures written to {path}")


# --- Build (child process) ----------------------------------------------------------------


def _build(count: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from yangguang.api.models import ClientKind
    from yangguang.api.services import api_client_register
    from yangguang.core.demo import demo_city_load

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo_city_load()
    _client, key = api_client_register(
        name="bench-open311", kind=ClientKind.OPEN311, requests_per_hour=10**9, actor=None
    )
    awaiting = _load_reports(count)
    return {
        "reports": count,
        "awaiting_dispatch": awaiting,
        "api_key": key,
        "grids": _grid_boxes(),
        "service_codes": _event_service_codes(),
        "build_seconds": time.perf_counter() - started,
    }


def _grid_boxes() -> list[list[float]]:
    """Each grid's bounding box shrunk to its middle third: points inside the grid."""
    from yangguang.grids.models import Grid

    boxes = []
    for g in Grid.objects.all():
        w, h = (g.max_lon - g.min_lon) / 3, (g.max_lat - g.min_lat) / 3
        boxes.append([g.min_lon + w, g.min_lat + h, g.max_lon - w, g.max_lat - h])
    return boxes


def _event_service_codes() -> list[str]:
    from yangguang.api.open311.selectors import service_code, services_list
    from yangguang.categories.enums import CategoryKind

    return [service_code(c) for c in services_list() if c.kind == CategoryKind.EVENT]


COLUMNS = [
    "tracking_number", "kind", "channel", "status", "description", "address", "longitude",
    "latitude", "source_reference", "created_at", "updated_at", "dispatched_at", "warn_at",
    "deadline", "deadline_state", "handled_at", "closed_at", "result", "disposal_mode",
    "case_reference", "rework_count", "reopen_count", "delay_count", "public_reply",
    "replied_at", "rating", "rating_comment", "rated_at", "category_id", "community_id",
    "grid_id", "street_id", "unit_id", "proposed_unit_id",
]  # fmt: skip
WHAT = ["占道经营", "乱堆物料", "井盖破损", "路灯不亮", "违规广告", "油烟扰民", "渣土撒漏"]
WHERE = ["文化路", "建设路", "朝阳街", "人民大道", "东关街", "阳光花园", "滨河路"]
# Open states of the last OPEN_DAYS days and their shares (待派遣 about 18 % of them).
OPEN_MIX = [
    ("submitted", 4), ("registered", 18), ("returned", 2), ("dispatched", 16),
    ("in_progress", 16), ("delay_requested", 2), ("shelve_requested", 1), ("shelved", 1),
    ("handled", 8), ("verified", 4), ("closed", 26), ("rejected", 2),
]  # fmt: skip
FINISHED_MIX = [("closed", 90), ("rejected", 7), ("void", 3)]
DISPATCHED = {
    "dispatched", "in_progress", "delay_requested", "shelve_requested", "shelved",
    "handled", "verified", "closed",
}  # fmt: skip


EMPTY = {"character varying": "''", "text": "''", "integer": "0", "smallint": "0"}
EMPTY |= {"bigint": "0", "boolean": "false", "jsonb": "'{}'::jsonb", "numeric": "0"}


@contextmanager
def _defaults_for_new_columns(table: str, columns: list[str]):
    """Columns added to ``table`` since the generator was written, NOT NULL without a
    database default, get their empty value as a default while it COPYs (Django keeps
    defaults in Python, not in the table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s"
            " AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
            [table],
        )
        missing = [(name, kind) for name, kind in cursor.fetchall() if name not in columns]
        for name, kind in missing:
            cursor.execute(f'ALTER TABLE {table} ALTER COLUMN "{name}" SET DEFAULT {EMPTY[kind]}')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, _kind in missing:
                cursor.execute(f'ALTER TABLE {table} ALTER COLUMN "{name}" DROP DEFAULT')


def _load_reports(count: int) -> int:
    """COPY ``count`` reports in; returns how many are 待派遣 (registered)."""
    from django.db import connection

    from yangguang.categories.models import Category
    from yangguang.grids.models import Grid
    from yangguang.org.models import Unit
    from yangguang.reports.selectors import DISPATCHABLE

    rng = random.Random(SEED)
    grids = list(
        Grid.objects.values_list(
            "id", "community_id", "community__parent_id", "min_lon", "min_lat", "max_lon", "max_lat"
        )
    )
    categories = list(Category.objects.filter(is_active=True).values_list("id", flat=True))
    units = list(Unit.objects.filter(kind__in=DISPATCHABLE).values_list("id", flat=True))
    pools = {
        "categories": categories,
        "units": units,
        "channels": ["web", "hotline", "patrol", "machine", "open311"],
    }
    now = dt.datetime.now(tz=UTC).replace(microsecond=0)
    start = now - dt.timedelta(days=365 * YEARS)
    step = (now - dt.timedelta(hours=1) - start) / count
    open_states, open_weights = zip(*OPEN_MIX, strict=True)
    done_states, done_weights = zip(*FINISHED_MIX, strict=True)
    from yangguang.reports.models import TrackingCounter

    # The demo's own reports of today have taken the first numbers.
    per_day: dict[dt.date, int] = dict(TrackingCounter.objects.values_list("day", "last"))
    awaiting = 0
    with _defaults_for_new_columns("reports_report", COLUMNS), connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(f"COPY reports_report ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for i in range(count):
                created = start + step * i
                day = (created + dt.timedelta(hours=8)).date()  # Asia/Shanghai
                per_day[day] = per_day.get(day, 0) + 1
                if now - created > dt.timedelta(days=OPEN_DAYS):
                    status = rng.choices(done_states, done_weights)[0]
                else:
                    status = rng.choices(open_states, open_weights)[0]
                awaiting += status == "registered"
                grid = rng.choice(grids)
                number = f"{day:%Y%m%d}{per_day[day]:05d}"
                copy.write_row(_row(rng, i, created, number, status, grid, now, pools))
        for day, last in per_day.items():
            raw.execute(
                "INSERT INTO reports_trackingcounter (day, last) VALUES (%s, %s) "
                "ON CONFLICT (day) DO UPDATE SET last = EXCLUDED.last",
                [day, last],
            )
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        admin.execute("VACUUM ANALYZE reports_report")
        admin.execute("VACUUM ANALYZE reports_trackingcounter")
    return awaiting


def _row(rng, i, created, number, status, grid, now, pools):  # noqa: PLR0917
    grid_id, community, street, min_lon, min_lat, max_lon, max_lat = grid
    lon = min_lon + (max_lon - min_lon) * (0.3 + 0.4 * rng.random())
    lat = min_lat + (max_lat - min_lat) * (0.3 + 0.4 * rng.random())
    dispatched = status in DISPATCHED
    dispatched_at = created + dt.timedelta(minutes=rng.randint(10, 240)) if dispatched else None
    deadline = warn_at = handled_at = closed_at = replied_at = rated_at = None
    deadline_state, disposal, rating, reply, result = "normal", "", "", "", ""
    if dispatched:
        deadline = dispatched_at + dt.timedelta(days=rng.choice([1, 3, 5]))
        warn_at = dispatched_at + (deadline - dispatched_at) * 0.8
        if status not in {"handled", "verified", "closed"} and deadline < now:
            deadline_state = "overdue"
        elif status not in {"handled", "verified", "closed"} and warn_at < now:
            deadline_state = "warning"
    if status in {"handled", "verified", "closed"}:
        handled_at = dispatched_at + dt.timedelta(hours=rng.randint(1, 60))
        disposal = rng.choices(["service", "management", "enforcement"], [7, 2, 1])[0]
        result = "已到场处理，现场已恢复。"
    if status in {"closed", "rejected", "void"}:
        closed_at = (handled_at or created) + dt.timedelta(hours=rng.randint(1, 24))
        replied_at = closed_at
        reply = "您反映的问题已处理完毕，感谢您的监督。"
        if status == "closed" and rng.random() < 0.6:
            rating = rng.choices(["satisfied", "basically", "unsatisfied"], [85, 12, 3])[0]
            rated_at = closed_at + dt.timedelta(hours=rng.randint(1, 48))
    what, where = rng.choice(WHAT), rng.choice(WHERE)
    return (
        number, "problem", rng.choice(pools["channels"]), status,
        f"{where}附近{what}，请尽快处理。（{i}）", f"{where}{rng.randint(1, 300)}号", lon, lat,
        "", created, closed_at or created, dispatched_at, warn_at, deadline, deadline_state,
        handled_at, closed_at, result, disposal, "", 0, 0, 0, reply, replied_at, rating, "",
        rated_at, rng.choice(pools["categories"]), community, grid_id, street,
        rng.choice(pools["units"]) if dispatched else None, rng.choice(pools["units"]),
    )  # fmt: skip


# --- Queue page ---------------------------------------------------------------------------

QUEUE_PATH = "/staff/reports/queue/dispatch/"


def _queue_variants(awaiting: int) -> dict[str, str]:
    deep = max(1, awaiting // 50 // 2)  # a page half-way down the list
    return {
        "first page": "",
        f"page {deep}": f"?page={deep}",
        "oldest first": "?sort=created_at",
        "deadline order": "?sort=deadline",
        "channel filter": "?channel=hotline",
        "search": "?q=" + urllib.parse.quote("文化路"),
    }


def _queue_page(browser: Browser, built: dict, *, requests: int) -> dict:
    variants = _queue_variants(built["awaiting_dispatch"])
    plan = [name for name in variants for _ in range(max(1, requests // len(variants)))]
    random.Random(SEED).shuffle(plan)
    for name in list(variants)[:2] * 10:  # warm-up
        _get_page(browser, QUEUE_PATH + variants[name])
        _get_health(browser)
    times: dict[str, list[float]] = {name: [] for name in variants}
    baseline: list[float] = []
    for name in plan:
        times[name].append(_get_page(browser, QUEUE_PATH + variants[name]))
        baseline.append(_get_health(browser))
    every = [t for values in times.values() for t in values]
    return {
        "requests": len(every),
        "p50_ms": ms(percentile(every, 50)),
        "p95_ms": ms(percentile(every, 95)),
        "max_ms": ms(max(every)),
        "baseline_p50_ms": ms(percentile(baseline, 50)),
        "baseline_p95_ms": ms(percentile(baseline, 95)),
        "p95_ratio": percentile(every, 95) / percentile(baseline, 95),
        "by_variant": {
            name: {
                "query": variants[name],
                "p50_ms": ms(percentile(v, 50)),
                "p95_ms": ms(percentile(v, 95)),
            }
            for name, v in times.items()
        },
    }


def _get_page(browser: Browser, path: str) -> float:
    started = time.perf_counter()
    status, _headers, body = browser.request("GET", path)
    elapsed = time.perf_counter() - started
    if status != 200 or b'class="light-' not in body:
        raise SystemExit(f"GET {path} answered {status} without queue rows")
    return elapsed


def _get_health(browser: Browser) -> float:
    started = time.perf_counter()
    status, _headers, body = browser.request("GET", "/livez")
    elapsed = time.perf_counter() - started
    if status != 200 or b'"ok"' not in body:
        raise SystemExit(f"GET /livez answered {status}")
    return elapsed


# --- Open311 intake -----------------------------------------------------------------------


LUA = """
math.randomseed(%(seed)d)
local codes = {%(codes)s}
local boxes = {%(boxes)s}
local key = "%(key)s"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  local b = boxes[math.random(#boxes)]
  local lon = b[1] + (b[3] - b[1]) * math.random()
  local lat = b[2] + (b[4] - b[2]) * math.random()
  local body = string.format(
    "api_key=%%s&service_code=%%s&lat=%%.6f&long=%%.6f&description=%%s&phone=%%s",
    key, codes[math.random(#codes)], lat, lon,
    "%%E8%%B7%%AF%%E9%%9D%%A2%%E7%%A0%%B4%%E6%%8D%%9F", "1390537" .. math.random(1000, 9999))
  return wrk.format(nil, nil, nil, body)
end
"""


def _intake(
    port: int, url: str, built: dict, *, seconds: int, connections: int, scratch: Path
) -> dict:
    script = scratch / "post.lua"
    script.write_text(
        LUA
        % {
            "seed": SEED,
            "codes": ", ".join(f'"{code}"' for code in built["service_codes"]),
            "boxes": ", ".join(
                "{" + ", ".join(f"{x:.7f}" for x in b) + "}" for b in built["grids"]
            ),
            "key": built["api_key"],
        },
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{port}"
    before = _count(url, "channel = 'open311'")
    health_1 = _wrk(f"{base}/livez", seconds, connections)
    post = _wrk(f"{base}/open311/v2/requests.json", seconds, connections, script=script)
    health_2 = _wrk(f"{base}/livez", seconds, connections)
    created = _count(url, "channel = 'open311'") - before
    if post["non_2xx"] or post["errors"]:
        raise SystemExit(f"Open311 POSTs failed: {post}")
    if not post["requests"] <= created <= post["requests"] + connections:
        raise SystemExit(f"wrk counted {post['requests']} POSTs, the database {created}")
    baseline_rps = (health_1["rps"] + health_2["rps"]) / 2
    baseline_p99 = (health_1["p99_ms"] + health_2["p99_ms"]) / 2
    return {
        "post": post,
        "baseline_runs": [health_1, health_2],
        "reports_created": created,
        "rps_ratio": post["rps"] / baseline_rps,
        "p99_ratio": post["p99_ms"] / baseline_p99,
        "baseline_rps": baseline_rps,
        "baseline_p99_ms": baseline_p99,
    }


def _lua_box(box: list[float]) -> str:
    return "{" + ", ".join(f"{x:.7f}" for x in box) + "}"


def _wrk(target: str, seconds: int, connections: int, *, script: Path | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, target], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"\n\s+50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"\n\s+99%\s+([\d.]+)(us|ms|s)", output)
    if not (found and rps and p50 and p99):
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": int(found.group(1)),
        "rps": float(rps.group(1)),
        "p50_ms": _to_ms(*p50.groups()),
        "p99_ms": _to_ms(*p99.groups()),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(1) if errors else "",
    }


def _to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# --- CSV export ---------------------------------------------------------------------------


def _export(browser: Browser, server: subprocess.Popen, url: str) -> dict:
    workers = psutil.Process(server.pid).children()
    baselines = {w.pid: rss(w) for w in workers}
    samplers = [PeakSampler(lambda w=w: rss(w)) for w in workers]
    expected = _count(url, "TRUE")
    connection, response = browser.open("GET", "/staff/reports/queue/all/export.csv")
    lines = size = 0
    started = time.perf_counter()
    first_byte = None
    for sampler in samplers:
        sampler.__enter__()
    try:
        if response.status != 200:
            raise SystemExit(f"the export answered {response.status}")
        while chunk := response.read(MIB):
            first_byte = first_byte or time.perf_counter() - started
            # Rows end in \r\n; count the \n, which a chunk boundary cannot split.
            lines += chunk.count(b"\n")
            size += len(chunk)
    finally:
        for sampler in samplers:
            sampler.__exit__(None, None, None)
        connection.close()
    seconds = time.perf_counter() - started
    peaks = {w.pid: s.peak for w, s in zip(workers, samplers, strict=True)}
    busiest = max(peaks, key=lambda pid: peaks[pid] - baselines[pid])
    return {
        "rows": lines - 1,
        "expected_rows": expected,
        "complete": lines - 1 == expected,
        "megabytes": size / MIB,
        "seconds": seconds,
        "rows_per_second": (lines - 1) / seconds,
        "first_byte_seconds": first_byte,
        "worker_baseline_mib": baselines[busiest] / MIB,
        "worker_peak_mib": peaks[busiest] / MIB,
        "worker_peak_over_baseline_mib": (peaks[busiest] - baselines[busiest]) / MIB,
    }


# --- Helpers ------------------------------------------------------------------------------


def _count(url: str, where: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT count(*) FROM reports_report WHERE {where}").fetchone()[0]


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


def _wrk_version() -> str:
    completed = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (completed.stdout or completed.stderr).split("[")[0].strip()


def _print(report: dict) -> None:
    s, q, i, e = (
        report["settings"],
        report["queue_page"],
        report["open311_intake"],
        report["csv_export"],
    )
    print(
        f"\n{s['reports']:,} reports ({s['awaiting_dispatch']:,} 待派遣), {s['server']}, "
        f"cache {s['cache']}\n"
    )
    print("| measure | figure | baseline /livez | ratio |")
    print("|---|---:|---:|---:|")
    print(
        f"| 待派遣 queue page p95 ({q['requests']} requests) | {q['p95_ms']} ms | "
        f"{q['baseline_p95_ms']} ms | {q['p95_ratio']:.1f}× |"
    )
    print(f"| 待派遣 queue page p50 | {q['p50_ms']} ms | {q['baseline_p50_ms']} ms | |")
    print(
        f"| Open311 POST requests/s | {i['post']['rps']:,.0f} | {i['baseline_rps']:,.0f} | "
        f"{i['rps_ratio']:.3f}× |"
    )
    print(
        f"| Open311 POST p99 | {i['post']['p99_ms']:.1f} ms | {i['baseline_p99_ms']:.1f} ms | "
        f"{i['p99_ratio']:.1f}× |"
    )
    print(
        f"| CSV export of {e['rows']:,} rows | {e['seconds']:.1f} s, "
        f"{e['rows_per_second']:,.0f} rows/s, worker peak {e['worker_peak_mib']:.0f} MiB "
        f"(+{e['worker_peak_over_baseline_mib']:.0f}) | | |"
    )
    print("\nBy variant of the queue page:")
    for name, figures in q["by_variant"].items():
        print(f"  {name:<16} p50 {figures['p50_ms']:>7} ms   p95 {figures['p95_ms']:>7} ms")
    verdict = "met" if report["acceptance"]["export_met"] else "NOT met"
    print(f"\nExport acceptance ({report['acceptance']['export_criterion']}): {verdict}")


if __name__ == "__main__":
    main()
