"""Capacity from demand in the API: the rows of ``servicepact capacity`` from the contract's live tickets."""

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field as SchemaField
from ninja import Query, Router, Schema

from servicepact.capacity.queries import contract_capacity, default_months, draft_versions, team_zones, visible_teams
from servicepact.capacity.rostering import add_rostered
from servicepact.contracts.models import Contract
from servicepact.permissions import can_read_reports
from servicepact.permissions.declared import on_object
from servicepact.refusals import ActionRefused
from servicepact.sla.capacity import CapacityOptions

router = Router(tags=["capacity"])


class CapacityQuery(Schema):
    first: str | None = SchemaField(
        None, pattern=r"^[0-9]{4}-[0-9]{2}$", description="First month, like 2026-01; default six months ago."
    )
    last: str | None = SchemaField(
        None, pattern=r"^[0-9]{4}-[0-9]{2}$", description="Last month, included; default last month."
    )
    team: str | None = SchemaField(None, max_length=64, description="Only this team (its slug).")
    service_level: Decimal = SchemaField(Decimal("0.8"), gt=0, lt=1)
    max_occupancy: Decimal = SchemaField(Decimal("0.85"), gt=0, le=1)
    shrinkage: Decimal = SchemaField(Decimal("0.3"), ge=0, lt=1)
    draft: int | None = SchemaField(None, ge=1, le=10**9, description="Follow this draft version's targets.")


class CapacityOut(Schema):
    contract: str
    version: int = SchemaField(..., description="The signed version in force on the last month's last day.")
    draft: int | None
    rows: list[dict[str, Any]] = SchemaField(
        ...,
        description="docs/capacity.md: one per team and hour of the week, with agents_rostered from the shift "
        "rosters (null for a team without shift patterns).",
    )


def readable_contract(request: HttpRequest, slug: str) -> Contract:
    contract = get_object_or_404(Contract.objects.visible_to(request.auth), slug=slug)
    if not can_read_reports(request.auth, contract):
        raise Http404("No such contract.")
    return contract


@router.get(
    "/contracts/{slug}/capacity",
    response=CapacityOut,
    summary="Agents required per team and hour of the week",
    operation_id="get_capacity",
)
@on_object("slug", "contract", readable_contract, None, "Those who read the contract's reports.")
def get_capacity(request: HttpRequest, contract: Contract, query: Query[CapacityQuery]):
    draft = None
    if query.draft is not None:
        draft = draft_versions(request.auth, contract).filter(number=query.draft).first()
        if draft is None:
            message = f"The contract has no draft version {query.draft}."
            raise ActionRefused(message, errors={"draft": [message]}, status=422)
    options = CapacityOptions(
        service_level=Fraction(query.service_level),
        max_occupancy=Fraction(query.max_occupancy),
        shrinkage=Fraction(query.shrinkage),
    )
    zones = team_zones(visible_teams(request.auth))
    first, last = default_months(timezone.localdate())
    first, last = query.first or first, query.last or last
    result = contract_capacity(contract, first, last, options, zones=zones, team=query.team, draft=draft)
    if result.problems:
        raise ActionRefused(result.problems[0], errors={"query": result.problems}, status=422)
    rows = add_rostered(request.auth, result.rows, zones, first, last)
    return {"contract": contract.slug, "version": result.version, "draft": query.draft, "rows": rows}
