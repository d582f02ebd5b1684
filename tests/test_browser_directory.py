"""An organization's administrator synchronizes the employee directory (Debian's slapd) on its page, in
headless Chromium: a dry run first, then the run; then a person of the directory signs in with the
directory's password on the login page."""

import pytest

from servicepact.accounts.models import DirectorySource, Membership, Role, User
from servicepact.accounts.tests.slapd_directory import (
    ADMIN_DN,
    ADMIN_PASSWORD,
    GROUP_BASE,
    PEOPLE_BASE,
    slapd_directory,
)
from servicepact.testing.factories import PASSWORD
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
PEOPLE = 250


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_administrator_runs_a_dry_run_then_the_sync_and_a_person_signs_in_by_the_directory(
    browser, live_server, browser_world, shots, tmp_path, viewport
):  # noqa: F811
    customer = browser_world.customer
    administrator = User.objects.create_user(
        "it-admin@globex.example", password=PASSWORD, organization=customer, full_name="IT Admin"
    )
    Membership.objects.create(user=administrator, organization=customer, role=Role.ADMINISTRATOR)
    with slapd_directory(tmp_path / "slapd", PEOPLE) as directory:
        DirectorySource.objects.create(
            organization=customer,
            slug="globex-ldap",
            name="Globex directory",
            server_url=directory.url,
            bind_dn=ADMIN_DN,
            bind_password=ADMIN_PASSWORD,
            people_base=PEOPLE_BASE,
            disabled_filter="(employeeType=disabled)",
            group_base=GROUP_BASE,
            role_mapping={"servicedesk-managers": Role.CUSTOMER_MANAGER},
            login_by_bind=True,
        )
        page = new_page(browser, viewport)
        log_in(page, live_server, administrator.email)
        page.goto(f"{live_server.url}/organization/")
        page.click("nav.sidenav a[data-section=directory]")
        expect(page.locator("h1")).to_have_text("Directory")
        expect(page.locator("input[name=dry_run]")).to_be_checked()
        page.click("#sync-form button:has-text('Run')")
        expect(page.locator("body")).to_contain_text("Dry run done: nothing was changed.")
        row = page.locator("#syncs tbody tr").first
        expect(row.locator("td").nth(2)).to_have_text("Dry run")
        expect(row.locator("td").nth(4)).to_have_text(str(PEOPLE - 2))  # two of them are disabled
        assert not User.objects.filter(email="p00007@globex.example").exists()
        page.screenshot(path=shots / f"directory-{viewport['width']}-1-dry-run.png", full_page=True)

        page.uncheck("input[name=dry_run]")
        page.click("#sync-form button:has-text('Run')")
        expect(page.locator("body")).to_contain_text("The directory is synchronized.")
        assert User.objects.get(email="p00007@globex.example").manager.email == "p00001@globex.example"
        page.screenshot(path=shots / f"directory-{viewport['width']}-2-run.png", full_page=True)
        log_out(page)

        # The directory's password signs the person in; a wrong one does not.
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "p00007@globex.example")
        page.fill("input[name=password]", "wrong")
        page.click("button[type=submit]")
        expect(page.locator("form").last).to_contain_text("correct")
        page.fill("input[name=password]", "secret-p00007")
        page.click("button[type=submit]")
        expect(page.locator("header.topbar")).to_contain_text("Person 7")
