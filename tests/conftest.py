import datetime
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import translation

from tests.factories import CertificateFactory, UnitFactory, UserFactory
from yangguang.org.enums import PostCode, UnitKind
from yangguang.org.models import HandlingUnitType


def pytest_configure(config):
    """``YANGGUANG_TEST_CLOCK=2027-12-02T18:00:00Z`` runs the whole suite with the clock
    moved there (and ticking), as CI does once: a test that reads the wall clock instead
    of pinning "now" fails. Tests that pin their own instant are unaffected."""
    moved_to = os.environ.get("YANGGUANG_TEST_CLOCK")
    if moved_to:
        traveller = time_machine.travel(datetime.datetime.fromisoformat(moved_to), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _test_client_settings(settings, tmp_path):
    """Pages are rendered without collectstatic (no manifest, and WhiteNoise warns — an
    error here — when STATIC_ROOT is missing), the test client speaks plain HTTP, and
    evidence files go to a temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": None},
        },
    }
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True, scope="session")
def _static_root_exists():
    """The live server (a session fixture) starts WhiteNoise with the configured
    STATIC_ROOT, which warns (an error here) when the directory is missing."""
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _record_tables_flushable(request):
    """A transactional test ends with Django's flush, a TRUNCATE of every table, which
    the record tables refuse on PostgreSQL (records migration 0003). So its teardown
    switches triggers off first, as only a superuser can, on a connection Django closes
    right after the flush."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        marker is not None and bool(marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    ) or any(name in request.fixturenames for name in ("transactional_db", "live_server"))
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before, so flushed after, this
    yield
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and the like must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service messages are asserted in English (the msgids); pages render in Chinese,
    which the page tests assert, because the middleware activates zh-hans per request."""
    with translation.override("en"):
        yield


@pytest.fixture
def org_tree(db):
    """A small bureau: command centre, legal office, two squadrons, a handling unit, a
    sub-district with two communities."""
    bureau = UnitFactory(name="测试局", kind=UnitKind.BUREAU)
    brigade = UnitFactory(name="执法大队", kind=UnitKind.BRIGADE, parent=bureau)
    municipal = HandlingUnitType.objects.get(code="municipal")
    street = UnitFactory(name="东街道", kind=UnitKind.STREET, parent=bureau, code="370899001000")
    return SimpleNamespace(
        bureau=bureau,
        command=UnitFactory(name="指挥中心", kind=UnitKind.OFFICE, parent=bureau),
        legal=UnitFactory(name="法制科", kind=UnitKind.OFFICE, parent=bureau),
        it=UnitFactory(name="信息科", kind=UnitKind.OFFICE, parent=bureau),
        brigade=brigade,
        squadron1=UnitFactory(name="第一中队", kind=UnitKind.SQUADRON, parent=brigade, code="ZD01"),
        squadron2=UnitFactory(name="第二中队", kind=UnitKind.SQUADRON, parent=brigade, code="ZD02"),
        municipal=UnitFactory(
            name="市政处", kind=UnitKind.HANDLING, parent=bureau, handling_type=municipal
        ),
        street=street,
        community1=UnitFactory(
            name="一社区", kind=UnitKind.COMMUNITY, parent=street, code="370899001001"
        ),
        community2=UnitFactory(
            name="二社区", kind=UnitKind.COMMUNITY, parent=street, code="370899001002"
        ),
    )


# Where each post's persona works in org_tree.
PERSONA_UNITS = {
    PostCode.INTAKE: "command",
    PostCode.DISPATCHER: "command",
    PostCode.SHIFT_LEAD: "command",
    PostCode.INSPECTOR: "squadron1",
    PostCode.OFFICER: "squadron1",
    PostCode.SQUAD_LEADER: "squadron1",
    PostCode.LEGAL_REVIEWER: "legal",
    PostCode.LEADER: "bureau",
    PostCode.HANDLER: "municipal",
    PostCode.SYSTEM_ADMIN: "it",
    PostCode.SECURITY_ADMIN: "it",
    PostCode.AUDIT_ADMIN: "it",
}


@pytest.fixture
def personas(org_tree):
    """One account per post, named by post code, each with a mobile number."""
    people = {}
    for number, (code, unit_key) in enumerate(PERSONA_UNITS.items(), start=1):
        people[code] = UserFactory(
            username=str(code),
            name=f"{code}用户",
            unit=getattr(org_tree, unit_key),
            posts=[code],
            phone=f"1380000{number:04d}",
        )
    return people


@pytest.fixture
def certified(personas):
    """Certificates for the officer and the squadron leader, valid from before any date
    a test uses until long after any day the suite may run (the factory's default;
    tests of expiry set their own dates)."""
    for code in (PostCode.OFFICER, PostCode.SQUAD_LEADER):
        CertificateFactory(
            holder=personas[code],
            valid_from=datetime.date(2024, 1, 1),
        )
    return personas


@pytest.fixture
def city(personas, org_tree):
    """Two grids of community 1, patrolled by squadron 1, whose grid officer is the
    inspector persona; and the street-lamp category (a component owned by 市政)."""
    from tests.grids.test_import import collection, feature, square
    from yangguang.categories.models import Category
    from yangguang.grids.services import grids_import

    grids_import(
        collection=collection(
            [
                feature("370899001001001", square(0, 0), squadron="ZD01", officers=["inspector"]),
                feature("370899001001002", square(1, 0), squadron="ZD01"),
            ]
        )
    )
    lamp = Category.objects.get(standard__code="GB/T 47678.5-2026", kind="component", code="01037")
    return SimpleNamespace(people=personas, org=org_tree, lamp=lamp)
