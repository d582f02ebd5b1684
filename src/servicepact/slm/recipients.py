"""Who a breach warning goes to: the contract names roles, this module finds the people.

Roles: ``assignee``; ``team_lead`` (team leads of the team holding the ticket, or of the OLA's team);
``on_call``: nobody by mail when the team has an on-call rotation (the warning pages the person on call,
``oncall``), otherwise the same team leads; ``customer_manager`` (the
customer's managers); ``requester``; ``watchers``. A role this module does not know finds nobody and
is logged, so a typo in a contract shows in the log rather than failing the sweep.
"""

import logging

from servicepact.accounts.models import Role, Team, User
from servicepact.desk.models import Ticket
from servicepact.oncall.schedule import has_rotation
from servicepact.permissions import COUNTED_MEMBERSHIP_OF_USER

logger = logging.getLogger(__name__)


def _team_leads(team_id: int | None) -> list[User]:
    if team_id is None:
        return []
    return list(
        User.objects.filter(
            COUNTED_MEMBERSHIP_OF_USER,
            memberships__team_id=team_id,
            memberships__role=Role.TEAM_LEAD,
            is_active=True,
        ).distinct()
    )


def _customer_managers(ticket: Ticket) -> list[User]:
    return list(
        User.objects.filter(
            organization_id=ticket.customer_id,
            memberships__organization_id=ticket.customer_id,
            memberships__role=Role.CUSTOMER_MANAGER,
            is_active=True,
        ).distinct()
    )


def people_for_roles(ticket: Ticket, roles: tuple[str, ...] | list[str], *, team_slug: str | None = None) -> list[User]:
    """The active people with an e-mail address who hold ``roles`` for ``ticket``, each once, in role order.

    ``team_slug`` names the team whose leads are meant (an OLA clock's team); by default the ticket's.
    """
    team_id = ticket.team_id
    if team_slug is not None:
        team_id = Team.objects.filter(slug=team_slug).values_list("pk", flat=True).first()
    found: list[User] = []
    for role in roles:
        if role == "assignee":
            people = [ticket.assignee] if ticket.assignee_id else []
        elif role == "team_lead":
            people = _team_leads(team_id)
        elif role == "on_call":
            people = [] if has_rotation(team_id) else _team_leads(team_id)
        elif role == "customer_manager":
            people = _customer_managers(ticket)
        elif role == "requester":
            people = [ticket.requester]
        elif role == "watchers":
            people = list(ticket.watchers.filter(is_active=True))
        else:
            logger.warning("breach warning of %s names role %r, which finds nobody", ticket.number, role)
            people = []
        for person in people:
            if person.is_active and person.email and all(person.pk != known.pk for known in found):
                found.append(person)
    return found
