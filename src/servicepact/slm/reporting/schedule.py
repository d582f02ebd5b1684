"""Which reports are due: every period that has ended and has no stored report yet.

- weekly: the contract, and each team that held any of its tickets;
- monthly: the contract, with its service credits;
- daily: each tier-1 service of the contract.

Only the last few periods of each kind are looked at (``LOOKBACK``), so a worker that was down for a
while catches up without reaching back to the contract's first day. A period with no signed version in
force on its last day has no report.
"""

from collections.abc import Mapping
from datetime import datetime

from servicepact.accounts.models import Team
from servicepact.contracts.actions import kernel_contract
from servicepact.contracts.models import Contract, VersionStatus, attach_terms
from servicepact.refusals import ActionRefused
from servicepact.slm.models import ReportKind, ReportScope, StoredReport
from servicepact.slm.reporting.generation import ReportRequest
from servicepact.slm.reporting.periods import ended_periods
from servicepact.slm.reporting.sources import report_period

LOOKBACK = {ReportKind.DAILY: 7, ReportKind.WEEKLY: 4, ReportKind.MONTHLY: 2}


def due_requests(now: datetime, lookback: Mapping[str, int] = LOOKBACK) -> list[ReportRequest]:
    """``lookback``: how many ended periods of each kind to look at (a backfill of history asks for more)."""
    due = []
    for contract in Contract.objects.filter(versions__status=VersionStatus.SIGNED).distinct().order_by("slug"):
        due += _contract_due(contract, now, lookback)
    return due


def _contract_due(contract: Contract, now: datetime, lookback: Mapping[str, int]) -> list[ReportRequest]:
    latest = contract.versions.filter(status=VersionStatus.SIGNED).order_by("-number").first()
    tz = kernel_contract(latest).reporting_timezone
    teams = list(
        Team.objects.filter(ticket_visits__ticket__contract=contract)
        .distinct()
        .order_by("slug")
        .values_list("slug", flat=True)
    )
    # Tiers are terms of the signed version in force, not columns of the service rows.
    tier_one = [service.key for service in attach_terms(contract.services.order_by("key"), at=now) if service.tier == 1]
    scopes = {
        ReportKind.WEEKLY: [(ReportScope.CONTRACT, "")] + [(ReportScope.TEAM, team) for team in teams],
        ReportKind.MONTHLY: [(ReportScope.CONTRACT, "")],
        ReportKind.DAILY: [(ReportScope.SERVICE, service) for service in tier_one],
    }
    stored = set(
        StoredReport.objects.filter(contract=contract).values_list("kind", "period_label", "scope", "scope_key")
    )
    due = []
    for kind, kind_scopes in scopes.items():
        for period in ended_periods(kind, tz, now, lookback.get(kind, 0)):
            if not _has_version(contract, kind, period.label):
                continue
            for scope, key in kind_scopes:
                if (kind, period.label, scope, key) not in stored:
                    due.append(ReportRequest(contract, kind, period.label, scope, key))
    return due


def _has_version(contract: Contract, kind: str, label: str) -> bool:
    try:
        report_period(contract, kind, label)
    except ActionRefused:
        return False
    return True
