"""The desk at the keyboard, in headless Chromium: search from anywhere, move through a queue, act on a ticket.

"/" puts the cursor in the search box; the header's search finds a ticket by a word of a public reply or
its requester's name, never by an internal note. On a queue j and k move the selected row, the table
refreshes in place (a ticket reported meanwhile appears) and keeps the selection; Enter opens the selected
ticket, where r starts a reply and m assigns it to the agent.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions
from tests.browser import browser, browser_world, log_in, page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser
expect = playwright_api.expect


def report(world, title: str, minutes_ago: int):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title=title,
        impact="medium",
        urgency="low",
        at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def numbers(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.locator("#ticket-table tr[data-ticket]").evaluate_all("rows => rows.map(row => row.dataset.ticket)")


def test_search_from_the_header_and_work_a_queue_by_keyboard(page, live_server, browser_world, shots):
    agent = browser_world.people["agent"]
    replied = report(browser_world, "Goods receipt blocked", 30)
    actions.reply(replied, actor=agent, body="The tapeworm job holds the lock; we stop it.")
    noted = report(browser_world, "Invoice stuck", 20)
    actions.add_note(noted, actor=agent, body="zeppelin is our internal code name")
    report(browser_world, "Printer offline", 10)

    log_in(page, live_server, agent.email)
    page.goto(f"{live_server.url}{replied.get_absolute_url()}")
    page.keyboard.press("/")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.type("tapeworm")
    page.keyboard.press("Enter")
    page.wait_for_url("**/queues/all/**")
    assert numbers(page) == [replied.number]
    page.fill("#filter-q", "zeppelin")
    expect(page.locator("#ticket-table .empty")).to_be_visible()
    page.fill("#filter-q", "Requester")  # the requester's name: every ticket of theirs
    expect(page.locator("#ticket-table tr[data-ticket]")).to_have_count(3)

    page.goto(f"{live_server.url}/queues/triage/")
    first = numbers(page)
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator("#ticket-table tr.selected")).to_have_attribute("data-ticket", first[1])
    late = report(browser_world, "Scanner gun offline", 1)
    page.evaluate("htmx.trigger(document.getElementById('ticket-table'), 'refresh')")
    expect(page.locator(f"tr[data-ticket='{late.number}']")).to_be_visible()
    expect(page.locator("#ticket-table tr.selected")).to_have_attribute("data-ticket", first[1])
    page.screenshot(path=shots / "queue-keyboard.png")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tickets/{first[1]}/")

    page.keyboard.press("r")
    expect(page.locator("#action-reply textarea")).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("m")
    expect(page.locator("[data-field=assignee]")).to_have_text(str(agent))
