"""Catching up on many overdue reports: a run works for its budget, then queues the rest behind other tasks."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from servicepact.slm import tasks_reports
from servicepact.slm.models import StoredReport
from servicepact.slm.tasks_reports import generate_due, generate_due_reports
from servicepact.slm.tests.report_world import play_week

NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
TASK = "servicepact.slm.tasks_reports.generate_due_reports"


@pytest.mark.django_db
def test_a_run_out_of_budget_leaves_the_rest_to_a_later_low_priority_run(world, monkeypatch):
    play_week(world)
    due = len(tasks_reports.due_requests(NOW))
    assert due > 3
    monkeypatch.setattr(tasks_reports, "RUN_BUDGET", timedelta(0))  # one report a run

    before = timezone.now()
    first = generate_due_reports.call(NOW.isoformat())
    assert (first["generated"], first["remaining"]) == (1, due - 1)
    [follow_up] = DBTaskResult.objects.filter(task_path=TASK, status="READY")
    # Behind the other tasks, and not before a pause as long as the run itself.
    assert follow_up.priority < 0 and follow_up.run_after >= before
    assert follow_up.args_kwargs["args"] == [NOW.isoformat()]

    runs = 1
    while follow_up is not None:
        follow_up.claim("worker-test")
        result = generate_due_reports.call(*follow_up.args_kwargs["args"])
        follow_up.set_successful(result)
        runs += 1
        follow_up = DBTaskResult.objects.filter(task_path=TASK, status="READY").first()
    assert runs == due and StoredReport.objects.count() == due
    assert generate_due(NOW)["generated"] == 0


@pytest.mark.django_db
def test_within_budget_one_run_generates_everything(world):
    play_week(world)
    result = generate_due_reports.call(NOW.isoformat())
    assert result["remaining"] == 0 and result["generated"] == StoredReport.objects.count()
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()
