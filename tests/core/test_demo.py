"""The demo city (issue: at least 4 streets, 12 communities, 200 grids tiling the
district, one user per post, all categories, this and next year's calendar)."""

import datetime
import os
import signal
import subprocess
import sys
import time
import urllib.request
import zoneinfo
from pathlib import Path

import pytest
from django.urls import reverse

from yangguang.cases.models import Case
from yangguang.categories.models import Category
from yangguang.core.demo import DEMO_PASSWORD, demo_city_load, demo_logins
from yangguang.grids.models import Grid
from yangguang.grids.selectors import grid_at
from yangguang.notify.models import Message
from yangguang.org.enums import CertificateStatus, PostCode, UnitKind
from yangguang.org.models import Certificate, Unit, User
from yangguang.records.models import Evidence, RecordEntry
from yangguang.records.verify import chain_verify
from yangguang.reports.models import Report
from yangguang.worktime.models import CalendarYear

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)  # a Monday
TODAY = NOW.date()


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert demo_city_load().created is True


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "grids": Grid.objects.count(),
        "categories": Category.objects.count(),
        "years": CalendarYear.objects.count(),
        "reports": Report.objects.count(),
        "cases": Case.objects.count(),
        "messages": Message.objects.count(),
        "records": RecordEntry.objects.count(),
    }


def test_demo_city_has_the_required_size(demo):
    assert Unit.objects.filter(kind=UnitKind.STREET).count() >= 4
    assert Unit.objects.filter(kind=UnitKind.COMMUNITY).count() >= 12
    assert Grid.objects.count() >= 200
    assert Unit.objects.filter(kind=UnitKind.SQUADRON).count() >= 2
    assert Unit.objects.filter(kind=UnitKind.HANDLING, is_external=True).count() >= 5
    assert Category.objects.count() == 403


def test_demo_city_has_a_login_per_post(demo):
    holders = {code for code in PostCode if User.objects.filter(posts__code=code).exists()}
    assert holders == set(PostCode)
    assert {login.post for login in demo_logins()} == set(PostCode)


def test_demo_logins_work(client, demo):
    """Through the sign-in page: the administrators and the leader are led to enrol
    their authenticator first (等保2.0 GB/T 22239-2019 8.1.4.1 d), the others reach home."""
    for login in demo_logins():
        client.cookies.clear()
        response = client.post(
            reverse("backoffice:login"), {"username": login.username, "password": DEMO_PASSWORD}
        )
        step = "backoffice:login_enrol" if login.second_factor else "backoffice:home"
        assert (response.status_code, response.url) == (302, reverse(step)), login.username
    assert {login.post for login in demo_logins() if login.second_factor} == {
        PostCode.LEADER,
        PostCode.SYSTEM_ADMIN,
        PostCode.SECURITY_ADMIN,
        PostCode.AUDIT_ADMIN,
    }


def test_demo_loads_this_and_next_years_calendar(demo):
    years = {year.year: year.is_provisional for year in CalendarYear.objects.all()}
    assert years[2026] is False
    assert 2027 in years


def test_every_demo_grid_has_a_squadron_and_an_officer(demo):
    assert Grid.objects.filter(squadron__isnull=True).count() == 0
    assert Grid.objects.filter(officers__isnull=True).count() == 0


def test_demo_grids_tile_each_community(demo):
    """Grid codes are the community's 12 digits + a sequence; grids cover ~1–3 ha."""
    for grid in Grid.objects.select_related("community"):
        assert grid.code[:12] == grid.community.code
        assert 5_000 < grid.area_m2 < 50_000


def test_a_point_in_the_demo_district_finds_its_grid(demo):
    grid = Grid.objects.order_by("code")[17]
    centre_lon = (grid.min_lon + grid.max_lon) / 2
    centre_lat = (grid.min_lat + grid.max_lat) / 2
    found = grid_at(lon=centre_lon, lat=centre_lat)
    assert found is not None
    assert found.community.parent.kind == UnitKind.STREET


