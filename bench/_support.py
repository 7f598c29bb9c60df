"""Shared by the record-log benchmarks: the environment a run is reported with, scratch
PostgreSQL databases, running one measurement in a child process with its own Django
settings, and sampling a process's memory while something runs.

Not a benchmark itself. The scripts beside it import it as ``_support`` (Python puts the
script's directory first on sys.path).
"""

import html
import http.client
import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path

import django
import psutil
import psycopg

RESULTS_DIR = Path(__file__).parent / "results"
REPOSITORY = Path(__file__).resolve().parent.parent
# A role with CREATEDB on the server to measure; each run creates its own database and
# drops it again.
POSTGRES_ADMIN_URL = os.environ.get(
    "YANGGUANG_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MIB = 1024 * 1024


def postgres_version() -> str | None:
    """The server's version, or None when it cannot be reached (then it is skipped)."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.OperationalError:
        return None


def _with_database(url: str, name: str) -> str:
    base, _slash, _old = url.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def scratch_postgres(name: str) -> Iterator[str]:
    """Create database ``name`` (yangguang_bench_*), yield its URL, drop it afterwards."""
    if not name.startswith("yangguang_bench_"):
        raise ValueError(f"scratch databases are named yangguang_bench_*, not {name!r}")
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(POSTGRES_ADMIN_URL, name)
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_env(*, data_dir: Path, database_url: str) -> dict[str, str]:
    """The environment of a child process that sets up Django on the given database.

    DEBUG is forced off: with it on, Django keeps every query in memory, which would
    distort both the timings and the memory figures.
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="yangguang.settings",
        DATABASE_URL=database_url,
        YANGGUANG_DATA_DIR=str(data_dir),
        DEBUG="0",
    )
    return env


def run_child(script: str, role: str, args: list[str], env: dict[str, str]) -> dict:
    """Run ``script --role ROLE ARGS --out FILE`` and return the JSON it wrote to FILE.

    Each measurement gets a fresh interpreter: Django reads its settings (the database)
    from the environment once, and memory figures are not inflated by earlier phases.
    """
    with tempfile.TemporaryDirectory(prefix="yangguang-bench-") as scratch:
        out = Path(scratch) / "result.json"
        command = [sys.executable, script, "--role", role, "--out", str(out), *args]
        completed = subprocess.run(command, env=env, cwd=REPOSITORY, check=False)
        if completed.returncode != 0:
            sys.exit(f"{Path(script).name} --role {role} failed (exit {completed.returncode}).")
        return json.loads(out.read_text(encoding="utf-8"))


def write_child_result(out: str, result: dict) -> None:
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


def write_results(name: str, report: dict) -> Path:
    path = RESULTS_DIR / f"{name}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def environment(**extra: object) -> dict:
    return {
        "python": platform.python_version(),
        "django": django.__version__,
        "sqlite": sqlite3.sqlite_version,
        "psycopg": psycopg.__version__,
        "postgresql": postgres_version(),
        "machine": platform.machine(),
        "system": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        **extra,
    }


class PeakSampler:
    """Samples ``measure()`` (bytes) every ``interval`` seconds in a thread; keeps the peak.

    Use as a context manager around what is measured. ``peak`` also takes one sample at
    the start and one at the end, so even a very short phase has a figure.
    """

    def __init__(self, measure: Callable[[], int], interval: float = 0.02) -> None:
        self.measure = measure
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        try:
            value = self.measure()
        except psutil.Error:  # the process ended while we looked
            return
        self.samples += 1
        self.peak = max(self.peak, value)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakSampler":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def rss(process: psutil.Process, *, children: bool = False) -> int:
    """Resident set size in bytes, with the process's descendants' when asked."""
    total = process.memory_info().rss
    if children:
        for child in process.children(recursive=True):
            with suppress(psutil.NoSuchProcess):
                total += child.memory_info().rss
    return total


def timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


# --- A served instance and a client for it -------------------------------------------------


def run_logged(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("wb") as out:
        completed = subprocess.run(
            command, check=False, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if completed.returncode != 0:
        print(log.read_text(encoding="utf-8", errors="replace")[-4000:])
        raise SystemExit(f"{' '.join(command)} failed (exit {completed.returncode})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(server: subprocess.Popen, browser: "Browser", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited (code {server.returncode})")
        try:
            status, _headers, _body = browser.request("GET", "/staff/login/")
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        raise SystemExit(f"GET /staff/login/ answered {status}")
    raise SystemExit(f"the server did not answer within {seconds:.0f} s")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM to the gunicorn master (a graceful stop of its worker), then SIGKILL."""
    if server.poll() is not None:
        return
    try:
        workers = psutil.Process(server.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        workers = []
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    for worker in workers:
        if worker.is_running():
            worker.kill()


def csrf_token(page: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        raise SystemExit("no CSRF token in the page")
    return html.unescape(found.group(1).decode("ascii"))


class Browser:
    """Just enough of a browser: cookies, a fresh connection per request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cookie_header(self) -> str:
        return "; ".join(f"{key}={value}" for key, value in self.cookies.items())

    def remember(self, message: http.client.HTTPMessage) -> None:
        for header in message.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            all_headers = {"Cookie": self.cookie_header(), **(headers or {})}
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        self.remember(response.msg)
        return response.status, response.msg, content

    def open(
        self, method: str, path: str
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        """Send a request and return the response unread, to stream a large body; the
        caller closes the connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.request(method, path, headers={"Cookie": self.cookie_header()})
        return connection, connection.getresponse()

    def login(self, username: str, password: str) -> None:
        path = "/staff/login/"
        status, _headers, page = self.request("GET", path)
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(page)}
        ).encode("ascii")
        status, headers, _page = self.request(
            "POST",
            path,
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.url(path),
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed: {status} {headers.get('Location')}")


def percentile(values: list[float], p: int) -> float:
    """The ``p``-th percentile (inclusive method), as every benchmark reports it."""
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def timed_get(browser: "Browser", path: str, expected: bytes) -> float:
    """Seconds a GET of ``path`` took; exits unless it answered 200 with ``expected``."""
    started = time.perf_counter()
    status, _headers, body = browser.request("GET", path)
    elapsed = time.perf_counter() - started
    if status != 200 or expected not in body:
        raise SystemExit(f"GET {path} answered {status} without the expected content")
    return elapsed
