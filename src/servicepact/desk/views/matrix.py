"""The responsibility matrix of a contract, read-only, for everybody who works its tickets.

Administrators change it in their organization's administration; agents and resolvers read here which
rule routed a ticket (the timeline links to the rule) and where the others send theirs.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from servicepact.contracts.models import Contract, attach_terms
from servicepact.desk.models import RoutingRule
from servicepact.desk.views.timeline import rule_text
from servicepact.permissions.declared import person_view, works_tickets


@person_view(works_tickets)
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    contract = get_object_or_404(Contract.objects.visible_to(request.user), slug=slug)
    rules = list(
        RoutingRule.objects.visible_to(request.user)
        .filter(contract=contract)
        .select_related("service", "team", "team__organization")
        .order_by("precedence", "pk")
    )
    attach_terms([rule.service for rule in rules if rule.service is not None])
    for rule in rules:
        rule.text = rule_text(rule)
    return render(request, "desk/matrix.html", {"contract": contract, "rules": rules})
