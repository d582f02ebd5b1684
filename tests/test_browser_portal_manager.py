"""The customer's manager lands on a portal that shows their organization, in headless Chromium.

Their organization's open tickets (also those other people reported), breached ones counted; the
service levels of each month of the stored monthly reports, every measure against its target as a
percentage, the credit and the total credited to date, each month a link to its report. The page fits a
phone; the requester of the same organization sees only their own tickets, with neither section.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import play_week
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser
expect = playwright_api.expect


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_customer_manager_sees_the_organization_tickets_and_months(
    browser, live_server, browser_world, shots, viewport
):
    size = "laptop" if viewport is LAPTOP else "phone"
    play_week(browser_world)
    report = generate_report(ReportRequest(browser_world.contract, ReportKind.MONTHLY, "2026-03"))
    colleague = actions.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sso"],
        title="Badge reader refuses every card",
        impact="high",
        urgency="high",
        at=timezone.now() - timedelta(minutes=5),
    )

    page = new_page(browser, viewport)
    log_in(page, live_server, browser_world.people["customer-manager"].email)
    page.goto(f"{live_server.url}/portal/")  # they land on their dashboard; the portal keeps their section
    expect(page.locator("#organization-tickets")).to_contain_text(colleague.number)
    open_count = int(page.locator("#organization-tickets [data-open]").get_attribute("data-open"))
    assert open_count >= 1
    month = page.locator("#service-levels tr[data-month='2026-03']")
    expect(month).to_be_visible()
    expect(month).to_contain_text("resolution-compliance")
    # Values and targets read alike: percentages with one decimal, never 0.95 or ">= 0.95".
    assert ">=" not in month.inner_text() and " 0.9" not in month.inner_text()
    expect(month.locator(".figure").first).to_contain_text("%")
    # The months drawn as a line per measure, with a legend; a point shows its value on hover.
    point = page.locator("#months-chart svg .hit").last  # the points of one month lie on each other
    expect(page.locator("#months-chart svg .legend").first).to_have_text("resolution-compliance")
    label = page.locator("#months-chart svg .tip", has_text=point.locator("title").text_content())
    point.scroll_into_view_if_needed()
    point.hover()
    expect(label).to_have_css("visibility", "visible")
    expect(label).to_contain_text(re.compile(r" · 2026-03: \d+(\.\d+)? %"))
    page.screenshot(path=shots / f"portal-manager-{size}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    month.locator("a").first.click()
    page.wait_for_url(f"**/slm/reports/{report.pk}/")
    generated = page.locator("p.small.muted", has_text="Generated")
    expect(generated).to_contain_text(re.compile(r"Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Z][A-Za-z0-9+-]*"))

    requester = new_page(browser, viewport)
    log_in(requester, live_server, browser_world.people["requester"].email)
    expect(requester.locator("tr[data-ticket]").first).to_be_visible()
    # Times read one way in every language: month-day and the time with its zone, no "Dec 1".
    expect(requester.locator("tr[data-ticket] td").last).to_have_text(re.compile(r"^\d{2}-\d{2} \d{2}:\d{2} \S+$"))
    expect(requester.locator("#organization-tickets")).to_have_count(0)
    expect(requester.locator("#service-levels")).to_have_count(0)
    assert requester.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
