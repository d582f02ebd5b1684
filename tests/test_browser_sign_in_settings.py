"""An organization's administrator sets up its sign-in in headless Chromium: an OpenID Connect provider
(panva's `oidc-provider` on Node, tried for real), a directory (Debian's slapd, tried for real), with the
mistakes a person makes refused beside their field, the secret never shown back, and single sign-on required."""

import json
from pathlib import Path

import pytest

from servicepact.accounts.models import DirectorySource, IdentityProvider, Membership, Role, User
from servicepact.accounts.tests.slapd_directory import ADMIN_DN, ADMIN_PASSWORD, PEOPLE_BASE, slapd_directory
from servicepact.testing.factories import PASSWORD
from servicepact.testing.servers import OIDC_PROVIDER_MODULE, free_port, require_program, running
from tests.browser import (  # noqa: F401
    LAPTOP,
    PHONE,
    browser,
    browser_world,
    expect,
    log_in,
    new_page,
    shots,
)

pytestmark = pytest.mark.browser

PROVIDER_SCRIPT = Path(__file__).resolve().parents[1] / "src/servicepact/accounts/tests/oidc_provider.mjs"
SECRET = "shared-with-the-provider-only"
PEOPLE = 30


@pytest.fixture
def issuer(live_server):
    """A running OpenID provider's issuer URL."""
    node = require_program("node")
    if not OIDC_PROVIDER_MODULE.exists():
        pytest.skip(f"{OIDC_PROVIDER_MODULE} is missing (make install-test installs the npm package)")
    port = free_port()
    client = {
        "client_id": "servicepact",
        "client_secret": SECRET,
        "redirect_uris": [f"{live_server.url}/accounts/sso-callback/"],
        "token_endpoint_auth_method": "client_secret_basic",
    }
    environment = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "OIDC_PROVIDER_MODULE": str(OIDC_PROVIDER_MODULE),
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps([client]),
        "OIDC_ACCOUNTS": json.dumps({}),
    }
    with running([node, str(PROVIDER_SCRIPT)], port, env=environment):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def globex_admin(browser_world) -> User:
    customer = browser_world.customer
    administrator = User.objects.create_user(
        "it-admin@globex.example", password=PASSWORD, organization=customer, full_name="IT Admin"
    )
    Membership.objects.create(user=administrator, organization=customer, role=Role.ADMINISTRATOR)
    return administrator


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_administrator_adds_tries_and_requires_single_sign_on(
    browser, live_server, browser_world, globex_admin, issuer, shots, viewport
):  # noqa: F811
    width = viewport["width"]
    page = new_page(browser, viewport)
    log_in(page, live_server, globex_admin.email)
    page.goto(f"{live_server.url}/organization/")
    if width < 700:
        page.goto(f"{live_server.url}/organization/sign-in/")
    else:
        page.click("nav.sidenav a[data-section=sign_in]")
    expect(page.locator("h1")).to_have_text("Sign-in")
    expect(page.locator("#providers")).to_contain_text("No identity provider yet")
    page.click("#providers a:has-text('Add an identity provider')")

    # A first try with the mistakes people make: no scheme, and the openid scope forgotten.
    page.fill("#id_name", "Globex single sign-on")
    page.fill("#id_slug", "globex-sso")
    page.fill("#id_issuer", issuer.removeprefix("http://"))
    page.fill("#id_client_id", "servicepact")
    page.fill("#id_client_secret", SECRET)
    page.fill("#id_scopes", "email profile")
    page.select_option("#id_default_role", "requester")
    page.click("#provider-form button:has-text('Save')")
    expect(page.locator(".field.invalid")).to_have_count(2)
    expect(page.locator("body")).to_contain_text("is not an issuer URL")
    expect(page.locator("body")).to_contain_text("The scopes must include openid.")
    expect(page.locator("#id_client_secret")).to_have_value("")  # a secret is never sent back, even refused
    page.screenshot(path=shots / f"sign-in-{width}-1-provider-refused.png", full_page=True)
    assert not IdentityProvider.objects.exists()

    page.fill("#id_issuer", issuer)
    page.fill("#id_scopes", "openid email profile")
    page.fill("#id_client_secret", SECRET)
    page.click("#provider-form button:has-text('Save')")
    expect(page.locator("body")).to_contain_text("The identity provider Globex single sign-on is saved.")
    expect(page.locator("#secret-state")).to_have_text("A client secret is saved.")
    assert SECRET not in page.content()
    page.click("#provider-test-form button")
    expect(page.locator("body")).to_contain_text("The issuer answers: sign-in at")
    page.screenshot(path=shots / f"sign-in-{width}-2-provider-tried.png", full_page=True)
    provider = IdentityProvider.objects.get(slug="globex-sso")
    assert provider.organization == browser_world.customer and provider.client_secret == SECRET

    # Its button is on the login page.
    anonymous = new_page(browser, viewport)
    anonymous.goto(f"{live_server.url}/accounts/login/")
    expect(anonymous.locator("#single-sign-on")).to_contain_text("Globex single sign-on")
    anonymous.context.close()

    # Single sign-on required; the provider then cannot be disabled.
    page.click(".crumbs a:has-text('Sign-in')")
    page.check("#id_require_single_sign_on")
    page.click("#require-sso-form button:has-text('Save')")
    expect(page.locator("body")).to_contain_text("The settings are saved.")
    page.click("#providers a:has-text('Globex single sign-on')")
    page.uncheck("#id_enabled")
    page.click("#provider-form button:has-text('Save')")
    expect(page.locator("body")).to_contain_text("stop requiring single sign-on first")
    assert IdentityProvider.objects.get(slug="globex-sso").enabled
    assert IdentityProvider.objects.get(slug="globex-sso").client_secret == SECRET
    page.screenshot(path=shots / f"sign-in-{width}-3-disable-refused.png", full_page=True)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_administrator_adds_and_tries_a_directory(
    browser, live_server, browser_world, globex_admin, shots, tmp_path, viewport
):  # noqa: F811
    width = viewport["width"]
    with slapd_directory(tmp_path / "slapd", PEOPLE) as directory:
        page = new_page(browser, viewport)
        log_in(page, live_server, globex_admin.email)
        page.goto(f"{live_server.url}/organization/sign-in/")
        page.click("#directories a:has-text('Add a directory')")
        page.fill("#id_name", "Globex directory")
        page.fill("#id_slug", "globex-ldap")
        page.fill("#id_server_url", directory.url.replace("ldap://", "http://"))
        page.fill("#id_bind_dn", ADMIN_DN)
        page.fill("#id_bind_password", ADMIN_PASSWORD)
        page.fill("#id_people_base", PEOPLE_BASE)
        page.fill("#id_role_mapping", "servicedesk-managers customer_manager")
        page.click("#directory-form button:has-text('Save')")
        expect(page.locator("body")).to_contain_text("is not a directory server")
        expect(page.locator("body")).to_contain_text("Line 1, servicedesk-managers customer_manager")
        page.screenshot(path=shots / f"directory-settings-{width}-1-refused.png", full_page=True)
        assert not DirectorySource.objects.exists()

        page.fill("#id_server_url", directory.url)
        page.fill("#id_bind_password", ADMIN_PASSWORD)
        page.fill("#id_role_mapping", "servicedesk-managers = customer_manager")
        page.click("#directory-form button:has-text('Save')")
        expect(page.locator("body")).to_contain_text("The directory Globex directory is saved.")
        page.click("#directory-test-form button:has-text('Try the directory')")
        expect(page.locator("body")).to_contain_text(f"people under {PEOPLE_BASE} match the people filter")
        page.screenshot(path=shots / f"directory-settings-{width}-2-tried.png", full_page=True)
        assert ADMIN_PASSWORD not in page.content()
        source = DirectorySource.objects.get(slug="globex-ldap")
        assert source.bind_password == ADMIN_PASSWORD
        assert source.role_mapping == {"servicedesk-managers": "customer_manager"}
