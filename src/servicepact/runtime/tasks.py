"""Background tasks of the runtime itself: keeping its own bookkeeping tables small, and SQLite's
statistics fresh."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from servicepact.runtime.models import WorkerHeartbeat

# A worker that has not beaten for a day is gone (killed without a clean stop).
STALE_HEARTBEAT = timedelta(days=1)
# Finished task results are kept for a week, for looking into failures.
FINISHED_TASK_RETENTION = timedelta(days=7)


@task()
def prune_runtime_records() -> dict[str, int]:
    now = timezone.now()
    heartbeats, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - STALE_HEARTBEAT).delete()
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=now - FINISHED_TASK_RETENTION).delete()
    return {"heartbeats": heartbeats, "task_results": results}


# SQLite's query planner chooses among indexes by the statistics ANALYZE gathers. Without them it guessed
# wrongly on large tables: a queue page's clock rows were read by their state instead of by the page's
# tickets, 0.4-0.9 s instead of 3-8 ms at a million tickets. With a limit, ANALYZE samples each index
# instead of reading it whole: about half a second on a database of a million tickets.
ANALYSIS_LIMIT = 1000


@task()
def refresh_statistics() -> dict[str, int | str]:
    """Refresh the SQLite query planner's statistics; PostgreSQL's autovacuum keeps its own."""
    if connection.vendor != "sqlite":
        return {"skipped": connection.vendor}
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        return {"indexes": cursor.fetchone()[0]}
