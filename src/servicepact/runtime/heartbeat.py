"""Worker heartbeats: each worker touches its row every tick; the health check reads the freshest."""

import os
import socket
from datetime import datetime

from django.db.models import Max

from servicepact.runtime.models import WorkerHeartbeat


def beat(worker_id: str, *, started_at: datetime, now: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "started_at": started_at, "seen_at": now},
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its row, so that its age does not mask a missing worker."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def freshest_age_s(now: datetime) -> int | None:
    """Seconds since any worker last beat; None when no worker has ever beaten (or all stopped cleanly)."""
    seen = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    if seen is None:
        return None
    return max(0, int((now - seen).total_seconds()))
