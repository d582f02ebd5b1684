"""A person adds a passkey and confirms their next sign-in with it, in headless Chromium with a virtual
authenticator (Chrome DevTools' WebAuthn domain: a real ceremony, signed by a key the browser holds)."""

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from servicepact.accounts.models import User
from tests.browser import browser, browser_world, expect, log_in, log_out, page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def virtual_authenticator(page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_passkey_is_added_and_confirms_the_next_sign_in(page, live_server, browser_world, shots):
    person = browser_world.people["agent"]
    virtual_authenticator(page)
    log_in(page, live_server, person.email)
    page.goto(f"{live_server.url}/accounts/two-factor/")
    page.click("#passkey-register-button")
    expect(page.locator("#passkey-register-status-message")).to_contain_text("successful", timeout=15000)
    assert WebAuthnCredential.objects.filter(user=person, confirmed=True).count() == 1
    assert User.objects.get(pk=person.pk).two_factor_enabled

    page.reload()
    expect(page.locator("#passkeys li.passkey")).to_have_count(1)
    page.screenshot(path=str(shots / "passkeys.png"), full_page=True)

    log_out(page)
    log_in(page, live_server, person.email)
    assert "/accounts/two-factor/verify/" in page.url, "the password alone does not sign in any more"
    page.goto(f"{live_server.url}/queues/all/")
    assert "/accounts/two-factor/verify/" in page.url
    page.click("#passkey-verification-button")
    page.wait_for_url(re.compile(r"/queues/all/"), timeout=15000)
    expect(page.locator("h1")).to_be_visible()

    # Removing the only second factor turns two-factor authentication off again.
    page.goto(f"{live_server.url}/accounts/two-factor/")
    page.click("#passkeys li.passkey button:has-text('Remove')")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#passkeys li.passkey")).to_have_count(0)
    assert not User.objects.get(pk=person.pk).two_factor_enabled
