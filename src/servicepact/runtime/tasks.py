"""Background tasks of the runtime itself: keeping its own bookkeeping tables small."""

from datetime import timedelta

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
