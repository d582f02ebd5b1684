"""The employee directory (LDAP, with ldap3): synchronization of people, and sign-in by binding.

A synchronization reads every person under the directory's people base (paged), the disabled ones, and
the members of the mapped groups; it plans what changes here: people to create, details to update
(name, e-mail, language, department, manager), people to deactivate (gone from the directory or disabled:
they leave, their tickets stay) or to reactivate, and roles to give or take by the group mapping. A dry
run stores the plan as its report and changes nothing; a run carries it out in one transaction. The
directory's people are matched by their DN (``external_id``), then by e-mail address among the
organization's people.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import ldap3
from django.contrib.auth.backends import BaseBackend
from django.db import transaction
from django.utils import timezone
from ldap3.core.exceptions import LDAPException

from servicepact.accounts.identity import Described, changes_for, create_person
from servicepact.accounts.models import DirectorySource, DirectorySync, Membership, User
from servicepact.accounts.models.user import IdentitySource

PAGE_SIZE = 500
TIMEOUT_SECONDS = 15
# How many names each list of the report keeps (the counts are whole).
REPORT_SAMPLE = 50


class DirectoryUnavailable(Exception):
    """The directory could not be reached or read."""


@dataclass
class Entry:
    dn: str
    described: Described
    manager_dn: str = ""
    disabled: bool = False
    roles: set[str] = field(default_factory=set)


@dataclass
class Plan:
    create: list[Entry] = field(default_factory=list)
    update: list[tuple[User, dict]] = field(default_factory=list)
    deactivate: list[User] = field(default_factory=list)
    reactivate: list[User] = field(default_factory=list)
    grant: list[tuple[User | Entry, str]] = field(default_factory=list)
    revoke: list[tuple[User, str]] = field(default_factory=list)
    managers: dict[str, str] = field(default_factory=dict)  # a person's DN -> their manager's DN
    skipped: list[str] = field(default_factory=list)
    read: int = 0

    def report(self) -> dict:
        def sample(items) -> list[str]:
            return [str(item) for item in items[:REPORT_SAMPLE]]

        return {
            "read": self.read,
            "with_manager": len(self.managers),
            "counts": {
                "create": len(self.create),
                "update": len(self.update),
                "deactivate": len(self.deactivate),
                "reactivate": len(self.reactivate),
                "grant": len(self.grant),
                "revoke": len(self.revoke),
                "skipped": len(self.skipped),
            },
            "create": sample([entry.described.email for entry in self.create]),
            "update": sample([f"{person.email}: {', '.join(sorted(fields))}" for person, fields in self.update]),
            "deactivate": sample([person.email for person in self.deactivate]),
            "reactivate": sample([person.email for person in self.reactivate]),
            "grant": sample([f"{_email(who)}: {role}" for who, role in self.grant]),
            "revoke": sample([f"{person.email}: {role}" for person, role in self.revoke]),
            "skipped": sample(self.skipped),
        }


def _email(who: User | Entry) -> str:
    return who.email if isinstance(who, User) else who.described.email


def connect(source: DirectorySource, dn: str | None = None, password: str | None = None) -> ldap3.Connection:
    server = ldap3.Server(source.server_url, connect_timeout=TIMEOUT_SECONDS, get_info=ldap3.NONE)
    user = source.bind_dn if dn is None else dn
    secret = source.bind_password if dn is None else password
    try:
        return ldap3.Connection(
            server, user=user or None, password=secret or None, auto_bind=True, receive_timeout=TIMEOUT_SECONDS
        )
    except LDAPException as problem:
        raise DirectoryUnavailable(f"{source.server_url}: {problem}") from problem


def _first(attributes: dict, name: str) -> str:
    value = attributes.get(name) if name else None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else ""


def read_directory(source: DirectorySource) -> list[Entry]:
    """Every person under the people base, with the roles their groups give and whether they are disabled."""
    connection = connect(source)
    try:
        wanted = [
            name
            for name in (
                source.attribute_email,
                source.attribute_name,
                source.attribute_department,
                source.attribute_manager,
                source.attribute_language,
            )
            if name
        ]
        entries: dict[str, Entry] = {}
        for found in _search(connection, source.people_base, source.people_filter, wanted):
            attributes = found["attributes"]
            dn = found["dn"]
            entries[dn.lower()] = Entry(
                dn=dn,
                described=Described(
                    email=_first(attributes, source.attribute_email),
                    external_id=dn,
                    full_name=_first(attributes, source.attribute_name),
                    language=_first(attributes, source.attribute_language),
                    department=_first(attributes, source.attribute_department),
                ),
                manager_dn=_first(attributes, source.attribute_manager),
            )
        if source.disabled_filter:
            for found in _search(connection, source.people_base, source.disabled_filter, []):
                if found["dn"].lower() in entries:
                    entries[found["dn"].lower()].disabled = True
        if source.group_base and source.role_mapping:
            mapping = {key.lower(): role for key, role in source.role_mapping.items()}
            for found in _search(
                connection, source.group_base, source.group_filter, ["cn", source.group_member_attribute]
            ):
                role = mapping.get(found["dn"].lower()) or mapping.get(_first(found["attributes"], "cn").lower())
                if role is None:
                    continue
                for member in found["attributes"].get(source.group_member_attribute) or []:
                    if str(member).lower() in entries:
                        entries[str(member).lower()].roles.add(role)
        return list(entries.values())
    except LDAPException as problem:
        raise DirectoryUnavailable(f"{source.server_url}: {problem}") from problem
    finally:
        connection.unbind()


def _search(connection: ldap3.Connection, base: str, search_filter: str, attributes: list[str]):
    for found in connection.extend.standard.paged_search(
        base, search_filter, attributes=attributes or [ldap3.NO_ATTRIBUTES], paged_size=PAGE_SIZE, generator=True
    ):
        if found.get("type") == "searchResEntry":
            yield found


def plan_sync(source: DirectorySource, entries: list[Entry]) -> Plan:
    """What a synchronization would change, from the directory's ``entries``."""
    plan = Plan(read=len(entries))
    organization_id = source.organization_id
    people = list(User.objects.filter(organization_id=organization_id))
    by_dn = {person.external_id.lower(): person for person in people if person.identity_source == IdentitySource.LDAP}
    by_email = {person.email.lower(): person for person in people}
    managed_roles = set(source.role_mapping.values()) | ({source.default_role} if source.default_role else set())
    held: dict[int, set[str]] = defaultdict(set)
    for user_id, role in Membership.objects.filter(
        organization_id=organization_id, team__isnull=True, user__organization_id=organization_id
    ).values_list("user_id", "role"):
        held[user_id].add(role)
    taken_emails = {
        email.lower() for email in User.objects.exclude(organization_id=organization_id).values_list("email", flat=True)
    }
    seen: set[int] = set()
    for entry in entries:
        email = entry.described.email.strip().lower()
        if "@" not in email:
            plan.skipped.append(f"{entry.dn}: no e-mail address")
            continue
        person = by_dn.get(entry.dn.lower()) or by_email.get(email)
        wanted_roles = set(entry.roles) | ({source.default_role} if source.default_role else set())
        if entry.manager_dn:
            plan.managers[entry.dn.lower()] = entry.manager_dn.lower()
        if person is None:
            if entry.disabled:
                continue
            if email in taken_emails:
                plan.skipped.append(f"{entry.dn}: {email} is a person of another organization")
                continue
            plan.create.append(entry)
            plan.grant.extend((entry, role) for role in sorted(wanted_roles))
            continue
        seen.add(person.pk)
        fields = changes_for(person, entry.described)
        if person.identity_source != IdentitySource.LDAP:
            fields["identity_source"] = IdentitySource.LDAP
        if fields:
            plan.update.append((person, fields))
        if entry.disabled and person.is_active:
            plan.deactivate.append(person)
        elif not entry.disabled and not person.is_active:
            plan.reactivate.append(person)
        current = held.get(person.pk, set())
        plan.grant.extend((person, role) for role in sorted(wanted_roles - held.get(person.pk, set())))
        # Roles the mapping manages are taken when the groups no longer give them; others stay as given here.
        plan.revoke.extend((person, role) for role in sorted((current & managed_roles) - wanted_roles))
    for person in by_dn.values():
        if person.pk not in seen and person.is_active:
            plan.deactivate.append(person)
    return plan


