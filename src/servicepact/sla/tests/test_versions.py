"""Several versions of one contract (SLA-SPEC section 5): pinning, reports across a change, the digest.

Version 1 (P2 resolution within 8 business hours) is in force until 2026-03-15; version 2 (P2 within
1 hour, a lower target for the measure, a smaller second credit) from 2026-03-16, both in Berlin. The
four P2 tickets on SSO (Berlin business hours) of March:

| ticket | created (Berlin)      | resolved after       | version | resolution under it |
| A      | Tue 10 March 09:00    | 3 business hours     | 1       | met (8 h)           |
| B      | Tue 17 March 09:00    | 30 minutes           | 2       | met (1 h)           |
| C      | Wed 18 March 09:00    | 3 business hours     | 2       | breached            |
| D      | Mon 16 March 00:30    | 1.5 business hours   | 2       | breached            |

D is created on 15 March in UTC but on the 16th in Berlin, the reporting zone: it follows version 2.
By hand, March under both versions: resolution 2 met of 4 = 0.5 against version 2's ">= 0.5" (met);
response 4 of 4; credits by version 2's rules: below 0.95 gives 5 %, below 0.90 gives 7 %: 7 % of
120,000 EUR = 8,400.00 EUR.
"""

import hashlib
import json

import orjson
import pytest

from servicepact.sla.commands import backtest as backtest_command
from servicepact.sla.commands import replay as replay_command
from servicepact.sla.commands import report as report_command
from servicepact.sla.contract import load_contract
from servicepact.sla.tests.cases.contracts import REFERENCE_PATH
from servicepact.sla.versions import ContractVersions, VersionError

V1_TEXT = REFERENCE_PATH.read_text(encoding="utf-8").replace(
    "effective: {from: 2026-01-01, to: 2027-12-31}", "effective: {from: 2026-01-01, to: 2026-03-15}"
)
V2_TEXT = (
    REFERENCE_PATH.read_text(encoding="utf-8")
    .replace("version: 1", "version: 2")
    .replace("effective: {from: 2026-01-01, to: 2027-12-31}", "effective: {from: 2026-03-16, to: 2027-12-31}")
    .replace("P2: {within: 8h,  calendar: service}", "P2: {within: 1h,  calendar: service}")
    .replace('baseline: 0.90\n    target: ">= 0.95"', 'baseline: 0.90\n    target: ">= 0.50"')
    .replace("below: 0.90, credit: 10%", "below: 0.90, credit: 7%")
)


def ticket(number: str, created: str, responded: str, resolved: str) -> list[dict]:
    return [
        {"ticket": number, "at": created, "type": "created", "priority": "P2", "service": "sso"},
        {"ticket": number, "at": responded, "type": "responded"},
        {"ticket": number, "at": resolved, "type": "status", "status": "resolved"},
    ]


MARCH = [
    *ticket("A", "2026-03-10T08:00:00Z", "2026-03-10T08:10:00Z", "2026-03-10T11:00:00Z"),
    *ticket("B", "2026-03-17T08:00:00Z", "2026-03-17T08:10:00Z", "2026-03-17T08:30:00Z"),
    *ticket("C", "2026-03-18T08:00:00Z", "2026-03-18T08:10:00Z", "2026-03-18T11:00:00Z"),
    *ticket("D", "2026-03-15T23:30:00Z", "2026-03-16T07:10:00Z", "2026-03-16T08:30:00Z"),
]


def write_log(path, records) -> str:
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    return str(path)


@pytest.fixture
def files(tmp_path):
    v1, v2 = tmp_path / "globex-v1.yaml", tmp_path / "globex-v2.yaml"
    v1.write_text(V1_TEXT, encoding="utf-8")
    v2.write_text(V2_TEXT, encoding="utf-8")
    return {"v1": str(v1), "v2": str(v2), "events": write_log(tmp_path / "march.jsonl", MARCH), "dir": tmp_path}


def run(command, argv, capsys) -> tuple[int, str, str]:
    code = command.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def march_report(files, capsys, *contracts: str) -> dict:
    argv = ["--events", files["events"], "--period", "2026-03"]
    for name in contracts:
        argv += ["--contract", files[name]]
    code, out, err = run(report_command, argv, capsys)
    assert (code, err) == (0, "")
    return json.loads(out)


def figures(report: dict) -> dict[str, tuple]:
    return {
        measure["id"]: (measure["numerator"], measure["denominator"], measure["met"]) for measure in report["measures"]
    }


def test_a_report_across_a_version_change_matches_the_hand_computation(files, capsys):
    report = march_report(files, capsys, "v2", "v1")
    assert (report["contract"], report["version"]) == ("globex-ito", 2)
    assert figures(report) == {
        "resolution-compliance": (2, 4, True),
        "response-compliance": (4, 4, True),
        "first-contact-resolution": (4, 4, True),
    }
    assert [measure["target"] for measure in report["measures"]][0] == ">= 0.5"
    assert report["credits"]["applied"] == [{"measure": "resolution-compliance", "percent": 7}]
    assert (report["credits"]["total_percent"], report["credits"]["amount"]) == (7, "8400.00")


def test_one_version_alone_applies_to_every_ticket(files, capsys):
    assert figures(march_report(files, capsys, "v1"))["resolution-compliance"] == (4, 4, True)
    assert figures(march_report(files, capsys, "v2"))["resolution-compliance"] == (1, 4, False)


