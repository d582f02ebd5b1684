"""The scores in the contract's reports: a version that measures ``satisfaction_score`` gets the survey
answers, the stored report keeps them, and the offline command recomputes the same report from them."""

import hashlib
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions as desk
from servicepact.sla.scores import canonical_scores
from servicepact.slm.reporting.generation import ReportRequest, generate_report
from servicepact.surveys import actions
from servicepact.surveys.models import AnsweredVia, TicketSurvey

SATISFACTION = """measures:
  - id: satisfaction
    measure: satisfaction_score
    frequency: monthly
    target: ">= 4"
    measured_by: service-reporting
"""


@pytest.fixture
def satisfaction_version(world) -> ContractVersion:
    source = world.version.source.replace("version: 1\n", "version: 2\n", 1).replace("measures:\n", SATISFACTION, 1)
    return ContractVersion.objects.create(
        contract=world.contract,
        number=2,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=world.version.effective_from,
        effective_to=world.version.effective_to,
        status=VersionStatus.SIGNED,
    )


def resolved_and_scored(world, title: str, day: int, score: int | None):
    at = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
    ticket = desk.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title=title,
        impact="low",
        urgency="low",
        at=at,
    )
    desk.resolve_ticket(ticket, actor=world.people["agent"], resolution="Done", at=at + timedelta(hours=1))
    if score is not None:
        survey = TicketSurvey.objects.get(ticket=ticket)
        actions.answer_ticket_survey(survey, actor=None, via=AnsweredVia.LINK, score=score, at=at + timedelta(days=1))
    return ticket


def test_the_monthly_report_measures_the_scores_and_keeps_them(world, satisfaction_version, tmp_path, client):
    first = resolved_and_scored(world, "Posting fails", 3, 5)
    second = resolved_and_scored(world, "Printer queue", 4, 2)
    resolved_and_scored(world, "No answer", 5, None)
    report = generate_report(ReportRequest(world.contract, "monthly", "2026-11"))
    body = json.loads(report.body)
    (measure,) = [m for m in body["measures"] if m["id"] == "satisfaction"]
    assert (measure["value"], measure["denominator"], measure["met"]) == (3.5, 2, False)
    kept = report.scores_log.content()
    assert kept == canonical_scores({first.number: 5, second.number: 2})
    assert body["digest"]["scores_sha256"] == hashlib.sha256(kept).hexdigest()

    client.force_login(world.people["customer-manager"])
    download = client.get(f"/slm/reports/{report.pk}/scores.json")
    assert download.status_code == 200 and download.content == kept
    files = {name: tmp_path / name for name in ("report.json", "events.jsonl", "scores.json", "v1.yaml", "v2.yaml")}
    files["report.json"].write_text(report.body)
    files["events.jsonl"].write_bytes(report.log.content())
    files["scores.json"].write_bytes(kept)
    files["v1.yaml"].write_text(world.version.source)
    files["v2.yaml"].write_text(satisfaction_version.source)
    command = [sys.executable, "-m", "servicepact", "report", "verify", str(files["report.json"])]
    command += ["--contract", str(files["v1.yaml"]), "--contract", str(files["v2.yaml"])]
    command += ["--events", str(files["events.jsonl"]), "--scores", str(files["scores.json"])]
    verified = subprocess.run(command, capture_output=True, text=True)
    assert verified.stdout.strip() == "MATCH", verified.stdout + verified.stderr


def test_a_version_without_the_measure_passes_no_scores(world):
    resolved_and_scored(world, "Posting fails", 3, 5)
    report = generate_report(ReportRequest(world.contract, "monthly", "2026-11"))
    assert report.scores_log is None
    assert "scores_sha256" not in json.loads(report.body)["digest"]
