"""The access layer is the only way views, the API, template tags and exports reach tenant data.

- Every tenant model has a rule in the access layer's table, so ``Model.objects.visible_to(user)`` works
  for every one of them, and the rules agree with the predicates of the same name.
- An AST scan of every view, API, template tag, export and navigation module fails on
  ``<TenantModel>.objects.<anything but visible_to>``, on ``get_object_or_404(<TenantModel>, ...)`` and on
  a tenant relation followed by a query (``ticket.events.filter(...)``), each naming the file and line.
- Every web page declares its permission beside the view (``permissions.declared``).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from servicepact.desk import actions
from servicepact.desk.models import Ticket
from servicepact.permissions import (
    can_read_reports,
    can_see_internal,
    can_see_restatements,
    can_see_ticket,
    can_work_ticket,
    principal_of,
)
from servicepact.permissions.declared import declared_page_permission
from servicepact.permissions.querysets import SCOPES
from servicepact.permissions.tickets import internal_tickets, worked_tickets
from servicepact.slm.models import Restatement

SOURCE = Path(__file__).resolve().parent.parent / "src" / "servicepact"

# Models that hold no tenant's data, and why; every other model of servicepact's apps must have a rule.
NOT_TENANT_DATA = {
    "desk.TicketCounter": "the last number given per ticket kind, the same for every tenant",
    "desk.IssuedNumber": "the ledger of every ticket number issued, read by events verify and checkpoints only",
    "runtime.ScheduledJob": "the scheduler's own bookkeeping",
    "runtime.WorkerHeartbeat": "the workers' own bookkeeping",
    "runtime.Generation": "the per-process caches' validity counter: one number, no tenant's data",
}


# The modules that answer requests: views, API, template tags, exports, the header's navigation.
def request_modules() -> list[Path]:
    found = []
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        name = path.stem
        if (
            {"views", "api", "templatetags", "exports"} & set(parts[:-1])
            or name in ("views", "api", "urls", "navigation")
            or name.startswith("views_")
        ):
            found.append(path)
    return sorted(found)


# Relations followed by a query that are allowed in request modules, and why: (module, relation).
ALLOWED_RELATIONS: dict[tuple[str, str], str] = {
    ("downloads", "input_versions"): "the ids of the versions a report read, narrowed by ContractVersion's visible_to",
}

QUERY_METHODS = {
    "all",
    "filter",
    "exclude",
    "get",
    "first",
    "last",
    "exists",
    "count",
    "select_related",
    "prefetch_related",
    "values",
    "values_list",
    "order_by",
    "annotate",
    "aggregate",
    "iterator",
    "in_bulk",
    "only",
    "defer",
    "distinct",
    "none",
    "get_or_create",
    "update_or_create",
    "create",
    "update",
    "delete",
}


def tenant_models() -> dict[str, type]:
    return {apps.get_model(label).__name__: apps.get_model(label) for label in SCOPES}


def tenant_relations() -> set[str]:
    """The names through which a tenant row leads to other tenant rows (reverse relations, many-to-many)."""
    names = set()
    for model in tenant_models().values():
        for relation in model._meta.related_objects:
            if f"{relation.related_model._meta.label}" in SCOPES:
                names.add(relation.get_accessor_name())
        names.update(field.name for field in model._meta.many_to_many)
    return names


@dataclass
class Finding:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(SOURCE.parent)}:{self.line}: {self.what}"


def scan(path: Path, models: set[str], relations: set[str]) -> list[Finding]:
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in models
            and node.attr in ("objects", "_default_manager", "_base_manager")
        ):
            parent = parents.get(node)
            method = parent.attr if isinstance(parent, ast.Attribute) and parent.value is node else None
            if method != "visible_to":
                found.append(
                    Finding(path, node.lineno, f"{node.value.id}.{node.attr}.{method or ''} bypasses visible_to")
                )
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("get_object_or_404", "get_list_or_404")
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in models
        ):
            found.append(Finding(path, node.lineno, f"{node.func.id}({node.args[0].id}, ...) bypasses visible_to"))
        if (
            isinstance(node, ast.Attribute)
            and node.attr in QUERY_METHODS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in relations
            and not _is_model_manager(node.value, models)
            and not (isinstance(node.value.value, ast.Name) and node.value.value.id == "self")
        ):
            key = (path.stem, node.value.attr)
            if key not in ALLOWED_RELATIONS:
                found.append(
                    Finding(
                        path,
                        node.lineno,
                        f"the relation .{node.value.attr}.{node.attr} reaches tenant rows without visible_to",
                    )
                )
    return found


def _is_model_manager(node: ast.Attribute, models: set[str]) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id in models


def test_every_tenant_model_has_a_rule():
    labels = {model._meta.label for model in apps.get_models() if model.__module__.startswith("servicepact.")}
    missing = sorted(labels - set(SCOPES) - set(NOT_TENANT_DATA))
    assert not missing, f"models with no visible_to rule in servicepact/permissions/querysets.py: {missing}"
    for label in SCOPES:
        assert hasattr(apps.get_model(label).objects, "visible_to"), f"{label}'s manager has no visible_to"


def test_views_api_tags_and_exports_reach_tenant_data_only_through_visible_to():
    modules = request_modules()
    assert len(modules) > 15, modules
    models, relations = set(tenant_models()), tenant_relations()
    assert {"Ticket", "StoredReport", "Contract", "ApiToken"} <= models and {"events", "attachments"} <= relations
    findings = [finding for path in modules for finding in scan(path, models, relations)]
    assert not findings, "\n".join(str(finding) for finding in findings)


def test_the_scan_finds_what_it_must(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def view(request, number):\n"
        "    a = Ticket.objects.filter(number=number)\n"
        "    b = get_object_or_404(Ticket, number=number)\n"
        "    c = Ticket.objects.visible_to(request.user)\n"
        "    d = a.first().events.filter(public=True)\n"
    )
    global SOURCE
    saved, SOURCE = SOURCE, tmp_path
    try:
        found = sorted(finding.line for finding in scan(sample, {"Ticket"}, {"events"}))
    finally:
        SOURCE = saved
    assert found == [2, 3, 5]


# -- every page declares its permission -------------------------------------------------------------------------

NOT_OURS = {"admin": "Django's admin: its own staff-only views", "set_language": "Django's language switch"}


def _pages(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _pages(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace else entry.name or str(entry.pattern)), entry.callback


def test_every_page_declares_its_permission_beside_the_view():
    undeclared = sorted(
        name
        for name, view in _pages(get_resolver().url_patterns)
        if name.split(":")[0] not in NOT_OURS and name.split(":")[0] != "api" and declared_page_permission(view) is None
    )
    assert not undeclared, f"pages whose view declares no permission (permissions.declared): {undeclared}"


# -- the rules as querysets agree with the predicates ----------------------------------------------------------------


@pytest.fixture
def tickets(world) -> list[Ticket]:
    """Tickets in every queue of the world: the desk's, application support's, the customer's security team's,
    the hardware vendor's, one watched, one reported by the desk for the requester, one of another tenant."""
    people = world.people
    made = []

    def report(title, actor="requester", **fields):
        ticket = actions.create_ticket(
            actor=people[actor],
            contract=fields.pop("contract", world.contract),
            service=fields.pop("service", world.services["sap-erp"]),
            title=title,
            impact="high",
            urgency="medium",
            **fields,
        )
        made.append(ticket)
        return ticket

    report("New, at the desk")
    actions.route_ticket(report("Routed to application support"), actor=people["agent"])
    actions.route_ticket(report("SSO", service=world.services["sso"]), actor=people["agent"])
    hardware = report("Badge reader", category="hardware-onsite")
    actions.route_ticket(hardware, actor=people["agent"])
    report("Month end", actor="customer-manager")
    report("On behalf", actor="agent", requester=people["requester"])
    other = world.other_contract
    actions.create_ticket(
        actor=people["other-requester"],
        contract=other,
        service=other.services.get(),
        title="Elsewhere",
        impact="low",
        urgency="low",
    )
    made.append(Ticket.objects.get(title="Elsewhere"))
    for ticket in made:
        ticket.refresh_from_db()
    return made


