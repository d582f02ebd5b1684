"""Shifts, on-call, pages and webhooks driven in headless Chromium the way people use the forms.

A team lead adds a shift pattern and rosters people, and reads who is on shift; sets the on-call rotation and
the escalation policy; an agent pages the team and the person on call acknowledges from the page, then from
the mailed link; the provider's administrator adds a webhook and sends it a ping. Screenshots at a laptop's
and a phone's size land in $SERVICEPACT_SCREENSHOTS (default: the test's temporary directory).
"""

import datetime as dt

import pytest
from django.utils import timezone

from servicepact.oncall.links import token_for
from servicepact.oncall.models import Page, PageStatus
from servicepact.rosters.models import RosterEntry, ShiftPattern
from servicepact.webhooks.models import Delivery, Endpoint
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, log_out, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser
expect = playwright_api.expect


def this_monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_team_lead_plans_shifts_and_reads_who_is_on_shift(browser, live_server, browser_world, shots, viewport):
    page = browser.new_context(viewport=viewport, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["team-lead"].email)
    page.goto(f"{live_server.url}/rosters/teams/app-support-cn/")
    expect(page.locator("h1")).to_contain_text("Application support China")

    # Every day, all day: whatever the hour the test runs, the shift is on.
    page.fill("input[name=pattern-name]", "Round the clock")
    for day in range(1, 8):
        page.check(f"input[name=pattern-weekdays][value='{day}']")
    page.fill("input[name=pattern-starts_at]", "00:00")
    page.fill("input[name=pattern-ends_at]", "00:00")
    page.click("#pattern-form button[type=submit]")
    expect(page.locator("#pattern-form .errorlist")).to_contain_text("cannot end when it starts")
    page.fill("input[name=pattern-ends_at]", "23:59")
    page.fill("input[name=pattern-holidays]", "XX")
    page.click("#pattern-form button[type=submit]")
    expect(page.locator("#pattern-form .errorlist")).to_contain_text("not a country code")
    page.fill("input[name=pattern-holidays]", "")
    page.fill("input[name=pattern-ends_at]", "00:00")
    page.fill("input[name=pattern-starts_at]", "00:01")
    page.click("#pattern-form button[type=submit]")
    expect(page.locator("#patterns")).to_contain_text("Round the clock")
    assert ShiftPattern.objects.get().crosses_midnight

    page.select_option("select[name=roster-pattern]", label="Round the clock (00:01–00:00)")
    page.fill("input[name=roster-week]", (this_monday() + dt.timedelta(days=1)).isoformat())
    page.select_option("select[name=roster-person]", label="Resolver")
    page.click("#roster-form button[type=submit]")
    expect(page.locator("#roster-form .errorlist")).to_contain_text("is not a Monday")
    page.fill("input[name=roster-week]", this_monday().isoformat())
    page.click("#roster-form button[type=submit]")
    expect(page.locator("#roster")).to_contain_text("Resolver")
    assert RosterEntry.objects.count() == 1
    page.screenshot(path=str(shots / f"rosters-team-{viewport['width']}.png"), full_page=True)

    page.click("a:has-text('Who is on shift')")
    expect(page.locator("#on-shift")).to_contain_text("Application support China")
    expect(page.locator("#on-shift")).to_contain_text("Resolver")
    page.screenshot(path=str(shots / f"rosters-now-{viewport['width']}.png"), full_page=True)


