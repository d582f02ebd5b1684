"""The upload page (dry run, refusal, import through the worker), a run's page, and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicepact.desk.models import Ticket
from servicepact.imports.models import ImportRun, RunStatus
from servicepact.imports.tasks import run_import
from servicepact.imports.tests.conftest import (
    SERVICENOW_HEADER,
    SERVICENOW_MAPPING,
    csv_text,
)
from servicepact.imports.tests.conftest import servicenow_row as row


def export(*rows) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "incidents.csv", csv_text(SERVICENOW_HEADER, list(rows)).encode(), content_type="text/csv"
    )


def clean_export() -> SimpleUploadedFile:
    return export(row("0000001", "New", 0, "29/2/2016 01:23"), row("0000001", "Resolved", 1, "29/2/2016 03:00"))


@pytest.fixture
def admin_client(client, importer):
    client.force_login(importer)
    return client


def form(history_contract, upload, *, dry_run: bool, **extra) -> dict:
    data = {
        "contract": history_contract.pk,
        "tool": "servicenow",
        "file": upload,
        "example": "servicenow-incident-audit",
        **extra,
    }
    if dry_run:
        data["dry_run"] = "on"
    return data


def test_the_dry_run_shows_the_report_and_changes_nothing(admin_client, history_contract):
    response = admin_client.post(reverse("imports:new"), form(history_contract, clean_export(), dry_run=True))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file can be imported as it is." in page and 'id="approximations"' in page
    assert (Ticket.objects.count(), ImportRun.objects.count()) == (0, 0)


def test_unmapped_values_are_shown_and_an_import_is_refused_with_them(admin_client, history_contract):
    upload = export(row("0000001", "Awaiting Approval", 0, "29/2/2016 01:23"))
    response = admin_client.post(reverse("imports:new"), form(history_contract, upload, dry_run=False))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Awaiting Approval" in page and "not listed, and the map has no default" in page
    assert (Ticket.objects.count(), ImportRun.objects.count()) == (0, 0)


def test_a_mapping_with_problems_is_named_at_its_line(admin_client, history_contract):
    mapping = SimpleUploadedFile("mine.yaml", b"mapping: m\nsource: {tool: servicenow, timezone: UTC}\nstatuses: {}\n")
    response = admin_client.post(
        reverse("imports:new"), form(history_contract, clean_export(), dry_run=True, mapping_file=mapping, example="")
    )
    assert response.status_code == 422
    assert "mine.yaml:1:1: missing required key &#x27;services&#x27;" in response.content.decode()


def test_an_htmx_post_answers_with_the_report_only(admin_client, history_contract):
    response = admin_client.post(
        reverse("imports:new"), form(history_contract, clean_export(), dry_run=True), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'id="report"' in page and "<form" not in page


def test_an_import_is_checked_queued_and_written_by_the_worker(
    admin_client, history_contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(reverse("imports:new"), form(history_contract, clean_export(), dry_run=False))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:run", args=[run.pk])
    assert (run.status, run.total, Ticket.objects.count(), len(callbacks)) == (RunStatus.QUEUED, 1, 0, 1)
    assert run.upload.name.startswith("imports/")
    page = admin_client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    run_import.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.imported, Ticket.objects.count()) == (RunStatus.DONE, 1, 1)
    state = admin_client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert "hx-trigger" not in state and "1 of 1 tickets: 1 imported" in state
    assert run_import.call(run.pk) == {"imported": 0, "skipped": 0}  # a finished run is left alone


def test_the_list_shows_the_runs_and_offers_the_upload_to_administrators(admin_client, client, world, history_contract):
    admin_client.post(reverse("imports:new"), form(history_contract, clean_export(), dry_run=False))
    page = admin_client.get(reverse("imports:list")).content.decode()
    assert "incidents.csv" in page and reverse("imports:new") in page
    client.force_login(world.people["analyst"])
    page = client.get(reverse("imports:list")).content.decode()
    assert "incidents.csv" in page and reverse("imports:new") not in page


def test_the_api_checks_imports_and_reports(client, importer, history_contract):
    client.force_login(importer)
    url = f"/api/contracts/{history_contract.slug}/imports"
    checked = client.post(url, {"file": clean_export(), "example": "servicenow-incident-audit", "dry_run": "true"})
    assert checked.status_code == 200 and checked.json()["new"] == 1 and ImportRun.objects.count() == 0
    refused = client.post(
        url,
        {
            "file": export(row("0000001", "Awaiting Approval", 0, "29/2/2016 01:23")),
            "mapping": SimpleUploadedFile("m.yaml", SERVICENOW_MAPPING.read_bytes()),
        },
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "file",
            "message": "statuses: 'Awaiting Approval' in 1 tickets: not listed, and the map has no default",
        }
    ]
    started = client.post(url, {"file": clean_export(), "example": "servicenow-incident-audit"})
    assert started.status_code == 202 and started.json()["status"] == "queued"
    run_id = started.json()["id"]
    run_import.call(run_id)
    detail = client.get(f"/api/imports/{run_id}").json()
    assert (detail["status"], detail["imported"], detail["report"]["new"]) == ("done", 1, 1)
    assert [run["id"] for run in client.get("/api/imports").json()] == [run_id]
    assert client.get("/api/imports/99999").status_code == 404


def test_an_imported_ticket_tells_its_origin_on_its_page(admin_client, client, world, history_contract):
    admin_client.post(reverse("imports:new"), form(history_contract, clean_export(), dry_run=False))
    run_import.call(ImportRun.objects.get().pk)
    ticket = Ticket.objects.get()
    client.force_login(world.people["agent"])
    page = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()
    assert "imported the ticket from servicenow (0000001), priority P3" in page


def test_the_pages_speak_the_persons_language(admin_client, importer, history_contract):
    importer.language = "zh-hans"
    importer.save(update_fields=["language"])
    page = admin_client.get(reverse("imports:new")).content.decode()
    assert "从其他工具导入历史" in page and "试运行：只检查并报告，不做任何更改" in page
    response = admin_client.post(reverse("imports:new"), form(history_contract, clean_export(), dry_run=True))
    assert "该文件可以按原样导入。" in response.content.decode()
