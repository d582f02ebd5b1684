"""Leases on running tasks: a task whose worker died is queued again (or failed after MAX_ATTEMPTS)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from servicepact.runtime import heartbeat, leases
from servicepact.runtime.models import ScheduledJob
from servicepact.runtime.scheduler import SchedulerThread
from servicepact.runtime.tasks import prune_runtime_records

LEASE_S = 120


@pytest.fixture(autouse=True)
def lease_of_two_minutes(settings):
    settings.SERVICEPACT_TASK_LEASE_SECONDS = LEASE_S


def running_task(worker_id: str, *, claimed_ago: timedelta, earlier_workers: tuple[str, ...] = ()) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=prune_runtime_records.enqueue().id)
    for earlier in earlier_workers:
        result.worker_ids.append(earlier)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - claimed_ago)
    result.refresh_from_db()
    return result


def beat(worker_id: str, *, started_ago: timedelta, seen_ago: timedelta) -> None:
    now = timezone.now()
    heartbeat.beat(worker_id, started_at=now - started_ago, now=now - seen_ago)


def status_of(result: DBTaskResult) -> str:
    result.refresh_from_db()
    return result.status


def test_a_live_worker_keeps_its_long_task(db):
    beat("w1", started_ago=timedelta(hours=2), seen_ago=timedelta(seconds=3))
    task = running_task("w1", claimed_ago=timedelta(hours=1))
    assert leases.recover_lost_tasks(timezone.now()).requeued == []
    assert status_of(task) == TaskResultStatus.RUNNING


def test_a_task_of_a_silent_worker_is_queued_again_in_its_old_place(db):
    beat("dead", started_ago=timedelta(hours=1), seen_ago=timedelta(seconds=LEASE_S + 5))
    task = running_task("dead", claimed_ago=timedelta(minutes=10))
    recovered = leases.recover_lost_tasks(timezone.now())
    assert recovered.requeued == [str(task.pk)] and recovered.failed == []
    assert status_of(task) == TaskResultStatus.READY
    assert list(DBTaskResult.objects.ready()) == [task]
    assert task.worker_ids == ["dead"]  # the attempts so far stay on record


def test_a_worker_that_vanished_without_a_row_loses_its_task(db):
    task = running_task("gone", claimed_ago=timedelta(seconds=LEASE_S + 1))
    assert leases.recover_lost_tasks(timezone.now()).requeued == [str(task.pk)]


def test_a_task_claimed_just_now_waits_for_its_worker_s_first_beat(db):
    task = running_task("starting", claimed_ago=timedelta(seconds=2))
    assert leases.recover_lost_tasks(timezone.now()).requeued == []
    assert status_of(task) == TaskResultStatus.RUNNING


def test_a_worker_restarted_under_the_same_id_does_not_hold_its_earlier_life_s_task(db):
    task = running_task("host-serve-8000", claimed_ago=timedelta(seconds=30))
    beat("host-serve-8000", started_ago=timedelta(seconds=5), seen_ago=timedelta(seconds=1))
    assert leases.recover_lost_tasks(timezone.now()).requeued == [str(task.pk)]


def test_a_task_that_lost_its_lease_max_attempts_times_is_failed_not_run_again(db):
    task = running_task("w3", claimed_ago=timedelta(minutes=10), earlier_workers=("w1", "w2"))
    assert leases.MAX_ATTEMPTS == 3
    recovered = leases.recover_lost_tasks(timezone.now())
    assert recovered.failed == [str(task.pk)] and recovered.requeued == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.finished_at is not None
    [error] = task.task_result.errors
    assert error.exception_class is leases.LeaseExpired
    assert "3 times" in error.traceback


def test_a_task_claimed_again_meanwhile_is_left_to_its_new_worker(db, monkeypatch):
    beat("dead", started_ago=timedelta(hours=1), seen_ago=timedelta(minutes=10))
    stale = running_task("dead", claimed_ago=timedelta(minutes=10))
    # Another worker requeued it and a live one claimed it after this worker read the stale row.
    DBTaskResult.objects.filter(pk=stale.pk).update(started_at=timezone.now(), worker_ids=["dead", "live"])
    monkeypatch.setattr(leases, "lost_tasks", lambda now: [stale])
    assert leases.recover_lost_tasks(timezone.now()).requeued == []
    assert status_of(stale) == TaskResultStatus.RUNNING


def test_a_tick_without_periodic_jobs_still_beats_and_recovers(db):
    task = running_task("gone", claimed_ago=timedelta(minutes=10))
    scheduler = SchedulerThread(worker_id="tasks-only", tick_s=5, fire_jobs=False)
    scheduler.tick()
    assert heartbeat.freshest_age_s(timezone.now()) in (0, 1)
    assert status_of(task) == TaskResultStatus.READY
    assert not ScheduledJob.objects.exists()
