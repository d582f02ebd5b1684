"""The header's bell in headless Chromium: a requester whose ticket was resolved sees one unread notice,
opens it from the notices page, lands on the ticket, and the bell is quiet again."""

import pytest

from servicepact.desk import actions as desk
from tests.browser import PHONE, browser, browser_world, expect, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_the_bell_leads_to_the_ticket_and_goes_quiet(browser, live_server, browser_world, shots, viewport):
    ticket = desk.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
    )
    desk.resolve_ticket(ticket, actor=browser_world.people["agent"], resolution="Cache cleared")
    page = new_page(browser, PHONE) if viewport == "phone" else new_page(browser)
    log_in(page, live_server, browser_world.people["requester"].email)
    expect(page.locator("#notice-count")).to_have_text("1")
    page.screenshot(path=str(shots / f"bell-{viewport}.png"))
    page.click("#notice-bell")
    expect(page.locator("#notices li.unread")).to_have_count(1)
    page.click(f"#notices li.unread a:has-text('{ticket.number}')")
    page.wait_for_url(f"**{ticket.get_absolute_url()}")
    expect(page.locator("#notice-count")).to_have_count(0)
