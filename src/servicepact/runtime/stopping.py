"""A task worker that stops within a few seconds of SIGTERM and never leaves its task RUNNING.

django-tasks-db's worker, told to stop, waits for the task in hand however long it takes (a monthly
report over a large history takes minutes), and the process manager kills it after its own grace: the
task stays RUNNING until another worker's lease check takes it back. Here the task in hand gets
``SERVICEPACT_WORKER_STOP_SECONDS`` to finish; then (or at a second SIGTERM or SIGINT) it is interrupted
by an exception raised in it, its open transaction rolls back, and the task goes back to the queue in its
old place, its claim undone, to be run from the start by the next worker. Tasks are written to be safe
to run again (each action is one transaction; see ``leases.py``).
"""

import logging
import signal
from types import FrameType

from django.db import close_old_connections, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class WorkerStopping(BaseException):
    """Raised inside the running task when the worker must stop now; a BaseException so that a task's
    ``except Exception`` does not swallow it."""


class StoppableWorker(Worker):
    def __init__(self, *, stop_grace_s: float, **options) -> None:
        super().__init__(**options)
        self.stop_grace_s = stop_grace_s
        self.interrupting = False

    def configure_signals(self) -> None:
        super().configure_signals()
        signal.signal(signal.SIGALRM, self._interrupt)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running and self.running_task:
            logger.warning(
                "Received %s - the running task has %ss to finish, then goes back to the queue",
                signal.strsignal(signum),
                self.stop_grace_s,
            )
            self.running = False
            signal.setitimer(signal.ITIMER_REAL, max(self.stop_grace_s, 0.001))
            return
        if self.running_task:  # asked again: do not wait for the grace
            self._interrupt(signum, frame)
            return
        super().shutdown(signum, frame)  # nothing running: exits at once

    def _interrupt(self, signum: int, frame: FrameType | None) -> None:
        if self.running_task and not self.interrupting:
            self.interrupting = True
            raise WorkerStopping()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self._run_or_release(db_task_result)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _run_or_release(self, db_task_result: DBTaskResult) -> None:
        # The library's run_task records any BaseException as the task's failure; a stop is not one.
        original_set_failed = db_task_result.set_failed

        def set_failed(error: BaseException) -> None:
            if isinstance(error, WorkerStopping):
                raise error
            original_set_failed(error)

        db_task_result.set_failed = set_failed
        try:
            super().run_task(db_task_result)
        except WorkerStopping:
            self.running_task = False
            release(db_task_result, self.worker_id)


def release(task: DBTaskResult, worker_id: str) -> bool:
    """Put a task this worker claimed back in the queue as if never claimed; whether it was still ours."""
    close_old_connections()
    with transaction.atomic():
        row = DBTaskResult.objects.select_for_update().filter(pk=task.pk, status=TaskResultStatus.RUNNING).first()
        if row is None or not row.worker_ids or row.worker_ids[-1] != worker_id:
            return False
        DBTaskResult.objects.filter(pk=row.pk).update(
            status=TaskResultStatus.READY, started_at=None, worker_ids=row.worker_ids[:-1]
        )
    logger.warning("task %s (%s) interrupted by the worker's stop: queued again", task.pk, task.task_path)
    return True
