"""What /healthz reports: the database, the background worker, its tasks and the outgoing mail.

Mail that cannot be sent never waits silently: the outbox's pending messages, the age of the oldest, the
messages given up, and a degraded status once mail is overdue or failing. The task backlog is counted
on the queue the site uses: ready tasks in the database, or the jobs waiting in Redis under RQ.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Min
from django_tasks_db.models import DBTaskResult
from rq import Queue

from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.runtime import heartbeat, leases

logger = logging.getLogger(__name__)

# A worker beats every few seconds; one silent for longer than this is reported as not running.
WORKER_SILENT_AFTER_S = 120
# A message still waiting this long after it was queued is overdue: the mail server refuses it, or no
# worker sends (the first retries come after 1 and 5 minutes, so a short outage stays under this).
MAIL_OVERDUE_AFTER = timedelta(minutes=30)
# A message given up (after every retry) keeps the service degraded for this long after its last try.
MAIL_GIVEN_UP_SHOWN_FOR = timedelta(days=1)


@dataclass
class Health:
    status: str  # ok, degraded (the web works; background work or mail does not) or down (no database)
    database: str  # ok or unreachable
    worker_heartbeat_age_s: int | None
    pending_tasks: int | None  # the backlog: tasks ready to run (database) or jobs waiting in Redis (RQ)
    task_queue: str = ""  # database or rq
    stuck_tasks: int | None = None  # running past their lease: their worker stopped mid-task
    mail_pending: int | None = None  # in the outbox, not sent yet (due now, or waiting for a retry)
    mail_oldest_pending_age_s: int | None = None  # how long the oldest of them has waited; None: none waits
    mail_failing: int | None = None  # waiting for a retry after the mail server refused or was unreachable
    mail_overdue: int | None = None  # queued longer ago than MAIL_OVERDUE_AFTER and still not sent
    mail_given_up: int | None = None  # failed every retry, in the last MAIL_GIVEN_UP_SHOWN_FOR
    mail_failed: int | None = None  # failed every retry, ever (the outbox's admin lists them)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def database_reachable(connection: BaseDatabaseWrapper) -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        # The reason goes to the log; the public answer names no host, user or path.
        logger.exception("health check: database %s unreachable", connection.alias)
        return False
    return True


def check(connection: BaseDatabaseWrapper, now: datetime) -> Health:
    if not database_reachable(connection):
        return Health(
            status="down",
            database="unreachable",
            worker_heartbeat_age_s=None,
            pending_tasks=None,
            task_queue=task_queue(),
            problems=["the database is unreachable"],
        )
    age = heartbeat.freshest_age_s(now)
    pending = Outbox.objects.filter(status=OutboxStatus.PENDING)
    oldest = pending.aggregate(at=Min("created_at"))["at"]
    queue = task_queue()
    health = Health(
        status="ok",
        database="ok",
        worker_heartbeat_age_s=age,
        pending_tasks=task_backlog(queue),
        task_queue=queue,
        stuck_tasks=len(leases.lost_tasks(now)),
        mail_pending=pending.count(),
        mail_oldest_pending_age_s=None if oldest is None else max(0, int((now - oldest).total_seconds())),
        mail_failing=pending.exclude(last_error="").count(),
        mail_overdue=pending.filter(created_at__lt=now - MAIL_OVERDUE_AFTER).count(),
        # A given-up message's last try was a lease before its next_attempt_at (the claim moved it on).
        mail_given_up=Outbox.objects.filter(
            status=OutboxStatus.FAILED,
            next_attempt_at__gte=now - MAIL_GIVEN_UP_SHOWN_FOR,
        ).count(),
        mail_failed=Outbox.objects.filter(status=OutboxStatus.FAILED).count(),
    )
    if health.pending_tasks is None:
        health.problems.append("the task queue (Redis) is unreachable")
    if age is None or age > WORKER_SILENT_AFTER_S:
        health.problems.append(f"no worker has beaten in the last {WORKER_SILENT_AFTER_S} s")
    if health.stuck_tasks:
        health.problems.append(f"{health.stuck_tasks} task(s) running past their lease")
    if health.mail_failing:
        health.problems.append(f"{health.mail_failing} message(s) failing to send")
    if health.mail_overdue:
        health.problems.append(
            f"{health.mail_overdue} message(s) queued for over {int(MAIL_OVERDUE_AFTER.total_seconds() // 60)} minutes"
        )
    if health.mail_given_up:
        health.problems.append(f"{health.mail_given_up} message(s) given up after every retry")
    if health.problems:
        health.status = "degraded"
    return health


def task_queue() -> str:
    return "rq" if settings.TASKS["default"]["BACKEND"].endswith("RQBackend") else "database"


def task_backlog(queue: str) -> int | None:
    """Tasks waiting to run; None when the queue cannot be read."""
    if queue == "database":
        return DBTaskResult.objects.ready().count()
    try:
        connection = redis.Redis.from_url(settings.SERVICEPACT_REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        # The jobs queued (to run now) and scheduled (to run later) on every queue the workers take.
        return sum(
            Queue(name, connection=connection).count + Queue(name, connection=connection).scheduled_job_registry.count
            for name in getattr(settings, "RQ_QUEUES", {"default": None})
        )
    except redis.RedisError:
        logger.exception("health check: the task queue in Redis cannot be read")
        return None
