"""Single sign-on end to end in headless Chromium, against panva's certified `oidc-provider` on Node.

The provider runs with its development login and consent pages; each test signs in there the way a
person does. The relying party is the live server: the authorization code flow with PKCE (the provider
requires it), the person created or updated from the claims, the second factor the provider vouches
for, the provider's logout, and an organization that requires single sign-on.
"""

import json
import re
from pathlib import Path

import pytest

from servicepact.accounts.models import IdentityProvider, Membership, Role, User
from servicepact.testing.factories import PASSWORD
from servicepact.testing.servers import OIDC_PROVIDER_MODULE, free_port, require_program, running
from tests.browser import (  # noqa: F401
    LAPTOP,
    PHONE,
    browser,
    browser_world,
    expect,
    log_in,
    log_out,
    new_page,
    shots,
)

pytestmark = pytest.mark.browser

PROVIDER_SCRIPT = Path(__file__).resolve().parents[1] / "src/servicepact/accounts/tests/oidc_provider.mjs"
CLIENT_ID = "servicepact"
CLIENT_SECRET = "a-secret-the-provider-and-servicepact-share"


@pytest.fixture
def identity_provider(live_server, browser_world):
    """The provider running for Globex, and its registration here."""
    node = require_program("node")
    if not OIDC_PROVIDER_MODULE.exists():
        pytest.skip(f"{OIDC_PROVIDER_MODULE} is missing (make install-test installs the npm package)")
    manager = browser_world.people["customer-manager"]
    accounts = {
        "li.wei": {
            "email": "li.wei@globex.example",
            "email_verified": True,
            "name": "Li Wei",
            "locale": "zh-CN",
            "zoneinfo": "Asia/Shanghai",
            "department": "Finance",
        },
        "manager-with-otp": {"email": manager.email.upper(), "name": "Maria Manager", "amr": ["pwd", "otp"]},
        "manager-password-only": {"email": manager.email, "name": "Maria Manager", "amr": ["pwd"]},
        "stranger": {"email": browser_world.people["agent"].email, "name": "Not Globex"},
    }
    port = free_port()
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server.url}/accounts/sso-callback/"],
        "post_logout_redirect_uris": [f"{live_server.url}/accounts/login/"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
    environment = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "OIDC_PROVIDER_MODULE": str(OIDC_PROVIDER_MODULE),
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps([client]),
        "OIDC_ACCOUNTS": json.dumps(accounts),
    }
    with running([node, str(PROVIDER_SCRIPT)], port, env=environment) as process:
        provider = IdentityProvider.objects.create(
            organization=browser_world.customer,
            slug="globex-sso",
            name="Globex single sign-on",
            issuer=f"http://127.0.0.1:{port}",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
        )
        yield provider
        assert process.poll() is None, "the provider died during the test"


def sign_in_at_provider(page, live_server, login: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("#single-sign-on a:has-text('Globex single sign-on')")
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/interaction/"))
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    # The provider's consent page comes the first time an account signs in to the client.
    expect(page.locator("input[name=login]")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    if not page.url.startswith(live_server.url):
        page.click("button:has-text('Continue')")
        page.wait_for_url(re.compile(re.escape(live_server.url)))
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_new_person_signs_in_by_single_sign_on_and_out_of_both(
    browser, live_server, browser_world, identity_provider, shots, viewport
):  # noqa: F811
    page = new_page(browser, viewport)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("#single-sign-on")).to_contain_text("Globex single sign-on")
    page.screenshot(path=shots / f"sso-{viewport['width']}-1-login.png", full_page=True)

    sign_in_at_provider(page, live_server, "li.wei")
    assert "/accounts/login/" not in page.url
    person = User.objects.get(email="li.wei@globex.example")
    assert person.organization == browser_world.customer
    assert (person.full_name, person.language, person.timezone, person.department) == (
        "Li Wei",
        "zh-hans",
        "Asia/Shanghai",
        "Finance",
    )
    assert (person.identity_source, person.external_id, person.has_usable_password()) == ("oidc", "li.wei", False)
    assert set(Membership.objects.filter(user=person).values_list("role", flat=True)) == {Role.REQUESTER}
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.screenshot(path=shots / f"sso-{viewport['width']}-2-signed-in.png", full_page=True)

    # Signing out here signs out at the provider as well: it asks, then sends the person back.
    page.click("header form button:has-text('退出')")
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/session/end"))
    page.click("button:has-text('Yes')")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))

    # The next sign-in asks for the login again: the provider's session ended too.
    page.click("#single-sign-on a:has-text('Globex single sign-on')")
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/interaction/"))
    expect(page.locator("input[name=login]")).to_be_visible()


def test_the_provider_vouches_for_the_second_factor_an_organization_requires(
    browser, live_server, browser_world, identity_provider
):  # noqa: F811
    customer = browser_world.customer
    customer.require_two_factor = True
    customer.save()

    page = new_page(browser)
    sign_in_at_provider(page, live_server, "manager-with-otp")
    assert "/two-factor/" not in page.url, page.url
    expect(page.locator("header.topbar")).to_contain_text("Maria Manager")
    manager = User.objects.get(pk=browser_world.people["customer-manager"].pk)
    assert manager.full_name == "Maria Manager" and manager.identity_source == "local"

    # A sign-in the provider made with a password only still needs the person's own second factor here.
    page = new_page(browser)
    sign_in_at_provider(page, live_server, "manager-password-only")
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))


def test_a_provider_signs_in_none_of_another_organizations_people(
    browser, live_server, browser_world, identity_provider
):  # noqa: F811
    page = new_page(browser)
    sign_in_at_provider(page, live_server, "stranger")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".messages, .message, [role=alert]").first).to_contain_text(
        "Single sign-on did not sign you in"
    )


def test_an_administrator_requires_single_sign_on_and_passwords_are_refused(
    browser, live_server, browser_world, identity_provider, shots
):  # noqa: F811
    administrator = User.objects.create_user(
        "it-admin@globex.example", password=PASSWORD, organization=browser_world.customer, full_name="IT Admin"
    )
    Membership.objects.create(user=administrator, organization=browser_world.customer, role=Role.ADMINISTRATOR)
    page = new_page(browser)
    log_in(page, live_server, administrator.email)
    page.goto(f"{live_server.url}/organization/")
    expect(page.locator("#identity-providers")).to_contain_text("Globex single sign-on")
    page.check("input[name=require_single_sign_on]")
    page.click("#settings-form button:has-text('Save')")
    expect(page.locator("body")).to_contain_text("The settings are saved.")
    page.screenshot(path=shots / "sso-administrator-requires.png", full_page=True)
    log_out(page)

    log_in(page, live_server, browser_world.people["requester"].email)
    expect(page.locator("main form, .card form").first).to_contain_text("Globex signs in by single sign-on")
    assert "/accounts/login/" in page.url
