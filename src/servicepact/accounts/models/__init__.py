from servicepact.accounts.models.directory import DirectorySource, DirectorySync
from servicepact.accounts.models.identity_provider import IdentityProvider
from servicepact.accounts.models.membership import Membership
from servicepact.accounts.models.organization import Organization
from servicepact.accounts.models.record import AdministrationAction, AdministrationRecord
from servicepact.accounts.models.team import Team
from servicepact.accounts.models.token import ApiToken
from servicepact.accounts.models.user import User
from servicepact.accounts.roles import OrganizationKind, Role

__all__ = [
    "AdministrationAction",
    "AdministrationRecord",
    "ApiToken",
    "DirectorySource",
    "DirectorySync",
    "IdentityProvider",
    "Membership",
    "Organization",
    "OrganizationKind",
    "Role",
    "Team",
    "User",
]
