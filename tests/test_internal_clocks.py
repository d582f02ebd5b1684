"""OLA and underpinning-contract clocks are the provider's and the resolver teams' business: the customer's
people see them only when the contract says ``disclose_internal_clocks: true`` (servicepact/permissions/
clocks.py). Checked through the API's clocks, events and restatements, the ticket page and the portal."""

from datetime import UTC

import pytest
from django.urls import reverse

from servicepact.desk import actions
from servicepact.permissions import clock_sight
from servicepact.slm.actions import restate
from tests.access_world import version_with_internal_clocks
from tests.api_client import client_as

APP, SECURITY, HARDWARE = "ola:app-support-cn", "ola:globex-security", "ola:hw-onsite"
INTERNAL = {APP, SECURITY, HARDWARE}


def held_by_three_teams(world):
    """A ticket application support China, Globex's security team and the hardware vendor each held."""
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Badge reader and SAP login fail",
        impact="high",
        urgency="medium",
    )
    actions.route_ticket(ticket, actor=world.people["agent"])
    actions.assign_ticket(ticket, actor=world.people["agent"], team=world.teams["security"], reason="SSO first")
    actions.assign_ticket(ticket, actor=world.people["agent"], team=world.teams["hardware"], reason="Badge reader")
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def ticket(world):
    world.version = version_with_internal_clocks(world)
    ticket = held_by_three_teams(world)
    assert ticket.contract_version == world.version
    return ticket


@pytest.fixture
def disclosed_ticket(world):
    world.version = version_with_internal_clocks(world, disclose=True)
    return held_by_three_teams(world)


def api_clocks(world, person, ticket) -> tuple[set[str], set[str]]:
    answer = client_as(world.people[person]).get(f"/api/tickets/{ticket.number}/clocks")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    return {clock["clock"] for clock in body["explained"]}, {clock["clock"] for clock in body["stored"]}


# Who sees which internal clock when the contract does not disclose them.
SIGHT = {
    "requester": set(),
    "customer-manager": set(),
    "security-resolver": {SECURITY},  # the customer's own team: its own OLA clock, no other
    "vendor-engineer": {HARDWARE},  # the vendor: its underpinning contract's clock
    "agent": INTERNAL,  # the provider: every one
    "resolver": INTERNAL,
    "analyst": INTERNAL,
}


@pytest.mark.parametrize("person", sorted(SIGHT))
def test_the_api_shows_each_person_the_internal_clocks_they_may_see(world, ticket, person):
    explained, stored = api_clocks(world, person, ticket)
    assert explained & INTERNAL == SIGHT[person] == stored & INTERNAL
    assert {"response", "resolution"} <= explained and {"response", "resolution"} <= stored


@pytest.mark.parametrize("person", ["requester", "customer-manager", "security-resolver", "vendor-engineer"])
def test_a_disclosing_contract_shows_every_internal_clock_to_whoever_sees_the_ticket(world, disclosed_ticket, person):
    explained, stored = api_clocks(world, person, disclosed_ticket)
    assert explained & INTERNAL == INTERNAL == stored & INTERNAL


def test_the_ticket_page_and_the_portal_hide_internal_clocks_from_the_customers_people(world, ticket):
    for person in ("requester", "customer-manager"):
        page = client_as(world.people[person]).get(reverse("desk:ticket", args=[ticket.number]))
        assert page.status_code == 200
        shown = {card.clock for card in page.context["clock_panel"].clocks}
        assert not shown & INTERNAL and "resolution" in shown
        assert "OLA" not in page.content.decode()
    security = client_as(world.people["security-resolver"]).get(reverse("desk:ticket", args=[ticket.number]))
    assert {card.clock for card in security.context["clock_panel"].clocks} & INTERNAL == {SECURITY}
    agent = client_as(world.people["agent"]).get(reverse("desk:ticket", args=[ticket.number]))
    assert {card.clock for card in agent.context["clock_panel"].clocks} & INTERNAL == INTERNAL
    assert "OLA · Application support China" in agent.content.decode()


def test_the_portal_page_shows_internal_clocks_when_the_contract_discloses_them(world, disclosed_ticket):
    page = client_as(world.people["requester"]).get(reverse("desk:ticket", args=[disclosed_ticket.number]))
    assert {card.clock for card in page.context["clock_panel"].clocks} & INTERNAL == INTERNAL
    assert "OLA · Application support China" in page.content.decode()


def test_restatements_hide_internal_clocks_from_the_customers_managers(world, ticket):
    restate(
        ticket,
        actor=world.people["analyst"],
        version=world.contract.versions.get(number=1),
        reason="Compare with the version without OLAs",
    )
    manager = client_as(world.people["customer-manager"]).get(f"/api/tickets/{ticket.number}/restatements").json()
    assert {clock["clock"] for clock in manager[0]["original_clocks"]} & INTERNAL == set()
    analyst = client_as(world.people["analyst"]).get(f"/api/tickets/{ticket.number}/restatements").json()
    assert {clock["clock"] for clock in analyst[0]["original_clocks"]} & INTERNAL == INTERNAL
    page = client_as(world.people["customer-manager"]).get(reverse("desk:ticket", args=[ticket.number]))
    rows = {row.clock for view in page.context["clock_panel"].restatements for row in view.rows}
    assert rows and not rows & INTERNAL


