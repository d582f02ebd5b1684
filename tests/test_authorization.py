"""Every API operation and every web page, requested by every kind of person: status and side effects.

The operations are enumerated from the NinjaAPI object and the pages from the URL resolver, so a new
endpoint or page is covered the day it lands: an API operation with no line in the expectation table
fails, and so does a page with neither a line of its own nor a rule for its namespace
(tests/authorization_matrix.py). Each request runs inside a savepoint that is rolled back, so that every
person meets the same ticket; a refused request must leave the tickets, their events and clocks, the
attachments and the API tokens exactly as they were.
"""

import copy
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from servicepact.accounts.models import ApiToken, Membership, Organization, Team, User
from servicepact.api import api
from servicepact.availability.actions import record_outage
from servicepact.availability.models import Outage
from servicepact.continuity.actions import write_plan
from servicepact.continuity.models import ContinuityPlan, PlanTest
from servicepact.contracts.models import ContractVersion, Service
from servicepact.desk import actions
from servicepact.desk.models import Attachment, RoutingRule, Ticket, TicketEvent
from servicepact.imports.models import ImportRun
from servicepact.notify.models import Notice
from servicepact.notify.notices import post_notices
from servicepact.permissions.declared import declared_permission
from servicepact.slm.models import ClockState, Restatement
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from tests.authorization_backtest import backtest_values
from tests.authorization_catalog import CATALOG_API, CATALOG_BODIES, CATALOG_PAGES, catalog_rows, catalog_values
from tests.authorization_cmdb import CMDB_BODIES, cmdb_rows, cmdb_values
from tests.authorization_matrix import (
    API,
    NAMESPACE_RULES,
    PAGES,
    PEOPLE,
    SECOND_VERSION,
    SEES_TICKET,
    SKIPPED_NAMESPACES,
    NamespaceRule,
    Page,
    TeamKey,
)
from tests.authorization_oncall import ONCALL_BODIES, ONCALL_PATHS, oncall_rows, oncall_values
from tests.authorization_problems import PROBLEM_BODIES, problem_rows, problem_values

# Bodies of the API operations that take one; anything not listed sends an empty JSON object.
API_BODIES = {
    "register_contract_version": {"source": SECOND_VERSION},
    "create_token": {"name": "laptop"},
    "answer_survey": {"score": 4},
    "create_ticket": {
        "contract": "globex-ito",
        "service": "sap-erp",
        "title": "Printer queue stuck",
        "impact": "low",
        "urgency": "low",
        "requester": "requester@example.test",
    },
    "transition_ticket": {"status": "in_progress"},
    "reply_to_ticket": {"body": "Any news?"},
    "add_ticket_note": {"body": "Checked the logs."},
    "assign_ticket": {"team": "globex-security", "reason": "SSO certificate"},
    "change_ticket_priority": {"impact": "high", "urgency": "high", "reason": "Plant stopped"},
    "correct_ticket_classification": {"service": "sso", "reason": "The SSO certificate expired, not SAP"},
    "resolve_ticket": {"resolution": "Fixed."},
    "update_ticket": {"title": "SAP posting fails since Monday"},
    "set_ticket_assignee": {"assignee": "resolver@example.test"},
    "add_ticket_watcher": {"user": "requester@example.test"},
    "restate_report": {"reason": "Calendar corrected"},
    "restate_ticket": {"version": 1, "reason": "Calendar corrected"},
    "reopen_ticket": {"reason": "Still failing."},
    "link_ticket": {"kind": "relates_to", "target": "INC9999999"},
    "remove_ticket_link": {"reason": "Not related"},
    "merge_ticket": {"survivor": "INC9999999", "reason": "Same outage"},
    "record_outage": {"service": "sap-erp", "start": "2026-03-10T10:00:00Z"},
    "end_outage": {"end": "2026-03-10T11:00:00Z"},
    "correct_outage": {"reason": "Monitoring showed an earlier start", "start": "2026-03-10T08:30:00Z"},
    "write_continuity_plan": {"service": "sso", "title": "SSO fail-over"},
    "record_continuity_test": {"tested_on": "2026-03-10", "result": "passed"},
    "create_time_entry": {"day": "2026-03-02", "hours": "1", "role": "engineer", "activity": "Review"},
    "approve_time_week": {"person": "resolver@example.test", "week": "2026-W10"},
    "issue_invoice": {"month": "2026-03"},
}
API_BODIES.update(PROBLEM_BODIES)
# Operations whose path's {number} is a contract version's.
API_BODIES.update(CMDB_BODIES)
CONTRACT_VERSION_OPERATIONS = {"get_contract_version", "diff_contract_version", "sign_contract_version"}
UPLOADS = {"add_ticket_attachment", "desk:attach"}
# Path parameters of API operations; contracts and teams are named by their slug.
API_PATH_VALUES = {"get_team": {"slug": "globex-security"}}
API_BODIES.update(ONCALL_BODIES)
API_BODIES.update(CATALOG_BODIES)
API.update(CATALOG_API)
PAGES.update(CATALOG_PAGES)
API_PATH_VALUES.update(ONCALL_PATHS)
API_PATH_VALUES["get_invoice"] = {"month": "2026-03"}
API_PATH_VALUES["delete_time_entry"] = {"entry_id": 1}
API_PATH_VALUES["remove_ticket_link"] = {"link_id": 999999}


