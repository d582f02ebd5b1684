"""The CMDB in the API: items, their relationships, impact analysis, the CSV import (dry run first) and
export, and the items a ticket names.

Items are read by the contract's parties' people with a role other than requester and kept by the
administrators and team leads of the customer and the provider; a ticket's items are named by whoever
works the ticket.
"""

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from servicepact.accounts.models import Team
from servicepact.cmdb import actions, csv_io
from servicepact.cmdb.classes import ItemClass
from servicepact.cmdb.forms import MAX_CSV_BYTES
from servicepact.cmdb.models import ConfigurationItem, Lifecycle, RelationKind, Relationship, TicketItem
from servicepact.cmdb.queries import impact_of
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.desk.api.access import on_ticket
from servicepact.idempotency.keys import idempotent
from servicepact.permissions.cmdb import can_keep_item, can_keep_items, can_link_items, reads_cmdb
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.refusals import ActionRefused
from servicepact.request_bodies import InputSchema

router = Router(tags=["cmdb"])


class ItemOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    key: str
    name: str
    item_class: str
    service: str | None = Field(None, description="The contract service a business service is.")
    owner_team: str | None = None
    tier: int
    location: str
    timezone: str
    lifecycle: str
    attributes: dict
    updated_at: datetime

    @staticmethod
    def resolve_service(item):
        return item.service.key if item.service_id else None

    @staticmethod
    def resolve_owner_team(item):
        return item.owner_team.slug if item.owner_team_id else None


class ItemIn(InputSchema):
    key: str = Field(..., max_length=80)
    name: str = Field(..., max_length=200)
    item_class: ItemClass
    owner_team: str | None = Field(None, description="A team's slug.")
    tier: int = 3
    location: str = ""
    timezone: str = "UTC"
    lifecycle: Lifecycle = Lifecycle.LIVE
    attributes: dict = {}


class ItemPatch(InputSchema):
    name: str | None = None
    owner_team: str | None = None
    tier: int | None = None
    location: str | None = None
    timezone: str | None = None
    lifecycle: Lifecycle | None = None
    attributes: dict | None = None


class RelationshipIn(InputSchema):
    kind: RelationKind
    target: str = Field(..., description="The related item's id (key) in the same contract.")


class RelationshipOut(Schema):
    id: int
    source: str = Field(..., alias="source.key")
    kind: str
    target: str = Field(..., alias="target.key")


class ItemRef(Schema):
    id: int
    key: str
    name: str
    item_class: str
    tier: int


class ImpactOut(Schema):
    item: ItemRef
    services: list[ItemRef] = Field(..., description="Business services affected if the item fails.")
    upstream: list[ItemRef] = Field(..., description="Items that fail with it (need it, directly or not).")
    downstream: list[ItemRef] = Field(..., description="Items it needs, directly or not.")
    tickets: list[str] = Field(..., description="Open tickets on the affected items or services.")
    relationships: list[list[str]]


class TicketItemIn(InputSchema):
    item: str = Field(..., description="The item's id (key) in the ticket's contract.")


def visible_item(request: HttpRequest, item_id: str) -> ConfigurationItem:
    if not str(item_id).isascii() or not str(item_id).isdigit() or len(str(item_id)) > 18:
        raise Http404("No such item.")
    items = ConfigurationItem.objects.visible_to(request.auth).select_related("contract", "owner_team", "service")
    return get_object_or_404(items, pk=int(item_id))


def visible_relationship(request: HttpRequest, relationship_id: str) -> Relationship:
    if not str(relationship_id).isascii() or not str(relationship_id).isdigit() or len(str(relationship_id)) > 18:
        raise Http404("No such relationship.")
    rows = Relationship.objects.visible_to(request.auth).select_related("source__contract", "target")
    return get_object_or_404(rows, pk=int(relationship_id))


def _team(request: HttpRequest, slug: str | None):
    if not slug:
        return None
    team = Team.objects.visible_to(request.auth).filter(slug=slug).first()
    if team is None:
        raise ActionRefused(f"No team {slug}.", errors={"owner_team": [f"No team {slug}."]})
    return team


def keeps_relationship(user, relationship: Relationship) -> bool:
    return can_keep_items(user, relationship.source.contract)


def reads_contract_items(user, contract: Contract) -> bool:
    return reads_cmdb(user)


