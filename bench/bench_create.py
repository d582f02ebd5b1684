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
- latency at a steady rate: --rate creations a second for --seconds from a paced client, p50 and p99.

servicepact's create does everything it really does (events, hash chain, clocks, routing, outbox); the
peer's creates its ticket and follow-up. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
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

    def __init__(self, database: str | None) -> None:
        data_dir = OUT / "create-servicepact"
        shutil.rmtree(data_dir, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SERVICEPACT_") and k != "DATABASE_URL"}
        env.update(SERVICEPACT_DATA_DIR=str(data_dir), SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE="1000000")
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


def wrk(side: Side, seconds: int) -> dict[str, float]:
    script = OUT / f"wrk-{side.name}.lua"
    script.write_text(WRK_SCRIPT.format(body=json.dumps(side.body), authorization=side.headers["Authorization"]))
    result = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", "-s", str(script), side.url],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "p50_ms": _ms(re.search(r"50%\s+([\d.]+\w+)", text).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+([\d.]+\w+)", text).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def paced(side: Side, rate: int, seconds: int) -> dict[str, float]:
    """``rate`` creations a second, each sent at its own moment (not when the previous one answers)."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    body = json.dumps(side.body).encode()
    start = time.monotonic() + 0.5
    total = rate * seconds

    def send(index: int) -> None:
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        began = time.monotonic()
        request = urllib.request.Request(
            side.url, data=body, headers={**side.headers, "Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
            with lock:
                latencies.append((time.monotonic() - began) * 1000)
        except OSError:
            with lock:
                failures[0] += 1

    threads = []
    for index in range(total):
        thread = threading.Thread(target=send, args=(index,))
        thread.start()
        threads.append(thread)
        while len([t for t in threads[-64:] if t.is_alive()]) >= 64:
            time.sleep(0.001)
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "p50_ms": latencies[len(latencies) // 2] if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
        "failures": failures[0],
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench_create: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    ours, peer = Servicepact(args.database), Helpdesk(args.peer_dir, args.database)
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
    print("| side | median req/s | median p50 ms | median p99 ms | non-2xx | p50 / p99 ms at", args.rate, "req/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for side in (ours, peer):
        figures = runs[side.name]
        print(
            f"| {side.name} | {statistics.median(f['rps'] for f in figures):.0f} "
            f"| {statistics.median(f['p50_ms'] for f in figures):.1f} "
            f"| {statistics.median(f['p99_ms'] for f in figures):.1f} "
            f"| {sum(f['errors'] for f in figures)} "
            f"| {steady[side.name]['p50_ms']:.1f} / {steady[side.name]['p99_ms']:.1f}"
            f" ({steady[side.name]['failures']} failed) |"
        )
    print(f"\nmedian ratio servicepact / django-helpdesk: {statistics.median(ratios):.2f} (goal: 4)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
