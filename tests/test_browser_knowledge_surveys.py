"""Knowledge and satisfaction in headless Chromium, driven the way people do: an agent writes an article and
a team lead publishes it; a requester typing a new ticket is offered it; the requester answers the survey
of a resolved ticket by the mail's link; an administrator opens a relationship survey and a customer
manager answers it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from servicepact.desk import actions as desk
from servicepact.surveys.models import RelationshipAnswer, RelationshipRound, TicketSurvey
from tests.browser import (  # noqa: F401
    PHONE,
    browser,
    browser_world,
    expect,
    log_in,
    new_page,
    page,
    playwright_api,
    shots,
)

pytestmark = pytest.mark.browser


def test_an_article_is_written_published_and_offered_while_a_ticket_is_typed(
    browser, live_server, browser_world, shots
):
    agent = new_page(browser)
    log_in(agent, live_server, browser_world.people["agent"].email)
    agent.goto(f"{live_server.url}/knowledge/contracts/globex-ito/")
    agent.click("#new-article")
    agent.select_option("#id_language", "en")
    agent.fill("#id_title", "Reset your SAP password")
    agent.fill("#id_body", "Open the self-service page, choose Reset and follow the mail you receive.")
    agent.click("#article-form button[type=submit]")
    expect(agent.locator("#article-status")).to_have_text("Draft")
    agent.click("#article-actions button:has-text('Send for review')")
    expect(agent.locator("#article-status")).to_have_text("In review")
    article_url = agent.url

    lead = new_page(browser)
    log_in(lead, live_server, browser_world.people["team-lead"].email)
    lead.goto(article_url)
    lead.click("#article-actions button:has-text('Publish')")
    expect(lead.locator("#article-status")).to_have_text("Published")
    lead.screenshot(path=str(shots / "article.png"), full_page=True)

    requester = new_page(browser)
    log_in(requester, live_server, browser_world.people["requester"].email)
    requester.goto(f"{live_server.url}/portal/new/incident/")
    requester.fill("#id_title", "I forgot my password")
    expect(requester.locator("#kb-suggestion-list a")).to_have_text("Reset your SAP password", timeout=10000)
    requester.screenshot(path=str(shots / "suggestions.png"), full_page=True)


def test_the_requester_answers_the_survey_by_the_mails_link(page, live_server, browser_world, shots):
    ticket = desk.create_ticket(
        actor=browser_world.people["requester"],
        contract=browser_world.contract,
        service=browser_world.services["sap-erp"],
        title="Posting fails",
        impact="low",
        urgency="low",
    )
    desk.resolve_ticket(ticket, actor=browser_world.people["agent"], resolution="Cache cleared")
    survey = TicketSurvey.objects.get(ticket=ticket)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/surveys/{survey.token}/")
    page.click("#survey-form button[type=submit]")  # no score chosen: the form says so
    expect(page.locator("#survey-form")).to_contain_text("required")
    page.check("input[name=score][value='4']")
    page.fill("#id_comment", "Quick and friendly")
    page.click("#survey-form button[type=submit]")
    expect(page.locator("#survey-answered")).to_contain_text("4 of 5")
    page.screenshot(path=str(shots / "survey-answered-phone.png"), full_page=True)
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (4, "Quick and friendly")


def test_a_relationship_survey_is_opened_and_answered(browser, live_server, browser_world, shots):
    administrator = new_page(browser)
    log_in(administrator, live_server, browser_world.people["administrator"].email)
    administrator.goto(f"{live_server.url}/contracts/globex-ito/satisfaction/")
    administrator.fill("#id_title", "2026 Q4 review")
    closes = timezone.localtime(timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    administrator.fill("#id_closes_at", closes)
    administrator.click("#open-round-form button[type=submit]")
    expect(administrator.locator("h1")).to_have_text("2026 Q4 review")
    survey_round = RelationshipRound.objects.get()

    manager = new_page(browser)
    log_in(manager, live_server, browser_world.people["customer-manager"].email)
    manager.goto(f"{live_server.url}/satisfaction/rounds/{survey_round.pk}/")
    manager.check("input[name=score][value='3']")
    manager.fill("#id_comment", "Response times slipped in November")
    manager.click("#round-form button[type=submit]")
    expect(manager.locator("#round-answered")).to_contain_text("3 of 5")
    assert RelationshipAnswer.objects.get().comment == "Response times slipped in November"

    manager.goto(f"{live_server.url}/contracts/globex-ito/satisfaction/")
    expect(manager.locator("#survey-rounds")).to_contain_text("2026 Q4 review")
    manager.screenshot(path=str(shots / "satisfaction.png"), full_page=True)
