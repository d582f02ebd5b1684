"""A monthly report from the live database, stored as the worker stores it, then its pages read back.

    .venv/bin/python bench/bench_report_live.py --data-dir bench/out/db-1000000 --month 2026-06
    .venv/bin/python bench/bench_report_live.py --database postgres://postgres@127.0.0.1:5432/scale_bench
    .venv/bin/python bench/bench_report_live.py --data-dir bench/out/db-100000 --only generate --profile 40

Each part runs in a child process of its own, so that its peak resident memory (max RSS, from
``os.wait4``) is its own:

- ``compute``: ``compute_report`` (read the period's events, evaluate, hash the stored canonical lines);
- ``generate``: ``generate_report``, what the worker does: the same, then store the report and its kept
  log, take the checkpoint signed with it, keep its analysis (a period already stored is deleted first
  through the write-once gate, with the checkpoints it took); its phases are timed apart. As on a running
  site, where the scheduler signs a checkpoint every day, the history is first signed once (untimed): the
  numbering ledger ``load_db.py`` does not write is filled, and a scheduled checkpoint of the loaded heads
  is taken without reading every chain back (the daily checkpoints would have read each event once, as it
  came). So the report's checkpoint extends a previous one, as it does in production;
  ``--no-prior-checkpoint`` leaves the history unsigned, and the report's checkpoint then reads and
  verifies every event of the database first (and is refused without a ledger);
- ``pages``: the report page, a measure's drill-down (first page, a later page, the hits), the CSV and
  (with ``--xlsx``) the XLSX download through Django's test client: p50 and p95 of ``--requests``.

Wall and CPU seconds are those of the timed part, after Django's start. ``--profile N`` prints the N
most expensive functions (cumulative) of ``generate_report`` under cProfile; ``--tracemalloc`` the lines
that held the most memory at its peak.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PARTS = ("compute", "generate", "pages")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="SERVICEPACT_DATA_DIR of a load_db.py database")
    parser.add_argument("--database", help="a PostgreSQL DATABASE_URL instead")
    parser.add_argument("--month", default="2026-06")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts (repeatable)")
    parser.add_argument(
        "--xlsx", action="store_true", help="time the XLSX download too (every ticket of every measure)"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile of generate_report: top N")
    parser.add_argument("--tracemalloc", action="store_true", help="the lines holding most memory at the peak")
    parser.add_argument(
        "--no-prior-checkpoint", action="store_true", help="leave the history unsigned before the report"
    )
    parser.add_argument("--part", choices=PARTS, help=argparse.SUPPRESS)  # a child's one part
    args = parser.parse_args(argv)
    if not args.data_dir and not args.database:
        parser.error("give --data-dir or --database")
    return args


def clock():
    return time.perf_counter(), time.process_time()


def since(began) -> tuple[float, float]:
    return time.perf_counter() - began[0], time.process_time() - began[1]


# --- a child: one part ------------------------------------------------------------------------------


def setup(args: argparse.Namespace) -> None:
    os.environ["SERVICEPACT_DATA_DIR"] = str((args.data_dir or BENCH / "out" / "pg").resolve())
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")
    import django

    django.setup()


def the_request(args: argparse.Namespace):
    from servicepact.contracts.models import Contract
    from servicepact.slm.models import ReportKind
    from servicepact.slm.reporting.generation import ReportRequest

    return ReportRequest(Contract.objects.get(slug="globex-ito"), ReportKind.MONTHLY, args.month)


def part_compute(args: argparse.Namespace) -> dict:
    from servicepact.slm.reporting.generation import compute_report

    request = the_request(args)
    began = clock()
    computed = compute_report(request)
    wall, cpu = since(began)
    return {
        "phases": [["compute_report", wall, cpu]],
        "tickets_in_log": len(computed.scoped_events),
        "events": sum(len(log) for log in computed.scoped_events.values()),
        "events_sha256": computed.report["digest"]["events_sha256"],
    }


def forget_stored(request) -> None:
    """Delete the period's stored report (and the checkpoints it took), so that it is generated again."""
    from django.db import connection, transaction

    from servicepact.evidence import guard
    from servicepact.evidence.models import Checkpoint, CheckpointGroup
    from servicepact.slm.models import StoredReport

    found = StoredReport.objects.filter(contract=request.contract, kind=request.kind, period_label=request.period_label)
    with guard.maintenance("benchmark: store the period again"), transaction.atomic():
        taken = Checkpoint.objects.filter(report__in=found)
        CheckpointGroup.objects.filter(checkpoint__in=taken)._raw_delete(connection.alias)
        taken._raw_delete(connection.alias)
        StoredReport.input_versions.through.objects.filter(storedreport__in=found)._raw_delete(connection.alias)
        found._raw_delete(connection.alias)


