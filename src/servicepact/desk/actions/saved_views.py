"""A person's saved views of the queues: saved under a name (the same name again replaces it), or deleted."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.desk.models import SavedView
from servicepact.refusals import ActionRefused

NAME_MAX = 80
QUERY_MAX = 1000


def save_view(*, actor: User, name: str, queue: str, query: str) -> SavedView:
    """Keep the queue ``queue`` with the filters ``query`` (a URL's query string) as ``name`` for ``actor``."""
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Name the view."), errors={"name": [_("Name the view.")]})
    if len(name) > NAME_MAX:
        message = _("A view's name has at most %(count)d characters.") % {"count": NAME_MAX}
        raise ActionRefused(message, errors={"name": [message]})
    if len(query) > QUERY_MAX:
        message = _("These filters are too long to keep.")
        raise ActionRefused(message, errors={"name": [message]})
    with transaction.atomic():
        view, _created = SavedView.objects.update_or_create(
            owner=actor, name=name, defaults={"queue": queue, "query": query, "created_at": timezone.now()}
        )
    return view


def delete_view(*, actor: User, name: str) -> None:
    with transaction.atomic():
        deleted, _kinds = SavedView.objects.visible_to(actor).filter(name=name).delete()
    if not deleted:
        message = _("You have no view named %(name)s.") % {"name": name}
        raise ActionRefused(message, errors={"name": [message]}, status=404)
