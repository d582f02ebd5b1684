"""Benchmark of ``servicepact import``: the public ServiceNow export and a synthetic one of 1,000,000 incidents,
beside plain readers and writers of the same file.

    .venv/bin/python bench/bench_import.py                           # 1,000,000 incidents (about half an hour)
    .venv/bin/python bench/bench_import.py --incidents 50000 --runs 3
    .venv/bin/python bench/bench_import.py --skip-peers --skip-public

The synthetic export is bench/gen_servicenow.py's (ServiceNow's incident audit layout, about 5.6 rows an
incident), written once to bench/out/servicenow-N.csv. Each import runs in a child process of its own on
a fresh SQLite database (bench/out/import-*, removed afterwards) holding the tests' world and a contract
whose version is in force from 2016; the child reports the wall and CPU seconds of the dry run (the whole
file read and converted, nothing written) and of the import (the same check, then the writing), and the
parent its max RSS (``os.wait4``). Figures are the median of ``--runs`` runs (the machine is shared: CPU
time is the figure that describes the code). Beside them, in the same run, on the same file:

- csv module: every row read with Python's ``csv.reader`` (the floor of reading the rows in Python);
- pandas: ``read_csv`` of the columns the import reads, in chunks of 500,000 rows (a C reader);
- SQLite: every row written as it is into one table with ``executemany``, one transaction (the floor of
  storing the rows, without a ticket, an event, a hash or a clock).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PUBLIC = ROOT.parent / "shared" / "data" / "servicenow-incident-event-log.zip"
MAPPING = ROOT / "src" / "servicepact" / "imports" / "examples" / "servicenow-incident-audit.yaml"
READ_COLUMNS = [
    "number",
    "ident_state",
    "sys_mod_count",
    "opened_at",
    "sys_updated_at",
    "impact",
    "urgency",
    "priority",
    "assignment_group",
    "assigned_to",
    "caller_id",
    "category",
    "made_sla",
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000, help="size of the synthetic export")
    parser.add_argument("--runs", type=int, default=1, help="runs of the synthetic import; the median is printed")
    parser.add_argument("--public-runs", type=int, default=3, help="runs of the public export's import")
    parser.add_argument("--skip-public", action="store_true")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # a child: import this file
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1 or args.public_runs < 1:
        parser.error("give at least one run")
    return args


# --- the child: one import into a fresh database ----------------------------------------------------------


def run_child(export: Path, data_dir: Path) -> int:
    os.environ["SERVICEPACT_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # a throw-away database: no need to survive a power cut
        cursor.execute("PRAGMA synchronous=OFF")
    sys.path.insert(0, str(ROOT / "src"))
    from servicepact.imports.actions import check_import, import_history
    from servicepact.imports.mapping import load_mapping
    from servicepact.imports.tests.conftest import history_contract_for
    from servicepact.testing.fixtures import build_world

    world = build_world()
    contract = history_contract_for(world)
    importer = world.people["administrator"]
    mapping = load_mapping(MAPPING.read_bytes(), MAPPING.name)
    wall, cpu = time.perf_counter(), time.process_time()
    report = check_import(actor=importer, contract=contract, path=export, mapping=mapping)
    checked = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    if not report.ok:
        raise SystemExit(json.dumps(report.as_json())[:2000])
    wall, cpu = time.perf_counter(), time.process_time()
    run = import_history(actor=importer, contract=contract, path=export, mapping=mapping)
    imported = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    print(
        json.dumps(
            {"check": checked, "import": imported, "rows": report.rows, "tickets": run.imported, "events": run.events}
        )
    )
    return 0


# --- the parent ----------------------------------------------------------------------------------------------


def import_runs(export: Path, runs: int, label: str) -> dict:
    """Median figures of ``runs`` imports of ``export``, each in a child on a fresh database."""
    results = []
    for number in range(runs):
        data_dir = BENCH / "out" / f"import-{os.getpid()}-{number}"
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        try:
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                str(export),
                "--data-dir",
                str(data_dir),
            ]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
            output = process.stdout.read()
            _pid, status, usage = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{label}: the import failed")
            figures = json.loads(output.decode().strip().splitlines()[-1])
            figures["rss"] = usage.ru_maxrss / 1024
            results.append(figures)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    median = {
        phase: {key: statistics.median(result[phase][key] for result in results) for key in ("wall", "cpu")}
        for phase in ("check", "import")
    }
    return {
        "label": label,
        **median,
        "rows": results[0]["rows"],
        "tickets": results[0]["tickets"],
        "events": results[0]["events"],
        "rss": max(result["rss"] for result in results),
        "runs": runs,
    }


def timed(function) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def read_with_csv(export: Path) -> int:
    with open(export, newline="", encoding="utf-8") as stream:
        return sum(1 for _row in csv.reader(stream)) - 1


def read_with_pandas(export: Path) -> int:
    import pandas

    return sum(len(chunk) for chunk in pandas.read_csv(export, usecols=READ_COLUMNS, dtype=str, chunksize=500_000))


def write_with_sqlite(export: Path) -> int:
    path = BENCH / "out" / f"rows-{os.getpid()}.sqlite3"
    path.unlink(missing_ok=True)
    try:
        database = sqlite3.connect(path)
        database.execute("PRAGMA synchronous=OFF")
        with open(export, newline="", encoding="utf-8") as stream:
            rows = csv.reader(stream)
            header = next(rows)
            database.execute(f"CREATE TABLE audit ({', '.join(f'c{index} TEXT' for index in range(len(header)))})")
            marks = ", ".join("?" * len(header))
            with database:
                database.executemany(f"INSERT INTO audit VALUES ({marks})", rows)
            count = database.execute("SELECT count(*) FROM audit").fetchone()[0]
        database.close()
        return count
    finally:
        path.unlink(missing_ok=True)


def line(label: str, tickets: int | None, rows: int, wall: float, cpu: float, rss: str = "") -> str:
    per_ticket = f"{tickets / cpu:>12,.0f}" if tickets else f"{'':>12}"
    return (
        f"| {label} | {tickets or '':>9,} | {rows:>9,} | {cpu:8.1f} | {wall:8.1f} | {per_ticket} | {rows / cpu:>10,.0f} | {rss} |"
        if tickets
        else f"| {label} | | {rows:>9,} | {cpu:8.1f} | {wall:8.1f} | | {rows / cpu:>10,.0f} | {rss} |"
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.child:
        return run_child(args.child, args.data_dir)
    (BENCH / "out").mkdir(exist_ok=True)
    export = BENCH / "out" / f"servicenow-{args.incidents}.csv"
    if not export.exists():
        sys.path.insert(0, str(BENCH))
        import gen_servicenow

        partial = export.with_suffix(".partial")
        _rows, wall, cpu = timed(
            lambda: gen_servicenow.write(args.incidents, partial.open("w", newline="", encoding="utf-8"))
        )
        partial.rename(export)
        print(f"generated {export} ({export.stat().st_size / 2**20:,.0f} MiB) in {wall:.0f} s", flush=True)
    table = [
        "| path | tickets | rows | CPU s | wall s | tickets/s (CPU) | rows/s (CPU) | max RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def imports(result: dict, name: str) -> None:
        for phase, what in (("check", "dry run"), ("import", "import (check + write)")):
            figures = result[phase]
            table.append(
                line(
                    f"{name}: {what}",
                    result["tickets"],
                    result["rows"],
                    figures["wall"],
                    figures["cpu"],
                    f"{result['rss']:,.0f} MiB" if phase == "import" else "",
                )
            )
        print("\n".join(table[-2:]), flush=True)

    if not args.skip_public:
        if PUBLIC.exists():
            imports(
                import_runs(PUBLIC, args.public_runs, "public export"),
                f"public ServiceNow export (median of {args.public_runs})",
            )
        else:
            print(f"(the public export is not at {PUBLIC}: skipped)")
    imports(
        import_runs(export, args.runs, "synthetic"),
        f"synthetic export, {args.incidents:,} incidents" + (f" (median of {args.runs})" if args.runs > 1 else ""),
    )
    if not args.skip_peers:
        for name, function in (
            ("csv module: read every row", read_with_csv),
            ("pandas read_csv (13 columns, chunks)", read_with_pandas),
            ("SQLite: executemany of the raw rows", write_with_sqlite),
        ):
            rows, wall, cpu = timed(lambda read=function: read(export))
            table.append(line(name, None, rows, wall, cpu))
            print(table[-1], flush=True)
    print()
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
