"""Task leases: a running task belongs to its worker only while that worker's heartbeat is fresh.

django-tasks-db claims a task by marking it RUNNING and appending the worker's id to ``worker_ids``;
a worker killed mid-task (kill -9, out of memory, a lost host) would leave it RUNNING for ever. Every
worker beats every few seconds (``heartbeat.py``), and the beat renews the lease on whatever the worker
runs. A RUNNING task has lost its lease when its worker

- has not beaten for ``SERVICEPACT_TASK_LEASE_SECONDS`` and the task was claimed longer ago than that
  (a worker that has just started may claim a task before its first beat), or
- beats, but has started since it claimed the task: the same worker id restarted (``serve`` names its
  worker after the host and port), so the claim belongs to a life that has ended.

Every worker's tick puts such tasks back in the queue, in their old place, to be run again: tasks are
written to be safe to run twice (each action is one transaction, so a killed attempt left nothing half
done). A task that has lost its lease ``MAX_ATTEMPTS`` times is failed instead, so that a task which
kills its worker does not go on to kill every worker in turn. A compare-and-set on the claim's
``started_at`` makes sure that of several workers looking at once, one requeues it.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from servicepact.runtime.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Claims a task may lose before it is failed rather than run again.
MAX_ATTEMPTS = 3


class LeaseExpired(Exception):
    """The class a task failed for lost leases is recorded with (``exception_class_path``)."""


@dataclass
class Recovered:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def lease() -> timedelta:
    # Read at call time: tests and operators change the setting, not this module.
    return timedelta(seconds=settings.SERVICEPACT_TASK_LEASE_SECONDS)


def _claimed_by(task: DBTaskResult) -> str | None:
    return task.worker_ids[-1] if task.worker_ids else None


def lease_lost(task: DBTaskResult, beats: dict[str, WorkerHeartbeat], now: datetime) -> bool:
    """Whether the RUNNING ``task`` has lost its lease, given every worker's heartbeat by worker id."""
    beat = beats.get(_claimed_by(task))
    if beat is not None and task.started_at is not None and beat.started_at > task.started_at:
        return True  # the worker restarted under the same id since it claimed the task
    silent = beat is None or beat.seen_at < now - lease()
    return silent and (task.started_at is None or task.started_at < now - lease())


def lost_tasks(now: datetime) -> list[DBTaskResult]:
    """The RUNNING tasks whose lease has expired: stuck until a worker's tick requeues them."""
    beats = {beat.worker_id: beat for beat in WorkerHeartbeat.objects.all()}
    running = DBTaskResult.objects.running().order_by("started_at")
    return [task for task in running if lease_lost(task, beats, now)]


def recover_lost_tasks(now: datetime) -> Recovered:
    """Requeue (or, after MAX_ATTEMPTS claims, fail) every RUNNING task whose lease has expired."""
    recovered = Recovered()
    for task in lost_tasks(now):
        still_lost = DBTaskResult.objects.filter(
            pk=task.pk,
            status=TaskResultStatus.RUNNING,
            started_at=task.started_at,
        )
        attempts = len(task.worker_ids)
        with transaction.atomic():
            if attempts >= MAX_ATTEMPTS:
                changed = still_lost.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    return_value=None,
                    exception_class_path=f"{LeaseExpired.__module__}.{LeaseExpired.__qualname__}",
                    traceback=(
                        f"LeaseExpired: the worker running it stopped without finishing it "
                        f"{attempts} times (last: {_claimed_by(task)}); not run again\n"
                    ),
                )
                outcome = recovered.failed
            else:
                changed = still_lost.update(status=TaskResultStatus.READY)
                outcome = recovered.requeued
        if changed:
            outcome.append(str(task.pk))
            logger.warning(
                "task %s (%s) lost its lease with worker %s after %d attempt(s): %s",
                task.pk,
                task.task_path,
                _claimed_by(task),
                attempts,
                "failed" if outcome is recovered.failed else "queued again",
            )
    return recovered
