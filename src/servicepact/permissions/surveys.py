"""Satisfaction surveys: who answers them and who reads the results.

A ticket's survey is answered by its requester, and read by them and by the people who read the
contract's reports (both parties: the provider learns from the comments, the customer's managers watch
the figure the contract measures). A relationship survey is answered by the customer's managers of the
contract, once each; its rounds are opened by either party's administrators and reporting analysts, and
read with their answers by the contract's report readers.
"""

from django.db.models import Q, QuerySet

from servicepact.accounts.roles import Role
from servicepact.permissions.principal import Principal, principal_of
from servicepact.permissions.reports import can_read_reports, readable_contracts

ROUND_OPENER_ROLES = (Role.ADMINISTRATOR, Role.REPORTING_ANALYST)


def visible_ticket_surveys(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    own = Q(requester_id=who.user_id)
    readable = readable_contracts(who)
    return rows.filter(own if readable is None else own | readable)


def visible_rounds(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    readable = readable_contracts(who)
    return rows.none() if readable is None else rows.filter(readable)


def visible_relationship_answers(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    own = Q(person_id=who.user_id)
    readable = readable_contracts(who, "round__contract")
    return rows.filter(own if readable is None else own | readable)


def can_answer_ticket_survey(user, survey) -> bool:
    who = principal_of(user)
    return not who.is_anonymous and survey.requester_id == who.user_id


def requested_ticket(user, ticket) -> bool:
    """The ticket's requester: who answers its survey from the portal."""
    who = principal_of(user)
    return not who.is_anonymous and ticket.requester_id == who.user_id


def reads_survey_results(user, contract) -> bool:
    return can_read_reports(user, contract)


def can_open_round(user, contract) -> bool:
    who = principal_of(user)
    if who.is_anonymous:
        return False
    if who.is_superuser:
        return True
    parties = (contract.customer_id, contract.provider_id)
    return who.organization_id in parties and who.has(*ROUND_OPENER_ROLES)


def can_answer_round(user, survey_round) -> bool:
    who = principal_of(user)
    if who.is_anonymous:
        return False
    return who.organization_id == survey_round.contract.customer_id and who.has(Role.CUSTOMER_MANAGER)