def carry_out(source: DirectorySource, plan: Plan) -> None:
    """Writes ``plan``, all or nothing."""
    organization = source.organization
    with transaction.atomic():
        created: dict[str, User] = {}
        for entry in plan.create:
            created[entry.dn.lower()] = create_person(
                organization, entry.described, source=IdentitySource.LDAP, role=""
            )
        for person, fields in plan.update:
            for name, value in fields.items():
                setattr(person, name, value)
            person.save(update_fields=list(fields))
        User.objects.filter(pk__in=[person.pk for person in plan.deactivate]).update(is_active=False)
        User.objects.filter(pk__in=[person.pk for person in plan.reactivate]).update(is_active=True)
        Membership.objects.bulk_create(
            [
                Membership(
                    user=created[who.dn.lower()] if isinstance(who, Entry) else who,
                    organization=organization,
                    role=role,
                )
                for who, role in plan.grant
            ]
        )
        for person, role in plan.revoke:
            Membership.objects.filter(user=person, organization=organization, team__isnull=True, role=role).delete()
        by_dn = {
            dn.lower(): pk
            for pk, dn in User.objects.filter(
                organization=organization, identity_source=IdentitySource.LDAP
            ).values_list("pk", "external_id")
        }
        changes = defaultdict(list)
        current = dict(
            User.objects.filter(organization=organization, identity_source=IdentitySource.LDAP).values_list(
                "pk", "manager_id"
            )
        )
        for dn, manager_dn in plan.managers.items():
            person_id, manager_id = by_dn.get(dn), by_dn.get(manager_dn)
            if person_id is not None and current.get(person_id) != manager_id:
                changes[manager_id].append(person_id)
        for manager_id, person_ids in changes.items():
            User.objects.filter(pk__in=person_ids).update(manager_id=manager_id)