def test_clock_sight_is_the_rule_the_querysets_apply(world, ticket):
    from servicepact.slm.models import ClockState

    for person in SIGHT:
        user = world.people[person]
        sight = clock_sight(user, ticket)
        rows = set(ClockState.objects.visible_to(user).filter(ticket=ticket).values_list("clock", flat=True))
        every = set(ClockState.objects.filter(ticket=ticket).values_list("clock", flat=True))
        assert rows == {clock for clock in every if sight.shows(clock)}, person


# -- reports: the measures of internal clocks ---------------------------------------------------------------------


def week_with_olas(world):
    """A ticket of week 2026-W10 held by application support China, resolved within the week, reported."""
    from datetime import datetime, timedelta

    from servicepact.slm.reporting.generation import ReportRequest, generate_report

    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting fails",
        impact="high",
        urgency="medium",
        at=start,
    )
    actions.route_ticket(ticket, actor=world.people["agent"], at=start + timedelta(minutes=5))
    actions.resolve_ticket(ticket, actor=world.people["resolver"], resolution="Fixed.", at=start + timedelta(hours=1))
    return generate_report(ReportRequest(world.contract, "weekly", "2026-W10"))


def report_views(world, person, report) -> dict[str, str]:
    import io

    from openpyxl import load_workbook

    client = client_as(world.people[person])
    seen = {
        "page": client.get(reverse("slm:report", args=[report.pk])).content.decode(),
        "csv": client.get(reverse("slm:report_csv", args=[report.pk])).content.decode("utf-8-sig"),
        "trends": client.get(reverse("slm:report_trends", args=[world.contract.slug])).content.decode(),
    }
    workbook = load_workbook(io.BytesIO(client.get(reverse("slm:report_xlsx", args=[report.pk])).content))
    seen["xlsx"] = " ".join([*workbook.sheetnames, *(str(cell.value) for cell in workbook["Measures"]["A"])])
    seen["drilldown"] = str(client.get(reverse("slm:report_drilldown", args=[report.pk, "ola-compliance"])).status_code)
    return seen


def test_report_pages_and_exports_leave_out_ola_measures_for_the_customers_people(world):
    world.version = version_with_internal_clocks(world)
    report = week_with_olas(world)
    assert "ola-compliance" in report.body
    manager = report_views(world, "customer-manager", report)
    assert all("ola-compliance" not in text for key, text in manager.items() if key != "drilldown"), manager
    assert manager["drilldown"] == "404"
    assert "resolution-compliance" in manager["csv"]
    analyst = report_views(world, "analyst", report)
    assert all("ola-compliance" in text for key, text in analyst.items() if key != "drilldown")
    assert analyst["drilldown"] == "200"


def test_a_disclosing_contract_reports_ola_measures_to_the_customers_people(world):
    world.version = version_with_internal_clocks(world, disclose=True)
    report = week_with_olas(world)
    manager = report_views(world, "customer-manager", report)
    assert "ola-compliance" in manager["csv"] and "ola-compliance" in manager["xlsx"]
    assert manager["drilldown"] == "200"


def test_the_mailed_pdf_leaves_out_ola_measures_unless_disclosed(world, tmp_path):
    import subprocess

    from servicepact.desk.models import Ticket
    from servicepact.permissions import mailed_report_sight
    from servicepact.slm.exports.pdf import printable_pdf

    world.version = version_with_internal_clocks(world)
    report = week_with_olas(world)
    path = tmp_path / "report.pdf"
    path.write_bytes(printable_pdf(report, tickets=Ticket.objects.all(), sight=mailed_report_sight(report)))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "resolution-compliance" in text and "ola-compliance" not in text


def test_a_warning_about_an_internal_clock_reaches_only_people_who_see_it(world):
    """The contract names the customer's manager and the watchers for every warning; for an OLA clock
    only the provider's people and the clock's own team are told."""
    from datetime import datetime
    from fractions import Fraction

    from servicepact.notify.models import Outbox
    from servicepact.sla.clocks import ClockState as KernelClock
    from servicepact.slm.thresholds import Threshold
    from servicepact.slm.warnings import fire_warning

    world.version = version_with_internal_clocks(world)
    ticket = held_by_three_teams(world)
    actions.add_watcher(ticket, actor=world.people["customer-manager"], user=world.people["customer-manager"])
    at = datetime.now(UTC)
    clock = KernelClock(
        ticket=ticket.number,
        clock=APP,
        priority="P2",
        calendar="always",
        target_s=7200,
        elapsed_s=7200,
        state="breached",
        breached_at=None,
        due_at=None,
        stopped_at=None,
        started_at=int(at.timestamp()) - 7200,
        team="app-support-cn",
    )
    threshold = Threshold(
        share=Fraction(1), reached_at=int(at.timestamp()), notify=("customer_manager", "watchers", "team_lead")
    )
    event = fire_warning(ticket, clock, threshold, at)
    told = {
        address
        for recipients in Outbox.objects.filter(ticket=ticket, key__startswith="clock-warning:").values_list(
            "recipients", flat=True
        )
        for address in recipients
    }
    assert event.data["notified"] == ["team-lead@example.test"]
    assert told == {"team-lead@example.test"}
