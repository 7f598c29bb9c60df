"""The cases tests' personas and catalogue, shared by the disclosure tests."""

from tests.cases.conftest import people  # noqa: F401
