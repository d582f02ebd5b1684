"""Two sweeps at the same moment on PostgreSQL, in real threads with their own connections."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from servicepact.desk.models import EventType, TicketEvent
from servicepact.notify.models import Outbox
from servicepact.slm.sweep import sweep
from servicepact.slm.tests.conftest import open_ticket, version_with_warnings

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite takes turns by its IMMEDIATE transactions",
    ),
]
SWEEPERS = 3


def test_sweeps_at_once_fire_each_warning_once(world):
    version_with_warnings(world)
    tickets = [open_ticket(world, title=f"Ticket {n}") for n in range(6)]
    start = threading.Barrier(SWEEPERS)
    problems: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            sweep(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
        except BaseException as problem:  # reported to the test below
            problems.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(SWEEPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    for ticket in tickets:
        fired = TicketEvent.objects.filter(ticket=ticket, type=EventType.CLOCK_WARNING).order_by("seq")
        assert [(event.data["clock"], event.data["threshold"]) for event in fired] == [
            ("response", "1"),
            ("resolution", "1/2"),
        ]
    # Breach of the response clock to the customer manager (no assignee, the desk has no lead); 50% to nobody.
    assert Outbox.objects.count() == len(tickets)
