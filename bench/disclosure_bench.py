"""The public disclosure pages at scale, on PostgreSQL through a real server: the
decisions search (/decisions/) and the public statistics page (/statistics/) with
1,000,000 reports and 100,000 published decisions, each against /healthz.

Run from the repository root:  .venv/bin/python bench/disclosure_bench.py
(``--reports 50000 --decisions 5000 --requests 60`` to try it). Needs PostgreSQL (see
_support.py). Writes bench/results/disclosure.json; bench/README.md says how to read it.

One run:

1. **Build** (a child process): a scratch database; migrate; the demo city; then
   ``--reports`` reports over three years with report_loop.py's generator (COPY), and
   ``--decisions`` published decisions over three years (plus 2 % withdrawn), each on a
   decided case of its own (``bulk_create``): individuals as 张某 and companies with
   their credit code, real violation domains as categories, the demo's sub-districts as
   streets, 文号 numbered per year. ``VACUUM ANALYZE``.
2. ``yangguang serve`` (gunicorn, 2 workers × 4 threads, as the demo) on a free port.
3. The form of /decisions/ is read to find its fields (the 文号/keyword box, the date
   range, the street select), so the script follows the page as built.
4. 20 warm-up requests, then ``--requests`` anonymous GETs in a fixed shuffled mix —
   the decisions' first page, a 文号 search, a date range, a street filter, a page deep
   in the list, /statistics/ and this year's /statistics/annual/<year>/ — one at a time
   on fresh connections, each followed by a GET of /healthz (the same server, one
   database round trip), the baseline. Every page must answer 200.

``--keep`` keeps the database (named ``yangguang_bench_disclosure_quality``) and
``--reuse`` measures it again without building (after migrating it), for re-running
the measurement when the pages change.
"""

import argparse
import datetime as dt
import html
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager, nullcontext
from datetime import UTC
from pathlib import Path

import gunicorn
import psycopg

