"""The responsibility matrix: which queue a ticket goes to, by contract, service and category.

Among the rules that match a ticket, the one with the lowest precedence wins (ties: the older rule).
A rule matches when its service is empty or the ticket's, and its category is empty or the ticket's;
a rule with neither is the contract's default. A follow-the-sun rule (its ``sun_teams``) sends the ticket
to the first of its teams on shift when it is routed, and to its own team when none is.
"""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team
from servicepact.desk.models import RoutingRule, Ticket
from servicepact.refusals import ActionRefused
from servicepact.rosters.schedule import sun_team_for


def matching_rule(ticket: Ticket) -> RoutingRule:
    """The winning rule for ``ticket``; refused, naming the rule that is missing, when none matches."""
    service_matches = Q(service__isnull=True) | Q(service_id=ticket.service_id)
    category_matches = Q(category="") | Q(category=ticket.category)
    rule = (
        RoutingRule.objects.filter(contract_id=ticket.contract_id)
        .filter(service_matches, category_matches)
        .select_related("team")
        .order_by("precedence", "id")
        .first()
    )
    if rule is None:
        wanted = {
            "contract": ticket.contract.slug,
            "service": ticket.service.key,
            "category": ticket.category or "-",
        }
        message = (
            _(
                "No routing rule of contract %(contract)s matches service %(service)s and category %(category)s: "
                "add a rule for this service or category, or a default rule (no service, no category)."
            )
            % wanted
        )
        raise ActionRefused(message, errors={"routing": [message]}, status=409)
    return rule


def destination_team(rule: RoutingRule, at: datetime) -> Team | None:
    """The team a matching rule sends the ticket to at ``at``: follow-the-sun, else the rule's own."""
    return sun_team_for(rule, at) or rule.team
