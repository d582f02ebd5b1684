"""Reads of tickets: queues and orderings. Who sees which ticket is the access layer's ``visible_to``."""

from django.db import models
from django.db.models.expressions import OrderBy

from servicepact.desk.models.choices import OPEN_STATUSES, Status
from servicepact.permissions.querysets import AccessQuerySet

# Open and settled statuses as lists of values: ``status IN (...)`` seeks the queue indexes (team, status,
# due), (assignee, status, due), ...; ``NOT status IN ('resolved', 'closed')`` would read every ticket.
OPEN_STATUS_VALUES = sorted(str(status) for status in OPEN_STATUSES)
SETTLED_STATUS_VALUES = [str(Status.RESOLVED), str(Status.CLOSED)]

# The columns a ticket list may be sorted by, and the fields each one orders (ties: by due time, then age).
SORT_FIELDS = {
    "number": ("number",),
    "priority": ("priority",),
    "title": ("title",),
    "status": ("status",),
    "due": ("due_at",),
    "service": ("service__key",),
    "team": ("team__name",),
    "assignee": ("assignee__full_name",),
    "created": ("created_at",),
    "updated": ("updated_at",),
}
DEFAULT_SORT = "due"


class TicketQuerySet(AccessQuerySet):
    def in_queue(self, team_id: int) -> "TicketQuerySet":
        return self.filter(team_id=team_id)

    def open(self) -> "TicketQuerySet":
        return self.filter(status__in=OPEN_STATUS_VALUES)

    def by_due(self) -> "TicketQuerySet":
        return self.order_by(models.F("due_at").asc(nulls_last=True), "created_at")

    def sorted_by(self, key: str, descending: bool = False) -> "TicketQuerySet":
        """Ordered by one of ``SORT_FIELDS``; empty values (no due time, no team) always come last."""
        order: list[OrderBy] = [
            models.F(field).desc(nulls_last=True) if descending else models.F(field).asc(nulls_last=True)
            for field in SORT_FIELDS[key]
        ]
        return self.order_by(*order, models.F("due_at").asc(nulls_last=True), "created_at", "pk")
