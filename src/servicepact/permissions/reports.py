"""Stored reports, their subscriptions and deliveries: who reads, restates and backtests.

Reports are for the provider's people of the contract and for the customer's managers, reporting
analysts and administrators; they carry the commercials (credits), so requesters and other vendors see
none. A report of another tenant is not found (404), never forbidden, so its existence does not leak.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import Principal, principal_of

CUSTOMER_READER_ROLES = (Role.CUSTOMER_MANAGER, Role.REPORTING_ANALYST, Role.ADMINISTRATOR)
# Who recomputes a report: the provider's reporting analysts and administrators.
RESTATER_ROLES = (Role.REPORTING_ANALYST, Role.ADMINISTRATOR)


def readable_contracts(who: Principal, contract: str = "contract") -> Q | None:
    """The reports' (or subscriptions') contracts ``who`` reads, as a filter; None: none at all."""
    if who.is_provider and who.roles:
        return Q(**{f"{contract}__provider_id": who.organization_id})
    if who.is_customer and who.has(*CUSTOMER_READER_ROLES):
        return Q(**{f"{contract}__customer_id": who.organization_id})
    return None


def visible_reports(reports: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return reports
    readable = readable_contracts(who)
    return reports.none() if readable is None else reports.filter(readable)


def visible_subscriptions(subscriptions: QuerySet, who: Principal) -> QuerySet:
    """Who receives a contract's reports: for the people who read them."""
    return visible_reports(subscriptions, who)


def visible_deliveries(deliveries: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return deliveries
    reports = apps.get_model("slm", "StoredReport").objects.visible_to(who)
    return deliveries.filter(report__in=reports.values("pk"))


def visible_report_logs(logs: QuerySet, who: Principal) -> QuerySet:
    """A report's input log: for the readers of a report computed from it."""
    if who.is_superuser:
        return logs
    reports = apps.get_model("slm", "StoredReport").objects.visible_to(who)
    return logs.filter(pk__in=reports.values("log_id"))


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
    return who.is_superuser or readable_contracts(who) is not None


def can_read_report(user, report) -> bool:
    return can_read_reports(user, report.contract)


def can_restate_report(user, report) -> bool:
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.is_provider and report.contract.provider_id == who.organization_id and who.has(*RESTATER_ROLES)


def can_backtest(user, contract) -> bool:
    """Trying a draft contract on the history: either party's readers of the reports."""
    return can_read_reports(user, contract)
