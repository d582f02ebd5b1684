"""Dashboards: a team lead's over their teams' queues and a customer manager's over their organization, each for
its role only, each figure from the live tables or the stored reports, each count a way into its queue."""

import datetime as dt
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from servicepact.accounts.models import Membership, Role
from servicepact.desk import actions
from servicepact.major_incidents import actions as majors
from servicepact.rosters.models import RosterEntry, ShiftPattern
from servicepact.slm.models import ReportKind
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.tests.report_world import WEEK, play_week

SVG = "{http://www.w3.org/2000/svg}"


def report(world, title: str, urgency: str = "medium", service: str = "sap-erp"):
    return actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services[service],
        title=title,
        impact="high",
        urgency=urgency,
    )


def routed(world, title: str, urgency: str = "medium"):
    """A ticket of Globex in application support China's queue (the lead's team)."""
    ticket = report(world, title, urgency)
    actions.route_ticket(ticket, actor=world.people["agent"])
    ticket.refresh_from_db()
    return ticket


def tooltips(page: str) -> list[str]:
    """The <title> of every bar and point of every chart on the page."""
    found = []
    for svg in page.split("<svg")[1:]:
        root = ElementTree.fromstring("<svg" + svg[: svg.index("</svg>") + 6])
        for element in root.iter():
            if element.get("class") in ("bar", "hit"):
                found.append(element.find(f"{SVG}title").text)
    return found


@pytest.mark.django_db
def test_lead_and_customer_manager_land_on_their_dashboard_others_where_they_did(client, world):
    expected = {
        "team-lead": reverse("dashboards:lead"),
        "customer-manager": reverse("dashboards:customer"),
        "other-manager": reverse("dashboards:customer"),
        "agent": reverse("desk:queue", args=["triage"]),
        "requester": reverse("desk:portal"),
        "analyst": reverse("desk:portal"),
    }
    for person, url in expected.items():
        client.force_login(world.people[person])
        assert client.get(reverse("desk:home")).url == url, person
        assert client.get(reverse("dashboards:home"), follow=True).status_code == (200 if "dashboards" in url else 403)


@pytest.mark.django_db
def test_each_dashboard_is_for_its_role_only(client, world):
    for person in world.people:
        client.force_login(world.people[person])
        lead = client.get(reverse("dashboards:lead")).status_code
        customer = client.get(reverse("dashboards:customer")).status_code
        assert lead == (200 if person == "team-lead" else 403), person
        assert customer == (200 if person in ("customer-manager", "other-manager") else 403), person
    client.logout()
    assert client.get(reverse("dashboards:lead")).status_code == 302


@pytest.mark.django_db
def test_the_lead_sees_their_teams_queue_health_with_links_into_the_queue(client, world):
    urgent = routed(world, "Invoices do not post", urgency="high")
    taken = routed(world, "Printer queue stuck")
    actions.set_assignee(taken, actor=world.people["resolver"], assignee=world.people["resolver"])
    report(world, "Still at the desk")  # the desk's queue: not a team the lead leads
    client.force_login(world.people["team-lead"])
    page = client.get(reverse("dashboards:lead")).content.decode()
    queue = reverse("desk:queue", args=["team-app-support-cn"])
    assert 'data-team="app-support-cn"' in page and 'data-team="service-desk"' not in page
    assert f'data-figure="open" href="{queue}"><strong>2</strong>' in page
    assert f'data-figure="unassigned" href="{queue}?assignee=none"><strong>1</strong>' in page
    assert urgent.number in page or taken.number in page  # the oldest open ticket
    # Each bar of the queue chart opens the queue filtered by its priority and status.
    assert f"{queue}?priority={urgent.priority}&amp;status={urgent.status}" in page
    unassigned = client.get(f"{queue}?assignee=none").content.decode()
    assert urgent.number in unassigned and taken.number not in unassigned
    # Workload per person: the resolver holds one ticket, as the bar's tooltip says.
    assert any(text.startswith("Resolver · ") and text.endswith(": 1") for text in tooltips(page)), tooltips(page)


