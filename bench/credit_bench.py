"""Merchant credit at scale, on PostgreSQL: recomputing every score (the new year, a
scheme change) with 100,000 merchants and 2,000,000 credit events, and the public shop
page (/shops/<token>/, the QR board's page) through a real server against /healthz.

Run from the repository root:  .venv/bin/python bench/credit_bench.py
(``--merchants 5000 --events 100000 --requests 40`` to try it). Needs PostgreSQL (see
_support.py). Writes bench/results/credit.json; bench/README.md says how to read it.

One run:

1. **Build** (a child process): the scratch database ``yangguang_bench_demo``; migrate;
   the demo city (grids, staff, the demo street of shops); then ``--merchants``
   merchants with valid credit codes, one shop each inside a random demo grid with its
   default zone and the three duties, and ``--events`` credit events spread over them
   (80 % this year, 20 % last year; every kind, penalties with their severity, 1 %
   repaired) — all with ``bulk_create``, no services (the services' own cost is
   measured by the tests). ``VACUUM ANALYZE``.
2. **Recompute** (a fresh child process each): ``credit.scoring.scores_recompute`` as
   the worker runs it, timed with the process's RSS sampled every 20 ms (the first run
   inserts every score), then again under ``tracemalloc`` for the Python heap's peak
   (the second run updates them). The baseline, in the same child: one
   ``GROUP BY merchant, kind, severity`` over the year's unrepaired events, read to the
   end — the least any recompute must do.
3. **Shop page**, if the portal has it (URL name ``portal:shop``): ``yangguang serve``
   (gunicorn, 2 workers × 4 threads, as the demo), 20 warm-up requests, then
   ``--requests`` anonymous GETs, half of the demo street's shops (责任书, inspections,
   整改, 文明商家 titles: the whole page) and half of random bulk shops, one at a time on
   fresh connections in a fixed shuffled order, each followed by a GET of /healthz (the
   same server, one database round trip), the baseline. Every page must answer 200.

``--keep`` keeps the database (``yangguang_bench_demo``) and ``--reuse`` measures it
again without building.
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
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import gunicorn
import psutil
import psycopg

from _support import (
    MIB,
    POSTGRES_ADMIN_URL,
    Browser,
    PeakSampler,
    _with_database,
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
WORKERS, THREADS = 2, 4
SEED = 20261203
DATABASE = "yangguang_bench_demo"
BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--role", choices=["build", "facts", "recompute", "traced", "shop"], help=argparse.SUPPRESS
    )
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--merchants", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help=f"keep the database ({DATABASE})")
    parser.add_argument("--reuse", action="store_true", help=f"measure {DATABASE} again")
    args = parser.parse_args()
    if args.role == "build":
        write_child_result(args.out, _build(args.merchants, args.events))
        return
    if args.role == "facts":
        write_child_result(args.out, _facts())
        return
    if args.role in {"recompute", "traced"}:
        write_child_result(args.out, _recompute(traced=args.role == "traced"))
        return
    if args.role == "shop":
        write_child_result(args.out, _shop_facts(args.requests))
        return
    if postgres_version() is None:
        sys.exit("PostgreSQL does not answer; this benchmark needs it (see _support.py).")
    with (
        tempfile.TemporaryDirectory(prefix="yangguang-bench-credit-") as scratch,
        _database(keep=args.keep, reuse=args.reuse) as url,
    ):
        data_dir = Path(scratch)
        env = django_env(data_dir=data_dir, database_url=url)
        env.update(
            YANGGUANG_HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50), YANGGUANG_LOG_LEVEL="WARNING"
        )
        if args.reuse:
            print(f"Reusing {DATABASE} …", flush=True)
            built = run_child(SCRIPT, "facts", [], env)
        else:
            print(f"Building {args.merchants:,} merchants, {args.events:,} events …", flush=True)
            sizes = ["--merchants", str(args.merchants), "--events", str(args.events)]
            built = run_child(SCRIPT, "build", sizes, env)
            print(f"  built in {built['build_seconds']:.0f} s", flush=True)
        print("Recomputing every score …", flush=True)
        recompute = run_child(SCRIPT, "recompute", [], env)
        print(f"  {recompute['seconds']:.1f} s", flush=True)
        traced = run_child(SCRIPT, "traced", [], env)
        shop = run_child(SCRIPT, "shop", ["--requests", str(args.requests)], env)
        page = _serve_and_measure(env, data_dir, shop, args.requests) if shop["paths"] else None

    report = {
        "benchmark": "credit",
        "measured_at": dt.datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(gunicorn=gunicorn.__version__),
        "settings": {
            "database": "PostgreSQL",
            "merchants": built["merchants"],
            "shops": built["shops"],
            "events": built["events"],
            "events_this_year": built["events_this_year"],
            "build_seconds": round(built.get("build_seconds") or 0) or None,
            "recompute_baseline": "GROUP BY merchant, kind, severity over the year's "
            "unrepaired events, read to the end",
            "page_baseline": "/healthz (a Django JSON view with one database round trip)",
            "server": f"yangguang serve: gunicorn gthread, {WORKERS} workers × {THREADS} threads",
        },
        "recompute": {**recompute, "traced": traced},
        "shop_page": page,
        "shop_page_missing": None if shop["paths"] else shop["why"],
    }
    path = write_results("credit", report)
    _print(report)
    print(f"\nFigures written to {path}")


@contextmanager
def _database(*, keep: bool, reuse: bool) -> Iterator[str]:
    """A scratch database dropped afterwards; or, with ``keep``, created afresh and kept;
    or, with ``reuse``, the kept one as it is."""
    if not (keep or reuse):
        with scratch_postgres(DATABASE) as url:
            yield url
        return
    if not reuse:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    yield _with_database(POSTGRES_ADMIN_URL, DATABASE)


# --- Build (child process) ----------------------------------------------------------------

KINDS = [  # (kind, weight, severities)
    ("report_verified", 30, [""]),
    ("inspection_failed", 25, [""]),
    ("rectification_overdue", 10, [""]),
    ("penalty_decided", 5, ["minor", "general", "serious", "grave"]),
    ("corrected_on_time", 20, [""]),
    ("commendation", 4, [""]),
    ("volunteering", 5, [""]),
    ("civilised_title", 1, [""]),
]
SOURCES = {
    "report_verified": ("reports.report", "举报"),
    "inspection_failed": ("merchants.rectification", "整改"),
    "rectification_overdue": ("merchants.rectification", "整改"),
    "penalty_decided": ("cases.case", "案件"),
    "corrected_on_time": ("merchants.rectification", "整改"),
    "commendation": ("merchants.merchant", "表彰"),
    "volunteering": ("merchants.merchant", "志愿服务"),
    "civilised_title": ("merchants.merchant", "文明商家"),
}
TRADES = ["餐馆", "超市", "水果店", "五金店", "理发店", "药店", "面馆", "烟酒店", "服装店"]
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _build(merchants: int, events: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from yangguang.core.demo import demo_city_load

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo_city_load()
    now = timezone.now()
    rng = random.Random(SEED)
    merchant_ids = _load_merchants(merchants, rng, now)
    _load_events(merchant_ids, events, rng, now)
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        admin.execute("VACUUM ANALYZE")
    return {**_facts(), "build_seconds": time.perf_counter() - started}


def _facts() -> dict:
    import django

    django.setup()
    from django.utils import timezone

    from yangguang.credit.models import CreditEvent
    from yangguang.merchants.models import Merchant, Shop

    year = timezone.localtime(timezone.now()).year
    return {
        "merchants": Merchant.objects.count(),
        "shops": Shop.objects.count(),
        "events": CreditEvent.objects.count(),
        "events_this_year": CreditEvent.objects.filter(year=year).count(),
    }


def _load_merchants(count: int, rng: random.Random, now: dt.datetime) -> list[int]:
    """``count`` merchants (sole traders and companies) with one shop each."""
    from django.db import transaction

    from yangguang.cases.identity import generate_credit_code
    from yangguang.grids.models import Grid
    from yangguang.merchants.models import Duty, Merchant, Shop
    from yangguang.merchants.services import new_board_token
    from yangguang.merchants.zones import default_zone, zone_bounds

    grids = list(Grid.objects.all())
    duties = list(Duty.objects.filter(active=True))
    through = Shop.duties.through
    ids: list[int] = []
    for start in range(0, count, BATCH):
        rows, shops = [], []
        for index in range(start, min(start + BATCH, count)):
            body = "".join(CHARSET[(index // 31**i) % 31] for i in range(8))[::-1]
            sole = index % 3 != 0
            code = generate_credit_code("9", "2" if sole else "1", "370899", body)
            trade = rng.choice(TRADES)
            rows.append(
                Merchant(
                    credit_code=code,
                    name=f"阳光区{trade}{index}" + ("" if sole else "有限公司"),
                    operator_name=f"经营者{index}",
                    phone=f"139{index:08d}",
                    address=f"阳光区某路{index % 500}号",
                    business_type=trade,
                    licences=[{"kind": "营业执照", "number": code, "valid_until": ""}],
                    created_at=now - dt.timedelta(days=rng.randrange(1, 2000)),
                )
            )
        with transaction.atomic():
            created = Merchant.objects.bulk_create(rows)
            for merchant in created:
                grid = rng.choice(grids)
                lon = rng.uniform(grid.min_lon, grid.max_lon)
                lat = rng.uniform(grid.min_lat, grid.max_lat)
                facing = rng.choice([0, 90, 180, 270])
                zone = default_zone(lon=lon, lat=lat, frontage_m=6.0, depth_m=5.0, facing=facing)
                box = zone_bounds(zone)
                shops.append(
                    Shop(
                        merchant=merchant,
                        trade_name=merchant.name.removeprefix("阳光区"),
                        address=merchant.address,
                        street_name=grid.name[:2] + "路",
                        longitude=lon,
                        latitude=lat,
                        grid=grid,
                        facing=facing,
                        zone=zone,
                        min_lon=box[0],
                        min_lat=box[1],
                        max_lon=box[2],
                        max_lat=box[3],
                        board_token=new_board_token(),
                        created_at=merchant.created_at,
                    )
                )
            Shop.objects.bulk_create(shops)
            through.objects.bulk_create(
                [through(shop_id=shop.pk, duty_id=duty.pk) for shop in shops for duty in duties]
            )
        ids += [merchant.pk for merchant in created]
    return ids


def _load_events(merchant_ids: list[int], count: int, rng: random.Random, now: dt.datetime) -> None:
    """``count`` events over the merchants, 80 % this year."""
    from django.db import transaction
    from django.utils import timezone

    from yangguang.credit.models import CreditEvent

    year = timezone.localtime(now).year
    year_start = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    this_year_seconds = max(1, int((now - year_start).total_seconds()))
    kinds = [kind for kind, _w, _s in KINDS]
    weights = [weight for _k, weight, _s in KINDS]
    severities = {kind: choices for kind, _w, choices in KINDS}
    for start in range(0, count, BATCH):
        rows = []
        for index in range(start, min(start + BATCH, count)):
            kind = rng.choices(kinds, weights)[0]
            if rng.random() < 0.8:
                occurred = year_start + dt.timedelta(seconds=rng.randrange(this_year_seconds))
            else:
                occurred = year_start - dt.timedelta(seconds=rng.randrange(1, 365 * 86400))
            source_type, label = SOURCES[kind]
            rows.append(
                CreditEvent(
                    merchant_id=rng.choice(merchant_ids),
                    kind=kind,
                    severity=rng.choice(severities[kind]),
                    occurred_at=occurred,
                    year=timezone.localtime(occurred).year,
                    source_type=source_type,
                    source_id=str(index),
                    source_repr=f"{label} {index}",
                    reason=f"{label}（基准测试数据）",
                    recorded_at=occurred,
                    repaired_at=occurred + dt.timedelta(days=100) if rng.random() < 0.01 else None,
                )
            )
        with transaction.atomic():
            CreditEvent.objects.bulk_create(rows)


# --- Recompute (child process) ------------------------------------------------------------


def _recompute(*, traced: bool) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from yangguang.credit.models import CreditEvent, CreditScore
    from yangguang.credit.scoring import scores_recompute

    now = timezone.now()
    year = timezone.localtime(now).year
    counted = CreditEvent.objects.filter(year=year, repaired_at__isnull=True).count()
    # The baseline: read the year's unrepaired events once, grouped as the scores need.
    baseline_runs = []
    for _run in range(2):  # the first warms the cache as the recompute's first batch does
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT merchant_id, kind, severity, count(*) FROM credit_creditevent "
                "WHERE year = %s AND repaired_at IS NULL GROUP BY 1, 2, 3",
                [year],
            )
            groups = len(cursor.fetchall())
        baseline_runs.append(time.perf_counter() - started)
    baseline = baseline_runs[-1]
    process = psutil.Process()
    before = rss(process)
    if traced:
        tracemalloc.start()
    with PeakSampler(lambda: rss(process)) as sampler:
        started = time.perf_counter()
        done = scores_recompute(now=now)
        seconds = time.perf_counter() - started
    result = {
        "scores": done,
        "seconds": round(seconds, 2),
        "events_counted": counted,
        "events_per_second": round(counted / seconds),
        "merchants_per_second": round(done / seconds),
        "baseline_seconds": round(baseline, 3),
        "baseline_groups": groups,
        "ratio": round(seconds / baseline, 1),
        "rss_before_mib": round(before / MIB, 1),
        "rss_peak_mib": round(sampler.peak / MIB, 1),
        "rss_delta_mib": round((sampler.peak - before) / MIB, 1),
        "grades": dict(CreditScore.objects.values_list("grade").annotate(n=Count("pk"))),
    }
    if traced:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["tracemalloc_peak_mib"] = round(peak / MIB, 1)
    return result


# --- The shop page ------------------------------------------------------------------------


def _shop_facts(requests: int) -> dict:
    """The pages to fetch, if the portal has them: the board pages of the demo street's
    open shops (letters, inspections, 整改, 文明商家 titles: the whole page) and of as
    many random bulk shops (no inspections)."""
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    from yangguang.core.demo_merchants import ROAD
    from yangguang.merchants.models import Shop

    open_shops = Shop.objects.filter(status="open")
    street = list(open_shops.filter(street_name=ROAD).values_list("board_token", flat=True))
    bulk = list(
        open_shops.exclude(street_name=ROAD)
        .order_by("?")
        .values_list("board_token", flat=True)[: max(1, requests // 2)]
    )
    try:
        variants = {
            f"demo street ({ROAD})": [reverse("portal:shop", args=[t]) for t in street],
            "bulk shop": [reverse("portal:shop", args=[t]) for t in bulk],
        }
    except NoReverseMatch:
        return {"paths": [], "why": "the portal has no page named portal:shop yet"}
    variants = {name: paths for name, paths in variants.items() if paths}
    return {"paths": [p for paths in variants.values() for p in paths], "variants": variants}


def _serve_and_measure(env: dict, data_dir: Path, shop: dict, requests: int) -> dict:
    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        command = [str(YANGGUANG), "serve", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(WORKERS), "--threads", str(THREADS)]
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            browser = Browser(port)
            wait_until_up(server, browser, seconds=120)
            print("Shop pages …", flush=True)
            return _measure(browser, shop["variants"], requests)
        except BaseException:
            print(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
            raise
        finally:
            stop_server(server)


def _measure(browser: Browser, variants: dict[str, list[str]], requests: int) -> dict:
    """``requests`` GETs shared evenly by the variants, each path of a variant in turn,
    in a fixed shuffled order; a GET of /healthz after each."""
    names = list(variants)
    plan = []
    for index in range(requests):
        name = names[index % len(names)]
        paths = variants[name]
        plan.append((name, paths[index // len(names) % len(paths)]))
    random.Random(SEED).shuffle(plan)
    for _name, path in plan[:20]:  # warm-up
        _get(browser, path)
        _get(browser, "/healthz")
    times: dict[str, list[float]] = {name: [] for name in names}
    baseline = []
    for name, path in plan:
        times[name].append(_get(browser, path))
        baseline.append(_get(browser, "/healthz"))
    every = [t for values in times.values() for t in values]
    base50, base95 = percentile(baseline, 50), percentile(baseline, 95)
    return {
        "requests": len(every),
        "path": "/shops/<token>/",
        "p50_ms": ms(percentile(every, 50)),
        "p95_ms": ms(percentile(every, 95)),
        "baseline_p50_ms": ms(base50),
        "baseline_p95_ms": ms(base95),
        "p50_ratio": round(percentile(every, 50) / base50, 1),
        "p95_ratio": round(percentile(every, 95) / base95, 1),
        "by_variant": {
            name: {
                "requests": len(values),
                "shops": len(variants[name]),
                "p50_ms": ms(percentile(values, 50)),
                "p95_ms": ms(percentile(values, 95)),
                "p50_ratio": round(percentile(values, 50) / base50, 1),
                "p95_ratio": round(percentile(values, 95) / base95, 1),
            }
            for name, values in times.items()
        },
    }


def _get(browser: Browser, path: str) -> float:
    return timed_get(browser, path, b'"ok"' if path == "/healthz" else b"</html>")


def _print(report: dict) -> None:
    s, r = report["settings"], report["recompute"]
    print(
        f"\n{s['merchants']:,} merchants, {s['shops']:,} shops, {s['events']:,} events "
        f"({s['events_this_year']:,} this year)\n"
    )
    print("| figure | value |")
    print("|---|---:|")
    print(f"| scores_recompute (inserts) | {r['seconds']} s |")
    print(f"| scores_recompute (updates, traced) | {r['traced']['seconds']} s |")
    print(f"| events counted per second | {r['events_per_second']:,} |")
    print(f"| merchants per second | {r['merchants_per_second']:,} |")
    print(f"| baseline GROUP BY | {r['baseline_seconds']} s |")
    print(f"| recompute ÷ baseline | {r['ratio']}× |")
    print(f"| RSS peak − before | {r['rss_delta_mib']} MiB (peak {r['rss_peak_mib']} MiB) |")
    print(f"| tracemalloc peak | {r['traced']['tracemalloc_peak_mib']} MiB |")
    print(f"| grades | {r['grades']} |")
    page = report["shop_page"]
    if page is None:
        print(f"\nShop page not measured: {report['shop_page_missing']}")
        return
    print(
        f"\nShop page over {page['requests']} requests: p50 {page['p50_ms']} ms, "
        f"p95 {page['p95_ms']} ms; /healthz p50 {page['baseline_p50_ms']} ms, "
        f"p95 {page['baseline_p95_ms']} ms; ratio p50 {page['p50_ratio']}×, "
        f"p95 {page['p95_ratio']}×"
    )
    for name, v in page["by_variant"].items():
        print(
            f"  {name}: {v['requests']} requests over {v['shops']} shops, p50 {v['p50_ms']} ms "
            f"({v['p50_ratio']}×), p95 {v['p95_ms']} ms ({v['p95_ratio']}×)"
        )


if __name__ == "__main__":
    main()
