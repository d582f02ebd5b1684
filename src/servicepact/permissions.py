"""Who may see and do what: the one place that knows the roles.

Every queryset of tenant data that reaches a view or the API goes through a ``visible_to(user)`` method
built on ``Principal``; views and API handlers never filter by tenant themselves.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from servicepact.accounts.models import Membership, OrganizationKind, Role, User

# Roles that work tickets (see internal notes, act on tickets in their queues).
STAFF_ROLES = frozenset({Role.AGENT, Role.RESOLVER, Role.TEAM_LEAD, Role.ADMINISTRATOR})
# Roles that see every ticket of their organization's contracts.
ORGANIZATION_WIDE_ROLES = frozenset({Role.CUSTOMER_MANAGER, Role.REPORTING_ANALYST, Role.ADMINISTRATOR, Role.AGENT})


@dataclass(frozen=True)
class Principal:
    """A person's standing: organization, its kind, roles, and teams."""

    user_id: int | None
    organization_id: int | None
    organization_kind: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    team_ids: frozenset[int] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def has(self, *roles: str) -> bool:
        return self.is_superuser or any(role in self.roles for role in roles)

    @property
    def is_staff_member(self) -> bool:
        """Works tickets: sees internal notes and may act on tickets it can see."""
        return self.is_superuser or bool(self.roles & STAFF_ROLES)

    @property
    def is_customer(self) -> bool:
        return self.organization_kind == OrganizationKind.CUSTOMER

    @property
    def is_vendor(self) -> bool:
        return self.organization_kind == OrganizationKind.VENDOR

    @property
    def is_provider(self) -> bool:
        return self.organization_kind == OrganizationKind.PROVIDER

    @property
    def sees_organization_tickets(self) -> bool:
        return bool(self.roles & ORGANIZATION_WIDE_ROLES) and not self.is_vendor


ANONYMOUS = Principal(user_id=None, organization_id=None, organization_kind=None)


def principal_of(user: User | AnonymousUser | None) -> Principal:
    """The principal of a user, computed once per user object (one query)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_principal", None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.filter(user=user).values_list("role", "team_id")
    )
    organization = user.organization
    principal = Principal(
        user_id=user.pk,
        organization_id=user.organization_id,
        organization_kind=organization.kind if organization else None,
        roles=frozenset(role for role, _ in memberships),
        team_ids=frozenset(team for _, team in memberships if team is not None),
        is_superuser=user.is_superuser,
    )
    user._principal = principal
    return principal


# Ticket predicates: the actions check them, and the API and views declare them beside each endpoint.
# ``ticket`` is a desk Ticket; this module does not import the desk app (the desk's queries import it).

TRIAGE_ROLES = frozenset({Role.AGENT, Role.TEAM_LEAD, Role.ADMINISTRATOR})


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
    """Acts on the ticket as its handler: the provider's staff, or the staff of the team holding it."""
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


def can_reply(user, ticket) -> bool:
    """Writes a public message on the ticket."""
    return can_work_ticket(user, ticket) or is_requester_side(user, ticket)


def can_see_internal(user, ticket) -> bool:
    """Sees and writes internal notes and private attachments: the provider's staff, and staff of the
    teams that hold or held the ticket (a vendor's engineers keep their work notes there too); never the
    requester side, never a team the ticket never reached.
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


def can_reopen(user, ticket) -> bool:
    return can_work_ticket(user, ticket) or is_requester_side(user, ticket)


def can_close(user, ticket) -> bool:
    """Closes a resolved ticket: its handlers, or the requester confirming the resolution."""
    return can_work_ticket(user, ticket) or is_requester_side(user, ticket)


def can_see_ticket(user, ticket) -> bool:
    return type(ticket).objects.visible_to(user).filter(pk=ticket.pk).exists()


def can_change_watchers(user, ticket, watcher) -> bool:
    """Anyone who sees a ticket may follow it; adding or removing someone else is the handlers' work."""
    if watcher.pk == getattr(user, "pk", None):
        return can_see_ticket(user, ticket)
    return can_work_ticket(user, ticket)


RESTATING_ROLES = frozenset({Role.REPORTING_ANALYST, Role.ADMINISTRATOR, Role.CUSTOMER_MANAGER})


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
