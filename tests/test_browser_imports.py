"""An administrator imports a ServiceNow export on the upload page, in headless Chromium.

The form is filled the way a person does: choose the contract and the source in their lists, choose the
export file and the shipped mapping, tick the dry run, press the button and read the report of unmapped
values; choose a corrected mapping file, check again; untick the dry run and press the button; the run's
page follows the background import to its end. Screenshots at a laptop's and a phone's size land in
$SERVICEPACT_SCREENSHOTS (default: the test's temporary directory).
"""

import re

import pytest

from servicepact.desk.models import Ticket
from servicepact.imports.models import ImportRun
from servicepact.imports.tasks import run_import
from servicepact.imports.tests.conftest import (
    SERVICENOW_MAPPING,
    history_contract_for,
    write_servicenow,
)
from servicepact.imports.tests.conftest import servicenow_row as row
from servicepact.imports.tests.test_backtest import DRAFT
from servicepact.slm.models import BacktestRun
from servicepact.slm.tasks_backtest import run_backtest
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def files(tmp_path):
    export = write_servicenow(
        tmp_path / "incident_event_log.csv",
        [
            row("0000045", "New", 0, "29/2/2016 01:23"),
            row("0000045", "Awaiting Approval", 1, "29/2/2016 02:00", group="24"),
            row("0000045", "Resolved", 2, "29/2/2016 08:53", group="24"),
            row("0000045", "Closed", 3, "5/3/2016 12:00", group="24"),
            row("0000047", "Active", 0, "29/2/2016 05:00", opened="29/2/2016 04:40", group="70", caller="2404"),
            row(
                "0000047",
                "Awaiting Approval",
                1,
                "29/2/2016 06:00",
                opened="29/2/2016 04:40",
                group="70",
                caller="2404",
            ),
        ],
    )
    mapping = tmp_path / "our-servicenow.yaml"
    mapping.write_text(
        SERVICENOW_MAPPING.read_text()
        .replace(
            "    Awaiting Problem: pending_problem\n",
            "    Awaiting Problem: pending_problem\n    Awaiting Approval: pending_customer\n",
        )
        .replace("mapping: servicenow-incident-audit", "mapping: our-servicenow")
    )
    return export, mapping


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_administrator_checks_an_export_fixes_the_mapping_and_imports(
    browser, live_server, browser_world, files, shots, viewport
):  # noqa: F811
    expect = playwright_api.expect
    history = history_contract_for(browser_world)
    export, mapping = files
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["administrator"].email)
    name = "laptop" if viewport is LAPTOP else "phone"

    page.click("header nav a[data-section=imports]")
    expect(page.locator("h1")).to_have_text("Imported history")
    page.click("a:has-text('Import history')")
    page.select_option("select[name=contract]", label=history.title)
    page.select_option("select[name=tool]", label="ServiceNow")
    page.set_input_files("input[name=file]", str(export))
    page.select_option("select[name=example]", "servicenow-incident-audit")
    page.check("input[name=dry_run]")
    page.click("button:has-text('Check or import')")

    report = page.locator("#report")
    expect(report).to_contain_text("The file cannot be imported as it is")
    unmapped = page.locator("#unmapped")
    expect(unmapped).to_contain_text("Awaiting Approval")
    expect(unmapped.locator("tbody tr")).to_have_count(1)
    expect(unmapped.locator("tbody tr td").nth(2)).to_have_text("2")
    page.screenshot(path=shots / f"imports-{name}-1-unmapped.png", full_page=True)
    assert Ticket.objects.filter(contract=history).count() == 0

    # The mapping gets the state it lacked; the export stays chosen.
    page.set_input_files("input[name=mapping_file]", str(mapping))
    page.select_option("select[name=example]", "")
    page.click("button:has-text('Check or import')")
    expect(report).to_contain_text("The file can be imported as it is.")
    expect(page.locator("#report .report-figures")).to_contain_text("To import")
    page.screenshot(path=shots / f"imports-{name}-2-clean.png", full_page=True)
    assert ImportRun.objects.count() == 0

    page.uncheck("input[name=dry_run]")
    page.click("button:has-text('Check or import')")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    run = ImportRun.objects.get()
    expect(page.locator("#run-status")).to_have_text("Queued")
    run_import.call(run.pk)  # the background worker's turn
    expect(page.locator("#run-status")).to_have_text("Done", timeout=10_000)
    expect(page.locator("#run-counts")).to_contain_text("2 of 2 tickets: 2 imported")
    expect(page.locator("#approximations")).to_be_visible()
    page.screenshot(path=shots / f"imports-{name}-3-done.png", full_page=True)
    assert Ticket.objects.filter(contract=history, status="closed").count() == 1

    # A draft tried on this history, from the run's page.
    page.click("a:has-text('Backtest a draft on this history')")
    expect(page.locator("select[name=history]")).to_have_value(str(run.pk))
    page.fill("textarea[name=draft]", DRAFT)
    page.fill("input[name=first]", "2016-02")
    page.fill("input[name=last]", "2016-03")
    page.click("button:has-text('Start the backtest')")
    page.wait_for_url(re.compile(r"/slm/backtests/\d+/$"))
    run_backtest.call(BacktestRun.objects.get().pk)  # the background worker's turn
    expect(page.locator("#result")).to_contain_text(f"on the tickets of import {run.pk}", timeout=10_000)
    expect(page.locator("#result")).to_contain_text("resolution-compliance")
    page.screenshot(path=shots / f"imports-{name}-4-backtest.png", full_page=True)
    page.click("header nav a[data-section=imports]")
    expect(page.locator("#runs tbody tr")).to_have_count(1)
    page.screenshot(path=shots / f"imports-{name}-5-list.png", full_page=True)
