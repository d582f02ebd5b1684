"""Every write of the CMDB: items, their relationships, the business services kept in step with the
contract's services, and the links from tickets to items. Each one checks who acts, runs in one
transaction and appends to the item's history."""

import zoneinfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.cmdb.classes import ItemClass, check_attributes
from servicepact.cmdb.models import ConfigurationItem, ItemHistory, Lifecycle, RelationKind, Relationship, TicketItem
from servicepact.contracts.models import Contract, Service, attach_terms
from servicepact.history.actions import record
from servicepact.permissions.cmdb import can_keep_items, can_link_items
from servicepact.refusals import ActionRefused

EDITABLE = ("name", "owner_team", "tier", "location", "timezone", "lifecycle", "attributes")
# A business service's name and tier are terms of the contract: the CMDB follows them, never edits them.
FROM_THE_CONTRACT = ("name", "tier")


def _refuse(field: str, message: str, status: int = 422) -> ActionRefused:
    return ActionRefused(message, errors={field: [message]}, status=status)


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


def keep_business_services(contract: Contract, *, actor=None) -> list[ConfigurationItem]:
    """Give each of the contract's services its business-service item, and keep their names and tiers as the
    contract's text says; idempotent. Returns the items made."""
    made = []
    with transaction.atomic():
        services = attach_terms(Service.objects.filter(contract=contract).select_related("owning_team"))
        items = {item.service_id: item for item in ConfigurationItem.objects.filter(service__in=services)}
        for service in services:
            item = items.get(service.pk)
            tier = service.tier or 3
            if item is None:
                key = service.key
                if ConfigurationItem.objects.filter(contract=contract, key=key).exists():
                    key = f"service-{service.key}"[:80]
                item = ConfigurationItem.objects.create(
                    contract=contract,
                    key=key,
                    name=service.name,
                    item_class=ItemClass.BUSINESS_SERVICE,
                    service=service,
                    owner_team=service.owning_team,
                    tier=min(tier, 4),
                )
                record(item, type=ItemHistory.CREATED, actor=actor, data={"from": "contract", "service": service.key})
                made.append(item)
            elif (item.name, item.tier) != (service.name, min(tier, 4)):
                before = {"name": item.name, "tier": item.tier}
                item.name, item.tier = service.name, min(tier, 4)
                item.save(update_fields=["name", "tier", "updated_at"])
                record(item, type=ItemHistory.UPDATED, actor=actor, data={"from": "contract", "before": before})
    return made


