"""Who sees a saved view of a queue: only the person who saved it; it names filters, no tenant's data."""

from django.db.models import QuerySet

from servicepact.permissions.principal import Principal


def visible_saved_views(views: QuerySet, who: Principal) -> QuerySet:
    return views.filter(owner_id=who.user_id)
