"""Enqueueing a task that only needs to run once for any number of reasons: a wake-up, not a job each.

A task such as sending the outbox reads its work from the database when it runs, so one queued and not
yet started run covers every change committed before it starts. Enqueueing one per change only builds a
backlog of runs that find nothing to do (1,300 after 20 seconds of ticket creation under load).

With the database backend, the queue itself says whether such a run waits. Other backends (RQ) are
asked through a marker in the shared cache, set when a run is enqueued and cleared when it starts;
the marker expires, so a run lost with its broker costs at most ``MARKER_SECONDS`` of waiting, and the
periodic job of the same task covers that gap.
"""

from django.core.cache import cache
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

MARKER_SECONDS = 60


def _marker(task: Task) -> str:
    return f"servicepact:task-waiting:{task.module_path}"


def waiting(task: Task) -> bool:
    """Whether a run of ``task`` is queued and has not started yet."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        return DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, backend_name=backend.alias, task_path=task.module_path
        ).exists()
    return cache.get(_marker(task)) is not None


def enqueue_unless_waiting(task: Task) -> bool:
    """Enqueue ``task`` (no arguments) unless a run of it waits already; whether one was enqueued.

    A run that has started may have read its work before the caller's change committed, so only a run
    that has not started makes another unnecessary.
    """
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        if waiting(task):
            return False
    elif not cache.add(_marker(task), 1, timeout=MARKER_SECONDS):
        return False
    task.enqueue()
    return True


def run_started(task: Task) -> None:
    """Called first thing by such a task: from now on a change needs a new run (no-op on the database)."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        cache.delete(_marker(task))
