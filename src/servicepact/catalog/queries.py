"""Reads of the catalogue: the items a person may ask for, searched; the requests waiting for a person."""

from django.db.models import Q, QuerySet

from servicepact.catalog.models import Approval, CatalogItem, ServiceRequest


def offered_items(user) -> QuerySet:
    """The offered items of the contracts ``user`` sees the catalogue of, with what a list shows."""
    return (
        CatalogItem.objects.visible_to(user)
        .filter(active=True)
        .select_related("contract", "service", "team")
        .order_by("contract__slug", "position", "name")
    )


def search_items(items: QuerySet, query: str) -> QuerySet:
    """Items whose name or description (either language) holds every word of ``query``."""
    for word in query.split()[:10]:
        items = items.filter(
            Q(name__icontains=word)
            | Q(name_zh__icontains=word)
            | Q(description__icontains=word)
            | Q(description_zh__icontains=word)
            | Q(key__icontains=word)
        )
    return items


def waiting_for(user) -> QuerySet:
    """The requests waiting for ``user``'s approval, oldest first."""
    return (
        ServiceRequest.objects.visible_to(user)
        .filter(approver=user, approval=Approval.PENDING)
        .select_related("ticket__requester", "item")
        .order_by("submitted_at")
    )
