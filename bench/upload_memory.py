"""A 200 MiB video upload to the staff evidence page against the server's memory.

Run from the repository root:  /tmp/yg-venv/bin/python bench/upload_memory.py
Writes bench/results/upload_memory.json; see bench/README.md for how to read it.

Acceptance: while the upload is received, hashed and stored, the gunicorn worker (with
any children it has) stays under 100 MiB above its baseline.

One run: a demo (``yangguang demo --no-serve``) in a temporary data directory;
``yangguang serve`` with one gthread worker (two threads) on a free port; officer zhifa1
logs in through the login form (http.client, cookies and CSRF token kept by hand); a
warm-up GET of the timeline page of zhifa1's squadron, then the worker's RSS baseline;
then two uploads through that page's form, each an MP4 (the head of
``tests.records.samples.mp4_head()`` then pseudo-random bytes, made chunk by chunk so the
client stays small) with its recording details: first 1 MiB (the baseline upload), then
200 MiB, streamed with a Content-Length computed up front. While each is on its way a
thread samples the RSS of the worker (and its children) and of the master every 20 ms.
Afterwards each upload is checked: status 302, an Evidence row with the SHA-256 the
client computed while sending, and the stored file under <data dir>/evidence/ with that
content. The server is stopped at the end, also when something fails.
"""

import argparse
import hashlib
import http.client
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import gunicorn
import numpy as np
import psutil

from _support import (
    MIB,
    REPOSITORY,
    Browser,
    PeakSampler,
    csrf_token,
    environment,
    free_port,
    rss,
    run_logged,
    stop_server,
    wait_until_up,
    write_results,
)

