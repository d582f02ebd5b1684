"""The keys' own bookkeeping: expired keys are pruned by a periodic job."""

from datetime import timedelta

from django.utils import timezone

from servicepact.idempotency.keys import KEY_LIFETIME
from servicepact.idempotency.models import IdempotencyKey
from servicepact.idempotency.tasks import prune_expired_keys
from servicepact.runtime.periodic import periodic_jobs


def key(person, name: str, age: timedelta) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        person=person,
        key=name,
        operation="create_ticket",
        fingerprint="0" * 64,
        status=201,
        content_type="application/json",
        body="{}",
        created_at=timezone.now() - age,
    )


def test_expired_keys_are_pruned_and_live_ones_kept(world):
    person = world.people["requester"]
    key(person, "old", KEY_LIFETIME + timedelta(minutes=1))
    key(person, "live", KEY_LIFETIME - timedelta(minutes=1))
    assert prune_expired_keys.call() == {"keys": 1}
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["live"]


def test_the_pruning_is_a_periodic_job():
    assert "servicepact.idempotency.tasks.prune_expired_keys" in {job.task_path for job in periodic_jobs()}


def test_a_person_sees_only_their_own_keys(world):
    key(world.people["requester"], "mine", timedelta(0))
    key(world.people["agent"], "theirs", timedelta(0))
    assert [row.key for row in IdempotencyKey.objects.visible_to(world.people["requester"])] == ["mine"]