def sign_history_once() -> None:
    """What a running site has before its monthly report: a numbering ledger and a signed checkpoint of the
    heads (written once into the benchmark's database; untimed)."""
    from django.db import transaction

    from servicepact.desk.models import IssuedNumber, Ticket, TicketCounter
    from servicepact.desk.numbering import format_number
    from servicepact.evidence import actions as evidence
    from servicepact.evidence.models import Checkpoint, CheckpointReason

    for counter in TicketCounter.objects.filter(last__gt=0, last_hash=""):
        if IssuedNumber.objects.filter(kind=counter.kind).exists():
            continue
        created = dict(Ticket.objects.filter(kind=counter.kind).values_list("number", "created_at").iterator(5000))
        previous, batch = "", []
        with transaction.atomic():
            for value in range(1, counter.last + 1):
                number = format_number(counter.kind, value)
                entry = IssuedNumber(
                    kind=counter.kind, value=value, number=number, issued_at=created.get(number), prev_hash=previous
                )
                entry.hash = previous = entry.compute_hash()
                batch.append(entry)
                if len(batch) == 5000:
                    IssuedNumber.objects.bulk_create(batch)
                    batch = []
            IssuedNumber.objects.bulk_create(batch)
            TicketCounter.objects.filter(pk=counter.pk).update(last_hash=previous)
        print(f"bench_report_live: ledger of {counter.kind} written ({counter.last:,} numbers)", file=sys.stderr)
    if not Checkpoint.objects.exists():
        # the daily checkpoints read each chain as it grew; here the loaded heads are signed as they stand
        original, evidence._chain_problems = evidence._chain_problems, lambda to_read, signed: []
        try:
            evidence.take_checkpoint(reason=CheckpointReason.SCHEDULE)
        finally:
            evidence._chain_problems = original
        print("bench_report_live: the loaded history signed by a scheduled checkpoint", file=sys.stderr)


@contextmanager
def timed_phases(phases: list):
    """Time the parts of ``generate_report`` apart: each replaced by a timing wrapper while it runs."""
    from servicepact.slm.models import ReportLog
    from servicepact.slm.reporting import generation

    def wrap(owner, name, label):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            began = clock()
            try:
                return original(*args, **kwargs)
            finally:
                phases.append([label, *since(began)])

        setattr(owner, name, timed)
        return owner, name, original

    manager = type(ReportLog.objects)
    saved = [
        wrap(generation, "compute_report", "compute_report"),
        wrap(manager, "keep", "ReportLog.keep (a kept log: the period's events, then outages and scores)"),
        wrap(generation, "take_checkpoint_with_report", "checkpoint signed with the report"),
        wrap(generation, "report_stored", "webhook hook"),
        wrap(generation, "keep_analysis", "keep the analysis"),
    ]
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def part_generate(args: argparse.Namespace) -> dict:
    from servicepact.slm.reporting.generation import generate_report

    request = the_request(args)
    forget_stored(request)
    if not args.no_prior_checkpoint:
        sign_history_once()
    phases: list = []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start(8)
    began = clock()
    with timed_phases(phases):
        if profiler is not None:
            profiler.enable()
        report = generate_report(request)
        if profiler is not None:
            profiler.disable()
    phases.insert(0, ["generate_report (compute, store, keep the log and the analysis)", *since(began)])
    if profiler is not None:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue(), file=sys.stderr)
    if args.tracemalloc:
        import tracemalloc

        current, peak = tracemalloc.get_traced_memory()
        print(f"tracemalloc: peak {peak / 2**20:,.0f} MiB, now {current / 2**20:,.0f} MiB", file=sys.stderr)
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]:
            print(f"  {stat}", file=sys.stderr)
    return {"phases": phases, "report": report.pk, "events_sha256": report.events_sha256}


