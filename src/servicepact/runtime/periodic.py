"""The periodic jobs of the service, registered here and nowhere else.

Each is a django-tasks task (by dotted path) and its interval; the scheduler in every worker fires it,
and the row lock in ``scheduler.py`` makes sure one worker does per turn.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str
    interval_s: int


def periodic_jobs() -> list[PeriodicJob]:
    # Read at call time, not import time: intervals come from settings, which tests override.
    return [
        PeriodicJob("sla-sweep", "servicepact.slm.tasks.sweep_clocks", settings.SERVICEPACT_SWEEP_SECONDS),
        PeriodicJob("send-notifications", "servicepact.notify.tasks.send_pending", 60),  # retries; commits wake it too
        PeriodicJob("deliver-webhooks", "servicepact.webhooks.tasks.deliver_pending", 60),  # retries; commits wake it
        PeriodicJob("escalate-pages", "servicepact.oncall.tasks.escalate_due_pages", 60),  # a lost timer's step
        PeriodicJob("due-reports", "servicepact.slm.tasks_reports.generate_due_reports", 3600),
        PeriodicJob("suggest-problems", "servicepact.problems.tasks.suggest_problems", 3600),
        PeriodicJob("major-incident-reminders", "servicepact.major_incidents.tasks.remind_updates", 300),
        PeriodicJob("read-mail", "servicepact.mailin.tasks.read_mail", 60),
        PeriodicJob("directory-sync", "servicepact.accounts.tasks.sync_directories", 3600),
        PeriodicJob("prune-runtime-records", "servicepact.runtime.tasks.prune_runtime_records", 6 * 3600),
        PeriodicJob("refresh-statistics", "servicepact.runtime.tasks.refresh_statistics", 6 * 3600),
        PeriodicJob("prune-idempotency-keys", "servicepact.idempotency.tasks.prune_expired_keys", 6 * 3600),
        PeriodicJob(
            "checkpoint",
            "servicepact.evidence.tasks.take_scheduled_checkpoint",
            settings.SERVICEPACT_CHECKPOINT_HOURS * 3600,
        ),
    ]
