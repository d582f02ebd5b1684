"""The passes of an import over its file: converting every ticket (the check), and writing (the run).

Both read the whole file and convert each ticket the same way; the check only counts, the run writes the
new tickets batch by batch (one transaction each) and records its progress on the run, so that the
upload page shows it and an interrupted run goes on where it stopped.
"""

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepact.accounts.models import Team, User
from servicepact.contracts.models import Contract
from servicepact.imports.conversion import CLOSED, Converter, TicketPlan
from servicepact.imports.mapping import Mapping, value_key
from servicepact.imports.models import ImportedTicket, ImportRun, RunStatus
from servicepact.imports.report import ImportReport
from servicepact.imports.sources import SourceError, SourceProblems, read_tickets
from servicepact.imports.target import ImportTarget
from servicepact.imports.writing import BatchWriter
from servicepact.refusals import ActionRefused

BATCH = 1000
Progress = Callable[[ImportRun], None]


class ImportRefused(ActionRefused):
    """An import refused because its check found problems; ``report`` says which. Nothing was changed."""

    def __init__(self, report: ImportReport):
        message = report.error or _("The file cannot be imported as it is: see the report.")
        super().__init__(message, errors={"file": [message]})
        self.report = report


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def new_report(contract: Contract, mapping: Mapping, file_name: str, sha256: str) -> ImportReport:
    source = mapping.doc.source
    return ImportReport(
        contract=contract.slug,
        tool=source.tool,
        layout=source.layout_name,
        system=source.system_name,
        file_name=file_name,
        file_sha256=sha256,
        mapping_name=mapping.doc.mapping,
        mapping_sha256=mapping.sha256,
    )


def provenance(actor: User, report: ImportReport) -> dict:
    """What every imported ticket's ``created`` event records of where it came from (the run's id is added
    when it is written)."""
    return {
        "source": report.tool,
        "system": report.system,
        "file": report.file_name,
        "file_sha256": report.file_sha256,
        "mapping_sha256": report.mapping_sha256,
        "by": actor.email,
    }


def ticket_plans(
    target: ImportTarget,
    mapping: Mapping,
    path: Path,
    report: ImportReport,
    origin: dict,
    batch_size: int | None = None,
) -> Iterator[list[TicketPlan]]:
    """The file's ticket plans in batches, those imported before left out (counted as skipped); the rows,
    bad rows and approximations go to ``report``."""
    problems = SourceProblems()
    converter = Converter(target, mapping, report, origin)
    batch_size = batch_size or BATCH
    batch: list[TicketPlan] = []

    def fresh(plans: list[TicketPlan]) -> list[TicketPlan]:
        known = set(
            ImportedTicket.objects.filter(
                contract=target.contract, system=target.system, reference__in=[plan.reference for plan in plans]
            ).values_list("reference", flat=True)
        )
        report.skipped += len(known)
        return [plan for plan in plans if plan.reference not in known]

    try:
        for source in read_tickets(path, mapping, problems):
            report.tickets += 1
            plan = converter.convert(source)
            if plan is not None:
                batch.append(plan)
            if len(batch) >= batch_size:
                yield fresh(batch)
                batch = []
        if batch:
            yield fresh(batch)
    except SourceError as error:
        report.error = str(error)
    finally:
        report.rows = problems.rows
        report.bad_rows, report.bad_row_count = problems.bad_rows, problems.bad_row_count
        for key, count in problems.notes.items():
            report.approximations[key] = report.approximations.get(key, 0) + count


def count(report: ImportReport, plans: list[TicketPlan]) -> None:
    report.new += len(plans)
    report.events += sum(len(plan.events) for plan in plans)
    closed = sum(plan.status == CLOSED for plan in plans)
    report.closed += closed
    report.open += len(plans) - closed


def check(actor: User, contract: Contract, path: Path, mapping: Mapping, file_name: str) -> ImportReport:
    """Convert every ticket of the file and count; nothing is written."""
    report = new_report(contract, mapping, file_name, file_sha256(path))
    target = ImportTarget(contract, mapping)
    for plans in ticket_plans(target, mapping, path, report, provenance(actor, report)):
        count(report, plans)
    report.creates_teams = sorted(target.new_teams)
    report.creates_requesters = len(target.new_requesters)
    return report


