"""The provider's administrator reads what the service desk's mailbox received (Dovecot, started by the
test), filters the failed mails and tries one again once its cause is fixed, in headless Chromium."""

import pytest

from servicepact.mailin.models import InboundStatus, Mailbox
from servicepact.mailin.tasks import read_mail
from servicepact.mailin.tests.conftest import DESK, DESK_PASSWORD, mail, mailbox_for
from servicepact.mailin.tests.dovecot import dovecot
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


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_administrator_sees_a_failed_mail_and_tries_it_again(browser, live_server, browser_world, shots, viewport):  # noqa: F811
    world = browser_world
    with dovecot({DESK: DESK_PASSWORD}) as server:
        mailbox = mailbox_for(world, server, service=world.other_contract.services.get())  # misconfigured
        server.deliver(DESK, mail(world.people["requester"].email, "Laptop will not boot")[0])
        server.deliver(DESK, mail("MAILER-DAEMON@mail.example", "Undelivered Mail Returned to Sender")[0])
        read_mail.call()

    page = new_page(browser, viewport)
    log_in(page, live_server, world.people["administrator"].email)
    page.goto(f"{live_server.url}/organization/")
    page.click("nav.sidenav a[data-section=mail]")
    expect(page.locator("h1")).to_have_text("Inbound mail")
    expect(page.locator("#failed-count")).to_have_text("1 failed")
    expect(page.locator("#inbound tbody tr")).to_have_count(2)
    page.select_option("select[name=status]", InboundStatus.FAILED.value)
    page.click("#status-filter button:has-text('Show')")
    rows = page.locator("#inbound tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Laptop will not boot")
    page.screenshot(path=shots / f"mailin-{viewport['width']}-1-failed.png", full_page=True)

    Mailbox.objects.filter(pk=mailbox.pk).update(service=world.services["sso"])  # the operator fixes it
    rows.first.locator("button:has-text('Try again')").click()
    expect(page.locator("body")).to_contain_text("The mail is read: opened INC")
    expect(page.locator("#inbound tbody tr[data-status=ticket]")).to_have_count(1)
    expect(page.locator("#mailboxes tbody tr").first.locator("td").nth(2)).not_to_have_text("—")
    page.screenshot(path=shots / f"mailin-{viewport['width']}-2-read.png", full_page=True)

    # The requester sees the ticket the mail opened.
    page.locator("#inbound tbody tr[data-status=ticket] a").click()
    expect(page.locator("h1")).to_contain_text("Laptop will not boot")
