"""The health check (/healthz: the process and its database) and the liveness check
(/livez: the process only) that the reverse proxy, monitoring and the benchmarks call.
等保2.0 GB/T 22239-2019 8.1.5.4 (集中管控: the running state is monitored)."""

import contextlib
import copy

from django.db import DEFAULT_DB_ALIAS, connections


@contextlib.contextmanager
def unreachable_database():
    """The default database swapped, for this thread, for one that cannot be reached:
    a SQLite file in a directory that does not exist, or a PostgreSQL server on a port
    where nothing listens. A real connection attempt fails, as when the server is down."""
    original = connections[DEFAULT_DB_ALIAS]
    settings_dict = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent/yangguang/unreachable.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1", NAME="unreachable")
    broken = original.__class__(settings_dict, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = original
        broken.close()


def test_health_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_with_json_when_the_database_is_unreachable(client, django_db_blocker):
    """The outside probe of issue 10 found /healthz answering 200 with the database down."""
    with django_db_blocker.unblock(), unreachable_database():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert "no-cache" in response["Cache-Control"]


def test_liveness_answers_without_login_or_database(client):
    # No django_db mark: pytest-django makes any database access fail this test.
    response = client.get("/livez")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_liveness_answers_while_the_database_is_unreachable(client, django_db_blocker):
    with django_db_blocker.unblock(), unreachable_database():
        response = client.get("/livez")

    assert response.status_code == 200


def test_health_and_liveness_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/livez").status_code == 405
