"""Assigning a ticket on its page in headless Chromium, the way people on a team do it.

A resolver takes a ticket of their team's queue with "Assign to me". The team lead opens "Assign": the
person list holds the members of the ticket's team only, and choosing another team brings that team's
members instead; back on the ticket's own team they hand it to themselves with a reason, which the form
asks for and the timeline keeps.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions
from servicepact.desk.models import Ticket
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser
expect = playwright_api.expect


@pytest.fixture
def in_team_queue(browser_world) -> Ticket:
    """A ticket routed to Application support China, nobody assigned."""
    ticket = actions.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sap-erp"],
        title="Posting run fails",
        impact="medium",
        urgency="medium",
        at=timezone.now() - timedelta(minutes=20),
    )
    actions.assign_ticket(ticket, actor=browser_world.people["agent"], team=browser_world.teams["app-cn"])
    return ticket


def person_choices(page) -> list[str]:
    return page.locator("#action-assign select[name=assign-assignee] option").evaluate_all(
        "options => options.filter(o => o.value).map(o => o.textContent.trim())"
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_assign_to_me_and_to_a_member_of_the_team_with_a_reason(
    browser, live_server, browser_world, in_team_queue, shots, viewport
):
    size = "laptop" if viewport is LAPTOP else "phone"
    page = new_page(browser, viewport)
    log_in(page, live_server, browser_world.people["resolver"].email)
    page.goto(f"{live_server.url}{in_team_queue.get_absolute_url()}")
    page.click("button[data-submit=take]")
    expect(page.locator("[data-field=assignee]")).to_have_text("Resolver")
    expect(page.locator("button[data-submit=take]")).to_have_count(0)  # already theirs
    page.screenshot(path=shots / f"assign-to-me-{size}.png", full_page=True)

    lead = new_page(browser, viewport)
    log_in(lead, live_server, browser_world.people["team-lead"].email)
    lead.goto(f"{live_server.url}{in_team_queue.get_absolute_url()}")
    lead.click("details[data-action=assign] > summary")
    # Only the members of the ticket's team: not the desk's agent, not the vendor's engineer.
    assert person_choices(lead) == ["Resolver", "Team Lead"]
    lead.select_option("#action-assign select[name=assign-team]", label="Globex security")
    expect(lead.locator("#action-assign select[name=assign-assignee]")).to_contain_text("Security Resolver")
    assert person_choices(lead) == ["Security Resolver"]
    lead.select_option("#action-assign select[name=assign-team]", label="Application support China")
    expect(lead.locator("#action-assign select[name=assign-assignee]")).to_contain_text("Team Lead")

    lead.select_option("#action-assign select[name=assign-assignee]", label="Team Lead")
    lead.fill("#action-assign input[name=assign-reason]", "Resolver is off from tomorrow")
    lead.screenshot(path=shots / f"assign-form-{size}.png", full_page=True)
    lead.click("#action-assign button[type=submit]")
    expect(lead.locator("[data-field=assignee]")).to_have_text("Team Lead")
    expect(lead.locator("[data-field=team]")).to_have_text("Application support China")
    expect(lead.locator(".timeline")).to_contain_text("Resolver is off from tomorrow")
    assert lead.locator(".errorlist").count() == 0
    assert lead.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    in_team_queue.refresh_from_db()
    assert in_team_queue.assignee == browser_world.people["team-lead"]
    assert in_team_queue.team == browser_world.teams["app-cn"]
