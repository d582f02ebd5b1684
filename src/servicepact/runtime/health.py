"""What /healthz reports: the database, the background worker, the backlog of tasks."""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django_tasks_db.models import DBTaskResult

from servicepact.runtime import heartbeat

logger = logging.getLogger(__name__)

# A worker beats every few seconds; one silent for longer than this is reported as not running.
WORKER_SILENT_AFTER_S = 120


@dataclass
class Health:
    status: str  # ok, degraded (no live worker: tasks and sweeps wait) or down (no database)
    database: str  # ok or unreachable
    worker_heartbeat_age_s: int | None
    pending_tasks: int | None

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
        return Health(status="down", database="unreachable", worker_heartbeat_age_s=None, pending_tasks=None)
    age = heartbeat.freshest_age_s(now)
    pending = DBTaskResult.objects.ready().count()
    worker_alive = age is not None and age <= WORKER_SILENT_AFTER_S
    return Health(
        status="ok" if worker_alive else "degraded",
        database="ok",
        worker_heartbeat_age_s=age,
        pending_tasks=pending,
    )