@router.get(
    "/cmdb/items",
    response=list[ItemOut],
    summary="Configuration items you may read",
    operation_id="list_configuration_items",
)
@allow(holds_a_role, "Anyone with a role; the list holds the items of the contracts whose CMDB they read.")
def list_items(request: HttpRequest, contract: str = "", item_class: str = "", limit: int = 500, offset: int = 0):
    items = ConfigurationItem.objects.visible_to(request.auth).select_related("contract", "owner_team", "service")
    if contract:
        items = items.filter(contract__slug=contract)
    if item_class:
        items = items.filter(item_class=item_class)
    limit = max(1, min(limit, 1000))
    return items.order_by("contract__slug", "key")[max(offset, 0) : max(offset, 0) + limit]


@router.get(
    "/cmdb/items/{item_id}", response=ItemOut, summary="A configuration item", operation_id="get_configuration_item"
)
@on_object("item_id", "item", visible_item, None, "Those who see the item: its contract's parties, beyond requesters.")
def get_item(request: HttpRequest, item: ConfigurationItem):
    return item


@router.post(
    "/contracts/{slug}/cmdb/items",
    response={201: ItemOut},
    summary="Add a configuration item",
    operation_id="create_configuration_item",
)
@on_object(
    "slug", "contract", visible_contract, can_keep_items, "The customer's and provider's administrators and team leads."
)
@idempotent
def create_item(request: HttpRequest, contract: Contract, body: ItemIn):
    data = body.dict()
    team = _team(request, data.pop("owner_team"))
    item = actions.create_item(
        contract,
        actor=request.auth,
        key=data.pop("key"),
        item_class=str(data.pop("item_class")),
        name=data.pop("name"),
        owner_team=team,
        **{name: str(value) if name == "lifecycle" else value for name, value in data.items()},
    )
    return Status(201, item)


@router.patch(
    "/cmdb/items/{item_id}",
    response=ItemOut,
    summary="Change a configuration item",
    operation_id="update_configuration_item",
)
@on_object(
    "item_id", "item", visible_item, can_keep_item, "The customer's and provider's administrators and team leads."
)
def update_item(request: HttpRequest, item: ConfigurationItem, body: ItemPatch):
    fields = {name: value for name, value in body.dict(exclude_unset=True).items() if value is not None}
    if "owner_team" in fields:
        fields["owner_team"] = _team(request, fields["owner_team"])
    if "lifecycle" in fields:
        fields["lifecycle"] = str(fields["lifecycle"])
    return actions.update_item(item, actor=request.auth, **fields)


def _ref(item: ConfigurationItem) -> dict:
    return {"id": item.pk, "key": item.key, "name": item.name, "item_class": item.item_class, "tier": item.tier}


@router.get(
    "/cmdb/items/{item_id}/impact",
    response=ImpactOut,
    summary="What fails with the item, and what it needs",
    operation_id="get_configuration_item_impact",
)
@on_object("item_id", "item", visible_item, None, "Those who see the item.")
def get_impact(request: HttpRequest, item: ConfigurationItem):
    impact = impact_of([item], request.auth)
    keys = {other.pk: other.key for other in impact.items + impact.upstream + impact.downstream}
    return {
        "item": _ref(item),
        "services": [_ref(other) for other in impact.services],
        "upstream": [_ref(other) for other in impact.upstream],
        "downstream": [_ref(other) for other in impact.downstream],
        "tickets": [ticket.number for ticket in impact.tickets],
        "relationships": [[keys[source], kind, keys[target]] for source, target, kind in impact.edges],
    }


@router.get(
    "/cmdb/items/{item_id}/relationships",
    response=list[RelationshipOut],
    summary="An item's relationships",
    operation_id="list_configuration_item_relationships",
)
@on_object("item_id", "item", visible_item, None, "Those who see the item.")
def list_relationships(request: HttpRequest, item: ConfigurationItem):
    rows = Relationship.objects.visible_to(request.auth).select_related("source", "target")
    return list(rows.filter(source=item)) + list(rows.filter(target=item))


@router.post(
    "/cmdb/items/{item_id}/relationships",
    response={201: RelationshipOut},
    summary="Relate an item to another: it depends on, runs on or connects to the target",
    operation_id="relate_configuration_items",
)
@on_object(
    "item_id", "item", visible_item, can_keep_item, "The customer's and provider's administrators and team leads."
)
@idempotent
def relate(request: HttpRequest, item: ConfigurationItem, body: RelationshipIn):
    target = ConfigurationItem.objects.visible_to(request.auth).filter(contract=item.contract, key=body.target).first()
    if target is None:
        raise ActionRefused(f"No item {body.target} in this contract.", errors={"target": ["No such item."]})
    return Status(201, actions.relate(item, target, str(body.kind), actor=request.auth))


