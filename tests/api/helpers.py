"""Helpers for the REST API tests: clients acting as a persona, in English so that
messages can be compared with their msgids."""

from rest_framework.test import APIClient

from yangguang.org.models import User


def api_client() -> APIClient:
    client = APIClient()
    client.cookies["django_language"] = "en"
    return client


def api_as(user: User) -> APIClient:
    """A client logged in as ``user`` (a browser session, as the staff pages use)."""
    client = api_client()
    client.force_login(user)
    return client


def error_of(response) -> dict:
    """The error object of an error response, checking the one error shape."""
    body = response.json()
    assert list(body) == ["error"]
    assert sorted(body["error"]) == ["code", "fields", "message"]
    return body["error"]