@dataclass(frozen=True)
class ApiOperation:
    operation_id: str
    method: str
    path: str
    view: object


@dataclass(frozen=True)
class WebPage:
    name: str  # "namespace:name"
    namespace: str
    parameters: tuple[str, ...]


def api_operations() -> list[ApiOperation]:
    views = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                views[operation.operation_id or api.get_operation_id(operation)] = operation.view_func
    schema = api.get_openapi_schema(path_prefix="/api/")
    found = []
    for path, methods in schema["paths"].items():
        for method, detail in methods.items():
            found.append(ApiOperation(detail["operationId"], method.upper(), path, views[detail["operationId"]]))
    return found


def _walk(patterns, namespace: str) -> Iterator[WebPage]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = (
                f"{namespace}:{entry.name}"
                if namespace and entry.name
                else (entry.name or f"{namespace}:?{entry.pattern}")
            )
            parameters = tuple(entry.pattern.regex.groupindex)
            yield WebPage(name, namespace, parameters)


def web_pages() -> list[WebPage]:
    top = {page.namespace.split(":")[0] for page in _walk(get_resolver().url_patterns, "")}
    pages = [
        page
        for page in _walk(get_resolver().url_patterns, "")
        if page.namespace.split(":")[0] not in SKIPPED_NAMESPACES or page.name in PAGES
    ]
    assert top, "the URL resolver has no patterns"
    return pages


# -- the world every request meets ----------------------------------------------------------------------------


@dataclass
class Scene:
    ticket: Ticket
    attachment: Attachment
    token: ApiToken
    clients: dict[str, Client]
    watcher_id: int
    report_id: int
    person_id: int = 0  # the provider's resolver, for the administration's person pages
    membership_id: int = 0  # the resolver's role
    rule_id: int = 0  # the SSO routing rule of Globex's contract


