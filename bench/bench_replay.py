"""Benchmark of ``servicepact sla replay``: event log file in, JSON Lines out, on the reference contract.

    .venv/bin/python bench/bench_replay.py [--tickets 100000] [--runs 3] [--btd-tickets 2000] [--events FILE]

Measures, each as the median of --runs runs. Times are CPU seconds (of this process, or of the
command's process), because the machine is shared and wall time mostly measures the neighbours; wall
time is printed beside them.
- in process: read the file, parse and validate the log, evaluate every clock, write the JSON Lines
  (to memory), as the command does it; tickets per second and peak memory (tracemalloc, one extra run);
- through the command line (``servicepact sla replay ... > /dev/null``): tickets per second including
  interpreter start-up and the contract load, the child's peak resident memory, and the start-up alone
  (the same command on an empty log);
- the event-by-event path (``parse_event_log`` + ``clocks.replay``, which reports use), one run, and
  whether its output equals the batch path's byte for byte;
- the same in-process replay with businesstimedelta as the calendar engine (bench/btd_calendar.py) on
  the first --btd-tickets tickets (it is too slow for all of them), beside the kernel on the same
  tickets, with the ratio and the number of output lines on which the two disagree.
The log comes from bench/gen_events.py (fixed seed) unless --events names one.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from btd_calendar import BtdContract

from servicepact.sla.clock_batch_log import read_log_columns
from servicepact.sla.commands.replay import replay_log, write_replay
from servicepact.sla.contract import load_contract_file
from servicepact.sla.events import parse_event_log
from servicepact.sla.timefmt import parse_instant

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "src" / "servicepact" / "contracts" / "examples" / "globex-ito.yaml"
AT = "2027-01-01T00:00:00Z"
SERVICEPACT = Path(sys.executable).parent / "servicepact"


def replay_file(contract, path: Path, at: int) -> bytes:
    """File to output, as the command does it (the batch path where it applies), except that the
    output goes to memory."""
    out = io.BytesIO()
    replay_log(contract, path.read_bytes(), str(path), at, out)
    return out.getvalue()


def replay_file_event_by_event(contract, path: Path, at: int) -> bytes:
    """The same through the event-by-event path (one Event object per line, one ticket at a time),
    which reports use and which the batch path must equal byte for byte."""
    events = parse_event_log(path.read_bytes().split(b"\n"), contract, str(path))
    out = io.BytesIO()
    write_replay(contract, events, at, out)
    return out.getvalue()


def count_tickets(contract, data: bytes) -> int:
    columns = read_log_columns(data, contract)
    return len(columns.tickets) if columns is not None else len(parse_event_log(data.split(b"\n"), contract, "log"))


def timed(function, runs: int) -> tuple[float, float, object]:
    """(median CPU seconds, median wall seconds, last result): the machine is shared, so CPU time of
    this process is the figure that measures the code; wall time is shown beside it."""
    cpu_times, wall_times = [], []
    result = None
    for _ in range(runs):
        wall_started, cpu_started = time.perf_counter(), time.process_time()
        result = function()
        cpu_times.append(time.process_time() - cpu_started)
        wall_times.append(time.perf_counter() - wall_started)
    return statistics.median(cpu_times), statistics.median(wall_times), result


# Runs a command from a small fresh interpreter and prints its CPU seconds, wall seconds and peak
# resident KiB. Spawned straight from this large process, the child would count this process's pages
# in its peak (fork copies them; vfork-style spawning runs in them until exec).
_MEASURE_CHILD = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_pid, status, usage = os.wait4(pid, 0)
print(usage.ru_utime + usage.ru_stime, time.perf_counter() - started, usage.ru_maxrss, status)
"""


