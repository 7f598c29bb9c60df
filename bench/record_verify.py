"""Verifying a record log of 1,000,000 entries: ``chain_verify()`` time and memory.

Run from the repository root:  /tmp/yg-venv/bin/python bench/record_verify.py
(``--entries 20000`` for a quick try). Writes bench/results/record_verify.json; see
bench/README.md for how to read it.

Per database (an SQLite file in a temporary directory; PostgreSQL in a scratch
database, when reachable):

1. a child process migrates, creates a small organisation (units, staff) and builds a
   valid chain of ``--entries`` entries in Python (``EntryContent`` → hash, with
   realistic field sizes), inserting it in batches of 5,000: ``bulk_create`` on SQLite,
   COPY on PostgreSQL. Then VACUUM ANALYZE / ANALYZE, as a long-lived table would have
   had. The build time is reported but is not the figure that matters;
2. a fresh child process (so its memory holds nothing of the build) times
   ``chain_verify()`` while sampling its own RSS every 20 ms, and checks ``report.ok``,
   ``report.entries`` and the head hash against the build's. Then, in the same process
   and over the same rows, the two baselines: the same ORM query with no hashing (what
   reading the rows costs through Django), and a raw DB-API cursor over the same SELECT
   (what the database and driver cost).
"""

import argparse
import datetime
import os
import random
import resource
import tempfile
import time
from datetime import UTC
from pathlib import Path

import psutil

from _support import (
    MIB,
    PeakSampler,
    django_env,
    environment,
    postgres_version,
    rss,
    run_child,
    scratch_postgres,
    write_child_result,
    write_results,
)
from yangguang.records.chain import CONTENT_FIELDS

