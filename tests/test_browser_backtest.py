"""A reporting analyst backtests a draft contract in headless Chromium.

From the reports page they open the backtest: the editor holds the text of the version in force. A draft
the contract language refuses comes back with its line and starts nothing; the corrected draft (a longer P2
resolution target) starts a run, whose page follows the worker's progress, then shows the result: the
credits, the measures month by month, the clocks that flip, and what the draft changes, clause by clause.
Screenshots at a laptop's and a phone's size land in $SERVICEPACT_SCREENSHOTS (default: the test's
temporary directory); no page is wider than the window.
"""

import re

import pytest

from servicepact.slm.models import BacktestRun, PreparedDownload
from servicepact.slm.reporting import backtesting
from servicepact.slm.tasks_backtest import prepare_download, run_backtest
from servicepact.slm.tests.report_world import play_week
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser

WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_an_analyst_backtests_a_draft_from_the_contract_in_force(
    browser, live_server, browser_world, shots, viewport, monkeypatch
):  # noqa: F811
    expect = playwright_api.expect
    size = "laptop" if viewport is LAPTOP else "phone"
    play_week(browser_world)
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["analyst"].email)

    page.goto(f"{live_server.url}/slm/reports/")
    page.click("a:has-text('Backtest a draft')")
    expect(page.locator("h1")).to_have_text("Backtest a draft contract")
    draft = page.locator("textarea[name=draft]")
    in_force = draft.input_value()
    assert in_force == browser_world.version.source  # the editor starts as the version in force
    page.screenshot(path=shots / f"backtest-1-editor-{size}.png", full_page=True)
    assert page.evaluate(WIDTH) <= viewport["width"]

    # A target the contract language does not read: the line is named, nothing starts.
    draft.fill(in_force.replace("P2: {within: 8h,  calendar: service}", "P2: {within: 16 hours, calendar: service}"))
    page.fill("input[name=first]", "2026-03")
    page.fill("input[name=last]", "2026-03")
    page.click("button:has-text('Start the backtest')")
    line = 1 + in_force[: in_force.index("P2: {within: 8h,  calendar: service}")].count("\n")
    expect(page.locator("#problems")).to_contain_text(f"draft.yaml:{line}:")
    page.screenshot(path=shots / f"backtest-2-refused-{size}.png", full_page=True)
    assert BacktestRun.objects.count() == 0

    # The corrected draft: 16 hours for P2 resolutions.
    draft.fill(
        in_force.replace("version: 1\n", "version: 2\n").replace(
            "P2: {within: 8h,  calendar: service}", "P2: {within: 16h, calendar: service}"
        )
    )
    page.click("button:has-text('Start the backtest')")
    page.wait_for_url(re.compile(r"/slm/backtests/\d+/$"))
    run = BacktestRun.objects.get()
    expect(page.locator("#run-status")).to_have_text("Queued")
    expect(page.locator("#run-counts")).to_contain_text("0 of 0 tickets read, 0 of 1 months compared.")
    page.screenshot(path=shots / f"backtest-3-queued-{size}.png", full_page=True)

    # The worker's turn, a ticket at a time; the page follows its progress.
    seen = []
    original = backtesting.compare_months

    def watched(run_, checked, events):
        expect(page.locator("#run-counts")).to_contain_text(
            f"{run_.tickets_total} of {run_.tickets_total} tickets read", timeout=10_000
        )
        expect(page.locator("#run-status")).to_have_text("Running")
        seen.append(page.locator("progress.run-progress").get_attribute("value"))
        page.screenshot(path=shots / f"backtest-4-running-{size}.png", full_page=True)
        return original(run_, checked, events)

    monkeypatch.setattr(backtesting, "READ_CHUNK", 1)
    monkeypatch.setattr(backtesting, "compare_months", watched)
    run_backtest.call(run.pk)
    assert seen == ["50"]

    expect(page.locator("#run-status")).to_have_text("Done", timeout=10_000)
    expect(page.locator("#flips-met")).to_have_text("1")
    flip = page.locator("#flips tbody tr").first
    expect(flip.locator("td").nth(1)).to_have_text("resolution")
    expect(flip.locator("td").nth(3)).to_have_text("breached")
    expect(flip.locator("td").nth(4)).to_have_text("met")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Changes from version 1")
    target = changes.locator("tr.change-changed", has_text="clocks.resolution")
    expect(target.locator("td.old")).to_contain_text("8")
    expect(target.locator("td.new")).to_contain_text("16")
    page.screenshot(path=shots / f"backtest-5-result-{size}.png", full_page=True)
    assert page.evaluate(WIDTH) <= viewport["width"]

    # The result is kept: the page reloaded shows it again, and the draft can be taken up again.
    page.reload()
    expect(page.locator("#result")).to_be_visible()
    page.click("a:has-text('Edit this draft and run again')")
    assert "P2: {within: 16h, calendar: service}" in page.locator("textarea[name=draft]").input_value()
    expect(page.locator("#runs li")).to_have_count(1)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_contracts_events_are_prepared_by_the_worker_then_downloaded(
    browser, live_server, browser_world, shots, viewport
):  # noqa: F811
    """The customer's manager asks for the contract's events on the checkpoints page; the page that comes
    back follows the worker, then offers the file."""
    expect = playwright_api.expect
    size = "laptop" if viewport is LAPTOP else "phone"
    play_week(browser_world)
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["customer-manager"].email)
    page.goto(f"{live_server.url}/checkpoints/")
    page.click("a.btn:has-text('globex-ito')")
    page.wait_for_url(re.compile(r"/slm/downloads/\d+/$"))
    expect(page.locator("#download-status")).to_have_text("Queued")
    expect(page.locator("#download-link")).to_have_count(0)
    page.screenshot(path=shots / f"download-1-queued-{size}.png", full_page=True)

    download = PreparedDownload.objects.get()
    prepare_download.call(download.pk)  # the worker's turn
    expect(page.locator("#download-status")).to_have_text("Done", timeout=10_000)
    page.screenshot(path=shots / f"download-2-ready-{size}.png", full_page=True)
    assert page.evaluate(WIDTH) <= viewport["width"]
    with page.expect_download() as caught:
        page.click("#download-link")
    assert caught.value.suggested_filename == "globex-ito-events-chain.jsonl"
    download.refresh_from_db()
    with open(caught.value.path(), "rb") as got, download.file.open("rb") as kept:
        assert got.read() == kept.read()
