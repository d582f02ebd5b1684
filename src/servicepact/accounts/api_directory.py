"""The employee directory in the API: its synchronizations, and a dry run or a run now."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from servicepact.accounts.directory import synchronize
from servicepact.accounts.models import DirectorySource, DirectorySync
from servicepact.idempotency.keys import idempotent
from servicepact.permissions.administration import administers_organization, is_administrator
from servicepact.permissions.declared import allow, on_object
from servicepact.request_bodies import InputSchema

router = Router(tags=["directory"])


class SyncOut(Schema):
    id: int
    directory: str
    dry_run: bool
    started_at: datetime
    finished_at: datetime | None
    error: str
    report: dict

    @staticmethod
    def resolve_directory(sync: DirectorySync) -> str:
        return sync.source.slug


class SyncIn(InputSchema):
    dry_run: bool = True


def visible_directory(request: HttpRequest, slug: str) -> DirectorySource:
    return get_object_or_404(DirectorySource.objects.visible_to(request.auth), slug=str(slug)[:64])


def may_synchronize(user, source: DirectorySource) -> bool:
    return administers_organization(user)


@router.get(
    "/directory/syncs",
    response=list[SyncOut],
    summary="Your directory's synchronizations",
    operation_id="list_directory_syncs",
)
@allow(is_administrator, "Your organization's administrators.")
def list_directory_syncs(request: HttpRequest):
    return DirectorySync.objects.visible_to(request.auth).select_related("source")[:100]


@router.post(
    "/directory/{slug}/sync",
    response={201: SyncOut},
    summary="Synchronize the directory now, or report what would change",
    operation_id="sync_directory",
)
@on_object("slug", "source", visible_directory, may_synchronize, "Your organization's administrators.")
@idempotent
def sync_directory(request: HttpRequest, source: DirectorySource, body: SyncIn):
    return Status(201, synchronize(source, dry_run=body.dry_run, requested_by=request.auth))
