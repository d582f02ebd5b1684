"""The fault test's set-up and checks, run inside the service's own environment (``servicepact shell``).

``prepare`` makes the test world, an API token for its requester (printed) and tickets opened two days ago,
whose warnings and breaches fall due at once, so that sweeps and mails run while processes are killed.
``report`` prints, as JSON, what the test checks: the tickets there are, whether every hash chain
verifies, the outbox, and every stored clock that differs from the kernel's fresh replay of its ticket's
events at the instant it was computed.
"""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from servicepact.accounts.tokens import create_token
from servicepact.desk import actions
from servicepact.desk.models import Ticket
from servicepact.notify.models import Outbox
from servicepact.notify.sending import message_id
from servicepact.slm.evaluation import as_datetime, ticket_clock_states
from servicepact.slm.models import ClockState
from servicepact.slm.tests.conftest import version_with_warnings
from servicepact.testing.fixtures import build_world

BACKDATED = 8
COMPARED = ["priority", "calendar", "target_s", "elapsed_s", "state", "breached_at", "due_at", "stopped_at"]


def prepare() -> None:
    world = build_world()
    world.version = version_with_warnings(world)
    start = timezone.now() - timedelta(days=2)
    for number in range(BACKDATED):
        ticket = actions.create_ticket(
            actor=world.people["requester"],
            contract=world.contract,
            service=world.services["sap-erp"],
            title=f"Backdated {number}",
            impact="high",
            urgency="medium",
            at=start + timedelta(minutes=number),
        )
        actions.route_ticket(ticket, actor=world.people["agent"], at=start + timedelta(minutes=number, seconds=30))
    _, secret = create_token(actor=world.people["requester"], name="fault test")
    print(json.dumps({"token": secret}))


def _differences() -> list[str]:
    found = []
    for ticket in Ticket.objects.order_by("pk"):
        rows = list(ClockState.objects.filter(ticket=ticket))
        for computed_at in {row.computed_at for row in rows}:
            _, clocks = ticket_clock_states(ticket, computed_at)
            fresh = {clock.clock: clock for clock in clocks}
            for row in (row for row in rows if row.computed_at == computed_at):
                clock = fresh.get(row.clock)
                if clock is None:
                    found.append(f"{ticket.number} {row.clock}: stored, not in the replay")
                    continue
                for name in COMPARED:
                    replayed = getattr(clock, name)
                    if name in ("breached_at", "due_at", "stopped_at"):
                        replayed = as_datetime(replayed)
                    if getattr(row, name) != replayed:
                        found.append(f"{ticket.number} {row.clock}.{name}: {getattr(row, name)} != {replayed}")
    return found


def report() -> None:
    out, err = StringIO(), StringIO()
    try:
        call_command("events", "verify", stdout=out, stderr=err)
        verified = True
    except CommandError as problem:
        verified = False
        err.write(str(problem))
    outbox = [
        {"key": row.key, "status": row.status, "message_id": message_id(row)} for row in Outbox.objects.order_by("pk")
    ]
    print(
        json.dumps(
            {
                "tickets": sorted(Ticket.objects.values_list("number", flat=True)),
                "chains_verified": verified,
                "verify_output": (out.getvalue() + err.getvalue())[-2000:],
                "outbox": outbox,
                "clocks": ClockState.objects.count(),
                "clock_differences": _differences(),
            }
        )
    )
