"""What the service shows equals what anyone can recompute offline (SLA-SPEC section 1).

Random ticket histories are driven through the desk actions, with the instant moving forward across
evenings, weekends, holidays and both daylight-saving switches. Then ``servicepact events export`` is
replayed by ``servicepact sla replay`` with the pinned contract version's text, at the instant each
ticket's clocks were computed, and the result must equal the stored clock rows and the API's clocks,
field for field. A sweep later on must keep it so.
"""

import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from servicepact.desk import actions
from servicepact.desk.models import Ticket
from servicepact.refusals import ActionRefused
from servicepact.sla import cli as kernel_cli
from servicepact.slm.models import ClockState
from servicepact.slm.sweep import sweep
from tests.api_client import client_as


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


STARTS = [
    utc(2026, 3, 27, 16, 30),  # Friday before Europe's move to summer time (Sunday 29 March)
    utc(2026, 10, 23, 15, 0),  # Friday before the move back (Sunday 25 October)
    utc(2026, 4, 2, 14, 0),  # Thursday before Good Friday and Easter Monday (Germany)
    utc(2026, 2, 13, 8, 0),  # Friday before the Chinese New Year holidays and their make-up working days
    utc(2026, 3, 2, 7, 45),  # an ordinary Monday morning
]
SERVICES = ["sap-erp", "mes-asia", "sso", "hr-portal"]  # Berlin and Shanghai business calendars
LEVELS = ["high", "medium", "low"]
WORK_STATUSES = ["assigned", "in_progress", "pending_customer", "pending_vendor"]
PRIORITIES = ["P1", "P2", "P3", "P4"]
MOVES = ["open", "route", "reply", "answer", "status", "priority", "resolve", "reopen", "close", "note"]

delays = st.one_of(
    st.integers(1, 59 * 60),  # within the hour
    st.integers(3600, 20 * 3600),  # across an evening
    st.integers(86400, 3 * 86400),  # across a weekend
)
steps = st.lists(
    st.tuples(delays, st.sampled_from(MOVES), st.integers(0, 2), st.integers(0, 11)),
    min_size=3,
    max_size=14,
)


