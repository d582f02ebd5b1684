"""The benchmark loader writes what the actions would: chained events, consistent rows, the kernel's clocks."""

import sys
from pathlib import Path

import orjson
import pytest

from servicepact.desk.eventlog import kernel_event_log
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import Ticket, TicketCounter, TicketEvent, TicketTeam
from servicepact.sla.clocks import evaluate_ticket
from servicepact.slm.evaluation import version_contract
from servicepact.slm.models import ClockState

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import gen_events  # noqa: E402  (scripts of bench/, not a package)
import load_db  # noqa: E402

TICKETS = 120


@pytest.fixture
def loaded(db):
    return load_db.load(TICKETS, seed=7, clocks=True)


def test_every_chain_verifies_and_the_counter_follows(loaded):
    assert TicketEvent.objects.count() == loaded
    assert Ticket.objects.count() == TICKETS
    assert list(verify_all()) == []
    assert TicketCounter.objects.get(kind="incident").last == TICKETS


def test_rows_follow_the_generated_histories(loaded):
    histories = dict(load_db.generated_tickets(TICKETS, 7))
    for ticket in Ticket.objects.select_related("team", "service"):
        records = histories[int(ticket.number[3:])]
        statuses = [record["status"] for _, record in records if record["type"] == "status"]
        assert ticket.status == statuses[-1]
        assert ticket.created_at.timestamp() == records[0][0]
        assert ticket.updated_at.timestamp() == records[-1][0]
        assert ticket.service.key == records[0][1]["service"]
        teams = [load_db.TEAM_SLUGS[record["team"]] for _, record in records if record["type"] == "assigned"]
        assert ticket.team.slug == (teams[-1] if teams else "northwind-desk")
        visited = set(TicketTeam.objects.filter(ticket=ticket).values_list("team__slug", flat=True))
        assert visited == {"northwind-desk", *teams}
        reopens = sum(
            1
            for (_, a), (_, b) in zip(records, records[1:])
            if a.get("status") == "resolved" and b.get("status") == "in_progress"
        )
        assert ticket.reopen_count == reopens
        assert (ticket.closed_at is not None) == (ticket.status == "closed")


def test_clock_rows_are_the_kernels_replay_of_the_export(loaded):
    ticket = Ticket.objects.select_related("contract_version").first()
    terms = version_contract(ticket.contract_version)
    events = kernel_event_log(Ticket.objects.all(), terms)
    rows = list(ClockState.objects.select_related("ticket"))
    assert len(rows) == 2 * TICKETS
    for row in rows:
        _facts, clocks = evaluate_ticket(terms, events[row.ticket.number], int(row.computed_at.timestamp()))
        clock = next(clock for clock in clocks if clock.clock == row.clock)
        assert (row.state, row.elapsed_s, row.priority) == (clock.state, clock.elapsed_s, clock.priority)
    breached = {row.ticket_id for row in rows if row.state == "breached"}
    assert set(Ticket.objects.filter(breached=True).values_list("pk", flat=True)) == breached


def test_the_generated_draws_are_gen_events_draws():
    lines = gen_events.generate(30, 7, load_db.FIRST_DAY, load_db.DAYS)
    created = [line for line in lines if b'"created"' in line]
    ours = {number: records[0][1]["priority"] for number, records in load_db.generated_tickets(30, 7)}
    assert len(created) == 30
    for line in created:
        record = orjson.loads(line)
        assert ours[int(record["ticket"][4:])] == record["priority"]


def test_a_database_that_exists_is_refused(tmp_path):
    (tmp_path / "servicepact.sqlite3").write_bytes(b"")
    with pytest.raises(SystemExit, match="already holds a database"):
        load_db.prepare_django(tmp_path)
