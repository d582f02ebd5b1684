"""Several versions of one contract (SLA-SPEC section 5, "Several versions").

Each ticket is pinned to the version in force at its ``created`` instant: the highest ``version`` whose
effective dates hold that instant's date in the version's reporting time zone. Its clocks follow that
version for the ticket's whole life. A report's measures, targets, exclusions and credits are those of
the version in force on the period's last day. With a single version every ticket follows it, whatever
its effective dates say, as the one-contract commands always did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from servicepact.sla.contract_model import Contract
from servicepact.sla.events import Event, EventLogError, display_source
from servicepact.sla.periods import Period, parse_period


class VersionError(ValueError):
    """Contract files that are not versions of one contract, or no version in force; the message says which."""


@dataclass(frozen=True)
class Vocabulary:
    """Every priority and service any version knows: what the event log parser checks first."""

    priorities: tuple[str, ...]
    services: Mapping[str, Any]


@dataclass(frozen=True)
class ContractVersions:
    """Versions of one contract, in ascending order of ``version``."""

    versions: tuple[Contract, ...]
    # The files' exact bytes, in the same order, for the digest (empty when the caller hashes them itself).
    files: tuple[bytes, ...] = ()

    @classmethod
    def of(cls, contracts: Sequence[Contract], files: Sequence[bytes] = ()) -> ContractVersions:
        """The versions in ascending order (``files`` given in the order of ``contracts``)."""
        if not contracts:
            raise VersionError("no contract given")
        ids = sorted({contract.id for contract in contracts})
        if len(ids) > 1:
            raise VersionError(f"the contract files must be versions of one contract, got {', '.join(ids)}")
        order = sorted(range(len(contracts)), key=lambda index: contracts[index].version)
        ordered = [contracts[index] for index in order]
        for before, after in zip(ordered, ordered[1:]):
            if before.version == after.version:
                raise VersionError(f"version {before.version} of contract {before.id!r} is given twice")
        return cls(tuple(ordered), tuple(files[index] for index in order) if files else ())

    @property
    def digest_files(self) -> bytes | list[tuple[int, bytes]]:
        """What the digest covers: the one file's bytes, or (version, bytes) of every file (digest.py)."""
        if self.single:
            return self.files[0]
        return [(version.version, raw) for version, raw in zip(self.versions, self.files)]

    @property
    def id(self) -> str:
        return self.versions[0].id

    @property
    def latest(self) -> Contract:
        return self.versions[-1]

    @property
    def single(self) -> bool:
        return len(self.versions) == 1

    @cached_property
    def vocabulary(self) -> Vocabulary:
        priorities: dict[str, None] = {}
        services: dict[str, Any] = {}
        for version in self.versions:
            priorities.update(dict.fromkeys(version.priorities))
            services.update(version.services)
        return Vocabulary(tuple(priorities), services)

    def in_force_on(self, day: date) -> Contract | None:
        """The highest version whose effective dates hold ``day``."""
        for version in reversed(self.versions):
            if holds(version, day):
                return version
        return None

    def in_force_at(self, instant: int) -> Contract | None:
        """The version a ticket created at ``instant`` is pinned to; the only one when there is one."""
        if self.single:
            return self.versions[0]
        for version in reversed(self.versions):
            if holds(version, local_date(instant, version.reporting_timezone)):
                return version
        return None

    def for_period(self, period: Period) -> Contract:
        """The version whose measures, targets, exclusions and credits ``period`` reports: the one in force
        on its last day (the only one when there is one). Raises VersionError when none is."""
        if self.single:
            return self.latest
        day = last_day(period, self.latest.reporting_timezone)
        version = self.in_force_on(day)
        if version is None:
            raise VersionError(
                f"no version of contract {self.id!r} is in force on {day.isoformat()}, "
                f"the last day of period {period.label!r}"
            )
        return version

    def period(self, label: str) -> tuple[Period, Contract]:
        """The period ``label`` and the version it reports (``for_period``). The period is cut in that
        version's reporting time zone; the latest version's zone finds the last day (versions rarely change
        the zone). Raises PeriodError for a bad label, VersionError when no version is in force."""
        period = parse_period(label, self.latest.reporting_timezone)
        version = self.for_period(period)
        if version.reporting_timezone != self.latest.reporting_timezone:
            period = parse_period(label, version.reporting_timezone)
        return period, version

    def pin(self, events_by_ticket: Mapping[str, Sequence[Event]], source: str = "events") -> dict[str, Contract]:
        """Each ticket's version; raises EventLogError naming the line of every ticket created when no
        version is in force, and of every event whose priority or service its version does not know."""
        pins: dict[str, Contract] = {}
        problems: list[tuple[int, str]] = []
        for ticket, events in events_by_ticket.items():
            created = events[0]
            version = self.in_force_at(created.at)
            if version is None:
                day = local_date(created.at, self.latest.reporting_timezone)
                problems.append(
                    (
                        created.line,
                        f"ticket {ticket!r} is created on {day.isoformat()}, when no "
                        f"version of contract {self.id!r} is in force",
                    )
                )
                continue
            pins[ticket] = version
            if not self.single:
                problems.extend(_unknown_to(version, events))
        if problems:
            name = display_source(source)
            raise EventLogError([f"{name}:{line}: {message}" for line, message in sorted(problems)])
        return pins


def _unknown_to(version: Contract, events: Sequence[Event]) -> list[tuple[int, str]]:
    found = []
    for event in events:
        priority = event.data.get("priority") if event.type in ("created", "priority") else None
        if priority is not None and priority not in version.priorities:
            found.append(
                (
                    event.line,
                    f"priority {priority!r} is not in version {version.version}, which ticket "
                    f"{event.ticket!r} follows (allowed: {', '.join(version.priorities)})",
                )
            )
        service = event.data.get("service") if event.type in ("created", "corrected") else None
        if service is not None and service not in version.services:
            found.append(
                (
                    event.line,
                    f"service {service!r} is not in version {version.version}, which ticket "
                    f"{event.ticket!r} follows (allowed: {', '.join(sorted(version.services))})",
                )
            )
    return found


def holds(version: Contract, day: date) -> bool:
    return version.effective_from <= day and (version.effective_to is None or day <= version.effective_to)


def local_date(instant: int, zone: str) -> date:
    return datetime.fromtimestamp(instant, tz=UTC).astimezone(ZoneInfo(zone)).date()


def last_day(period: Period, zone: str) -> date:
    return local_date(period.end - 1, zone)
