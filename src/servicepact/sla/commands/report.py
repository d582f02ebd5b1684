"""``servicepact report``: the measures and credits of one period, and ``report verify`` to check one.

    servicepact report --contract FILE [--contract FILE ...] --events FILE|- --period 2026-W10|2026-03|2026-03-05
                       [--outages FILE] [--format json|text] [--review | --extra NAME,NAME] [--scores FILE]
    servicepact report verify REPORT.json --contract FILE [--contract FILE ...] --events FILE|- [--outages FILE]

``--contract`` once per version when the tickets follow several versions of the contract (SLA-SPEC
section 5, "Several versions"): each ticket's clocks follow the version in force at its creation; the
measures and credits are those of the version in force on the period's last day.

``--outages`` gives the outage log (SLA-SPEC section 6) that availability measures count; a contract
whose reported version has an availability measure needs it.

``verify`` recomputes the period the report names, whether a week, a month or a day. A report of one
service or one team is verified against the event log it was computed from, which the service offers for
download already narrowed to that scope, so no scope option is needed here.

Exit 0 on success (verify: MATCH), 1 when verify finds differences, 2 on bad input with a message on
standard error (event-log problems as ``EVENTS:LINE: message``, outage-log problems as ``OUTAGES:LINE:
message``, contract problems as ``FILE:LINE:COL``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from servicepact.sla.contract import Contract, ContractError, load_contract
from servicepact.sla.events import ContractVocabulary, Event, EventLogError, parse_event_log
from servicepact.sla.measure_names import KNOWN_MEASURES
from servicepact.sla.outages import Outage, OutageLogError, parse_outage_log
from servicepact.sla.periods import Period, PeriodError
from servicepact.sla.report import ReportError, build_report, has_availability
from servicepact.sla.report_text import render_report
from servicepact.sla.versions import ContractVersions, VersionError

# JSON inputs (a report to verify, scores) nest a few levels; deeper ones are refused before use.
MAX_JSON_DEPTH = 32


class InputError(Exception):
    """Bad input to a command; ``lines`` are printed on standard error, each on its own line."""

    def __init__(self, lines: Sequence[str]):
        super().__init__("\n".join(lines))
        self.lines = list(lines)


@dataclass
class ContractInput:
    contract: Contract
    raw: bytes


def load_contract_input(path: str) -> ContractInput:
    raw = _read_bytes(path, "contract")
    try:
        return ContractInput(load_contract(raw, path), raw)
    except ContractError as error:
        raise InputError([str(diagnostic) for diagnostic in error.diagnostics]) from error


def load_versions(paths: Sequence[str]) -> ContractVersions:
    """The contract files given (``--contract`` once or more), as versions of one contract."""
    inputs = [load_contract_input(path) for path in paths]
    try:
        return ContractVersions.of([item.contract for item in inputs], [item.raw for item in inputs])
    except VersionError as error:
        raise InputError([f"--contract: {error}"]) from error


def load_pinned_events(path: str, versions: ContractVersions) -> tuple[dict[str, list[Event]], dict[str, Contract]]:
    """The event log read against every version, and each ticket's version (SLA-SPEC section 5)."""
    events = load_events(path, versions.vocabulary)
    try:
        return events, versions.pin(events, path)
    except EventLogError as error:
        raise InputError(error.messages) from error


def versions_period(versions: ContractVersions, label: str) -> tuple[Period, Contract]:
    try:
        return versions.period(label)
    except VersionError as error:
        raise InputError([f"--period: {error}"]) from error


def load_events(path: str, contract: ContractVocabulary) -> dict[str, list[Event]]:
    source = "-" if path == "-" else path
    try:
        if path == "-":
            return parse_event_log(sys.stdin.buffer, contract, source)
        with open(path, "rb") as lines:
            return parse_event_log(lines, contract, source)
    except OSError as error:
        raise InputError([f"cannot read events file {path!r}: {error.strerror}"]) from error
    except EventLogError as error:
        raise InputError(error.messages) from error