def synchronize(source: DirectorySource, *, dry_run: bool, requested_by: User | None = None) -> DirectorySync:
    """Reads the directory and stores the report; carries the plan out unless ``dry_run``. A directory
    that cannot be read leaves a sync with its error and changes nothing."""
    run = DirectorySync.objects.create(
        source=source,
        organization_id=source.organization_id,
        dry_run=dry_run,
        started_at=timezone.now(),
        requested_by=requested_by,
    )
    try:
        plan = plan_sync(source, read_directory(source))
        if not dry_run:
            carry_out(source, plan)
    except DirectoryUnavailable as problem:
        run.error = str(problem)
    else:
        run.report = plan.report()
    run.finished_at = timezone.now()
    run.save(update_fields=["report", "error", "finished_at"])
    return run


def synchronize_all() -> list[DirectorySync]:
    return [
        synchronize(source, dry_run=False)
        for source in DirectorySource.objects.filter(enabled=True).select_related("organization")
    ]


class DirectoryBindBackend(BaseBackend):
    """Signs in a person the directory knows by binding to it with their DN and the typed password, where
    their organization's directory says so."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        person = (
            User.objects.filter(email__iexact=username.strip(), identity_source=IdentitySource.LDAP, is_active=True)
            .select_related("organization")
            .first()
        )
        if person is None or not person.external_id:
            return None
        for source in DirectorySource.objects.filter(organization_id=person.organization_id, login_by_bind=True):
            try:
                connect(source, dn=person.external_id, password=password).unbind()
            except DirectoryUnavailable:
                continue
            return person
        return None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id).first()
