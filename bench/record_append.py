"""Record-log append throughput: ``record_append`` against a plain insert, in one run.

Run from the repository root:  /tmp/yg-venv/bin/python bench/record_append.py
Writes bench/results/record_append.json; see bench/README.md for how to read it.

Per database (an SQLite file in a temporary directory; PostgreSQL in a scratch
database, when reachable) a child process sets up Django, migrates, and measures:

(a) ``record_append``, one call per transaction, as a service appends;
(b) a plain insert of the same row (``RecordEntry.objects.create`` in its own
    transaction) whose sequence, time and hash were computed beforehand: no chain lock,
    no head read, no hashing. The rows of (b) are a true continuation of the chain (each
    batch is computed from the head just before it is inserted, outside the clock), so
    the chain still verifies and (a), (b) and (c) share one table, as they would in use;
(c) ``record_append_many`` with 3,000 entries (``--entries``) in a single transaction.

(a) and (b) alternate in blocks of 100 entries, so that drift (a checkpoint, a busy
neighbour) falls on both; their rates are total entries over total time. After every
third of them (a round) (c) runs once; its rate is the median of the rounds. At the end
``chain_verify()`` must pass over every entry written.
"""

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _support import (
    django_env,
    environment,
    postgres_version,
    run_child,
    scratch_postgres,
    write_child_result,
    write_results,
)

ENTRIES = 3000  # of (a) and of (b), one transaction each; (c) writes this many per call
ROUNDS = 3
BLOCK = 100  # (a) and (b) alternate in blocks of this many entries
WARMUP = 100  # untimed record_append calls first: connection, caches, the first pages
CLIENT_IP = "10.37.12.201"
CLIENT_DEVICE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--role", choices=["measure"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.entries % (args.rounds * BLOCK):
        parser.error(f"--entries must be a multiple of --rounds × {BLOCK}")
    if args.role == "measure":
        write_child_result(args.out, _measure(args.entries, args.rounds))
        return

    child_args = ["--entries", str(args.entries), "--rounds", str(args.rounds)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="yangguang-bench-append-") as scratch:
        data_dir = Path(scratch)
        env = django_env(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'append.db'}")
        rows.append(run_child(__file__, "measure", child_args, env))
        if postgres_version() is None:
            print("PostgreSQL is not reachable: measuring SQLite only.")
        else:
            name = f"yangguang_bench_append_{os.getpid()}"
            with scratch_postgres(name) as url:
                env = django_env(data_dir=data_dir, database_url=url)
                rows.append(run_child(__file__, "measure", child_args, env))

    report = {
        "benchmark": "record_append",
        "measured_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "settings": {
            "entries": args.entries,
            "rounds": args.rounds,
            "block": BLOCK,
            "warmup": WARMUP,
            "one_transaction_per_entry": "(a), (b)",
        },
        "cases": rows,
    }
    path = write_results("record_append", report)
    _print_table(rows)
    print(f"\nFigures written to {path}")


# --- The child: one database -------------------------------------------------------------