from _support import (
    POSTGRES_ADMIN_URL,
    Browser,
    _with_database,
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
WORKERS, THREADS = 2, 4
SEED = 20261203
KEPT = "yangguang_bench_disclosure_quality"
SLOW_RATIO = 20  # p95 over 20× /healthz: worth an index (bench/README.md)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=["build", "migrate"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=210)
    parser.add_argument("--keep", action="store_true", help=f"keep the database ({KEPT})")
    parser.add_argument("--reuse", action="store_true", help=f"measure {KEPT} again")
    args = parser.parse_args()
    if args.role == "build":
        write_child_result(args.out, _build(args.reports, args.decisions))
        return
    if args.role == "migrate":
        write_child_result(args.out, _migrate())
        return
    if postgres_version() is None:
        sys.exit("PostgreSQL does not answer; this benchmark needs it (see _support.py).")
    with (
        tempfile.TemporaryDirectory(prefix="yangguang-bench-disclosure-") as scratch,
        _database(keep=args.keep, reuse=args.reuse) as url,
    ):
        data_dir = Path(scratch)
        env = django_env(data_dir=data_dir, database_url=url)
        env.update(
            YANGGUANG_HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50), YANGGUANG_LOG_LEVEL="WARNING"
        )
        if args.reuse:
            print(f"Reusing {KEPT} …", flush=True)
            built = run_child(SCRIPT, "migrate", [], env)
        else:
            print(f"Building {args.reports:,} reports, {args.decisions:,} decisions …", flush=True)
            built = run_child(
                SCRIPT,
                "build",
                ["--reports", str(args.reports), "--decisions", str(args.decisions)],
                env,
            )
            print(f"  built in {built['build_seconds']:.0f} s", flush=True)
        port = free_port()
        log_path = data_dir / "server.log"
        with log_path.open("wb") as log:
            command = [str(YANGGUANG), "serve", "--bind", f"127.0.0.1:{port}"]
            command += ["--workers", str(WORKERS), "--threads", str(THREADS)]
            server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                browser = Browser(port)
                wait_until_up(server, browser, seconds=120)
                print("Public pages …", flush=True)
                variants = _variants(browser, built)
                pages = _measure(browser, variants, requests=args.requests)
            except BaseException:
                print(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
                raise
            finally:
                stop_server(server)
        slow = {
            name: _explain(url, figures["path"])
            for name, figures in pages["by_variant"].items()
            if figures["p95_ratio"] > SLOW_RATIO
        }

    report = {
        "benchmark": "disclosure",
        "measured_at": dt.datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "environment": environment(gunicorn=gunicorn.__version__),
        "settings": {
            "server": f"yangguang serve: gunicorn gthread, {WORKERS} workers × {THREADS} threads",
            "database": "PostgreSQL",
            "reports": built["reports"],
            "published_decisions": built["published"],
            "withdrawn_decisions": built["withdrawn"],
            "build_seconds": built.get("build_seconds"),
            "baseline": "/healthz (a Django JSON view with one database round trip)",
        },
        "pages": pages,
        "slow_queries": slow,
    }
    path = write_results("disclosure", report)
    _print(report)
    print(f"\nFigures written to {path}")


@contextmanager
def _database(*, keep: bool, reuse: bool):
    if not (keep or reuse):
        with scratch_postgres(f"yangguang_bench_disclosure_{os.getpid()}") as url:
            yield url
        return
    if not reuse:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{KEPT}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{KEPT}"')
    with nullcontext():
        yield _with_database(POSTGRES_ADMIN_URL, KEPT)


# --- Build (child process) ----------------------------------------------------------------


def _build(reports: int, decisions: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from yangguang.core.demo import demo_city_load

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo_city_load()
    # report_loop.py's generator: three years of reports, COPY, with tracking counters.
    from report_loop import _load_reports

    _load_reports(reports)
    withdrawn = _load_publications(decisions)
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as admin:
        admin.execute("VACUUM ANALYZE")
    return {**_facts(), "build_seconds": time.perf_counter() - started, "withdrawn": withdrawn}


def _migrate() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    facts = _facts()
    from yangguang.disclosure.models import Publication

    facts["withdrawn"] = Publication.objects.filter(status="withdrawn").count()
    return facts


def _facts() -> dict:
    """What the measurement needs to know of the data: counts, a 文号 deep in the
    list, the streets."""
    from yangguang.disclosure.models import Publication
    from yangguang.reports.models import Report

    published = Publication.objects.filter(status="published")
    count = published.count()
    middle = published.order_by("-decided_on", "-id")[count // 2]
    return {
        "reports": Report.objects.count(),
        "published": count,
        "document_number": middle.document_number,
        "streets": sorted(set(published.values_list("area", flat=True)[:2000])),
    }


TITLES = [
    ("占道经营", "当事人在人行道上摆摊设点，占用道路经营，经责令改正拒不改正。"),
    ("店外经营", "当事人超出门窗在店外经营，占用人行道约十平方米。"),
    ("违法建设", "当事人未取得建设工程规划许可证，擅自搭建彩钢板房约三十平方米。"),
    ("乱张贴小广告", "当事人在公共设施上张贴小广告四十余处，污染市容。"),
    ("渣土运输遗撒", "当事人运输渣土的车辆未采取密闭措施，沿路撒漏约二百米。"),
    ("餐饮油烟直排", "当事人未安装油烟净化设施，油烟直接排放，影响周边居民。"),
]
COMPANIES = ["建材", "物流", "广告传媒", "餐饮管理", "装饰工程", "商贸", "运输"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _load_publications(count: int) -> int:
    """``count`` published decisions, plus 2 % withdrawn, each on a decided case of
    its own. Returns how many are withdrawn."""
    from decimal import Decimal

    from django.utils import timezone

    from yangguang.cases.enums import PartyKind, Procedure, Source, Status
    from yangguang.cases.models import Case, CaseCounter, Violation
    from yangguang.disclosure.models import Publication
    from yangguang.grids.models import Grid
    from yangguang.org.enums import UnitKind
    from yangguang.org.models import Unit, User

    Case._meta.get_field("created_at").auto_now_add = False
    rng = random.Random(SEED)
    squadrons = list(Unit.objects.filter(kind=UnitKind.SQUADRON))
    creator = User.objects.get(username="zhifa1")
    reviewer = User.objects.get(username="fazhi")
    streets = sorted(
        set(Grid.objects.exclude(community__parent=None).values_list("community__parent__name"))
    )
    streets = [name for (name,) in streets]
    domains = sorted(set(Violation.objects.exclude(domain="").values_list("domain", flat=True)))
    bureau = Unit.objects.filter(parent=None).order_by("pk").first().name
    now = timezone.now()
    year = timezone.localtime(now).year
    withdrawn = count // 50
    numbers: dict[int, int] = {}
    total = count + withdrawn
    for start in range(0, total, 5000):
        cases, publications = [], []
        for index in range(start, min(start + 5000, total)):
            decided = now - dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
            day = timezone.localtime(decided).date()
            numbers[day.year] = numbers.get(day.year, 0) + 1
            number = f"阳城管罚决字〔{day.year}〕第{numbers[day.year]:06d}号"
            title, facts = rng.choice(TITLES)
            organisation = rng.random() < 0.4
            fine = Decimal(rng.choice([200, 500, 1000, 2000, 5000, 10000, 20000]))
            case = Case(
                number=f"D{year}-{index:07d}",
                procedure=Procedure.ORDINARY,
                status=Status.CLOSED,
                source=rng.choice(list(Source.values)),
                unit=rng.choice(squadrons),
                title=title,
                facts=facts,
                act_started_on=day - dt.timedelta(days=20),
                discovered_on=day - dt.timedelta(days=18),
                party_kind=PartyKind.ORGANISATION if organisation else PartyKind.INDIVIDUAL,
                party_name=f"阳光区{index}{rng.choice(COMPANIES)}有限公司"
                if organisation
                else f"{rng.choice(SURNAMES)}某{index}",
                outcome="penalty",
                penalty_kinds=["fine"],
                fine=fine,
                decided_at=decided,
                created_by=creator,
                created_at=decided - dt.timedelta(days=25),
            )
            cases.append(case)
            is_withdrawn = index >= count
            published_at = decided + dt.timedelta(days=rng.randint(1, 7))
            publications.append(
                Publication(
                    case=case,
                    status="withdrawn" if is_withdrawn else "published",
                    proposed_at=decided,
                    due_at=decided + dt.timedelta(days=9),
                    document_number=number,
                    title=title,
                    facts=facts.replace("当事人", "当事人" if organisation else "当事人某"),
                    basis="《城市市容和环境卫生管理条例》第三十六条",
                    result=f"罚款{fine:,.2f}元",
                    penalty_kinds=["fine"],
                    fine=fine,
                    party=case.party_name if organisation else case.party_name[:2],
                    party_is_organisation=organisation,
                    party_credit_code="91370811MA3C" + f"{index:06d}" if organisation else "",
                    authority=bureau,
                    category=rng.choice(domains) if domains else title,
                    area=rng.choice(streets),
                    decided_on=day,
                    content_sha256=secrets.token_hex(32),
                    verify_token=secrets.token_urlsafe(18),
                    published_at=published_at,
                    published_by=reviewer,
                    publish_until=published_at + dt.timedelta(days=5 * 365),
                    withdrawal_ground="revoked" if is_withdrawn else "",
                    withdrawal_reason="该决定已被行政复议决定撤销。" if is_withdrawn else "",
                    withdrawn_at=published_at + dt.timedelta(days=30) if is_withdrawn else None,
                )
            )
        Case.objects.bulk_create(cases)
        Publication.objects.bulk_create(publications)
    last = CaseCounter.objects.filter(year=year).values_list("last", flat=True).first() or 0
    CaseCounter.objects.update_or_create(year=year, defaults={"last": last + total})
    return withdrawn


# --- The pages ----------------------------------------------------------------------------


def _form_fields(page: bytes) -> dict[str, list[str]]:
    """The search form of /decisions/: each field's name → its kind (text, date,
    select) and, for a select, its option values."""
    text = page.decode("utf-8", errors="replace")
    form = re.search(r"<form[^>]*method=\"?get\"?[^>]*>(.*?)</form>", text, re.S | re.I)
    body = form.group(1) if form else text
    fields: dict[str, list[str]] = {}
    for tag in re.finditer(r"<input\b[^>]*>", body, re.I):
        name = re.search(r'name="([^"]+)"', tag.group())
        kind = re.search(r'type="([^"]+)"', tag.group())
        if name:
            fields[name.group(1)] = [kind.group(1) if kind else "text"]
    for select in re.finditer(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        options = re.findall(r'<option[^>]*value="([^"]*)"', select.group(2))
        fields[select.group(1)] = ["select", *[html.unescape(o) for o in options if o]]
    return fields


def _pick(fields: dict[str, list[str]], *words: str) -> str | None:
    """The field named ``words[0]`` (or the next word), else the first whose name
    holds one of them; buttons and hidden fields are not fields to fill."""
    usable = {
        name: kind
        for name, (kind, *_options) in fields.items()
        if kind not in {"hidden", "submit", "button"}
    }
    for word in words:
        if word in usable:
            return word
    for word in words:
        for name in usable:
            if word in name.lower():
                return name
    return None


def _variants(browser: Browser, built: dict) -> dict[str, str]:
    status, _headers, page = browser.request("GET", "/decisions/")
    today = dt.datetime.now(tz=UTC).date()
    variants = {}
    if status == 200:
        fields = _form_fields(page)
        print(f"  the search form's fields: {fields and {k: v[0] for k, v in fields.items()}}")
        number = _pick(fields, "number", "wenhao", "document_number", "q")
        dates = [name for name in ("from", "to") if name in fields]
        dates = dates or [name for name, (kind, *_rest) in fields.items() if kind == "date"]
        street = _pick(fields, "street", "area", "district")
        variants["first page"] = "/decisions/"
        if number:
            query = urllib.parse.urlencode({number: built["document_number"]})
            variants["文号 search"] = f"/decisions/?{query}"
        if len(dates) >= 2:
            query = urllib.parse.urlencode(
                {dates[0]: f"{today.year - 1}-03-01", dates[1]: f"{today.year - 1}-05-31"}
            )
            variants["date range"] = f"/decisions/?{query}"
        if street:
            options = fields[street][1:] or built["streets"]
            choice = options[len(options) // 2]
            variants["street filter"] = "/decisions/?" + urllib.parse.urlencode({street: choice})
        variants["deep page"] = f"/decisions/?page={built['published'] // 20 // 2}"
    else:
        print(f"  /decisions/ answered {status}: the decisions search is not measured")
    variants["statistics"] = "/statistics/"
    variants["annual statistics"] = f"/statistics/annual/{today.year}/"
    return variants


def _measure(browser: Browser, variants: dict[str, str], *, requests: int) -> dict:
    plan = [name for name in variants for _ in range(max(1, requests // len(variants)))]
    random.Random(SEED).shuffle(plan)
    for name in list(variants) * 3:  # warm-up
        _get(browser, variants[name])
        _get(browser, "/healthz")
    times: dict[str, list[float]] = {name: [] for name in variants}
    baseline: list[float] = []
    for name in plan:
        times[name].append(_get(browser, variants[name]))
        baseline.append(_get(browser, "/healthz"))
    every = [t for values in times.values() for t in values]
    base50, base95 = percentile(baseline, 50), percentile(baseline, 95)
    return {
        "requests": len(every),
        "baseline_p50_ms": ms(base50),
        "baseline_p95_ms": ms(base95),
        "by_variant": {
            name: {
                "path": variants[name],
                "requests": len(values),
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


def _explain(url: str, path: str) -> list[str]:
    """The slow page's statements, each with its EXPLAIN (ANALYZE, BUFFERS): the page is
    rendered in-process with the queries captured."""
    code = f"""
import django, json, sys
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.test.utils import override_settings
storages = {{**settings.STORAGES, "staticfiles": {{
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
with override_settings(STORAGES=storages), CaptureQueriesContext(connection) as queries:
    Client(HTTP_HOST="127.0.0.1").get({path!r})
slowest = []
with connection.cursor() as cursor:
    for query in queries.captured_queries:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        plan = [row[0] for row in cursor.fetchall()]
        slowest.append((float(query["time"]), query["sql"], plan))
slowest.sort(reverse=True)
print(json.dumps([[sql] + plan for _t, sql, plan in slowest[:2]], ensure_ascii=False))
"""
    env = django_env(data_dir=Path(tempfile.gettempdir()), database_url=url)
    env.update(YANGGUANG_HTTPS="0", SECRET_KEY=secrets.token_urlsafe(50))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return out.stdout.strip().splitlines()[-1:] or [out.stderr[-2000:]]


def _print(report: dict) -> None:
    s, p = report["settings"], report["pages"]
    print(
        f"\n{s['reports']:,} reports, {s['published_decisions']:,} published decisions "
        f"(+{s['withdrawn_decisions']:,} withdrawn), {s['server']}\n"
    )
    print(f"Baseline /healthz: p50 {p['baseline_p50_ms']} ms, p95 {p['baseline_p95_ms']} ms\n")
    print("| page | path | p50 | p95 | p50 ÷ healthz | p95 ÷ healthz |")
    print("|---|---|---:|---:|---:|---:|")
    for name, v in p["by_variant"].items():
        print(
            f"| {name} | `{v['path']}` | {v['p50_ms']} ms | {v['p95_ms']} ms | "
            f"{v['p50_ratio']}× | {v['p95_ratio']}× |"
        )
    for name in report["slow_queries"]:
        print(f"\nSlow (p95 > {SLOW_RATIO}× /healthz): {name}; EXPLAIN in the JSON file.")


if __name__ == "__main__":
    main()