@pytest.fixture
def scene(world) -> Scene:
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="SAP posting fails",
        impact="high",
        urgency="medium",
    )
    actions.route_ticket(ticket, actor=world.people["agent"])
    actions.reply(ticket, actor=world.people["resolver"], body="Looking into it.")
    actions.add_note(ticket, actor=world.people["resolver"], body="Suspect the posting period lock.")
    actions.add_attachment(ticket, actor=world.people["requester"], upload=text_file("screenshot.txt"))
    actions.add_watcher(ticket, actor=world.people["customer-manager"], user=world.people["customer-manager"])
    token = ApiToken.objects.create(user=world.people["requester"], name="ci", key_hash="0" * 64, hint="sp_test")
    # Everyone has an unread notice, so that marking one's notices read changes something.
    post_notices(world.people.values(), text="The scene's notice", ticket=ticket)
    clients = {}
    for person in PEOPLE:
        clients[person] = Client()
        if person != "anonymous":
            clients[person].force_login(world.people[person])
    report = generate_report(ReportRequest(world.contract, "weekly", "2026-W10"))
    ImportRun.objects.create(
        contract=world.contract,
        tool="servicenow",
        layout="incident_audit",
        system="servicenow",
        file_name="incidents.csv",
        file_sha256="0" * 64,
        mapping_name="servicenow-incident-audit",
        mapping_sha256="0" * 64,
        mapping_text="mapping: servicenow-incident-audit",
        started_by=world.people["administrator"],
        created_at=timezone.now(),
        status="done",
    )
    resolver = world.people["resolver"]
    return Scene(
        ticket,
        Attachment.objects.get(ticket=ticket),
        token,
        clients,
        world.people["customer-manager"].pk,
        report.pk,
        resolver.pk,
        Membership.objects.get(user=resolver).pk,
        RoutingRule.objects.get(contract=world.contract, service=world.services["sso"]).pk,
    )


def import_run_id() -> int:
    """The scene's import run."""
    return ImportRun.objects.order_by("pk").values_list("pk", flat=True).first()


def plan_id() -> int:
    """The scene's continuity plan of SAP ERP, written by the provider's team lead."""
    found = ContinuityPlan.objects.order_by("pk").first()
    if found is None:
        lead = User.objects.get(email="team-lead@example.test")
        service = Service.objects.get(contract__slug="globex-ito", key="sap-erp")
        found = write_plan(actor=lead, contract=service.contract, service=service, title="SAP ERP recovery")
    return found.pk


def outage_id() -> int:
    """The scene's open outage of SAP ERP, recorded by the provider's agent."""
    found = Outage.objects.order_by("pk").first()
    if found is None:
        agent = User.objects.get(email="agent@example.test")
        service = Service.objects.get(contract__slug="globex-ito", key="sap-erp")
        start = datetime(2026, 3, 10, 9, tzinfo=UTC)
        found = record_outage(actor=agent, contract=service.contract, service=service, start=start)
    return found.pk


def text_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"posting failed at 09:00\n", content_type="text/plain")


def snapshot() -> tuple:
    """Everything a refused request must leave alone."""
    return (
        list(
            Ticket.objects.order_by("pk").values_list(
                "pk", "status", "team_id", "assignee_id", "priority", "event_count", "last_hash", "updated_at"
            )
        ),
        list(TicketEvent.objects.order_by("pk").values_list("pk", "hash")),
        list(Ticket.watchers.through.objects.order_by("pk").values_list("ticket_id", "user_id")),
        list(Attachment.objects.order_by("pk").values_list("pk", "sha256", "public")),
        list(ClockState.objects.order_by("pk").values_list("pk", "state", "elapsed_s", "due_at", "computed_at")),
        list(ApiToken.objects.order_by("pk").values_list("pk", "key_hash", "revoked_at")),
        list(Restatement.objects.order_by("pk").values_list("pk", flat=True)),
        list(
            ContractVersion.objects.order_by("pk").values_list(
                "pk", "status", "sha256", "customer_signed_by_id", "provider_signed_by_id"
            )
        ),
        list(Service.objects.order_by("pk").values_list("pk", "key")),
        list(ImportRun.objects.order_by("pk").values_list("pk", "status", "imported")),
        cmdb_rows(),
        catalog_rows(),
        problem_rows(),
        list(Outage.objects.order_by("pk").values_list("pk", "start", "end", "planned")),
        list(ContinuityPlan.objects.order_by("pk").values_list("pk", "title")),
        list(PlanTest.objects.order_by("pk").values_list("pk", "result")),
        oncall_rows(),
        list(Notice.objects.order_by("pk").values_list("pk", "read_at")),
        list(User.objects.order_by("pk").values_list("pk", "is_active", "full_name", "timezone", "two_factor_enabled")),
        list(Membership.objects.order_by("pk").values_list("pk", "role", "team_id")),
        list(Team.objects.order_by("pk").values_list("pk", "name", "timezone", "email", "is_service_desk")),
        list(RoutingRule.objects.order_by("pk").values_list("pk", "precedence", "service_id", "category", "team_id")),
        list(Organization.objects.order_by("pk").values_list("pk", "require_two_factor")),
    )