ENTRIES = 1_000_000
BATCH = 5_000  # build: rows per insert and transaction; verify: chain_verify's batch
SEED = 20261120
SAMPLE_SECONDS = 0.02


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="comma-separated: sqlite, postgresql (default both)",
    )
    parser.add_argument("--role", choices=["build", "verify"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--head", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "build":
        write_child_result(args.out, _build(args.entries))
        return
    if args.role == "verify":
        write_child_result(args.out, _verify(args.entries, args.head))
        return

    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="yangguang-bench-verify-") as scratch:
        data_dir = Path(scratch)
        if "sqlite" in databases:
            url = f"sqlite:///{data_dir / 'verify.db'}"
            rows.append(_case(args.entries, django_env(data_dir=data_dir, database_url=url)))
        if "postgresql" in databases:
            if postgres_version() is None:
                print("PostgreSQL is not reachable: measuring SQLite only.")
            else:
                with scratch_postgres(f"yangguang_bench_verify_{os.getpid()}") as url:
                    env = django_env(data_dir=data_dir, database_url=url)
                    rows.append(_case(args.entries, env))

    report = {
        "benchmark": "record_verify",
        "measured_at": datetime.datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "settings": {"entries": args.entries, "batch": BATCH, "seed": SEED},
        "cases": rows,
        "acceptance": {
            "criterion": "chain_verify() reports ok with every entry, in memory independent "
            "of the chain's length",
            "met": all(row["ok"] for row in rows),
        },
    }
    path = write_results("record_verify", report)
    _print_table(rows)
    print(f"\nFigures written to {path}")


def _case(entries: int, env: dict[str, str]) -> dict:
    built = run_child(__file__, "build", ["--entries", str(entries)], env)
    print(
        f"{built['database']}: built {entries:,} entries in {built['build_seconds']:,.0f} s; "
        "verifying …",
        flush=True,
    )
    verified = run_child(
        __file__, "verify", ["--entries", str(entries), "--head", built["head"]], env
    )
    return {**built, **verified}


# --- Child: build the chain -------------------------------------------------------------


def _build(entries: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    actors, units = _organisation()
    rows = _Rows(actors, units)
    hash_seconds = insert_seconds = 0.0
    started = time.perf_counter()
    for first in range(1, entries + 1, BATCH):
        count = min(BATCH, entries - first + 1)
        batch_started = time.perf_counter()
        batch = [rows.next() for _ in range(count)]
        hashed = time.perf_counter()
        _insert(connection, batch)
        hash_seconds += hashed - batch_started
        insert_seconds += time.perf_counter() - hashed
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE records_recordentry" if connection.vendor == "postgresql" else "ANALYZE"
        )
    analyze_seconds = time.perf_counter() - analyze_started
    return {
        "database": connection.vendor,
        "entries": entries,
        "head": rows.prev_hash,
        "build_seconds": time.perf_counter() - started,
        "build_hash_seconds": hash_seconds,
        "build_insert_seconds": insert_seconds,
        "build_insert_method": "COPY" if connection.vendor == "postgresql" else "bulk_create",
        "build_analyze_seconds": analyze_seconds,
        "database_mib": _size(connection) / MIB,
        "mean_row_bytes": rows.payload_bytes / entries,
    }


def _organisation() -> tuple[list[tuple[int, str, int]], list[int]]:
    """A bureau, two brigades and six squadrons, 40 staff: what actor and unit point at.

    Made with the ORM directly, not the org services, which would write record entries
    of their own into the chain being built.
    """
    from yangguang.org.models import Unit, User

    def unit(name: str, kind: str, parent: Unit | None) -> Unit:
        created = Unit.objects.create(name=name, kind=kind, parent=parent, path="")
        created.path = f"{parent.path if parent else ''}{created.pk}/"
        created.depth = created.path.count("/") - 1
        created.save(update_fields=["path", "depth"])
        return created

    bureau = unit("阳光市城市管理综合行政执法局", "bureau", None)
    squadrons = []
    for brigade_name in ("第一执法大队", "第二执法大队"):
        brigade = unit(brigade_name, "brigade", bureau)
        squadrons += [unit(f"{brigade_name}第{n}中队", "squadron", brigade) for n in "一二三"]
    rng = random.Random(SEED)
    actors = []
    for number in range(40):
        squadron = squadrons[number % len(squadrons)]
        name = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(_GIVEN) + rng.choice(["", *_GIVEN])
        user = User.objects.create(username=f"bench{number:03d}", name=name, unit=squadron)
        actors.append((user.pk, name, squadron.pk))
    return actors, [bureau.pk] + [squadron.pk for squadron in squadrons]


_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_STREETS = ("解放路", "建设路", "太白湖路", "红星中路", "古槐路", "琵琶山路", "运河路")
_COMMUNITIES = ("东门社区", "西苑社区", "南池社区", "北湖社区", "运河社区", "古槐社区")
_DEVICES = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; HUAWEI Mate 60) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Mobile/15E148 MicroMessenger/8.0.49",
    "yangguang import-grids",
)


