"""The provider's team lead writes the continuity plan of single sign-on and records its test, in headless
Chromium; the gaps page then no longer lists the service.

The forms are filled the way a person does: from the reports page to Continuity, to the contract's plans,
choose the service in its list, type the title and steps, leave the recovery time objective empty (the
tier's) and type the point objective, press "Save plan"; on the plan's page, a test dated in the future is
refused beside its field, then the test of last week is recorded with its result chosen in the list.
Screenshots at a laptop's and a phone's size land in $SERVICEPACT_SCREENSHOTS.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.continuity.models import ContinuityPlan, PlanTest
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_team_lead_writes_and_tests_a_plan(browser, live_server, browser_world, shots, viewport):  # noqa: F811
    expect = playwright_api.expect
    name = "laptop" if viewport is LAPTOP else "phone"
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["team-lead"].email)
    page.goto(f"{live_server.url}/slm/reports/")
    page.click("a:has-text('Continuity')")
    expect(page.locator("h1")).to_have_text("Tier-1 services without a tested plan")
    expect(page.locator("[data-contract=globex-ito] tr[data-service=sso]")).to_contain_text("no plan")
    page.click("a:has-text('All plans of the contract')")

    page.screenshot(path=str(shots / f"continuity-contract-{name}.png"), full_page=True)
    page.select_option("select[name=plan-service]", label="Single sign-on")
    page.fill("input[name=plan-title]", "Single sign-on fail-over")
    page.fill("textarea[name=plan-summary]", "Switch the identity provider to the standby site.")
    page.fill("input[name=plan-rpo_minutes]", "15")
    page.click("#new-plan button:has-text('Save plan')")
    expect(page.locator("h1")).to_have_text("Single sign-on fail-over")
    expect(page.locator("#plan")).to_contain_text("240 min")
    plan = ContinuityPlan.objects.get()
    assert (plan.service.key, plan.rto_minutes, plan.rpo_minutes) == ("sso", None, 15)

    today = timezone.localdate()
    page.fill("input[name=test-tested_on]", (today + timedelta(days=2)).isoformat())
    page.select_option("select[name=test-result]", label="Passed")
    page.click("button:has-text('Record test')")
    expect(page.locator("#new-test .errorlist")).to_contain_text("the date is in the future")
    assert not PlanTest.objects.exists()

    tested_on = today - timedelta(days=7) if today.timetuple().tm_yday > 8 else today
    page.fill("input[name=test-tested_on]", tested_on.isoformat())
    page.fill("input[name=test-recovery_minutes]", "95")
    page.click("button:has-text('Record test')")
    expect(page.locator("#tests tr[data-result=passed]")).to_contain_text("95 min")
    page.screenshot(path=str(shots / f"continuity-plan-{name}.png"), full_page=True)
    assert PlanTest.objects.get().recovery_minutes == 95

    page.goto(f"{live_server.url}/continuity/")
    expect(page.locator("[data-contract=globex-ito] tr[data-service=sso]")).to_have_count(0)
    expect(page.locator("[data-contract=globex-ito] tr[data-service=sap-erp]")).to_have_count(1)
