"""Hours to invoice in headless Chromium: an engineer logs hours on the time page, the customer's manager
approves the week, the provider's analyst issues March's invoice and downloads its PDF; and the capacity page's
form shows a heat map. Screenshots at a laptop's and a phone's size land in $SERVICEPACT_SCREENSHOTS."""

import pytest

from servicepact.billing.models import Invoice, TimeEntry
from servicepact.billing.tests.conftest import billed_version, march_ticket
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, log_out, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_hours_are_logged_approved_and_invoiced(browser, live_server, browser_world, shots, viewport):  # noqa: F811
    expect = playwright_api.expect
    world = browser_world
    billed_version(world)
    ticket = march_ticket(world)
    generate_report(ReportRequest(world.contract, "monthly", "2026-03"))
    name = "laptop" if viewport is LAPTOP else "phone"
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()

    log_in(page, live_server, world.people["resolver"].email)
    page.goto(f"{live_server.url}/billing/time/?week=2026-W10")
    page.select_option("select[name=contract]", label=world.contract.title)
    page.fill("input[name=day]", "2026-03-02")
    page.fill("input[name=hours]", "7.5")
    page.select_option("select[name=role]", "engineer")
    page.fill("input[name=ticket]", ticket.number)
    page.click("button:has-text('Log the hours')")
    expect(page.locator("#week")).to_contain_text(ticket.number)
    page.fill("input[name=day]", "2026-03-03")
    page.fill("input[name=hours]", "30")
    page.select_option("select[name=role]", "consultant")
    page.fill("input[name=activity]", "Workshop")
    page.click("button:has-text('Log the hours')")
    expect(page.locator(".field.invalid")).to_contain_text("24")
    page.fill("input[name=hours]", "2.25")
    page.click("button:has-text('Log the hours')")
    expect(page.locator("#week")).to_contain_text("9.75 hours")
    page.screenshot(path=str(shots / f"billing-time-{name}.png"), full_page=True)
    assert TimeEntry.objects.count() == 2
    log_out(page)

    log_in(page, live_server, world.people["customer-manager"].email)
    page.goto(f"{live_server.url}/billing/contracts/{world.contract.slug}/approvals/")
    page.click("button:has-text('Approve')")
    expect(page.locator("table")).to_contain_text("9.75 h approved by")
    page.screenshot(path=str(shots / f"billing-approvals-{name}.png"), full_page=True)
    log_out(page)

    log_in(page, live_server, world.people["analyst"].email)
    page.goto(f"{live_server.url}/billing/contracts/{world.contract.slug}/invoices/")
    page.fill("input[name=month]", "2026-04")
    page.click("button:has-text('Issue the invoice')")
    expect(page.locator(".errorlist")).to_contain_text("no stored monthly report of 2026-04")
    page.fill("input[name=month]", "2026-03")
    page.click("button:has-text('Issue the invoice')")
    invoice = Invoice.objects.get()
    expect(page.locator("#total")).to_have_text(invoice.body["total"])
    page.screenshot(path=str(shots / f"billing-invoice-{name}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("a:has-text('PDF')")
    assert download.value.suggested_filename == "invoice-globex-ito-2026-03.pdf"


def test_the_capacity_form_draws_a_heat_map(browser, live_server, browser_world, shots):  # noqa: F811
    expect = playwright_api.expect
    world = browser_world
    march_ticket(world)
    page = browser.new_context(viewport=LAPTOP, locale="en-US").new_page()
    log_in(page, live_server, world.people["analyst"].email)
    page.goto(f"{live_server.url}/capacity/contracts/{world.contract.slug}/")
    page.fill("input[name=first]", "2026-03")
    page.fill("input[name=last]", "2026-03")
    page.select_option("select[name=team]", label="Application support China")
    page.fill("input[name=shrinkage]", "0.25")
    page.click("button:has-text('Show the staffing')")
    expect(page.locator("#team-app-support-cn caption")).to_contain_text("In force: version 1")
    expect(page.locator("#team-app-support-cn td.heat-5").first).to_be_visible()
    page.screenshot(path=str(shots / "capacity-laptop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / "capacity-phone.png"), full_page=True)
    page.fill("input[name=shrinkage]", "1.5")
    page.click("button:has-text('Show the staffing')")
    expect(page.locator(".field.invalid")).to_contain_text("less than or equal to 0.95")