def load_outages(path: str | None, versions: ContractVersions, contract: Contract) -> list[Outage] | None:
    """The outage log against every version's services; None when none is given, which the reported
    version ``contract`` allows only when it has no availability measure."""
    if path is None:
        if has_availability(contract):
            raise InputError(
                [
                    f"--outages: version {contract.version} of contract {contract.id!r} has availability "
                    "measures; give the outage log (JSON Lines, SLA-SPEC section 6)"
                ]
            )
        return None
    try:
        if path == "-":
            return parse_outage_log(sys.stdin.buffer, versions.vocabulary.services, path)
        with open(path, "rb") as lines:
            return parse_outage_log(lines, versions.vocabulary.services, path)
    except OSError as error:
        raise InputError([f"cannot read outages file {path!r}: {error.strerror}"]) from error
    except OutageLogError as error:
        raise InputError(error.messages) from error


def load_scores(path: str | None) -> dict[str, Fraction] | None:
    """Survey scores as a JSON object ``{"TICKET": score, ...}``; scores are read as exact decimals."""
    if path is None:
        return None
    try:
        scores = json.loads(_read_bytes(path, "scores"), parse_float=Fraction, parse_int=Fraction)
    except (ValueError, RecursionError) as error:
        raise InputError([f"{path}: not JSON: {_json_problem(error)}"]) from None
    if not isinstance(scores, dict) or not all(isinstance(value, Fraction) for value in scores.values()):
        raise InputError([f"{path}: expected an object mapping ticket ids to numbers"])
    return scores


def review_measures(contract: Contract, review: bool, extra: str | None) -> list[str]:
    """The review measures asked for: every known one the contract does not name (``--review``) or a list."""
    if review:
        named = {definition.measure for definition in contract.measures}
        return sorted(KNOWN_MEASURES - named)
    names = [name.strip() for name in (extra or "").split(",") if name.strip()]
    unknown = [name for name in names if name not in KNOWN_MEASURES]
    if unknown:
        raise InputError(
            [f"--extra: unknown measure {name!r}; known: {', '.join(sorted(KNOWN_MEASURES))}" for name in unknown]
        )
    return names


def main(argv: list[str]) -> int:
    if argv and argv[0] == "verify":
        return verify_main(argv[1:])
    parser = argparse.ArgumentParser(prog="servicepact report", description="Measures and credits of one period.")
    parser.add_argument(
        "--contract",
        required=True,
        action="append",
        help="contract YAML file; once per version when tickets follow several",
    )
    parser.add_argument("--events", required=True, help="event log (JSON Lines), or - for standard input")
    parser.add_argument(
        "--period", required=True, help="ISO week like 2026-W10, month like 2026-03 or day like 2026-03-05"
    )
    parser.add_argument("--format", choices=("json", "text"), default="json")
    parser.add_argument("--review", action="store_true", help="add every review measure the contract does not name")
    parser.add_argument("--extra", help="comma-separated review measures to add (see docs/measures.md)")
    parser.add_argument("--scores", help="JSON object of satisfaction scores per ticket")
    parser.add_argument("--outages", help="outage log (JSON Lines) for availability measures, or - for standard input")
    args = parser.parse_args(argv)
    try:
        versions = load_versions(args.contract)
        period, contract = versions_period(versions, args.period)
        extra = review_measures(contract, args.review, args.extra)
        scores = load_scores(args.scores)
        _one_standard_input(args.events, args.outages)
        outages = load_outages(args.outages, versions, contract)
        events, pins = load_pinned_events(args.events, versions)
        report = build_report(
            contract,
            versions.digest_files,
            events,
            period,
            extra_measures=extra,
            scores=scores,
            digest_in_background=True,
            pins=pins,
            outages=outages,
        )
    except InputError as error:
        return _fail(error.lines)
    except (PeriodError, ReportError) as error:
        return _fail([str(error)])
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_report(report))
    return 0


