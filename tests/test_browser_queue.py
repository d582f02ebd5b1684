"""An agent narrows a queue with the filter bar in headless Chromium, the way a person does.

Each filter is chosen in its list (the "any" choices left as they are send empty values), the search box
is typed into, and the table that comes back is read: the rows it holds, never an error page.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions
from tests.browser import browser, browser_world, log_in, page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def report(world, service: str, title: str, impact: str, urgency: str, at):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        title=title,
        impact=impact,
        urgency=urgency,
        at=at,
    )


def rows(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return sorted(
        page.locator("#ticket-table tr[data-ticket]").evaluate_all("rows => rows.map(row => row.dataset.ticket)")
    )


def test_the_filter_bar_narrows_the_queue(page, live_server, browser_world, shots):
    expect = playwright_api.expect
    now = timezone.now()
    sap = report(browser_world, "sap-erp", "Posting run fails", "high", "medium", now - timedelta(hours=3))
    sso = report(browser_world, "sso", "Cannot log in", "high", "high", now - timedelta(hours=2))
    portal = report(browser_world, "hr-portal", "Leave form blank", "low", "low", now - timedelta(hours=1))
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}/queues/all/")
    assert all(number in " ".join(rows(page)) for number in (sap.number, sso.number, portal.number))

    # A person picks one priority; the status list stays on "any" and sends an empty value.
    page.select_option("#filter-priority", sso.priority)
    expect(page.locator("#ticket-table")).not_to_contain_text(portal.number)
    assert rows(page) == [sso.number]
    assert page.locator(".invalid").count() == 0

    page.select_option("#filter-priority", "")
    expect(page.locator("#ticket-table")).to_contain_text(portal.number)
    page.select_option("#filter-service", "hr-portal")
    expect(page.locator("#ticket-table")).not_to_contain_text(sso.number)
    assert rows(page) == [portal.number]

    page.select_option("#filter-service", "")
    expect(page.locator("#ticket-table")).to_contain_text(sso.number)
    page.fill("#filter-q", "posting")
    expect(page.locator("#ticket-table")).not_to_contain_text(portal.number)
    assert rows(page) == [sap.number]
    page.screenshot(path=shots / "queue-filtered.png", full_page=True)

    # The same URL loaded afresh (as after a reload or a shared link) gives the same table.
    page.reload()
    assert rows(page) == [sap.number]
    assert page.locator("#filter-q").input_value() == "posting"


def test_every_column_fits_a_laptop_the_breach_names_its_clock_and_headings_sort(
    page, live_server, browser_world, shots
):
    expect = playwright_api.expect
    now = timezone.now()
    # A P1 whose 15-minute response clock breached while its 4-hour resolution clock still runs.
    late = report(browser_world, "sso", "Nobody can sign in", "high", "high", now - timedelta(minutes=30))
    actions.add_note(late, actor=browser_world.people["agent"], body="Looking at the identity provider.")
    late.refresh_from_db()
    assert late.breached
    calm = report(browser_world, "sap-erp", "Report layout shifted", "medium", "low", now - timedelta(minutes=5))
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}/queues/all/")

    for heading in ("due", "team"):
        box = page.locator(f"table.tickets th.col-{heading}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1366, heading
    due = page.locator(f"tr[data-ticket='{late.number}'] td.due-cell")
    expect(due).to_contain_text("Resolution in 3 h")
    expect(due.locator(".breached-clocks")).to_have_text("Response breached")
    # The running resolution clock keeps its own colour: the breach is the response clock's.
    assert "breached" not in (due.locator(".due").get_attribute("class") or "")
    page.screenshot(path=shots / "queue-laptop.png")

    page.click("th.col-priority a")
    expect(page.locator("th.col-priority")).to_have_attribute("aria-sort", "ascending")
    assert rows_in_order(page)[0] == late.number
    page.click("th.col-priority a")
    expect(page.locator("th.col-priority")).to_have_attribute("aria-sort", "descending")
    assert rows_in_order(page)[0] == calm.number
    assert "sort=-priority" in page.url
    page.reload()
    assert rows_in_order(page)[0] == calm.number


def rows_in_order(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.locator("#ticket-table tr[data-ticket]").evaluate_all("rows => rows.map(row => row.dataset.ticket)")


def test_filters_saved_as_a_view_come_back_from_the_side(page, live_server, browser_world, shots):
    expect = playwright_api.expect
    now = timezone.now()
    urgent = report(browser_world, "sso", "Nobody can sign in", "high", "high", now - timedelta(minutes=3))
    report(browser_world, "hr-portal", "Leave form blank", "low", "low", now - timedelta(minutes=2))
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}/queues/all/")
    page.select_option("#filter-priority", urgent.priority)
    expect(page.locator("#ticket-table tr[data-ticket]")).to_have_count(1)
    page.click("th.col-title a")
    expect(page.locator("th.col-title")).to_have_attribute("aria-sort", "ascending")
    page.click("#save-view button[type=submit]")  # no name: the browser asks for one, nothing is saved
    assert page.locator(".sidenav a[data-view]").count() == 0
    page.fill("#save-view-name", "Urgent ones")
    page.click("#save-view button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Saved as Urgent ones.")

    page.click(".sidenav a[data-queue=triage]")
    page.click(".sidenav a[data-view='Urgent ones']")
    assert rows(page) == [urgent.number]
    expect(page.locator("#filter-priority")).to_have_value(urgent.priority)
    expect(page.locator("th.col-title")).to_have_attribute("aria-sort", "ascending")
    page.screenshot(path=shots / "queue-saved-view.png")


def test_ticked_tickets_are_assigned_together_with_one_reason_or_not_at_all(page, live_server, browser_world, shots):
    expect = playwright_api.expect
    now = timezone.now()
    first = report(browser_world, "sap-erp", "Posting run fails", "medium", "low", now - timedelta(minutes=9))
    second = report(browser_world, "sap-erp", "MIGO hangs", "medium", "low", now - timedelta(minutes=8))
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}/queues/all/")
    page.check(f"tr[data-ticket='{first.number}'] input[name=tickets]")
    page.check(f"tr[data-ticket='{second.number}'] input[name=tickets]")
    page.select_option("#bulk select[name=action]", "assign")
    page.click("#bulk button[type=submit]")  # no team chosen: said, nothing changed
    expect(page.locator(".messages")).to_contain_text("Choose the team.")
    page.check(f"tr[data-ticket='{first.number}'] input[name=tickets]")
    page.check(f"tr[data-ticket='{second.number}'] input[name=tickets]")
    page.select_option("#bulk select[name=action]", "assign")
    page.select_option("#bulk select[name=team]", label="Application support China")
    page.fill("#bulk input[name=reason]", "Both are SAP posting problems")
    page.screenshot(path=shots / "queue-bulk.png")
    page.click("#bulk button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Done for 2 tickets")
    for ticket in (first, second):
        ticket.refresh_from_db()
        assert ticket.team == browser_world.teams["app-cn"]

    # Once more to the same team: the first refusal undoes the whole batch and names its ticket.
    third = report(browser_world, "sap-erp", "Batch job late", "medium", "low", now - timedelta(minutes=7))
    page.reload()
    page.check(f"tr[data-ticket='{first.number}'] input[name=tickets]")
    page.check(f"tr[data-ticket='{third.number}'] input[name=tickets]")
    page.select_option("#bulk select[name=action]", "assign")
    page.select_option("#bulk select[name=team]", label="Application support China")
    page.click("#bulk button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"{first.number}:")
    expect(page.locator(".messages")).to_contain_text("Nothing was changed.")
    third.refresh_from_db()
    assert third.team != browser_world.teams["app-cn"]