def test_demo_has_a_patrol_photo_with_exif_in_the_record(demo):
    photo = Evidence.objects.get(original_name="巡查照片.jpg")
    assert (photo.kind, photo.uploaded_by.username) == ("photo", "zhifa1")
    assert photo.taken_at is not None
    assert photo.latitude is not None
    assert chain_verify(evidence=True).ok


def test_loading_the_demo_twice_duplicates_nothing(demo):
    before = counts()
    assert demo_city_load().created is False
    assert counts() == before


def test_demo_officers_include_one_with_an_expired_certificate(demo):
    expired = User.objects.get(username="zhifa3").certificates.get()
    assert expired.valid_to < TODAY


def test_demo_officers_include_a_suspended_one_and_every_card_says_what_and_where(demo):
    suspended = User.objects.get(username="zhifa4").certificates.get()
    assert suspended.status == CertificateStatus.SUSPENDED
    assert not Certificate.objects.filter(enforcement_category="").exists()
    assert not Certificate.objects.filter(enforcement_area="").exists()


def run_yangguang(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "YANGGUANG_HTTPS"}
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and CLI
        [sys.executable, "-m", "yangguang.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_demo_command_prepares_and_prints_the_logins(tmp_path):
    first = run_yangguang("demo", "--no-serve", YANGGUANG_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:8000/" in first.stdout
    for login in demo_logins():
        assert login.username in first.stdout
    assert (tmp_path / "yangguang.sqlite3").exists()
    again = run_yangguang("demo", "--no-serve", YANGGUANG_DATA_DIR=str(tmp_path))
    assert again.returncode == 0, again.stderr
    reset = run_yangguang(
        "demo", "--no-serve", "--reset", "--port", "8765", YANGGUANG_DATA_DIR=str(tmp_path)
    )
    assert reset.returncode == 0, reset.stderr
    assert "http://127.0.0.1:8765/" in reset.stdout


def test_demo_refuses_a_postgresql_database(tmp_path):
    result = run_yangguang(
        "demo",
        "--no-serve",
        YANGGUANG_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/not_used",
    )
    assert result.returncode != 0
    assert "SQLite" in result.stderr


def test_demo_reports_cover_the_loop_with_every_finished_report_answered(demo):
    from yangguang.reports.enums import Status
    from yangguang.reports.indicators import indicators
    from yangguang.reports.models import Report

    statuses = set(Report.objects.values_list("status", flat=True))
    assert {
        Status.SUBMITTED,
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.HANDLED,
        Status.CLOSED,
    } <= statuses
    assert indicators(Report.objects.all()).feedback_rate == 100


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shell(code: str, data_dir: Path) -> str:
    result = run_yangguang("shell", "-c", code, YANGGUANG_DATA_DIR=str(data_dir))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the automatic-imports notice


@pytest.mark.slow
def test_served_demo_runs_the_worker_that_sends_replies(tmp_path):
    """A served demo must be usable end to end: a report closes only once its reply is
    sent, so the demo starts the worker with the web server and stops it with it."""
    assert run_yangguang("demo", "--no-serve", YANGGUANG_DATA_DIR=str(tmp_path)).returncode == 0
    queued = shell(
        "from yangguang.notify.services import message_enqueue as q;"
        "print(q(phone='13900000000', body='测试', purpose='reply').pk)",
        tmp_path,
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and CLI
        [sys.executable, "-m", "yangguang.cli", "demo", "--port", str(port)],
        env={**clean, "YANGGUANG_DATA_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    status_of = (
        f"from yangguang.notify.models import Message as M;print(M.objects.get(pk={queued}).status)"
    )
    try:
        deadline = time.monotonic() + 120
        while shell(status_of, tmp_path) != "sent":
            assert server.poll() is None, "the demo stopped"
            assert time.monotonic() < deadline, "the queued message was never sent"
            time.sleep(1)
        while not answers(f"http://127.0.0.1:{port}/"):
            assert time.monotonic() < deadline, "the demo never answered"
            time.sleep(1)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    assert not worker_processes(tmp_path), "the worker outlived the demo"


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status == 200
    except OSError:
        return False


def worker_processes(data_dir: Path) -> list[int]:
    """Worker processes started for this data directory (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"worker" in command and str(data_dir).encode() in environ:
            found.append(int(entry.name))
    return found
