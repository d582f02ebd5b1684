"""`servicepact demo` against the database: a month of history through the real actions."""

import time
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import RequestFactory
from django_tasks_db.models import DBTaskResult

from servicepact.accounts.models import Organization, Team, User
from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Contract, VersionStatus
from servicepact.demo.cast import PEOPLE
from servicepact.demo.simulator import SWEEP_EVERY_S
from servicepact.desk.eventlog import export_lines
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import EventType, Status, Ticket, TicketEvent
from servicepact.desk.models.choices import OPEN_STATUSES
from servicepact.notify.models import Outbox
from servicepact.permissions.administration import administers_organization
from servicepact.sla.clocks import replay
from servicepact.sla.events import parse_event_log
from servicepact.slm.models import ClockState, ReportKind, ReportScope, StoredReport


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_a_month_of_history_fills_every_status_and_queue_and_its_log_verifies(db):
    output = run_demo("--months", "1", "--seed", "7")

    tickets = Ticket.objects.all()
    assert 350 <= tickets.count() <= 700
    assert set(tickets.values_list("status", flat=True)) == set(Status.values)
    open_queues = set(tickets.filter(status__in=OPEN_STATUSES).values_list("team__slug", flat=True))
    # Every team that worked the history holds open tickets; the Americas' desk joins with the rosters after it.
    joined_later = ("service-reporting", "northwind-desk-us")
    working_teams = set(Team.objects.exclude(slug__in=joined_later).values_list("slug", flat=True))
    assert working_teams <= open_queues
    assert tickets.filter(breached=True).exists()
    assert tickets.filter(reopen_count__gt=0).exists()

    assert list(verify_all()) == []
    # The simulated worker swept the clocks as time went: each warning recorded near when it was reached.
    warnings = TicketEvent.objects.filter(type=EventType.CLOCK_WARNING)
    assert warnings.exists()
    for warning in warnings:
        reached = datetime.fromisoformat(warning.data["reached_at"].replace("Z", "+00:00"))
        assert timedelta(0) <= warning.at - reached <= timedelta(seconds=SWEEP_EVERY_S), warning.ticket.number
    # History is not news: nothing waits to be mailed, and no sender was woken for it.
    assert not Outbox.objects.exists()
    assert not DBTaskResult.objects.exists()
    version = Contract.objects.get(slug="globex-ito").versions.get()
    assert version.status == VersionStatus.SIGNED
    terms = kernel_contract(version)
    events = parse_event_log(list(export_lines(Ticket.objects.all())), terms, "demo.jsonl")
    assert len(events) == tickets.count()
    # The clocks the service stored are the kernel's answer from the exported log (stopped ones are final).
    replayed = {(state.ticket, state.clock): state for state in replay(terms, events, int(time.time()))}
    stored = ClockState.objects.filter(stopped_at__isnull=False).select_related("ticket")
    assert stored.count() > tickets.count()
    for state in stored:
        kernel_state = replayed[(state.ticket.number, state.clock)]
        assert (state.state, state.priority, state.elapsed_s, int(state.stopped_at.timestamp())) == (
            kernel_state.state,
            kernel_state.priority,
            kernel_state.elapsed_s,
            kernel_state.stopped_at,
        )
    for person in PEOPLE:
        login = RequestFactory().post("/accounts/login/")
        assert authenticate(login, username=person.email, password="demo") is not None, person.email
        assert person.email in output
    assert "password for all: demo" in output
    # No global superuser: each organization's administrator administers their own organization only.
    assert not User.objects.filter(Q(is_superuser=True) | Q(is_staff=True)).exists()
    for email in ("admin@northwind.example", "it-admin@globex.example"):
        assert administers_organization(User.objects.get(email=email)), email
    # Every week the month reached has its report, so the trend pages have points to draw.
    weekly = StoredReport.objects.filter(kind=ReportKind.WEEKLY, scope=ReportScope.CONTRACT)
    assert weekly.count() >= 4 and StoredReport.objects.filter(scope=ReportScope.TEAM).exists()
    assert StoredReport.objects.filter(kind=ReportKind.DAILY).count() == 14 * 2  # sap-erp and sso, tier 1
    assert "demo: stored" in output


def test_if_empty_leaves_a_database_with_data_alone(db):
    Organization.objects.create(slug="acme", name="Acme", kind="customer")
    assert "nothing loaded" in run_demo("--if-empty")
    assert not Contract.objects.exists()


def test_without_if_empty_a_database_with_data_is_refused(db):
    Organization.objects.create(slug="acme", name="Acme", kind="customer")
    with pytest.raises(CommandError, match="already holds data"):
        run_demo()


@pytest.mark.parametrize("months", ["six", "-1", "25"])
def test_a_bad_month_count_is_refused_naming_the_option(db, months):
    with pytest.raises(CommandError, match="--months"):
        run_demo("--months", months)
    assert not Organization.objects.exists()
