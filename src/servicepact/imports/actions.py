"""Importing another tool's history into a contract: the dry run, and the import itself.

``check_import`` reads the whole file and converts every ticket as the import would, and changes
nothing: its report lists every unmapped value with the number of tickets holding it, every bad row with
its line, problems of whole tickets (opened when no version was in force), what would be approximated,
and how many tickets would be new or are there already.

``import_history`` runs the same check first and refuses (nothing changed) unless it is clean; then it
records the run, makes the placeholder teams and requesters, and writes the tickets batch by batch, one
transaction each, with progress on the run. Run again on the same file it skips every ticket already
imported (the source number, once per contract and source system), so an interrupted import goes on where
it stopped and a finished one imports nothing twice. ``start_import`` does the check and leaves the
writing to the background worker (the upload page).

Each checks first that ``actor`` may import into the contract (``can_import``: its customer's or
provider's administrators).
"""

from datetime import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.contracts.models import Contract
from servicepact.imports import execution
from servicepact.imports.execution import ImportRefused, Progress
from servicepact.imports.mapping import Mapping
from servicepact.imports.models import ImportRun
from servicepact.imports.report import ImportReport
from servicepact.imports.tasks import run_import
from servicepact.permissions import can_import
from servicepact.refusals import ActionRefused

__all__ = ["ImportRefused", "check_import", "import_history", "start_import"]


def _allowed(actor: User, contract: Contract, mapping: Mapping, tool: str | None) -> None:
    if not can_import(actor, contract):
        raise PermissionDenied(
            _("You may not import history into contract %(contract)s.") % {"contract": contract.slug}
        )
    if tool is not None and tool != mapping.doc.source.tool:
        message = _("The mapping is for %(mapping)s exports, not %(tool)s.") % {
            "mapping": mapping.doc.source.tool,
            "tool": tool,
        }
        raise ActionRefused(message, errors={"tool": [message]})


def check_import(
    *,
    actor: User,
    contract: Contract,
    path: Path,
    mapping: Mapping,
    file_name: str | None = None,
    tool: str | None = None,
) -> ImportReport:
    """The dry run: everything the import would do and find, and nothing changed."""
    _allowed(actor, contract, mapping, tool)
    return execution.check(actor, contract, path, mapping, file_name or path.name)


def _checked(actor: User, contract: Contract, path: Path, mapping: Mapping, file_name: str) -> ImportReport:
    report = execution.check(actor, contract, path, mapping, file_name)
    if not report.ok:
        raise ImportRefused(report)
    return report


def start_import(
    *, actor: User, contract: Contract, path: Path, mapping: Mapping, file_name: str, tool: str | None = None
) -> ImportRun:
    """Check the file (refused with the report, nothing changed, unless it is clean), record the run with a
    copy of the file, and leave the writing to the background worker (``tasks.run_import``)."""
    _allowed(actor, contract, mapping, tool)
    report = _checked(actor, contract, path, mapping, file_name)
    with transaction.atomic():
        run = execution.run_for(actor, contract, mapping, report, path.stat().st_size)
        if not run.upload:
            with open(path, "rb") as stream:
                run.upload.save(Path(file_name).name or "export", File(stream), save=False)
            run.save(update_fields=["upload"])
        transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run


def import_history(
    *,
    actor: User,
    contract: Contract,
    path: Path,
    mapping: Mapping,
    file_name: str | None = None,
    tool: str | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportRun:
    """Check, then import the file here and now; the run, with its report. Raises ImportRefused when the
    check found problems (nothing changed) and PermissionDenied for someone who may not import."""
    _allowed(actor, contract, mapping, tool)
    report = _checked(actor, contract, path, mapping, file_name or path.name)
    run = execution.run_for(actor, contract, mapping, report, path.stat().st_size)
    return execution.execute(run, path, mapping, progress=progress, now=now)
