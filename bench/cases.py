"""Online case handling: the time to generate each document and a whole case file, and
the case list with 100,000 cases on PostgreSQL through a real server.

Run from the repository root:  /tmp/yg-venv/bin/python bench/cases.py
(``--cases 5000 --list-requests 40`` to try it). Needs PostgreSQL (see _support.py).
Writes bench/results/cases.json; bench/README.md says how to read it.

One run:

1. **Build** (a child process): a scratch database; migrate; the demo city, which runs
   the demo's ordinary case with a hearing end to end (15 documents); then ``--cases``
   cases over three years spread over the squadrons and the statuses, loaded with
   ``bulk_create``. ``VACUUM ANALYZE``.
2. **Documents** (in the child, same database): for every document of the demo case,
   the median of ``--repeats`` renderings as PDF and as .docx; the whole case file
   (cover, paged index — built twice — documents, record) as PDF. Baseline: a one-line
   PDF in the same embedded font, the fixed cost of any PDF.
3. ``yangguang serve`` (gunicorn, 2 workers × 4 threads, as the demo) on a free port.
4. **Case list**: the bureau leader ``juzhang`` (whole bureau) and the squadron leader
   ``zhongduizhang`` (one squadron) log in; 20 warm-up requests, then
   ``--list-requests`` GETs in a fixed shuffled mix (first page, a deep page, a status
   filter, a number search, the API's first page), one at a time on fresh connections,
   alternating with as many GETs of the baseline ``/livez`` on the same server.
"""

import argparse
import datetime as dt
import io
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

import gunicorn

