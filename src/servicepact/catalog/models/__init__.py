from servicepact.catalog.models.item import CatalogItem, FieldKind, ItemField, ItemTask, TaskOrder
from servicepact.catalog.models.request import Approval, RequestTask, ServiceRequest

__all__ = [
    "Approval",
    "CatalogItem",
    "FieldKind",
    "ItemField",
    "ItemTask",
    "RequestTask",
    "ServiceRequest",
    "TaskOrder",
]
