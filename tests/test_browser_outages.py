"""The provider's agent records an outage of SAP ERP on the contract's outage page and ends it, in headless
Chromium; the customer's manager then reads it.

The form is filled the way a person does: choose the service in its list, type the start in the local
date-and-time field, leave the end empty (still down), give the change's reference, press the button; a
wrong end is refused with its message beside the field and nothing recorded; on the outage's page, type the
end and press "End outage". Screenshots at a laptop's and a phone's size land in $SERVICEPACT_SCREENSHOTS.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from servicepact.availability.models import Outage
from servicepact.history.models import HistoryEntry
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_agent_records_and_ends_an_outage(browser, live_server, browser_world, shots, viewport):  # noqa: F811
    expect = playwright_api.expect
    agent = browser_world.people["agent"]
    zone = ZoneInfo(agent.timezone or "UTC")
    name = "laptop" if viewport is LAPTOP else "phone"
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, agent.email)
    page.goto(f"{live_server.url}/availability/contracts/globex-ito/outages/")
    expect(page.locator("h1")).to_contain_text("Outages")
    expect(page.locator("#outages")).to_contain_text("No outage recorded.")

    # a wrong end is refused beside its field, nothing recorded
    page.select_option("select[name=record-service]", label="SAP ERP")
    page.fill("input[name=record-start]", "2026-03-10T10:00")
    page.fill("input[name=record-end]", "2026-03-10T09:00")
    page.click("button:has-text('Record outage')")
    expect(page.locator("#record-outage .errorlist")).to_contain_text("The end must be after the start.")
    assert not Outage.objects.exists()

    page.fill("input[name=record-end]", "")
    page.fill("input[name=record-reference]", "CHG-0042")
    page.check("input[name=record-planned]")
    page.fill("textarea[name=record-description]", "Kernel patching ran over its window")
    page.screenshot(path=str(shots / f"outage-record-{name}.png"), full_page=True)
    page.click("button:has-text('Record outage')")
    expect(page.locator("#outage-end")).to_have_text("still down")
    outage = Outage.objects.get()
    assert outage.start == datetime(2026, 3, 10, 10, 0, tzinfo=zone)
    assert (outage.service.key, outage.planned, outage.reference, outage.end) == ("sap-erp", True, "CHG-0042", None)

    page.fill("input[name=end-end]", "2026-03-10T12:30")
    page.click("button:has-text('End outage')")
    expect(page.locator("#outage-end")).to_contain_text("2026-03-10 12:30")
    expect(page.locator("#history")).to_contain_text("Ended")
    page.screenshot(path=str(shots / f"outage-detail-{name}.png"), full_page=True)
    outage.refresh_from_db()
    assert outage.end == datetime(2026, 3, 10, 12, 30, tzinfo=zone)
    assert list(HistoryEntry.objects.of(outage).order_by("seq").values_list("type", flat=True)) == [
        "recorded",
        "ended",
    ]

    reader = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(reader, live_server, browser_world.people["customer-manager"].email)
    reader.goto(f"{live_server.url}/availability/contracts/globex-ito/outages/")
    expect(reader.locator("#outages")).to_contain_text("CHG-0042")
    expect(reader.locator("#record-outage")).to_have_count(0)
    reader.screenshot(path=str(shots / f"outage-list-{name}.png"), full_page=True)
