"""An agent corrects a ticket's service and category on the ticket page, in headless Chromium.

The form is filled the way a person does: open "Correct service or category", choose the service and
the category in their lists, type the reason, press the button; then the page that comes back is read.
Screenshots at a laptop's and a phone's size land in $SERVICEPACT_SCREENSHOTS (default: the test's
temporary directory).
"""

import pytest

from servicepact.contracts.models import Category
from servicepact.desk import actions
from servicepact.desk.models import Ticket
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def reported(browser_world) -> Ticket:
    """Reported on SAP ERP by the requester; it is really an expired single sign-on password."""
    Category.objects.create(contract=browser_world.contract, key="password-reset", name="Password reset")
    Category.objects.create(contract=browser_world.contract, key="hardware-onsite", name="Hardware on site")
    return actions.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sap-erp"],
        title="Cannot log in to SAP",
        impact="medium",
        urgency="medium",
    )


def open_correction_form(page, live_server, ticket: Ticket, email: str) -> None:
    log_in(page, live_server, email)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    page.click("details[data-action=correct] > summary")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_agent_corrects_the_service_and_category_and_reads_them_back(
    browser, live_server, browser_world, reported, shots, viewport
):  # noqa: F811
    expect = playwright_api.expect
    page = new_page(browser, viewport)
    open_correction_form(page, live_server, reported, browser_world.people["agent"].email)
    form = page.locator("#action-correct")
    expect(form.locator("select[name=correct-service]")).to_have_value("sap-erp")
    form.locator("select[name=correct-service]").select_option(label="Single sign-on")
    form.locator("select[name=correct-category]").select_option(label="Password reset")
    form.locator("textarea[name=correct-reason]").fill("The SAP login goes through SSO; the password had expired.")
    page.screenshot(path=shots / f"corrections-form-{viewport['width']}.png", full_page=True)
    form.locator("button[type=submit]").click()

    entry = page.locator(".timeline li[data-event=corrected]")
    expect(entry).to_contain_text(
        "corrected the service from SAP ERP to Single sign-on and the category from none to Password reset"
    )
    expect(entry).to_contain_text("The SAP login goes through SSO; the password had expired.")
    expect(page.locator(".ticket-head")).to_contain_text("Single sign-on")
    expect(page.locator(".ticket-head")).to_contain_text("password-reset")
    # The form shows the corrected values as the ticket's now.
    expect(page.locator("#action-correct select[name=correct-service]")).to_have_value("sso")
    page.screenshot(path=shots / f"corrections-done-{viewport['width']}.png", full_page=True)
    stored = Ticket.objects.get(pk=reported.pk)
    assert (stored.service.key, stored.category) == ("sso", "password-reset")


def test_a_correction_without_a_reason_comes_back_with_the_error(browser, live_server, browser_world, reported, shots):  # noqa: F811
    expect = playwright_api.expect
    page = new_page(browser, LAPTOP)
    open_correction_form(page, live_server, reported, browser_world.people["agent"].email)
    form = page.locator("#action-correct")
    form.locator("select[name=correct-service]").select_option(label="Single sign-on")
    form.locator("button[type=submit]").click()

    error = page.locator("#action-correct .errorlist")
    expect(error).to_be_visible()
    expect(error).to_contain_text("This field is required.")
    page.screenshot(path=shots / "corrections-no-reason.png", full_page=True)
    expect(page.locator(".ticket-head")).to_contain_text("SAP ERP")
    expect(page.locator(".timeline li[data-event=corrected]")).to_have_count(0)
    assert Ticket.objects.get(pk=reported.pk).service.key == "sap-erp"
