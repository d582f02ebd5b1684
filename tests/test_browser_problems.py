"""Problem management and major incidents in headless Chromium, every form driven the way a person fills it.

An agent raises a problem from two incidents, records its cause and workaround, links another incident and a
configuration item, publishes the known error; on a new ticket's page the known error shows and the agent links
it. The team lead sets the contract's threshold on the suggestions page, raises a problem from one suggestion
and dismisses another; the problem is closed. A team lead declares a major incident of SAP ERP, adds a service
and an incident, sends an update (mailed to the customer's manager), resolves it and writes the review, which
the customer's manager reads. Screenshots at a laptop's and a phone's size land in $SERVICEPACT_SCREENSHOTS.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.changes.models import Change
from servicepact.cmdb.tests.factories import build_cmdb
from servicepact.desk import actions as desk
from servicepact.notify.models import Outbox
from servicepact.problems.models import Problem, ProblemSuggestion, SuggestionStatus, TicketKnownError
from tests.browser import LAPTOP, PHONE, browser, browser_world, log_in, new_page, playwright_api, shots  # noqa: F401

pytestmark = pytest.mark.browser


def incident(world, title, *, service="sap-erp", category="posting", days_ago=1.0):
    return desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        title=title,
        impact="medium",
        urgency="medium",
        category=category,
        at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_agent_works_a_problem_to_a_known_error_and_links_it_from_a_ticket(
    browser_world, live_server, browser, shots, size
):
    expect = playwright_api.expect
    world = browser_world
    build_cmdb(world)
    first, second, third = (incident(world, f"Posting fails {n}", days_ago=n) for n in (1, 2, 3))
    page = new_page(browser, LAPTOP if size == "laptop" else PHONE)
    log_in(page, live_server, "agent@example.test")
    page.goto(f"{live_server.url}/problems/")
    expect(page.locator("h1")).to_have_text("Problems")
    page.click("a:has-text('Raise a problem')")
    page.select_option("select[name=contract]", label=world.contract.title)
    page.select_option("select[name=service]", "")  # the first incident's
    page.fill("input[name=title]", "SAP posting period lock")
    page.fill("textarea[name=description]", "Postings fail with F5 201 at month end.")
    page.fill("input[name=incidents]", f"{first.number}, {second.number}")
    page.click("button:has-text('Raise the problem')")
    expect(page.locator("#problem-status")).to_have_text("Open")
    expect(page.locator("#problem-incidents tr")).to_have_count(2)
    problem = Problem.objects.get()
    assert (problem.service.key, problem.category) == ("sap-erp", "posting")

    page.click("#diagnose summary")
    page.select_option("select[name=diagnose-cause]", label="Configuration")
    page.fill("textarea[name=diagnose-root_cause]", "The posting period closes a day early.")
    page.fill("textarea[name=diagnose-workaround]", "Open the period in OB52.")
    page.click("#diagnose button[type=submit]")
    expect(page.locator("#problem-cause")).to_have_text("Configuration")
    expect(page.locator("#problem-workaround")).to_contain_text("OB52")

    page.click("#link-incidents summary")
    page.fill("input[name=incidents-incidents]", "INC9999999")
    page.click("#link-incidents button[type=submit]")
    expect(page.locator("#link-incidents .errorlist")).to_contain_text("No such ticket: INC9999999")
    page.fill("input[name=incidents-incidents]", third.number)
    page.click("#link-incidents button[type=submit]")
    expect(page.locator("#problem-incidents tr")).to_have_count(3)

    page.click("#link-items summary")
    page.fill("input[name=items-items]", "sap-app, sap-prd-db01")
    page.click("#link-items button[type=submit]")
    expect(page.locator("#link-items .errorlist")).to_contain_text("No such configuration item: sap-prd-db01")
    page.fill("input[name=items-items]", "sap-app, sap-db")
    page.click("#link-items button[type=submit]")
    expect(page.locator("#problem-items")).to_have_text("sap-app, sap-db")

    change = Change.objects.create(
        contract=world.contract,
        title="Move the period close job",
        planned_start=timezone.now() + timedelta(days=1),
        planned_end=timezone.now() + timedelta(days=1, hours=1),
        requested_by=world.people["agent"],
    )
    page.click("#fixing-change summary")
    page.fill("input[name=fix-change]", "CHG9999999")
    page.click("#fixing-change button[type=submit]")
    expect(page.locator("#fixing-change .errorlist")).to_contain_text("No such change: CHG9999999")
    page.fill("input[name=fix-change]", change.number)
    page.click("#fixing-change button[type=submit]")
    expect(page.locator("#problem-change")).to_contain_text(change.number)

    page.click("#publish summary")
    page.fill("textarea[name=known-symptoms]", "F5 201 when posting at month end")
    page.fill("input[name=known-keywords]", "F5 201, posting period")
    page.click("#publish button[type=submit]")
    expect(page.locator("#problem-status")).to_have_text("Known error")
    expect(page.locator("#known-error")).to_contain_text("Open the period in OB52.")
    page.screenshot(path=shots / f"problems-{size}-1-problem.png", full_page=True)

    fresh = incident(world, "Error F5 201 again", service="hr-portal", category="", days_ago=0)
    page.goto(f"{live_server.url}/tickets/{fresh.number}/")
    panel = page.locator("#known-errors")
    expect(panel).to_contain_text("SAP posting period lock")
    page.screenshot(path=shots / f"problems-{size}-2-ticket.png", full_page=True)
    panel.locator("button:has-text('Link to this ticket')").click()
    expect(page.locator("#known-errors .badge")).to_have_text("linked")
    assert TicketKnownError.objects.filter(ticket=fresh).exists()

    page.goto(f"{live_server.url}/problems/known-errors/")
    page.fill("input[name=q]", "posting period")
    page.click("form.filters button")
    expect(page.locator("#known-errors tbody tr")).to_have_count(1)

    page.goto(f"{live_server.url}{problem.get_absolute_url()}")
    page.click("#close summary")
    page.click("#close button[type=submit]")  # no reason: the browser refuses, nothing is sent
    expect(page.locator("#problem-status")).to_have_text("Known error")
    page.fill("textarea[name=close-closure]", "SAP note applied; periods close on the last day.")
    page.click("#close button[type=submit]")
    expect(page.locator("#problem-status")).to_have_text("Closed")


def test_team_lead_sets_the_threshold_raises_one_suggestion_and_dismisses_another(
    browser_world, live_server, browser, shots
):
    expect = playwright_api.expect
    world = browser_world
    for n in (1, 2, 20):
        incident(world, f"Posting fails {n}", days_ago=n)
    for n in (1, 2):
        incident(world, f"Login loops {n}", service="sso", category="login", days_ago=n)
    page = new_page(browser)
    log_in(page, live_server, "team-lead@example.test")
    page.goto(f"{live_server.url}/problems/suggestions/")
    expect(page.locator(".suggestion")).to_have_count(0)
    page.click("#thresholds a:has-text('Change')")
    page.fill("input[name=threshold]", "1")
    page.click("#recurrence-form button[type=submit]")
    expect(page.locator("#recurrence-form .errorlist")).to_be_visible()
    page.fill("input[name=threshold]", "2")
    page.fill("input[name=window_days]", "30")
    page.click("#recurrence-form button[type=submit]")
    expect(page.locator(".suggestion")).to_have_count(2)
    page.screenshot(path=shots / "problems-3-suggestions.png", full_page=True)
    sap = ProblemSuggestion.objects.get(service__key="sap-erp")
    assert sap.incident_count == 3
    card = page.locator(f"#suggestion-{sap.pk}")
    card.locator("input[name=title]").fill("Posting keeps failing")
    card.locator("button:has-text('Raise a problem')").click()
    expect(page.locator("#problem-incidents tr")).to_have_count(3)
    page.goto(f"{live_server.url}/problems/suggestions/")
    sso = ProblemSuggestion.objects.get(service__key="sso")
    card = page.locator(f"#suggestion-{sso.pk}")
    card.locator("input[name=reason]").fill("Password reset day")
    card.locator("button:has-text('Dismiss')").click()
    expect(page.locator(".suggestion")).to_have_count(0)
    assert ProblemSuggestion.objects.get(pk=sso.pk).status == SuggestionStatus.DISMISSED


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_team_lead_runs_a_major_incident_to_its_review(browser_world, live_server, browser, shots, size):
    expect = playwright_api.expect
    world = browser_world
    ticket = incident(world, "SAP is down", days_ago=0.01)
    page = new_page(browser, LAPTOP if size == "laptop" else PHONE)
    log_in(page, live_server, "team-lead@example.test")
    page.goto(f"{live_server.url}/major-incidents/")
    page.click("a:has-text('Declare a major incident')")
    page.select_option("select[name=contract]", label=world.contract.title)
    page.fill("input[name=title]", "HR portal slow")
    page.check("label:has-text('HR portal') input")
    page.click("#declare-form button[type=submit]")
    expect(page.locator("#declare-form")).to_contain_text("tier-1")
    page.uncheck("label:has-text('HR portal') input")
    page.check("label:has-text('SAP ERP') input")
    page.fill("input[name=title]", "SAP ERP unavailable")
    page.fill("textarea[name=summary]", "Nobody can log on to SAP.")
    page.fill("input[name=update_interval_minutes]", "30")
    page.click("#declare-form button[type=submit]")
    expect(page.locator("#major-status")).to_have_text("Active")
    expect(page.locator("#major-services")).to_have_text("SAP ERP")

    page.click("#add-services summary")
    page.check("#add-services label:has-text('Single sign-on') input")
    page.click("#add-services button[type=submit]")
    expect(page.locator("#major-services")).to_contain_text("Single sign-on")
    page.click("#link-incidents summary")
    page.fill("input[name=incidents-incidents]", ticket.number)
    page.click("#link-incidents button[type=submit]")
    expect(page.locator("#major-incidents-tickets")).to_contain_text(ticket.number)

    page.fill("textarea[name=update-text]", "The database is failing over to the standby.")
    page.fill("input[name=update-next_update_minutes]", "20")
    page.click("#post-update button[type=submit]")
    expect(page.locator("#updates")).to_contain_text("failing over")
    expect(page.locator("#updates")).to_contain_text("Mailed to 1 customer manager")
    mail = Outbox.objects.get(subject__contains="SAP ERP unavailable")
    assert mail.recipients == ["customer-manager@example.test"]
    page.screenshot(path=shots / f"major-{size}-1-active.png", full_page=True)

    page.click("#resolve summary")
    page.fill("textarea[name=resolve-resolution]", "The standby database took over.")
    page.click("#resolve button[type=submit]")
    expect(page.locator("#major-status")).to_have_text("Resolved")
    # An unplanned outage of each affected service, in the availability figures.
    expect(page.locator("#major-outages a")).to_have_count(2)
    page.fill("textarea[name=review-timeline]", "09:12 Monitoring alerts\n09:20 Declared\n10:05 Standby took over")
    page.fill("textarea[name=review-cause]", "The primary database ran out of disk.")
    page.fill("textarea[name=review-actions]", "Alert at 80 % disk\nRehearse the failover")
    page.click("#write-review button[type=submit]")
    expect(page.locator("#major-status")).to_have_text("Reviewed")
    expect(page.locator("#review li")).to_have_count(2)

    manager = new_page(browser, LAPTOP if size == "laptop" else PHONE)
    log_in(manager, live_server, "customer-manager@example.test")
    manager.goto(page.url)
    expect(manager.locator("#review")).to_contain_text("ran out of disk")
    expect(manager.locator("#post-update")).to_have_count(0)
    manager.screenshot(path=shots / f"major-{size}-2-review.png", full_page=True)