def clean_item_fields(contract: Contract, fields: dict, *, item: ConfigurationItem | None = None) -> dict:
    """The fields checked; every problem at once, named by field."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(fields)
    item_class = fields.get("item_class", item.item_class if item else None)
    if item is None:
        if item_class not in ItemClass.values:
            errors["item_class"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(ItemClass.values)}]
        elif item_class == ItemClass.BUSINESS_SERVICE:
            errors["item_class"] = [
                _("A business service is a service of the contract: add it to the contract's text, not here.")
            ]
    elif item.is_business_service:
        for name in FROM_THE_CONTRACT:
            if name in fields and fields[name] != getattr(item, name):
                errors[name] = [_("A business service's %(field)s comes from the contract.") % {"field": name}]
    if "timezone" in fields:
        try:
            zoneinfo.ZoneInfo(str(fields["timezone"]))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = [_("%(value)s is not a time zone.") % {"value": fields["timezone"]}]
    if "tier" in fields and fields["tier"] not in (1, 2, 3, 4):
        errors["tier"] = [_("The tier is 1, 2, 3 or 4.")]
    if "lifecycle" in fields and fields["lifecycle"] not in Lifecycle.values:
        errors["lifecycle"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Lifecycle.values)}]
    team = fields.get("owner_team")
    if team is not None and team.organization_id not in _party_ids(contract):
        errors["owner_team"] = [_("The owner team must be a team of one of the contract's parties.")]
    if "attributes" in fields and item_class in ItemClass.values:
        cleaned["attributes"], problems = check_attributes(item_class, fields["attributes"] or {})
        if problems:
            errors["attributes"] = problems
    if errors:
        first = next(iter(errors.values()))[0]
        raise ActionRefused(first, errors=errors)
    return cleaned


def _party_ids(contract: Contract) -> set[int]:
    return {contract.customer_id, contract.provider_id, *contract.vendors.values_list("pk", flat=True)}


def create_item(contract: Contract, *, actor, key: str, item_class: str, name: str, **fields) -> ConfigurationItem:
    if not can_keep_items(actor, contract):
        raise PermissionDenied(_("You may not keep this contract's configuration items."))
    fields = clean_item_fields(contract, {"item_class": item_class, "name": name, **fields})
    with transaction.atomic():
        if ConfigurationItem.objects.filter(contract=contract, key=key).exists():
            raise _refuse("key", _("An item with the id %(key)s exists already.") % {"key": key}, 409)
        item = ConfigurationItem.objects.create(contract=contract, key=key, **fields)
        record(item, type=ItemHistory.CREATED, actor=actor, data=_snapshot(item))
    return item


def _snapshot(item: ConfigurationItem) -> dict:
    return {name: _plain(getattr(item, name)) for name in ("key", "item_class", *EDITABLE)}


def update_item(item: ConfigurationItem, *, actor, **fields) -> ConfigurationItem:
    if not can_keep_items(actor, item.contract):
        raise PermissionDenied(_("You may not keep this contract's configuration items."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise _refuse(sorted(unknown)[0], _("%(field)s cannot be changed.") % {"field": sorted(unknown)[0]})
    fields = clean_item_fields(item.contract, fields, item=item)
    with transaction.atomic():
        locked = ConfigurationItem.objects.select_for_update().get(pk=item.pk)
        before = _snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        after = _snapshot(locked)
        changed = {name: {"from": before[name], "to": after[name]} for name in after if before[name] != after[name]}
        if changed:
            locked.save()
            record(locked, type=ItemHistory.UPDATED, actor=actor, data={"changed": changed})
    return locked


def relate(source: ConfigurationItem, target: ConfigurationItem, kind: str, *, actor) -> Relationship:
    """``source`` depends on / runs on / connects to ``target``."""
    if not can_keep_items(actor, source.contract):
        raise PermissionDenied(_("You may not keep this contract's configuration items."))
    if kind not in RelationKind.values:
        raise _refuse("kind", _("Choose one of: %(choices)s.") % {"choices": ", ".join(RelationKind.values)})
    if source.pk == target.pk:
        raise _refuse("target", _("An item cannot relate to itself."))
    if source.contract_id != target.contract_id:
        raise _refuse("target", _("Both items must belong to the same contract."))
    with transaction.atomic():
        relationship, made = Relationship.objects.get_or_create(source=source, target=target, kind=kind)
        if not made:
            raise _refuse("target", _("This relationship exists already."), 409)
        data = {"source": source.key, "kind": kind, "target": target.key}
        record(source, type=ItemHistory.RELATED, actor=actor, data=data)
        record(target, type=ItemHistory.RELATED, actor=actor, data=data)
    return relationship


def unrelate(relationship: Relationship, *, actor) -> None:
    if not can_keep_items(actor, relationship.source.contract):
        raise PermissionDenied(_("You may not keep this contract's configuration items."))
    with transaction.atomic():
        data = {"source": relationship.source.key, "kind": relationship.kind, "target": relationship.target.key}
        source, target = relationship.source, relationship.target
        relationship.delete()
        record(source, type=ItemHistory.UNRELATED, actor=actor, data=data)
        record(target, type=ItemHistory.UNRELATED, actor=actor, data=data)


def link_ticket(ticket, item: ConfigurationItem, *, actor) -> TicketItem:
    """The ticket names the item (its handlers do)."""
    if not can_link_items(actor, ticket):
        raise PermissionDenied(_("You may not work this ticket."))
    if item.contract_id != ticket.contract_id:
        raise _refuse("item", _("The item belongs to another contract than the ticket."))
    with transaction.atomic():
        link, made = TicketItem.objects.get_or_create(
            ticket=ticket, item=item, defaults={"linked_by": actor, "linked_at": timezone.now()}
        )
        if not made:
            raise _refuse("item", _("The ticket names this item already."), 409)
        record(item, type=ItemHistory.TICKET_LINKED, actor=actor, data={"ticket": ticket.number})
    return link


def unlink_ticket(link: TicketItem, *, actor) -> None:
    if not can_link_items(actor, link.ticket):
        raise PermissionDenied(_("You may not work this ticket."))
    with transaction.atomic():
        item, number = link.item, link.ticket.number
        link.delete()
        record(item, type=ItemHistory.TICKET_UNLINKED, actor=actor, data={"ticket": number})
