"""The ticket page's smaller promises, in headless Chromium, as people meet them.

An agent routes a ticket and the timeline says which rule of the responsibility matrix sent it; the
resolver, no administrator, follows the link to the matrix and finds the rule marked. "Change status"
preselects nothing: sent as it comes it asks for a status; a status chosen is taken. The requester
reopens the resolved ticket and the timeline says so. A page the requester may not open says so without
speaking of a ticket; browsers find the site's icon.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions
from servicepact.desk.models import CannedReply, RoutingRule, Status, Ticket
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser
expect = playwright_api.expect


@pytest.fixture
def reported(browser_world) -> Ticket:
    return actions.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sap-erp"],
        title="Invoice posting stops at step 3",
        impact="medium",
        urgency="medium",
        at=timezone.now() - timedelta(minutes=10),
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_routing_rule_status_choice_and_reopen_read_as_people_expect(
    browser, live_server, browser_world, reported, shots, viewport
):
    size = "laptop" if viewport is LAPTOP else "phone"
    url = f"{live_server.url}{reported.get_absolute_url()}"
    agent = new_page(browser, viewport)
    log_in(agent, live_server, browser_world.people["agent"].email)
    agent.goto(url)
    agent.click("details:has(#action-route) > summary")
    agent.click("#action-route button[type=submit]")
    expect(agent.locator("[data-field=team]")).to_have_text("Application support China")
    routed = agent.locator(".timeline li[data-event=assigned] .reason")
    expect(routed).to_have_text("Routed by the responsibility matrix: default. see the matrix")
    assert "rule 1" not in routed.inner_text() and "(rule" not in routed.inner_text()

    resolver = new_page(browser, viewport)
    log_in(resolver, live_server, browser_world.people["resolver"].email)
    resolver.goto(url)
    resolver.click(".timeline [data-rule-link]")
    rule = RoutingRule.objects.get(contract=browser_world.contract, description="default")
    expect(resolver.locator("h1")).to_have_text("Responsibility matrix")
    expect(resolver.locator(f"#rule-{rule.pk}")).to_contain_text("Application support China")
    assert resolver.evaluate("document.querySelector(':target').id") == f"rule-{rule.pk}"
    resolver.screenshot(path=shots / f"matrix-{size}.png", full_page=True)

    resolver.goto(url)
    resolver.click("details[data-action=status] > summary")
    status = resolver.locator("#action-status select[name=status-status]")
    assert status.input_value() == ""
    resolver.click("#action-status button[type=submit]")
    expect(resolver.locator("#action-status .errorlist")).to_be_visible()
    status.select_option(label="In progress")
    resolver.click("#action-status button[type=submit]")
    expect(resolver.locator("#ticket")).to_have_attribute("data-status", Status.IN_PROGRESS)
    resolver.click("details[data-action=resolve] > summary")
    resolver.fill("#action-resolve textarea", "Step 3 reads the new tax code table again.")
    resolver.click("#action-resolve button[type=submit]")
    expect(resolver.locator("#ticket")).to_have_attribute("data-status", Status.RESOLVED)

    requester = new_page(browser, viewport)
    log_in(requester, live_server, browser_world.people["requester"].email)
    requester.goto(url)
    requester.click("details[data-action=reopen] > summary")
    requester.fill("#action-reopen textarea", "It stopped again at 14:05.")
    requester.click("#action-reopen button[type=submit]")
    # Nobody was assigned: it goes back to the queue that held it.
    expect(requester.locator("#ticket")).to_have_attribute("data-status", Status.ASSIGNED)
    agent.goto(url)
    reopened = agent.locator(".timeline li[data-event=status]").last
    expect(reopened).to_contain_text("reopened the ticket (Assigned)")
    expect(reopened).to_contain_text("It stopped again at 14:05.")
    agent.screenshot(path=shots / f"ticket-reopened-{size}.png", full_page=True)

    # A queue the requester may not open: the refusal speaks of the page, not of a ticket.
    answer = requester.goto(f"{live_server.url}/queues/all/")
    assert answer.status == 403
    expect(requester.locator(".error-page p.muted")).to_have_text(
        "Your role does not allow you to open this page or to take this action."
    )
    icon = requester.goto(f"{live_server.url}/favicon.ico")
    assert icon.ok and "svg" in icon.headers["content-type"]


def test_a_canned_reply_fills_the_reply_box_with_the_ticket_in_the_agent_language(
    browser, live_server, browser_world, reported, shots
):
    CannedReply.objects.create(
        team=browser_world.teams["desk"],
        title="Password reset",
        body_en="Hello {requester}, we reset the password for {number}. Regards, {agent}",
        body_zh="{requester}，您好：我们已为 {number} 重置密码。{agent}",
    )
    CannedReply.objects.create(team=browser_world.teams["security"], title="Not ours", body_en="Hidden")
    page = new_page(browser)
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}{reported.get_absolute_url()}")
    choices = page.locator("#canned-reply option").all_inner_texts()
    assert "Not ours" not in choices  # another team's: not offered
    page.select_option("#canned-reply", label="Password reset")
    box = page.locator("#action-reply textarea")
    expect(box).to_have_value(f"Hello Requester, we reset the password for {reported.number}. Regards, Agent")
    box.press("End")
    box.type(" (desk)")
    page.click("#action-reply button[type=submit]")
    expect(page.locator(".timeline li.replied").last).to_contain_text("Regards, Agent (desk)")

    page.select_option("#header-language", "zh-hans")
    page.wait_for_load_state("networkidle")
    page.select_option("#canned-reply", index=1)
    expect(box).to_have_value(f"Requester，您好：我们已为 {reported.number} 重置密码。Agent")
