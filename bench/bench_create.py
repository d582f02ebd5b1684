"""Benchmark of ticket creation through the REST API: servicepact beside django-helpdesk, in the same run.

    .venv/bin/python bench/bench_create.py                       # 6 alternating pairs of 20 s, SQLite
    .venv/bin/python bench/bench_create.py --pairs 18 --seconds 20
    .venv/bin/python bench/bench_create.py --database postgres://postgres@127.0.0.1:5432/postgres

Each side is served the same way on this machine: two web processes (servicepact: `serve --workers 2`,
with its background worker, as it runs in production; django-helpdesk: gunicorn with 2 sync workers), on
a fresh database (SQLite in WAL mode, or a database of its own created on the PostgreSQL server named by
--database). The peer is installed into its own virtual environment outside the repository
(``~/.cache/servicepact-bench``, or --peer-dir): the latest django-helpdesk from the package index, with
gunicorn, and a minimal site with its API on, basic authentication and a queue.

Two measurements, each side in turn:
- throughput: ``wrk -t2 -c4`` POSTing a new ticket for --seconds, in --pairs alternating pairs (the machine
  is shared: ratios within a pair are steadier than figures); the median requests a second of each side
  and the median of the pairs' ratios, with wrk's p50 and p99;
- latency at a steady rate: --rate creations a second for --seconds from a paced client (asyncio, 32
  keep-alive connections; each request's latency counts from the moment it was due, as wrk2 counts), p50
  and p99, and the rate achieved.
The server's CPU per create is the CPU time of its whole process tree (web processes and, for servicepact,
the background worker) during a throughput run, divided by the requests wrk completed.

servicepact's create does everything it really does (events, hash chain, clocks, routing, outbox); the
peer's creates its ticket and follow-up. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from base64 import b64encode
from pathlib import Path
from urllib.parse import urlparse

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
SERVICEPACT = Path(sys.executable).parent / "servicepact"

PEER_SETTINGS = '''"""A minimal django-helpdesk site for servicepact's benchmark."""
import os
from pathlib import Path
from urllib.parse import urlparse

SECRET_KEY = "bench-only-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "hdurls"
SITE_ID = 1
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites", "django.contrib.humanize",
    "rest_framework", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {
    "context_processors": ["django.template.context_processors.request",
                           "django.contrib.auth.context_processors.auth",
                           "django.contrib.messages.context_processors.messages"]}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["HD_SQLITE"],
    "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}}
if os.environ.get("HD_DATABASE_URL"):
    url = urlparse(os.environ["HD_DATABASE_URL"])
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": url.path[1:],
                             "USER": url.username, "PASSWORD": url.password or "", "HOST": url.hostname,
                             "PORT": url.port or 5432, "CONN_MAX_AGE": 60}}
