"""Related tickets in headless Chromium: an agent links two tickets from the ticket page, sees the link from
both sides, removes it with a reason, and merges a duplicate into the ticket that survives it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions
from servicepact.desk.models import Status, TicketLink, TicketMerge
from tests.browser import PHONE, browser, browser_world, log_in, new_page, page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def report(world, title: str, minutes_ago: int, requester: str = "requester"):
    return actions.create_ticket(
        actor=world.people[requester],
        contract=world.contract,
        service=world.services["sap-erp"],
        title=title,
        impact="medium",
        urgency="medium",
        at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_an_agent_links_two_tickets_sees_the_link_both_ways_and_removes_it(page, live_server, browser_world, shots):
    expect = playwright_api.expect
    cause = report(browser_world, "Posting run fails every night", 30)
    effect = report(browser_world, "Invoices missing in the morning", 20)
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}/tickets/{effect.number}/")
    panel = page.locator("#ticket-links")
    expect(panel).to_contain_text("No related tickets.")

    # A number that does not exist: said in the panel, nothing linked.
    page.click("#ticket-links summary:has-text('Link a ticket')")
    page.select_option("#link-kind", label="caused by")
    page.fill("#link-target", "INC9999999")
    page.click("#link-ticket button[type=submit]")
    expect(panel.locator(".form-errors")).to_contain_text("No ticket INC9999999")
    assert not TicketLink.objects.exists()

    page.fill("#link-target", cause.number.lower())
    page.fill("#link-reason", "The night run leaves the invoices unposted")
    page.click("#link-ticket button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"Linked: {effect.number} caused by {cause.number}.")
    row = panel.locator(f"li[data-link='{cause.number}']")
    expect(row).to_contain_text("caused by")
    expect(row).to_contain_text("Posting run fails every night")
    page.screenshot(path=shots / "links-effect.png", full_page=True)

    # From the other side the same link reads "causes".
    row.locator("a", has_text=cause.number).click()
    other = page.locator(f"#ticket-links li[data-link='{effect.number}']")
    expect(other).to_contain_text("causes")
    other.locator("summary:has-text('Remove')").click()
    other.locator("button[type=submit]").click()  # no reason: the browser asks for one, nothing removed
    assert TicketLink.objects.get().removed_at is None
    other.locator("input[name=reason]").fill("Two separate faults after all")
    other.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("The link was removed.")
    expect(page.locator("#ticket-links")).to_contain_text("No related tickets.")
    link = TicketLink.objects.get()
    assert link.removal_reason == "Two separate faults after all" and link.removed_by == browser_world.people["agent"]

    # The requester sees their tickets' link too, read-only.
    actions_page = new_page(browser := page.context.browser, PHONE)
    page.goto(f"{live_server.url}/tickets/{effect.number}/")
    page.click("#ticket-links summary:has-text('Link a ticket')")
    page.fill("#link-target", cause.number)
    page.click("#link-ticket button[type=submit]")
    log_in(actions_page, live_server, browser_world.people["requester"].email)
    actions_page.goto(f"{live_server.url}/tickets/{cause.number}/")
    expect(actions_page.locator(f"#ticket-links li[data-link='{effect.number}']")).to_contain_text("relates to")
    assert actions_page.locator("#ticket-links form").count() == 0
    actions_page.screenshot(path=shots / "links-requester-phone.png", full_page=True)
    assert browser is not None


def test_an_agent_merges_a_duplicate_and_its_requester_follows_the_survivor(page, live_server, browser_world, shots):
    expect = playwright_api.expect
    survivor = report(browser_world, "SAP is down for the whole plant", 40, requester="security-resolver")
    duplicate = report(browser_world, "SAP down", 25)
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}/tickets/{duplicate.number}/")
    page.click("#ticket-links summary:has-text('Merge as a duplicate')")

    # Into itself: refused with a clear error, nothing changed.
    page.fill("#merge-survivor", duplicate.number)
    page.fill("#merge-reason", "Same outage")
    page.check("#merge-confirm")
    page.click("#merge-ticket button[type=submit]")
    expect(page.locator("#ticket-links .form-errors")).to_contain_text("cannot be merged into itself")
    assert not TicketMerge.objects.exists()

    page.fill("#merge-survivor", survivor.number)
    expect(page.locator("#merge-reason")).to_have_value("Same outage")
    page.uncheck("#merge-confirm")
    page.screenshot(path=shots / "merge-form.png", full_page=True)
    page.click("#merge-ticket button[type=submit]")  # unconfirmed: the browser asks for the tick
    assert not TicketMerge.objects.exists()
    page.check("#merge-confirm")
    page.click("#merge-ticket button[type=submit]")

    # The survivor's page comes back, its timeline showing the merge.
    expect(page.locator(".messages")).to_contain_text(f"{duplicate.number} was merged into this ticket.")
    expect(page.locator(".ticket-head .number")).to_have_text(survivor.number)
    expect(page.locator("#ticket-links")).to_contain_text(f"Merged into this ticket: {duplicate.number}")
    expect(page.locator(".timeline")).to_contain_text(f"{duplicate.number} was merged into this ticket: Same outage")
    expect(page.locator(".timeline")).to_contain_text(f"from the merged {duplicate.number}")
    page.screenshot(path=shots / "merge-survivor.png", full_page=True)

    duplicate.refresh_from_db()
    assert duplicate.status == Status.CLOSED
    assert survivor.watchers.filter(pk=browser_world.people["requester"].pk).exists()
    page.goto(f"{live_server.url}/tickets/{duplicate.number}/")
    expect(page.locator(".merged-banner")).to_contain_text(f"Merged into {survivor.number}")
    expect(page.locator(".timeline")).to_contain_text(
        f"closed the ticket as a duplicate, merged into {survivor.number}"
    )
    assert page.locator("#ticket-links summary:has-text('Merge as a duplicate')").count() == 0

    # The duplicate's requester now follows the survivor and finds it from their old ticket.
    phone = new_page(page.context.browser, PHONE)
    log_in(phone, live_server, browser_world.people["requester"].email)
    phone.goto(f"{live_server.url}/tickets/{duplicate.number}/")
    phone.locator(".merged-banner a").click()
    expect(phone.locator(".ticket-head .number")).to_have_text(survivor.number)
    phone.screenshot(path=shots / "merge-requester-phone.png", full_page=True)
