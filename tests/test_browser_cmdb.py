"""The CMDB in headless Chromium: an administrator adds an item (a bad attribute first), relates it, changes
it, reads its impact graph, imports a CSV (a dry run listing the bad rows, then the real run); an agent names
an item on a ticket and removes it. Screenshots at a laptop's and a phone's size land in
$SERVICEPACT_SCREENSHOTS (default: the test's temporary directory)."""

import re

import pytest

from servicepact.cmdb.models import ConfigurationItem, Relationship, TicketItem
from servicepact.cmdb.tests.factories import build_cmdb
from servicepact.desk import actions as desk_actions
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser

BAD_CSV = "key,name,class,os,engine\nweb-9,Web 9,server,,\ndb-9,DB 9,database,,db2\n"
GOOD_CSV = "key,name,class,os,engine\nweb-9,Web 9,server,Ubuntu,\ndb-9,DB 9,database,,postgresql\n"
RELATIONS_CSV = "source,kind,target\ndb-9,runs_on,web-9\n"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_an_administrator_keeps_the_cmdb(browser, live_server, browser_world, shots, viewport, tmp_path):  # noqa: F811
    expect = playwright_api.expect
    build_cmdb(browser_world)
    name = "laptop" if viewport is LAPTOP else "phone"
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["administrator"].email)

    page.click("header nav a[data-section=changes]")
    page.click("a:has-text('Configuration items')")
    expect(page.locator("h1")).to_have_text("Configuration items")
    page.select_option("select[name=class]", "database")
    page.click("button:has-text('Filter')")
    expect(page.locator("#items tbody tr")).to_have_count(1)
    page.screenshot(path=shots / f"cmdb-{name}-1-list.png", full_page=True)

    page.click("a:has-text('New item')")
    page.select_option("select[name=contract]", label=browser_world.contract.title)
    page.fill("input[name=key]", "app-srv-2")
    page.fill("input[name=name]", "appsrv02")
    page.select_option("select[name=item_class]", "server")
    page.select_option("select[name=owner_team]", label="Application support China")
    page.select_option("select[name=tier]", "2")
    page.fill("input[name=location]", "Frankfurt")
    page.fill("input[name=timezone]", "Europe/Berlin")
    page.fill("textarea[name=attributes]", "cpu_cores=four")
    page.click("button:has-text('Save')")
    expect(page.locator(".errorlist")).to_contain_text("cpu_cores must be a whole number")
    expect(page.locator(".errorlist")).to_contain_text("server needs the attribute os")
    assert not ConfigurationItem.objects.filter(key="app-srv-2").exists()
    page.fill("textarea[name=attributes]", "os=SLES 15\ncpu_cores=16")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r"/cmdb/\d+/$"))
    expect(page.locator("h1")).to_contain_text("appsrv02")

    page.select_option("select[name=kind]", "connects_to")
    page.fill("input[name=target]", "san-1")
    page.click("button:has-text('Add relationship')")
    expect(page.locator("#relationships")).to_contain_text("SAN array 1")
    assert Relationship.objects.filter(source__key="app-srv-2", target__key="san-1").exists()
    page.click("a[href$='/edit/']")
    page.fill("input[name=location]", "Munich")
    page.click("button:has-text('Save')")
    expect(page.locator(".facts")).to_contain_text("Munich")
    expect(page.locator(".history")).to_contain_text("Relationship added")
    page.screenshot(path=shots / f"cmdb-{name}-2-item.png", full_page=True)

    # The shared storage: SAP ERP fails with it, through its server and its database.
    page.goto(f"{live_server.url}/cmdb/{ConfigurationItem.objects.get(key='san-1').pk}/")
    expect(page.locator("#affected-services")).to_contain_text("SAP ERP")
    expect(page.locator("svg.impact-graph a.node")).to_have_count(6)
    page.screenshot(path=shots / f"cmdb-{name}-3-impact.png", full_page=True)

    page.goto(f"{live_server.url}/cmdb/import/")
    bad, good, relations = tmp_path / "bad.csv", tmp_path / "good.csv", tmp_path / "relations.csv"
    bad.write_text(BAD_CSV)
    good.write_text(GOOD_CSV)
    relations.write_text(RELATIONS_CSV)
    page.select_option("select[name=contract]", label=browser_world.contract.title)
    page.set_input_files("input[name=items]", str(bad))
    page.check("input[name=dry_run]")
    page.click("button:has-text('Check or import')")
    expect(page.locator("#problems tbody tr")).to_have_count(2)
    expect(page.locator("#problems")).to_contain_text("engine must be one of")
    page.screenshot(path=shots / f"cmdb-{name}-4-import-problems.png", full_page=True)
    page.select_option("select[name=contract]", label=browser_world.contract.title)
    page.set_input_files("input[name=items]", str(good))
    page.set_input_files("input[name=relationships]", str(relations))
    page.uncheck("input[name=dry_run]")
    page.click("button:has-text('Check or import')")
    page.wait_for_url(re.compile(r"/cmdb/$"))
    expect(page.locator("body")).to_contain_text("2 items created")
    assert Relationship.objects.filter(source__key="db-9", target__key="web-9").exists()


def test_an_agent_names_an_item_on_a_ticket(browser, live_server, browser_world, shots):  # noqa: F811
    expect = playwright_api.expect
    build_cmdb(browser_world)
    ticket = desk_actions.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sap-erp"],
        title="Posting fails",
        impact="medium",
        urgency="medium",
    )
    page = browser.new_context(viewport=LAPTOP, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["agent"].email)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    page.fill("#link-item", "sap-db")
    page.click("button:has-text('Name item')")
    expect(page.locator("#ticket-items")).to_contain_text("SAP HANA")
    assert TicketItem.objects.filter(ticket=ticket, item__key="sap-db").exists()
    page.screenshot(path=shots / "cmdb-ticket-items.png", full_page=True)
    page.locator("#ticket-items").locator("button:has-text('Remove')").click()
    expect(page.locator("#ticket-items")).to_contain_text("names no configuration item")
