"""Downloads the worker prepares, because making them reads a whole log: a contract's events with their
hashes (what ``events export --chain`` writes, redacted to what the requester may read), and the event log
of a report stored before reports kept theirs (the period's log recomputed today).

The file is written in the data directory (``MEDIA_ROOT/downloads``) while the row counts the tickets
read; the page shows the progress, then the link.
"""

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext

from servicepact.contracts.models import Contract
from servicepact.desk.models import Ticket
from servicepact.evidence import hashed_log
from servicepact.slm.exports.names import file_name
from servicepact.slm.models import DownloadKind, PreparedDownload, StoredReport, WorkStatus
from servicepact.slm.reporting.generation import ReportRequest, compute_report

logger = logging.getLogger(__name__)

NDJSON = "application/x-ndjson"
# Tickets read between two progress records.
PROGRESS_EVERY = 1000


def new_download(kind: DownloadKind, contract: Contract, *, actor, report: StoredReport | None = None):
    if kind == DownloadKind.REPORT_EVENTS:
        name = file_name(report, "-events.jsonl")
    else:
        name = f"{contract.slug}-events-chain.jsonl"
    return PreparedDownload.objects.create(
        kind=kind,
        contract=contract,
        report=report,
        requested_by=actor,
        name=name,
        content_type=NDJSON,
        created_at=timezone.now(),
    )


def prepare(download: PreparedDownload) -> None:
    """Write the download's file; a finished download is left as it is (safe to run twice)."""
    if download.finished:
        return
    download.status, download.done = WorkStatus.RUNNING, 0
    download.save(update_fields=["status", "done"])
    try:
        MAKERS[download.kind](download)
    except Exception as error:
        logger.exception("download %s failed", download.pk)
        download.status, download.error = (
            WorkStatus.FAILED,
            gettext("The file could not be written: %(error)s") % {"error": type(error).__name__},
        )
        download.finished_at = timezone.now()
        download.save(update_fields=["status", "error", "finished_at"])
        raise


def _write(download: PreparedDownload, chunks: Iterator[bytes]) -> None:
    digest, size = hashlib.sha256(), 0
    folder = Path(settings.MEDIA_ROOT) / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder) as stream:
        for chunk in chunks:
            stream.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        stream.seek(0)
        download.file.save(download.name, File(stream), save=False)
    download.size, download.sha256 = size, digest.hexdigest()
    download.status, download.finished_at = WorkStatus.DONE, timezone.now()
    download.done = download.total
    download.save(update_fields=["file", "size", "sha256", "status", "finished_at", "done", "headers"])


def _contract_events(download: PreparedDownload) -> None:
    download.total = Ticket.objects.filter(contract=download.contract).count()
    download.save(update_fields=["total"])

    def lines() -> Iterator[bytes]:
        current, seen = None, 0
        for line in hashed_log.contract_lines(download.contract, download.requested_by):
            if line["ticket"] != current:
                current, seen = line["ticket"], seen + 1
                if seen % PROGRESS_EVERY == 0:
                    download.done = seen
                    download.save(update_fields=["done"])
            yield hashed_log.encode(line)

    _write(download, lines())


def _report_events(download: PreparedDownload) -> None:
    report = download.report
    if report.log is not None:
        _write(download, iter([report.log.content()]))
        return
    download.total = 1
    download.save(update_fields=["total"])
    computed = compute_report(
        ReportRequest(report.contract, report.kind, report.period_label, report.scope, report.scope_key)
    )
    matches = computed.report["digest"]["events_sha256"] == report.events_sha256
    download.headers = {"X-Events-SHA256-Matches": "yes" if matches else "no"}
    _write(download, iter([computed.scoped_log]))


MAKERS = {DownloadKind.CONTRACT_EVENTS: _contract_events, DownloadKind.REPORT_EVENTS: _report_events}