def verify_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="servicepact report verify",
        description="Recompute a report from the contract and the events, and compare every field.",
    )
    parser.add_argument("report", help="the report JSON to check")
    parser.add_argument("--contract", required=True, action="append", help="once per version, as for the report")
    parser.add_argument("--events", required=True)
    parser.add_argument("--scores", help="the satisfaction scores the report was computed with, if any")
    parser.add_argument("--outages", help="the outage log the report was computed with, if any")
    args = parser.parse_args(argv)
    try:
        claimed = _read_report(args.report)
        versions = load_versions(args.contract)
        period, contract = versions_period(versions, str(claimed.get("period")))
        claimed_extra = claimed.get("extra_measures", [])
        if not isinstance(claimed_extra, list):
            raise InputError([f"{args.report}: 'extra_measures' must be a list of measures"])
        extra = [str(item.get("measure")) for item in claimed_extra if isinstance(item, dict)]
        extra = review_measures(contract, False, ",".join(extra))
        _one_standard_input(args.events, args.outages)
        outages = load_outages(args.outages, versions, contract)
        events, pins = load_pinned_events(args.events, versions)
        scores = load_scores(args.scores)
        recomputed = build_report(
            contract,
            versions.digest_files,
            events,
            period,
            extra_measures=extra,
            scores=scores,
            digest_in_background=True,
            pins=pins,
            outages=outages,
        )
    except InputError as error:
        return _fail(error.lines)
    except (PeriodError, ReportError) as error:
        return _fail([f"{args.report}: {error}"])
    differences = list(differences_between(claimed, recomputed))
    if not differences:
        print("MATCH")
        return 0
    print(f"DIFFERENT: {len(differences)} field(s) differ from the recomputed report")
    for difference in differences:
        print(f"  {difference}")
    return 1


def differences_between(claimed: Any, recomputed: Any, path: str = "") -> list[str]:
    """Every field path where the two JSON values differ, as ``path: report X, recomputed Y``."""
    if isinstance(claimed, dict) and isinstance(recomputed, dict):
        found = []
        for key in sorted(set(claimed) | set(recomputed), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in recomputed:
                found.append(f"{where}: in the report, absent from the recomputed one")
            elif key not in claimed:
                found.append(f"{where}: missing from the report, recomputed {_show(recomputed[key])}")
            else:
                found += differences_between(claimed[key], recomputed[key], where)
        return found
    if isinstance(claimed, list) and isinstance(recomputed, list) and len(claimed) == len(recomputed):
        found = []
        for index, (left, right) in enumerate(zip(claimed, recomputed)):
            found += differences_between(left, right, f"{path}[{index}]")
        return found
    if _same_json(claimed, recomputed):
        return []
    return [f"{path or '(report)'}: report {_show(claimed)}, recomputed {_show(recomputed)}"]


def _same_json(left: Any, right: Any) -> bool:
    # bool is an int in Python; true must not equal 1 in a report
    return (
        type(left) is type(right)
        and left == right
        or (
            isinstance(left, (int, float))
            and isinstance(right, (int, float))
            and not isinstance(left, bool)
            and not isinstance(right, bool)
            and left == right
        )
    )


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _read_report(path: str) -> dict[str, Any]:
    try:
        report = json.loads(_read_bytes(path, "report"))
    except (ValueError, RecursionError) as error:
        raise InputError([f"{path}: not a JSON report: {_json_problem(error)}"]) from None
    if not isinstance(report, dict) or "period" not in report:
        raise InputError([f"{path}: not a report (expected a JSON object with a 'period' key)"])
    if not _nests_within(report, MAX_JSON_DEPTH):
        raise InputError([f"{path}: not a report: it nests deeper than {MAX_JSON_DEPTH} levels"])
    return report


def _json_problem(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "it nests too deep"
    return str(error)


def _nests_within(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest at most ``limit`` levels (checked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return False
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


def _one_standard_input(events: str, outages: str | None) -> None:
    if events == "-" and outages == "-":
        raise InputError(["--outages: standard input already carries the events; give the outage log as a file"])


def _read_bytes(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError([f"cannot read {what} file {path!r}: {error.strerror}"]) from error


def _fail(lines: Sequence[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return 2