def run_isolated(client: Client, send) -> tuple[int, bool]:
    """Send one request in a savepoint rolled back afterwards; the status and whether anything changed.

    The client's cookies are restored too, so that logging out or switching the language affects only
    that one request.
    """
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        before = snapshot()
        response = send()
        changed = snapshot() != before
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code, changed


def api_path(operation: ApiOperation, scene: Scene) -> str:
    values = {
        "number": scene.ticket.number,
        "slug": "globex-ito",
        "token_id": scene.token.pk,
        "user_id": scene.watcher_id,
        "report_id": scene.report_id,
        "run_id": import_run_id(),
        "outage_id": outage_id(),
        "plan_id": plan_id(),
        "message_id": 1,
    }
    values |= oncall_values()
    values |= cmdb_values()
    values |= catalog_values()
    values |= problem_values()
    values |= API_PATH_VALUES.get(operation.operation_id, {})
    if operation.operation_id in CONTRACT_VERSION_OPERATIONS:
        values["number"] = 1  # the version number, not a ticket's
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), operation.path)


def send_api(client: Client, operation: ApiOperation, path: str):
    if operation.operation_id in UPLOADS:
        return client.post(path, {"upload": text_file("log.txt")})
    if operation.method == "GET":
        return client.get(path)
    body = API_BODIES.get(operation.operation_id, {})
    return client.generic(operation.method, path, data=json.dumps(body), content_type="application/json")


def page_url(page: WebPage, scene: Scene) -> str:
    values = {
        "number": scene.ticket.number,
        "key": "mine",
        "kind": "incident",
        "attachment_id": scene.attachment.pk,
        "token_id": scene.token.pk,
        "report_id": scene.report_id,
        "measure_id": "resolution-compliance",
        "slug": "globex-ito",
        "version": 1,
        "person_id": scene.person_id,
        "membership_id": scene.membership_id,
        "team_slug": "app-support-cn",
        "rule_id": scene.rule_id,
        "uidb64": "MQ",
        "token": "not-a-token",
        "round_id": 999999,
        "article_id": 999999,
        "step": "publish",
        "notice_id": 999999,
        "passkey_id": 1,
        "provider_slug": "no-such-provider",
        "message_id": 1,
    }
    values["sequence"] = 1  # the checkpoint taken with the scene's stored report
    values["run_id"] = import_run_id()
    values |= cmdb_values()
    values["month"] = "2026-03"  # a month's invoice (billing)
    values["entry_id"] = 1  # a time entry (billing); the scene logged none
    values |= catalog_values()
    values |= problem_values()
    values["outage_id"] = outage_id()
    values["plan_id"] = plan_id()
    values |= oncall_values()
    values |= backtest_values()
    missing = [name for name in page.parameters if name not in values]
    assert not missing, f"{page.name}: no sample value for the URL parameter(s) {missing}; add one to page_url"
    return reverse(page.name, kwargs={name: values[name] for name in page.parameters})


def send_page(client: Client, page: WebPage, spec: Page | None, url: str):
    method = spec.method if spec else "GET"
    if method == "GET":
        return client.get(url)
    data = {
        key: Team.objects.get(slug=value.slug).pk if isinstance(value, TeamKey) else value
        for key, value in spec.data.items()
    }
    if page.name in UPLOADS:
        data["attach-upload"] = text_file("log.txt")
    return client.post(url, data)


