"""A new contract version registered, reviewed and signed by both parties in headless Chromium.

The customer's manager opens the contract from the header, starts a new version from the latest text,
first sends a text the contract language refuses (the problem comes back with its line), then a good one;
the page that comes back shows what changed since the signed version before the sign button, and they
sign for the customer. The provider's administrator reads the same changes and signs for the provider.
Screenshots at a laptop's and a phone's size land in $SERVICEPACT_SCREENSHOTS (default: the test's
temporary directory).
"""

import re

import pytest

from servicepact.contracts.models import ContractVersion, VersionStatus
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, log_out, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def open_contract(page, live_server, email: str) -> None:
    """Log in, then reach Globex's contract the way a person does: the header's section, then its row."""
    log_in(page, live_server, email)
    page.click(".topnav a[data-section=contracts]")
    page.click("tr[data-contract=globex-ito] a")
    playwright_api.expect(page.locator("h1")).to_have_text("Globex application maintenance, Europe and Asia")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_version_is_registered_reviewed_and_signed_by_both_parties(
    browser, live_server, browser_world, shots, viewport
):  # noqa: F811
    expect = playwright_api.expect
    size = "laptop" if viewport is LAPTOP else "phone"
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()

    # The customer's manager starts from the latest text, which the form holds with its indentation.
    open_contract(page, live_server, browser_world.people["customer-manager"].email)
    page.screenshot(path=shots / f"contracts-1-contract-{size}.png", full_page=True)
    page.click("#register-version")
    textarea = page.locator("textarea[name=source]")
    latest = textarea.input_value()
    assert "\n  sap-erp:   {name: SAP ERP, tier: 1, calendar: eu-business}\n" in latest

    # A text the contract language refuses: the problem names its line; nothing is registered.
    textarea.fill(latest.replace("version: 1\n", "version: 2\n").replace("tier: 3", "tier: three"))
    page.click("button:has-text('Register the draft')")
    line = 1 + latest[: latest.index("tier: 3")].count("\n")
    expect(page.locator("#problems")).to_contain_text(f"globex-ito.yaml:{line}:")
    page.screenshot(path=shots / f"contracts-2-register-refused-{size}.png", full_page=True)
    assert not ContractVersion.objects.filter(number=2).exists()

    # The corrected text: a shorter P1 response target, from 1 July.
    second = (
        latest.replace("version: 1\n", "version: 2\n")
        .replace("from: 2026-01-01", "from: 2026-07-01")
        .replace("P1: {within: 15m, calendar: always}", "P1: {within: 10m, calendar: always}")
    )
    textarea.fill(second)
    page.click("button:has-text('Register the draft')")
    expect(page.locator("h1")).to_have_text("Version 2")
    expect(page.locator("#version")).to_have_attribute("data-status", "draft")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Changes since version 1")
    expect(changes.locator("tr", has_text="target P1")).to_contain_text("15m always")
    expect(changes.locator("tr", has_text="target P1")).to_contain_text("10m always")
    expect(page.locator("#source")).to_contain_text("      P1: {within: 10m, calendar: always}")
    # The changes come before the button that signs them.
    assert page.locator("#changes").bounding_box()["y"] < page.locator("#sign").bounding_box()["y"]
    expect(page.locator("#sign button")).to_have_count(1)
    page.screenshot(path=shots / f"contracts-3-version-draft-{size}.png", full_page=True)
    page.click("button:has-text('Sign for the customer')")
    expect(page.locator(".messages")).to_contain_text("it waits for the other party's signature")
    expect(page.locator("[data-party=customer] dd")).to_contain_text("Customer Manager")
    expect(page.locator("#sign")).to_contain_text("Waiting for the provider's signature.")
    log_out(page)

    # The provider's administrator reads the same changes and signs for the provider.
    open_contract(page, live_server, browser_world.people["administrator"].email)
    page.click("tr[data-version='2'] a")
    expect(page.locator("#changes tr", has_text="target P1")).to_contain_text("10m always")
    page.screenshot(path=shots / f"contracts-4-version-provider-{size}.png", full_page=True)
    page.click("button:has-text('Sign for the provider')")
    expect(page.locator(".messages")).to_contain_text("signed by both parties")
    expect(page.locator("#version")).to_have_attribute("data-status", "signed")
    expect(page.locator("#sign")).to_have_count(0)
    page.screenshot(path=shots / f"contracts-5-version-signed-{size}.png", full_page=True)
    page.click(".crumbs a:has-text('Globex application')")
    expect(page.locator("tr[data-version='2']")).to_have_attribute("data-status", "signed")
    page.screenshot(path=shots / f"contracts-6-contract-signed-{size}.png", full_page=True)

    version = ContractVersion.objects.get(contract=browser_world.contract, number=2)
    assert version.status == VersionStatus.SIGNED and version.source == second
    assert re.fullmatch(r"[0-9a-f]{64}", version.sha256)
