"""Benchmark of reporting from the live database: a monthly report and a six-month backtest, beside the
same report from a file.

    .venv/bin/python bench/bench_report_db.py                     # 200,000 tickets (loads bench/out/db-200000 first)
    .venv/bin/python bench/bench_report_db.py --tickets 1000000 --runs 1   # the full size (loading takes half an hour)
    .venv/bin/python bench/bench_report_db.py --data-dir bench/out/small --month 2026-03

The database is bench/load_db.py's (loaded first when missing): the demonstration's contract and N tickets
created from January to June 2026. Each measured path runs in a child process of its own, so that its
peak resident memory (max RSS, from ``os.wait4``) is its own; the figures are the median of ``--runs``
runs of the timed part inside the child (wall and CPU seconds; the machine is shared, CPU is the steadier
figure), and the child's max RSS. The paths:

- database, monthly report: ``slm.reporting.generation.compute_report``, what ``generate_report``
  stores, without storing it (the period's events read from the database, the kernel's report);
- database, backtest (one run): ``slm.reporting.backtesting.run_draft_backtest`` of a draft (P3
  resolution 24 h -> 30 h) against the signed version, January to June, on the contract's whole history;
- file, export: the period's log written to a file (``period_log_lines``, the report page's input download);
- file, monthly report: ``servicepact report --contract C --events FILE --period M`` on that file, the
  kernel's command (its whole process: interpreter start, parsing, report, digest in a second process).

The report from the database and the one from the file must agree to the last digit: the script checks
that both report objects (digest included) are equal.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DRAFT_CHANGE = (b"P3: {within: 24h, calendar: service}", b"P3: {within: 30h, calendar: service}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000, help="size of the database to use or load")
    parser.add_argument("--data-dir", type=Path, help="an existing load_db.py database (default bench/out/db-N)")
    parser.add_argument(
        "--month",
        default="2026-06",
        help="the monthly report's month (default %(default)s, "
        "the last month of the history: its log holds every ticket)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per path; the median is printed")
    parser.add_argument("--skip-backtest", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)  # a child's one measured path
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs {args.runs}: give at least 1")
    return args


# --- the child: one path, timed ---------------------------------------------------------------------


def run_phase(args: argparse.Namespace) -> int:
    os.environ["SERVICEPACT_DATA_DIR"] = str(args.data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")
    import django

    django.setup()
    from servicepact.contracts.models import Contract

    contract = Contract.objects.get(slug="globex-ito")
    phase = PHASES[args.phase]
    wall, cpu = time.perf_counter(), time.process_time()
    summary = phase(contract, args)
    figures = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, **summary}
    print(json.dumps(figures))
    return 0


def db_report(contract, args: argparse.Namespace) -> dict:
    from servicepact.slm.reporting.generation import ReportRequest, compute_report

    computed = compute_report(ReportRequest(contract, "monthly", args.month))
    if args.out is not None:
        args.out.write_text(computed.body)
    return {
        "tickets": len(computed.inputs.events),
        "events": sum(map(len, computed.inputs.events.values())),
        "summary": measures_line(computed.report),
    }


def db_backtest(contract, args: argparse.Namespace) -> dict:
    from servicepact.contracts.actions import version_in_force
    from servicepact.slm.reporting.backtesting import run_draft_backtest

    signed = version_in_force(contract, time_of_month_end(args.month)).source
    draft = signed.replace("version: 1", "version: 2").replace(*(part.decode() for part in DRAFT_CHANGE))
    outcome = run_draft_backtest(contract, draft, "2026-01", "2026-06")
    if outcome.problems:
        raise SystemExit("\n".join(outcome.problems))
    totals = outcome.result["totals"]
    return {"summary": f"flips to met {totals['flips_to_met']:,}, to breached {totals['flips_to_breached']:,}"}


def file_export(contract, args: argparse.Namespace) -> dict:
    from servicepact.slm.reporting.periods import period_for
    from servicepact.slm.reporting.sources import period_log_lines

    period = period_for("monthly", args.month, "Europe/Berlin")
    lines = 0
    with args.out.open("wb") as log:
        for line in period_log_lines(contract, period):
            log.write(line)
            lines += 1
    contract_path = args.out.with_suffix(".yaml")
    contract_path.write_text(contract.versions.get(number=1).source)
    return {"lines": lines, "bytes": args.out.stat().st_size}


def time_of_month_end(month: str):
    import datetime

    year, number = map(int, month.split("-"))
    return datetime.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=datetime.UTC) - datetime.timedelta(days=1)


def measures_line(report: dict) -> str:
    return (
        ", ".join(f"{m['id']}={m['value']} ({m['denominator']})" for m in report["measures"])
        + f"; open {report['open']}"
    )


PHASES = {"db-report": db_report, "db-backtest": db_backtest, "file-export": file_export}


# --- the parent: children run and measured ------------------------------------------------------------


def child(command: list[str]) -> tuple[bytes, float, float, float]:
    """Runs ``command``; (its standard output, wall s, CPU s, max RSS MiB)."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return output, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(label: str, command: list[str], runs: int, *, whole_process: bool = False) -> dict:
    """Median wall/CPU of ``runs`` runs (of the timed part, or of the whole process) and the largest RSS;
    ``output`` is the last run's standard output."""
    walls, cpus, rss, figures = [], [], [], {}
    for _ in range(runs):
        output, wall, cpu, peak = child(command)
        figures = None if whole_process else json.loads(output.decode().strip().splitlines()[-1])
        if figures is None:
            walls.append(wall)
            cpus.append(cpu)
        else:
            walls.append(figures["wall"])
            cpus.append(figures["cpu"])
        rss.append(peak)
    result = {
        "label": label,
        "wall": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "rss": max(rss),
        "output": output,
        **(figures or {}),
    }
    extra = f"  [{result['summary']}]" if "summary" in result else ""
    print(
        f"{label:<44} {result['wall']:7.1f} s wall {result['cpu']:7.1f} s CPU {result['rss']:7,.0f} MiB max RSS{extra}",
        flush=True,
    )
    return result


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.phase:
        return run_phase(args)
    data_dir = (args.data_dir or BENCH / "out" / f"db-{args.tickets}").resolve()
    if not (data_dir / "servicepact.sqlite3").exists():
        subprocess.run(
            [sys.executable, str(BENCH / "load_db.py"), "--tickets", str(args.tickets), "--data-dir", str(data_dir)],
            check=True,
        )
    this = [sys.executable, str(Path(__file__).resolve()), "--data-dir", str(data_dir), "--month", args.month]
    print(
        f"database {data_dir} ({(data_dir / 'servicepact.sqlite3').stat().st_size / 2**20:,.0f} MiB), "
        f"monthly report {args.month}, median of {args.runs} run(s)",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as scratch:
        db_body, log = Path(scratch) / "db-report.json", Path(scratch) / "period.jsonl"
        report = measure(
            "database: monthly report (compute_report)",
            [*this, "--phase", "db-report", "--out", str(db_body)],
            args.runs,
        )
        print(f"  {report['tickets']:,} tickets, {report['events']:,} events before the month's end")
        exported = measure("file: export of the period's log", [*this, "--phase", "file-export", "--out", str(log)], 1)
        print(f"  {exported['lines']:,} lines, {exported['bytes'] / 2**20:,.0f} MiB")
        command = [
            sys.executable,
            "-m",
            "servicepact",
            "report",
            "--contract",
            str(log.with_suffix(".yaml")),
            "--events",
            str(log),
            "--period",
            args.month,
            "--format",
            "json",
        ]
        from_file = measure("file: monthly report (servicepact report)", command, args.runs, whole_process=True)
        same = json.loads(db_body.read_text()) == json.loads(from_file["output"])
        print(f"  the two reports are {'the same, digest included' if same else 'DIFFERENT'}")
        print(
            f"database / file report: {report['cpu'] / from_file['cpu']:.2f}x CPU, {report['wall'] / from_file['wall']:.2f}x wall;"
            f" database / (export + file report): {report['cpu'] / (exported['cpu'] + from_file['cpu']):.2f}x CPU"
        )
        if not args.skip_backtest:
            # Once: it costs about three monthly reports, and its figure moves less than theirs.
            measure("database: backtest 2026-01..2026-06 (run_draft_backtest)", [*this, "--phase", "db-backtest"], 1)
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB max RSS)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
