"""The contract an import goes into: what the mapping's values must name, read once per import.

Its signed versions (each ticket is pinned to the one in force when it was opened), its services and
categories, the teams of its parties, their people by e-mail, the placeholder requesters made by earlier
imports, and the placeholders this import would make.
"""

import math
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from servicepact.accounts.models import Team, User
from servicepact.contracts.models import Category, Contract, ContractVersion, Service
from servicepact.desk.actions.creating import CATEGORY_PATTERN
from servicepact.imports.mapping import SLUG, Mapping
from servicepact.sla.contract_model import Contract as KernelContract

PLACEHOLDER = "placeholder"


def placeholder_external_id(system: str, value: str | None) -> str:
    """How a placeholder requester is known again: the system and the source's own key for the person."""
    return f"import:{system}:{value if value is not None else ''}"


def _span(version: ContractVersion) -> tuple[int, float, ContractVersion]:
    """[first second, first second after) of a version's effective dates, cut at midnight in its reporting zone."""
    zone = ZoneInfo(version.kernel().reporting_timezone)
    start = datetime.combine(version.effective_from, time(), tzinfo=zone).timestamp()
    end = (
        math.inf
        if version.effective_to is None
        else datetime.combine(version.effective_to + timedelta(days=1), time(), tzinfo=zone).timestamp()
    )
    return int(start), end, version


class ImportTarget:
    def __init__(self, contract: Contract, mapping: Mapping):
        self.contract = contract
        self.mapping = mapping
        self.system = mapping.doc.source.system_name
        self.versions = list(ContractVersion.objects.signed().filter(contract=contract).order_by("number"))
        self._spans = [_span(version) for version in self.versions]
        self.service_ids = dict(Service.objects.filter(contract=contract).values_list("key", "pk"))
        self.categories = set(Category.objects.filter(contract=contract).values_list("key", flat=True))
        parties = {contract.customer_id, contract.provider_id, *contract.vendors.values_list("pk", flat=True)}
        self.party_ids = parties
        self.teams: dict[str, tuple[int, int]] = {
            slug: (pk, organization)
            for slug, pk, organization in Team.objects.values_list("slug", "pk", "organization_id")
        }
        people = User.objects.filter(organization_id__in=parties).values_list(
            "email", "pk", "organization_id", "external_id"
        )
        self.people: dict[str, tuple[int, int]] = {}
        self.placeholders: dict[str, int] = {}
        prefix = placeholder_external_id(self.system, "")
        for email, pk, organization, external_id in people:
            self.people[email.lower()] = (pk, organization)
            if organization == contract.customer_id and external_id.startswith(prefix):
                self.placeholders[external_id] = pk
        self.new_teams: dict[str, str] = {}  # slug -> the source group it stands for
        self.new_requesters: dict[str, str | None] = {}  # external id -> the source value
        self._emails: dict[int, str] | None = None
        self.created_teams: set[str] = set()
        self.created_requesters: set[str] = set()

    # -- versions --------------------------------------------------------------------------------------------

    def version_at(self, second: int) -> ContractVersion | None:
        """The signed version in force at an instant: the highest whose effective dates hold its date in the
        version's reporting zone (``ContractVersion.holds``), from each version's span in UTC seconds."""
        found = None
        for start, end, version in self._spans:
            if start <= second < end and (found is None or version.number > found.number):
                found = version
        return found

    @staticmethod
    def terms(version: ContractVersion) -> KernelContract:
        return version.kernel()

    # -- teams, people, categories ---------------------------------------------------------------------------

    def team_problem(self, slug: str) -> str | None:
        """Why ``slug`` cannot hold tickets of the contract, or None; a team the map may create is planned."""
        found = self.teams.get(slug)
        if found is not None:
            return (
                None
                if found[1] in self.party_ids
                else f"team {slug} works for no party of contract {self.contract.slug}"
            )
        if not SLUG.match(slug):
            return f"{slug!r} is not a team's slug (lower-case letters, digits and hyphens)"
        if self.mapping.doc.teams.create:
            return None
        return f"there is no team {slug} (set teams.create to make it)"

    def plan_team(self, slug: str, value: str) -> None:
        if slug not in self.teams:
            self.new_teams.setdefault(slug, value)

    def category_problem(self, key: str) -> str | None:
        if not CATEGORY_PATTERN.match(key):
            return f"{key!r} is not a category key (lower-case letters, digits and hyphens)"
        if self.categories and key not in self.categories:
            return f"{key} is not a category of contract {self.contract.slug}"
        return None

    def email_of(self, pk: int) -> str | None:
        if self._emails is None:
            self._emails = {found[0]: email for email, found in self.people.items()}
        return self._emails.get(pk)

    def person(self, email: str, *, customer: bool) -> int | None:
        found = self.people.get(email.lower())
        if found is None or (customer and found[1] != self.contract.customer_id):
            return None
        return found[0]

    def placeholder(self, value: str | None) -> str:
        """The external id of the placeholder requester for a source person, planned when new."""
        key = placeholder_external_id(self.system, value)
        if key not in self.placeholders:
            self.new_requesters.setdefault(key, value)
        return key
