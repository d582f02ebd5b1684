import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from servicepact.desk import actions
from servicepact.desk.eventlog import export_lines
from servicepact.desk.models import Ticket
from servicepact.sla.cli import is_kernel_command
from servicepact.testing.factories import EXAMPLE_CONTRACT


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def history_file(world, tmp_path):
    people = world.people
    ticket = actions.create_ticket(
        actor=people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Invoices stuck",
        impact="medium",
        urgency="high",
        at=at("2026-03-02T08:00:00"),
    )
    actions.reply(ticket, actor=people["agent"], body="Looking at it", at=at("2026-03-02T08:10:00"))
    actions.resolve_ticket(ticket, actor=people["agent"], resolution="Queue restarted", at=at("2026-03-02T13:00:00"))
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(export_lines(Ticket.objects.all())))
    return path


def test_without_baseline_the_draft_is_compared_with_the_contract_in_force(world, history_file, tmp_path, capsys):
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        EXAMPLE_CONTRACT.read_text()
        .replace("version: 1", "version: 2")
        .replace("P2: {within: 8h,  calendar: service}", "P2: {within: 4h,  calendar: service}")
    )

    call_command(
        "backtest", "--contract", str(draft), "--events", str(history_file), "--from", "2026-03", "--to", "2026-03"
    )

    result = json.loads(capsys.readouterr().out)
    assert result["baseline"]["version"] == 1 and result["draft"]["version"] == 2
    resolution = next(m for m in result["months"][0]["measures"] if m["id"] == "resolution-compliance")
    assert resolution["baseline"]["value"] == 1 and resolution["draft"]["value"] == 0


def test_a_draft_for_a_contract_not_in_the_database_is_refused_naming_the_option(world, history_file, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(EXAMPLE_CONTRACT.read_text().replace("contract: globex-ito", "contract: acme-ito"))
    with pytest.raises(CommandError, match="--contract: .*'acme-ito'.*--baseline"):
        call_command(
            "backtest", "--contract", str(draft), "--events", str(history_file), "--from", "2026-03", "--to", "2026-03"
        )


def test_only_a_backtest_with_a_baseline_file_runs_without_the_database():
    assert is_kernel_command(["backtest", "--contract", "d.yaml", "--baseline", "c.yaml"])
    assert is_kernel_command(["backtest", "--baseline=c.yaml"])
    assert not is_kernel_command(["backtest", "--contract", "d.yaml", "--events", "e.jsonl"])
    assert is_kernel_command(["report", "--period", "2026-03"])