@router.delete(
    "/cmdb/relationships/{relationship_id}",
    response={204: None},
    summary="Remove a relationship",
    operation_id="delete_configuration_relationship",
)
@on_object(
    "relationship_id",
    "relationship",
    visible_relationship,
    keeps_relationship,
    "The customer's and provider's administrators and team leads.",
)
def unrelate(request: HttpRequest, relationship: Relationship):
    actions.unrelate(relationship, actor=request.auth)
    return Status(204, None)


@router.post(
    "/contracts/{slug}/cmdb/import",
    response={200: dict},
    summary="Check or import configuration items and relationships from CSV",
    operation_id="import_configuration_items",
)
@on_object(
    "slug", "contract", visible_contract, can_keep_items, "The customer's and provider's administrators and team leads."
)
def import_items(
    request: HttpRequest,
    contract: Contract,
    items: File[UploadedFile] = None,
    relationships: File[UploadedFile] = None,
    dry_run: Form[bool] = True,
):
    """multipart/form-data: `items` and/or `relationships` (CSV, UTF-8), `dry_run` (default true). Bad rows
    answer 422 with every problem (file, line, field) and change nothing."""
    texts = {}
    for name, upload in (("items", items), ("relationships", relationships)):
        if upload is None:
            texts[name] = ""
            continue
        if upload.size > MAX_CSV_BYTES:
            raise ActionRefused(
                "The file is larger than 5 MiB.", errors={name: ["The file is larger than 5 MiB."]}, status=413
            )
        try:
            texts[name] = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ActionRefused("The file is not UTF-8 text.", errors={name: ["The file is not UTF-8 text."]}) from None
    if not texts["items"] and not texts["relationships"]:
        raise ActionRefused("Send `items`, `relationships` or both.", errors={"items": ["Send a CSV file."]})
    try:
        report = csv_io.import_csv(
            contract,
            actor=request.auth,
            items_text=texts["items"],
            relationships_text=texts["relationships"],
            dry_run=dry_run,
        )
    except csv_io.ImportRefusedError as refused:
        raise ActionRefused(
            refused.message,
            errors={f"{p.file}:{p.line}:{p.field}": [p.message] for p in refused.report.problems},
        ) from None
    return report.as_dict()


@router.get(
    "/contracts/{slug}/cmdb/export",
    summary="Export the contract's items or relationships as CSV",
    operation_id="export_configuration_items",
)
@on_object("slug", "contract", visible_contract, reads_contract_items, "Those who read the contract's CMDB.")
def export(request: HttpRequest, contract: Contract, what: str = "items"):
    if what == "relationships":
        rows = Relationship.objects.visible_to(request.auth).filter(source__contract=contract)
        body = csv_io.export_relationships(rows.select_related("source", "target").order_by("source__key", "kind"))
    else:
        items = ConfigurationItem.objects.visible_to(request.auth).filter(contract=contract)
        body = csv_io.export_items(items.select_related("owner_team").order_by("key"))
    return HttpResponse(body, content_type="text/csv; charset=utf-8")


@router.get(
    "/tickets/{number}/items",
    response=list[ItemOut],
    summary="The items a ticket names",
    operation_id="list_ticket_items",
)
@on_ticket(None, "Those who see the ticket; the items they see.")
def ticket_items(request: HttpRequest, ticket):
    links = TicketItem.objects.visible_to(request.auth).filter(ticket=ticket).values("item_id")
    return (
        ConfigurationItem.objects.visible_to(request.auth)
        .filter(pk__in=links)
        .select_related("contract", "owner_team", "service")
    )


@router.post(
    "/tickets/{number}/items",
    response={201: ItemOut},
    summary="Name a configuration item on a ticket",
    operation_id="link_ticket_item",
)
@on_ticket(can_link_items, "Whoever works the ticket (can_work_ticket).")
@idempotent
def link_item(request: HttpRequest, ticket, body: TicketItemIn):
    item = (
        ConfigurationItem.objects.visible_to(request.auth).filter(contract_id=ticket.contract_id, key=body.item).first()
    )
    if item is None:
        raise ActionRefused(f"No item {body.item} in the ticket's contract.", errors={"item": ["No such item."]})
    actions.link_ticket(ticket, item, actor=request.auth)
    return Status(201, item)


@router.delete(
    "/tickets/{number}/items/{item_id}",
    response={204: None},
    summary="Stop naming an item on a ticket",
    operation_id="unlink_ticket_item",
)
@on_ticket(can_link_items, "Whoever works the ticket (can_work_ticket).")
def unlink_item(request: HttpRequest, ticket, item_id: int):
    link = get_object_or_404(TicketItem.objects.visible_to(request.auth), ticket=ticket, item_id=item_id)
    actions.unlink_ticket(link, actor=request.auth)
    return Status(204, None)
