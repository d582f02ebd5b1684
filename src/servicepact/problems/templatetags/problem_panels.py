"""``{% known_errors_panel ticket %}`` on a ticket's page: the known errors that match the ticket, for the
people who work it, with a button to link each; ``{% problem_causes report %}`` in a service report: the
problems opened and closed in the report's period by kind of cause."""

from django import template

from servicepact.permissions import can_work_ticket
from servicepact.permissions.problems import can_read_problems, can_work_problems
from servicepact.problems.models import Problem, TicketKnownError
from servicepact.problems.queries import causes_in_period, matching_known_errors, problems_in_period

register = template.Library()


@register.inclusion_tag("problems/partials/ticket_known_errors.html", takes_context=True)
def known_errors_panel(context, ticket) -> dict:
    request = context["request"]
    if not can_work_ticket(request.user, ticket):
        return {"shown": False}
    links = TicketKnownError.objects.visible_to(request.user).filter(ticket=ticket)
    linked = set(links.values_list("known_error_id", flat=True))
    rows = [(known, score, known.pk in linked) for known, score in matching_known_errors(ticket, request.user)]
    return {
        "shown": True,
        "ticket": ticket,
        "rows": rows,
        "may_raise": can_work_problems(request.user, ticket.contract),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("problems/partials/report_causes.html", takes_context=True)
def problem_causes(context, report) -> dict:
    request = context["request"]
    if not can_read_problems(request.user, report.contract):
        return {"shown": False}
    problems = Problem.objects.visible_to(request.user).filter(contract_id=report.contract_id)
    start, end = report.period_start, report.period_end
    return {
        "shown": True,
        "causes": causes_in_period(problems, start, end),
        "problems": problems_in_period(problems, start, end).select_related("service")[:50],
        "start": start,
        "end": end,
    }
