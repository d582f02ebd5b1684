"""The dashboards in headless Chromium, at a laptop's and a phone's size.

A team lead signs in and lands on their team's dashboard: the queue's figures, a chart whose bars show their
value on hover and open the queue they count, the clocks due soon naming their clock. A customer's manager
lands on their organization's dashboard: its tickets, service levels per measure and month (a point of a
trend shows its value on hover), credits and major incidents; another customer's manager sees none of it.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions
from servicepact.major_incidents import actions as majors
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import play_week
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser
expect = playwright_api.expect
SIZES = pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])


def size_of(viewport: dict) -> str:
    return "laptop" if viewport is LAPTOP else "phone"


def shows_its_value_on_hover(page, mark, expected: re.Pattern) -> None:
    """Hovering a bar or a point draws its label, which says the same as its <title>."""
    mark.scroll_into_view_if_needed()
    title = mark.locator("title").text_content()
    assert expected.search(title), title
    chart = mark.locator("xpath=ancestor::*[local-name()='svg'][1]")
    label = chart.locator(".tip", has_text=title).first
    assert label.evaluate("e => getComputedStyle(e).visibility") == "hidden"
    mark.hover()
    expect(label).to_have_css("visibility", "visible")


@SIZES
def test_a_lead_lands_on_the_dashboard_and_follows_a_link_into_the_queue(
    browser, live_server, browser_world, shots, viewport
):
    world = browser_world
    tickets = []
    for title, urgency in (("Invoices do not post", "high"), ("Printer queue stuck", "medium")):
        ticket = actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=title,
            impact="high",
            urgency=urgency,
            at=timezone.now() - timedelta(minutes=20),
        )
        actions.route_ticket(ticket, actor=world.people["agent"])
        ticket.refresh_from_db()
        tickets.append(ticket)
    urgent, taken = tickets
    actions.set_assignee(taken, actor=world.people["resolver"], assignee=world.people["resolver"])

    page = new_page(browser, viewport)
    log_in(page, live_server, world.people["team-lead"].email)
    page.wait_for_url("**/dashboards/lead/")
    expect(page.locator("nav.topnav a[data-section=dashboard]")).to_have_attribute("aria-current", "page")
    team = page.locator("#team-app-support-cn")
    expect(team.locator("[data-figure=open] strong")).to_have_text("2")
    expect(team.locator("[data-figure=unassigned] strong")).to_have_text("1")
    # The clocks due soon name their clock and the time, with its zone.
    due = page.locator(f"#due-soon tr[data-ticket='{urgent.number}']").first
    expect(due.locator(".clock-name")).to_have_text(re.compile("Response|Resolution"))
    expect(due.locator("time")).to_have_text(re.compile(r"\d{2}-\d{2} \d{2}:\d{2} \S+"))
    shows_its_value_on_hover(page, team.locator("svg .bar").first, re.compile(r"^P\d · .+: 1$"))
    workload = page.locator("#workload svg .bar").first
    shows_its_value_on_hover(page, workload, re.compile(r"^Resolver · P\d: 1$"))
    page.screenshot(path=shots / f"dashboard-lead-{size_of(viewport)}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1

    # The unassigned tile opens the team's queue with the filter set: the unassigned ticket only.
    team.locator("[data-figure=unassigned]").click()
    page.wait_for_url(re.compile(r"/queues/team-app-support-cn/\?assignee=none"))
    expect(page.locator(f"tr[data-ticket='{urgent.number}']")).to_be_visible()
    expect(page.locator(f"tr[data-ticket='{taken.number}']")).to_have_count(0)
    # A bar of the chart opens the queue filtered by its priority and status.
    page.go_back()
    team.locator("svg a").first.click()
    page.wait_for_url(re.compile(r"/queues/team-app-support-cn/\?priority=P\d&status=\w+"))
    expect(page.locator("tr[data-ticket]").first).to_be_visible()


@SIZES
def test_a_customer_manager_sees_their_organization_only(browser, live_server, browser_world, shots, viewport):
    world = browser_world
    play_week(world)
    monthly = generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-03"))
    generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-02"))
    major = majors.declare(
        actor=world.people["team-lead"],
        contract=world.contract,
        title="SAP ERP down in every plant",
        services=[world.services["sap-erp"]],
        started_at=timezone.now() - timedelta(minutes=30),
    )

    page = new_page(browser, viewport)
    log_in(page, live_server, world.people["customer-manager"].email)
    page.wait_for_url("**/dashboards/customer/")
    expect(page.locator("h1")).to_contain_text(world.customer.name)
    expect(page.locator(f"#major-incidents [data-major='{major.pk}']")).to_contain_text("SAP ERP down in every plant")
    expect(page.locator("#organization-tickets [data-figure=open] strong")).to_have_text("1")
    levels = page.locator(f"#levels-{world.contract.slug} tr[data-measure='resolution-compliance']")
    expect(levels.locator("[data-period=last-month]")).to_contain_text("2026-03")
    # Targets and values read as percentages, never ">= 0.95".
    assert ">=" not in levels.inner_text() and "%" in levels.inner_text()
    trend = page.locator(f"#trends-{world.contract.slug} .trend[data-measure='resolution-compliance'] svg .hit").last
    shows_its_value_on_hover(page, trend, re.compile(r"^2026-03: \d+(\.\d+)? %$"))
    page.screenshot(path=shots / f"dashboard-customer-{size_of(viewport)}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    # Each month of the credits chart opens its report.
    page.locator(f"#credits-{world.contract.slug} svg a").last.click()
    page.wait_for_url(f"**/slm/reports/{monthly.pk}/")

    other = new_page(browser, viewport)
    log_in(other, live_server, world.people["other-manager"].email)
    other.wait_for_url("**/dashboards/customer/")
    expect(other.locator("h1")).to_contain_text(world.other_customer.name)
    expect(other.locator("#organization-tickets [data-figure=open] strong")).to_have_text("0")
    expect(other.locator(f"[data-major='{major.pk}']")).to_have_count(0)
    expect(other.locator(f"#levels-{world.contract.slug}")).to_have_count(0)
    assert world.contract.title not in other.content()
    # The lead's dashboard is not theirs.
    assert other.goto(f"{live_server.url}/dashboards/lead/").status == 403


@SIZES
def test_report_trends_have_a_legend_fill_their_card_and_show_values_on_hover(
    browser, live_server, browser_world, shots, viewport
):
    world = browser_world
    play_week(world)
    generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, "2026-W10"))
    page = new_page(browser, viewport)
    log_in(page, live_server, world.people["customer-manager"].email)
    page.goto(f"{live_server.url}/slm/contracts/{world.contract.slug}/trends/?kind=weekly")
    card = page.locator(".card.trend[data-measure='resolution-compliance']")
    expect(card.locator("svg .legend")).to_have_text(["resolution-compliance", "target 95.0 %", "baseline 90.0 %"])
    frame = card.locator(".chart-frame")
    svg_width = card.locator("svg").evaluate("e => e.getBoundingClientRect().width")
    assert svg_width >= min(frame.evaluate("e => e.clientWidth"), 560) - 1  # the card's width, or scrolled on a phone
    shows_its_value_on_hover(page, card.locator("svg .hit").first, re.compile(r"^2026-W10: \d+(\.\d+)? %$"))
    page.screenshot(path=shots / f"report-trends-{size_of(viewport)}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
