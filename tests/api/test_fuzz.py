"""The whole OpenAPI schema (/api/schema/, drf-spectacular) fuzzed by schemathesis
against the WSGI application: no server error anywhere, and every answer conforms to
the schema — its status documented (403, 404, 409, 413 … wherever they can happen),
its content type and its body (issue 10 §5). OWASP ASVS 4.0 V13.1.1/V13.2.x (the API
validates its input and answers in its format); V5.1.3.

The persona holds the posts of the command centre, the squadron and the bureau's
leadership, so that most operations get past the permission checks and into the
services; a report, a case with documents and a supervision order exist, so that small
ids find objects. ``YANGGUANG_FUZZ_EXAMPLES`` sets the examples per operation (CI keeps
the default; raise it locally to dig deeper)."""

import datetime
import os

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.test_cases_api import opening
from tests.cases.helpers import load_catalogue
from tests.factories import UserFactory
from tests.reports.helpers import submit
from yangguang.api.services import staff_token_issue
from yangguang.org.enums import PostCode
from yangguang.reports.services import supervision_issue
from yangguang.reports.workflow import report_transition

P = PostCode
EXAMPLES = int(os.environ.get("YANGGUANG_FUZZ_EXAMPLES", "12"))
# Response conformance (status, content type, body, headers) and no server errors.
# Not positive_data_acceptance: a schema-valid body may still name a category, a
# catalogue item or a report that does not exist, which the services refuse with 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


@pytest.fixture
def fuzz_world(certified, city, org_tree):
    """Objects to find, and a staff token of a persona with many posts."""
    load_catalogue()
    people = certified
    report, _token = submit(city)
    report = report_transition(report=report, verb="accept", actor=people[P.INTAKE])
    supervision_issue(
        report=report,
        actor=people[P.LEADER],
        instruction="请尽快处理",
        deadline=report.created_at + datetime.timedelta(days=3),
    )
    officer = APIClient()
    officer.force_login(people[P.OFFICER])
    case = officer.post("/api/v1/cases/", opening(people), format="json").json()
    leader = APIClient()
    leader.force_login(people[P.SQUAD_LEADER])
    leader.post(f"/api/v1/cases/{case['id']}/file/", {}, format="json")
    persona = UserFactory(
        username="fuzzer",
        unit=org_tree.bureau,
        posts=[P.INTAKE, P.DISPATCHER, P.SHIFT_LEAD, P.SQUAD_LEADER, P.OFFICER, P.LEADER],
    )
    _token, key = staff_token_issue(user=persona, name="schemathesis", actor=persona)
    # The persona gets past authentication and the posts' checks, into the services.
    reached = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {key}")
    assert (reached.status_code, reached.json()["count"]) == (200, 1)
    return key


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, called directly by schemathesis. As Django's own
    test client does, the connection is not closed around each request: on PostgreSQL
    that would close the test's transaction (SQLite's in-memory one never closes). Ask
    for it last: a request through the test client in between connects them again."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def pinned():
    """A Monday of the shipped 2026 calendar, inside the officers' certificates."""
    with time_machine.travel(datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC), tick=False):
        yield


def fuzz(operation, mode: GenerationMode, key: str) -> None:
    """``EXAMPLES`` requests to one operation, each checked (raises on the first failure)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS)

    run()


@pytest.mark.slow
def test_the_api_answers_every_request_as_its_schema_says(pinned, fuzz_world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, fuzz_world)
            except Unsatisfiable:
                continue  # nothing to send wrong (no parameters, no body)
            except (Exception, FailureGroup) as failure:  # every operation's failures, listed
                failures.append(f"{operation.label} ({mode}): {failure}")

    assert len(operations) > 60
    assert failures == [], "\n\n".join(failures)