LARGE_MIB = 200
SMALL_MIB = 1
LIMIT_MIB = 100  # acceptance: worker peak − baseline for the 200 MiB upload
CHUNK = MIB  # the client sends (and makes) the file in pieces of this size
SAMPLE_SECONDS = 0.02
USERNAME = "zhifa1"
PASSWORD = "Yangguang-2026"  # the demo's password for every login
YANGGUANG = Path(sys.executable).with_name("yangguang")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=LARGE_MIB, help="size of the large upload")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yangguang-bench-upload-") as scratch:
        data_dir = Path(scratch)
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)  # the demo runs on SQLite in the data directory
        env.update(YANGGUANG_DATA_DIR=str(data_dir), YANGGUANG_HTTPS="0", DEBUG="0")
        run_logged([str(YANGGUANG), "demo", "--no-serve"], env, data_dir / "demo.log")
        database = data_dir / "yangguang.sqlite3"
        unit_pk, officer_pk = _officer(database)
        port = free_port()
        server_env = {**env, "SECRET_KEY": secrets.token_urlsafe(50)}
        log_path = data_dir / "server.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [
                    str(YANGGUANG),
                    "serve",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "2",
                    "--no-collectstatic",
                ],
                env=server_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                cases, baseline = _measure(
                    server, port, data_dir, unit_pk=unit_pk, officer_pk=officer_pk, mib=args.mib
                )
            except BaseException:
                print(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
                raise
            finally:
                stop_server(server)

    large = cases[-1]
    report = {
        "benchmark": "upload_memory",
        "measured_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(gunicorn=gunicorn.__version__, numpy=np.__version__),
        "settings": {
            "server": "yangguang serve: gunicorn gthread, 1 worker, 2 threads",
            "database": "SQLite (demo)",
            "sample_seconds": SAMPLE_SECONDS,
            "client_chunk_bytes": CHUNK,
            "worker_rss_baseline_mib": baseline / MIB,
        },
        "cases": cases,
        "acceptance": {
            "criterion": f"worker peak − baseline < {LIMIT_MIB} MiB during a {args.mib} MiB "
            "upload, stored intact",
            "peak_over_baseline_mib": large["worker_peak_over_baseline_mib"],
            "high_water_over_baseline_mib": large["worker_high_water_over_baseline_mib"],
            "met": large["worker_peak_over_baseline_mib"] < LIMIT_MIB
            and large["worker_high_water_over_baseline_mib"] < LIMIT_MIB
            and large["stored_ok"],
        },
    }
    path = write_results("upload_memory", report)
    _print_table(cases)
    verdict = "met" if report["acceptance"]["met"] else "NOT met"
    print(
        f"\nAcceptance ({report['acceptance']['criterion']}): {verdict}, "
        f"{large['worker_peak_over_baseline_mib']:.1f} MiB above the baseline "
        f"({baseline / MIB:.1f} MiB)."
    )
    print(f"Figures written to {path}")


def _measure(
    server: subprocess.Popen, port: int, data_dir: Path, *, unit_pk: int, officer_pk: int, mib: int
) -> tuple[list[dict], int]:
    browser = Browser(port)
    wait_until_up(server, browser)
    master = psutil.Process(server.pid)
    worker = _worker(master)
    browser.login(USERNAME, PASSWORD)
    timeline = f"/staff/records/org.unit/{unit_pk}/"
    status, _headers, page = browser.request("GET", timeline)
    if status != 200:
        raise SystemExit(f"GET {timeline}: {status}")
    token = csrf_token(page)
    time.sleep(0.5)  # let the worker settle after the warm-up request
    baseline = rss(worker, children=True)
    master_baseline = rss(master)
    cases = []
    for label, size, seed in (("1 MiB (baseline)", SMALL_MIB, 1), (f"{mib} MiB", mib, 2)):
        case = _upload(
            browser,
            f"{timeline}evidence/",
            referer=timeline,
            token=token,
            recorder=officer_pk,
            payload=size * MIB,
            seed=seed,
            samplers=(worker, master),
        )
        case["upload"] = label
        case["worker_baseline_mib"] = baseline / MIB
        case["worker_peak_over_baseline_mib"] = (case["worker_peak_bytes"] - baseline) / MIB
        # The kernel's high-water mark misses no spike between two samples: the peak
        # during the upload was at most this far above the baseline.
        case["worker_high_water_over_baseline_mib"] = (
            case["worker_high_water_after_mib"] - baseline / MIB
        )
        case["master_peak_over_baseline_mib"] = (case["master_peak_bytes"] - master_baseline) / MIB
        case.update(_check_stored(data_dir, case))
        cases.append(case)
    return cases, baseline


def _upload(
    browser: "Browser",
    path: str,
    *,
    referer: str,
    token: str,
    recorder: int,
    payload: int,
    seed: int,
    samplers: tuple[psutil.Process, psutil.Process],
) -> dict:
    """POST the evidence form with an MP4 of ``len(head) + payload`` bytes, streamed."""
    boundary = f"----yangguang-bench-{secrets.token_hex(12)}"
    name = f"DSJ-HKAW1_20261120_0900_{payload // MIB}MiB.mp4"
    fields = {
        "csrfmiddlewaretoken": token,
        "note": "执法记录仪视频（基准测试）",
        "device": "DSJ-HKAW1-0042",
        "recorder": str(recorder),
        "recording_started_at": "2026-11-20T09:00",
        "recording_ended_at": "2026-11-20T09:25",
        "scene": "scene",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    )
    preamble = "".join(parts).encode("utf-8")
    epilogue = f"\r\n--{boundary}--\r\n".encode("ascii")
    head = _mp4_head()
    file_size = len(head) + payload
    worker, master = samplers
    connection = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=600)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(preamble) + file_size + len(epilogue)))
    connection.putheader("Referer", browser.url(referer))
    connection.putheader("Cookie", browser.cookie_header())
    digest = hashlib.sha256(head)
    generator = np.random.default_rng(seed)
    worker_before = rss(worker, children=True)
    high_water_before = _high_water(worker)
    with (
        PeakSampler(lambda: rss(worker, children=True), SAMPLE_SECONDS) as worker_peak,
        PeakSampler(lambda: rss(master), SAMPLE_SECONDS) as master_peak,
    ):
        started = time.perf_counter()
        connection.endheaders(preamble + head)
        remaining = payload
        while remaining:
            chunk = generator.bytes(min(CHUNK, remaining))
            digest.update(chunk)
            connection.send(chunk)
            remaining -= len(chunk)
        connection.send(epilogue)
        sent = time.perf_counter()
        response = connection.getresponse()
        response.read()
        answered = time.perf_counter()
    connection.close()
    browser.remember(response.msg)
    seconds = answered - started
    return {
        "file_bytes": file_size,
        "file_mib": file_size / MIB,
        "status": response.status,
        "location": response.getheader("Location", ""),
        "client_sha256": digest.hexdigest(),
        "send_seconds": sent - started,
        "seconds": seconds,
        "mib_per_second": file_size / MIB / seconds,
        "worker_before_mib": worker_before / MIB,
        "worker_peak_bytes": worker_peak.peak,
        "worker_peak_mib": worker_peak.peak / MIB,
        "worker_after_mib": rss(worker, children=True) / MIB,
        "worker_high_water_before_mib": high_water_before / MIB,
        "worker_high_water_after_mib": _high_water(worker) / MIB,
        "master_peak_bytes": master_peak.peak,
        "master_peak_mib": master_peak.peak / MIB,
        "samples": worker_peak.samples,
    }


