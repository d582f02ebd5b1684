"""The fault test: `servicepact serve` under load, its web processes and worker killed (SIGKILL) at random
moments and restarted; then nothing answered is lost, every hash chain verifies, every notification due
was sent once, and every stored clock equals a fresh replay. Bounded: about a minute."""

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest

from servicepact.notify.tests.smtp_server import smtp_server
from servicepact.runtime.tests.test_processes import clean_environment, free_port, servicepact

CHAOS_S = 30
CLIENTS = 3
MAX_REQUESTS = 3000
KILLS = 5


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Service:
    """`servicepact serve` with its worker; restarted whenever a killed child takes it down."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port, self.process, self.starts = env, port, None, 0

    def start(self) -> None:
        if self.process is not None:
            # What a supervisor does (systemd's cgroup): web processes orphaned by a killed granian still
            # hold the port, and a new serve refuses a busy port.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "servicepact", "serve", "--port", str(self.port), "--workers", "2"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.starts += 1
        self.wait_until_answering()

    def wait_until_answering(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None:  # it stopped after a killed child: start it again
                    self.start()
                    return
                time.sleep(0.2)
        raise AssertionError("serve did not come up")

    def ensure_running(self) -> None:
        if self.process.poll() is not None:
            self.start()

    def victims(self) -> dict[str, list[int]]:
        """The processes that may be killed: the worker, the web server's main process, its web processes."""
        found: dict[str, list[int]] = {"worker": [], "web-main": [], "web-process": []}
        for child in children(self.process.pid):
            if " worker " in command_line(child) + " ":
                found["worker"].append(child)
            elif "granian" in command_line(child):
                found["web-main"].append(child)
                found["web-process"] += children(child)
        return found

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            with contextlib.suppress(ProcessLookupError):  # and whatever of its group is left
                os.killpg(self.process.pid, signal.SIGKILL)


class Load:
    """Clients creating tickets through the API; remembers every creation answered 2xx."""

    def __init__(self, port: int, token: str) -> None:
        self.url = f"http://127.0.0.1:{port}/api/tickets"
        self.token = token
        self.stop = threading.Event()
        self.created: list[str] = []
        self.statuses: Counter = Counter()
        self.sent = 0
        self.lock = threading.Lock()

    def client(self) -> None:
        body = {"contract": "globex-ito", "service": "sso", "title": "Cannot sign in", "impact": "medium"}
        body["urgency"] = "high"
        while not self.stop.is_set():
            with self.lock:
                if self.sent >= MAX_REQUESTS:
                    return
                self.sent += 1
            request = urllib.request.Request(
                self.url,
                data=json.dumps(body).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": str(uuid.uuid4()),
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    number = json.loads(response.read())["number"]
                    with self.lock:
                        self.created.append(number)
                        self.statuses[response.status] += 1
            except urllib.error.HTTPError as error:
                with self.lock:
                    self.statuses[error.code] += 1
            except OSError:  # refused or cut off while a process was down: not answered
                with self.lock:
                    self.statuses["no answer"] += 1
                time.sleep(0.25)

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.client, daemon=True) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        return threads