def test_ticket_querysets_agree_with_the_ticket_predicates(world, tickets):
    for person, user in world.people.items():
        who = principal_of(user)
        visible = set(Ticket.objects.visible_to(user).values_list("pk", flat=True))
        internal = set(internal_tickets(Ticket.objects.all(), who).values_list("pk", flat=True)) & visible
        worked = set(worked_tickets(Ticket.objects.all(), who).values_list("pk", flat=True)) & visible
        for ticket in tickets:
            assert (ticket.pk in visible) == can_see_ticket(user, ticket), (person, ticket.title)
            if ticket.pk in visible:
                assert (ticket.pk in internal) == can_see_internal(user, ticket), (person, ticket.title)
                assert (ticket.pk in worked) == can_work_ticket(user, ticket), (person, ticket.title)


def test_restatement_and_report_querysets_agree_with_their_predicates(world, tickets):
    from servicepact.slm.models import StoredReport
    from servicepact.slm.reporting.generation import ReportRequest, generate_report

    version = world.version
    for ticket in tickets[:3]:
        Restatement.objects.create(
            ticket=ticket,
            contract_version=version,
            original_version=version,
            at=ticket.updated_at,
            clocks=[],
            original_clocks=[],
            reason="agreement",
            actor=world.people["analyst"],
            computed_at=ticket.updated_at,
        )
    report = generate_report(ReportRequest(world.contract, "weekly", "2026-W10"))
    for person, user in world.people.items():
        restated = set(Restatement.objects.visible_to(user).values_list("ticket_id", flat=True))
        for ticket in tickets[:3]:
            sees = can_see_ticket(user, ticket) and can_see_restatements(user, ticket)
            assert (ticket.pk in restated) == sees, (person, ticket.title)
        reads = StoredReport.objects.visible_to(user).filter(pk=report.pk).exists()
        assert reads == can_read_reports(user, world.contract), person
