"""A service request from the catalogue, driven in headless Chromium by the people who take part.

The requester opens the portal's "Request a service", finds SAP access in the catalogue, sends the form
with a required field left empty and reads the error that names it, fills it and sends again. The
manager (the requester's manager in the directory) opens the request from the approvals and approves it.
An agent ticks the fulfilment tasks off, one after the other, and resolves the request. Screenshots at a
laptop's and a phone's size.
"""

import pytest

from servicepact.catalog.models import Approval, ServiceRequest
from servicepact.catalog.tests.factories import build_catalog
from servicepact.desk.models import Status
from tests.browser import PHONE, browser, browser_world, log_in, log_out, new_page, page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_request_from_the_catalogue_to_resolution(browser, live_server, browser_world, shots):
    expect = playwright_api.expect
    build_catalog(browser_world)
    people = browser_world.people

    # The requester: portal, catalogue, search, the item's form.
    page = new_page(browser)
    log_in(page, live_server, people["requester"].email)
    page.goto(f"{live_server.url}/portal/")
    page.click("a[data-kind=request]")
    expect(page.locator("h1")).to_have_text("Request catalogue")
    page.fill("#id_q", "SAP")
    page.click("#catalog-search button[type=submit]")
    expect(page.locator("a[data-item=vpn-access]")).to_have_count(0)
    page.screenshot(path=str(shots / "catalog-1366.png"), full_page=True)
    page.click("a[data-item=sap-access]")
    expect(page.locator("#request-form")).to_be_visible()

    # Sent without the business reason: the page says which field is missing, and nothing is opened.
    page.select_option("#id_role", "Finance posting")
    page.fill("#id_start", "2026-12-07")
    page.click("#request-form button[type=submit]")
    expect(page.locator(".field.invalid")).to_contain_text("Business reason is required.")
    assert not ServiceRequest.objects.exists()
    page.screenshot(path=str(shots / "catalog-item-error-1366.png"), full_page=True)

    page.fill("#id_reason", "Month-end close in finance")
    page.select_option("#id_temporary", "no")
    page.click("#request-form button[type=submit]")
    expect(page.locator("#service-request")).to_contain_text("Waiting for approval")
    expect(page.locator("#request-answers")).to_contain_text("Month-end close in finance")
    number = ServiceRequest.objects.get().ticket.number
    page.screenshot(path=str(shots / "catalog-request-requester-1366.png"), full_page=True)
    log_out(page)

    # The manager: the approvals page, then the request's page, approve.
    log_in(page, live_server, people["customer-manager"].email)
    page.goto(f"{live_server.url}/catalog/")
    # A keeper of the catalogue reads it item by item: form, approval, tasks.
    page.click("text=Manage the catalogue")
    expect(page.locator("#catalog-manage tr[data-item=sap-access]")).to_contain_text("Business reason *")
    expect(page.locator("#catalog-manage tr[data-item=vpn-access]")).to_contain_text("In parallel")
    page.screenshot(path=str(shots / "catalog-manage-1366.png"), full_page=True)
    # ... and edits one: a line of an unknown kind is refused naming the line, then saved.
    page.click("a[data-edit=vpn-access]")
    page.fill("#id_fields_text", "device | Device | 设备 | text | yes\nuntil | Until | 截止 | calendar | no")
    page.click("#item-form button[type=submit]")
    expect(page.locator(".field.invalid")).to_contain_text("Line 2: kind 'calendar'")
    page.screenshot(path=str(shots / "catalog-edit-error-1366.png"), full_page=True)
    page.fill("#id_fields_text", "device | Device | 设备 | text | yes\nuntil | Until | 截止 | date | no")
    page.click("#item-form button[type=submit]")
    expect(page.locator("#catalog-manage tr[data-item=vpn-access]")).to_contain_text("Until (Date)")
    page.goto(f"{live_server.url}/catalog/")
    page.click("#approvals-link")
    expect(page.locator(f"[data-request={number}]")).to_contain_text("Month-end close in finance")
    page.screenshot(path=str(shots / "catalog-approvals-1366.png"), full_page=True)
    page.click(f"[data-request={number}] a")
    page.fill("#decision-form textarea", "Needed for the close")
    page.click("#decision-form button[value=approve]")
    expect(page.locator("#service-request")).to_contain_text("Approved")
    assert ServiceRequest.objects.get().approval == Approval.APPROVED
    log_out(page)

    # The agent: ticks the tasks in order (the second waits for the first), then resolves.
    log_in(page, live_server, people["agent"].email)
    page.goto(f"{live_server.url}/tickets/{number}/")
    tasks = page.locator(".request-tasks li")
    expect(tasks).to_have_count(2)
    expect(tasks.nth(1).locator("button")).to_have_count(0)
    page.screenshot(path=str(shots / "catalog-ticket-agent-1366.png"), full_page=True)
    tasks.nth(0).locator("button").click()
    expect(page.locator(".request-tasks li").nth(0)).to_have_class("done")
    page.locator(".request-tasks li").nth(1).locator("button").click()
    expect(page.locator("#request-resolve")).to_be_visible()
    page.fill("#request-resolve textarea", "Your finance posting role is active.")
    page.click("#request-resolve button[type=submit]")
    expect(page.locator("#ticket")).to_have_attribute("data-status", "resolved")
    ticket = ServiceRequest.objects.get().ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    page.screenshot(path=str(shots / "catalog-ticket-resolved-1366.png"), full_page=True)

    # On a phone: the catalogue and an item's form fit the screen.
    phone = new_page(browser, PHONE)
    log_in(phone, live_server, people["requester"].email)
    phone.goto(f"{live_server.url}/catalog/")
    phone.screenshot(path=str(shots / "catalog-390.png"), full_page=True)
    phone.click("a[data-item=sap-access]")
    phone.click("#request-form button[type=submit]")
    expect(phone.locator(".field.invalid").first).to_be_visible()
    phone.screenshot(path=str(shots / "catalog-item-error-390.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the item's page is {width} px wide on a {PHONE['width']} px phone"
    phone.goto(f"{live_server.url}/tickets/{number}/")
    phone.screenshot(path=str(shots / "catalog-request-390.png"), full_page=True)
