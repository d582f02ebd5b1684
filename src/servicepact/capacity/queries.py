"""The capacity of a contract's teams from its live tickets, by the kernel's computation (docs/capacity.md).

Every ticket of the contract that could have been in a queue during the range is read (those created
before its end and not settled before its start), each follows the signed version it is pinned to, the
response targets are those of the version in force on the range's last day, and each team's hours are
counted in the team's own time zone. With a draft, every ticket follows the draft's targets instead.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team
from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Contract, ContractVersion
from servicepact.desk.eventlog import kernel_event_log
from servicepact.desk.models import Ticket
from servicepact.sla.capacity import CapacityError, CapacityOptions, capacity_rows
from servicepact.sla.events import EventLogError
from servicepact.sla.periods import PeriodError, month_range
from servicepact.sla.versions import VersionError
from servicepact.slm.reporting.periods import as_datetime
from servicepact.slm.reporting.sources import kernel_versions, signed_versions

MAX_MONTHS = 12
STOPPED = ("resolved", "closed")


@dataclass
class CapacityResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    version: int | None = None  # the version in force on the range's last day
    problems: list[str] = field(default_factory=list)


def contract_capacity(
    contract: Contract,
    first: str,
    last: str,
    options: CapacityOptions,
    *,
    zones: dict[str, str],
    team: str | None = None,
    draft: ContractVersion | None = None,
) -> CapacityResult:
    """The rows of ``contract``'s teams (``zones``: slug -> time zone), or the problems that prevent them."""
    versions = signed_versions(contract)
    if not versions:
        return CapacityResult(problems=[_("The contract has no signed version.")])
    signed = kernel_versions(versions)
    try:
        months = month_range(first, last, signed.latest.reporting_timezone)
        if len(months) > MAX_MONTHS:
            return CapacityResult(problems=[_("At most %(count)d months at a time.") % {"count": MAX_MONTHS}])
        in_force = signed.period(last)[1]
        tickets = Ticket.objects.filter(contract=contract, created_at__lt=as_datetime(months[-1].end)).exclude(
            Q(updated_at__lt=as_datetime(months[0].start)) & Q(status__in=STOPPED)
        )
        events = kernel_event_log(tickets, signed.vocabulary)
        pins = signed.pin(events)
        targets = kernel_contract(draft) if draft is not None else None
        rows = capacity_rows(in_force, events, pins, first, last, options, team=team, zones=zones, targets=targets)
    except (PeriodError, CapacityError, VersionError) as error:
        return CapacityResult(problems=[str(error)])
    except EventLogError as error:
        return CapacityResult(problems=error.messages[:10])
    return CapacityResult(rows=rows, version=in_force.version)


def default_months(today: date) -> tuple[str, str]:
    """The six months before this one."""
    first, last = ((today.year * 12 + today.month - 1) - back for back in (6, 1))
    return f"{first // 12:04d}-{first % 12 + 1:02d}", f"{last // 12:04d}-{last % 12 + 1:02d}"


def team_zones(teams) -> dict[str, str]:
    """slug -> time zone of the teams given (a queryset the caller got through the access layer)."""
    return dict(teams.values_list("slug", "timezone"))


def visible_teams(user):
    return Team.objects.visible_to(user).order_by("name")


def draft_versions(user, contract: Contract):
    """The contract's drafts the person may see, newest first: the what-if's choices."""
    return ContractVersion.objects.visible_to(user).filter(contract=contract, status="draft").order_by("-number")