def run_for(actor: User, contract: Contract, mapping: Mapping, report: ImportReport, size: int) -> ImportRun:
    """The unfinished run of the same file and mapping (an interrupted import goes on), or a new one."""
    run = (
        ImportRun.objects.filter(contract=contract, file_sha256=report.file_sha256, mapping_sha256=mapping.sha256)
        .exclude(status=RunStatus.DONE)
        .order_by("-created_at")
        .first()
    )
    if run is None:
        run = ImportRun(
            contract=contract,
            tool=report.tool,
            layout=report.layout,
            system=report.system,
            file_name=report.file_name[:255],
            file_sha256=report.file_sha256,
            file_size=size,
            mapping_name=mapping.doc.mapping[:200],
            mapping_sha256=mapping.sha256,
            mapping_text=mapping.text,
            started_by=actor,
            created_at=timezone.now(),
        )
    run.status = RunStatus.QUEUED
    run.total = report.new
    run.report = report.as_json()
    run.error = ""
    run.save()
    return run


def execute(
    run: ImportRun, path: Path, mapping: Mapping, *, progress: Progress | None = None, now: datetime | None = None
) -> ImportRun:
    """Write the run's tickets (its file checked already): each batch's placeholders, then its tickets."""
    contract = run.contract
    now = now or timezone.now()
    run.status, run.started_at, run.done, run.imported, run.skipped, run.events = RunStatus.RUNNING, now, 0, 0, 0, 0
    run.save(update_fields=["status", "started_at", "done", "imported", "skipped", "events"])
    report = new_report(contract, mapping, run.file_name, run.file_sha256)
    target = ImportTarget(contract, mapping)
    writer = BatchWriter(run, target, now)
    try:
        for plans in ticket_plans(target, mapping, path, report, provenance(run.started_by, report)):
            make_placeholders(target, contract)
            writer.refresh_names()
            if plans:
                run.events += writer.write(plans)
                run.imported += len(plans)
            count(report, plans)
            run.skipped = report.skipped
            run.done = run.imported + run.skipped
            run.save(update_fields=["done", "imported", "skipped", "events"])
            if progress is not None:
                progress(run)
        if not report.ok:
            raise ImportRefused(report)
    except Exception as error:
        run.status, run.finished_at = RunStatus.FAILED, timezone.now()
        run.error = str(error)[:2000]
        run.report = report.as_json()
        run.save(update_fields=["status", "finished_at", "error", "report"])
        raise
    report.creates_teams = sorted(target.created_teams)
    report.creates_requesters = len(target.created_requesters)
    run.status, run.finished_at, run.report = RunStatus.DONE, timezone.now(), report.as_json()
    run.save(update_fields=["status", "finished_at", "report"])
    if progress is not None:
        progress(run)
    return run


def make_placeholders(target: ImportTarget, contract: Contract) -> None:
    """Make the teams and placeholder requesters the conversion has planned so far, each once: teams in the
    provider's organization, requesters in the customer's, inactive, with no password and no role."""
    if not target.new_teams and not target.new_requesters:
        return
    with transaction.atomic():
        for slug, value in sorted(target.new_teams.items()):
            team, _created = Team.objects.get_or_create(
                slug=slug,
                defaults={"organization_id": contract.provider_id, "name": f"{value} ({target.system})"[:200]},
            )
            target.teams[slug] = (team.pk, team.organization_id)
            target.created_teams.add(slug)
        target.new_teams.clear()
        customer = contract.customer
        planned: dict[str, User] = {}
        emails: dict[str, str] = {}  # external id -> e-mail (two spellings of one person share one)
        for external_id, value in sorted(target.new_requesters.items()):
            key = "unknown" if value is None else value_key(value)
            email = emails[external_id] = f"{value_key(target.system)}-{key}@{customer.slug}.import.invalid"
            label = value if value is not None else _("unknown")
            planned.setdefault(
                email,
                User(
                    email=email,
                    full_name=f"{label} ({target.system})"[:200],
                    organization=customer,
                    external_id=external_id[:255],
                    is_active=False,
                    password=make_password(None),
                ),
            )
        known = set(User.objects.filter(email__in=list(planned)).values_list("email", flat=True))
        User.objects.bulk_create([person for email, person in planned.items() if email not in known], batch_size=1000)
        found = dict(User.objects.filter(email__in=list(planned)).values_list("email", "pk"))
        for external_id, email in emails.items():
            target.placeholders[external_id] = found[email]
            target.people[email] = (found[email], customer.pk)
            target.created_requesters.add(external_id)
        target.new_requesters.clear()
