"""A person's standing: their organization, its kind, the roles and teams that count, computed once.

Roles count only in the organization of their membership, and only the memberships in the person's own
organization count. A requester of the customer who is also given an agent membership in another
organization is a requester and nothing more: neither staff of that organization (they do not belong to
it) nor staff of their own (the role was not given there). Teams count the same way: a membership's team
counts when it is a team of the person's own organization.
"""

from dataclasses import dataclass, field, replace

from django.db.models import F, Q

from servicepact.accounts.roles import OrganizationKind, Role
from servicepact.runtime.generation import ProcessCache

# Roles that work tickets (see internal notes, act on tickets in their queues).
STAFF_ROLES = frozenset({Role.AGENT, Role.RESOLVER, Role.TEAM_LEAD, Role.ADMINISTRATOR})
# Roles that see every ticket of their organization's contracts.
ORGANIZATION_WIDE_ROLES = frozenset({Role.CUSTOMER_MANAGER, Role.REPORTING_ANALYST, Role.ADMINISTRATOR, Role.AGENT})
# Roles that route, reassign and re-prioritize.
TRIAGE_ROLES = frozenset({Role.AGENT, Role.TEAM_LEAD, Role.ADMINISTRATOR})

# The memberships that give standing, as a filter of Membership rows: those in the member's own
# organization. Every query that finds people by role uses it (``principal_of``, breach warnings'
# recipients, a team's assignable members).
COUNTED_MEMBERSHIPS = Q(organization_id=F("user__organization_id"))
# The same, as a filter of User rows through their memberships.
COUNTED_MEMBERSHIP_OF_USER = Q(memberships__organization_id=F("organization_id"))


@dataclass(frozen=True)
class Principal:
    """A person's standing: organization, its kind, the roles and teams that count."""

    user_id: int | None
    organization_id: int | None
    organization_kind: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    team_ids: frozenset[int] = field(default_factory=frozenset)
    team_slugs: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False
    # Answers the access rules computed once for this principal (one request's user): partner organizations.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

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


def principal_of(user) -> Principal:
    """The principal of a user (a Principal is its own), computed once per user object in one query.

    A user authenticated by an API token carries the caches' generation read with the token: their
    standing is then kept per process until a membership, team or organization changes anywhere."""
    if isinstance(user, Principal):
        return user
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_principal", None)
    if cached is not None:
        return cached
    organization = user.organization
    key = (user.pk, user.organization_id, organization.kind if organization else None, user.is_superuser)
    kept = _principals.get(getattr(user, "cache_generation", None), key, lambda: _standing(user, organization))
    principal = replace(kept, memo={})
    user._principal = principal
    return principal


_principals = ProcessCache()


def _standing(user, organization) -> Principal:
    memberships = []
    if organization is not None:
        memberships = list(
            user.memberships.filter(organization_id=organization.pk).values_list(
                "role", "team_id", "team__slug", "team__organization_id"
            )
        )
    own_teams = [
        (team_id, slug)
        for _, team_id, slug, team_organization in memberships
        if team_id is not None and team_organization == user.organization_id
    ]
    return Principal(
        user_id=user.pk,
        organization_id=user.organization_id,
        organization_kind=organization.kind if organization else None,
        roles=frozenset(role for role, *_ in memberships),
        team_ids=frozenset(team_id for team_id, _ in own_teams),
        team_slugs=frozenset(slug for _, slug in own_teams),
        is_superuser=user.is_superuser,
    )
