"""Shifts, on-call and webhooks in the authorization test: the sample page and webhook, bodies, path values,
and the rows a refused request must leave as they were."""

from django.utils import timezone

from servicepact.accounts.models import Organization, Team, User
from servicepact.oncall.escalation import DEFAULT_STEPS
from servicepact.oncall.models import Page, Rotation
from servicepact.rosters.models import ShiftPattern, SunTeam
from servicepact.webhooks.models import Endpoint

ONCALL_BODIES = {
    "hand_over_team": {"note": "Night shift ends; SAP posting checked."},
    "start_page": {"team": "app-support-cn", "title": "SAP down"},
    "create_webhook": {"name": "noc-2", "url": "https://example.test/hooks", "events": ["ticket.created"]},
}
# The team operations name application support China (the provider's team).
ONCALL_PATHS = {
    operation: {"slug": "app-support-cn"} for operation in ("list_team_shifts", "hand_over_team", "get_on_call")
}


def oncall_values() -> dict:
    """A triggered page of application support China and a webhook of the provider, made once."""
    team = Team.objects.get(slug="app-support-cn")
    page = Page.objects.filter(team=team).order_by("pk").first()
    if page is None:
        page = Page.objects.create(
            team=team, title="SAP down", steps=DEFAULT_STEPS, next_step=1, created_at=timezone.now()
        )
    provider = Organization.objects.get(slug="northwind")
    endpoint = Endpoint.objects.filter(organization=provider).order_by("pk").first()
    if endpoint is None:
        endpoint = Endpoint.objects.create(
            organization=provider,
            name="noc",
            url="https://example.test/hooks",
            secret="whsec_test",
            events=["ticket.created"],
            created_by=User.objects.get(email="administrator@example.test"),
            created_at=timezone.now(),
        )
    return {"page_id": page.pk, "endpoint_id": endpoint.pk}


def oncall_rows() -> list:
    return [
        list(Page.objects.order_by("pk").values_list("pk", "status", "next_step", "acknowledged_by_id")),
        list(Endpoint.objects.order_by("pk").values_list("pk", "name", "url", "secret", "active", "events")),
        list(ShiftPattern.objects.order_by("pk").values_list("pk", "name", "starts_at", "ends_at")),
        list(SunTeam.objects.order_by("pk").values_list("pk", "rule_id", "team_id", "position")),
        list(Rotation.objects.order_by("pk").values_list("pk", "layer", "handoff_time")),
    ]
