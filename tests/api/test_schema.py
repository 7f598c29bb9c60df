"""The OpenAPI description of the REST API is complete (no warnings) and valid."""

import yaml
from django.core.management import call_command
from django.urls import reverse

from tests.api.helpers import api_client


def test_schema_validates_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert "/api/v1/reports/{id}/dispatch/" in schema["paths"]
    assert "/api/v1/events/" in schema["paths"]
    assert "/api/v1/cases/{id}/decide/" in schema["paths"]


def test_schema_is_served_as_yaml_and_json(db):
    client = api_client()
    assert client.get(reverse("api:schema")).status_code == 200
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Yangguang API"