def part_pages(args: argparse.Namespace) -> dict:
    from django.test import Client
    from django.urls import reverse

    from servicepact.accounts.models import User
    from servicepact.slm.reporting.generation import current_report

    report = current_report(the_request(args))
    client = Client()
    client.force_login(User.objects.get(email="manager@globex.example"))
    drill = reverse("slm:report_drilldown", args=[report.pk, "resolution-compliance"])
    pages = {
        "report page": reverse("slm:report", args=[report.pk]),
        "drill-down (resolution compliance), page 1": drill,
        "drill-down, page 50": f"{drill}?page=50",
        "drill-down, hits, page 2": f"{drill}?shown=numerator&page=2",
        "CSV download": reverse("slm:report_csv", args=[report.pk]),
    }
    if args.xlsx:
        pages["XLSX download"] = reverse("slm:report_xlsx", args=[report.pk])
    timings = {}
    for name, url in pages.items():
        requests = args.requests if name != "XLSX download" else 1
        began = clock()
        first = client.get(url)
        cold = since(began)[0] * 1000
        assert first.status_code == 200, (url, first.status_code)
        times, cpu = [], []
        for _ in range(requests):
            began = clock()
            response = client.get(url)
            wall, used = since(began)
            times.append(wall * 1000)
            cpu.append(used * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        timings[name] = [cold, statistics.median(times), p95, statistics.median(cpu), len(first.content)]
    return {"pages": timings}


PART = {"compute": part_compute, "generate": part_generate, "pages": part_pages}


def run_part(args: argparse.Namespace) -> int:
    setup(args)
    from django.db import connection

    from servicepact.desk.models import Ticket

    figures = PART[args.part](args)
    figures["vendor"] = connection.vendor
    figures["tickets"] = Ticket.objects.count()
    print(json.dumps(figures))
    return 0


# --- the parent -------------------------------------------------------------------------------------


def child(args: argparse.Namespace, part: str, argv: list[str]) -> tuple[dict, float]:
    """Run ``part`` in a child process; its figures and its max RSS in MiB."""
    command = [sys.executable, str(Path(__file__).resolve()), *argv, "--part", part]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"bench_report_live: part {part} failed ({status})")
    return json.loads(output.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.part:
        return run_part(args)
    results = {}
    for part in args.only or PARTS:
        results[part] = child(args, part, argv)
        print(f"bench_report_live: {part} done", file=sys.stderr)
    any_figures = next(iter(results.values()))[0]
    log = results.get("compute", ({}, 0))[0]
    print(
        f"bench_report_live: {any_figures['vendor']}, {any_figures['tickets']:,} tickets; {args.month}"
        + (f": {log['tickets_in_log']:,} tickets and {log['events']:,} events in the period's log" if log else "")
        + f"; load average {os.getloadavg()[0]:.1f}"
    )
    if "compute" in results and "generate" in results:
        same = results["compute"][0]["events_sha256"] == results["generate"][0]["events_sha256"]
        print(f"events digest of compute_report and of the stored report equal: {same}")
    print("| phase | wall s | CPU s | max RSS of its process |\n| --- | ---: | ---: | ---: |")
    for part in ("compute", "generate"):
        if part not in results:
            continue
        figures, rss = results[part]
        for index, (name, wall, cpu) in enumerate(figures["phases"]):
            label = name if index == 0 else f"  of which: {name}"
            memory = f"{rss:,.0f} MiB" if index == 0 else ""
            print(f"| {label} | {wall:.1f} | {cpu:.1f} | {memory} |")
    if "pages" in results:
        figures, rss = results["pages"]
        print(
            f"| page ({args.requests} requests) | first ms | p50 ms | p95 ms | CPU ms p50 | size |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: |"
        )
        for name, (cold, p50, p95, cpu, size) in figures["pages"].items():
            print(f"| {name} | {cold:.1f} | {p50:.1f} | {p95:.1f} | {cpu:.1f} | {size / 1024:,.0f} KiB |")
        print(f"max RSS of the process serving the pages: {rss:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
