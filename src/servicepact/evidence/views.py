"""The checkpoints page and its downloads, for the customer's managers and the provider's people.

Each declares its permission beside it: the page is for whoever reads some contract's reports; a
contract's copy of a checkpoint and the contract's events with their hashes for the readers of that
contract's reports (another tenant's is not found); the provider's public key for anyone, as a public key
is.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from servicepact.contracts.models import Contract
from servicepact.evidence import signing
from servicepact.evidence.models import Checkpoint, CheckpointGroup
from servicepact.evidence.queries import checkpoint_document, document_bytes
from servicepact.permissions import can_read_reports
from servicepact.permissions.checkpoints import can_read_checkpoint_group, reads_checkpoints
from servicepact.permissions.declared import object_view, open_view, person_view
from servicepact.slm.background import request_download
from servicepact.slm.models import DownloadKind

PAGE_SIZE = 20
READ = ("GET", "HEAD")


def visible_group(request: HttpRequest, slug: str) -> CheckpointGroup:
    """A contract's group of the checkpoint the URL names, among the groups the person may see."""
    sequence = request.resolver_match.kwargs["sequence"]
    groups = CheckpointGroup.objects.visible_to(request.user).select_related("checkpoint", "contract", "heads")
    return get_object_or_404(groups, checkpoint__sequence=sequence, contract__slug=slug)


def readable_contract(request: HttpRequest, slug: str) -> Contract:
    contract = get_object_or_404(Contract.objects.visible_to(request.user), slug=slug)
    if not can_read_reports(request.user, contract):
        raise Http404(_("No such contract."))
    return contract


group_view = object_view(visible_group, "slug")
contract_view = object_view(readable_contract, "slug")


@person_view(reads_checkpoints)
def checkpoint_list(request: HttpRequest) -> HttpResponse:
    checkpoints = Checkpoint.objects.visible_to(request.user).order_by("-sequence")
    page = Paginator(checkpoints, PAGE_SIZE).get_page(request.GET.get("page"))
    # Contracts' groups only: the ledger's (the operator's) has no copy to download here.
    groups = (
        CheckpointGroup.objects.visible_to(request.user)
        .filter(checkpoint__in=[checkpoint.pk for checkpoint in page], contract__isnull=False)
        .select_related("contract", "heads")
    )
    by_checkpoint: dict[int, list[CheckpointGroup]] = {}
    for group in groups.order_by("position"):
        by_checkpoint.setdefault(group.checkpoint_id, []).append(group)
    contracts = [
        contract
        for contract in Contract.objects.visible_to(request.user).order_by("slug")
        if can_read_reports(request.user, contract)
    ]
    return render(
        request,
        "evidence/checkpoints.html",
        {
            "page": page,
            "rows": [(checkpoint, by_checkpoint.get(checkpoint.pk, [])) for checkpoint in page],
            "contracts": contracts,
            "fingerprint": signing.fingerprint(),
        },
    )


@group_view(can_read_checkpoint_group, methods=READ)
def contract_copy(request: HttpRequest, group: CheckpointGroup, sequence: int) -> HttpResponse:
    """The contract's copy of the checkpoint: the signed statement, the contract's leaves and their proof."""
    content = document_bytes(checkpoint_document(group.checkpoint, [group]))
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="checkpoint-{sequence}-{group.contract.slug}.json"'
    return response


@contract_view(can_read_reports, methods=READ)
def contract_events(request: HttpRequest, contract: Contract) -> HttpResponse:
    """The contract's events with their hashes (``events export --chain``), redacted to what one may read:
    the worker writes them (they are the contract's whole log); the answer is the page that follows it."""
    return redirect(request_download(DownloadKind.CONTRACT_EVENTS, contract, actor=request.user))


@open_view("a public key is public: anyone may check the provider's signature with it")
@require_safe
def public_key(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="servicepact-checkpoint-key.pem"'
    return response