def test_on_call_is_planned_paged_and_acknowledged(browser, live_server, browser_world, shots):
    world = browser_world
    page = browser.new_context(viewport=LAPTOP, locale="en-US").new_page()
    log_in(page, live_server, world.people["team-lead"].email)
    page.goto(f"{live_server.url}/oncall/teams/app-support-cn/")
    page.select_option("select[name=rotation-layer]", "1")
    page.fill("input[name=rotation-name]", "Primary")
    page.select_option("select[name=rotation-period]", "weekly")
    page.fill("input[name=rotation-handoff_time]", "09:00")
    page.fill("input[name=rotation-starts_on]", (this_monday() - dt.timedelta(days=7)).isoformat())
    page.fill("textarea[name=rotation-members]", "nobody@example.test")
    page.click("#rotation-form button[type=submit]")
    expect(page.locator("#rotation-form .errorlist")).to_contain_text("nobody@example.test is no member")
    page.fill("textarea[name=rotation-members]", "resolver@example.test")
    page.click("#rotation-form button[type=submit]")
    expect(page.locator("#rotations")).to_contain_text("Resolver")
    expect(page.locator("#on-call-now")).to_contain_text("Resolver")

    page.fill("input[name=policy-name]", "Application support")
    page.select_option("select[name=policy-step1]", "on_call")
    page.select_option("select[name=policy-step2]", "team_lead")
    page.fill("input[name=policy-delay2]", "10")
    page.click("#policy-form button[type=submit]")
    expect(page.locator("#policy-steps")).to_contain_text("Team leads")
    page.screenshot(path=str(shots / "oncall-team-1366.png"), full_page=True)
    log_out(page)

    log_in(page, live_server, world.people["agent"].email)
    page.goto(f"{live_server.url}/oncall/pages/")
    page.select_option("select[name=team]", label="Application support China")
    page.fill("input[name=title]", "SAP posting stopped")
    page.click("#start-page button[type=submit]")
    expect(page.locator("#page-status")).to_have_text("Triggered")
    expect(page.locator("#page-log")).to_contain_text("Resolver")
    paged = Page.objects.get()
    assert paged.steps == [{"target": "on_call", "delay_minutes": 0}, {"target": "team_lead", "delay_minutes": 10}]
    log_out(page)

    log_in(page, live_server, world.people["resolver"].email)
    page.goto(f"{live_server.url}/oncall/pages/")
    page.click(f"a:has-text('#{paged.pk} SAP posting stopped')")
    page.click("#answer-page button[value=acknowledge]")
    expect(page.locator("#page-status")).to_have_text("Acknowledged")
    page.screenshot(path=str(shots / "oncall-page-1366.png"), full_page=True)

    # The mailed link needs no sign-in: it stands for the person it was sent to.
    phone = browser.new_context(viewport=PHONE, locale="en-US").new_page()
    phone.goto(f"{live_server.url}/oncall/link/{token_for(paged.pk, world.people['resolver'].pk)}/")
    phone.click("#answer-page button[value=resolve]")
    expect(phone.locator("#answered")).to_be_visible()
    phone.screenshot(path=str(shots / "oncall-link-390.png"), full_page=True)
    paged.refresh_from_db()
    assert paged.status == PageStatus.RESOLVED and paged.resolved_by == world.people["resolver"]


def test_an_administrator_adds_a_webhook_and_pings_it(browser, live_server, browser_world, shots):
    page = browser.new_context(viewport=LAPTOP, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["administrator"].email)
    page.goto(f"{live_server.url}/webhooks/")
    page.fill("input[name=name]", "noc")
    page.fill("input[name=url]", "ftp://noc.example.test/hooks")
    page.check("input[name=events][value='ticket.created']")
    page.check("input[name=events][value='page']")
    page.click("#endpoint-form button[type=submit]")
    expect(page.locator("#endpoint-form .errorlist")).to_contain_text("is not an http or https address")
    page.fill("input[name=url]", "https://noc.example.test/hooks")
    page.click("#endpoint-form button[type=submit]")
    endpoint = Endpoint.objects.get()
    expect(page.locator("#secret")).to_have_text(endpoint.secret)
    page.click("#endpoint-actions button[value=ping]")
    expect(page.locator("#deliveries")).to_contain_text("ping")
    assert Delivery.objects.get().event == "ping"
    page.screenshot(path=str(shots / "webhooks-endpoint-1366.png"), full_page=True)


def test_an_administrator_makes_a_rule_follow_the_sun(browser, live_server, browser_world, shots):
    from servicepact.accounts.models import Team
    from servicepact.rosters.models import SunTeam

    Team.objects.create(
        organization=browser_world.provider,
        slug="app-support-in",
        name="Application support India",
        timezone="Asia/Kolkata",
    )
    page = browser.new_context(viewport=LAPTOP, locale="en-US").new_page()
    log_in(page, live_server, browser_world.people["administrator"].email)
    page.goto(f"{live_server.url}/rosters/")
    page.click("#sun-rules a:has-text('default')")
    page.fill("textarea[name=teams]", "app-support-cn\nno-such-team")
    page.click("#sun-form button[type=submit]")
    expect(page.locator("#sun-form .errorlist")).to_contain_text("no-such-team is no team you see")
    page.fill("textarea[name=teams]", "app-support-cn\napp-support-in")
    page.click("#sun-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("follow-the-sun teams are saved")
    assert list(SunTeam.objects.order_by("position").values_list("team__slug", flat=True)) == [
        "app-support-cn",
        "app-support-in",
    ]
    page.goto(f"{live_server.url}/rosters/")
    expect(page.locator("#sun-rules")).to_contain_text("app-support-cn → app-support-in")
    page.screenshot(path=str(shots / "rosters-sun-1366.png"), full_page=True)
