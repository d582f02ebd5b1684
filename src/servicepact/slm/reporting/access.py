"""Who sees and restates stored reports: ``StoredReportQuerySet.visible_to`` is the only way to reach them.

Reports are for the provider's staff of the contract and for the customer's managers, reporting
analysts and administrators; they carry the commercials (credits), so requesters and other vendors see
none. A report of another tenant is not found (404), never forbidden, so its existence does not leak.
"""

from servicepact.accounts.models import Role
from servicepact.permissions import principal_of
from servicepact.write_once import WriteOnceQuerySet

CUSTOMER_READER_ROLES = (Role.CUSTOMER_MANAGER, Role.REPORTING_ANALYST, Role.ADMINISTRATOR)
# Who recomputes a report: the provider's reporting analysts and administrators.
RESTATER_ROLES = (Role.REPORTING_ANALYST, Role.ADMINISTRATOR)


class StoredReportQuerySet(WriteOnceQuerySet):
    def visible_to(self, user) -> "StoredReportQuerySet":
        who = principal_of(user)
        if who.is_anonymous:
            return self.none()
        if who.is_superuser:
            return self
        if who.is_provider and who.roles:
            return self.filter(contract__provider_id=who.organization_id)
        if who.is_customer and who.has(*CUSTOMER_READER_ROLES):
            return self.filter(contract__customer_id=who.organization_id)
        return self.none()


def can_read_reports(user, contract) -> bool:
    """Whether ``user`` may see the reports of ``contract`` (the same rule as ``visible_to``)."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    if who.is_provider and who.roles:
        return contract.provider_id == who.organization_id
    return who.is_customer and who.has(*CUSTOMER_READER_ROLES) and contract.customer_id == who.organization_id


def reads_reports(user) -> bool:
    """Whether ``user`` holds a role that reads some contract's reports (the roles ``visible_to`` admits),
    without asking which contracts: it decides whether the header offers the reports at all."""
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    if who.is_provider:
        return bool(who.roles)
    return who.is_customer and who.has(*CUSTOMER_READER_ROLES)


def can_restate_report(user, report) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.is_provider and report.contract.provider_id == who.organization_id and who.has(*RESTATER_ROLES)


def can_backtest(user, contract) -> bool:
    """Trying a draft contract on the history: either party's readers of the reports."""
    return can_read_reports(user, contract)
