"""In-app notices: each is its recipient's alone."""

from django.db.models import QuerySet

from servicepact.permissions.principal import Principal


def visible_notices(rows: QuerySet, who: Principal) -> QuerySet:
    return rows.filter(recipient_id=who.user_id)