USE_TZ = True
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.BasicAuthentication"]}
# Basic authentication checks the password on every request: a cheap hash, as a token lookup is.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HELPDESK_TEAMS_MODE_ENABLED = False
'''
PEER_URLS = 'from django.urls import include, path\n\nurlpatterns = [path("helpdesk/", include("helpdesk.urls"))]\n'
PEER_WSGI = (
    'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite")\n'
    "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
)
PEER_SETUP = """
from django.contrib.auth import get_user_model
from helpdesk.models import Queue
get_user_model().objects.create_superuser("bench", "bench@example.test", "bench")
print(Queue.objects.create(slug="it", title="IT").pk)
"""
SERVICEPACT_SETUP = """
import json
from servicepact.accounts.tokens import create_token
from servicepact.testing.fixtures import build_world
world = build_world()
# The desk's own address, as a real desk has: each create then queues its acknowledgement in the outbox.
desk = world.teams["desk"]
desk.email = "service-desk@northwind.example"
desk.save(update_fields=["email"])
print(json.dumps({"token": create_token(actor=world.people["requester"], name="bench")[1]}))
"""
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [[{body}]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "{authorization}"
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=6, help="alternating pairs of throughput runs")
    parser.add_argument("--seconds", type=int, default=20, help="length of each run")
    parser.add_argument("--rate", type=int, default=100, help="creations a second of the steady-rate run")
    parser.add_argument("--database", help="a PostgreSQL server URL; each side gets a database of its own")
    parser.add_argument("--peer-dir", type=Path, default=Path.home() / ".cache" / "servicepact-bench")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, headers: dict[str, str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"bench_create: {url} did not answer")


def fresh_postgres(server: str, name: str) -> str:
    url = urlparse(server)
    admin = ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres", "-d"]
    for statement in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run([*admin, url.path[1:] or "postgres", "-q", "-c", statement], check=True)
    return url._replace(path=f"/{name}").geturl()


class MailSink:
    """A minimal SMTP server that accepts every message and keeps none: servicepact's worker delivers the
    outbox as in production (with no server, each send would fail and be retried)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(asyncio.start_server(self._session, "127.0.0.1", self.port))
        ready.set()
        self.loop.run_forever()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink\r\n")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                writer.write(b"354 go on\r\n")
                while (await reader.readline()) not in (b".\r\n", b""):
                    pass
                writer.write(b"250 kept nowhere\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            elif verb == b"EHLO":
                writer.write(b"250 sink\r\n")
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
        writer.close()


class Side:
    name: str
    url: str
    headers: dict[str, str]
    body: dict
    process: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Servicepact(Side):
    name = "servicepact"

    def __init__(self, database: str | None, mail: MailSink) -> None:
        data_dir = OUT / "create-servicepact"
        shutil.rmtree(data_dir, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEPACT_") and k != "DATABASE_URL"}
        env.update(SERVICEPACT_DATA_DIR=str(data_dir), SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE="1000000")
        env.update(SERVICEPACT_SMTP_HOST="127.0.0.1", SERVICEPACT_SMTP_PORT=str(mail.port))
        if database:
            env["DATABASE_URL"] = fresh_postgres(database, "bench_create_servicepact")
        subprocess.run([str(SERVICEPACT), "migrate", "--no-input", "-v0"], env=env, check=True)
        made = subprocess.run(
            [str(SERVICEPACT), "shell", "-c", SERVICEPACT_SETUP], env=env, check=True, capture_output=True, text=True
        )
        token = json.loads(made.stdout.strip().splitlines()[-1])["token"]
        port = free_port()
        self.process = subprocess.Popen(
            [str(SERVICEPACT), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/api/tickets"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.body = {"contract": "globex-ito", "service": "sso", "title": "Cannot sign in", "impact": "medium"}
        self.body.update(urgency="high", description="Since this morning.")
        wait_for(self.url, self.headers)


class Helpdesk(Side):
    name = "django-helpdesk"

    def __init__(self, peer_dir: Path, database: str | None) -> None:
        venv = peer_dir / "helpdesk-venv"
        python = venv / "bin" / "python"
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        # The latest release each run, as the peer's users would install it.
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-U", "django-helpdesk", "gunicorn"], check=True)
        if database:
            subprocess.run([str(python), "-m", "pip", "install", "-q", "psycopg[binary]"], check=True)
        site = peer_dir / "helpdesk-site"
        site.mkdir(parents=True, exist_ok=True)
        (site / "hdsite.py").write_text(PEER_SETTINGS)
        (site / "hdurls.py").write_text(PEER_URLS)
        (site / "hdsite_wsgi.py").write_text(PEER_WSGI)
        sqlite = site / "helpdesk.sqlite3"
        for stale in site.glob("helpdesk.sqlite3*"):
            stale.unlink()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hdsite", "PYTHONPATH": str(site), "HD_SQLITE": str(sqlite)}
        if database:
            env["HD_DATABASE_URL"] = fresh_postgres(database, "bench_create_helpdesk")
        subprocess.run([str(python), "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=site)
        made = subprocess.run(
            [str(python), "-m", "django", "shell", "-c", PEER_SETUP],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=site,
        )
        queue = int(made.stdout.strip().splitlines()[-1])
        self.version = subprocess.run(
            [str(python), "-c", "import importlib.metadata as m; print(m.version('django-helpdesk'))"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        port = free_port()
        self.process = subprocess.Popen(
            [str(venv / "bin" / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "hdsite_wsgi:application"],
            env=env,
            cwd=site,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/helpdesk/api/tickets/"
        self.headers = {"Authorization": "Basic " + b64encode(b"bench:bench").decode()}
        self.body = {"queue": queue, "title": "Cannot sign in", "description": "Since this morning."}
        self.body.update(submitter_email="requester@example.test", priority=3)
        wait_for(self.url, self.headers)


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants alive now (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        pending.extend(children.get(current, []))
    return total


def wrk(side: Side, seconds: int) -> dict[str, float]:
    script = OUT / f"wrk-{side.name}.lua"
    script.write_text(WRK_SCRIPT.format(body=json.dumps(side.body), authorization=side.headers["Authorization"]))
    cpu_before = tree_cpu_seconds(side.process.pid)
    result = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", "-s", str(script), side.url],
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = tree_cpu_seconds(side.process.pid) - cpu_before
    text = result.stdout
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", text).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", text).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "cpu_ms": cpu / max(requests, 1) * 1000,
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def paced(side: Side, rate: int, seconds: int, connections: int = 32) -> dict[str, float]:
    """``rate`` creations a second, each due at its own moment (start + i / rate), over ``connections``
    keep-alive connections, as wrk2 paces: a request's latency runs from the moment it was due, so time it
    spent waiting for a free connection behind slow answers counts (no coordinated omission). Requests not
    answered by --seconds after the last one was due count as failed."""
    return asyncio.run(_paced(side, rate, seconds, connections))


async def _paced(side: Side, rate: int, seconds: int, connections: int) -> dict[str, float]:
    url = urlparse(side.url)
    body = json.dumps(side.body).encode()
    head = "".join(f"{name}: {value}\r\n" for name, value in side.headers.items())
    request = (
        f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n{head}Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    due: asyncio.Queue[float | None] = asyncio.Queue()
    latencies: list[float] = []
    failures = [0]

    async def connection() -> None:
        reader = writer = None
        while (moment := await due.get()) is not None:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(url.hostname, url.port)
                writer.write(request)
                status = await _read_response(reader)
                if 200 <= status < 300:
                    latencies.append((time.monotonic() - moment) * 1000)
                else:
                    failures[0] += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                failures[0] += 1
                writer = None
        if writer is not None:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    start = time.monotonic() + 0.5
    for index in range(rate * seconds):
        moment = start + index / rate
        delay = moment - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        due.put_nowait(moment)
    for _ in workers:
        due.put_nowait(None)
    # A server that cannot keep the rate would make this run last as long as its backlog: what is not
    # answered within --seconds after the last request was due counts as failed, like wrk2's timeouts.
    _, late = await asyncio.wait(workers, timeout=seconds)
    for worker in late:
        worker.cancel()
    failures[0] = rate * seconds - len(latencies)
    latencies.sort()
    return {
        "p50_ms": latencies[len(latencies) // 2] if latencies else float("nan"),
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else float("nan"),
        "failures": failures[0],
        "achieved": len(latencies) / seconds,
    }


async def _read_response(reader: asyncio.StreamReader) -> int:
    """The status of one HTTP/1.1 response, its body read (by Content-Length or chunks)."""
    status_line = await reader.readline()
    if not status_line:
        raise asyncio.IncompleteReadError(b"", None)
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
        elif name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while size := int((await reader.readline()).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readline()
    else:
        await reader.readexactly(length)
    return status


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench_create: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    ours, peer = Servicepact(args.database, MailSink()), Helpdesk(args.peer_dir, args.database)
    try:
        runs: dict[str, list[dict]] = {ours.name: [], peer.name: []}
        ratios = []
        for pair in range(args.pairs):
            order = (ours, peer) if pair % 2 == 0 else (peer, ours)
            figures = {side.name: wrk(side, args.seconds) for side in order}
            for name, figure in figures.items():
                runs[name].append(figure)
            ratios.append(figures[ours.name]["rps"] / figures[peer.name]["rps"])
            print(
                f"pair {pair + 1}: servicepact {figures[ours.name]['rps']:.0f}/s, "
                f"django-helpdesk {figures[peer.name]['rps']:.0f}/s, ratio {ratios[-1]:.2f}",
                flush=True,
            )
        steady = {side.name: paced(side, args.rate, args.seconds) for side in (ours, peer)}
    finally:
        ours.stop()
        peer.stop()

    database = "PostgreSQL" if args.database else "SQLite (WAL)"
    print(f"\nTicket creation through the API, {database}; django-helpdesk {peer.version}; {args.pairs} pairs")
    print(
        "| side | median req/s | median p50 ms | median p99 ms | server CPU ms per create | non-2xx "
        f"| p50 / p99 ms at {args.rate} req/s (achieved) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for side in (ours, peer):
        figures = runs[side.name]
        print(
            f"| {side.name} | {statistics.median(f['rps'] for f in figures):.0f} "
            f"| {statistics.median(f['p50_ms'] for f in figures):.1f} "
            f"| {statistics.median(f['p99_ms'] for f in figures):.1f} "
            f"| {statistics.median(f['cpu_ms'] for f in figures):.1f} "
            f"| {sum(f['errors'] for f in figures)} "
            f"| {steady[side.name]['p50_ms']:.1f} / {steady[side.name]['p99_ms']:.1f}"
            f" ({steady[side.name]['achieved']:.0f}/s, {steady[side.name]['failures']} failed) |"
        )
    print(f"\nmedian ratio servicepact / django-helpdesk: {statistics.median(ratios):.2f} (goal: 4)")
    print(f"load average at the end: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