def shell(code: str, env: dict[str, str]) -> dict:
    result = servicepact("shell", "-c", code, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="the service under test runs on SQLite of its own: the suite's PostgreSQL pass would repeat it",
)
def test_nothing_answered_is_lost_when_processes_are_killed_under_load(tmp_path):
    seed = int(os.environ.get("SERVICEPACT_FAULT_SEED", random.randrange(1 << 30)))
    chance = random.Random(seed)
    with smtp_server() as inbox:
        env = clean_environment(
            tmp_path,
            SERVICEPACT_SWEEP_SECONDS="1",
            SERVICEPACT_TASK_LEASE_SECONDS="3",
            SERVICEPACT_MAIL_LEASE_SECONDS="3",
            SERVICEPACT_WORKER_NICE="0",
            SERVICEPACT_SMTP_HOST=inbox.host,
            SERVICEPACT_SMTP_PORT=str(inbox.port),
            SERVICEPACT_MAIL_FROM="desk@northwind.example",
            SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE="100000",
        )
        migrated = servicepact("migrate", "--no-input", "--skip-checks", env=env)
        assert migrated.returncode == 0, migrated.stderr
        token = shell("from servicepact.runtime.tests.fault_support import prepare; prepare()", env)["token"]

        service = Service(env, free_port())
        service.start()
        load = Load(service.port, token)
        threads = load.run()
        kills: Counter = Counter()
        try:
            deadline = time.monotonic() + CHAOS_S
            # A kill lands only on a service that is up again: on a busy machine a restart can take a while,
            # so each kill waits for the service to answer, and the run goes on until every kill has landed.
            while sum(kills.values()) < KILLS and time.monotonic() < deadline + 3 * CHAOS_S:
                service.ensure_running()
                service.wait_until_answering()
                time.sleep(min(chance.uniform(2, 6), max(0.0, deadline - time.monotonic())))
                victims = {role: pids for role, pids in service.victims().items() if pids}
                if victims:
                    role = chance.choice(sorted(victims))
                    os.kill(chance.choice(victims[role]), signal.SIGKILL)
                    kills[role] += 1
                time.sleep(1.5)  # serve notices a dead child and stops the rest; granian replaces a web process
                service.ensure_running()
            while time.monotonic() < deadline:
                time.sleep(0.5)
                service.ensure_running()
        finally:
            load.stop.set()
            for thread in threads:
                thread.join(timeout=15)
        # Settle: the restarted worker takes back interrupted tasks and sends what is left.
        service.ensure_running()
        settle = time.monotonic() + 40
        while time.monotonic() < settle:
            service.ensure_running()
            state = shell(
                "import json; from servicepact.notify.models import Outbox; "
                "from django_tasks_db.models import DBTaskResult; "
                "print(json.dumps({'unsent': Outbox.objects.exclude(status='sent').count(), "
                "'tasks': DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']).count()}))",
                env,
            )
            if state["unsent"] == 0 and state["tasks"] == 0:
                break
            time.sleep(1)
        service.stop()
        received = [message["Message-ID"] for message in (item.message for item in inbox.received)]

    found = shell("from servicepact.runtime.tests.fault_support import report; report()", env)
    answered = set(load.created)
    missing = answered - set(found["tickets"])
    outbox_ids = [row["message_id"] for row in found["outbox"]]
    keys = [row["key"] for row in found["outbox"] if row["key"]]
    copies = Counter(received)
    unsent = [row for row in found["outbox"] if row["status"] != "sent"]
    print(
        f"\nfault test (seed {seed}): {load.sent} creations sent, answers {dict(load.statuses)}; "
        f"killed {dict(kills)}; serve started {service.starts} times\n"
        f"  tickets answered 2xx: {len(answered)}, missing: {len(missing)}\n"
        f"  hash chains verify: {found['chains_verified']}\n"
        f"  notifications: {len(outbox_ids)} due, {len(set(received) & set(outbox_ids))} delivered, "
        f"{len(unsent)} unsent, {sum(copies.values()) - len(copies)} second copies (same Message-ID)\n"
        f"  clocks: {found['clocks']} stored, {len(found['clock_differences'])} differ from a fresh replay"
    )
    assert load.created and sum(kills.values()) >= 3 and service.starts >= 2
    assert not missing, sorted(missing)[:10]
    assert found["chains_verified"], found["verify_output"]
    assert outbox_ids and not unsent, unsent[:5]
    assert len(keys) == len(set(keys))  # one message per notification: the outbox's keys
    assert set(copies) == set(outbox_ids)  # every message delivered, and nothing that was not due
    assert not found["clock_differences"], found["clock_differences"][:10]