def _high_water(process: psutil.Process) -> int:
    """The most RSS the process ever had (VmHWM, Linux), in bytes."""
    status = Path(f"/proc/{process.pid}/status").read_text(encoding="ascii")
    kib = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(kib.group(1)) * 1024 if kib else 0


def _mp4_head() -> bytes:
    """The first 4 KiB of an MP4 as body cameras write it, from the tests' samples."""
    if str(REPOSITORY) not in sys.path:
        sys.path.insert(0, str(REPOSITORY))
    from tests.records.samples import mp4_head

    return mp4_head()


def _check_stored(data_dir: Path, case: dict) -> dict:
    """The Evidence row has the client's hash and size; the file is there, intact; the
    upload's temporary file is gone; the chain records the store."""
    sha256 = case["client_sha256"]
    with sqlite3.connect(data_dir / "yangguang.sqlite3") as db:
        row = db.execute(
            "SELECT size, storage_name, kind, mime_type FROM records_evidence WHERE sha256 = ?",
            [sha256],
        ).fetchone()
        recorded = db.execute(
            "SELECT count(*) FROM records_recordentry WHERE action = 'evidence.store' "
            "AND evidence LIKE ?",
            [f"%{sha256}%"],
        ).fetchone()[0]
    result = {
        "evidence_row": row is not None,
        "store_recorded": recorded == 1,
        "temporary_files_left": sorted(p.name for p in (data_dir / "tmp").iterdir()),
    }
    if row is None:
        return {**result, "stored_ok": False}
    size, storage_name, kind, mime_type = row
    stored = data_dir / "evidence" / storage_name
    stored_hash = hashlib.sha256()
    if stored.is_file():
        with stored.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                stored_hash.update(chunk)
    result.update(
        kind=kind,
        mime_type=mime_type,
        storage_name=storage_name,
        row_size_matches=size == case["file_bytes"],
        file_exists=stored.is_file(),
        file_sha256_matches=stored_hash.hexdigest() == sha256,
    )
    result["stored_ok"] = (
        case["status"] == 302
        and kind == "video"
        and result["row_size_matches"]
        and result["file_sha256_matches"]
        and result["store_recorded"]
        and not result["temporary_files_left"]
    )
    return result


# --- The server and the browser -----------------------------------------------------------


def _officer(database: Path) -> tuple[int, int]:
    """The pk of zhifa1's unit (a squadron) and of zhifa1, read from the demo database."""
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT u.unit_id, u.id, unit.kind FROM org_user u JOIN org_unit unit "
            "ON unit.id = u.unit_id WHERE u.username = ?",
            [USERNAME],
        ).fetchone()
    if row is None or row[2] != "squadron":
        raise SystemExit(f"the demo has no {USERNAME} in a squadron: {row}")
    return row[0], row[1]


def _worker(master: psutil.Process) -> psutil.Process:
    children = master.children()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {len(children)}")
    return children[0]


def _print_table(cases: list[dict]) -> None:
    print(
        "| upload | file (MiB) | HTTP | seconds | MiB/s | worker baseline (MiB) | "
        "worker peak (MiB) | worker peak − baseline (MiB) | high-water − baseline (MiB) | "
        "master peak − baseline (MiB) | stored intact |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for case in cases:
        print(
            f"| {case['upload']} | {case['file_mib']:,.1f} | {case['status']} | "
            f"{case['seconds']:.2f} | {case['mib_per_second']:,.0f} | "
            f"{case['worker_baseline_mib']:.1f} | {case['worker_peak_mib']:.1f} | "
            f"{case['worker_peak_over_baseline_mib']:.1f} | "
            f"{case['worker_high_water_over_baseline_mib']:.1f} | "
            f"{case['master_peak_over_baseline_mib']:.1f} | "
            f"{'yes' if case['stored_ok'] else 'NO'} |"
        )


if __name__ == "__main__":
    main()
