"""``{% major_incidents_of_period report %}`` in a service report: the major incidents declared on the
report's contract whose outage overlaps the report's period."""

from django import template

from servicepact.major_incidents.models import MajorIncident
from servicepact.major_incidents.queries import in_period
from servicepact.permissions.problems import can_read_problems

register = template.Library()


@register.inclusion_tag("major_incidents/partials/report_majors.html", takes_context=True)
def major_incidents_of_period(context, report) -> dict:
    request = context["request"]
    if not can_read_problems(request.user, report.contract):
        return {"shown": False}
    majors = MajorIncident.objects.visible_to(request.user).filter(contract_id=report.contract_id)
    return {"shown": True, "majors": in_period(majors, report.period_start, report.period_end)[:50]}
