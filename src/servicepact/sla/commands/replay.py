"""``servicepact sla replay``: every clock of every ticket at an instant, as JSON Lines (SLA-SPEC section 4).

    servicepact sla replay --contract FILE [--contract FILE ...] --events FILE|- [--at TIME]

With ``--contract`` once per version, each ticket's clocks follow the version in force at its creation.

Exit 0 with one line per ticket and clock on standard output. Exit 2 on bad input, with nothing on
standard output: the contract's diagnostics as ``FILE:LINE:COL: message``, every bad event line as
``EVENTS:LINE: message``, or a message naming a bad ``--at``.
"""

import argparse
import sys
import time
from itertools import islice
from typing import BinaryIO

import orjson

from servicepact.sla.calendar import DeadlineBeyondCalendar
from servicepact.sla.clock_batch import batch_covers, replay_lines
from servicepact.sla.clock_batch_log import LogColumns, read_log_columns
from servicepact.sla.clock_rules import ContractClocks
from servicepact.sla.clocks import contract_clocks, replay
from servicepact.sla.contract import ContractError, load_contract
from servicepact.sla.events import EventLogError, parse_event_log
from servicepact.sla.timefmt import InstantError, parse_instant
from servicepact.sla.versions import ContractVersions, VersionError

EXIT_BAD_INPUT = 2
# Output is written in chunks of this many lines: fewer system calls, bounded memory.
_CHUNK_LINES = 4096


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit; we report and exit 2 ourselves
        raise _UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="servicepact sla", description="Clocks of an event log under a contract.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("replay", help="every clock of every ticket at an instant, as JSON Lines")
    run.add_argument(
        "--contract",
        required=True,
        action="append",
        metavar="FILE",
        help="the contract (YAML); once per version when the tickets follow several",
    )
    run.add_argument("--events", required=True, metavar="FILE", help="the event log (JSON Lines); - for stdin")
    run.add_argument("--at", metavar="TIME", help="the instant, RFC 3339 with offset (default: now)")
    return parser


def _read(path: str, what: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as source:
            return source.read()
    except OSError as problem:
        raise _UsageError(f"cannot read {what} file {path!r}: {problem.strerror}") from problem


def _evaluation_instant(text: str | None) -> int:
    if text is None:
        return int(time.time())
    try:
        return parse_instant(text)
    except InstantError as problem:
        raise _UsageError(f"--at: {problem}") from problem


def write_replay(contract, events_by_ticket, at: int, out: BinaryIO, pins=None) -> int:
    """Writes the replay's JSON Lines to ``out``; returns the number of lines."""
    lines: list[bytes] = []
    count = 0
    dumps = orjson.dumps
    for state in replay(contract, events_by_ticket, at, pins):
        lines.append(dumps(state.spec_dict()))
        if len(lines) == _CHUNK_LINES:
            out.write(b"\n".join(lines) + b"\n")
            count += len(lines)
            lines.clear()
    if lines:
        out.write(b"\n".join(lines) + b"\n")
        count += len(lines)
    return count


def write_batch_replay(plan: ContractClocks, columns: LogColumns, at: int, out: BinaryIO) -> int:
    """``write_replay`` for a log read into columns; the same bytes (see clock_batch.py)."""
    return _write_lines(replay_lines(plan, columns, at), out)


def _write_lines(lines, out: BinaryIO) -> int:
    count = 0
    while chunk := list(islice(lines, _CHUNK_LINES)):
        out.write(b"\n".join(chunk) + b"\n")
        count += len(chunk)
    return count


def replay_log(contract, log: bytes, source: str, at: int, out: BinaryIO) -> int:
    """Replays a whole event log file (its bytes) into ``out``; returns the number of lines.

    Raises EventLogError, having written nothing, when the log has bad lines. The batch path reads and
    computes whole columns at once; it declines contracts whose clocks it does not cover and logs it
    cannot vouch for, which the event-by-event path then reads (and words the problems of).
    """
    plan = contract_clocks(contract)
    columns = read_log_columns(log, contract) if batch_covers(plan) else None
    if columns is not None:
        try:
            lines = replay_lines(plan, columns, at)  # computes every column before the first line
        except DeadlineBeyondCalendar:
            lines = None  # a deadline past the calendar's last year: the event path writes it as null
        if lines is not None:
            return _write_lines(lines, out)
    events_by_ticket = parse_event_log(log.split(b"\n"), contract, source)
    return write_replay(contract, events_by_ticket, at, out)


def replay_versions(versions: ContractVersions, log: bytes, source: str, at: int, out: BinaryIO) -> int:
    """``replay_log`` for several versions of a contract: each ticket under the version it is pinned to
    (SLA-SPEC section 5); raises EventLogError, having written nothing, for a ticket no version holds."""
    if versions.single:
        return replay_log(versions.latest, log, source, at, out)
    events_by_ticket = parse_event_log(log.split(b"\n"), versions.vocabulary, source)
    pins = versions.pin(events_by_ticket, source)
    return write_replay(versions.latest, events_by_ticket, at, out, pins)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
        at = _evaluation_instant(args.at)
        contracts = [load_contract(_read(path, "contract"), path) for path in args.contract]
        try:
            versions = ContractVersions.of(contracts)
        except VersionError as problem:
            raise _UsageError(f"--contract: {problem}") from problem
        replay_versions(versions, _read(args.events, "events"), args.events, at, sys.stdout.buffer)
    except _UsageError as problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except ContractError as problem:
        for diagnostic in problem.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_BAD_INPUT
    except EventLogError as problem:
        sys.stderr.write("".join(message + "\n" for message in problem.messages))
        return EXIT_BAD_INPUT
    sys.stdout.flush()
    return 0