class _Rows:
    """The chain, entry by entry: plausible content, correct sequence, times and hashes."""

    def __init__(self, actors: list[tuple[int, str, int]], units: list[int]) -> None:
        from yangguang.records.chain import GENESIS_HASH

        self.actors = actors
        self.units = units
        self.rng = random.Random(SEED)
        self.sequence = 0
        self.prev_hash = GENESIS_HASH
        self.moment = datetime.datetime(2025, 1, 1, 0, 30, tzinfo=UTC)
        self.payload_bytes = 0

    def next(self) -> dict:
        from yangguang.records.chain import EntryContent, canonical_json

        rng = self.rng
        self.sequence += 1
        self.moment += datetime.timedelta(seconds=rng.uniform(0.5, 60))
        actor_id, actor_name, actor_unit_id = rng.choice(self.actors)
        if rng.random() < 0.03:  # the system: imports, digests
            actor_id, actor_name, actor_unit_id = None, "", None
        fields = {
            "sequence": self.sequence,
            "recorded_at": self.moment,
            "actor_id": actor_id,
            "actor_name": actor_name,
            "actor_unit_id": actor_unit_id,
            "unit_id": rng.choice(self.units),
            **self._what(rng),
            "client_ip": f"10.{rng.randrange(1, 60)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            "client_device": rng.choice(_DEVICES),
            "prev_hash": self.prev_hash,
        }
        content = EntryContent(**fields)
        self.prev_hash = content.hash()
        self.payload_bytes += len(canonical_json(content.payload()))
        return {**fields, "entry_hash": self.prev_hash}

    def _what(self, rng: random.Random) -> dict:
        """Object, action and changes, from four kinds of entry seen in use."""
        street, community = rng.choice(_STREETS), rng.choice(_COMMUNITIES)
        grid = rng.randrange(1, 400)
        kind = rng.random()
        if kind < 0.4:
            sha = rng.randbytes(32).hex()
            photo = f"IMG_2026{rng.randrange(10**8):08d}.jpg (photo, {sha[:12]})"
            return {
                "object_type": "grids.grid",
                "object_id": str(grid),
                "object_repr": f"任城区{street}街道{community}第{grid:03d}网格",
                "action": "evidence.attach",
                "changes": {
                    "evidence": [None, photo],
                    "note": [None, f"{street}与{rng.choice(_STREETS)}交叉口占道经营，已拍照取证"],
                },
                "personal": {},
                "reason": "",
                "evidence": [sha],
            }
        if kind < 0.7:
            area = rng.randrange(8_000, 20_000)
            return {
                "object_type": "grids.grid",
                "object_id": str(grid),
                "object_repr": f"任城区{street}街道{community}第{grid:03d}网格",
                "action": "grids.grid.update",
                "changes": {
                    "name": [f"{community}{grid}号网格", f"{community}第{grid:03d}网格"],
                    "area_m2": [area, area + rng.randrange(-500, 500)],
                    "grid_leader": [None, rng.choice(self.actors)[1]],
                },
                "personal": {},
                "reason": rng.choice(["", "", "按街道调整后的网格边界更新"]),
                "evidence": [],
            }
        if kind < 0.9:
            return {
                "object_type": "org.user",
                "object_id": str(rng.choice(self.actors)[0]),
                "object_repr": rng.choice(self.actors)[1],
                "action": "org.user.update",
                "changes": {
                    "phone": [f"138{rng.randrange(10**8):08d}", f"139{rng.randrange(10**8):08d}"],
                    "rank": ["三级执法员", "二级执法员"],
                },
                "personal": {"phone": "phone"},
                "reason": "",
                "evidence": [],
            }
        return {
            "object_type": "org.user",
            "object_id": str(rng.choice(self.actors)[0]),
            "object_repr": rng.choice(self.actors)[1],
            "action": "auth.login",
            "changes": {},
            "personal": {},
            "reason": "",
            "evidence": [],
        }


# The row as stored: every field the hash covers, then the hash.
_COLUMNS = (*CONTENT_FIELDS, "entry_hash")
_JSON_COLUMNS = {"changes", "personal", "evidence"}


def _insert(connection, batch: list[dict]) -> None:
    """One transaction per batch. PostgreSQL: COPY, with psycopg adapting every value
    (JSON through Jsonb, times as timestamptz); SQLite: ``bulk_create``, so Django's own
    conversions store exactly what it will read back."""
    from django.db import transaction

    from yangguang.records.models import RecordEntry

    with transaction.atomic():
        if connection.vendor != "postgresql":
            RecordEntry.objects.bulk_create([RecordEntry(**row) for row in batch])
            return
        from psycopg.types.json import Jsonb

        sql = f"COPY records_recordentry ({', '.join(_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in batch:
                copy.write_row([Jsonb(row[c]) if c in _JSON_COLUMNS else row[c] for c in _COLUMNS])


def _size(connection) -> int:
    from django.conf import settings

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('records_recordentry')")
            return cursor.fetchone()[0]
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(path.stat().st_size for path in name.parent.glob(f"{name.name}*"))


