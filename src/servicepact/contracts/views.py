"""Contract pages: a contract's versions, one version's text with what changed and its signatures,
registering a new text, signing.

Who may open each page is declared beside it. A contract is found among those the person sees (another
tenant's is not found, 404); the pages show the text, which carries the commercials, so they are for the
parties' people who read it (``reads_contract_text``); registering and signing have their own rules.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.contracts import actions
from servicepact.contracts.forms import SignatureForm, VersionForm
from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract, ContractVersion, Service, attach_terms
from servicepact.contracts.models.version import in_force_among
from servicepact.contracts.review import review
from servicepact.permissions import reads_contract_text
from servicepact.permissions.declared import object_view, person_view
from servicepact.refusals import ActionRefused

VERSION_RELATIONS = ("registered_by", "customer_signed_by", "provider_signed_by")


# ``@contract_view(rule)``: the view receives the contract named by the URL's slug, found among those the
# person sees (404 otherwise), once ``rule(user, contract)`` holds (403 otherwise).
contract_view = object_view(visible_contract, "slug")


def signs_for_a_party(user, contract: Contract) -> bool:
    return any(actions.can_sign(user, contract, party) for party in actions.PARTIES)


def contract_version(request: HttpRequest, contract: Contract, number: int) -> ContractVersion:
    versions = ContractVersion.objects.visible_to(request.user).select_related(*VERSION_RELATIONS)
    version = get_object_or_404(versions, contract=contract, number=number)
    version.contract = contract
    return version


@person_view(actions.reads_contracts)
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = [
        contract
        for contract in Contract.objects.visible_to(request.user).select_related("customer", "provider")
        if reads_contract_text(request.user, contract)
    ]
    versions: dict[int, list[ContractVersion]] = {}
    for version in ContractVersion.objects.visible_to(request.user).filter(contract__in=contracts).order_by("-number"):
        versions.setdefault(version.contract_id, []).append(version)
    now = timezone.now()
    rows = [
        {
            "contract": contract,
            "in_force": in_force_among(versions.get(contract.pk, []), now),
            "drafts": [version for version in versions.get(contract.pk, []) if not version.is_signed],
        }
        for contract in contracts
    ]
    return render(request, "contracts/contract_list.html", {"rows": rows})


@contract_view(reads_contract_text, methods=("GET", "HEAD"))
def contract_detail(request: HttpRequest, contract: Contract) -> HttpResponse:
    versions = list(
        ContractVersion.objects.visible_to(request.user)
        .filter(contract=contract)
        .select_related(*VERSION_RELATIONS)
        .order_by("-number")
    )
    now = timezone.now()
    services = Service.objects.visible_to(request.user).filter(contract=contract).select_related("owning_team")
    services = sorted(
        attach_terms(services, at=now), key=lambda service: (not service.in_force, service.tier or 99, service.name)
    )
    return render(
        request,
        "contracts/contract.html",
        {
            "contract": contract,
            "versions": versions,
            "in_force": in_force_among(versions, now),
            "services": services,
            "may_register": actions.can_register_version(request.user, contract),
        },
    )


@contract_view(reads_contract_text, methods=("GET", "HEAD"))
def version_detail(request: HttpRequest, contract: Contract, version: int) -> HttpResponse:
    return render_version(request, contract_version(request, contract, version))


def render_version(
    request: HttpRequest, version: ContractVersion, refusal: ActionRefused | None = None, status: int = 200
) -> HttpResponse:
    checked = review(version)
    signatures = [
        SignatureForm(initial={"party": party, "sha256": version.sha256}, auto_id=False)
        for party in actions.parties_to_sign(request.user, version)
    ]
    lines = version.source.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line starts no line of its own
    return render(
        request,
        "contracts/version.html",
        {
            "contract": version.contract,
            "version": version,
            "review": checked,
            "signatures": signatures,
            "source_lines": lines,
            "lines": len(lines),
            "refusal": refusal,
            "in_force": version.is_signed and version.holds(timezone.now()),
        },
        status=status,
    )


@contract_view(actions.can_register_version, methods=("GET", "HEAD", "POST"))
def register(request: HttpRequest, contract: Contract) -> HttpResponse:
    latest = ContractVersion.objects.visible_to(request.user).filter(contract=contract).order_by("-number").first()
    form = VersionForm(request.POST or None, initial={"source": latest.source if latest else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = actions.register_version(contract, actor=request.user, source=form.cleaned_data["source"])
            except ActionRefused as refusal:
                for field, problems in refusal.errors.items():
                    form.add_error(field if field in form.fields else None, problems)
                if not refusal.errors:
                    form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _("Version %(number)d is registered as a draft. Review the changes, then each party signs it.")
                    % {"number": version.number},
                )
                return redirect(version.get_absolute_url())
        status = 422
    return render(
        request,
        "contracts/register.html",
        {
            "contract": contract,
            "form": form,
            "latest": latest,
        },
        status=status,
    )


@contract_view(signs_for_a_party, methods=("POST",))
def sign(request: HttpRequest, contract: Contract, version: int) -> HttpResponse:
    found = contract_version(request, contract, version)
    form = SignatureForm(request.POST)
    if not form.is_valid():
        refusal = ActionRefused(_("The signature was not sent as the page gives it; reload the page and sign again."))
        return render_version(request, found, refusal, status=422)
    try:
        signed = actions.sign_version(
            found, actor=request.user, party=form.cleaned_data["party"] or None, sha256=form.cleaned_data["sha256"]
        )
    except ActionRefused as refusal:
        return render_version(request, found, refusal, status=422)
    if signed.is_signed:
        messages.success(
            request,
            _("Version %(number)d is signed by both parties; it never changes from now on.")
            % {"number": signed.number},
        )
    else:
        messages.success(
            request,
            _("You signed version %(number)d; it waits for the other party's signature.") % {"number": signed.number},
        )
    return redirect(signed.get_absolute_url())
