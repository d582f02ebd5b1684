"""Problems, known errors and the suggestions of recurring incidents: who reads them and who works them.

A problem names the contract's services and incidents, so it is read by the contract's parties who read
its tickets organization-wide: the provider's people with a role and the customer's managers, analysts and
administrators; requesters and other vendors see none. The provider's staff (agents, resolvers, team
leads, administrators) raise and work problems, publish known errors and link them to tickets they work.
How often incidents must repeat before a problem is suggested is set by the team leads and administrators
of the provider and the administrators of the customer.
"""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import STAFF_ROLES, Principal, principal_of
from servicepact.permissions.reports import can_read_reports, readable_contracts, reads_reports

SETTINGS_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATOR)


def visible_problems(rows: QuerySet, who: Principal) -> QuerySet:
    """Problems, suggestions and recurrence settings: the contract's readers."""
    if who.is_superuser:
        return rows
    readable = readable_contracts(who)
    return rows.none() if readable is None else rows.filter(readable)


def visible_known_errors(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    readable = readable_contracts(who, "problem__contract")
    return rows.none() if readable is None else rows.filter(readable)


def visible_problem_incidents(rows: QuerySet, who: Principal) -> QuerySet:
    """A problem's link to an incident: for whoever reads the problem and sees the ticket."""
    if who.is_superuser:
        return rows
    problems = apps.get_model("problems", "Problem").objects.visible_to(who)
    tickets = apps.get_model("desk", "Ticket").objects.visible_to(who)
    return rows.filter(problem__in=problems.values("pk"), ticket__in=tickets.values("pk"))


def visible_ticket_known_errors(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    errors = apps.get_model("problems", "KnownError").objects.visible_to(who)
    tickets = apps.get_model("desk", "Ticket").objects.visible_to(who)
    return rows.filter(known_error__in=errors.values("pk"), ticket__in=tickets.values("pk"))


# The contract's problems are read by the readers of its reports: the same rule, named for this page.
can_read_problems = can_read_reports
reads_problems = reads_reports


def can_work_problems(user, contract) -> bool:
    """Raises and works the contract's problems: the provider's staff."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    return who.is_provider and contract.provider_id == who.organization_id and bool(who.roles & STAFF_ROLES)


def works_problems(user) -> bool:
    who = principal_of(user)
    return who.is_superuser or (who.is_provider and bool(who.roles & STAFF_ROLES))


def can_work_problem(user, problem) -> bool:
    return can_work_problems(user, problem.contract)


def can_work_suggestion(user, suggestion) -> bool:
    return can_work_problems(user, suggestion.contract)


def can_work_known_error(user, known_error) -> bool:
    return can_work_problems(user, known_error.problem.contract)


def can_set_recurrence(user, contract) -> bool:
    """Sets how often incidents repeat before a problem is suggested."""
    who = principal_of(user)
    if who.is_superuser:
        return True
    if who.organization_id == contract.provider_id:
        return who.has(*SETTINGS_ROLES)
    return who.organization_id == contract.customer_id and who.has(Role.ADMINISTRATOR)


def sets_recurrence_somewhere(user) -> bool:
    who = principal_of(user)
    return (
        who.is_superuser
        or (who.is_provider and who.has(*SETTINGS_ROLES))
        or (who.is_customer and who.has(Role.ADMINISTRATOR))
    )
