"""Reads of service continuity: each service of a contract with its plan, objectives and tests of a year,
and the tier-1 services with no plan that passed a test that year.

The year is the calendar year of the contract's reporting time zone: a test dated 31 December in Berlin
counts for that year, wherever the person reading is.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone

from servicepact.continuity.models import ContinuityPlan, ExerciseResult, PlanTest
from servicepact.continuity.objectives import Objectives, tier_objectives
from servicepact.contracts.models import Contract, ContractVersion, Service
from servicepact.contracts.models.service import attach_terms
from servicepact.contracts.models.version import in_force_among

CRITICAL_TIER = 1


@dataclass
class ServiceCoverage:
    service: Service
    tier: int | None
    plan: ContinuityPlan | None
    objectives: Objectives
    last_test: PlanTest | None  # the latest test of the plan, any year
    passed_this_year: PlanTest | None  # the latest passed test dated in the year

    @property
    def covered(self) -> bool:
        return self.passed_this_year is not None

    @property
    def is_gap(self) -> bool:
        """A tier-1 service without a plan that passed a test this year."""
        return self.tier == CRITICAL_TIER and not self.covered


def contract_year(contract: Contract, now: datetime | None = None) -> int:
    """This year in the contract's reporting time zone (of its signed version in force, else UTC)."""
    now = now or timezone.now()
    version = in_force_among(ContractVersion.objects.signed().filter(contract=contract), now)
    zone = version.kernel().reporting_timezone if version is not None else "UTC"
    return now.astimezone(ZoneInfo(zone)).year


def coverage(contract: Contract, services, plans, year: int) -> list[ServiceCoverage]:
    """Each of ``services`` (of ``contract``, already narrowed by the access layer) with its plan from
    ``plans`` (likewise), ordered by tier, then id; only the services the version in force lists."""
    services = [service for service in attach_terms(services) if service.in_force]
    tests = Prefetch("tests", queryset=PlanTest.objects.order_by("-tested_on", "-pk"), to_attr="ordered_tests")
    by_service = {plan.service_id: plan for plan in plans.filter(contract=contract).prefetch_related(tests)}
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = []
    for service in services:
        plan = by_service.get(service.pk)
        ordered = plan.ordered_tests if plan else []
        passed = next(
            (t for t in ordered if t.result == ExerciseResult.PASSED and start <= t.tested_on <= end),
            None,
        )
        if plan is not None:
            plan.service = service  # the plan's objectives read the tier of this service's terms
        objectives = plan.objectives if plan else tier_objectives(service.tier)
        rows.append(ServiceCoverage(service, service.tier, plan, objectives, ordered[0] if ordered else None, passed))
    rows.sort(key=lambda row: (row.tier if row.tier is not None else 99, row.service.key))
    return rows
