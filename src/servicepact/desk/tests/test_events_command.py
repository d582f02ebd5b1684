"""``servicepact events export`` and ``servicepact events verify``."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import orjson
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from servicepact.desk import actions
from servicepact.evidence import guard

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ticket(world):
    made = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sso"],
        title="Locked out",
        impact="medium",
        urgency="high",
        at=MONDAY,
    )
    actions.route_ticket(made, actor=world.people["agent"], at=MONDAY + timedelta(minutes=10))
    return made


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("events", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_to_stdout_and_file(ticket, tmp_path):
    out, _ = run("export")
    lines = [orjson.loads(line) for line in out.splitlines()]
    assert [line["type"] for line in lines] == ["created", "assigned", "status"]
    assert lines[1] == {
        "ticket": ticket.number,
        "at": "2026-03-02T09:10:00Z",
        "type": "assigned",
        "team": "globex-security",
    }
    target = tmp_path / "events.jsonl"
    run("export", "--contract", "globex-ito", "--output", str(target))
    assert target.read_text() == out


def test_export_filters_by_contract_and_since(ticket):
    assert run("export", "--contract", "initech-ito")[0] == ""
    assert run("export", "--since", "2026-03-02T10:10:01+01:00")[0] == ""
    assert run("export", "--since", "2026-03-02T10:10:00+01:00")[0] != ""


def test_export_names_bad_options(ticket):
    with pytest.raises(CommandError, match="--since: .*no offset"):
        run("export", "--since", "2026-03-02T10:00:00")
    with pytest.raises(CommandError, match="no contract 'nope' \\(known: globex-ito, initech-ito\\)"):
        run("export", "--contract", "nope")


def test_verify_passes_then_reports_tampering(ticket):
    out, _ = run("verify")
    assert "1 ticket(s) checked" in out
    with guard.maintenance("test: tampering"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE desk_ticketevent SET data = %s WHERE ticket_id = %s AND seq = 2",
            ['{"team": "hw-onsite"}', ticket.pk],
        )
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("events", "verify", "--ticket", ticket.number, stdout=StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert f"{ticket.number} #2: hash: expected" in err.getvalue()
    with pytest.raises(CommandError, match="no ticket 'INC9'"):
        run("verify", "--ticket", "INC9")
