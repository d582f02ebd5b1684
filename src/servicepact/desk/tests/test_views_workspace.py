"""The agents' queues: who may open them, what each queue holds, filters, and a query-count baseline."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicepact.desk import actions
from servicepact.desk.models import Impact, Urgency

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

# Queries of a queue page, whatever the number of tickets on it (session, user, principal, queue counts,
# filter choices, the page itself). A larger number means a query per ticket crept in.
# One of them reads the signed versions that name the services; one the organizations the viewer's
# organization works with (the teams the access layer shows); one the contracts the header looks at; one
# the clocks of the page's tickets (which clock is due, which breached); two the header's notices bell; one
# the person's saved views; one the teams of the bulk form.
QUEUE_PAGE_QUERIES = 23


@pytest.fixture
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def report(world, title: str, service: str = "sap-erp", impact: str = Impact.LOW):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        title=title,
        impact=impact,
        urgency=Urgency.LOW,
    )


def queue_url(key: str, **params) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return reverse("desk:queue", args=[key]) + (f"?{query}" if query else "")


def test_agent_triage_lists_new_tickets_most_urgent_first(client, world, agent):
    low = report(world, "Printer icon missing")
    high = report(world, "Nobody can log in", service="sso", impact=Impact.HIGH)
    client.force_login(agent)
    response = client.get(queue_url("triage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(high.number) < page.index(low.number)
    assert 'data-queue="triage"' in page and 'data-queue="mine"' in page and 'data-queue="all"' in page


def test_requester_has_no_workspace(client, requester):
    client.force_login(requester)
    assert client.get(queue_url("triage")).status_code == 403
    assert client.get(reverse("desk:home"))["Location"] == reverse("desk:portal")


def test_anonymous_goes_to_login(client, world):
    assert reverse("accounts:login") in client.get(queue_url("all"))["Location"]


def test_unknown_queue_is_404(client, agent):
    client.force_login(agent)
    assert client.get(queue_url("team-nonexistent")).status_code == 404


def test_resolver_sees_own_team_queue_and_not_triage(client, world, resolver):
    ticket = report(world, "MES screens freeze", service="mes-asia")
    actions.route_ticket(ticket, actor=world.people["agent"])
    client.force_login(resolver)
    response = client.get(queue_url("triage"), follow=True)
    assert response.redirect_chain[-1][0] == queue_url("mine")
    team_page = client.get(queue_url("team-app-support-cn")).content.decode()
    assert ticket.number in team_page


def test_vendor_sees_nothing_of_other_queues(client, world, vendor_engineer):
    report(world, "SAP is slow")
    client.force_login(vendor_engineer)
    page = client.get(queue_url("all")).content.decode()
    assert "SAP is slow" not in page


def test_search_and_filters_narrow_the_list(client, world, agent):
    report(world, "Payroll export fails", service="hr-portal")
    report(world, "Invoice layout wrong")
    client.force_login(agent)
    page = client.get(queue_url("all", q="payroll")).content.decode()
    assert "Payroll export fails" in page and "Invoice layout wrong" not in page
    page = client.get(queue_url("all", service="sap-erp")).content.decode()
    assert "Invoice layout wrong" in page and "Payroll export fails" not in page


def test_bad_filter_is_reported_by_field(client, agent):
    client.force_login(agent)
    response = client.get(queue_url("all", service="no-such-service"))
    assert response.status_code == 422
    assert "no-such-service" in response.content.decode()
    response = client.get(queue_url("all", status="bogus"))
    assert response.status_code == 422 and "status" in response.content.decode()


def test_htmx_filter_answers_only_the_table(client, world, agent):
    report(world, "Invoice layout wrong")
    client.force_login(agent)
    response = client.get(queue_url("all", q="invoice"), HTTP_HX_REQUEST="true")
    assert response.content.decode().startswith('<div id="ticket-table" ')


def test_queue_page_query_count_does_not_grow_with_tickets(client, world, agent):
    client.force_login(agent)
    for index in range(3):
        report(world, f"Ticket {index}")
    with CaptureQueriesContext(connection) as few:
        client.get(queue_url("all"))
    for index in range(3, 15):
        report(world, f"Ticket {index}")
    cache.clear()  # both pages cold: the person's priorities are kept a while once read
    with CaptureQueriesContext(connection) as many:
        client.get(queue_url("all"))
    assert len(many) == len(few) <= QUEUE_PAGE_QUERIES
