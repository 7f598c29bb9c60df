"""The command centre (数字化中心, issue 14) at scale, on PostgreSQL through a real
server: the 大屏's data endpoint and the ranking page with 1,000,000 reports, the
summaries' rebuild, the cost the summaries add to a write of a report, and the monthly
leaders' report.

Run from the repository root:  .venv/bin/python bench/command_bench.py
(``--reports 50000 --requests 40`` to try it). Needs PostgreSQL (see _support.py).
Writes bench/results/command_bench.json and prints a Markdown table.

One run:

1. **Build** (a child process): a scratch database; migrate; the demo city (with its
   month of history); then ``--reports`` reports over three years loaded with COPY by
   report_loop's generator (``report_loop._load_reports``). COPY bypasses
   ``Report.save``, so the summaries are rebuilt (``tallies_rebuild``): its time and
   the rows of each summary are reported.
2. **Writes** (a child process): the cost of the summaries on a write. ``--writes``
   reports are taken in (hotline, by the intake operator), accepted and dispatched
   through the services, in alternating blocks with the summaries' appends on and
   switched off (``tally.report_changed`` keeping the facts without appending,
   ``tally.step_counted`` doing nothing); then ``tallies_fold`` folds what the blocks
   with the summaries appended.
3. **Monthly leaders' report** (a child process): the generation of last month's
   report (``yangguang.analytics.leader_reports``), its time and the process's peak
   RSS over its RSS before; skipped with a note when that module is missing.
4. ``yangguang serve`` (gunicorn, 2 workers × 4 threads, as the demo); the shift lead
   ``zhibanzhang`` logs in through the form; after a warm-up, ``--requests`` GETs of
   each page in a fixed shuffled mix — ``/staff/command/live.json`` (the 大屏's data),
   ``/staff/command/rankings/?subject=community&period=<last month>`` and
   ``?subject=unit`` — one at a time on fresh connections, each followed by a GET of
   ``/healthz`` on the same server: p50/p95 and the ratio of p95s.

The server is stopped and the database dropped at the end, also when something fails.
The machine's CPU is shared with other work: compare ratios within a run.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

import gunicorn
import psutil

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
    timed_get,
    wait_until_up,
    write_child_result,
    write_results,
)

SCRIPT = str(Path(__file__).resolve())
YANGGUANG = Path(sys.executable).with_name("yangguang")
SHIFT_LEAD, PASSWORD = "zhibanzhang", "Yangguang-2026"  # the demo's shift lead (值班长)
WORKERS, THREADS = 2, 4
SEED = 20261203
NOTES = Path("/work/notes/bench_command.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=["build", "writes", "monthly"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=150, help="GETs of each page")
    parser.add_argument("--writes", type=int, default=400, help="reports written in step 2")
    args = parser.parse_args()
    if args.role == "build":
        write_child_result(args.out, _build(args.reports))
        return
    if args.role == "writes":
        write_child_result(args.out, _writes(args.writes))
        return
    if args.role == "monthly":
        write_child_result(args.out, _monthly())
        return
    if postgres_version() is None:
        sys.exit("PostgreSQL does not answer; this benchmark needs it (see _support.py).")
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="yangguang-bench-command-") as scratch,
        scratch_postgres(f"yangguang_bench_command_{os.getpid()}") as url,
    ):
        data_dir = Path(scratch)
        env = django_env(data_dir=data_dir, database_url=url)
        env.update(
            YANGGUANG_HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50), YANGGUANG_LOG_LEVEL="WARNING"
        )
        print(f"Building {args.reports:,} reports …", flush=True)
        built = run_child(SCRIPT, "build", ["--reports", str(args.reports)], env)
        print(
            f"  seeded in {built['seed_seconds']:.0f} s, summaries rebuilt in "
            f"{built['rebuild_seconds']:.1f} s",
            flush=True,
        )
        print("Writes with and without the summaries …", flush=True)
        writes = run_child(SCRIPT, "writes", ["--writes", str(args.writes)], env)
        print("Monthly leaders' report …", flush=True)
        monthly = run_child(SCRIPT, "monthly", [], env)
        print("Pages through the server …", flush=True)
        pages = _serve_and_measure(env, data_dir, built, requests=args.requests)
    report = {
        "benchmark": "command_bench",
        "measured_at": dt.datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(gunicorn=gunicorn.__version__),
        "settings": {
            "server": f"yangguang serve: gunicorn gthread, {WORKERS} workers × {THREADS} threads",
            "database": "PostgreSQL",
            "reports": built["reports_total"],
            "requests_per_page": args.requests,
            "note": "The machine's 2 CPUs were shared with other engineers' work during the "
            f"run (load average before: {load_before[0]:.1f}); compare the ratios of one "
            "run, not absolute times across runs.",
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "build": built,
        "pages": pages,
        "writes": writes,
        "monthly_report": monthly,
    }
    path = write_results("command_bench", report)
    table = _table(report)
    print("\n" + table)
    NOTES.parent.mkdir(parents=True, exist_ok=True)
    NOTES.write_text(table, encoding="utf-8")
    print(f"\nFigures written to {path} and {NOTES}")


# --- Build (child process) ----------------------------------------------------------------


def _build(count: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    import report_loop
    from yangguang.core.demo import demo_city_load
    from yangguang.reports.models import GridLoad, PostTally, Report, ReportTally
    from yangguang.reports.tally import tallies_rebuild

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    demo_city_load()
    demo_done = time.perf_counter()
    report_loop._load_reports(count)
    seeded = time.perf_counter()
    written = tallies_rebuild()
    rebuilt = time.perf_counter()
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        for table in ("reports_reporttally", "reports_gridload", "reports_posttally"):
            admin.execute(f"VACUUM ANALYZE {table}")
    return {
        "reports_seeded": count,
        "reports_total": Report.objects.count(),
        "migrate_seconds": migrated - started,
        "demo_seconds": demo_done - migrated,
        "seed_seconds": seeded - demo_done,
        "rebuild_seconds": rebuilt - seeded,
        "rebuild_rows_written": written,
        "summary_rows": {
            "ReportTally": ReportTally.objects.count(),
            "GridLoad": GridLoad.objects.count(),
            "PostTally": PostTally.objects.count(),
        },
    }


# --- Writes with and without the summaries (child process) -------------------------------


def _writes(count: int) -> dict:  # noqa: PLR0915 - one measurement, read top to bottom
    import django

    django.setup()
    from django.utils import timezone

    from yangguang.categories.enums import CategoryKind
    from yangguang.categories.models import Category
    from yangguang.grids.models import Grid
    from yangguang.org.models import User
    from yangguang.reports import tally
    from yangguang.reports.enums import Channel, ReportKind
    from yangguang.reports.models import GridLoad, PostTally, ReportTally
    from yangguang.reports.services import NewReport, report_submit
    from yangguang.reports.workflow import report_transition

    rng = random.Random(SEED)
    intake = User.objects.get(username="shouli")
    dispatcher = User.objects.get(username="paiqian")
    grids = list(Grid.objects.all())
    # Categories the router knows a unit for, so that dispatch has somewhere to send it.
    categories = list(
        Category.objects.filter(is_active=True, kind=CategoryKind.EVENT).order_by("id")[:60]
    )
    real_changed, real_step = tally.report_changed, tally.step_counted

    def off() -> None:
        tally.report_changed = lambda report, before: tally.facts_of(report)
        tally.step_counted = lambda entry: None

    def on() -> None:
        tally.report_changed, tally.step_counted = real_changed, real_step

    def one(i: int) -> None:
        grid = rng.choice(grids)
        now = timezone.now()
        report, _token = report_submit(
            data=NewReport(
                kind=ReportKind.PROBLEM,
                channel=Channel.HOTLINE,
                description=f"基准测试：路面破损，请尽快处理。（{i}）",
                category=rng.choice(categories),
                address="文化路",
                longitude=(grid.min_lon + grid.max_lon) / 2,
                latitude=(grid.min_lat + grid.max_lat) / 2,
                reporter_phone="13905379999",
            ),
            actor=intake,
            now=now,
        )
        report_transition(report=report, verb="accept", actor=intake, now=now)
        if report.proposed_unit_id is not None:
            report_transition(report=report, verb="dispatch", actor=dispatcher, now=now)

    def pending() -> int:
        models = (ReportTally, GridLoad, PostTally)
        return sum(m.objects.filter(folded=False).count() for m in models)

    for i in range(20):  # warm-up, with the summaries
        one(-i)
    tally.tallies_fold()
    block = max(1, count // 8)
    seconds = {"with": 0.0, "without": 0.0}
    done = {"with": 0, "without": 0}
    i = 0
    for turn in range(8):
        mode = "with" if turn % 2 == 0 else "without"
        (on if mode == "with" else off)()
        started = time.perf_counter()
        for _ in range(block):
            one(i)
            i += 1
        seconds[mode] += time.perf_counter() - started
        done[mode] += block
    on()
    appended = pending()
    started = time.perf_counter()
    folded = tally.tallies_fold()
    fold_seconds = time.perf_counter() - started
    per = {mode: seconds[mode] / done[mode] for mode in seconds}
    return {
        "what": "one report: submit (hotline, intake operator) + accept + dispatch, "
        "through the services, alternating blocks",
        "reports_with_summaries": done["with"],
        "reports_without_summaries": done["without"],
        "ms_per_report_with": per["with"] * 1000,
        "ms_per_report_without": per["without"] * 1000,
        "added_ms_per_report": (per["with"] - per["without"]) * 1000,
        "added_share": per["with"] / per["without"] - 1,
        "appended_rows_pending": appended,
        "fold_seconds": fold_seconds,
        "rows_folded_away": folded,
        "fold_rows_per_second": appended / fold_seconds if fold_seconds else None,
    }


# --- The monthly leaders' report (child process) -----------------------------------------


def _monthly() -> dict:
    import importlib.util

    import django

    django.setup()
    from django.utils import timezone

    if importlib.util.find_spec("yangguang.analytics.leader_reports") is None:
        return {"skipped": "yangguang.analytics.leader_reports has not landed"}
    from yangguang.analytics import leader_reports
    from yangguang.analytics.periods import PeriodKind, period_containing
    from yangguang.org.models import User

    if not hasattr(leader_reports, "leader_report_generate"):
        return {"skipped": f"no leader_report_generate in {leader_reports.__name__}"}
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    period = period_containing(PeriodKind.MONTH, last_month)
    leader = User.objects.get(username="juzhang")
    queued = leader_reports.leader_report_request(period, leader)
    me = psutil.Process()
    before = rss(me)
    with PeakSampler(lambda: rss(me), interval=0.01) as sampler:
        started = time.perf_counter()
        report = leader_reports.leader_report_generate(queued)
        seconds = time.perf_counter() - started
    report.refresh_from_db()
    if report.status != "ready":
        return {"skipped": f"generation ended {report.status}: {report.error}"}
    return {
        "function": f"{leader_reports.__name__}.leader_report_generate",
        "period": period.code,
        "seconds": seconds,
        "rss_before_mib": before / MIB,
        "peak_rss_mib": sampler.peak / MIB,
        "peak_over_before_mib": (sampler.peak - before) / MIB,
        "pdf_bytes": report.pdf.size,
        "xlsx_bytes": report.xlsx.size,
    }


# --- Pages through the server ---------------------------------------------------------------


def _last_month_code() -> str:
    today = dt.datetime.now(tz=dt.timezone(dt.timedelta(hours=8))).date()
    return f"{today.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def _pages() -> dict[str, tuple[str, bytes]]:
    month = _last_month_code()
    return {
        "live.json (大屏)": ("/staff/command/live.json", b'"version"'),
        "rankings: communities": (
            f"/staff/command/rankings/?subject=community&period={month}",
            b"<table",
        ),
        "rankings: units": (f"/staff/command/rankings/?subject=unit&period={month}", b"<table"),
    }


def _serve_and_measure(env: dict, data_dir: Path, built: dict, *, requests: int) -> dict:
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
            browser.login(SHIFT_LEAD, PASSWORD)
            return _measure(browser, requests)
        except BaseException:
            print(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
            raise
        finally:
            stop_server(server)


def _measure(browser: Browser, requests: int) -> dict:
    pages = _pages()
    for name in list(pages) * 5:  # warm-up
        timed_get(browser, *pages[name])
        timed_get(browser, "/healthz", b"")
    plan = [name for name in pages for _ in range(requests)]
    random.Random(SEED).shuffle(plan)
    times: dict[str, list[float]] = {name: [] for name in pages}
    baseline: list[float] = []
    livez: list[float] = []
    for name in plan:
        times[name].append(timed_get(browser, *pages[name]))
        baseline.append(timed_get(browser, "/healthz", b""))
        livez.append(timed_get(browser, "/livez", b'"ok"'))
    base95, base50 = percentile(baseline, 95), percentile(baseline, 50)
    return {
        "baseline": {
            "path": "/healthz",
            "requests": len(baseline),
            "p50_ms": ms(base50),
            "p95_ms": ms(base95),
        },
        "livez": {
            "path": "/livez (a bare JSON view, for context: /healthz checks the database)",
            "p50_ms": ms(percentile(livez, 50)),
            "p95_ms": ms(percentile(livez, 95)),
        },
        "by_page": {
            name: {
                "path": pages[name][0],
                "requests": len(values),
                "p50_ms": ms(percentile(values, 50)),
                "p95_ms": ms(percentile(values, 95)),
                "max_ms": ms(max(values)),
                "p95_ratio": percentile(values, 95) / base95,
                "p50_ratio": percentile(values, 50) / base50,
            }
            for name, values in times.items()
        },
    }


# --- Output --------------------------------------------------------------------------------


def _table(report: dict) -> str:
    s, b, p, w, m = (
        report["settings"],
        report["build"],
        report["pages"],
        report["writes"],
        report["monthly_report"],
    )
    lines = [
        f"### Command centre at {s['reports']:,} reports (bench/command_bench.py, "
        f"{report['measured_at'][:10]})",
        "",
        f"PostgreSQL, {s['server']}. {s['note']}",
        "",
        "| measure | p50 | p95 | p95 ÷ /healthz p95 |",
        "|---|---:|---:|---:|",
        f"| `/healthz` (baseline, same run) | {p['baseline']['p50_ms']} ms | "
        f"{p['baseline']['p95_ms']} ms | 1.0× |",
        f"| `/livez` (bare view, context) | {p['livez']['p50_ms']} ms | "
        f"{p['livez']['p95_ms']} ms | |",
    ]
    for name, f in p["by_page"].items():
        lines.append(
            f"| {name} `{f['path']}` ({f['requests']} GETs) | {f['p50_ms']} ms | "
            f"{f['p95_ms']} ms | {f['p95_ratio']:.1f}× |"
        )
    rows = b["summary_rows"]
    lines += [
        "",
        "| other figure | value |",
        "|---|---:|",
        f"| seeding {b['reports_seeded']:,} reports (COPY) | {b['seed_seconds']:.0f} s |",
        f"| loading the demo city (before the seed) | {b['demo_seconds']:.0f} s |",
        f"| `tallies_rebuild()` after the seed | {b['rebuild_seconds']:.1f} s |",
        f"| summary rows: ReportTally / GridLoad / PostTally | {rows['ReportTally']:,} / "
        f"{rows['GridLoad']:,} / {rows['PostTally']:,} |",
        f"| report write (submit + accept + dispatch) with summaries | "
        f"{w['ms_per_report_with']:.1f} ms |",
        f"| the same without the summaries' appends | {w['ms_per_report_without']:.1f} ms |",
        f"| cost of the summaries per report write | {w['added_ms_per_report']:+.1f} ms "
        f"({w['added_share']:+.0%}) |",
        f"| `tallies_fold()` of {w['appended_rows_pending']:,} appended rows | "
        f"{w['fold_seconds'] * 1000:.0f} ms |",
    ]
    if "skipped" in m:
        lines.append(f"| monthly leaders' report | not measured: {m['skipped']} |")
    else:
        lines += [
            f"| monthly leaders' report {m['period']} (`{m['function']}`) | {m['seconds']:.1f} s |",
            f"| its peak RSS (over the process before) | {m['peak_rss_mib']:.0f} MiB "
            f"(+{m['peak_over_before_mib']:.0f}) |",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
