"""The demo city (issue: at least 4 streets, 12 communities, 200 grids tiling the
district, one user per post, all categories, this and next year's calendar)."""

import datetime
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from yangguang.categories.models import Category
from yangguang.core.demo import DEMO_PASSWORD, demo_city_load, demo_logins
from yangguang.grids.models import Grid
from yangguang.grids.selectors import grid_at
from yangguang.org.enums import PostCode, UnitKind
from yangguang.org.models import Unit, User
from yangguang.records.models import Evidence
from yangguang.records.verify import chain_verify
from yangguang.worktime.models import CalendarYear

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def demo(db):
    assert demo_city_load(today=TODAY) is True


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "grids": Grid.objects.count(),
        "categories": Category.objects.count(),
        "years": CalendarYear.objects.count(),
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
    for login in demo_logins():
        assert client.login(username=login.username, password=DEMO_PASSWORD), login.username
        assert client.get(reverse("backoffice:home")).status_code == 200


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
    photo = Evidence.objects.get()
    assert (photo.kind, photo.uploaded_by.username) == ("photo", "zhifa1")
    assert photo.taken_at is not None
    assert photo.latitude is not None
    assert chain_verify(evidence=True).ok


def test_loading_the_demo_twice_duplicates_nothing(demo):
    before = counts()
    assert demo_city_load(today=TODAY) is False
    assert counts() == before


def test_demo_officers_include_one_with_an_expired_certificate(demo):
    expired = User.objects.get(username="zhifa3").certificates.get()
    assert expired.valid_to < TODAY


def run_yangguang(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
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
