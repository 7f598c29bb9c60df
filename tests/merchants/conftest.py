"""The cases tests' personas and catalogue, for credit from decided cases."""

from tests.cases.conftest import people  # noqa: F401
