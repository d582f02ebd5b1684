"""``servicepact sla replay``: JSON Lines out for good input; exit 2 and messages only on stderr for bad input."""

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from servicepact.sla.commands import replay as replay_command
from servicepact.sla.tests.cases.contracts import REFERENCE_PATH

CASES = Path(__file__).parent / "cases"
REFERENCE = str(REFERENCE_PATH)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = replay_command.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_case_log_matches_hand_checked_output(capsys):
    expected = (CASES / "globex-march.at-2026-03-09T12-00-00Z.expected.jsonl").read_text()
    code, out, err = run(
        [
            "replay",
            "--contract",
            REFERENCE,
            "--events",
            str(CASES / "globex-march.jsonl"),
            "--at",
            "2026-03-09T13:00:00+01:00",
        ],
        capsys,
    )
    assert (code, err) == (0, "")
    assert out == expected


def test_output_is_sorted_and_keyed_as_the_spec_says(capsys):
    code, out, _err = run(
        [
            "replay",
            "--contract",
            REFERENCE,
            "--events",
            str(CASES / "globex-march.jsonl"),
            "--at",
            "2026-03-31T00:00:00Z",
        ],
        capsys,
    )
    rows = [orjson.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r["ticket"], r["clock"]) for r in rows] == [
        (f"GLX-{n}", clock) for n in range(1, 8) for clock in ("response", "resolution")
    ]
    assert all(list(r) == list(rows[0]) for r in rows)
    assert all(type(r["elapsed_s"]) is int and type(r["target_s"]) is int for r in rows)


def test_bad_event_log_exit_2_with_every_line_and_nothing_on_stdout(capsys, monkeypatch):
    monkeypatch.chdir(CASES)
    code, out, err = run(
        ["replay", "--contract", REFERENCE, "--events", "bad-events.jsonl", "--at", "2026-03-09T12:00:00Z"], capsys
    )
    assert (code, out) == (2, "")
    assert err == (CASES / "bad-events.expected.stderr").read_text()


def test_events_from_stdin(capsys, monkeypatch):
    import io

    log = (CASES / "globex-march.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(log)))
    code, out, _err = run(["replay", "--contract", REFERENCE, "--events", "-", "--at", "2026-03-09T12:00:00Z"], capsys)
    assert code == 0
    assert out == (CASES / "globex-march.at-2026-03-09T12-00-00Z.expected.jsonl").read_text()


def test_bad_stdin_line_is_named_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"ticket": "x"}\n')))
    code, out, err = run(["replay", "--contract", REFERENCE, "--events", "-"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == "<stdin>:1: missing field 'at'"


def test_bad_contract_gives_its_diagnostics(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(REFERENCE_PATH.read_text().replace("within: 15m", "within: 1d"))
    code, out, err = run(["replay", "--contract", str(broken), "--events", str(CASES / "globex-march.jsonl")], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"{broken}:") and "1d" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["replay", "--events", "x"], "required: --contract"),
        (
            ["replay", "--contract", REFERENCE, "--events", "x", "--at", "yesterday"],
            "--at: not an RFC 3339 instant: 'yesterday'",
        ),
        (
            ["replay", "--contract", REFERENCE, "--events", "x", "--at", "2026-03-09T12:00:00"],
            "--at: instant '2026-03-09T12:00:00' has no offset",
        ),
        (
            ["replay", "--contract", REFERENCE, "--events", "/no/such/log.jsonl"],
            "cannot read events file '/no/such/log.jsonl'",
        ),
        (["play"], "invalid choice: 'play'"),
    ],
)
def test_bad_arguments(argv, message, capsys):
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert message in err


def test_default_instant_is_now(capsys):
    code, out, _err = run(["replay", "--contract", REFERENCE, "--events", str(CASES / "globex-march.jsonl")], capsys)
    rows = [orjson.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 14  # every ticket of the case log exists by now
    assert next(r for r in rows if r["ticket"] == "GLX-7" and r["clock"] == "resolution")["state"] == "breached"


def test_console_script(tmp_path):
    servicepact = Path(sys.executable).parent / "servicepact"
    result = subprocess.run(
        [
            str(servicepact),
            "sla",
            "replay",
            "--contract",
            REFERENCE,
            "--events",
            str(CASES / "globex-march.jsonl"),
            "--at",
            "2026-03-09T12:00:00Z",
        ],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (CASES / "globex-march.at-2026-03-09T12-00-00Z.expected.jsonl").read_bytes()
