"""An organization's administrator at work in headless Chromium, and the sign-in protections people meet.

The provider's administrator (no superuser) opens Administration from the header: adds a person (the
empty team choice, an empty submit first), hands over the set-password link, gives and removes a role,
deactivates and reactivates; creates and changes a team; adds, changes and deletes a routing rule with
the "any" choices; revokes someone's API token; requires two-factor authentication. The agent then
enrols an authenticator app from the QR page at their next sign-in and signs in again with a backup
code. Failed logins lock the resolver out; the administrator unlocks them. Screenshots at a laptop's and
a phone's size land in $SERVICEPACT_SCREENSHOTS (default: the test's temporary directory).
"""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from servicepact.accounts.models import ApiToken, Membership, Role, User
from servicepact.accounts.tokens import create_token
from servicepact.desk.models import RoutingRule
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, log_out, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser

expect = playwright_api.expect


def open_administration(page, live_server, email: str) -> None:
    log_in(page, live_server, email)
    page.click(".topnav a[data-section=organization]")
    expect(page.locator(".sidenav a[data-section=overview]")).to_have_class(re.compile("active"))


def side(page, section: str) -> None:
    page.click(f".sidenav a[data-section={section}]")
    page.wait_for_load_state("networkidle")


def test_the_administrator_manages_people_roles_teams_and_tokens(browser, live_server, browser_world, shots):
    world = browser_world
    create_token(actor=world.people["resolver"], name="build server")
    page = new_page(browser)
    open_administration(page, live_server, "administrator@example.test")
    page.screenshot(path=shots / "admin-01-overview.png", full_page=True)

    # People, filtered by a role, then by any role again.
    side(page, "people")
    page.select_option("#id_role", "resolver")
    page.click("#people-filters button[type=submit]")
    expect(page.locator("#people tbody tr")).to_have_count(1)
    expect(page.locator("#people")).to_contain_text("Resolver")
    page.select_option("#id_role", label="Any role")
    page.click("#people-filters button[type=submit]")
    expect(page.locator("tr[data-person='agent@example.test']")).to_be_visible()
    page.screenshot(path=shots / "admin-02-people.png", full_page=True)

    # A new person: an empty submit is refused beside the fields, then the form filled as a person would.
    page.click("#add-person")
    page.click("#person-form button[type=submit]")
    expect(page.locator("#person-form .field.invalid").first).to_be_visible()
    page.fill("#id_full_name", "Mei Chen")
    page.fill("#id_email", "Mei.Chen@Example.test")
    page.select_option("#id_role", "agent")
    expect(page.locator("#id_team option:checked")).to_have_text("(no team: the whole organization)")
    page.select_option("#id_timezone", "Asia/Shanghai")
    page.screenshot(path=shots / "admin-03-person-new.png", full_page=True)
    page.click("#person-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Mei Chen is added")
    link = page.locator("#password-link .secret").inner_text().strip()
    assert "/accounts/set-password/" in link
    person = User.objects.get(email="mei.chen@example.test")
    assert person.timezone == "Asia/Shanghai" and not person.has_usable_password()

    # A role in a team, then the first role removed.
    page.select_option("#id_role-role", "resolver")
    page.select_option("#id_role-team", label="Application support China")
    page.click("#role-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The role is given")
    expect(page.locator("#roles tr")).to_have_count(2)
    page.locator("#roles tr[data-role=agent] button").click()
    expect(page.locator("#roles tr")).to_have_count(1)
    assert list(Membership.objects.filter(user=person).values_list("role", "team__slug")) == [
        (Role.RESOLVER, "app-support-cn")
    ]
    page.screenshot(path=shots / "admin-04-person.png", full_page=True)

    # Deactivated, then active again.
    page.click("#deactivate")
    expect(page.locator("#person")).to_have_attribute("data-active", "false")
    page.click("#reactivate")
    expect(page.locator("#person")).to_have_attribute("data-active", "true")
    log_out(page)

    # The new person sets their password with the link and signs in.
    page.goto(link)
    page.fill("#id_new_password1", "tea and dumplings 2026")
    page.fill("#id_new_password2", "tea and dumplings 2026")
    page.click("#set-password button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Your password is set")
    page.fill("input[name=username]", "mei.chen@example.test")
    page.fill("input[name=password]", "tea and dumplings 2026")
    page.click("button[type=submit]")
    expect(page.locator(".topnav a[data-section=workspace]")).to_be_visible()
    log_out(page)

    # Teams: one created with an empty short name, then its time zone changed.
    open_administration(page, live_server, "administrator@example.test")
    side(page, "teams")
    page.fill("#id_name", "Application support India")
    page.select_option("#id_timezone", "Asia/Kolkata")
    page.check("#id_is_service_desk")
    page.uncheck("#id_is_service_desk")
    page.click("#team-form button[type=submit]")
    expect(page.locator("tr[data-team=application-support-india]")).to_contain_text("Asia/Kolkata")
    page.screenshot(path=shots / "admin-05-teams.png", full_page=True)
    page.click("tr[data-team=application-support-india] a")
    page.fill("#id_email", "in@northwind.example")
    page.click("#team-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("is saved")
    expect(page.locator("#id_email")).to_have_value("in@northwind.example")

    # Tokens: the resolver's is revoked.
    side(page, "tokens")
    page.locator("tr[data-token='build server'] button").click()
    expect(page.locator(".messages")).to_contain_text("The token build server of Resolver is revoked")
    assert ApiToken.objects.get(name="build server").revoked_at is not None
    page.screenshot(path=shots / "admin-06-tokens.png", full_page=True)

    # The same pages on a phone.
    phone = browser.new_context(viewport=PHONE, locale="en-US", storage_state=page.context.storage_state()).new_page()
    for name, path in (
        ("overview", "/organization/"),
        ("people", "/organization/people/"),
        ("person", f"/organization/people/{person.pk}/"),
        ("teams", "/organization/teams/"),
        ("routing", "/organization/routing/"),
        ("tokens", "/organization/tokens/?show=all"),
    ):
        phone.goto(f"{live_server.url}{path}")
        phone.screenshot(path=shots / f"admin-phone-{name}.png", full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, name


def test_the_administrator_adds_changes_and_deletes_a_routing_rule(browser, live_server, browser_world, shots):
    page = new_page(browser)
    open_administration(page, live_server, "administrator@example.test")
    side(page, "routing")
    expect(page.locator("#id_contract")).to_have_value("globex-ito")
    before = RoutingRule.objects.count()

    # No queue chosen: refused beside the field; then a rule for one service, any category.
    page.select_option("#id_service", label="Any service")
    page.click("#rule-form button[type=submit]")
    expect(page.locator("#rule-form .field.invalid")).to_contain_text("Queue")
    hr_portal = page.locator("#id_service option", has_text="hr-portal").get_attribute("value")
    page.select_option("#id_service", hr_portal)
    expect(page.locator("#id_category option:checked")).to_have_text("Any category")
    page.select_option("#id_destination", label="Globex security")
    page.fill("#id_precedence", "40")
    page.fill("#id_description", "HR portal questions go to Globex security")
    page.click("#rule-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The rule is added")
    row = page.locator("#rules tr", has_text="HR portal questions")
    expect(row.locator(".queue")).to_contain_text("Globex security")
    page.screenshot(path=shots / "routing-01-rules.png", full_page=True)

    # Changed to send such tickets back to the requester, then deleted.
    row.locator("a").click()
    page.select_option("#id_destination", "requester")
    page.click("#rule-form button[type=submit]")
    row = page.locator("#rules tr", has_text="HR portal questions")
    expect(row.locator(".queue")).to_contain_text("back to the requester")
    row.locator("a").click()
    page.screenshot(path=shots / "routing-02-rule.png", full_page=True)
    page.click("#delete-rule")
    expect(page.locator(".messages")).to_contain_text("The rule is deleted")
    assert RoutingRule.objects.count() == before


def test_required_two_factor_is_enrolled_at_sign_in_and_a_lockout_is_lifted(
    browser, live_server, browser_world, shots, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    page = new_page(browser)
    open_administration(page, live_server, "administrator@example.test")
    page.check("#id_require_two_factor")
    page.click("#settings-form button[type=submit]")
    # The administrator is one of those asked, right away: the next page is their own enrolment.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.locator(".messages li", has_text="The settings are saved")).to_be_visible()
    expect(page.locator(".messages li", has_text="requires a second factor")).to_be_visible()
    enrol(page, shots, "admin")
    expect(page.locator(".topnav a[data-section=organization]")).to_have_class(re.compile("active"))
    log_out(page)

    # The agent signs in and is sent to the enrolment before anything else.
    log_in(page, live_server, "agent@example.test")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    page.screenshot(path=shots / "2fa-01-setup.png", full_page=True)
    phone = browser.new_context(viewport=PHONE, locale="en-US", storage_state=page.context.storage_state()).new_page()
    phone.goto(page.url)
    phone.screenshot(path=shots / "2fa-01-setup-phone.png", full_page=True)
    codes = enrol(page, shots, "agent")
    log_out(page)

    # The next sign-in asks for a code; a wrong one is refused; a backup code lets them in.
    log_in(page, live_server, "agent@example.test")
    expect(page.locator("h1")).to_have_text("Confirm your sign-in")
    page.fill("#id_code", "000000")
    page.click("#verify-form button[type=submit]")
    expect(page.locator("#verify-form .errorlist")).to_be_visible()
    page.screenshot(path=shots / "2fa-03-verify.png", full_page=True)
    page.wait_for_timeout(2100)  # django-otp makes the next try after a wrong code wait a moment
    page.fill("#id_code", codes[0])
    page.click("#verify-form button[type=submit]")
    expect(page.locator(".topnav a[data-section=workspace]")).to_be_visible()
    log_out(page)

    # Three wrong passwords lock the resolver out, with a clear page.
    for _ in range(3):
        page.fill("input[name=username]", "resolver@example.test")
        page.fill("input[name=password]", "not my password")
        page.click("button[type=submit]")
    expect(page.locator("#locked-out")).to_contain_text("Sign-in is locked for now")
    page.screenshot(path=shots / "lockout-01.png", full_page=True)

    # The administrator (with their own code) unlocks the resolver on their page.
    log_in(page, live_server, "administrator@example.test")
    page.fill("#id_code", ADMIN_CODES[1])
    page.click("#verify-form button[type=submit]")
    page.click(".topnav a[data-section=organization]")
    side(page, "people")
    page.click("tr[data-person='resolver@example.test'] a")
    expect(page.locator(".pagehead .badge.locked")).to_be_visible()
    page.click("#unlock")
    expect(page.locator(".messages")).to_contain_text("may sign in again")
    log_out(page)
    log_in(page, live_server, "resolver@example.test")
    # The resolver has a role other than requester: they enrol too, which shows they are signed in.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))


ADMIN_CODES: list[str] = []


def enrol(page, shots, who: str) -> list[str]:
    """Enrol as a person does: read the key under the QR code into the app (here: compute its code), type it."""
    expect(page.locator("#qr-code svg")).to_be_visible()
    key = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(key)).token():06d}"
    page.fill("#id_code", code)
    page.click("#enrol-form button[type=submit]")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.screenshot(path=shots / f"2fa-02-backup-codes-{who}.png", full_page=True)
    codes = [item.replace("-", "") for item in page.locator("#backup-codes li").all_inner_texts()]
    if who == "admin":
        ADMIN_CODES[:] = codes
    page.click("text=Continue")
    return codes
