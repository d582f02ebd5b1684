"""In-app notices: each is its recipient's alone. An outgoing message's attachments: with their message."""

from django.apps import apps
from django.db.models import QuerySet

from servicepact.permissions.principal import Principal


def visible_notices(rows: QuerySet, who: Principal) -> QuerySet:
    return rows.filter(recipient_id=who.user_id)


def visible_outbox_attachments(rows: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return rows
    return rows.filter(message__in=apps.get_model("notify", "Outbox").objects.visible_to(who).values("pk"))