def _measure(entries: int, rounds: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yangguang.records.context import Client, client_context
    from yangguang.records.verify import chain_verify

    call_command("migrate", interactive=False, verbosity=0)
    blocks_per_round = entries // rounds // BLOCK
    counter = iter(range(10**9))
    append_seconds: list[float] = []
    insert_seconds: list[float] = []
    many_rates: list[float] = []
    hash_seconds = 0.0
    with client_context(Client(ip=CLIENT_IP, device=CLIENT_DEVICE)):
        for _ in range(WARMUP):
            _append_one(next(counter))
        for _ in range(rounds):
            for _ in range(blocks_per_round):
                append_seconds += [_append_one(next(counter)) for _ in range(BLOCK)]
                started = time.perf_counter()
                rows = _precomputed_rows([next(counter) for _ in range(BLOCK)])
                hash_seconds += time.perf_counter() - started
                insert_seconds += [_insert_one(row) for row in rows]
            many_rates.append(_append_many([next(counter) for _ in range(entries)]))

    written = WARMUP + 2 * entries + rounds * entries
    started = time.perf_counter()
    report = chain_verify()
    verify_seconds = time.perf_counter() - started
    if not (report.ok and report.entries == written):
        raise SystemExit(
            f"chain_verify failed: ok={report.ok} entries={report.entries} (wrote {written}) "
            f"{report.problems[:1]}"
        )

    append_rate = len(append_seconds) / sum(append_seconds)
    insert_rate = len(insert_seconds) / sum(insert_seconds)
    many_rate = statistics.median(many_rates)
    return {
        "database": connection.vendor,
        "durability": _durability(connection),
        "record_append_per_second": append_rate,
        "plain_insert_per_second": insert_rate,
        "record_append_many_per_second": many_rate,
        "record_append_many_rounds_per_second": many_rates,
        "append_over_insert": append_rate / insert_rate,
        "append_many_over_insert": many_rate / insert_rate,
        "record_append_ms": _latencies(append_seconds),
        "plain_insert_ms": _latencies(insert_seconds),
        "precompute_us_per_entry": hash_seconds / len(insert_seconds) * 1e6,
        "entries_written": written,
        "chain_verified": report.ok,
        "chain_verify_seconds": verify_seconds,
    }


def _target(number: int):
    from yangguang.records.registry import Target

    return Target("bench.thing", str(number), "bench", None)


def _append_one(number: int) -> float:
    from yangguang.records.services import record_append

    started = time.perf_counter()
    record_append(
        action="config.update", target=_target(number), actor=None, changes={"n": [None, number]}
    )
    return time.perf_counter() - started


def _precomputed_rows(numbers: list[int]) -> list[dict]:
    """The rows ``record_append`` would write for ``numbers``, chained from the current
    head: what (b) inserts. Computed outside the clock; the time is reported as
    ``precompute_us_per_entry`` for context (it includes reading the head once)."""
    from django.utils import timezone

    from yangguang.records.chain import EntryContent
    from yangguang.records.services import _head

    sequence, prev_hash, last_time = _head()
    now = timezone.now()
    recorded_at = max(now, last_time) if last_time else now
    rows = []
    for number in numbers:
        sequence += 1
        fields = {
            "sequence": sequence,
            "recorded_at": recorded_at,
            "actor_id": None,
            "actor_name": "",
            "actor_unit_id": None,
            "unit_id": None,
            "object_type": "bench.thing",
            "object_id": str(number),
            "object_repr": "bench",
            "action": "config.update",
            "changes": {"n": [None, number]},
            "personal": {},
            "reason": "",
            "client_ip": CLIENT_IP,
            "client_device": CLIENT_DEVICE,
            "evidence": [],
            "prev_hash": prev_hash,
        }
        prev_hash = EntryContent(**fields).hash()
        rows.append({**fields, "entry_hash": prev_hash})
    return rows


def _insert_one(row: dict) -> float:
    from django.db import transaction

    from yangguang.records.models import RecordEntry

    started = time.perf_counter()
    with transaction.atomic():
        RecordEntry.objects.create(**row)
    return time.perf_counter() - started


def _append_many(numbers: list[int]) -> float:
    """Entries per second of one ``record_append_many`` call (its own transaction)."""
    from yangguang.records.services import Pending, record_append_many

    pending = [Pending("config.update", _target(n), {"n": [None, n]}) for n in numbers]
    started = time.perf_counter()
    record_append_many(entries=pending, actor=None)
    return len(numbers) / (time.perf_counter() - started)


def _latencies(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    return {
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[int(len(ordered) * 0.99)] * 1000,
        "max": ordered[-1] * 1000,
    }


def _durability(connection) -> dict:
    """What a commit waits for: the figures mean little without it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
            return {"journal_mode": journal, "synchronous": synchronous}
        settings = {}
        for name in ("fsync", "synchronous_commit", "wal_sync_method", "server_version"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        return settings


def _print_table(rows: list[dict]) -> None:
    print(
        "| database | (a) record_append/s | (b) plain insert/s | (c) append_many/s | "
        "(a) ÷ (b) | (c) ÷ (b) | (a) p50 / p99 ms | (b) p50 / p99 ms | precompute µs/entry | "
        "chain verified |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        a, b = row["record_append_ms"], row["plain_insert_ms"]
        print(
            f"| {row['database']} | {row['record_append_per_second']:,.0f} | "
            f"{row['plain_insert_per_second']:,.0f} | "
            f"{row['record_append_many_per_second']:,.0f} | "
            f"{row['append_over_insert']:.2f}× | {row['append_many_over_insert']:.1f}× | "
            f"{a['p50']:.2f} / {a['p99']:.2f} | {b['p50']:.2f} / {b['p99']:.2f} | "
            f"{row['precompute_us_per_entry']:.1f} | "
            f"{'yes' if row['chain_verified'] else 'NO'} ({row['entries_written']:,}) |"
        )


if __name__ == "__main__":
    main()
