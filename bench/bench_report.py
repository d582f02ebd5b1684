"""Benchmark of service-level reporting: a monthly report and a six-month backtest over N tickets.

    .venv/bin/python bench/bench_report.py                 # 1,000,000 tickets
    .venv/bin/python bench/bench_report.py --tickets 50000
    .venv/bin/python bench/bench_report.py --events log.jsonl   # an existing log instead of a generated one

Prints the seconds of each phase (reading the log, the March report, the January-June backtest) and the
peak resident memory of the process. The generated log is a plausible mix against the reference
contract: every ticket is created, most get a reply, some are handed to a resolver team, some wait on the
customer, most are resolved and closed, a few are reopened, a few are still open.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servicepact.sla.backtest import run_backtest
from servicepact.sla.contract import load_contract
from servicepact.sla.digest import digest_lines
from servicepact.sla.events import canonical_event_lines, parse_event_log
from servicepact.sla.periods import month_range, parse_period
from servicepact.sla.report import build_report
from servicepact.sla.timefmt import format_instant, parse_instant

BENCH = Path(__file__).resolve().parent
CONTRACT_PATH = BENCH.parent / "src/servicepact/contracts/examples/globex-ito.yaml"
SHARED_GENERATOR = BENCH / "gen_events.py"
FIRST_INSTANT = parse_instant("2026-01-01T00:00:00Z")
SPAN_S = 181 * 86400  # January to June
PRIORITY_WEIGHTS = {"P1": 2, "P2": 10, "P3": 48, "P4": 40}
SERVICES = ["sap-erp", "sso", "mes-asia", "hr-portal"]
TEAMS = ["app-support-cn", "app-support-in", "security", "hw-vendor", "erp"]


def write_log(path: Path, tickets: int, generator: str) -> str:
    """Writes a log of ``tickets`` tickets created from January to June 2026; returns the generator used.

    ``shared`` runs the project's bench/gen_events.py (which holds the whole log in memory, so it is
    for smaller runs); ``own`` is the streaming-friendly generator below."""
    if generator == "shared" and SHARED_GENERATOR.exists():
        with path.open("wb") as out:
            subprocess.run(
                [sys.executable, str(SHARED_GENERATOR), str(tickets), "--start", "2026-01-01", "--days", "181"],
                stdout=out,
                check=True,
            )
        return SHARED_GENERATOR.name
    write_own_log(path, tickets)
    return "bench_report.py"


def write_own_log(path: Path, tickets: int, seed: int = 2026) -> None:
    """Writes ``tickets`` tickets' events, in time order across tickets, as JSON Lines."""
    rng = random.Random(seed)
    priorities, weights = list(PRIORITY_WEIGHTS), list(PRIORITY_WEIGHTS.values())
    records: list[tuple[int, int, str]] = []
    sequence = 0
    for number in range(tickets):
        ticket = f"INC{number:07d}"
        at = FIRST_INSTANT + rng.randrange(SPAN_S)
        created = {
            "ticket": ticket,
            "type": "created",
            "priority": rng.choices(priorities, weights)[0],
            "service": rng.choice(SERVICES),
            "team": "service-desk",
        }
        if rng.random() < 0.1:
            created["category"] = "hardware-onsite"
        steps: list[tuple[int, dict]] = [(at, created)]
        if rng.random() < 0.95:
            at += rng.randrange(60, 6 * 3600)
            steps.append((at, {"type": "responded"}))
        if rng.random() < 0.4:
            at += rng.randrange(60, 3600)
            steps.append((at, {"type": "assigned", "team": rng.choice(TEAMS)}))
        at += rng.randrange(60, 3600)
        steps.append((at, {"type": "status", "status": "in_progress"}))
        if rng.random() < 0.2:
            at += rng.randrange(600, 86400)
            steps.append((at, {"type": "status", "status": "pending_customer"}))
            at += rng.randrange(600, 3 * 86400)
            steps.append((at, {"type": "status", "status": "in_progress"}))
        if rng.random() < 0.97:
            at += rng.randrange(600, 4 * 86400)
            steps.append((at, {"type": "status", "status": "resolved"}))
            if rng.random() < 0.05:
                at += rng.randrange(600, 86400)
                steps.append((at, {"type": "status", "status": "in_progress"}))
                at += rng.randrange(600, 86400)
                steps.append((at, {"type": "status", "status": "resolved"}))
            at += rng.randrange(86400, 5 * 86400)
            steps.append((at, {"type": "status", "status": "closed"}))
        for instant, event in steps:
            line = json.dumps({"ticket": ticket, "at": format_instant(instant), **event}, separators=(",", ":"))
            records.append((instant, sequence, line))
            sequence += 1
    records.sort()
    with path.open("w", encoding="utf-8") as log:
        for _, _, line in records:
            log.write(line + "\n")


