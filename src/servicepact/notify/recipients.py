"""Who reads a message, in which language and time zone: one message per recipient, each written under its
reader's ``speaking()``, so that the service's own words (gettext, phrases) come out in the reader's
language and instants in the reader's zone, whatever the language of the person whose change sent it.

A person speaks their own language and zone; an address that belongs to no active person (a team's or a
distribution list's) gets the service's defaults (LANGUAGE_CODE, TIME_ZONE).
"""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from servicepact.accounts.models import User


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str
    zone: str

    @contextmanager
    def speaking(self) -> Iterator[None]:
        """The reader's language and zone for the words and instants written inside."""
        with translation.override(self.language), timezone.override(ZoneInfo(self.zone)):
            yield

    def moment(self, at: datetime) -> str:
        """``at`` in the reader's zone, named: ``2026-03-02 17:01 (Asia/Shanghai)``."""
        return f"{at.astimezone(ZoneInfo(self.zone)):%Y-%m-%d %H:%M} ({self.zone})"

    def key(self, prefix: str) -> str:
        """The outbox key of this reader's message about ``prefix``: each reader's is queued once."""
        return f"{prefix}:{hashlib.sha256(self.address.lower().encode()).hexdigest()[:24]}"


def recipients_of(people: Iterable[User | str | None]) -> list[Recipient]:
    """Each distinct address once, in the order given (blanks skipped), with its reader's language and zone."""
    found: dict[str, Recipient] = {}
    for person in people:
        if isinstance(person, str):
            address = person.strip()
            person = User.objects.filter(email__iexact=address, is_active=True).first() if address else None
        else:
            address = (person.email or "").strip() if person is not None else ""
        if not address or address.lower() in found:
            continue
        found[address.lower()] = Recipient(
            address=address,
            language=(person.language if person is not None else "") or settings.LANGUAGE_CODE,
            zone=(person.timezone if person is not None else "") or settings.TIME_ZONE,
        )
    return list(found.values())


def absolute_url(path_or_name: str, *args) -> str:
    """A page at the address people reach the service at (SERVICEPACT_BASE_URL): a path, or a URL name."""
    path = path_or_name if path_or_name.startswith("/") else reverse(path_or_name, args=args)
    return settings.SERVICEPACT_BASE_URL.rstrip("/") + path
