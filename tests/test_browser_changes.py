"""Change and release management in headless Chromium, each form driven as its person would: an agent
requests a change of the SAP database and submits it; the customer's manager (Globex's advisory board)
approves it with a comment; a resolver of the provider implements it and records the outcome; the agent
closes it with the review, adds a task and links the incident it fixes; the calendar shows it in its week
and month; a release groups it and is deployed to test, then production. Screenshots in
$SERVICEPACT_SCREENSHOTS."""

import re
from datetime import UTC, datetime

import pytest

from servicepact.changes import actions
from servicepact.changes.models import Change, ChangeStatus, Release
from servicepact.cmdb.tests.factories import build_cmdb
from servicepact.desk import actions as desk_actions
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def as_person(browser, live_server, world, person, viewport=LAPTOP):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, world.people[person].email)
    return page


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_change_from_request_to_review_and_a_release(browser, live_server, browser_world, shots, viewport):  # noqa: F811
    expect = playwright_api.expect
    world = browser_world
    build_cmdb(world)
    incident = desk_actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Postings slow",
        impact="medium",
        urgency="medium",
    )
    name = "laptop" if viewport is LAPTOP else "phone"

    agent = as_person(browser, live_server, world, "agent", viewport)
    agent.click("header nav a[data-section=changes]")
    agent.click("a:has-text('Request a change')")
    agent.select_option("select[name=contract]", label=world.contract.title)
    agent.select_option("select[name=kind]", "normal")
    agent.fill("input[name=title]", "Upgrade SAP HANA to SPS 08")
    agent.fill("input[name=items]", "sap-db, no-such-item")
    agent.fill("input[name=planned_start]", "2026-12-19T20:00")
    agent.fill("input[name=planned_end]", "2026-12-19T23:00")
    agent.fill("textarea[name=implementation_plan]", "Stop SAP, upgrade, start.")
    agent.fill("textarea[name=backout_plan]", "Restore the snapshot.")
    agent.click("button:has-text('Save as draft')")
    expect(agent.locator(".errorlist")).to_contain_text("no-such-item")
    agent.fill("input[name=items]", "sap-db")
    agent.click("button:has-text('Save as draft')")
    agent.wait_for_url(re.compile(r"/changes/\d+/$"))
    expect(agent.locator("#change-risk")).to_have_text("High")
    expect(agent.locator("#change-services")).to_contain_text("SAP ERP")
    agent.click("#submit-change")
    expect(agent.locator("#change-status")).to_have_text("Awaiting approval")
    change = Change.objects.get()
    agent.screenshot(path=shots / f"changes-{name}-1-submitted.png", full_page=True)

    board = as_person(browser, live_server, world, "customer-manager", viewport)
    board.click("header nav a[data-section=changes]")
    board.click("#awaiting-me a")
    board.select_option("select[name=decide-decision]", "approve")
    board.fill("textarea[name=decide-comment]", "Agreed with the plant managers.")
    board.click("button:has-text('Record my decision')")
    expect(board.locator("#change-status")).to_have_text("Approved")
    expect(board.locator("#approvals")).to_contain_text("Agreed with the plant managers.")

    resolver = as_person(browser, live_server, world, "resolver", viewport)
    resolver.goto(f"{live_server.url}/changes/{change.pk}/")
    resolver.click("#start-change")
    expect(resolver.locator("#change-status")).to_have_text("In progress")
    resolver.fill("#task-form input[name=task-title]", "Snapshot the volumes")
    resolver.click("#task-form button")
    expect(resolver.locator("#tasks")).to_contain_text("Snapshot the volumes")
    resolver.select_option("select[name=finish-outcome]", "successful")
    resolver.fill("textarea[name=finish-text]", "Upgraded in 2 hours.")
    resolver.click("#finish-form button")
    expect(resolver.locator("#change-status")).to_have_text("Implemented")

    agent.goto(f"{live_server.url}/changes/{change.pk}/")
    agent.fill("#link-form input[name=link-ticket]", incident.number)
    agent.select_option("#link-form select[name=link-relation]", "fixes")
    agent.click("#link-form button")
    expect(agent.locator("#change-tickets")).to_contain_text(incident.number)
    agent.fill("textarea[name=review-review]", "No incidents followed; postings are faster.")
    agent.click("#review-form button")
    expect(agent.locator("#change-status")).to_have_text("Closed")
    expect(agent.locator(".history")).to_contain_text("Reviewed and closed")
    agent.screenshot(path=shots / f"changes-{name}-2-closed.png", full_page=True)
    assert Change.objects.get().status == ChangeStatus.CLOSED

    agent.goto(f"{live_server.url}/changes/calendar/?date=2026-12-19")
    expect(agent.locator("#calendar")).to_contain_text(change.number)
    agent.click("a:has-text('Month')")
    expect(agent.locator("#calendar .day")).to_have_count(35)
    expect(agent.locator("#calendar")).to_contain_text(change.number)
    agent.screenshot(path=shots / f"changes-{name}-3-calendar.png", full_page=True)

    agent.goto(f"{live_server.url}/changes/releases/")
    agent.click("a:has-text('New release')")
    agent.select_option("select[name=contract]", label=world.contract.title)
    agent.fill("input[name=name]", "SAP platform")
    agent.fill("input[name=version]", "2026.12")
    agent.fill("textarea[name=notes]", "HANA SPS 08.")
    agent.click("button:has-text('Create release')")
    agent.wait_for_url(re.compile(r"/changes/releases/\d+/$"))
    agent.fill("input[name=add-change]", str(change.pk))
    agent.click("#add-change-form button")
    expect(agent.locator("#release-changes")).to_contain_text(change.number)
    agent.select_option("select[name=deploy-environment]", "production")
    agent.click("#deploy-form button")
    expect(agent.locator("#deploy-form")).to_contain_text("before production")
    agent.select_option("select[name=deploy-environment]", "test")
    agent.click("#deploy-form button")
    agent.select_option("select[name=deploy-environment]", "production")
    agent.fill("input[name=deploy-notes]", "Smooth.")
    agent.click("#deploy-form button")
    expect(agent.locator("#deployments li")).to_have_count(2)
    agent.screenshot(path=shots / f"changes-{name}-4-release.png", full_page=True)
    assert list(Release.objects.get().deployments.values_list("environment", flat=True)) == ["test", "production"]


def test_the_board_rejects_with_a_comment(browser, live_server, browser_world, shots):  # noqa: F811
    expect = playwright_api.expect
    world = browser_world
    items = build_cmdb(world)
    change = actions.raise_change(
        world.contract,
        actor=world.people["agent"],
        kind="emergency",
        title="Restart the SSO server",
        items=[items["sso-srv"]],
        planned_start=datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
        planned_end=datetime(2026, 12, 2, 11, 0, tzinfo=UTC),
    )
    actions.submit(change, actor=world.people["agent"])
    board = as_person(browser, live_server, world, "customer-manager")
    board.goto(f"{live_server.url}/changes/{change.pk}/")
    board.select_option("select[name=decide-decision]", "reject")
    board.fill("textarea[name=decide-comment]", "Not during the month-end close.")
    board.click("button:has-text('Record my decision')")
    expect(board.locator("#change-status")).to_have_text("Rejected")
    board.screenshot(path=shots / "changes-rejected.png", full_page=True)
