"""Actions at the same moment: numbers never repeat, writes to one ticket take turns (row locks)."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from servicepact.desk import actions
from servicepact.desk.hashchain import verify_all
from servicepact.desk.models import Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite takes turns by its IMMEDIATE transactions",
    ),
]
MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
WORKERS = 6


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_together(work) -> list[BaseException]:
    """Start ``work(i)`` in WORKERS threads at once; the errors they raised."""
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_creations_get_distinct_consecutive_numbers(world):
    def create(index: int) -> None:
        actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=f"Parallel {index}",
            impact="low",
            urgency="low",
            at=MONDAY,
        )

    assert run_together(create) == []
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    assert numbers == [f"INC{n:07d}" for n in range(1, WORKERS + 1)]


def test_concurrent_replies_to_one_ticket_chain_in_turn(world):
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Busy",
        impact="low",
        urgency="low",
        at=MONDAY,
    )

    def answer(index: int) -> None:
        actions.reply(Ticket.objects.get(pk=ticket.pk), actor=world.people["agent"], body=f"reply {index}")

    assert run_together(answer) == []
    ticket.refresh_from_db()
    assert ticket.event_count == WORKERS + 1
    assert list(ticket.events.values_list("seq", flat=True)) == list(range(1, WORKERS + 2))
    assert list(verify_all()) == []
