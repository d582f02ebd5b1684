"""Tickets and what hangs off them: who sees a ticket, its events, attachments, teams, clocks,
restatements and outgoing messages, and who may act on it.

Each rule is written twice, side by side: as a predicate on one ticket (the actions check it, the
pages and operations declare it) and as a filter of a queryset (``visible_to``). Both read the same
``Principal`` properties and role sets, and a test holds them to the same answers.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.clocks import hidden_clock_rows
from servicepact.permissions.principal import TRIAGE_ROLES, Principal, principal_of

# Either party's people who recompute a ticket's clocks under another contract version.
RESTATING_ROLES = frozenset({Role.REPORTING_ANALYST, Role.ADMINISTRATOR, Role.CUSTOMER_MANAGER})


def tickets_of(who: Principal) -> QuerySet:
    """The tickets ``who`` sees, for the scopes of what hangs off a ticket."""
    return apps.get_model("desk", "Ticket").objects.visible_to(who)


# -- seeing --------------------------------------------------------------------------------------------------


def held_by_teams(team_ids) -> Q:
    """Tickets that are or were in the queue of one of ``team_ids``.

    A semi-join (``pk IN (...)``) rather than a join: a join repeats a ticket once per matching team row and
    needs a ``DISTINCT`` over the whole result, which a queue's page and count then pay for at every size."""
    visits = apps.get_model("desk", "TicketTeam").objects.filter(team_id__in=team_ids)
    return Q(pk__in=visits.values("ticket_id"))


def watched_by(user_id) -> Q:
    """Tickets ``user_id`` watches, as a semi-join (see ``held_by_teams``)."""
    watching = apps.get_model("desk", "Ticket").watchers.through.objects.filter(user_id=user_id)
    return Q(pk__in=watching.values("ticket_id"))


def visible_tickets(tickets: QuerySet, who: Principal) -> QuerySet:
    """The tickets a person may see; the tenant filter comes first.

    - customer organization: managers, analysts and administrators see its tickets; a requester sees
      the tickets they requested or watch; the customer's own resolver teams also see their queues;
    - provider organization: people with a role see the tickets of the contracts it provides;
    - vendor organization: only tickets that are or were in one of its teams' queues.
    """
    if who.is_superuser:
        return tickets
    if who.is_provider:
        return tickets.filter(contract__provider_id=who.organization_id) if who.roles else tickets.none()
    if who.is_vendor:
        return tickets.filter(held_by_teams(who.team_ids))
    if who.is_customer:
        tenant = tickets.filter(customer_id=who.organization_id)
        if who.sees_organization_tickets:
            return tenant
        mine = Q(requester_id=who.user_id) | watched_by(who.user_id)
        if who.team_ids:
            mine |= held_by_teams(who.team_ids)
        return tenant.filter(mine)
    return tickets.none()


def can_see_ticket(user, ticket) -> bool:
    return type(ticket).objects.visible_to(user).filter(pk=ticket.pk).exists()


def can_see_internal(user, ticket) -> bool:
    """Sees and writes internal notes and private attachments: the provider's staff, the customer's
    administrators, and staff of the teams that hold or held the ticket (a vendor's engineers keep their
    work notes there too); never the requester side, never a team the ticket never reached.
    """
    who = principal_of(user)
    if who.is_superuser:
        return True
    if not who.is_staff_member:
        return False
    if who.is_provider:
        return ticket.contract.provider_id == who.organization_id
    if who.is_customer and ticket.customer_id == who.organization_id and who.has(Role.ADMINISTRATOR):
        return True
    return bool(who.team_ids) and ticket.team_visits.filter(team_id__in=who.team_ids).exists()


def staff_tickets(tickets: QuerySet, who: Principal, teams: Q) -> QuerySet:
    """The tickets a staff member handles: all of the provider's contracts for the provider's staff; for the
    customer's staff those whose team rows match ``teams``, and all of their organization's for its
    administrators. The shape shared by ``internal_tickets`` and ``worked_tickets``."""
    if who.is_superuser:
        return tickets
    if not who.is_staff_member:
        return tickets.none()
    if who.is_provider:
        return tickets.filter(contract__provider_id=who.organization_id)
    if who.is_customer and who.has(Role.ADMINISTRATOR):
        teams |= Q(customer_id=who.organization_id)
    return tickets.filter(teams)


def internal_tickets(tickets: QuerySet, who: Principal) -> QuerySet:
    """The tickets whose internal material ``who`` sees: ``can_see_internal`` as a filter."""
    return staff_tickets(tickets, who, held_by_teams(who.team_ids))


def visible_events(events: QuerySet, who: Principal) -> QuerySet:
    """Public events of the tickets one sees; internal ones (notes, clock warnings, assignee changes) to
    those who see the ticket's internal material; a warning about an internal clock only to those who
    see that clock (``permissions.clocks``)."""
    tickets = tickets_of(who)
    internal = internal_tickets(tickets, who)
    events = events.filter(ticket__in=tickets.values("pk"))
    events = events.filter(Q(public=True) | Q(ticket__in=internal.values("pk")))
    if not who.is_staff_member:
        return events  # no internal event at all, clock warnings included
    return events.exclude(Q(type="clock_warning") & hidden_clock_rows(who, clock_field="data__clock"))


