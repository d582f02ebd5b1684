"""``servicepact worker``: runs background tasks (the database queue, or RQ on Redis) and the scheduler."""

import logging
import os

import django_rq
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_rq.backend import Job

from servicepact.runtime import heartbeat
from servicepact.runtime.rq_backend import RQBackend
from servicepact.runtime.scheduler import SchedulerThread
from servicepact.runtime.schema import SchemaNotReady, check_schema
from servicepact.runtime.stopping import StoppableWorker

logger = logging.getLogger(__name__)


def uses_rq() -> bool:
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], RQBackend)


def run_database_worker(*, worker_id: str, queue_names: list[str], interval: float) -> None:
    worker = StoppableWorker(
        stop_grace_s=settings.SERVICEPACT_WORKER_STOP_SECONDS,
        queue_names=queue_names,
        interval=interval,
        batch=False,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=True,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def run_rq_worker(*, worker_id: str, queue_names: list[str]) -> None:
    """An RQ worker (SERVICEPACT_TASKS_BACKEND=rq): each job in a forked process, delayed jobs by its scheduler."""
    if queue_names == ["*"]:
        queue_names = list(settings.RQ_QUEUES)
    connections.close_all()  # the forked job processes must not share this process's connections
    worker = django_rq.get_worker(*queue_names, job_class=Job, name=worker_id)
    worker.work(with_scheduler=True, logging_level=rq_logging_level(settings.LOGGING["root"]["level"]))


def rq_logging_level(root_level: str) -> str:
    """RQ logs every job at INFO: the console hears of failed jobs only, unless debugging was asked for."""
    return (
        root_level
        if logging.getLevelName(root_level) < logging.INFO
        else max(root_level, "WARNING", key=logging.getLevelName)
    )


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, periodic jobs and a heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--worker-id", default="", help="Unique among running workers (default: random).")
        parser.add_argument(
            "--queues",
            default=DEFAULT_TASK_QUEUE_NAME,
            help="Comma-separated queue names, or * for all (default: %(default)s).",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when no task is queued (default: %(default)s)."
        )
        parser.add_argument(
            "--tick",
            type=float,
            default=5.0,
            help="Seconds between heartbeats and looks for due periodic jobs (default: %(default)s).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Fire no periodic jobs (the heartbeat, which holds the running task's lease, goes on).",
        )

    def handle(
        self, *, worker_id: str, queues: str, interval: float, tick: float, no_scheduler: bool, **options
    ) -> None:
        if interval < 0:
            raise CommandError(f"--interval {interval} must be zero or more seconds")
        if tick <= 0:
            raise CommandError(f"--tick {tick} must be more than zero seconds")
        try:
            check_schema("")
        except SchemaNotReady as problem:
            # Every task would fail on the missing tables, over and over: say what to run, and stop.
            self.stderr.write(f"servicepact: {problem}")
            raise SystemExit(2) from None
        worker_id = worker_id or f"worker-{get_random_string(12)}"
        # Background work yields the processors to the web processes on the same host (os.nice adds).
        if settings.SERVICEPACT_WORKER_NICE:
            os.nice(settings.SERVICEPACT_WORKER_NICE)
        # Started before the worker claims anything, so that its first task is covered by its heartbeat.
        scheduler = SchedulerThread(worker_id=worker_id, tick_s=tick, fire_jobs=not no_scheduler)
        self.stdout.write(f"worker {worker_id}: queues {queues}, scheduler {'off' if no_scheduler else 'on'}")
        scheduler.start()
        try:
            if uses_rq():
                run_rq_worker(worker_id=worker_id, queue_names=queues.split(","))
            else:
                run_database_worker(worker_id=worker_id, queue_names=queues.split(","), interval=interval)
        finally:
            # Reached on SIGINT/SIGTERM too: the task in hand has finished, or gone back to the queue
            # after SERVICEPACT_WORKER_STOP_SECONDS (runtime/stopping.py; RQ: its warm shutdown).
            scheduler.stop()
            heartbeat.forget(worker_id)
            self.stdout.write(f"worker {worker_id}: stopped")