def test_the_digest_covers_every_version_in_order_of_version(files, capsys):
    digest = march_report(files, capsys, "v2", "v1")["digest"]
    hashes = [hashlib.sha256(text.encode()).hexdigest() for text in (V1_TEXT, V2_TEXT)]
    assert digest["contract_versions"] == [{"version": 1, "sha256": hashes[0]}, {"version": 2, "sha256": hashes[1]}]
    assert digest["contract_sha256"] == hashlib.sha256(f"{hashes[0]}\n{hashes[1]}\n".encode()).hexdigest()
    assert march_report(files, capsys, "v1", "v2")["digest"] == digest
    single = march_report(files, capsys, "v2")["digest"]
    assert single["contract_sha256"] == hashes[1] and "contract_versions" not in single


def test_verify_needs_the_same_versions(files, capsys):
    report = files["dir"] / "report.json"
    report.write_text(json.dumps(march_report(files, capsys, "v1", "v2")))
    argv = ["verify", str(report), "--events", files["events"], "--contract", files["v1"], "--contract", files["v2"]]
    assert run(report_command, argv, capsys)[:2] == (0, "MATCH\n")
    code, out, _ = run(
        report_command, ["verify", str(report), "--events", files["events"], "--contract", files["v2"]], capsys
    )
    assert code == 1 and "measures[0].numerator: report 2, recomputed 1" in out


def test_replay_follows_each_tickets_version(files, capsys):
    argv = [
        "replay",
        "--contract",
        files["v1"],
        "--contract",
        files["v2"],
        "--events",
        files["events"],
        "--at",
        "2026-04-01T00:00:00Z",
    ]
    code, out, err = run(replay_command, argv, capsys)
    assert (code, err) == (0, "")
    resolution = {row["ticket"]: row for row in map(json.loads, out.splitlines()) if row["clock"] == "resolution"}
    assert {number: (row["target_s"], row["state"]) for number, row in resolution.items()} == {
        "A": (28800, "met"),
        "B": (3600, "met"),
        "C": (3600, "breached"),
        "D": (3600, "breached"),
    }


def test_a_ticket_created_when_no_version_is_in_force_is_an_error_with_its_line(files, capsys):
    early = write_log(
        files["dir"] / "early.jsonl",
        [*MARCH, *ticket("E", "2025-12-31T10:00:00Z", "2025-12-31T10:05:00Z", "2025-12-31T11:00:00Z")],
    )
    argv = ["--events", early, "--period", "2026-03", "--contract", files["v1"], "--contract", files["v2"]]
    code, out, err = run(report_command, argv, capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"{early}:13: ticket 'E' is created on 2025-12-31, when no version of contract 'globex-ito' is in force\n"
    )


def test_an_event_its_version_does_not_know_is_an_error_with_its_line(files, capsys):
    v2 = files["dir"] / "globex-v2.yaml"
    v2.write_text(
        V2_TEXT.replace("hr-portal: {name: HR portal, tier: 3, calendar: cn-business}\n", ""), encoding="utf-8"
    )
    log = write_log(
        files["dir"] / "hr.jsonl",
        [
            {"ticket": "F", "at": "2026-03-02T08:00:00Z", "type": "created", "priority": "P3", "service": "hr-portal"},
            {"ticket": "G", "at": "2026-03-20T08:00:00Z", "type": "created", "priority": "P3", "service": "hr-portal"},
        ],
    )
    code, _, err = run(
        report_command,
        ["--events", log, "--period", "2026-03", "--contract", files["v1"], "--contract", str(v2)],
        capsys,
    )
    assert code == 2
    assert err.startswith(f"{log}:2: service 'hr-portal' is not in version 2, which ticket 'G' follows (allowed: ")


def test_files_of_two_contracts_or_a_version_given_twice_are_refused(files, capsys):
    other = files["dir"] / "other.yaml"
    other.write_text(V2_TEXT.replace("contract: globex-ito", "contract: initech-ito"), encoding="utf-8")
    for contracts, message in (
        (
            [files["v1"], str(other)],
            "--contract: the contract files must be versions of one contract, got globex-ito, initech-ito\n",
        ),
        ([files["v1"], files["v1"]], "--contract: version 1 of contract 'globex-ito' is given twice\n"),
    ):
        argv = ["--events", files["events"], "--period", "2026-03"] + [
            arg for path in contracts for arg in ("--contract", path)
        ]
        assert run(report_command, argv, capsys) == (2, "", message)


def test_a_period_whose_last_day_no_version_holds_is_refused(files, capsys):
    argv = ["--events", files["events"], "--period", "2028-01", "--contract", files["v1"], "--contract", files["v2"]]
    assert run(report_command, argv, capsys) == (
        2,
        "",
        "--period: no version of contract 'globex-ito' is in force on 2028-01-31, the last day of period '2028-01'\n",
    )


def test_pinning_uses_the_date_in_the_reporting_zone():
    versions = ContractVersions.of([load_contract(V2_TEXT, "v2.yaml"), load_contract(V1_TEXT, "v1.yaml")])
    before_midnight = 1773617399  # 2026-03-15T23:29:59Z: 00:29:59 on the 16th in Berlin
    assert versions.in_force_at(before_midnight).version == 2
    assert versions.in_force_at(before_midnight - 3600).version == 1  # 23:29:59 on the 15th in Berlin
    with pytest.raises(VersionError):
        ContractVersions.of([])


def test_a_backtest_baseline_of_several_versions_pins_tickets(files, capsys):
    argv = [
        "--contract",
        files["v2"],
        "--baseline",
        files["v1"],
        "--baseline",
        files["v2"],
        "--events",
        files["events"],
        "--from",
        "2026-03",
        "--to",
        "2026-03",
    ]
    code, out, err = run(backtest_command, argv, capsys)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["baseline"]["versions"] == [1, 2]
    resolution = result["months"][0]["measures"][0]
    assert (resolution["baseline"]["numerator"], resolution["draft"]["numerator"]) == (2, 1)
    assert result["months"][0]["flips"] == [
        {"ticket": "A", "clock": "resolution", "baseline": "met", "draft": "breached"}
    ]
