"""Reporting pages: who sees what, the report with its definitions, drill-down, trends, restating, backtest."""

import pytest
from django.urls import reverse

from servicepact.slm.models import ReportKind, StoredReport
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import WEEK, play_week

READERS = ["customer-manager", "analyst", "agent", "administrator", "team-lead"]
NOT_READERS = ["requester", "vendor-engineer", "other-manager", "other-requester", "no-role", "security-resolver"]


@pytest.fixture
def weekly_report(world) -> StoredReport:
    play_week(world)
    return generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))


def page_urls(report: StoredReport) -> list[str]:
    slug = report.contract.slug
    return [
        reverse("slm:report", args=[report.pk]),
        reverse("slm:report_drilldown", args=[report.pk, "resolution-compliance"]),
        reverse("slm:report_json", args=[report.pk]),
        reverse("slm:report_contract", args=[report.pk]),
        reverse("slm:report_events", args=[report.pk]),
        reverse("slm:report_csv", args=[report.pk]),
        reverse("slm:report_xlsx", args=[report.pk]),
        reverse("slm:report_trends", args=[slug]),
        reverse("slm:backtest", args=[slug]),
    ]


@pytest.mark.django_db
def test_anonymous_people_are_sent_to_log_in(client, weekly_report):
    for url in page_urls(weekly_report) + [reverse("slm:reports")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url


@pytest.mark.django_db
@pytest.mark.parametrize("person", NOT_READERS)
def test_people_outside_the_reporting_roles_find_no_report(client, world, weekly_report, person):
    client.force_login(world.people[person])
    for url in page_urls(weekly_report):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("slm:reports"))
    assert listing.status_code == 200 and WEEK not in listing.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("person", READERS)
def test_the_parties_reporting_people_see_the_report(client, world, weekly_report, person):
    client.force_login(world.people[person])
    for url in page_urls(weekly_report):
        assert client.get(url).status_code == 200, url
    assert WEEK in client.get(reverse("slm:reports")).content.decode()


@pytest.mark.django_db
def test_another_customers_manager_cannot_restate_or_reach_it(client, world, weekly_report):
    client.force_login(world.people["other-manager"])
    response = client.post(reverse("slm:report_restate", args=[weekly_report.pk]), {"reason": "mine"})
    assert response.status_code == 404
    assert StoredReport.objects.count() == 1


@pytest.mark.django_db
def test_the_report_page_shows_each_measure_beside_its_definition(client, world, weekly_report):
    client.force_login(world.people["customer-manager"])
    page = client.get(reverse("slm:report", args=[weekly_report.pk])).content.decode()
    assert "resolution-compliance" in page and "75.00 %" in page
    assert "Resolution clocks stopped in the period" in page and "service-reporting" in page
    assert "&gt;= 0.95" in page and "0.9" in page  # target and baseline
    assert "badge verdict-missed" in page
    assert weekly_report.events_sha256 in page
    # the major incident (the P1 on single sign-on) links to its ticket's clocks
    assert 'id="major-incidents"' in page and "#clocks" in page
    assert "sap-erp" in page  # largest contributor to breaches


@pytest.mark.django_db
def test_the_drill_down_lists_the_tickets_behind_a_figure(client, world, weekly_report):
    client.force_login(world.people["analyst"])
    page = client.get(
        reverse("slm:report_drilldown", args=[weekly_report.pk, "resolution-compliance"])
    ).content.decode()
    assert page.count('data-hit="yes"') == 3 and page.count('data-hit="no"') == 1
    fcr = client.get(
        reverse("slm:report_drilldown", args=[weekly_report.pk, "first-contact-resolution"])
    ).content.decode()
    assert "Excluded by" in fcr and "category=hardware-onsite" in fcr
    assert client.get(reverse("slm:report_drilldown", args=[weekly_report.pk, "no-such-measure"])).status_code == 404


@pytest.mark.django_db
def test_trends_draw_each_measure_against_its_target(client, world, weekly_report):
    client.force_login(world.people["analyst"])
    page = client.get(reverse("slm:report_trends", args=[world.contract.slug]) + "?kind=weekly").content.decode()
    assert page.count('class="trend-chart"') == 3 and 'class="target"' in page and 'class="baseline"' in page
    assert page.count('<circle class="point"') == 3  # one week stored: one point per measure
    assert page.count('<g class="tip"') == 3 and "<title>2026-W10: " in page  # its value on hover


@pytest.mark.django_db
def test_the_providers_analyst_restates_with_a_reason(client, world, weekly_report):
    client.force_login(world.people["analyst"])
    response = client.post(reverse("slm:report_restate", args=[weekly_report.pk]), {"reason": "check"})
    assert response.status_code == 302  # nothing changed: refused with a message, back on the report
    assert StoredReport.objects.count() == 1
    client.force_login(world.people["customer-manager"])
    assert client.post(reverse("slm:report_restate", args=[weekly_report.pk]), {"reason": "x"}).status_code == 403
