"""`servicepact contract check | schema | diff`: output and exit codes."""

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from servicepact.sla.commands.contract import main
from servicepact.sla.contract import load_contract_file

CONTRACTS = Path(__file__).parent / "contracts"
V1, V2 = str(CONTRACTS / "globex-v1.yaml"), str(CONTRACTS / "globex-v2.yaml")


def test_check_prints_a_summary_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", V1]) == 0
    out, err = capsys.readouterr()
    sha = load_contract_file(V1).source_sha256
    assert out == (
        f"globex-ito v1: 3 calendars, 4 services, 4 priorities, 3 measures, credits cap 15%, sha256 {sha[:12]}\n"
    )
    assert err == ""


def test_check_lists_every_problem_on_stderr_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    bad = str(CONTRACTS / "many-errors.yaml")
    assert main(["check", bad]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 15
    assert lines[0] == f"{bad}:6:12: effective: 'to' (2025-06-30) is before 'from' (2026-01-01)"
    assert f'{bad}:25:20: clocks.response.targets.P1.within: "1d" is not a duration; use s, m, h (e.g. 1h30m)' in lines


def test_check_prints_warnings_and_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(CONTRACTS / "dst-gap.yaml")
    assert main(["check", path]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("night-shift v1: ")
    assert err.splitlines()[0].startswith(f"{path}:12:13: warning: calendars.night.hours.sun[0]: 02:30 does not exist")


def test_check_of_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "none.yaml")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_schema_is_json_schema_the_reference_contract_satisfies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "servicepact contract"
    assert set(schema["required"]) >= {"contract", "version", "calendars", "services", "priorities", "clocks"}
    assert "resolution_met_ratio" in schema["$defs"]["MeasureDoc"]["properties"]["measure"]["enum"]
    assert schema["$defs"]["TargetDoc"]["properties"]["within"]["description"].startswith("A duration")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("globex-v1.yaml", "extensions.yaml"):
        document = _as_json_document(CONTRACTS / name)
        assert list(validator.iter_errors(document)) == [], name
    broken = _as_json_document(CONTRACTS / "globex-v1.yaml")
    broken["clocks"]["response"]["targets"]["P1"]["within"] = "1d"
    broken["clocks"]["response"]["stop_in"] = "responded"
    assert len(list(validator.iter_errors(broken))) == 2


def _as_json_document(path: Path) -> dict:
    """The YAML as JSON would carry it: dates as text, decimals as numbers."""
    return json.loads(json.dumps(YAML(typ="safe").load(path.read_text(encoding="utf-8")), default=str))


def test_diff_of_two_versions_lists_each_changed_clause(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", V1, V2]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:] == [
        "metadata: version: 1 -> 2",
        "calendars.eu-business: hours mon-fri: 08:00-18:00 -> 08:00-20:00",
        "calendars.eu-business: hours sat: closed -> 09:00-13:00",
        "services.hr-portal: removed (name HR portal, tier 3, calendar cn-business)",
        "services.crm: added (name CRM, tier 2, calendar eu-business)",
        "matrix.low: urgency medium: P4 -> P3",
        "clocks.resolution: target P2: 8h service -> 6h service",
        "measures.first-contact-resolution: baseline: 0.52 -> 0.55",
        "measures.first-contact-resolution: exclude category: hardware-onsite -> hardware-onsite, printer",
        "credits: cap: 15% -> 12.5%",
    ]


def test_diff_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", V1, V2, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["identical"] is False
    assert (report["old"]["version"], report["new"]["version"]) == (1, 2)
    assert {
        "clause": "clocks",
        "item": "clocks.resolution",
        "field": "target P2",
        "change": "changed",
        "old": "8h service",
        "new": "6h service",
    } in report["changes"]
    assert {c["change"] for c in report["changes"] if c["item"].startswith("services.")} == {"added", "removed"}


def test_diff_of_identical_contracts_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", V1, V1]) == 0
    assert capsys.readouterr().out.endswith("no differences, clause by clause\n")


def test_diff_of_a_broken_contract_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", V1, str(CONTRACTS / "many-errors.yaml")]) == 2
    assert "many-errors.yaml:6:12:" in capsys.readouterr().err
