"""``servicepact serve``: the production web server (granian, WSGI) and the background worker together."""

import argparse
import errno
import hashlib
import os
import socket
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from servicepact.accounts.models import User
from servicepact.demo import cast
from servicepact.runtime.schema import SchemaNotReady, check_schema
from servicepact.runtime.supervisor import Supervisor

# How long the demo logins wait for the web server to listen before they are printed anyway.
LISTEN_WAIT_S = 180


def port_number(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--port {raw!r} is not a number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"--port {value} is outside 1-65535")
    return value


def positive(option: str):
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} {raw!r} is not a number") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{option} {value} must be at least 1")
        return value

    return parse


def web_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    """granian with ``threads`` request threads per process (its default grows to hundreds under load).

    No ``--backpressure``: granian counts it per connection, so a browser's idle keep-alive connections
    would hold every slot and its next page would wait forever."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--no-ws",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        # A web process that dies (killed, out of memory) is replaced; the others serve meanwhile.
        "--respawn-failed-workers",
        "--respawn-interval",
        "1",
        "servicepact.wsgi:application",
    ]


class AddressUnavailable(Exception):
    """The web server could not listen where it was asked to; the message says where and why."""


def ensure_port_free(host: str, port: int) -> None:
    """Refuse an address another process already listens on.

    granian listens with SO_REUSEPORT, so a second server on a busy port would start and silently share
    its connections with the first (an old version beside a new one). A probe that binds without
    SO_REUSEPORT fails while anyone listens there; SO_REUSEADDR lets it past connections of a server
    that has just stopped (TIME_WAIT), as granian's own bind does.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise AddressUnavailable(f"cannot listen on {host}:{port}: unknown host ({error.strerror})") from None
    family, kind, protocol, _, address = addresses[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise AddressUnavailable(
                    f"{host}:{port} is already in use; stop the server there or choose another --port"
                ) from None
            raise AddressUnavailable(f"cannot listen on {host}:{port}: {error.strerror}") from None


STAMP = ".collected"


def static_fingerprint() -> str:
    """Every static file the finders see, by path, size and modification time."""
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            found = os.stat(storage.path(path))
            entries.append(f"{path}\0{found.st_size}\0{found.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def collect_static() -> bool:
    """collectstatic, unless the files collected last time are those of now; whether it ran.

    Collecting compresses every file again (20 s on a busy machine), which a restart after a crash should
    not wait for when nothing changed.
    """
    stamp = Path(settings.STATIC_ROOT) / STAMP
    fingerprint = static_fingerprint()
    if stamp.is_file() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True


def demo_logins() -> str:
    """The demo people and their password, when the database is the demo's; else nothing."""
    emails = [person.email for person in cast.PEOPLE]
    if User.objects.filter(email__in=emails, is_active=True).count() != len(emails):
        return ""
    lines = [f"Demo people (password for all: {cast.PASSWORD}):"]
    for person in cast.PEOPLE:
        team = f", {person.team}" if person.team else ""
        lines.append(f"  {person.email:<30} {person.role}{team} ({person.timezone}, {person.language})")
    return "\n".join(lines)


def wait_until_listening(host: str, port: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def worker_command(worker_id: str) -> list[str]:
    return [sys.executable, "-m", "servicepact", "worker", "--worker-id", worker_id]


class Command(BaseCommand):
    help = "Serve the web application and run the background worker, until Ctrl-C or SIGTERM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: %(default)s).")
        parser.add_argument("--port", type=port_number, default=8000, help="Port (default: %(default)s).")
        parser.add_argument(
            "--workers", type=positive("--workers"), default=1, help="Web server processes (default: %(default)s)."
        )
        parser.add_argument(
            "--threads",
            type=positive("--threads"),
            default=None,
            help="Request threads per web process (default: SERVICEPACT_WEB_THREADS, 1 on SQLite, 4 on PostgreSQL).",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve the web only; run `servicepact worker` elsewhere."
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply the database's missing migrations first (without it, serve refuses a database that lacks any).",
        )

    def handle(
        self,
        *,
        host: str,
        port: int,
        workers: int,
        threads: int | None,
        no_worker: bool,
        migrate: bool,
        **options,
    ) -> None:
        threads = threads or settings.SERVICEPACT_WEB_THREADS
        try:
            ensure_port_free(host, port)
        except AddressUnavailable as problem:
            # One line and exit status 2, like a bad setting: the fix is in how it was started.
            self.stderr.write(f"servicepact: {problem}")
            raise SystemExit(2) from None
        if migrate:
            call_command("migrate", interactive=False, verbosity=1)
        try:
            check_schema("serve")
        except SchemaNotReady as problem:
            self.stderr.write(f"servicepact: {problem}")
            raise SystemExit(2) from None
        logins = demo_logins()
        connections.close_all()  # the web and worker processes open their own
        collect_static()
        commands = {"web": web_command(host=host, port=port, workers=workers, threads=threads)}
        if not no_worker:
            commands["worker"] = worker_command(f"{socket.gethostname()}-serve-{port}")
        self.stdout.write(
            f"servicepact: serving on http://{host}:{port}/ with {workers} web process(es) of {threads} thread(s)"
            + ("" if no_worker else " and a background worker")
        )
        self.stdout.flush()
        if logins:
            # Printed again once the web server listens, below its start-up lines, so that they stay in view.
            threading.Thread(target=self._print_when_listening, args=(host, port, logins), daemon=True).start()
        code = Supervisor(commands).run()
        if code:
            raise SystemExit(code)

    def _print_when_listening(self, host: str, port: int, logins: str) -> None:
        wait_until_listening("127.0.0.1" if host in ("0.0.0.0", "::") else host, port, LISTEN_WAIT_S)
        self.stdout.write(f"\n{logins}\n\nservicepact: open http://{host}:{port}/ and log in as one of them.")
        self.stdout.flush()
