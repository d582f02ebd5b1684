"""Filters of ticket lists, shared by the API and the web queues.

``TicketFilters`` validates the query parameters (a pydantic model, so the API documents it and a view
can validate ``request.GET`` with it); ``apply`` narrows an already visible queryset. Names that point to
other objects (team slug, service key, contract slug, assignee e-mail) must exist among the objects the
person may see; an unknown one is an error naming the field, never an empty list that looks like an answer.
"""

from datetime import datetime
from typing import Annotated

from django.db.models import QuerySet
from pydantic import BaseModel, Field, StringConstraints

from servicepact.accounts.models import Team, User
from servicepact.contracts.models import Contract, Service
from servicepact.desk.models import Kind, Status
from servicepact.desk.queries import OPEN_STATUS_VALUES, SETTLED_STATUS_VALUES
from servicepact.desk.search import search
from servicepact.refusals import ActionRefused

# Assignee filter value meaning "nobody is assigned".
UNASSIGNED = "none"


class TicketFilters(BaseModel):
    status: list[Status] = Field(
        default_factory=list, description="One or more statuses; `open` is not a status, use `open=true`."
    )
    open: bool | None = Field(
        None, description="Only tickets not yet resolved or closed (true), or only those (false)."
    )
    priority: list[Annotated[str, StringConstraints(min_length=1, max_length=8)]] = Field(
        default_factory=list, description="One or more priorities, e.g. P1."
    )
    team: str | None = Field(None, max_length=64, description="The slug of the team whose queue holds the ticket.")
    assignee: str | None = Field(None, max_length=254, description="The assignee's e-mail, or `none` for unassigned.")
    service: str | None = Field(None, max_length=64, description="The service's key in the contract, e.g. sap-erp.")
    contract: str | None = Field(None, max_length=64, description="The contract's slug.")
    kind: Kind | None = None
    q: str | None = Field(
        None,
        max_length=200,
        description="Search: a ticket number, or words of the title, description, requester or public replies.",
    )
    breached: bool | None = Field(None, description="Only tickets with (true) or without (false) a breached clock.")
    due_before: datetime | None = Field(
        None, description="Only tickets due before this instant (RFC 3339 with offset)."
    )


def _refuse(field: str, message: str) -> ActionRefused:
    return ActionRefused("Some filters are invalid.", errors={field: [message]}, status=422)


def apply(tickets: QuerySet, filters: TicketFilters, user) -> QuerySet:
    """Narrow ``tickets`` (already ``visible_to(user)``) by ``filters``; unknown names raise ActionRefused."""
    if filters.status:
        tickets = tickets.filter(status__in=[str(status) for status in filters.status])
    if filters.open is not None:
        # a list of the open statuses, not "not resolved or closed": the queue indexes lead with the status
        tickets = tickets.filter(status__in=OPEN_STATUS_VALUES if filters.open else SETTLED_STATUS_VALUES)
    if filters.priority:
        tickets = tickets.filter(priority__in=[value.upper() for value in filters.priority])
    if filters.kind:
        tickets = tickets.filter(kind=filters.kind)
    if filters.breached is not None:
        tickets = tickets.filter(breached=filters.breached)
    if filters.due_before is not None:
        if filters.due_before.tzinfo is None:
            raise _refuse("due_before", "Give the instant with its offset, e.g. 2026-03-02T09:00:00Z.")
        tickets = tickets.filter(due_at__lt=filters.due_before)
    if filters.contract:
        contract = Contract.objects.visible_to(user).filter(slug=filters.contract).first()
        if contract is None:
            raise _refuse("contract", f"No contract '{filters.contract}'.")
        tickets = tickets.filter(contract=contract)
    if filters.service:
        services = Service.objects.visible_to(user).filter(key=filters.service)
        if filters.contract:
            services = services.filter(contract__slug=filters.contract)
        service_ids = list(services.values_list("pk", flat=True))
        if not service_ids:
            raise _refuse("service", f"No service '{filters.service}'.")
        tickets = tickets.filter(service_id__in=service_ids)
    if filters.team:
        team = Team.objects.visible_to(user).filter(slug=filters.team).first()
        if team is None:
            raise _refuse("team", f"No team '{filters.team}'.")
        tickets = tickets.filter(team=team)
    if filters.assignee:
        if filters.assignee.lower() == UNASSIGNED:
            tickets = tickets.filter(assignee__isnull=True)
        else:
            person = User.objects.visible_to(user).filter(email=filters.assignee.lower()).first()
            if person is None:
                raise _refuse("assignee", f"No person '{filters.assignee}'.")
            tickets = tickets.filter(assignee=person)
    if filters.q:
        tickets = tickets.filter(search(filters.q))
    return tickets
