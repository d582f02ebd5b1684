from datetime import timedelta

from django.utils import timezone

from servicepact.runtime import heartbeat
from servicepact.runtime.models import WorkerHeartbeat


def test_no_worker_has_no_age(db):
    assert heartbeat.freshest_age_s(timezone.now()) is None


def test_each_beat_updates_the_one_row_of_its_worker(db):
    start = timezone.now()
    heartbeat.beat("w1", started_at=start, now=start)
    heartbeat.beat("w1", started_at=start, now=start + timedelta(seconds=5))
    row = WorkerHeartbeat.objects.get()
    assert row.seen_at == start + timedelta(seconds=5)
    assert row.started_at == start
    assert row.pid > 0


def test_the_age_is_that_of_the_freshest_worker(db):
    start = timezone.now()
    heartbeat.beat("old", started_at=start, now=start - timedelta(minutes=10))
    heartbeat.beat("new", started_at=start, now=start - timedelta(seconds=7))
    assert heartbeat.freshest_age_s(start) == 7


def test_a_worker_that_stops_cleanly_leaves_no_row(db):
    start = timezone.now()
    heartbeat.beat("w1", started_at=start, now=start)
    heartbeat.forget("w1")
    assert heartbeat.freshest_age_s(start) is None
