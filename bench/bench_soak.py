"""Resident memory of the web processes and the worker at the start and the end of a steady load.

    .venv/bin/python bench/bench_soak.py --data-dir bench/out/db-1000000              # 10 minutes
    .venv/bin/python bench/bench_soak.py --data-dir bench/out/db-1000000 --seconds 120 --rate 5

Starts ``servicepact serve --workers 2`` (its background worker included) on the database, signs the
desk's agent in, and requests the triage queue, my work, all tickets sorted on page 3, the API's ticket
list, the reports and the newest stored report's page at ``--rate`` requests a second for ``--seconds``.
Every path is tried once first and the benchmark stops on any that does not answer 200; during the run,
answers other than 200 are counted by status. The resident memory (RSS) of every process of the
service is read from /proc after a warm-up and at the end, with each process's peak (VmHWM).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = [
    "/queues/triage/",
    "/queues/mine/",
    "/queues/all/?sort=priority&page=3",
    "/api/tickets?limit=50&status=assigned",
    "/slm/reports/",
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database", help="a PostgreSQL DATABASE_URL instead of the data directory's SQLite")
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--rate", type=float, default=5.0, help="requests a second (default %(default)s)")
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args(argv)


def service_processes(root: int) -> dict[int, str]:
    """The serve process and every descendant: {pid: command line}."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(re.search(r"PPid:\s+(\d+)", (entry / "status").read_text()).group(1))
            except (OSError, AttributeError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = {}, [root]
    while pending:
        pid = pending.pop()
        try:
            found[pid] = (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:80]).strip()
        except OSError:
            continue
        pending += children.get(pid, [])
    return found


def memory(pid: int) -> tuple[int, int]:
    """(RSS, peak RSS) in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024
    return rss, peak


def sign_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = f"csrfmiddlewaretoken={token}&username=agent%40northwind.example&password=demo".encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/"})
    answer = opener.open(request)
    answer.read()
    if "/accounts/login/" in answer.geturl():
        raise RuntimeError("the sign-in form was answered with the form again")
    return opener


def paths_to_request(base: str, opener: urllib.request.OpenerDirector) -> list[str]:
    """``PATHS`` and the newest stored report's page, each checked once to answer 200."""
    paths = list(PATHS)
    reports = opener.open(f"{base}/slm/reports/").read().decode()
    newest = re.search(r'href="(/slm/reports/\d+/)"', reports)
    if newest:
        paths.append(newest.group(1))
    for path in paths:
        try:
            opener.open(base + path, timeout=120).read()
        except urllib.error.HTTPError as problem:
            sys.exit(f"bench_soak: {path} answered {problem.code}")
    return paths


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    env = dict(os.environ, SERVICEPACT_DATA_DIR=str(args.data_dir.resolve()))
    if args.database:
        env["DATABASE_URL"] = args.database
    else:
        env.pop("DATABASE_URL", None)
    serve = subprocess.Popen(
        [str(ROOT / ".venv/bin/servicepact"), "serve", "--workers", "2", "--port", str(args.port)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(1)
        opener = sign_in(base)
        paths = paths_to_request(base, opener)
        print(f"bench_soak: requesting {', '.join(paths)}")
        warm_until = time.monotonic() + 20
        warmed = 0
        while time.monotonic() < warm_until:
            opener.open(base + paths[warmed % len(paths)]).read()
            warmed += 1
        sent, errors = 0, {}
        start = {pid: (command, memory(pid)) for pid, command in service_processes(serve.pid).items()}
        interval, began = 1 / args.rate, time.monotonic()
        latencies = []
        while time.monotonic() - began < args.seconds:
            due = began + sent * interval
            time.sleep(max(0.0, due - time.monotonic()))
            started = time.monotonic()
            try:
                opener.open(base + paths[sent % len(paths)], timeout=30).read()
            except urllib.error.HTTPError as problem:
                errors[problem.code] = errors.get(problem.code, 0) + 1
            except OSError:
                errors["no answer"] = errors.get("no answer", 0) + 1
            latencies.append(time.monotonic() - started)
            sent += 1
        end = {pid: (command, memory(pid)) for pid, command in service_processes(serve.pid).items()}
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)
    latencies.sort()
    print(
        f"bench_soak: {args.seconds} s at {args.rate} requests/s ({sent} requests, errors {errors or 'none'}, "
        f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms); load average {os.getloadavg()[0]:.1f}"
    )
    print("| process | RSS start MiB | RSS end MiB | peak MiB |\n| --- | ---: | ---: | ---: |")
    for pid, (command, (rss, _peak)) in sorted(start.items()):
        end_rss, end_peak = end.get(pid, (command, (0, 0)))[1]
        print(f"| {pid} {command} | {rss} | {end_rss} | {end_peak} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