# -- the tests -----------------------------------------------------------------------------------------------


def test_every_api_operation_has_expectations_and_declares_its_permission():
    operations = api_operations()
    assert len(operations) > 20
    missing = sorted(op.operation_id for op in operations if op.operation_id not in API)
    assert not missing, f"API operations with no line in tests/authorization_matrix.py API: {missing}"
    undeclared = sorted(op.operation_id for op in operations if declared_permission(op.view) is None)
    assert not undeclared, f"API operations that declare no permission beside them: {undeclared}"
    stale = sorted(set(API) - {op.operation_id for op in operations})
    assert not stale, f"expectations for operations that no longer exist: {stale}"


def test_every_web_page_has_expectations():
    uncovered = sorted(
        page.name
        for page in web_pages()
        if page.name not in PAGES and page.namespace.split(":")[0] not in NAMESPACE_RULES
    )
    assert not uncovered, f"pages with neither a line in PAGES nor a rule for their namespace: {uncovered}"


def test_api_statuses_and_refusals_change_nothing(scene):
    problems = []
    for operation in api_operations():
        path = api_path(operation, scene)
        for person in PEOPLE:
            status, changed = run_isolated(
                scene.clients[person], functools.partial(send_api, scene.clients[person], operation, path)
            )
            expected = API[operation.operation_id].status_for(person)
            if status != expected:
                problems.append(
                    f"{operation.method} {path} ({operation.operation_id}) as {person}: {status}, expected {expected}"
                )
            if status >= 400 and changed:
                problems.append(f"{operation.method} {path} as {person}: refused with {status} but changed data")
            if operation.method != "GET" and status < 300 and not changed:
                # Also shows that the snapshot sees changes at all.
                problems.append(f"{operation.method} {path} as {person}: accepted with {status} but changed nothing")
    assert not problems, "\n".join(problems)


def test_web_statuses_and_refusals_change_nothing(scene):
    login = reverse(settings.LOGIN_URL)
    problems = []
    for page in web_pages():
        spec = PAGES.get(page.name)
        url = page_url(page, scene)
        rule = NAMESPACE_RULES.get(page.namespace.split(":")[0])
        for person in PEOPLE:
            response_holder = {}

            def send(client=scene.clients[person], page=page, spec=spec, url=url, holder=response_holder):
                holder["response"] = send_page(client, page, spec, url)
                return holder["response"]

            status, changed = run_isolated(scene.clients[person], send)
            response = response_holder["response"]
            if spec is not None:
                expected = spec.expect.status_for(person)
                if status != expected:
                    problems.append(f"{spec.method} {url} ({page.name}) as {person}: {status}, expected {expected}")
            else:
                problems += _namespace_rule_problems(page, rule, person, status, url)
            if person == "anonymous" and status == 302 and rule and rule.anonymous == 302:
                if not response["Location"].startswith(login) and spec is None:
                    problems.append(f"{url} as anonymous: redirected to {response['Location']}, not the login")
            refused = status >= 400 or (
                person == "anonymous"
                and status == 302
                and spec
                and spec.method == "POST"
                and response["Location"].startswith(login)
            )
            if refused and changed:
                problems.append(f"{url} ({page.name}) as {person}: refused with {status} but changed data")
    assert not problems, "\n".join(problems)


def _namespace_rule_problems(page: WebPage, rule: NamespaceRule, person: str, status: int, url: str) -> list[str]:
    where = f"GET {url} ({page.name}, namespace rule: {rule.description}) as {person}: {status}"
    if status >= 500:
        return [f"{where}, a server error"]
    if person == "anonymous":
        return [] if status == rule.anonymous else [f"{where}, expected {rule.anonymous}"]
    if "number" in page.parameters and rule.ticket_hidden and person not in SEES_TICKET:
        return [] if status == rule.ticket_hidden else [f"{where}, expected {rule.ticket_hidden}"]
    return []
