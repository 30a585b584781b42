"""Schemathesis against the API's own OpenAPI description, in process (no server).

For every operation it generates requests that fit the schema and requests that do not, sends them
with a token, and checks each answer: no server error, only status codes the schema declares, bodies
and headers as declared, 401 without the token, invalid input refused and valid input accepted. It
runs once with an administrator's token (everything allowed) and once with a researcher's (so each
403 must be declared too).

Each operation gets its own Hypothesis run over one database, rather than schemathesis's pytest
plugin: its ``from_fixture`` loader does not run under pytest 9 (it sets ``Function._nodeid``).
``VIGIL_API_FUZZ_EXAMPLES`` raises the number of examples (default 25 per operation and mode);
``VIGIL_API_FUZZ_RANDOM=1`` draws new examples on every run instead of the same ones.
"""

from __future__ import annotations

import logging
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.auths import AuthStorage
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import token_for, user_with
from django.core.handlers.wsgi import WSGIHandler

#: The intake format has rules a JSON schema cannot state (a real calendar date, a place code that
#: exists, a ref not yet on record): a request that fits the schema may still be refused with 422.
SEMANTIC_422 = {"POST /api/v1/intake/testimonies"}

EXAMPLES = int(os.environ.get("VIGIL_API_FUZZ_EXAMPLES", "25"))
RANDOM = os.environ.get("VIGIL_API_FUZZ_RANDOM") == "1"


class BearerToken:
    """Schemathesis auth provider: every generated request carries the token (so that the generator
    knows the header is supplied, and does not count a request it made invalid only by its
    Authorization header as one the API accepted)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    def get(self, case: schemathesis.Case, ctx: schemathesis.AuthContext) -> str:
        return self.secret

    def set(self, case: schemathesis.Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests go through the WSGI application, not Django's test client: like the test client, keep
    Django from closing the database connection after each request (it holds the test's transaction),
    and quiet the warning Django logs for each of the thousands of expected 4xx answers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "researcher"])
def test_api_conforms_to_its_schema(api_data, django_user_model, wsgi_in_test_transaction, role):
    """No operation answers a server error, an undeclared status code or a body its schema does not describe."""
    auth = AuthStorage(providers=[BearerToken(token_for(user_with(django_user_model, f"fuzz-{role}", role)))])
    # A fresh handler: middleware reads settings when built, and the tests' settings are not the module's.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19, [op.label for op in operations]
    failures: dict[str, str] = {}
    statuses: dict[str, set[int]] = {op.label: set() for op in operations}
    for operation in operations:
        excluded = [positive_data_acceptance] if operation.label in SEMANTIC_422 else []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode, auth_storage=auth))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM, suppress_health_check=list(HealthCheck), print_blob=True)
            def run(case: schemathesis.Case) -> None:
                statuses[case.operation.label].add(case.call_and_validate(excluded_checks=excluded).status_code)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; failures are reported together
                failures[f"{operation.label} [{mode.value}]"] = f"{type(exc).__name__}: {exc}"
    # The token was sent: every operation answered something besides 401 (a broken token would pass
    # the checks above, since a 401 is declared everywhere).
    assert all(codes - {401} for codes in statuses.values()), statuses
    if role == "researcher":
        assert 403 in statuses["GET /api/v1/matches/"] and 200 in statuses["GET /api/v1/persons/"]
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())
