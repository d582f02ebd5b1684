"""Django's Tasks API on Redis through RQ (django-tasks-rq), for sites too large for the database queue.

The database backend writes a task in the transaction of the change that caused it, so a rolled-back
change never leaves a task behind and a worker never runs a task before its change is visible. RQ's queue
lives outside that transaction; this backend keeps the same promise by handing the job to Redis only when
the transaction commits (at once outside one), under the id returned to the caller.
"""

from typing import Any

import django_rq
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, failed_callback, success_callback
from django_tasks_rq.backend import RQBackend as LibraryRQBackend
from rq.job import Callback, JobStatus


class RQBackend(LibraryRQBackend):
    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: self._push(task, result), robust=False)
        return result

    def _push(self, task: Task, result: TaskResult) -> None:
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=result.args,
            kwargs=result.kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
        )
        if task.run_after is None:
            queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            queue.schedule_job(job, task.run_after)
        task_enqueued.send(type(self), task_result=result)
