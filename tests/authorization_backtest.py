"""The authorization test's backtest and prepared download, made once per test on first use: the reporting
analyst's backtest of Globex's contract (its own text as the draft, not yet run) and an events download
the worker prepared for the analyst."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from servicepact.accounts.models import User
from servicepact.contracts.models import Contract, ContractVersion
from servicepact.slm.models import BacktestRun, DownloadKind, PreparedDownload, WorkStatus


def backtest_values() -> dict[str, int]:
    analyst = User.objects.get(email="analyst@example.test")
    contract = Contract.objects.get(slug="globex-ito")
    run = BacktestRun.objects.order_by("pk").first()
    if run is None:
        version = ContractVersion.objects.get(contract=contract, number=1)
        run = BacktestRun.objects.create(
            contract=contract,
            started_by=analyst,
            draft=version.source,
            draft_sha256=hashlib.sha256(version.source.encode()).hexdigest(),
            in_force=version,
            first="2026-03",
            last="2026-03",
            months_total=1,
            created_at=timezone.now(),
        )
    download = PreparedDownload.objects.order_by("pk").first()
    if download is None:
        download = PreparedDownload(
            kind=DownloadKind.CONTRACT_EVENTS,
            contract=contract,
            requested_by=analyst,
            name="globex-ito-events-chain.jsonl",
            content_type="application/x-ndjson",
            status=WorkStatus.DONE,
            created_at=timezone.now(),
        )
        download.file.save(download.name, ContentFile(b""), save=False)
        download.save()
    return {"backtest_id": run.pk, "download_id": download.pk}
