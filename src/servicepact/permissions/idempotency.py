"""Who sees an API client's idempotency keys: only the person who sent them, since each holds the answer
that person was given."""

from django.db.models import QuerySet

from servicepact.permissions.principal import Principal


def visible_idempotency_keys(keys: QuerySet, who: Principal) -> QuerySet:
    return keys.filter(person_id=who.user_id)
