"""Reads of tickets: queues and orderings. Who sees which ticket is the access layer's ``visible_to``."""

from django.db import models

from servicepact.permissions.querysets import AccessQuerySet


class TicketQuerySet(AccessQuerySet):
    def in_queue(self, team_id: int) -> "TicketQuerySet":
        return self.filter(team_id=team_id)

    def open(self) -> "TicketQuerySet":
        return self.exclude(status__in=("resolved", "closed"))

    def by_due(self) -> "TicketQuerySet":
        return self.order_by(models.F("due_at").asc(nulls_last=True), "created_at")
