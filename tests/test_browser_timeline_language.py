"""A Chinese-speaking agent reads a ticket's timeline in headless Chromium: the sentence the service stored in
English (a shift handover) reads in Chinese, the badges of status and clocks too, while what the requester
wrote stays as written and the stored event is unchanged."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from servicepact.desk import actions
from servicepact.desk.models import Status, TicketEvent
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser
expect = playwright_api.expect

HANDOVER = "Handover at the end of the shift of Service desk: printer queue still stuck"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_stored_handover_reads_in_chinese(browser, live_server, browser_world, shots, viewport):  # noqa: F811
    agent = browser_world.people["agent"]
    ticket = actions.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sap-erp"],
        title="Invoice posting stops at step 3",
        impact="medium",
        urgency="medium",
        at=timezone.now() - timedelta(minutes=30),
    )
    actions.route_ticket(ticket, actor=agent)
    with override("en"):
        actions.change_status(ticket, actor=agent, status=Status.IN_PROGRESS, reason=HANDOVER)
    actions.reply(ticket, actor=browser_world.people["requester"], body="Still failing at step 3, see the log.")
    agent.language = "zh-hans"
    agent.save(update_fields=["language"])

    page = new_page(browser, viewport, locale="zh-CN")
    log_in(page, live_server, agent.email)
    page.goto(f"{live_server.url}{ticket.get_absolute_url()}")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Service desk 下班交接：printer queue still stuck")
    expect(timeline).not_to_contain_text("Handover at the end of the shift")
    expect(timeline).to_contain_text("Still failing at step 3, see the log.")
    expect(page.locator(".badge.status-in_progress").first).not_to_have_text("In progress")
    page.screenshot(path=shots / f"timeline-zh-{viewport['width']}.png", full_page=True)
    stored = TicketEvent.objects.get(ticket=ticket, type="status", data__status=Status.IN_PROGRESS)
    assert stored.data["reason"] == HANDOVER
