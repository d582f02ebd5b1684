"""The capacity page of a contract: heat maps of the agents each team needs, and a draft's beside them.

A GET form (the page can be bookmarked and shared); for the readers of the contract's reports, as it is
computed from the tickets those reports count. Another tenant's contract is not found.
"""

from fractions import Fraction

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.capacity.forms import CapacityForm
from servicepact.capacity.presentation import WEEKDAY_NAMES, heat_maps, peak_of
from servicepact.capacity.queries import contract_capacity, default_months, draft_versions, team_zones, visible_teams
from servicepact.capacity.rostering import add_rostered
from servicepact.contracts.models import Contract
from servicepact.permissions import can_read_reports
from servicepact.permissions.declared import object_view
from servicepact.sla.capacity import CapacityOptions


def readable_contract(request: HttpRequest, slug: str) -> Contract:
    contract = get_object_or_404(Contract.objects.visible_to(request.user), slug=slug)
    if not can_read_reports(request.user, contract):
        raise Http404(_("No such contract."))
    return contract


capacity_contract_view = object_view(readable_contract, "slug")


@capacity_contract_view(can_read_reports, methods=("GET", "HEAD"))
def capacity(request: HttpRequest, contract: Contract) -> HttpResponse:
    teams = list(visible_teams(request.user))
    drafts = list(draft_versions(request.user, contract))
    first, last = default_months(timezone.localdate())
    defaults = {"first": first, "last": last, "service_level": "0.8", "max_occupancy": "0.85", "shrinkage": "0.3"}
    form = CapacityForm(request.GET if "first" in request.GET else defaults, teams=teams, drafts=drafts)
    context = {"contract": contract, "form": form, "weekdays": WEEKDAY_NAMES, "drafts": drafts}
    status = 200
    if not form.is_valid():
        return render(request, "capacity/capacity.html", context, status=422)
    data = form.cleaned_data
    options = CapacityOptions(
        service_level=Fraction(data["service_level"]),
        max_occupancy=Fraction(data["max_occupancy"]),
        shrinkage=Fraction(data["shrinkage"]),
    )
    zones = team_zones(visible_teams(request.user))
    names = {team.slug: team.name for team in teams}
    team = data.get("team") or None
    result = contract_capacity(contract, data["first"], data["last"], options, zones=zones, team=team)
    draft = next((version for version in drafts if str(version.number) == data.get("draft")), None)
    what_if = None
    if draft is not None and not result.problems:
        what_if = contract_capacity(contract, data["first"], data["last"], options, zones=zones, team=team, draft=draft)
    problems = result.problems + (what_if.problems if what_if else [])
    for outcome in (result, what_if):
        if outcome is not None and outcome.rows:
            add_rostered(request.user, outcome.rows, zones, data["first"], data["last"])
    if problems:
        status = 422
    peak = max(peak_of(result.rows), peak_of(what_if.rows) if what_if else 0)
    in_force = heat_maps(result.rows, names, zones, peak)
    drafted = {heat.team: heat for heat in heat_maps(what_if.rows, names, zones, peak)} if what_if else {}
    context |= {
        "first": data["first"],
        "last": data["last"],
        "version": result.version,
        "draft": draft,
        "teams": [(heat, drafted.get(heat.team)) for heat in in_force],
        "problems": problems,
    }
    return render(request, "capacity/capacity.html", context, status=status)
