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
