"""Reads of tickets; ``visible_to`` is the only way views and the API reach them."""

from django.db import models

from servicepact.permissions import principal_of


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TicketQuerySet":
        """The tickets a person may see; the tenant filter comes first.

        - customer organization: managers, analysts and administrators see its tickets; a requester sees
          the tickets they requested or watch; the customer's own resolver teams also see their queues;
        - provider organization: staff see the tickets of the contracts it provides;
        - vendor organization: only tickets that are or were in one of its teams' queues.
        """
        who = principal_of(user)
        if who.is_anonymous:
            return self.none()
        if who.is_superuser:
            return self
        if who.is_provider:
            if not who.roles:
                return self.none()
            return self.filter(contract__provider_id=who.organization_id)
        if who.is_vendor:
            return self.filter(team_visits__team_id__in=who.team_ids).distinct()
        if who.is_customer:
            tenant = self.filter(customer_id=who.organization_id)
            if who.sees_organization_tickets:
                return tenant
            mine = models.Q(requester_id=who.user_id) | models.Q(watchers=who.user_id)
            if who.team_ids:
                mine |= models.Q(team_visits__team_id__in=who.team_ids)
            return tenant.filter(mine).distinct()
        return self.none()

    def in_queue(self, team_id: int) -> "TicketQuerySet":
        return self.filter(team_id=team_id)

    def open(self) -> "TicketQuerySet":
        return self.exclude(status__in=("resolved", "closed"))

    def by_due(self) -> "TicketQuerySet":
        return self.order_by(models.F("due_at").asc(nulls_last=True), "created_at")
