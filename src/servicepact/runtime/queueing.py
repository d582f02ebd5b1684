"""Enqueueing a task that only needs to run once for any number of reasons: a wake-up, not a job each.

A task such as sending the outbox reads its work from the database when it runs, so one queued and not
yet started run covers every change committed before it starts. Enqueueing one per change only builds a
backlog of runs that find nothing to do (1,300 after 20 seconds of ticket creation under load).

With the database backend, the queue itself says whether such a run waits. Other backends (RQ) are
asked through a marker in the shared cache, set when a run is enqueued and cleared when it starts;
the marker expires, so a run lost with its broker costs at most ``MARKER_SECONDS`` of waiting, and the
periodic job of the same task covers that gap.
"""

from datetime import datetime

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

MARKER_SECONDS = 60


def _marker(task: Task, at: datetime | None = None) -> str:
    suffix = f":{int(at.timestamp())}" if at else ""
    return f"servicepact:task-waiting:{task.module_path}{suffix}"


def waiting(task: Task, at: datetime | None = None) -> bool:
    """Whether a run of ``task`` is queued, has not started, and will start by ``at`` (default: now)."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        by = at or timezone.now()
        return (
            DBTaskResult.objects.filter(
                status=TaskResultStatus.READY, backend_name=backend.alias, task_path=task.module_path
            )
            .filter(Q(run_after=get_date_max()) | Q(run_after__lte=by))
            .exists()
        )
    return cache.get(_marker(task, at)) is not None


def enqueue_unless_waiting(task: Task, at: datetime | None = None) -> bool:
    """Enqueue ``task`` (no arguments), to run at ``at`` (default: now), unless a run of it waits already
    that starts by then; whether one was enqueued.

    A run that has started may have read its work before the caller's change committed, so only a run
    that has not started makes another unnecessary.
    """
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        if waiting(task, at):
            return False
    elif not cache.add(_marker(task, at), 1, timeout=MARKER_SECONDS + (_seconds_until(at) if at else 0)):
        return False
    (task.using(run_after=at) if at else task).enqueue()
    return True


def _seconds_until(at: datetime) -> int:
    return max(0, int((at - timezone.now()).total_seconds()))


def run_started(task: Task) -> None:
    """Called first thing by such a task: from now on a change needs a new run (no-op on the database)."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        cache.delete(_marker(task))
