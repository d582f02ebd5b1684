"""An agent deletes one of their saved views from the queue's side, after a confirmation, in headless Chromium."""

import pytest

from servicepact.desk.models import SavedView
from tests.browser import PHONE, browser, browser_world, log_in, new_page, page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_saved_view_is_deleted_after_confirming_and_kept_when_not(page, live_server, browser_world, shots):
    expect = playwright_api.expect
    agent = browser_world.people["agent"]
    log_in(page, live_server, agent.email)
    page.goto(f"{live_server.url}/queues/all/")
    page.fill("#save-view-name", "Morning check")
    page.click("#save-view button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Saved as Morning check.")
    page.screenshot(path=shots / "saved-view-side.png")

    # Asked first; keeping it changes nothing.
    page.click(".sidenav a[data-delete-view='Morning check']")
    expect(page.locator("#delete-view h1")).to_contain_text("Delete the view “Morning check”?")
    page.screenshot(path=shots / "saved-view-confirm.png")
    page.click("#delete-view a:has-text('Keep it')")
    expect(page.locator(".sidenav a[data-view='Morning check']")).to_have_count(1)
    assert SavedView.objects.filter(owner=agent, name="Morning check").exists()

    page.click(".sidenav a[data-delete-view='Morning check']")
    page.click("#delete-view button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The view Morning check was deleted.")
    expect(page.locator(".sidenav a[data-view='Morning check']")).to_have_count(0)
    assert not SavedView.objects.filter(owner=agent).exists()

    # Another person's view is not theirs to delete: not found.
    other = SavedView.objects.create(
        owner=browser_world.people["team-lead"], name="Lead's", queue="all", query="", created_at=agent.date_joined
    )
    response = page.goto(f"{live_server.url}/queues/all/delete-view/?view={other.pk}")
    assert response.status == 404
    phone = new_page(page.context.browser, PHONE)
    log_in(phone, live_server, agent.email)
    phone.goto(f"{live_server.url}/queues/all/")
    phone.screenshot(path=shots / "saved-view-phone.png")
