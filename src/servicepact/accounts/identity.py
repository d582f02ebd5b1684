"""People as an identity source describes them: single sign-on's claims and the directory's entries.

One mapping for both: the e-mail address, the name, the language, the time zone and the department of a
person, taken from the source when it says something this installation understands, and left as they are
otherwise (an unknown zone or language never overwrites a good one).
"""

import zoneinfo
from dataclasses import dataclass
from functools import cache

from django.db import transaction
from django.utils.translation import get_supported_language_variant

from servicepact.accounts.models import Membership, Organization, User
from servicepact.accounts.roles import Role


@dataclass(frozen=True)
class Described:
    """What a source says of a person; empty strings where it says nothing."""

    email: str
    external_id: str
    full_name: str = ""
    language: str = ""
    timezone: str = ""
    department: str = ""


def supported_language(value: str) -> str:
    """The installation's language for a claim such as ``zh-CN`` or ``en_US``; empty when none fits."""
    code = (value or "").strip().replace("_", "-").lower()
    if not code:
        return ""
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return ""


@cache
def _zones() -> frozenset[str]:
    # Read from the disk once: the directory asks for thousands of people.
    return frozenset(zoneinfo.available_timezones())


def known_timezone(value: str) -> str:
    value = (value or "").strip()
    return value if value in _zones() else ""


def changes_for(person: User, described: Described) -> dict[str, str]:
    """The fields of ``person`` that ``described`` would change, with their new values."""
    wanted = {
        "email": described.email.strip().lower(),
        "external_id": described.external_id,
        "full_name": described.full_name.strip(),
        "language": supported_language(described.language),
        "timezone": known_timezone(described.timezone),
        "department": described.department.strip(),
    }
    return {field: value for field, value in wanted.items() if value and getattr(person, field) != value}


def create_person(organization: Organization, described: Described, *, source: str, role: str = Role.REQUESTER) -> User:
    """A new person of ``organization`` from ``source``, with no usable password, holding ``role``."""
    with transaction.atomic():
        person = User.objects.create_user(
            described.email,
            organization=organization,
            identity_source=source,
            timezone=organization.timezone,
        )
        fields = changes_for(person, described)
        for field, value in fields.items():
            setattr(person, field, value)
        person.save()
        if role:
            Membership.objects.get_or_create(user=person, organization=organization, team=None, role=role)
    return person


def update_person(person: User, described: Described) -> User:
    fields = changes_for(person, described)
    if fields:
        for field, value in fields.items():
            setattr(person, field, value)
        person.save(update_fields=list(fields))
    return person