def visible_attachments(attachments: QuerySet, who: Principal) -> QuerySet:
    """Public files of the tickets one sees; private ones to those who see internal material."""
    tickets = tickets_of(who)
    internal = internal_tickets(tickets, who)
    return attachments.filter(ticket__in=tickets.values("pk")).filter(
        Q(public=True) | Q(ticket__in=internal.values("pk"))
    )


def visible_ticket_teams(visits: QuerySet, who: Principal) -> QuerySet:
    """Which teams held a ticket: for whoever sees the ticket."""
    return visits.filter(ticket__in=tickets_of(who).values("pk"))


def visible_clock_states(clocks: QuerySet, who: Principal) -> QuerySet:
    """The stored clocks of the tickets one sees, internal clocks only where ``who`` sees them.

    Clock rows are read for a page of tickets: each row's ticket is checked on its own (a correlated
    ``EXISTS``), so the page's ticket ids lead. With ``IN`` over every visible ticket, SQLite read that whole
    list first, about a second at a million tickets."""
    visible = Exists(tickets_of(who).filter(pk=OuterRef("ticket_id")))
    return clocks.filter(visible).exclude(hidden_clock_rows(who, clock_field="clock"))


def visible_outbox(messages: QuerySet, who: Principal) -> QuerySet:
    """Outgoing messages about tickets whose internal material one sees; messages about no ticket only to
    superusers (they are the service's own mail)."""
    if who.is_superuser:
        return messages
    return messages.filter(ticket__in=internal_tickets(tickets_of(who), who).values("pk"))


# -- acting --------------------------------------------------------------------------------------------------


def can_create_ticket(user, contract) -> bool:
    """The customer's people report for themselves; the provider's desk records on someone's behalf."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    if who.organization_id == contract.customer_id:
        return bool(who.roles)
    if who.organization_id == contract.provider_id:
        return who.has(*TRIAGE_ROLES)
    return False


def can_work_ticket(user, ticket) -> bool:
    """Acts on the ticket as its handler: the provider's staff, the staff of the team holding it, or the
    customer's administrators."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    if not who.is_staff_member:
        return False
    if who.is_provider:
        return ticket.contract.provider_id == who.organization_id
    if ticket.team_id is not None and ticket.team_id in who.team_ids:
        return True
    return who.is_customer and ticket.customer_id == who.organization_id and who.has(Role.ADMINISTRATOR)


def worked_tickets(tickets: QuerySet, who: Principal) -> QuerySet:
    """``can_work_ticket`` as a filter."""
    return staff_tickets(tickets, who, Q(team_id__in=who.team_ids))


def can_triage(user, ticket) -> bool:
    """Routes, reassigns and re-prioritizes: the desk's agents, team leads and administrators."""
    who = principal_of(user)
    return can_work_ticket(user, ticket) and who.has(*TRIAGE_ROLES)


def is_requester_side(user, ticket) -> bool:
    """The requester, or the customer's managers, who speak for the customer on the ticket."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if ticket.requester_id == who.user_id:
        return True
    return who.organization_id == ticket.customer_id and who.has(Role.CUSTOMER_MANAGER)


def speaks_for_customer(user, ticket) -> bool:
    """A public message by this person is the customer's, never the provider's response: the requester
    and every person of the customer organization, its own resolver teams and administrators included.
    Only the provider's side (its staff and other vendors' staff working the ticket) responds."""
    who = principal_of(user)
    if ticket.requester_id is not None and ticket.requester_id == who.user_id:
        return True
    return who.organization_id is not None and who.organization_id == ticket.customer_id


def can_reply(user, ticket) -> bool:
    """Writes a public message on the ticket."""
    return can_work_ticket(user, ticket) or is_requester_side(user, ticket)


def can_reopen(user, ticket) -> bool:
    return can_work_ticket(user, ticket) or is_requester_side(user, ticket)


def can_close(user, ticket) -> bool:
    """Closes a resolved ticket: its handlers, or the requester confirming the resolution."""
    return can_work_ticket(user, ticket) or is_requester_side(user, ticket)


def can_change_watchers(user, ticket, watcher) -> bool:
    """Anyone who sees a ticket may follow it; adding or removing someone else is the handlers' work."""
    if watcher.pk == getattr(user, "pk", None):
        return can_see_ticket(user, ticket)
    return can_work_ticket(user, ticket)


def can_restate(user, ticket) -> bool:
    """Recomputes a ticket's clocks under another contract version: either party's reporting people."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    parties = (ticket.customer_id, ticket.contract.provider_id)
    return who.organization_id in parties and who.has(*RESTATING_ROLES)


def can_see_restatements(user, ticket) -> bool:
    """Reads a ticket's restatements: the people who may make one, and the staff who work the ticket."""
    return can_restate(user, ticket) or can_work_ticket(user, ticket)


def visible_restatements(restatements: QuerySet, who: Principal) -> QuerySet:
    """``can_see_restatements`` as a filter, over the tickets one sees."""
    if who.is_superuser:
        return restatements
    tickets = tickets_of(who)
    readable = Q(ticket__in=worked_tickets(tickets, who).values("pk"))
    if who.has(*RESTATING_ROLES):
        readable |= Q(ticket__customer_id=who.organization_id) | Q(ticket__contract__provider_id=who.organization_id)
    return restatements.filter(ticket__in=tickets.values("pk")).filter(readable)
