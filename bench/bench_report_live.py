"""A monthly report from the live database, stored as the worker stores it, then its pages read back.

    .venv/bin/python bench/bench_report_live.py --data-dir bench/out/db-1000000 --month 2026-06
    .venv/bin/python bench/bench_report_live.py --database postgres://postgres@127.0.0.1:5432/scale_bench

Phases (wall and CPU seconds of this process): ``compute_report`` (read the period's events, evaluate,
hash the stored canonical lines), ``generate_report`` (the same, then store the report, its kept log and
its kept analysis: what the worker does; a period already stored is deleted first through the write-once
gate), then the report page, a measure's drill-down and the CSV download through Django's test client
(p50 and p95 of ``--requests``), and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="SERVICEPACT_DATA_DIR of a load_db.py database")
    parser.add_argument("--database", help="a PostgreSQL DATABASE_URL instead")
    parser.add_argument("--month", default="2026-06")
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)
    if not args.data_dir and not args.database:
        parser.error("give --data-dir or --database")
    return args


def clock():
    return time.perf_counter(), time.process_time()


def since(began) -> tuple[float, float]:
    return time.perf_counter() - began[0], time.process_time() - began[1]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ["SERVICEPACT_DATA_DIR"] = str((args.data_dir or BENCH / "out" / "pg").resolve())
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from servicepact.accounts.models import User
    from servicepact.contracts.models import Contract
    from servicepact.desk.models import Ticket
    from servicepact.evidence import guard
    from servicepact.slm.models import ReportKind, StoredReport
    from servicepact.slm.reporting.generation import ReportRequest, compute_report, generate_report

    contract = Contract.objects.get(slug="globex-ito")
    request = ReportRequest(contract, ReportKind.MONTHLY, args.month)
    rows = []
    began = clock()
    computed = compute_report(request)
    rows.append(("compute_report", *since(began)))
    events = sum(len(log) for log in computed.scoped_events.values())
    tickets_in_log = len(computed.scoped_events)
    del computed
    with guard.maintenance("benchmark: store the period again"):
        StoredReport.objects.filter(contract=contract, kind=ReportKind.MONTHLY, period_label=args.month)._raw_delete(
            connection.alias
        )
    began = clock()
    report = generate_report(request)
    rows.append(("generate_report (compute, store, keep the log and the analysis)", *since(began)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    client = Client()
    client.force_login(User.objects.get(email="manager@globex.example"))
    pages = {
        "report page": reverse("slm:report", args=[report.pk]),
        "drill-down (resolution compliance)": reverse(
            "slm:report_drilldown", args=[report.pk, "resolution-compliance"]
        ),
        "CSV download": reverse("slm:report_csv", args=[report.pk]),
    }
    timings = {}
    for name, url in pages.items():
        client.get(url)
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings[name] = sorted(times)
    print(
        f"bench_report_live: {connection.vendor}, {Ticket.objects.count():,} tickets; {args.month}: "
        f"{tickets_in_log:,} tickets and {events:,} events in the period's log; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print("| phase | wall s | CPU s |\n| --- | ---: | ---: |")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.1f} | {cpu:.1f} |")
    print(f"peak RSS of the process while generating: {peak:,.0f} MiB")
    print("| page | p50 ms | p95 ms |\n| --- | ---: | ---: |")
    for name, times in timings.items():
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
