"""Background work of the idempotency keys: forgetting them when they expire."""

from django.utils import timezone
from django_tasks import task

from servicepact.idempotency.keys import KEY_LIFETIME
from servicepact.idempotency.models import IdempotencyKey


@task()
def prune_expired_keys() -> dict[str, int]:
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return {"keys": deleted}
