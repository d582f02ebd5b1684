from servicepact.runtime.models.generation import Generation
from servicepact.runtime.models.heartbeat import WorkerHeartbeat
from servicepact.runtime.models.scheduled_job import ScheduledJob

__all__ = ["Generation", "ScheduledJob", "WorkerHeartbeat"]
