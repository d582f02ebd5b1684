"""Two real worker processes on one PostgreSQL database: each due warning fired once, each mail sent once."""

import collections
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicepact.desk import actions
from servicepact.desk.models import EventType, TicketEvent
from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.notify.tests.smtp_server import smtp_server
from servicepact.runtime.tests.test_processes import clean_environment
from servicepact.slm.models import ClockState
from servicepact.slm.sweep import sweep
from servicepact.slm.tests.conftest import open_ticket, warned_world  # noqa: F401 (a fixture)

TICKETS = 16


def database_url() -> str:
    params = connection.settings_dict
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{credentials}@{params['HOST']}:{params['PORT'] or 5432}/{params['NAME']}"


def start_worker(worker_id: str, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "servicepact", "worker", "--worker-id", worker_id, "--tick", "0.5"]
    return subprocess.Popen(command + ["--interval", "0.1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.django_db(transaction=True)
def test_two_workers_fire_each_due_warning_and_send_each_mail_exactly_once(warned_world, tmp_path):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("two workers in parallel are a PostgreSQL set-up; CI runs the suite on PostgreSQL too")
    world = warned_world
    start = timezone.now() - timedelta(days=2)
    for number in range(TICKETS):
        ticket = open_ticket(world, at=start + timedelta(minutes=number))
        actions.route_ticket(ticket, actor=world.people["agent"], at=start + timedelta(minutes=number, seconds=30))
    assert ClockState.objects.filter(next_check_at__lte=timezone.now()).exists()

    with smtp_server() as inbox:
        env = clean_environment(
            tmp_path,
            DATABASE_URL=database_url(),
            SERVICEPACT_SWEEP_SECONDS="1",
            SERVICEPACT_SWEEP_SHARDS="2",
            SERVICEPACT_SMTP_HOST=inbox.host,
            SERVICEPACT_SMTP_PORT=str(inbox.port),
            SERVICEPACT_MAIL_FROM="desk@northwind.example",
        )
        workers = [start_worker(name, env) for name in ("a", "b")]
        try:
            deadline = time.monotonic() + 90
            while True:
                assert all(worker.poll() is None for worker in workers), [w.stdout.read() for w in workers]
                warnings = TicketEvent.objects.filter(type=EventType.CLOCK_WARNING).count()
                settled = not ClockState.objects.filter(next_check_at__lte=timezone.now()).exists()
                sent = not Outbox.objects.exclude(status=OutboxStatus.SENT).exists()
                if warnings and settled and sent and len(inbox.received) >= Outbox.objects.count():
                    break
                assert time.monotonic() < deadline, (warnings, settled, sent, len(inbox.received))
                time.sleep(0.5)
            time.sleep(2)  # two more sweeps: a double fire would show now
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=30)

    fired = list(
        TicketEvent.objects.filter(type=EventType.CLOCK_WARNING).values_list(
            "ticket_id", "data__clock", "data__threshold"
        )
    )
    assert fired and len(fired) == len(set(fired)), collections.Counter(fired).most_common(3)
    assert sweep(timezone.now()).warnings == 0  # nothing due was left unfired
    keys = list(Outbox.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) and all(keys)
    delivered = collections.Counter(received.message["Message-ID"] for received in inbox.received)
    assert len(delivered) == len(keys) and set(delivered.values()) == {1}, delivered.most_common(3)
    # The sweeps were split between the workers: both took shards.
    sweepers = {
        worker_id
        for ids in DBTaskResult.objects.filter(task_path__endswith="sweep_clock_shard").values_list(
            "worker_ids", flat=True
        )
        for worker_id in ids
    }
    print(f"two workers: {len(fired)} warnings fired once, {len(keys)} mails sent once; sweep shards run by {sweepers}")
    assert sweepers == {"a", "b"}
