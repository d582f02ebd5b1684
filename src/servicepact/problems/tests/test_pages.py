"""The pages beyond the authorization matrix: the ticket page's panel of matching known errors and its link
button, the service report's problems by cause and declared major incidents of its period, and the periodic job."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from servicepact.desk import actions as desk
from servicepact.major_incidents import actions as majors
from servicepact.problems import actions
from servicepact.problems.models import TicketKnownError
from servicepact.runtime.periodic import periodic_jobs
from servicepact.slm.reporting.generation import ReportRequest, generate_report

IN_WEEK_10 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def known_error(world):
    problem = actions.raise_problem(
        actor=world.people["resolver"],
        contract=world.contract,
        title="Posting period lock",
        service=world.services["sap-erp"],
        category="posting",
        at=IN_WEEK_10,
    )
    actions.diagnose(problem, actor=world.people["resolver"], cause="configuration", workaround="Open it in OB52")
    return actions.publish_known_error(problem, actor=world.people["resolver"], symptoms="F5 201", keywords="F5 201")


def test_the_ticket_page_offers_matching_known_errors_to_those_who_work_it(world, known_error):
    ticket = desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting gives F5 201",
        impact="low",
        urgency="low",
        category="posting",
    )
    url = reverse("desk:ticket", args=[ticket.number])
    page = client_of(world.people["agent"]).get(url).content.decode()
    assert 'id="known-errors"' in page and known_error.number in page and "Open it in OB52" in page
    raise_url = reverse("problems:new") + f"?incidents={ticket.number}"
    assert raise_url in page
    assert f'value="{ticket.number}"' in client_of(world.people["agent"]).get(raise_url).content.decode()
    requester_page = client_of(world.people["requester"]).get(url).content.decode()
    assert known_error.number not in requester_page
    response = client_of(world.people["agent"]).post(
        reverse("problems:ticket_link", args=[ticket.number]), {"known_error": known_error.pk}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert TicketKnownError.objects.filter(ticket=ticket, known_error=known_error).exists()
    assert "linked" in client_of(world.people["agent"]).get(url).content.decode()


def test_the_service_report_shows_problems_by_cause_and_major_incidents_of_its_period(world, known_error):
    majors.declare(
        actor=world.people["team-lead"],
        contract=world.contract,
        title="SAP down in week 10",
        services=[world.services["sap-erp"]],
        started_at=IN_WEEK_10,
        at=IN_WEEK_10,
    )
    report = generate_report(ReportRequest(world.contract, "weekly", "2026-W10"))
    page = client_of(world.people["customer-manager"]).get(reverse("slm:report", args=[report.pk])).content.decode()
    assert 'id="problem-causes"' in page and "Configuration" in page and known_error.problem.number in page
    assert 'id="declared-major-incidents"' in page and "SAP down in week 10" in page
    later = generate_report(ReportRequest(world.contract, "weekly", "2026-W12"))
    page = client_of(world.people["customer-manager"]).get(reverse("slm:report", args=[later.pk])).content.decode()
    assert "No problem opened or closed in this period." in page and "SAP down in week 10" in page  # still open


def test_the_suggestions_are_checked_every_hour():
    (job,) = [job for job in periodic_jobs() if job.name == "suggest-problems"]
    assert (job.task_path, job.interval_s) == ("servicepact.problems.tasks.suggest_problems", 3600)


def test_the_pages_speak_simplified_chinese(world, known_error):
    agent = world.people["agent"]
    agent.language = "zh-hans"
    agent.save(update_fields=["language"])
    page = client_of(agent).get(reverse("problems:problem", args=[known_error.problem.pk])).content.decode()
    assert "原因和临时解决方法" in page and "发布已知错误" in page and "已创建问题" in page
    page = client_of(agent).get(reverse("problems:suggestions")).content.decode()
    assert "建议的问题" in page and "14 天内 3 个事件" in page
    page = client_of(agent).get(reverse("major_incidents:list")).content.decode()
    assert "重大事件" in page and "没有重大事件。" in page
