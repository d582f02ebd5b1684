"""Hours and invoices: who logs time on a contract, who approves it, who issues and reads invoices.

- Logging time is for the provider's staff of the contract (agents, resolvers, team leads,
  administrators of its provider organization), each for themselves.
- A person's week is approved by the customer's managers and administrators of the contract: the people
  who pay for the hours.
- Time entries and week approvals are read by the person who logged them and by the readers of the
  contract's reports (they carry the commercials); invoices by those readers.
- An invoice is issued by the provider's administrators and reporting analysts of the contract.
Another tenant's entries and invoices are not found.
"""

from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import STAFF_ROLES, Principal, principal_of
from servicepact.permissions.reports import can_read_reports, reads_reports, visible_reports

APPROVER_ROLES = (Role.CUSTOMER_MANAGER, Role.ADMINISTRATOR)
ISSUER_ROLES = (Role.ADMINISTRATOR, Role.REPORTING_ANALYST)


def can_log_time(user, contract) -> bool:
    who = principal_of(user)
    if who.is_anonymous:
        return False
    return who.is_provider and contract.provider_id == who.organization_id and bool(who.roles & STAFF_ROLES)


def logs_time(user) -> bool:
    """Whether the person may log time on some contract (the time page is offered to them)."""
    who = principal_of(user)
    return not who.is_anonymous and who.is_provider and bool(who.roles & STAFF_ROLES)


def owns_entry(user, entry) -> bool:
    """A time entry is put right (deleted) by the person who logged it only."""
    who = principal_of(user)
    return not who.is_anonymous and entry.person_id == who.user_id


def can_approve_time(user, contract) -> bool:
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    return who.is_customer and contract.customer_id == who.organization_id and who.has(*APPROVER_ROLES)


def can_issue_invoice(user, contract) -> bool:
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    return who.is_provider and contract.provider_id == who.organization_id and who.has(*ISSUER_ROLES)


def can_read_invoices(user, contract) -> bool:
    return can_read_reports(user, contract)


def reads_billing(user) -> bool:
    """The billing pages are for those who log time or read some contract's reports."""
    return logs_time(user) or reads_reports(user)


def visible_time(rows: QuerySet, who: Principal) -> QuerySet:
    """Entries and week approvals: one's own, and those of the contracts whose reports one reads."""
    if who.is_superuser:
        return rows
    readable = visible_reports(rows, who)
    return rows.filter(Q(person_id=who.user_id) | Q(pk__in=readable.values("pk")))


def visible_invoices(rows: QuerySet, who: Principal) -> QuerySet:
    return visible_reports(rows, who)
