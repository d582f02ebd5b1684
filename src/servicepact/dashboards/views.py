"""The dashboards' pages: a team lead's and a customer manager's, each for its role only."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from servicepact.dashboards import presentation
from servicepact.dashboards.queries import DUE_HOURS, customer_dashboard, lead_dashboard
from servicepact.permissions.dashboards import dashboard_of, has_dashboard, leads_teams, manages_customer
from servicepact.permissions.declared import person_view


@person_view(has_dashboard)
def home(request: HttpRequest) -> HttpResponse:
    return redirect(dashboard_of(request.user))


@person_view(leads_teams)
def lead(request: HttpRequest) -> HttpResponse:
    dashboard = lead_dashboard(request.user, timezone.now())
    charts = {
        "teams": [(health, presentation.team_chart(health, dashboard.priorities)) for health in dashboard.teams],
        "breaches": presentation.breaches_chart(dashboard),
        "people": presentation.people_chart(dashboard) if dashboard.people else "",
        "shifts": presentation.shifts_chart(dashboard) if dashboard.shifts else "",
    }
    context = {"dashboard": dashboard, "charts": charts, "due_hours": DUE_HOURS}
    return render(request, "dashboards/lead.html", context)


@person_view(manages_customer)
def customer(request: HttpRequest) -> HttpResponse:
    dashboard = customer_dashboard(request.user, timezone.now())
    context = {
        "dashboard": dashboard,
        "weeks_chart": presentation.weeks_chart(dashboard),
        "levels": [(levels, presentation.credits_chart(levels)) for levels in dashboard.contracts],
    }
    return render(request, "dashboards/customer.html", context)