def act(world, tickets: list[Ticket], move: str, pick: int, choice: int, at: datetime) -> None:
    """One desk action at ``at``; a refusal (a move the life cycle does not allow now) changes nothing."""
    people = world.people
    if move == "open" or not tickets:
        service = world.services[SERVICES[choice % len(SERVICES)]]
        tickets.append(
            actions.create_ticket(
                actor=people["requester"],
                contract=world.contract,
                service=service,
                title=f"Ticket {len(tickets)}",
                impact=LEVELS[choice % 3],
                urgency=LEVELS[(choice // 3) % 3],
                at=at,
            )
        )
        return
    ticket = tickets[pick % len(tickets)]
    agent = people["agent"]
    if move == "route":
        actions.route_ticket(ticket, actor=agent, at=at)
    elif move == "reply":
        actions.reply(ticket, actor=agent, body="We are on it.", at=at)
    elif move == "answer":
        actions.reply(ticket, actor=people["requester"], body="Here is the screenshot.", at=at)
    elif move == "status":
        actions.change_status(ticket, actor=agent, status=WORK_STATUSES[choice % 4], at=at)
    elif move == "priority":
        actions.change_priority(
            ticket, actor=agent, priority=PRIORITIES[choice % 4], reason="Business impact changed", at=at
        )
    elif move == "resolve":
        actions.resolve_ticket(ticket, actor=agent, resolution="Fixed the posting job.", at=at)
    elif move == "reopen":
        actions.reopen_ticket(ticket, actor=people["requester"], reason="It happens again.", at=at)
    elif move == "close":
        actions.close_ticket(ticket, actor=agent, at=at)
    else:
        actions.add_note(ticket, actor=agent, body="Checked the logs.", at=at)


def exported_log(tmp: Path) -> Path:
    path = tmp / "events.jsonl"
    call_command("events", "export", "--output", str(path))
    return path


def replayed(contract: Path, events: Path, at: datetime) -> list[dict]:
    """``servicepact sla replay`` run in-process, its JSON Lines read back."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    real_stdout, sys.stdout = sys.stdout, out
    try:
        status = kernel_cli.main(
            [
                "sla",
                "replay",
                "--contract",
                str(contract),
                "--events",
                str(events),
                "--at",
                at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ]
        )
    finally:
        sys.stdout = real_stdout
    assert status == 0
    out.flush()
    return [orjson.loads(line) for line in out.buffer.getvalue().splitlines() if line]


def instant_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def spec_row(number: str, row: dict) -> dict:
    return {
        "ticket": number,
        "clock": row["clock"],
        "priority": row["priority"],
        "calendar": row["calendar"],
        "target_s": row["target_s"],
        "elapsed_s": row["elapsed_s"],
        "state": row["state"],
        "breached_at": instant_text(row["breached_at"]),
        "due_at": instant_text(row["due_at"]),
        "stopped_at": instant_text(row["stopped_at"]),
    }


def check_service_equals_replay(world, contract_file: Path, tmp: Path) -> int:
    """Stored rows == API == replay at the rows' instant, for every ticket; the number of clocks compared."""
    events = exported_log(tmp)
    api = client_as(world.people["agent"])
    compared = 0
    replays: dict[datetime, list[dict]] = {}
    for ticket in Ticket.objects.order_by("number"):
        rows = list(ClockState.objects.filter(ticket=ticket).order_by("id").values())
        computed = {row["computed_at"] for row in rows}
        assert len(computed) == 1, f"{ticket.number}: clocks computed at different instants {computed}"
        at = computed.pop()
        if at not in replays:
            replays[at] = replayed(contract_file, events, at)
        expected = [line for line in replays[at] if line["ticket"] == ticket.number]
        stored = [spec_row(ticket.number, row) for row in rows]
        assert stored == expected, f"{ticket.number} at {at}"
        response = api.get(f"/api/tickets/{ticket.number}/clocks")
        assert response.status_code == 200, response.content
        body = response.json()
        api_stored = body["stored"] if isinstance(body, dict) else body
        assert [spec_row(ticket.number, row) for row in api_stored] == expected
        # The clocks explained afresh for the page equal the replay at the instant they were computed.
        for clock in body.get("explained", []) if isinstance(body, dict) else []:
            moment = datetime.fromisoformat(clock["computed_at"].replace("Z", "+00:00")).replace(microsecond=0)
            if moment not in replays:
                replays[moment] = replayed(contract_file, events, moment)
            [live] = [
                line for line in replays[moment] if line["ticket"] == ticket.number and line["clock"] == clock["clock"]
            ]
            assert spec_row(ticket.number, clock) == live, f"{ticket.number} explained at {moment}"
        compared += len(rows)
    return compared


@pytest.fixture
def contract_file(world, tmp_path) -> Path:
    path = tmp_path / "globex-ito-v1.yaml"
    path.write_text(world.version.source, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# No shrinking: every example is a database history of a second or so, so shrinking one takes minutes,
# and a failing history of at most 14 steps is short enough to read as it is.
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=st.sampled_from(STARTS), history=steps, later=delays)
def test_the_live_clocks_equal_the_replay_of_the_export(world, contract_file, tmp_path, start, history, later):
    with transaction.atomic():
        tickets: list[Ticket] = []
        at = start
        for delay, move, pick, choice in history:
            at += timedelta(seconds=delay)
            try:
                act(world, tickets, move, pick, choice, at)
            except (ActionRefused, PermissionDenied):
                pass
        assert check_service_equals_replay(world, contract_file, tmp_path) >= 2 * len(tickets)
        # Time passes; the sweep recomputes the tickets whose clocks reached a breach, and records it.
        sweep(at + timedelta(seconds=later))
        check_service_equals_replay(world, contract_file, tmp_path)
        transaction.set_rollback(True)
