"""A person's own working aids: saved views of the queues (only their owner's) and their teams' canned replies."""

from django.db.models import QuerySet

from servicepact.permissions.principal import Principal


def visible_saved_views(views: QuerySet, who: Principal) -> QuerySet:
    return views.filter(owner_id=who.user_id)


def visible_canned_replies(replies: QuerySet, who: Principal) -> QuerySet:
    """A team's canned replies: for the members of the team who work tickets."""
    if who.is_superuser:
        return replies
    if not who.is_staff_member:
        return replies.none()
    return replies.filter(team_id__in=who.team_ids)
