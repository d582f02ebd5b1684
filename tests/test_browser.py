"""A person's path through the pages in headless Chromium, against the real server.

A requester reports an incident in the portal; an agent finds it in triage, routes it by the matrix,
replies and resolves it; the requester sees it resolved with the reply. Then the same pages in Chinese.
"""

import pytest

from tests.browser import browser, browser_world, log_in, log_out, page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def test_agent_resolves_a_reported_incident_and_the_requester_sees_it(page, live_server, browser_world, shots):
    expect = playwright_api.expect
    requester, agent = browser_world.people["requester"], browser_world.people["agent"]
    requester.timezone, agent.timezone = "Europe/Berlin", "Asia/Kolkata"
    requester.save(update_fields=["timezone"])
    agent.save(update_fields=["timezone"])

    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=shots / "01-login.png")

    # The requester reports an incident in the portal.
    log_in(page, live_server, requester.email)
    expect(page.locator("h1")).to_contain_text("Hello")
    page.click("a[data-kind=incident]")
    page.click("button:has-text('Submit')")  # empty: errors inline, nothing created
    expect(page.locator(".field.invalid").first).to_be_visible()
    page.select_option("select[name=service]", label="SAP ERP")
    page.select_option("select[name=impact]", "high")
    page.select_option("select[name=urgency]", "high")
    page.fill("input[name=title]", "Goods receipts fail in plant Leipzig")
    page.fill("textarea[name=description]", "MIGO ends with error M7 021 since 08:10.")
    page.screenshot(path=shots / "02-portal-new.png", full_page=True)
    page.click("button:has-text('Submit')")
    number = page.locator(".ticket-head .number").inner_text()
    expect(page.locator(".ticket-head")).to_contain_text("P1")
    log_out(page)

    # The agent finds it in triage, routes it by the matrix, replies and resolves it.
    log_in(page, live_server, agent.email)
    row = page.locator(f"tr[data-ticket='{number}']")
    expect(row).to_be_visible()
    page.screenshot(path=shots / "03-queue-triage.png", full_page=True)
    row.locator("td.number a").click()
    expect(page.locator("#clocks")).to_be_visible()
    page.click("details:has(#action-route) > summary")
    page.click("#action-route button[type=submit]")
    expect(page.locator("[data-field=team]")).to_have_text("Application support China")
    page.fill("#action-reply textarea", "We reproduced it; the posting period was closed by mistake.")
    page.click("#action-reply button[type=submit]")
    expect(page.locator(".timeline li.replied")).to_contain_text("posting period was closed")
    page.click("details[data-action=resolve] > summary")
    page.click("#action-resolve button[type=submit]")  # no resolution: refused inline
    expect(page.locator("#action-resolve .errorlist")).to_be_visible()
    page.fill("#action-resolve textarea", "Posting period 03/2026 reopened; goods receipts post again.")
    page.click("#action-resolve button[type=submit]")
    expect(page.locator("#ticket")).to_have_attribute("data-status", "resolved")
    page.screenshot(path=shots / "04-ticket-agent.png", full_page=True)
    log_out(page)

    # The requester sees it resolved, with the reply.
    log_in(page, live_server, requester.email)
    row = page.locator(f"tr[data-ticket='{number}']")
    expect(row).to_contain_text("Resolved")
    page.screenshot(path=shots / "05-portal-list.png", full_page=True)
    row.locator("td.number a").click()
    expect(page.locator("#ticket")).to_have_attribute("data-status", "resolved")
    expect(page.locator(".timeline")).to_contain_text("posting period was closed")
    expect(page.locator(".timeline")).to_contain_text("Posting period 03/2026 reopened")
    page.screenshot(path=shots / "06-ticket-requester.png", full_page=True)

    # The same pages in Simplified Chinese, switched from the header.
    page.select_option("#header-language", "zh-hans")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".topnav")).to_contain_text("门户")
    page.screenshot(path=shots / "07-ticket-requester-zh.png", full_page=True)
    page.goto(f"{live_server.url}/portal/")
    page.screenshot(path=shots / "08-portal-zh.png", full_page=True)
    log_out(page)
    page.screenshot(path=shots / "09-login-zh.png")
    agent.language = "zh-hans"
    agent.save(update_fields=["language"])
    log_in(page, live_server, agent.email)
    page.goto(f"{live_server.url}/queues/all/?open=any")
    expect(page.locator(f"tr[data-ticket='{number}']")).to_be_visible()
    page.screenshot(path=shots / "10-queue-all-zh.png", full_page=True)
    page.goto(f"{live_server.url}/tickets/{number}/")
    page.screenshot(path=shots / "11-ticket-agent-zh.png", full_page=True)