@pytest.mark.django_db
def test_clocks_due_name_the_clock_and_the_time_in_the_viewers_zone(client, world):
    ticket = routed(world, "Line 4 stopped", urgency="high")
    lead = world.people["team-lead"]
    lead.timezone = "Asia/Kolkata"
    lead.save(update_fields=["timezone"])
    client.force_login(lead)
    page = client.get(reverse("dashboards:lead")).content.decode()
    section = page[page.index('id="due-soon"') : page.index('id="breaches"')]
    rows = section.split(f'data-ticket="{ticket.number}"')
    assert len(rows) > 1, section
    due = ticket.clocks.filter(state="running").exclude(due_at=None).order_by("due_at").first()
    local = timezone.localtime(due.due_at, dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert f'data-clock="{due.clock}"' in section
    assert local.strftime("%H:%M") + " IST" in section


@pytest.mark.django_db
def test_breaches_of_this_week_and_the_shifts_workload(client, world):
    ticket = routed(world, "Batch record cannot be closed", urgency="high")
    resolver = world.people["resolver"]
    actions.set_assignee(ticket, actor=resolver, assignee=resolver)
    clock = ticket.clocks.filter(clock="response").first()
    clock.state, clock.breached_at = "breached", timezone.now() - dt.timedelta(minutes=5)
    clock.save()
    team = world.teams["app-cn"]
    pattern = ShiftPattern.objects.create(
        team=team, name="Afternoon", weekdays=[1, 2, 3, 4, 5, 6, 7], starts_at=dt.time(0), ends_at=dt.time(23, 59)
    )
    local = timezone.localtime(timezone.now(), dt.timezone(dt.timedelta(hours=8))).date()
    RosterEntry.objects.create(pattern=pattern, week=local - dt.timedelta(days=local.weekday()), person=resolver)
    client.force_login(world.people["team-lead"])
    page = client.get(reverse("dashboards:lead")).content.decode()
    assert 'data-breaches="1"' in page
    shifts = page[page.index('id="shifts"') :]
    assert f'data-shift="{pattern.pk}"' in shifts and "Resolver" in shifts and "<strong>1</strong>" in shifts
    assert any(text.startswith("Afternoon") and ": 1" in text for text in tooltips(page))


@pytest.mark.django_db
def test_a_lead_of_no_team_is_told_so(client, world):
    lead = world.people["team-lead"]
    Membership.objects.filter(user=lead).update(role=Role.RESOLVER)
    Membership.objects.create(user=lead, organization=world.provider, role=Role.TEAM_LEAD, team=None)
    client.force_login(lead)
    response = client.get(reverse("dashboards:lead"))
    assert response.status_code == 200 and "You lead no team yet" in response.content.decode()


@pytest.mark.django_db
def test_the_customer_manager_sees_their_organization_its_levels_credits_and_major_incidents(client, world):
    play_week(world)
    weekly = generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))
    report(world, "Nothing posts", urgency="high")
    major = majors.declare(
        actor=world.people["team-lead"],
        contract=world.contract,
        title="SAP ERP down in every plant",
        services=[world.services["sap-erp"]],
    )
    client.force_login(world.people["customer-manager"])
    page = client.get(reverse("dashboards:customer")).content.decode()
    assert 'data-figure="open"><strong>2</strong>' in page  # the open one of the week and today's
    assert f'data-major="{major.pk}"' in page and "SAP ERP down in every plant" in page
    levels = page[page.index('id="levels-') :]
    assert 'data-measure="resolution-compliance"' in levels and weekly.get_absolute_url() in levels
    assert WEEK in levels
    assert any(text.endswith(": 1") or text.endswith(": 2") for text in tooltips(page))

    client.force_login(world.people["other-manager"])
    other = client.get(reverse("dashboards:customer")).content.decode()
    assert 'data-figure="open"><strong>0</strong>' in other
    assert "SAP ERP down in every plant" not in other and weekly.get_absolute_url() not in other
    assert world.contract.title not in other


@pytest.mark.django_db
def test_the_header_offers_the_dashboard_to_those_roles(client, world):
    for person, offered in (("team-lead", True), ("customer-manager", True), ("agent", False), ("requester", False)):
        client.force_login(world.people[person])
        page = client.get(reverse("accounts:profile")).content.decode()
        assert ('data-section="dashboard"' in page) is offered, person
