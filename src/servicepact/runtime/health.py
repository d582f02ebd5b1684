"""What /healthz reports: the database, the background worker, its tasks and the outgoing mail."""

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django_tasks_db.models import DBTaskResult

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
    pending_tasks: int | None
    stuck_tasks: int | None = None  # running past their lease: their worker stopped mid-task
    mail_failing: int | None = None  # waiting for a retry after the mail server refused or was unreachable
    mail_overdue: int | None = None  # queued longer ago than MAIL_OVERDUE_AFTER and still not sent
    mail_given_up: int | None = None  # failed every retry, in the last MAIL_GIVEN_UP_SHOWN_FOR
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
            problems=["the database is unreachable"],
        )
    age = heartbeat.freshest_age_s(now)
    pending = Outbox.objects.filter(status=OutboxStatus.PENDING)
    health = Health(
        status="ok",
        database="ok",
        worker_heartbeat_age_s=age,
        pending_tasks=DBTaskResult.objects.ready().count(),
        stuck_tasks=len(leases.lost_tasks(now)),
        mail_failing=pending.exclude(last_error="").count(),
        mail_overdue=pending.filter(created_at__lt=now - MAIL_OVERDUE_AFTER).count(),
        # A given-up message's last try was a lease before its next_attempt_at (the claim moved it on).
        mail_given_up=Outbox.objects.filter(
            status=OutboxStatus.FAILED,
            next_attempt_at__gte=now - MAIL_GIVEN_UP_SHOWN_FOR,
        ).count(),
    )
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
