"""Imports of other tools' history: the runs, their reports, and starting an import (or a dry run).

Starting one takes the export and the mapping as multipart/form-data (the mapping as a file, or the name
of one shipped with servicepact) and is for the administrators of the contract's customer or provider. A
dry run answers with the report and changes nothing; an import checks the file first (a file with
unmapped values or bad rows is refused, 422, each problem in the answer, nothing changed) and leaves the
writing to the background worker (202, with the run to follow).
"""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from servicepact.contracts.lookups import visible_contract
from servicepact.contracts.models import Contract
from servicepact.imports.actions import ImportRefused, check_import, start_import
from servicepact.imports.forms import MAX_UPLOAD_BYTES, shipped_mappings, uploaded_path
from servicepact.imports.mapping import MAX_MAPPING_BYTES, MappingError, load_mapping
from servicepact.imports.models import ImportRun
from servicepact.permissions import can_import, can_read_import
from servicepact.permissions.declared import allow, holds_a_role, on_object
from servicepact.refusals import ActionRefused

router = Router(tags=["imports"])


class RunOut(Schema):
    id: int
    contract: str = Field(..., alias="contract.slug")
    tool: str
    layout: str
    system: str
    file_name: str
    file_sha256: str
    mapping_name: str
    mapping_sha256: str
    started_by: str = Field(..., alias="started_by.email")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    status: str
    total: int = Field(..., description="Tickets the check found to import.")
    done: int
    imported: int
    skipped: int = Field(..., description="Tickets imported before (the same source numbers).")
    events: int


class RunDetailOut(RunOut):
    report: dict[str, Any] = Field(..., description="What the import found and approximated (docs/imports.md).")


def visible_run(request: HttpRequest, run_id: str) -> ImportRun:
    if not str(run_id).isascii() or not str(run_id).isdigit() or len(str(run_id)) > 18:
        raise Http404("No such import.")
    return get_object_or_404(
        ImportRun.objects.visible_to(request.auth).select_related("contract", "started_by"), pk=int(run_id)
    )


@router.get("/imports", response=list[RunOut], summary="Imports of history you may read", operation_id="list_imports")
@allow(holds_a_role, "Anyone with a role; the list holds the imports of the contracts whose reports they read.")
def list_imports(request: HttpRequest):
    return (
        ImportRun.objects.visible_to(request.auth)
        .select_related("contract", "started_by")
        .defer("mapping_text", "report")[:200]
    )


@router.get(
    "/imports/{run_id}",
    response=RunDetailOut,
    summary="An import, with its progress and report",
    operation_id="get_import",
)
@on_object("run_id", "run", visible_run, can_read_import, "Those who read the contract's reports.")
def get_import(request: HttpRequest, run: ImportRun):
    return run


@router.post(
    "/contracts/{slug}/imports",
    response={200: dict[str, Any], 202: RunDetailOut},
    summary="Check or import an export of another tool",
    operation_id="create_import",
)
@on_object(
    "slug",
    "contract",
    visible_contract,
    can_import,
    "The administrators of the contract's customer or provider (can_import).",
)
def create_import(
    request: HttpRequest,
    contract: Contract,
    file: File[UploadedFile] = None,
    mapping: File[UploadedFile] = None,
    example: Form[str] = "",
    dry_run: Form[bool] = False,
):
    """multipart/form-data: `file` (the export: CSV, JSON or a zip holding one), `mapping` (YAML) or
    `example` (a shipped mapping's name), `dry_run`. A dry run answers 200 with the report; an import 202
    with its run, which the worker then writes (follow GET /imports/{id})."""
    if file is None:
        raise ActionRefused("Send the export as `file`.", errors={"file": ["Send the export as `file`."]})
    if file.size > MAX_UPLOAD_BYTES:
        message = f"The export is larger than {MAX_UPLOAD_BYTES // 1024**2} MiB; import it with the command line."
        raise ActionRefused(message, errors={"file": [message]}, status=413)
    loaded = _mapping(mapping, example)
    with uploaded_path(file) as path:
        if dry_run:
            return check_import(
                actor=request.auth, contract=contract, path=path, mapping=loaded, file_name=file.name
            ).as_json()
        try:
            run = start_import(actor=request.auth, contract=contract, path=path, mapping=loaded, file_name=file.name)
        except ImportRefused as refused:
            raise ActionRefused(refused.message, errors={"file": problem_lines(refused)}) from None
    return Status(
        202, ImportRun.objects.visible_to(request.auth).select_related("contract", "started_by").get(pk=run.pk)
    )


def _mapping(upload: UploadedFile | None, example: str):
    if upload is None and not example:
        raise ActionRefused(
            "Send the mapping as `mapping`, or name a shipped one in `example`.",
            errors={"mapping": [f"Shipped mappings: {', '.join(shipped_mappings())}."]},
        )
    if upload is not None and upload.size > MAX_MAPPING_BYTES:
        raise ActionRefused(
            "The mapping is too large.", errors={"mapping": [f"At most {MAX_MAPPING_BYTES // 1024} KiB."]}
        )
    if upload is None and example not in shipped_mappings():
        raise ActionRefused(f"No shipped mapping {example!r}.", errors={"example": [", ".join(shipped_mappings())]})
    name = upload.name if upload is not None else f"{example}.yaml"
    text = upload.read() if upload is not None else shipped_mappings()[example].read_bytes()
    try:
        return load_mapping(text, name)
    except MappingError as error:
        raise ActionRefused(
            "The mapping has problems.", errors={"mapping": [str(d) for d in error.diagnostics]}
        ) from None


def problem_lines(refused: ImportRefused) -> list[str]:
    """The refused check's report as lines: the file's problem, unmapped values, bad rows, tickets."""
    report = refused.report
    lines = [report.error] if report.error else []
    lines += [
        f"{row['vocabulary']}: {row['value']!r} in {row['tickets']} tickets: {row['why']}"
        for row in report.unmapped_rows()
    ]
    lines += [str(bad) for bad in report.bad_rows]
    lines += [f"line {line}: {reference}: {message}" for line, reference, message in report.ticket_problems]
    return lines[:200]
