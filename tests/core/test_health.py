"""The liveness check the reverse proxy and the benchmarks call."""


def test_health_answers_json_without_login_or_database(client):
    # No django_db mark: pytest-django makes any database access fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
