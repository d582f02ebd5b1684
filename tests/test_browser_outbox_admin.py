"""The platform operator looks into mail that does not leave, in headless Chromium: the outbox's list in
Django's admin says at its top how much waits, fails or was given up; the operator filters the given-up
messages, reads the last error and opens one to see its attachments. Screenshots at a laptop's and a
phone's size land in $SERVICEPACT_SCREENSHOTS (default: the test's temporary directory)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.notify.actions import Attachment, enqueue_notification
from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.testing import factories
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser

expect = playwright_api.expect


def queue(subject: str, **fields) -> Outbox:
    message = enqueue_notification(
        recipients=["brm@globex.example"],
        subject=subject,
        body="b",
        attachments=[Attachment("globex-ito-2026-03.pdf", b"%PDF-1.7 tiny", "application/pdf")],
    )
    Outbox.objects.filter(pk=message.pk).update(**fields)
    return message


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_operator_finds_the_mail_that_was_given_up_and_why(browser, live_server, browser_world, shots, viewport):
    factories.UserFactory(email="operator@example.test", is_staff=True, is_superuser=True)
    now = timezone.now()
    queue(
        "Service level report globex-ito 2026-02",
        created_at=now - timedelta(hours=3),
        tries=2,
        last_error="SMTPDataError: (451, b'Mailbox temporarily unavailable')",
    )
    given_up = queue(
        "Service level report globex-ito 2026-03",
        status=OutboxStatus.FAILED,
        tries=6,
        last_error="SMTPRecipientsRefused: {'brm@globex.example': (550, b'No such user')}",
    )
    page = new_page(browser, viewport)
    log_in(page, live_server, "operator@example.test")
    page.goto(f"{live_server.url}/admin/notify/outbox/")
    state = page.locator("#mail-state li")
    expect(state).to_have_class("error")
    expect(state).to_contain_text("1 message waits to be sent")
    expect(state).to_contain_text("failing: 1, overdue: 1, given up: 1.")
    expect(state).to_contain_text("Mail is not leaving")
    name = "laptop" if viewport == LAPTOP else "phone"
    page.screenshot(path=shots / f"outbox-admin-{name}-01-list.png", full_page=True)

    if viewport == LAPTOP:  # the phone's admin folds the filters away
        page.click("#changelist-filter a:has-text('Given up after every retry')")
    else:
        page.goto(f"{live_server.url}/admin/notify/outbox/?trouble=given_up")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("No such user")
    expect(page.locator("#result_list")).not_to_contain_text("2026-02")
    page.screenshot(path=shots / f"outbox-admin-{name}-02-given-up.png", full_page=True)

    page.click(f"#result_list a[href*='/{given_up.pk}/']")
    expect(page.locator("body")).to_contain_text("globex-ito-2026-03.pdf")
    expect(page.locator("body")).to_contain_text("application/pdf")
    page.screenshot(path=shots / f"outbox-admin-{name}-03-message.png", full_page=True)
