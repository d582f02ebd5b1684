"""In-app notices: the bell in the header with the unread count, for assignments, replies, resolutions
and clock warnings. Written in the action's transaction like the outbox (a change rolled back leaves no
notice), kept quiet while past history is replayed, never to the person who made the change."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from servicepact.accounts.models import User
from servicepact.desk.models import Ticket
from servicepact.notify.actions import notifications_silenced
from servicepact.notify.models import Notice
from servicepact.notify.phrases import Phrase

TEXT_MAX = Notice._meta.get_field("text").max_length


def post_notices(
    people: Iterable[User | None],
    *,
    text: str | Phrase | Promise,
    ticket: Ticket | None = None,
    actor: User | None = None,
    at: datetime | None = None,
) -> int:
    """One notice each to ``people`` (active ones, without the actor); how many were posted.

    ``text`` is rendered for each person in their own language (a ``Phrase`` or a lazy translation; a
    plain string is the same for everyone)."""
    if notifications_silenced():
        return 0
    recipients = {person.pk: person for person in people if person is not None and person.is_active and person != actor}
    at = at or timezone.now()
    Notice.objects.bulk_create(
        Notice(recipient=person, ticket=ticket, text=text_for(person, text), created_at=at)
        for person in recipients.values()
    )
    return len(recipients)


def text_for(person: User, text: str | Phrase | Promise) -> str:
    with translation.override(person.language or settings.LANGUAGE_CODE):
        shown = " ".join(str(text).split())
    return shown if len(shown) <= TEXT_MAX else shown[: TEXT_MAX - 1] + "…"


def mark_read(*, actor: User, notice_ids: Iterable[int] | None = None, at: datetime | None = None) -> int:
    """Mark the actor's notices read: those named, or all of them."""
    unread = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    with transaction.atomic():
        return unread.update(read_at=at or timezone.now())


def unread_count(person: User) -> int:
    return Notice.objects.filter(recipient=person, read_at__isnull=True).count()
