from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicepact.runtime.models import ScheduledJob, WorkerHeartbeat
from servicepact.runtime.periodic import PeriodicJob, periodic_jobs
from servicepact.runtime.scheduler import SchedulerThread, claim_turn, fire_due_jobs, next_turn, sync_jobs

PRUNE = "servicepact.runtime.tasks.prune_runtime_records"


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def due_job(db, now):
    return ScheduledJob.objects.create(
        name="prune", task_path=PRUNE, interval_s=60, next_run_at=now - timedelta(seconds=1)
    )


def test_sync_creates_registered_jobs_due_at_once_and_drops_unregistered(db, now):
    ScheduledJob.objects.create(name="retired", task_path=PRUNE, interval_s=5, next_run_at=now)
    sync_jobs([PeriodicJob("prune", PRUNE, 600)], now=now)
    assert list(ScheduledJob.objects.values_list("name", "interval_s", "next_run_at")) == [("prune", 600, now)]


def test_sync_keeps_the_turn_of_an_unchanged_job_and_shortens_a_shortened_one(db, now):
    sync_jobs([PeriodicJob("prune", PRUNE, 600)], now=now)
    ScheduledJob.objects.filter(name="prune").update(next_run_at=now + timedelta(seconds=500))
    sync_jobs([PeriodicJob("prune", PRUNE, 600)], now=now)
    assert ScheduledJob.objects.get().next_run_at == now + timedelta(seconds=500)
    sync_jobs([PeriodicJob("prune", PRUNE, 60)], now=now)
    assert ScheduledJob.objects.get().next_run_at == now + timedelta(seconds=60)


def test_the_registry_holds_the_sla_sweep_at_the_configured_interval(settings):
    settings.SERVICEPACT_SWEEP_SECONDS = 17
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["sla-sweep"].task_path == "servicepact.slm.tasks.sweep_clocks"
    assert jobs["sla-sweep"].interval_s == 17


def test_a_due_job_is_enqueued_once_and_its_turn_moves_on(due_job, now):
    assert fire_due_jobs(worker_id="w1", now=now) == ["prune"]
    assert fire_due_jobs(worker_id="w2", now=now) == []
    job = ScheduledJob.objects.get()
    assert job.fire_count == 1
    assert job.last_worker_id == "w1"
    assert job.next_run_at == due_job.next_run_at + timedelta(seconds=60)
    result = DBTaskResult.objects.get()
    assert result.task_path == PRUNE
    assert str(result.id) == job.last_result_id


def test_a_job_not_yet_due_is_left_alone(due_job, now):
    assert fire_due_jobs(worker_id="w1", now=now - timedelta(seconds=2)) == []
    assert DBTaskResult.objects.count() == 0


def test_turns_missed_while_no_worker_ran_are_skipped_not_fired_in_a_burst(due_job, now):
    later = now + timedelta(hours=1)
    assert fire_due_jobs(worker_id="w1", now=later) == ["prune"]
    assert fire_due_jobs(worker_id="w1", now=later) == []
    assert ScheduledJob.objects.get().next_run_at == later + timedelta(seconds=60)
    assert next_turn(due_job, now) == due_job.next_run_at + timedelta(seconds=60)


def test_compare_and_set_claim_fails_for_a_worker_that_read_a_stale_turn(due_job, now):
    stale_copy = ScheduledJob.objects.get(pk=due_job.pk)
    assert claim_turn(due_job, worker_id="w1", now=now) is True
    assert claim_turn(stale_copy, worker_id="w2", now=now) is False
    assert ScheduledJob.objects.get().last_worker_id == "w1"


def test_an_unknown_task_costs_its_turn_but_not_the_other_jobs(db, now, caplog):
    past = now - timedelta(seconds=1)
    ScheduledJob.objects.create(name="broken", task_path="servicepact.nowhere.task", interval_s=60, next_run_at=past)
    ScheduledJob.objects.create(name="prune", task_path=PRUNE, interval_s=60, next_run_at=past)
    assert fire_due_jobs(worker_id="w1", now=now) == ["broken", "prune"]
    assert DBTaskResult.objects.get().task_path == PRUNE
    assert ScheduledJob.objects.get(name="broken").last_result_id == ""
    assert "servicepact.nowhere.task" in caplog.text


def test_a_scheduler_tick_beats_and_fires(db, settings):
    settings.SERVICEPACT_SWEEP_SECONDS = 60
    scheduler = SchedulerThread(worker_id="w1", tick_s=5)
    scheduler.tick()
    beat = WorkerHeartbeat.objects.get()
    assert beat.worker_id == "w1"
    assert set(ScheduledJob.objects.values_list("name", flat=True)) == {job.name for job in periodic_jobs()}
    assert ScheduledJob.objects.get(name="prune-runtime-records").fire_count == 1


@pytest.mark.parametrize(("option", "value"), [("--tick", "0"), ("--interval", "-1")])
def test_the_worker_refuses_a_bad_timing_naming_the_option(db, option, value):
    with pytest.raises(CommandError, match=option):
        call_command("worker", option, value)
