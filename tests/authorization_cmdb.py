"""The authorization test's records of the CMDB and of change management, made once per test on first use:
two servers of Globex's contract (SAP ERP depends on srv-1, which the scene's ticket names), a change of
srv-1 awaiting the approval of Globex's customer manager, and a release."""

from datetime import UTC, datetime, timedelta

from servicepact.accounts.models import User
from servicepact.changes import actions as changes
from servicepact.changes.models import Approval, Change, ChangeTask, ChangeTicket, Deployment, Release
from servicepact.cmdb import actions as cmdb
from servicepact.cmdb.models import ConfigurationItem, Relationship, TicketItem
from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket

WINDOW = datetime(2026, 12, 20, 20, 0, tzinfo=UTC)
CMDB_BODIES = {
    "create_configuration_item": {
        "key": "new-srv",
        "name": "new",
        "item_class": "server",
        "attributes": {"os": "Linux"},
    },
    "update_configuration_item": {"location": "Berlin"},
    "relate_configuration_items": {"kind": "connects_to", "target": "srv-2"},
    "link_ticket_item": {"item": "srv-2"},
    "create_change": {
        "kind": "normal",
        "title": "Patch srv-2",
        "items": ["srv-2"],
        "planned_start": "2026-12-21T20:00:00Z",
        "planned_end": "2026-12-21T22:00:00Z",
    },
    "decide_change": {"approve": True, "comment": "Fine."},
    "finish_change": {"outcome": "successful"},
    "review_change": {"text": "No incidents followed."},
    "cancel_change": {"text": "Not needed."},
    "add_change_task": {"title": "Take a backup"},
    "link_change_ticket": {"ticket": "INC9999999", "relation": "fixes"},
    "create_release": {"name": "ERP", "version": "2026.12"},
    "deploy_release": {"environment": "test"},
    "add_release_change": {"change": 999999},
}


def cmdb_values() -> dict[str, int]:
    """The URL values of the records, made on first use."""
    item = ConfigurationItem.objects.filter(key="srv-1").first()
    if item is None:
        contract = Contract.objects.get(slug="globex-ito")
        admin = User.objects.get(email="administrator@example.test")
        agent = User.objects.get(email="agent@example.test")
        cmdb.keep_business_services(contract, actor=admin)
        item = cmdb.create_item(
            contract, actor=admin, key="srv-1", item_class="server", name="srv-1", attributes={"os": "Linux"}
        )
        cmdb.create_item(
            contract, actor=admin, key="srv-2", item_class="server", name="srv-2", attributes={"os": "Linux"}
        )
        sap = ConfigurationItem.objects.get(contract=contract, key="sap-erp")
        cmdb.relate(sap, item, "depends_on", actor=admin)
        ticket = Ticket.objects.filter(contract=contract).order_by("pk").first()
        cmdb.link_ticket(ticket, item, actor=agent)
        change = changes.raise_change(
            contract,
            actor=agent,
            kind="normal",
            title="Patch srv-1",
            items=[item],
            planned_start=WINDOW,
            planned_end=WINDOW + timedelta(hours=2),
        )
        changes.submit(change, actor=agent)
        changes.add_task(change, actor=agent, title="Take a backup")
        changes.create_release(contract, actor=agent, name="SAP", version="2026.12")
    return {
        "item_id": item.pk,
        "relationship_id": Relationship.objects.order_by("pk").values_list("pk", flat=True).first(),
        "change_id": Change.objects.order_by("pk").values_list("pk", flat=True).first(),
        "release_id": Release.objects.order_by("pk").values_list("pk", flat=True).first(),
        "task_id": ChangeTask.objects.order_by("pk").values_list("pk", flat=True).first(),
    }


def cmdb_rows() -> list:
    """Everything a refused request must leave alone."""
    return [
        list(ConfigurationItem.objects.order_by("pk").values_list("pk", "key", "location", "updated_at")),
        list(Relationship.objects.order_by("pk").values_list("pk", flat=True)),
        list(TicketItem.objects.order_by("pk").values_list("pk", flat=True)),
        list(Change.objects.order_by("pk").values_list("pk", "status", "release_id")),
        list(Approval.objects.order_by("pk").values_list("pk", flat=True)),
        list(ChangeTask.objects.order_by("pk").values_list("pk", "done_at")),
        list(ChangeTicket.objects.order_by("pk").values_list("pk", flat=True)),
        list(Release.objects.order_by("pk").values_list("pk", "notes")),
        list(Deployment.objects.order_by("pk").values_list("pk", flat=True)),
    ]