class Stopwatch:
    """Wall-clock and CPU seconds of a phase (CPU of this process and of the children it waited for); on
    a shared machine the CPU figure is the steadier one."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = self._cpu()

    @staticmethod
    def _cpu() -> float:
        times = os.times()
        return times.user + times.system + times.children_user + times.children_system

    def __str__(self) -> str:
        return f"{time.perf_counter() - self.wall:.1f} s wall, {self._cpu() - self.cpu:.1f} s CPU"


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--events", type=Path, help="use this event log instead of generating one")
    parser.add_argument("--skip-backtest", action="store_true")
    parser.add_argument(
        "--generator", choices=("own", "shared"), default="own", help="own (default) or bench/gen_events.py"
    )
    args = parser.parse_args(argv)

    contract_bytes = CONTRACT_PATH.read_bytes()
    contract = load_contract(contract_bytes, str(CONTRACT_PATH))
    with tempfile.TemporaryDirectory() as scratch:
        log_path = args.events
        if log_path is None:
            log_path = Path(scratch) / "events.jsonl"
            started = time.perf_counter()
            generator = write_log(log_path, args.tickets, args.generator)
            print(
                f"generate {args.tickets:,} tickets with {generator}: {time.perf_counter() - started:.1f} s (not counted)"
            )

        watch = Stopwatch()
        with log_path.open("rb") as lines:
            events = parse_event_log(lines, contract, str(log_path))
        event_count = sum(len(ticket_events) for ticket_events in events.values())
        print(f"read {len(events):,} tickets, {event_count:,} events: {watch}")

        march = parse_period("2026-03", contract.reporting_timezone)
        watch = Stopwatch()
        report = build_report(contract, contract_bytes, events, march, digest_in_background=True)
        summary = ", ".join(f"{m['id']}={m['value']} ({m['denominator']})" for m in report["measures"])
        print(f"monthly report 2026-03, digest in a second process (as the command runs it): {watch}")
        print(f"  [{summary}; open {report['open']}]")

        watch = Stopwatch()
        build_report(contract, contract_bytes, events, march)
        print(f"monthly report 2026-03 in one process: {watch}")

        watch = Stopwatch()
        digest_lines(contract_bytes, canonical_event_lines(events))
        print(f"  the digest of the whole log alone (part of the reports above): {watch}")

        if not args.skip_backtest:
            months = month_range("2026-01", "2026-06", contract.reporting_timezone)
            watch = Stopwatch()
            draft_bytes = contract_bytes.replace(b"version: 1", b"version: 2").replace(
                b"P3: {within: 24h, calendar: service}", b"P3: {within: 30h, calendar: service}"
            )
            draft = load_contract(draft_bytes, "draft.yaml")
            result = run_backtest(draft, draft_bytes, contract, contract_bytes, events, months)
            print(
                f"backtest 2026-01..2026-06 (two contracts): {watch}  [flips to met {result['totals']['flips_to_met']:,}]"
            )
    print(f"peak memory: {peak_memory_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
