"""Several workers racing for the same turn on PostgreSQL, in real threads with their own connections."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicepact.runtime.models import ScheduledJob
from servicepact.runtime.scheduler import fire_due_jobs

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks with SKIP LOCKED need PostgreSQL"),
]

PRUNE = "servicepact.runtime.tasks.prune_runtime_records"


def in_thread(function, *args):
    """Run ``function`` in a new thread (so on its own database connection) and return its result."""
    box = {}

    def target():
        try:
            box["result"] = function(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread, box


def test_a_worker_passes_over_a_turn_another_worker_is_claiming_without_waiting():
    now = timezone.now()
    ScheduledJob.objects.create(name="prune", task_path=PRUNE, interval_s=60, next_run_at=now - timedelta(seconds=1))
    with transaction.atomic():
        ScheduledJob.objects.select_for_update().get(name="prune")
        thread, box = in_thread(lambda: fire_due_jobs(worker_id="other", now=now))
        thread.join(timeout=10)
        assert not thread.is_alive(), "the competing worker waited for the lock instead of skipping"
    assert box["result"] == []
    assert DBTaskResult.objects.count() == 0


def test_racing_schedulers_fire_each_turn_exactly_once():
    rounds, workers = 15, 4
    ScheduledJob.objects.create(name="prune", task_path=PRUNE, interval_s=60, next_run_at=timezone.now())
    fired = []
    for _ in range(rounds):
        now = timezone.now()
        ScheduledJob.objects.filter(name="prune").update(next_run_at=now - timedelta(seconds=1))
        start = threading.Barrier(workers)

        def race(worker_id, now=now, start=start):
            start.wait()
            return fire_due_jobs(worker_id=worker_id, now=now)

        started = [in_thread(race, f"w{n}") for n in range(workers)]
        for thread, box in started:
            thread.join(timeout=20)
            fired.extend(box["result"])
    assert fired == ["prune"] * rounds
    assert DBTaskResult.objects.count() == rounds
    assert ScheduledJob.objects.get().fire_count == rounds
