"""Internal clocks: who sees a ticket's OLA and underpinning-contract clocks.

A contract's clocks (response, resolution, update) are the customer's business: everyone who sees the
ticket sees them. The clocks of the contract's ``olas`` (``ola:<team>``, an internal team's operational
level agreement or another vendor's underpinning contract) are the provider's internal matter. They are
shown

- to the provider of the ticket's contract: its people with a role (it answers for every OLA and UC);
- to the staff of the team the clock is about: a resolver team sees its own OLA clock, a vendor's
  engineers their underpinning contract's; the customer's own resolver teams (security, operations)
  likewise see their own clock and no other team's;
- to everyone who sees the ticket, when the version the ticket is pinned to says
  ``reporting: {disclose_internal_clocks: true}`` (for a report: the report's version);
- to superusers;

and to nobody else: not to requesters, not to the customer's managers, analysts or administrators, not
to another team. This holds wherever a clock shows: the ticket page's clock panel, the portal, the
API's ticket, clock and event answers, restatements, breach-warning e-mails and timeline entries, and
the reports' measures of OLA clocks in pages, drill-downs and CSV, XLSX and PDF exports.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q

from servicepact.permissions.principal import Principal, principal_of
from servicepact.sla.contract_errors import ContractError
from servicepact.sla.contract_model import OLA_CLOCK_PREFIX

# Measures of the report that are computed from internal clocks.
INTERNAL_MEASURES = frozenset({"ola_met_ratio"})


def is_internal_clock(clock: str) -> bool:
    return clock.startswith(OLA_CLOCK_PREFIX)


def internal_clock_team(clock: str) -> str:
    """The team slug of an internal clock ("ola:app-support-cn" -> "app-support-cn")."""
    return clock[len(OLA_CLOCK_PREFIX) :]


def discloses_internal_clocks(version) -> bool:
    """Whether a contract version's text shows internal clocks to the customer's people; a text that does
    not load discloses nothing."""
    try:
        return version.kernel().disclose_internal_clocks
    except ContractError:
        return False


@dataclass(frozen=True)
class ClockSight:
    """Which of one ticket's (or one report's) clocks a person sees."""

    all_internal: bool
    teams: frozenset[str]

    def shows(self, clock: str) -> bool:
        return not is_internal_clock(clock) or self.all_internal or internal_clock_team(clock) in self.teams

    def shows_measure(self, measure: str) -> bool:
        """Whether a report measure of this kind (``ola_met_ratio``...) may be shown."""
        return measure not in INTERNAL_MEASURES or self.all_internal


def _sight(who: Principal, provider_id: int, version) -> ClockSight:
    if who.is_superuser or (who.roles and who.organization_id == provider_id):
        return ClockSight(True, frozenset())
    if discloses_internal_clocks(version):
        return ClockSight(True, frozenset())
    return ClockSight(False, who.team_slugs if who.is_staff_member else frozenset())


def clock_sight(user, ticket) -> ClockSight:
    """What ``user`` sees of ``ticket``'s clocks (call it for a ticket they see)."""
    return _sight(principal_of(user), ticket.contract.provider_id, ticket.contract_version)


def report_clock_sight(user, report) -> ClockSight:
    """What ``user`` sees of a stored report's internal measures (a report names no team's staff)."""
    sight = _sight(principal_of(user), report.contract.provider_id, report.contract_version)
    return ClockSight(sight.all_internal, frozenset())


def mailed_report_sight(report) -> ClockSight:
    """What a report sent by e-mail may show: an e-mail can be forwarded to anyone, so only what the
    customer's people see (internal measures only when the report's version discloses them)."""
    return ClockSight(discloses_internal_clocks(report.contract_version), frozenset())


def hidden_clock_rows(who: Principal, *, clock_field: str) -> Q:
    """Rows (related to a ticket by ``ticket``) naming in ``clock_field`` an internal clock ``who`` may not
    see: the same rule as ``clock_sight``, as a filter to exclude."""
    if who.is_superuser or (who.is_provider and who.roles):
        # A provider sees the internal clocks of every ticket it sees (those of the contracts it provides).
        return Q(pk__in=[])
    shown = (
        Q(**{f"{clock_field}__in": [OLA_CLOCK_PREFIX + slug for slug in who.team_slugs]})
        if who.is_staff_member
        else Q(pk__in=[])
    )
    if who.roles:
        shown |= Q(ticket__contract__provider_id=who.organization_id)
    shown |= Q(ticket__contract_version_id__in=_disclosing_versions(who))
    return Q(**{f"{clock_field}__startswith": OLA_CLOCK_PREFIX}) & ~shown


def _disclosing_versions(who: Principal) -> list[int]:
    """The ids of the versions, of contracts ``who`` sees, that disclose internal clocks."""
    versions = apps.get_model("contracts", "ContractVersion").objects.visible_to(who)
    return [version.pk for version in versions.only("pk", "number", "source") if discloses_internal_clocks(version)]
