"""``servicepact import``: the dry run, the import with its progress, the schema, and bad input (exit 2)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from servicepact.desk.models import Ticket
from servicepact.imports.models import ImportRun
from servicepact.imports.tests.conftest import SERVICENOW_MAPPING, write_servicenow
from servicepact.imports.tests.conftest import servicenow_row as row


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def export(tmp_path):
    return write_servicenow(
        tmp_path / "incidents.csv",
        [
            row("0000001", "New", 0, "29/2/2016 01:23"),
            row("0000001", "Resolved", 1, "29/2/2016 03:00"),
            row("0000002", "Active", 0, "29/2/2016 05:00", opened="29/2/2016 04:00", group="70"),
        ],
    )


def test_a_dry_run_prints_what_would_happen_and_changes_nothing(export, history_contract):
    out, _err = run_command(
        "servicenow",
        str(export),
        "--mapping",
        str(SERVICENOW_MAPPING),
        "--contract",
        history_contract.slug,
        "--dry-run",
    )
    assert "dry run: incidents.csv" in out
    assert "2 tickets in 3 rows: 2 to import (0 closed, 2 open), 0 already imported, 5 events" in out
    assert "placeholders to make: 2 teams, 1 requesters" in out
    assert Ticket.objects.count() == 0


def test_the_import_shows_progress_and_a_second_run_imports_nothing(export, history_contract, importer):
    args = (
        "servicenow",
        str(export),
        "--mapping",
        str(SERVICENOW_MAPPING),
        "--contract",
        history_contract.slug,
        "--as",
        importer.email,
    )
    out, err = run_command(*args)
    assert f"run {ImportRun.objects.get().pk}: 2 tickets imported, 0 already there, 5 events" in out
    assert "2/2 tickets (100%), 2 imported, 0 already there, 5 events" in err
    out, _err = run_command(*args, "--format", "json")
    assert json.loads(out)["run"]["imported"] == 0 and json.loads(out)["skipped"] == 2
    assert ImportRun.objects.count() == 2
    assert Ticket.objects.count() == 2


def test_unmapped_values_and_bad_rows_exit_2_and_change_nothing(tmp_path, history_contract, importer):
    path = write_servicenow(
        tmp_path / "bad.csv",
        [row("0000001", "Awaiting Approval", 0, "29/2/2016 01:23"), row("0000002", "New", 0, "29/2/2016 25:00")],
    )
    with pytest.raises(CommandError) as failed:
        call_command(
            "import",
            "servicenow",
            str(path),
            "--mapping",
            str(SERVICENOW_MAPPING),
            "--contract",
            history_contract.slug,
            "--as",
            importer.email,
            stdout=(out := io.StringIO()),
        )
    assert failed.value.returncode == 2
    text = out.getvalue()
    assert "statuses: 'Awaiting Approval' in 1 tickets (not listed, and the map has no default)" in text
    assert "bad.csv:line 3, sys_updated_at: '29/2/2016 25:00' is not a time like 29/02/2016 13:05" in text
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "returncode", "message"),
    [
        (("--as", "nobody@example.test"), 2, "--as: no person 'nobody@example.test'"),
        (("--as", "agent@example.test"), 1, "You may not import history into contract globex-history."),
        ((), 2, "--as: name the person importing (their e-mail)"),
    ],
)
def test_who_imports(export, history_contract, arguments, returncode, message):
    with pytest.raises(CommandError) as failed:
        call_command(
            "import",
            "servicenow",
            str(export),
            "--mapping",
            str(SERVICENOW_MAPPING),
            "--contract",
            history_contract.slug,
            *arguments,
        )
    assert failed.value.returncode == returncode and message in str(failed.value)


def test_bad_input_names_the_problem(export, history_contract, tmp_path):
    bad_mapping = tmp_path / "m.yaml"
    bad_mapping.write_text("mapping: m\nsource: {tool: servicenow, timezone: UTC}\nstatuses: {}\nservices: {from: x}\n")
    cases = [
        (
            ("servicenow", str(export), "--mapping", str(bad_mapping), "--contract", history_contract.slug),
            f'{bad_mapping}:4:18: services.from: "x" is not allowed',
        ),
        (
            (
                "jira",
                str(export),
                "--mapping",
                str(SERVICENOW_MAPPING),
                "--contract",
                history_contract.slug,
                "--dry-run",
            ),
            "the mapping is for servicenow exports, not jira",
        ),
        (
            ("servicenow", str(export), "--mapping", str(SERVICENOW_MAPPING), "--contract", "nope", "--dry-run"),
            "--contract: no contract 'nope'",
        ),
        (
            ("servicenow", str(tmp_path / "none.csv"), "--mapping", str(SERVICENOW_MAPPING), "--contract", "x"),
            "no such file",
        ),
    ]
    for arguments, message in cases:
        with pytest.raises(CommandError) as failed:
            call_command("import", *arguments)
        assert failed.value.returncode == 2 and message in str(failed.value), arguments


def test_the_schema_is_printed():
    out, _err = run_command("schema")
    assert json.loads(out)["title"] == "servicepact import mapping"
