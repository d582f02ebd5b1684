"""The scheduler: fires periodic jobs, each turn exactly once however many workers run it.

Every worker runs a scheduler. A job's turn is its ``ScheduledJob.next_run_at``; a worker that finds
a turn due claims it by moving ``next_run_at`` forward, and enqueues the job in the same transaction.
On PostgreSQL the claim takes the row lock with SKIP LOCKED, so a competing worker passes over a row
being claimed instead of waiting for it; on SQLite (whose writers are serialised anyway) the claim is a
compare-and-set UPDATE that succeeds only while ``next_run_at`` still holds the value the worker read.
"""

import logging
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from servicepact.runtime import heartbeat, leases
from servicepact.runtime.models import ScheduledJob
from servicepact.runtime.periodic import PeriodicJob, periodic_jobs

logger = logging.getLogger(__name__)


def sync_jobs(jobs: Iterable[PeriodicJob], *, now: datetime) -> None:
    """Make the table match the registry: new jobs are due at once, changed ones keep their turn."""
    jobs = list(jobs)
    with transaction.atomic():
        for job in jobs:
            row, created = ScheduledJob.objects.get_or_create(
                name=job.name, defaults={"task_path": job.task_path, "interval_s": job.interval_s, "next_run_at": now}
            )
            if not created and (row.task_path, row.interval_s) != (job.task_path, job.interval_s):
                # A shorter interval takes effect at once rather than after the old, longer wait.
                next_run_at = min(row.next_run_at, now + timedelta(seconds=job.interval_s))
                ScheduledJob.objects.filter(pk=row.pk).update(
                    task_path=job.task_path, interval_s=job.interval_s, next_run_at=next_run_at
                )
        ScheduledJob.objects.exclude(name__in=[job.name for job in jobs]).delete()


def next_turn(job: ScheduledJob, now: datetime) -> datetime:
    """The turn after this one; turns missed while no worker ran are skipped, not fired in a burst."""
    following = job.next_run_at + timedelta(seconds=job.interval_s)
    if following <= now:
        following = now + timedelta(seconds=job.interval_s)
    return following


def claim_turn(job: ScheduledJob, *, worker_id: str, now: datetime) -> bool:
    """Compare-and-set: move the job's turn forward if nobody has since ``job`` was read."""
    claimed = ScheduledJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
        next_run_at=next_turn(job, now),
        last_run_at=now,
        last_worker_id=worker_id,
    )
    return claimed == 1


def _enqueue(job: ScheduledJob) -> str:
    """Enqueue the job's task; an unknown task path or a failed enqueue is logged and costs only this turn."""
    try:
        with transaction.atomic():
            result = import_string(job.task_path).enqueue()
    except Exception:  # one broken job must not stop the scheduler firing the others
        logger.exception("periodic job %s: cannot enqueue %s", job.name, job.task_path)
        return ""
    return str(result.id)


def _record_fired(job: ScheduledJob, result_id: str) -> None:
    ScheduledJob.objects.filter(pk=job.pk).update(last_result_id=result_id, fire_count=F("fire_count") + 1)


def _fire_locked(*, worker_id: str, now: datetime) -> list[str]:
    fired = []
    with transaction.atomic():
        due = ScheduledJob.objects.select_for_update(skip_locked=True).filter(next_run_at__lte=now).order_by("name")
        for job in due:
            job.next_run_at = next_turn(job, now)
            job.last_run_at, job.last_worker_id = now, worker_id
            job.last_result_id = _enqueue(job)
            job.fire_count += 1
            job.save(update_fields=["next_run_at", "last_run_at", "last_worker_id", "last_result_id", "fire_count"])
            fired.append(job.name)
    return fired


def _fire_compare_and_set(*, worker_id: str, now: datetime) -> list[str]:
    fired = []
    for job in ScheduledJob.objects.filter(next_run_at__lte=now).order_by("name"):
        with transaction.atomic():
            if not claim_turn(job, worker_id=worker_id, now=now):
                continue
            _record_fired(job, _enqueue(job))
        fired.append(job.name)
    return fired


def fire_due_jobs(*, worker_id: str, now: datetime | None = None) -> list[str]:
    """Enqueue every job whose turn has come and that this worker wins; returns the names fired."""
    now = now or timezone.now()
    if connection.features.has_select_for_update_skip_locked:
        return _fire_locked(worker_id=worker_id, now=now)
    return _fire_compare_and_set(worker_id=worker_id, now=now)


class SchedulerThread(threading.Thread):
    """Beside the task worker in the same process, every ``tick_s``: a heartbeat (which holds the leases
    of the tasks the worker runs), the requeueing of tasks whose worker died (``leases.py``), and, unless
    ``fire_jobs`` is off, the periodic jobs whose turn has come."""

    def __init__(self, *, worker_id: str, tick_s: float, fire_jobs: bool = True) -> None:
        super().__init__(name=f"scheduler-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.tick_s = tick_s
        self.fire_jobs = fire_jobs
        # Before the worker claims anything: a claim older than this life belongs to an earlier one.
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.synced = False

    def run(self) -> None:
        while not self.stopping.is_set():
            # As Django does around each request: drop a connection the database has closed meanwhile.
            close_old_connections()
            self.tick()
            self.stopping.wait(self.tick_s)
        connection.close()

    def tick(self) -> None:
        try:
            now = timezone.now()
            heartbeat.beat(self.worker_id, started_at=self.started_at, now=now)
            leases.recover_lost_tasks(now)
            if not self.fire_jobs:
                return
            if not self.synced:
                sync_jobs(periodic_jobs(), now=now)
                self.synced = True
            for name in fire_due_jobs(worker_id=self.worker_id, now=now):
                logger.info("periodic job %s enqueued by %s", name, self.worker_id)
        except Exception:  # a database hiccup must not end the scheduler; the next tick tries again
            logger.exception("scheduler tick failed")

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.tick_s + 5)
