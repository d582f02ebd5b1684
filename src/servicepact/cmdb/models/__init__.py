from servicepact.cmdb.classes import ItemClass
from servicepact.cmdb.models.item import ConfigurationItem, Criticality, ItemHistory, Lifecycle
from servicepact.cmdb.models.relationship import RelationKind, Relationship
from servicepact.cmdb.models.ticket_item import TicketItem

__all__ = [
    "ConfigurationItem",
    "Criticality",
    "ItemClass",
    "ItemHistory",
    "Lifecycle",
    "RelationKind",
    "Relationship",
    "TicketItem",
]
