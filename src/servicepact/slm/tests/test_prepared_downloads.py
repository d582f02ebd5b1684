"""Downloads that read a whole log are written by the worker: the link answers with a page that follows
the work (polled), then offers the file, kept in the data directory; the file is the requester's alone."""

import hashlib
import json

import pytest
from django.test import Client
from django.urls import resolve, reverse

from servicepact.evidence import hashed_log
from servicepact.slm.models import DownloadKind, PreparedDownload, ReportKind, WorkStatus
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.slm.reporting.prepared import new_download, prepare
from servicepact.slm.tasks_backtest import prepare_download
from servicepact.slm.tests.report_world import WEEK, play_week

pytestmark = pytest.mark.django_db

EVENTS = "/checkpoints/events/globex-ito.jsonl"


def client_of(world, person: str) -> Client:
    client = Client()
    client.force_login(world.people[person])
    return client


def test_the_contracts_events_are_written_by_the_worker_and_offered_when_done(world):
    play_week(world)
    client = client_of(world, "customer-manager")
    response = client.get(EVENTS)
    download = PreparedDownload.objects.get()
    assert response.status_code == 302 and response["Location"] == download.get_absolute_url()
    assert resolve(response["Location"]).kwargs["download_id"] == download.pk
    page = client.get(download.get_absolute_url()).content.decode()
    assert 'id="download-status">Queued' in page and "every 2s" in page and "download-link" not in page
    assert client.get(reverse("slm:download_file", args=[download.pk])).status_code == 404  # not ready
    assert client.get(EVENTS)["Location"] == download.get_absolute_url()  # asked again: the same one

    prepare_download.call(download.pk)
    download.refresh_from_db()
    tickets = world.contract.tickets.count()
    assert (download.status, download.done, download.total, download.progress_percent) == (
        WorkStatus.DONE,
        tickets,
        tickets,
        100,
    )
    state = client.get(download.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in state and 'id="download-link"' in state and download.sha256 in state
    file = client.get(reverse("slm:download_file", args=[download.pk]))
    content = b"".join(file.streaming_content)
    assert file["Content-Disposition"] == 'attachment; filename="globex-ito-events-chain.jsonl"'
    expected = b"".join(
        hashed_log.encode(line) for line in hashed_log.contract_lines(world.contract, world.people["customer-manager"])
    )
    assert content == expected and hashlib.sha256(content).hexdigest() == download.sha256
    assert {json.loads(line)["ticket"] for line in content.splitlines()} == set(
        world.contract.tickets.values_list("number", flat=True)
    )
    # Once done, asking again prepares a fresh copy.
    assert client.get(EVENTS)["Location"] != download.get_absolute_url()


def test_a_prepared_download_is_its_requesters(world):
    play_week(world)
    response = client_of(world, "customer-manager").get(EVENTS)
    download_id = resolve(response["Location"]).kwargs["download_id"]
    prepare_download.call(download_id)
    for person in ("agent", "analyst", "other-manager"):
        other = client_of(world, person)
        assert other.get(reverse("slm:download", args=[download_id])).status_code == 404
        assert other.get(reverse("slm:download_file", args=[download_id])).status_code == 404


def test_a_report_kept_before_reports_kept_their_logs_gets_todays_log_from_the_worker(world):
    play_week(world)
    report = generate_report(ReportRequest(world.contract, ReportKind.WEEKLY, WEEK))
    kept = report.log.content()
    download = new_download(DownloadKind.REPORT_EVENTS, world.contract, actor=world.people["analyst"], report=report)
    download.report.log = None  # as a report stored before reports kept their logs
    prepare(download)
    download.refresh_from_db()
    assert download.status == WorkStatus.DONE and download.headers == {"X-Events-SHA256-Matches": "yes"}
    file = client_of(world, "analyst").get(reverse("slm:download_file", args=[download.pk]))
    assert b"".join(file.streaming_content) == kept
    assert file["X-Events-SHA256-Matches"] == "yes"
    assert file["Content-Disposition"] == f'attachment; filename="globex-ito-{WEEK}-events.jsonl"'


def test_a_download_that_fails_says_so(world, monkeypatch):
    download = new_download(DownloadKind.CONTRACT_EVENTS, world.contract, actor=world.people["analyst"])

    def broken(contract, user):
        raise OSError("disk full")

    monkeypatch.setattr(hashed_log, "contract_lines", broken)
    with pytest.raises(OSError):
        prepare_download.call(download.pk)
    download.refresh_from_db()
    assert download.status == WorkStatus.FAILED and "OSError" in download.error
    page = client_of(world, "analyst").get(download.get_absolute_url()).content.decode()
    assert 'id="download-status">Failed' in page and "every 2s" not in page
