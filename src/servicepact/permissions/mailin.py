"""Inbound mail: a contract's mailboxes and the mails they received, for the provider's administrators of
that contract (the desk's own setup); the tickets the mails opened are seen as tickets are."""

from django.db.models import QuerySet

from servicepact.permissions.administration import is_administrator
from servicepact.permissions.principal import Principal, principal_of


def visible_mailboxes(mailboxes: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return mailboxes
    if not is_administrator(who):
        return mailboxes.none()
    return mailboxes.filter(contract__provider_id=who.organization_id)


def visible_inbound_messages(messages: QuerySet, who: Principal) -> QuerySet:
    if who.is_superuser:
        return messages
    if not is_administrator(who):
        return messages.none()
    return messages.filter(mailbox__contract__provider_id=who.organization_id)


def can_retry_mail(user, message) -> bool:
    """A failed mail is tried again by those who see it (the access layer found it)."""
    return is_administrator(principal_of(user))
