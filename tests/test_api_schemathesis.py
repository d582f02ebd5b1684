"""The API under schemathesis: every operation with generated requests, valid and invalid, and the stateful
links between them; no answer is a server error and every answer is one the OpenAPI document describes.

The requests go through the WSGI application in this process (no port to pick), as the provider's
administrator with an API token: the role that reaches most operations. The data is a played week of
Globex tickets and a stored weekly report, so that paths naming a ticket or a report find one. Bounded:
a few examples per operation and mode, no shrinking, so that the run takes well under a minute.
"""

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from servicepact.accounts.tokens import create_token
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import WEEK, play_week

# What the answers are held to. Not negative_data_rejection: it counts an object sent as a query parameter
# as refused data, while the form style sends its members as other parameters, which the API ignores
# (tests/test_api_hostile_input.py holds the refusals: unknown fields, repeated parameters, content types).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Examples per operation and mode; SERVICEPACT_API_FUZZ_EXAMPLES runs a longer search locally.
EXAMPLES_EACH = int(os.environ.get("SERVICEPACT_API_FUZZ_EXAMPLES", "6"))
EXAMPLES = {GenerationMode.POSITIVE: EXAMPLES_EACH, GenerationMode.NEGATIVE: EXAMPLES_EACH}
# The same requests on every run of the suite (a failure in CI is the one seen locally); a longer local
# search (SERVICEPACT_API_FUZZ_EXAMPLES) draws new ones.
DERANDOMIZE = "SERVICEPACT_API_FUZZ_EXAMPLES" not in os.environ


@pytest.fixture
def administrator_token(world, settings) -> Iterator[str]:
    settings.SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE = 1_000_000  # the run sends hundreds of requests a minute
    play_week(world)
    generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))
    _token, secret = create_token(actor=world.people["administrator"], name="schemathesis")
    yield secret
    # The throttle counts requests per token id in the cache; the next test's token may have the same id.
    cache.clear()


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI application, without the per-request closing of database connections, as Django's own test
    client runs it: the requests run inside the test's transaction, which closing would end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def schema(administrator_token, wsgi_in_test_transaction):
    return schemathesis.openapi.from_wsgi(
        "/api/openapi.json",
        wsgi_in_test_transaction,
        headers={"Authorization": f"Bearer {administrator_token}"},
    )


# A create the administrator may make: on the customer's behalf, for its requester.
TICKET_IN_THE_WORLD = {
    "contract": "globex-ito",
    "service": "sap-erp",
    "title": "Invoices cannot be posted",
    "impact": "high",
    "urgency": "medium",
    "kind": "incident",
    "category": "",
    "requester": "requester@example.test",
    "priority": None,
    "priority_reason": "",
    "description": "",
}


def without_session_cookie(case) -> None:
    """The cases authenticate with the token; a generated session cookie would only add the CSRF check that
    cookie sessions need (a 403 for every write), leaving the operations themselves untried."""
    case.cookies = {}


def _failure_text(operation, mode, error: BaseException) -> str:
    return f"{operation.method.upper()} {operation.path} ({mode}): {error}"


@pytest.mark.django_db(transaction=False)
def test_every_operation_answers_without_server_errors_and_as_documented(schema, administrator_token):
    headers = {"Authorization": f"Bearer {administrator_token}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        for mode, count in EXAMPLES.items():

            @settings(
                max_examples=count,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                database=None,
                derandomize=DERANDOMIZE,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                without_session_cookie(case)
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  (collected: one run names every failure)
                failures.append(_failure_text(operation, mode, error))
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db(transaction=False)
def test_the_links_between_operations_lead_to_documented_answers(schema, administrator_token):
    """The stateful run: a ticket created, then read, answered, resolved, reopened or closed through the
    OpenAPI links (openapi.py), a token created then revoked, a version registered then signed."""
    headers = {"Authorization": f"Bearer {administrator_token}"}
    links = [
        link
        for operations in schema.raw_schema["paths"].values()
        for operation in operations.values()
        for answer in operation["responses"].values()
        for link in answer.get("links", {}).values()
    ]
    assert len(links) >= 10

    answered: list[tuple[str, int]] = []
    created: set[str] = set()
    followed: list[str] = []  # operations called with the number of a ticket created before them

    # The linked operations live under these tags; with every app's operations in the machine, a short run
    # would rarely reach a ticket's links.
    linked = schema.include(tag=["tickets", "accounts", "contracts"])

    class Workflow(linked.as_state_machine()):
        def setup(self):
            # each scenario starts from the same data: hypothesis replays scenarios and needs them to answer alike
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def before_call(self, case):
            without_session_cookie(case)
            if case.operation.label == "POST /api/tickets":
                # generated contracts and services are unknown words: make the create land, so that the
                # links from its answer are followed with the ticket's number
                case.body = dict(TICKET_IN_THE_WORLD)
                case.headers = {key: value for key, value in (case.headers or {}).items() if key != "Idempotency-Key"}

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            answered.append((case.operation.label, response.status_code))
            if (case.path_parameters or {}).get("number") in created:
                followed.append(case.operation.label)
            if case.operation.label == "POST /api/tickets" and response.status_code == 201:
                created.add(response.json()["number"])

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Workflow.run(
        settings=settings(
            max_examples=EXAMPLES_EACH * 2,
            stateful_step_count=6,
            deadline=None,
            database=None,
            derandomize=DERANDOMIZE,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    # the links were followed: tickets were created, and operations on them called with their numbers
    assert created and followed, sorted(set(answered))