# --- Child: verify ----------------------------------------------------------------------


def _verify(entries: int, head: str) -> dict:
    import django

    django.setup()
    from django.db import connection

    from yangguang.records.models import RecordEntry
    from yangguang.records.verify import _rows, chain_verify

    me = psutil.Process()
    RecordEntry.objects.exists()  # connect, load the model machinery: part of the baseline
    baseline = rss(me)
    with PeakSampler(lambda: rss(me), SAMPLE_SECONDS) as sampler:
        started = time.perf_counter()
        report = chain_verify()
        seconds = time.perf_counter() - started
    # ru_maxrss (KiB on Linux) also catches a peak between two samples.
    peak = max(sampler.peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    ok = report.ok and report.entries == entries and report.head == head
    if not ok:
        print(f"chain_verify: ok={report.ok} entries={report.entries} {report.problems[:1]}")

    started = time.perf_counter()
    scanned = sum(1 for _row in _rows(BATCH))
    orm_scan_seconds = time.perf_counter() - started
    started = time.perf_counter()
    raw_scanned = _raw_scan(connection)
    raw_scan_seconds = time.perf_counter() - started
    if scanned != entries or raw_scanned != entries:
        raise SystemExit(f"scans read {scanned:,} and {raw_scanned:,} rows, not {entries:,}")
    return {
        "ok": ok,
        "report_ok": report.ok,
        "report_entries": report.entries,
        "head_matches": report.head == head,
        "verify_seconds": seconds,
        "verify_entries_per_second": entries / seconds,
        "orm_scan_seconds": orm_scan_seconds,
        "raw_scan_seconds": raw_scan_seconds,
        "verify_over_orm_scan": seconds / orm_scan_seconds,
        "verify_over_raw_scan": seconds / raw_scan_seconds,
        "rss_baseline_mib": baseline / MIB,
        "rss_peak_mib": peak / MIB,
        "rss_peak_over_baseline_mib": (peak - baseline) / MIB,
        "rss_samples": sampler.samples,
    }


def _raw_scan(connection) -> int:
    """The verify query's rows through a bare DB-API cursor: on PostgreSQL a server-side
    cursor fetching ``BATCH`` rows at a time, as Django's ``iterator()`` does."""
    from django.db import transaction

    from yangguang.records.chain import CONTENT_FIELDS

    sql = (
        f"SELECT {', '.join(CONTENT_FIELDS)}, entry_hash FROM records_recordentry ORDER BY sequence"
    )
    count = 0
    with transaction.atomic():
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            cursor = connection.connection.cursor(name="bench_raw_scan")
            cursor.itersize = BATCH
        else:
            cursor = connection.connection.cursor()
        try:
            cursor.execute(sql)
            while rows := cursor.fetchmany(BATCH):
                count += len(rows)
        finally:
            cursor.close()
    return count


def _print_table(rows: list[dict]) -> None:
    print(
        "| database | entries | verify (s) | entries/s | ORM scan (s) | raw scan (s) | "
        "verify ÷ ORM scan | verify ÷ raw scan | RSS baseline → peak (MiB) | peak − baseline "
        "(MiB) | ok | build (s) | database (MiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for row in rows:
        print(
            f"| {row['database']} | {row['entries']:,} | {row['verify_seconds']:,.1f} | "
            f"{row['verify_entries_per_second']:,.0f} | {row['orm_scan_seconds']:,.1f} | "
            f"{row['raw_scan_seconds']:,.1f} | {row['verify_over_orm_scan']:.1f}× | "
            f"{row['verify_over_raw_scan']:.1f}× | "
            f"{row['rss_baseline_mib']:,.0f} → {row['rss_peak_mib']:,.0f} | "
            f"{row['rss_peak_over_baseline_mib']:,.1f} | {'yes' if row['ok'] else 'NO'} | "
            f"{row['build_seconds']:,.0f} | {row['database_mib']:,.0f} |"
        )


if __name__ == "__main__":
    main()
