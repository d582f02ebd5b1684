"""Where the time of one ticket creation through the API goes: queries and a CPU profile, in process.

    .venv/bin/python bench/profile_create.py                  # 300 creates on a fresh SQLite database
    .venv/bin/python bench/profile_create.py --creates 500 --top 40
    .venv/bin/python bench/profile_create.py --database postgres://postgres@127.0.0.1:5432/postgres

A fresh database of its own (under bench/out/, or a database on the named PostgreSQL server) holds the
tests' world; the creates go through Django's test client with a bearer token, as the API's clients
send them. It prints the queries of one create (after warm-up), the wall time per create, and the
functions that take the most cumulative time under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out" / "profile-create"
BODY = {
    "contract": "globex-ito",
    "service": "sso",
    "title": "Cannot sign in",
    "impact": "medium",
    "urgency": "high",
    "description": "Since this morning.",
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--database", help="a PostgreSQL server URL; a database of its own is made there")
    args = parser.parse_args(argv)

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    os.environ["SERVICEPACT_DATA_DIR"] = str(OUT)
    os.environ["SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE"] = "1000000"
    os.environ.pop("DATABASE_URL", None)
    if args.database:
        url = urlparse(args.database)
        admin = ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres", "-d"]
        for statement in ('DROP DATABASE IF EXISTS "profile_create" WITH (FORCE)', 'CREATE DATABASE "profile_create"'):
            subprocess.run([*admin, url.path[1:] or "postgres", "-q", "-c", statement], check=True)
        os.environ["DATABASE_URL"] = url._replace(path="/profile_create").geturl()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicepact.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from servicepact.accounts.tokens import create_token
    from servicepact.testing.fixtures import build_world

    call_command("migrate", verbosity=0, interactive=False)
    world = build_world()
    desk = world.teams["desk"]  # with its own address, as bench_create.py's: each create queues a message
    desk.email = "service-desk@northwind.example"
    desk.save(update_fields=["email"])
    token = create_token(actor=world.people["requester"], name="profile")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost")
    body = json.dumps(BODY)

    def create() -> None:
        response = client.post("/api/tickets", body, content_type="application/json")
        assert response.status_code == 201, response.content[:500]

    for _ in range(5):
        create()
    with CaptureQueriesContext(connection) as captured:
        create()
    print(f"queries of one create: {len(captured.captured_queries)}")
    for query in captured.captured_queries:
        print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:160]}")

    began, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.creates):
        create()
    wall = (time.perf_counter() - began) / args.creates * 1000
    cpu = (time.process_time() - cpu) / args.creates * 1000
    print(f"\n{args.creates} creates: {wall:.2f} ms wall, {cpu:.2f} ms CPU each ({1000 / wall:.0f}/s in one thread)")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.creates):
        create()
    profiler.disable()
    profiler.dump_stats(OUT / "create.prof")
    # The number of Python calls barely depends on the machine's load, unlike the times.
    calls = pstats.Stats(profiler).total_calls / args.creates
    print(f"{calls:.0f} Python function calls per create; profile kept in {OUT / 'create.prof'}\n")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