def run_child(command: list[str]) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak resident MiB) of one run of ``command``, its output discarded."""
    report = subprocess.run(
        [sys.executable, "-c", _MEASURE_CHILD, *command], capture_output=True, text=True, check=True
    )
    cpu, wall, peak_kib, status = report.stdout.split()
    if status != "0":
        raise SystemExit(f"{' '.join(command)} failed with status {status}")
    return float(cpu), float(wall), int(peak_kib) / 1024


def first_tickets(data: bytes, count: int) -> bytes:
    """The lines of the first ``count`` tickets (by number) of a generated log."""
    keep = {f"GLX-{number:07d}".encode() for number in range(1, count + 1)}
    return b"\n".join(line for line in data.split(b"\n") if line[11:22] in keep) + b"\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--btd-tickets", type=int, default=2000)
    parser.add_argument("--events", type=Path)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        events_path = args.events
        if events_path is None:
            events_path = Path(scratch) / "events.jsonl"
            # generated in a child process, so that this process's peak memory is the replay's
            with events_path.open("wb") as out:
                subprocess.run(
                    [sys.executable, str(Path(__file__).parent / "gen_events.py"), str(args.tickets)],
                    stdout=out,
                    check=True,
                )
        data = events_path.read_bytes()
        contract = load_contract_file(CONTRACT)
        at = parse_instant(AT)
        lines = data.count(b"\n")

        tickets = count_tickets(contract, data)

        replay_file(contract, events_path, at)  # warm-up: calendar tables, instant caches
        seconds, wall, output = timed(lambda: replay_file(contract, events_path, at), args.runs)
        clock_lines = output.count(b"\n")
        print(
            f"log: {tickets} tickets, {lines} events, {len(data) / 1e6:.1f} MB; replay at {AT}: {clock_lines} clock lines"
        )
        print(
            f"in process : {seconds:7.3f} s CPU {tickets / seconds:10,.0f} tickets/s   ({wall:.3f} s wall; median of {args.runs})"
        )

        tracemalloc.start()
        replay_file(contract, events_path, at)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"             peak Python allocations {peak / 2**20:,.0f} MiB (tracemalloc, numpy's included)")

        command = [
            str(SERVICEPACT),
            "sla",
            "replay",
            "--contract",
            str(CONTRACT),
            "--events",
            str(events_path),
            "--at",
            AT,
        ]
        runs = [run_child(command) for _ in range(args.runs)]
        cli_seconds = statistics.median(run[0] for run in runs)
        cli_wall = statistics.median(run[1] for run in runs)
        child_rss = max(run[2] for run in runs)
        print(
            f"command    : {cli_seconds:7.3f} s CPU {tickets / cli_seconds:10,.0f} tickets/s   ({cli_wall:.3f} s wall; "
            f"median of {args.runs}; max RSS {child_rss:,.0f} MiB)"
        )
        startup = [run_child([*command[:5], "--events", os.devnull, "--at", AT]) for _ in range(args.runs)]
        print(
            f"             of which start-up (interpreter, imports, contract load; an empty log): "
            f"{statistics.median(run[0] for run in startup):.3f} s CPU"
        )

        slow_s, slow_wall, slow_output = timed(lambda: replay_file_event_by_event(contract, events_path, at), 1)
        print(
            f"event by event path: {slow_s:7.3f} s CPU {tickets / slow_s:10,.0f} tickets/s   ({slow_wall:.3f} s wall; one run); "
            f"same output: {slow_output == output}"
        )

        subset = Path(scratch) / "subset.jsonl"
        subset.write_bytes(first_tickets(data, args.btd_tickets))
        subset_tickets = count_tickets(contract, subset.read_bytes())
        kernel_s, _wall, kernel_out = timed(lambda: replay_file(contract, subset, at), args.runs)
        btd_contract = BtdContract(contract)
        btd_s, _wall, btd_out = timed(lambda: replay_file(btd_contract, subset, at), 1)
        differing = sum(a != b for a, b in zip(kernel_out.split(b"\n"), btd_out.split(b"\n")))
        print(f"first {subset_tickets} tickets, kernel calendars       : {subset_tickets / kernel_s:10,.0f} tickets/s")
        print(
            f"first {subset_tickets} tickets, businesstimedelta      : {subset_tickets / btd_s:10,.0f} tickets/s  (one run)"
        )
        print(f"kernel / businesstimedelta: {btd_s / kernel_s:,.1f}x; clock lines that differ: {differing}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