from _support import (
    Browser,
    django_env,
    environment,
    free_port,
    ms,
    percentile,
    postgres_version,
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
PASSWORD = "Yangguang-2026"  # the demo's password
WORKERS, THREADS = 2, 4
SEED = 20261129


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=["build"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--list-requests", type=int, default=200)
    args = parser.parse_args()
    if args.role == "build":
        write_child_result(args.out, _build(args.cases, args.repeats))
        return
    if postgres_version() is None:
        sys.exit("PostgreSQL does not answer; this benchmark needs it (see _support.py).")
    with (
        tempfile.TemporaryDirectory(prefix="yangguang-bench-cases-") as scratch,
        scratch_postgres(f"yangguang_bench_cases_{os.getpid()}") as url,
    ):
        data_dir = Path(scratch)
        env = django_env(data_dir=data_dir, database_url=url)
        env.update(
            YANGGUANG_HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50), YANGGUANG_LOG_LEVEL="WARNING"
        )
        print(f"Building {args.cases:,} cases and timing the documents …", flush=True)
        built = run_child(
            SCRIPT, "build", ["--cases", str(args.cases), "--repeats", str(args.repeats)], env
        )
        print(f"  built in {built['build_seconds']:.0f} s", flush=True)
        port = free_port()
        log_path = data_dir / "server.log"
        with log_path.open("wb") as log:
            command = [str(YANGGUANG), "serve", "--bind", f"127.0.0.1:{port}"]
            command += ["--workers", str(WORKERS), "--threads", str(THREADS)]
            server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                lists = {}
                for username in ("juzhang", "zhongduizhang"):
                    browser = Browser(port)
                    wait_until_up(server, browser, seconds=120)
                    browser.login(username, PASSWORD)
                    print(f"Case list as {username} …", flush=True)
                    lists[username] = _case_list(browser, requests=args.list_requests)
            except BaseException:
                print(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
                raise
            finally:
                stop_server(server)

    report = {
        "benchmark": "cases",
        "measured_at": dt.datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(gunicorn=gunicorn.__version__),
        "settings": {
            "server": f"yangguang serve: gunicorn gthread, {WORKERS} workers × {THREADS} threads",
            "database": "PostgreSQL",
            "cases": built["cases"],
            "build_seconds": built["build_seconds"],
            "repeats": args.repeats,
        },
        "documents": built["documents"],
        "case_list": lists,
    }
    path = write_results("cases", report)
    _print(report)
    print(f"\nFigures written to {path}")


# --- Build and documents (child process) --------------------------------------------------


def _build(count: int, repeats: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from yangguang.core.demo import demo_city_load

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo_city_load()
    documents = _time_documents(repeats)
    _load_cases(count)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "cases": count,
        "documents": documents,
        "build_seconds": time.perf_counter() - started,
    }


def _median_seconds(function, repeats: int) -> float:
    function()  # warm-up: fonts, templates, imports
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _baseline_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from yangguang.core.printing import para

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build([para("行政处罚")])
    return buffer.getvalue()


def _time_documents(repeats: int) -> dict:
    from pypdf import PdfReader

    from yangguang.cases.models import Case
    from yangguang.cases.render import case_file_pdf, document_docx, document_pdf
    from yangguang.core.demo_cases import HEARING_CASE_TITLE

    case = Case.objects.get(title=HEARING_CASE_TITLE)
    baseline = _median_seconds(_baseline_pdf, repeats)
    rows = []
    for document in case.documents.order_by("issued_at", "pk"):
        pdf = _median_seconds(lambda d=document: document_pdf(d), repeats)
        docx = _median_seconds(lambda d=document: document_docx(d), repeats)
        rows.append(
            {
                "title": document.title,
                "pdf_ms": round(pdf * 1000, 1),
                "pdf_ratio": round(pdf / baseline, 1),
                "docx_ms": round(docx * 1000, 1),
            }
        )
    case_file = _median_seconds(lambda: case_file_pdf(case), max(3, repeats // 3))
    pages = len(PdfReader(io.BytesIO(case_file_pdf(case))).pages)
    return {
        "baseline_pdf_ms": round(baseline * 1000, 1),
        "by_document": rows,
        "case_file_ms": round(case_file * 1000, 1),
        "case_file_ratio": round(case_file / baseline, 1),
        "case_file_documents": len(rows),
        "case_file_pages": pages,
    }


def _load_cases(count: int) -> None:
    from django.utils import timezone

    from yangguang.cases.enums import Procedure, Source, Status
    from yangguang.cases.models import Case, CaseCounter
    from yangguang.org.enums import UnitKind
    from yangguang.org.models import Unit, User

    # Keep the spread-out creation times (auto_now_add would stamp them all "now").
    Case._meta.get_field("created_at").auto_now_add = False
    rng = random.Random(SEED)
    squadrons = list(Unit.objects.filter(kind=UnitKind.SQUADRON))
    creator = User.objects.get(username="zhifa1")
    statuses = list(Status.values)
    titles = ["占道经营", "店外经营", "违法建设", "乱张贴小广告", "渣土运输遗撒", "餐饮油烟直排"]
    now = timezone.now()
    year = timezone.localtime(now).year
    batch = []
    for index in range(count):
        created = now - dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
        number = f"B{year}-{index:07d}"
        day = timezone.localtime(created).date()
        batch.append(
            Case(
                number=number,
                procedure=rng.choice([Procedure.ORDINARY, Procedure.SIMPLE]),
                status=rng.choice(statuses),
                source=rng.choice(list(Source.values)),
                unit=rng.choice(squadrons),
                title=rng.choice(titles),
                facts="当事人在人行道上摆摊设点。",
                act_started_on=day,
                discovered_on=day,
                party_name=f"当事人{index}",
                created_by=creator,
                created_at=created,
            )
        )
        if len(batch) == 5000:
            _insert(batch)
            batch = []
    _insert(batch)
    CaseCounter.objects.update_or_create(year=year, defaults={"last": count})


def _insert(batch: list) -> None:
    from yangguang.cases.models import Case

    Case.objects.bulk_create(batch)


# --- Case list ----------------------------------------------------------------------------


def _variants(browser: Browser) -> dict[str, str]:
    """The mix; the searched number is one the user can see, from deep in the list."""
    _status, _headers, page = browser.request("GET", "/staff/cases/?page=100")
    numbers = re.findall(rb'class="mono" href="/staff/cases/\d+/">([^<]+)<', page)
    number = numbers[len(numbers) // 2].decode()
    return {
        "first page": "/staff/cases/",
        "page 200": "/staff/cases/?page=200",
        "status filter": "/staff/cases/?status=investigating",
        "number search": f"/staff/cases/?q={number}",
        "API first page": "/api/v1/cases/",
    }


def _case_list(browser: Browser, *, requests: int) -> dict:
    variants = _variants(browser)
    plan = [name for name in variants for _ in range(max(1, requests // len(variants)))]
    random.Random(SEED).shuffle(plan)
    for name in list(variants) * 4:  # warm-up
        _get(browser, variants[name])
        _get(browser, "/livez")
    times: dict[str, list[float]] = {name: [] for name in variants}
    baseline: list[float] = []
    for name in plan:
        times[name].append(_get(browser, variants[name]))
        baseline.append(_get(browser, "/livez"))
    every = [t for values in times.values() for t in values]
    return {
        "requests": len(every),
        "p50_ms": ms(percentile(every, 50)),
        "p95_ms": ms(percentile(every, 95)),
        "baseline_p50_ms": ms(percentile(baseline, 50)),
        "baseline_p95_ms": ms(percentile(baseline, 95)),
        "p95_ratio": round(percentile(every, 95) / percentile(baseline, 95), 1),
        "by_variant": {
            name: {"path": variants[name], "p95_ms": ms(percentile(values, 95))}
            for name, values in times.items()
        },
    }


def _get(browser: Browser, path: str) -> float:
    return timed_get(
        browser,
        path,
        b'"ok"' if path == "/livez" else (b'"results"' if "/api/" in path else b"case-row"),
    )


def _print(report: dict) -> None:
    documents = report["documents"]
    print(f"\nDocuments (median of {report['settings']['repeats']} renderings):")
    print(f"  baseline one-line PDF        {documents['baseline_pdf_ms']:>7} ms")
    for row in documents["by_document"]:
        print(
            f"  {row['title']:<14} PDF {row['pdf_ms']:>7} ms ({row['pdf_ratio']:>5}×)"
            f"   .docx {row['docx_ms']:>6} ms"
        )
    print(
        f"  case file ({documents['case_file_documents']} documents, "
        f"{documents['case_file_pages']} pages): {documents['case_file_ms']} ms "
        f"({documents['case_file_ratio']}×)"
    )
    print(f"\nCase list with {report['settings']['cases']:,} cases:")
    print("| user | p95 | p50 | baseline /livez p95 | ratio |")
    print("|---|---:|---:|---:|---:|")
    for user, figures in report["case_list"].items():
        print(
            f"| {user} | {figures['p95_ms']} ms | {figures['p50_ms']} ms | "
            f"{figures['baseline_p95_ms']} ms | {figures['p95_ratio']}× |"
        )
        for name, variant in figures["by_variant"].items():
            print(f"    {name:<16} p95 {variant['p95_ms']:>7} ms")


if __name__ == "__main__":
    main()
