"""The API docs and the Content Security Policy in headless Chromium, against the real server.

Every request the browser makes is watched: one to any host but the service's own is refused and fails
the test, so the docs are shown to work offline. Chromium reports each Content Security Policy
violation on the console; none may appear on the docs or on the pages people use every day.
"""

from urllib.parse import urlsplit

import pytest

from servicepact.desk import actions
from tests.browser import browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class Watched:
    def __init__(self, page):
        self.page = page
        self.foreign: list[str] = []
        self.violations: list[str] = []
        page.route("**/*", self.only_local)
        page.on("console", self.on_console)

    def only_local(self, route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname not in LOCAL_HOSTS:
            self.foreign.append(url)
            route.abort()
        else:
            route.continue_()

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")


@pytest.fixture
def watched(browser):
    return Watched(new_page(browser))


def test_the_api_docs_list_the_operations_offline(watched, live_server, browser_world, shots):
    expect, page = playwright_api.expect, watched.page
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator("input[name=username]")).to_be_visible()  # strangers are sent to the login page
    log_in(page, live_server, browser_world.people["agent"].email)
    # Swagger UI draws the operations as they scroll into view; a deep link opens one wherever it stands.
    page.goto(f"{live_server.url}/api/docs#/tickets/create_ticket")
    create = page.locator(".opblock-post:has(.opblock-summary-path[data-path='/api/tickets'])")
    expect(create).to_contain_text("Report a ticket")
    expect(create.locator(".parameters")).to_contain_text("Idempotency-Key")
    page.screenshot(path=shots / "api-docs.png")
    # "Try it out" calls the API with the browser's session, from the same origin.
    page.goto(f"{live_server.url}/api/docs#/accounts/whoami")
    page.reload()  # the same page with another fragment: load it again to open that operation
    whoami = page.locator(".opblock-get:has(.opblock-summary-path[data-path='/api/whoami'])")
    whoami.locator("button.try-out__btn").click()
    whoami.locator("button.execute").click()
    expect(whoami.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(whoami.locator(".live-responses-table")).to_contain_text(browser_world.people["agent"].email)
    assert watched.foreign == [], "requests left the service"
    assert watched.violations == []


def test_everyday_pages_keep_to_the_content_security_policy(watched, live_server, browser_world, shots):
    expect, page = playwright_api.expect, watched.page
    world = browser_world
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Goods receipts fail",
        impact="high",
        urgency="high",
    )
    page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, live_server, world.people["agent"].email)
    for path in ("/", "/queues/all/?open=any", f"/tickets/{ticket.number}/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    # The clock meters are <progress> elements: their width needs no inline style.
    meter = page.locator("#clocks progress.meter").first
    expect(meter).to_be_visible()
    assert float(meter.get_attribute("value")) >= 0
    page.locator("#clocks").screenshot(path=shots / "clock-meters.png")
    # An htmx swap (the queue's filter) works under the policy too.
    page.goto(f"{live_server.url}/queues/all/?open=any")
    page.fill("#filter-q", "Goods receipts")
    expect(page.locator(f"tr[data-ticket='{ticket.number}']")).to_be_visible()
    assert watched.violations == []
    assert watched.foreign == []
