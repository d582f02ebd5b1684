"""The authorization test's records of the request catalogue, made once per test on first use, and who gets
which status from its operations and pages (servicepact/permissions/catalog.py).

Globex's catalogue holds SAP access (the requester's manager approves; two tasks in order) and VPN access
(no approval; two tasks in parallel). The requester asked for both: the SAP request waits for the approval
of Globex's customer manager, the VPN request is in application support China's queue with its tasks open.
Items are read by the people with a role in Globex or the provider; Globex's people ask for them; the
customer's managers and the provider's administrators and team leads keep them."""

from servicepact.accounts.models import Team, User
from servicepact.catalog import actions
from servicepact.catalog.models import CatalogItem, RequestTask, ServiceRequest
from servicepact.catalog.tests.factories import build_catalog
from servicepact.contracts.models import Contract, Service
from tests.authorization_matrix import LOGIN, SEES_TICKET, WORKS_TICKET, Page, given

# Those with a role in Globex (the customer) or Northwind (the provider).
CATALOG_READERS = (
    "requester",
    "customer-manager",
    "security-resolver",
    "agent",
    "resolver",
    "team-lead",
    "analyst",
    "administrator",
)
GLOBEX_PEOPLE = ("requester", "customer-manager", "security-resolver")
CATALOG_KEEPERS = ("customer-manager", "team-lead", "administrator")

CATALOG_BODIES = {
    "submit_service_request": {"answers": {"device": "Laptop"}},
    "decide_service_request": {"approve": True},
    "resolve_service_request": {"resolution": "Granted."},
}

CATALOG_API = {
    "list_catalog_items": given(404, (CATALOG_READERS, 200), vendor_engineer=403, anonymous=401),
    "get_catalog_item": given(404, (CATALOG_READERS, 200), anonymous=401),
    # The VPN item: Globex's people ask; the provider's people see it but do not ask from the portal.
    "submit_service_request": given(404, (CATALOG_READERS, 403), (GLOBEX_PEOPLE, 201), anonymous=401),
    "list_request_approvals": given(200, anonymous=401),
    # The SAP request: seen with its ticket; decided by its approver only.
    "get_service_request": given(404, (SEES_TICKET, 200), anonymous=401),
    "decide_service_request": given(404, (SEES_TICKET, 403), customer_manager=200, anonymous=401),
    # Allowed, and refused by the rules: the SAP request's tasks are open (409).
    "resolve_service_request": given(404, (SEES_TICKET, 403), (WORKS_TICKET, 409), anonymous=401),
    # The VPN request's first task.
    "complete_request_task": given(404, (SEES_TICKET, 403), (WORKS_TICKET, 200), anonymous=401),
}

CATALOG_PAGES = {
    "catalog:catalog": Page(given(200, vendor_engineer=403, no_role=403, anonymous=LOGIN)),
    "catalog:item": Page(given(404, (CATALOG_READERS, 200), anonymous=LOGIN)),
    "catalog:ask": Page(
        given(404, (CATALOG_READERS, 403), (GLOBEX_PEOPLE, 302), anonymous=LOGIN), "POST", {"device": "Laptop"}
    ),
    "catalog:approvals": Page(given(200, anonymous=LOGIN)),
    "catalog:decide": Page(
        given(404, (SEES_TICKET, 403), customer_manager=302, anonymous=LOGIN), "POST", {"decision": "approve"}
    ),
    "catalog:resolve": Page(
        given(404, (SEES_TICKET, 403), (WORKS_TICKET, 302), anonymous=LOGIN), "POST", {"resolution": "Granted."}
    ),
    "catalog:tick": Page(given(404, (SEES_TICKET, 403), (WORKS_TICKET, 302), anonymous=LOGIN), "POST"),
    "catalog:new_item": Page(
        given(404, (CATALOG_READERS + ("vendor-engineer",), 403), (CATALOG_KEEPERS, 200), anonymous=LOGIN)
    ),
    "catalog:edit_item": Page(given(404, (CATALOG_READERS, 403), (CATALOG_KEEPERS, 200), anonymous=LOGIN)),
    "catalog:manage": Page(
        given(404, (CATALOG_READERS + ("vendor-engineer",), 403), (CATALOG_KEEPERS, 200), anonymous=LOGIN)
    ),
}


def catalog_values() -> dict:
    """The URL values of the records, made on first use."""
    found = ServiceRequest.objects.filter(item__key="sap-access").select_related("ticket").first()
    if found is None:
        world = _World(Contract.objects.get(slug="globex-ito"))
        catalog = build_catalog(world)
        requester = world.people["requester"]
        answers = {"reason": "Month-end close", "role": "Display"}
        found = actions.submit_request(catalog.sap, actor=requester, answers=answers)
        actions.submit_request(catalog.vpn, actor=requester, answers={"device": "Laptop"})
    vpn = CatalogItem.objects.get(key="vpn-access")
    task = RequestTask.objects.filter(request__item=vpn).order_by("pk").first()
    return {"catalog_item_id": vpn.pk, "request_number": found.ticket.number, "request_task_id": task.pk}


class _World:
    """What ``build_catalog`` reads of the ``world`` fixture, found again by the scene's names."""

    def __init__(self, contract: Contract):
        self.contract = contract
        self.people = {key: User.objects.get(email=f"{key}@example.test") for key in ("requester", "customer-manager")}
        self.services = {service.key: service for service in Service.objects.filter(contract=contract)}
        self.teams = {"app-cn": Team.objects.get(slug="app-support-cn"), "desk": Team.objects.get(slug="service-desk")}


def catalog_rows() -> list:
    """Everything a refused request must leave alone."""
    return [
        list(CatalogItem.objects.order_by("pk").values_list("pk", "active")),
        list(ServiceRequest.objects.order_by("pk").values_list("pk", "approval", "decided_at")),
        list(RequestTask.objects.order_by("pk").values_list("pk", "done_at")),
    ]
