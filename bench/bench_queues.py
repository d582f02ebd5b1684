"""Queue pages and the API list on a loaded database: p50 and p95 per page, and queries per page.

    .venv/bin/python bench/bench_queues.py --data-dir bench/out/db-1000000           # SQLite (load_db.py)
    .venv/bin/python bench/bench_queues.py --database postgres://postgres@127.0.0.1:5432/scale_bench
    .venv/bin/python bench/bench_queues.py --data-dir bench/out/db-1000000 --requests 50 --explain

Each page is requested through Django's test client in this process (the whole view: middleware,
access layer, queries, template), signed in as the demonstration's person who works that queue:
triage (the desk's agent), a provider team's queue (application support China), a customer team's
queue (Globex security), my work, a text search over every visible ticket, and the API's ticket list
with filters, its first page and the page its cursor names. Three warm-up requests, then ``--requests``
timed ones; the side navigation's counts are cached for a short interval, so the timed requests are
the steady state of a person paging through a queue (``--cold`` clears the cache before each request).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# (name, person, path, query): the pages timed.
PAGES = [
    ("triage", "agent@northwind.example", "/queues/triage/", ""),
    ("provider team queue", "wang.fang@northwind.example", "/queues/team-app-support-cn/", ""),
    ("customer team queue", "security@globex.example", "/queues/team-globex-security/", ""),
    ("my work", "wang.fang@northwind.example", "/queues/mine/", ""),
    ("text search (open)", "agent@northwind.example", "/queues/all/", "q=ticket+4711"),
    ("text search (any status)", "agent@northwind.example", "/queues/all/", "q=ticket+4711&open=any"),
    ("queue sorted by priority, page 3", "agent@northwind.example", "/queues/triage/", "sort=priority&page=3"),
]
API_FILTERS = "open=true&team=app-support-cn&priority=P3&limit=50"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="SERVICEPACT_DATA_DIR of a SQLite database (load_db.py)")
    parser.add_argument("--database", help="a PostgreSQL DATABASE_URL instead (load_db.py --database)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default %(default)s)")
    parser.add_argument("--cold", action="store_true", help="clear the cache before every request")
    parser.add_argument("--explain", action="store_true", help="print each page's slowest query and its plan")
    parser.add_argument("--skip-search", action="store_true", help="leave out the text search pages")
    args = parser.parse_args(argv)
    if not args.data_dir and not args.database:
        parser.error("give --data-dir or --database")
    return args


def setup(args: argparse.Namespace) -> None:
    os.environ["SERVICEPACT_DATA_DIR"] = str((args.data_dir or BENCH / "out" / "pg").resolve())
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(fetch, requests: int, cold: bool) -> tuple[list[float], int, list[dict]]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        fetch()
    times, cpu = [], []
    for _ in range(requests):
        if cold:
            cache.clear()
        began, began_cpu = time.perf_counter(), time.process_time()
        fetch()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return times, cpu, len(queries), list(queries.captured_queries)


def explain(query: dict) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + query["sql"])
        rows = cursor.fetchall()
    return "\n".join("    " + " ".join(str(part) for part in row) for row in rows)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    setup(args)
    from django.db import connection
    from django.test import Client

    from servicepact.accounts.models import User
    from servicepact.accounts.tokens import create_token
    from servicepact.desk.models import Ticket

    tickets = Ticket.objects.count()
    clients: dict[str, Client] = {}
    results = []

    def client_of(person: str) -> Client:
        if person not in clients:
            clients[person] = Client()
            clients[person].force_login(User.objects.get(email=person))
        return clients[person]

    def page_fetch(person: str, url: str):
        client = client_of(person)

        def fetch():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"bench_queues: {url} answered {response.status_code}")
            return response

        return fetch

    for name, person, path, query in PAGES:
        if args.skip_search and "q=" in query:
            continue
        url = f"{path}?{query}" if query else path
        results.append((name, url, *timed(page_fetch(person, url), args.requests, args.cold)))
        times, cpu = results[-1][2], results[-1][3]
        print(f"bench_queues: {name}: p50 {statistics.median(times):.1f} ms", file=sys.stderr, flush=True)

    agent = User.objects.get(email="agent@northwind.example")
    _token, secret = create_token(actor=agent, name=f"bench {time.time()}")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    first_url = f"/api/tickets?{API_FILTERS}"
    first = api.get(first_url).json()
    next_url = (first.get("next") or first_url).split("testserver", 1)[-1]
    for name, url in (("API list, filters, first page", first_url), ("API list, next cursor page", next_url)):

        def fetch(url=url):
            response = api.get(url)
            if response.status_code != 200:
                raise SystemExit(f"bench_queues: {url} answered {response.status_code}: {response.content[:200]!r}")
            return response

        results.append((name, url, *timed(fetch, args.requests, args.cold)))

    print(
        f"bench_queues: {connection.vendor}, {tickets:,} tickets, {args.requests} timed requests a page"
        f"{' (cache cleared before each)' if args.cold else ''}; load average {os.getloadavg()[0]:.1f}"
    )
    print("| page | p50 ms | p95 ms | CPU ms p50 (this process) | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, _url, times, cpu, count, _queries in results:
        print(
            f"| {name} | {statistics.median(times):.1f} | {percentile(times, 0.95):.1f} | "
            f"{statistics.median(cpu):.1f} | {count} |"
        )
    if args.explain:
        for name, url, _times, _cpu, _count, queries in results:
            slowest = max(queries, key=lambda query: float(query["time"]))
            print(f"\n{name} ({url}): slowest query {float(slowest['time']) * 1000:.1f} ms\n  {slowest['sql'][:600]}")
            print(explain(slowest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
