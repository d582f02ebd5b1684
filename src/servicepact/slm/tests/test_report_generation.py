"""Stored reports are the kernel's reports of the live log: same JSON, same digest, verifiable later."""

import io
import json
from contextlib import redirect_stdout

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from servicepact.desk import actions
from servicepact.refusals import ActionRefused
from servicepact.sla.commands import report as report_command
from servicepact.slm.models import ReportKind, ReportScope, StoredReport
from servicepact.slm.reporting.generation import ReportRequest, generate_report, restate_report
from servicepact.slm.reporting.sources import period_log_lines
from servicepact.slm.tests.report_world import WEEK, play_week


def run_kernel(argv: list[str]) -> tuple[int, str]:
    """``servicepact report ARGV`` in this process: exit code and standard output."""
    out = io.StringIO()
    with redirect_stdout(out):
        code = report_command.main(argv)
    return code, out.getvalue()


def contract_file(tmp_path, version_source: str) -> str:
    path = tmp_path / "contract.yaml"
    path.write_bytes(version_source.encode())
    return str(path)


def weekly(world, **fields) -> ReportRequest:
    return ReportRequest(world.contract, ReportKind.WEEKLY, WEEK, **fields)


@pytest.mark.django_db
def test_the_stored_report_is_what_the_kernel_prints_for_the_exported_log(world, tmp_path):
    play_week(world)
    stored = generate_report(weekly(world))
    events_path = tmp_path / "events.jsonl"
    call_command("events", "export", "--contract", world.contract.slug, "--output", str(events_path))
    code, printed = run_kernel(
        ["--contract", contract_file(tmp_path, world.version.source), "--events", str(events_path), "--period", WEEK]
    )
    assert code == 0
    assert stored.body == printed
    report = json.loads(stored.body)
    by_id = {measure["id"]: measure for measure in report["measures"]}
    assert (by_id["resolution-compliance"]["numerator"], by_id["resolution-compliance"]["denominator"]) == (3, 4)
    assert (report["open"], report["open_breached"]) == (1, 1)
    assert stored.events_sha256 == report["digest"]["events_sha256"]
    assert stored.contract_version == world.version and stored.generated_by is None


@pytest.mark.django_db
def test_later_events_change_no_figure_and_the_period_log_still_verifies(world, tmp_path):
    play_week(world, later_events=True)
    stored = generate_report(weekly(world))
    full_path = tmp_path / "full.jsonl"
    call_command("events", "export", "--contract", world.contract.slug, "--output", str(full_path))
    contract_path = contract_file(tmp_path, world.version.source)
    _code, printed = run_kernel(["--contract", contract_path, "--events", str(full_path), "--period", WEEK])
    from_full_log = json.loads(printed)
    ours = json.loads(stored.body)
    assert from_full_log["measures"] == ours["measures"] and from_full_log["open"] == ours["open"]
    assert from_full_log["digest"]["events_sha256"] != ours["digest"]["events_sha256"]

    period_path = tmp_path / "period.jsonl"
    period_path.write_bytes(b"".join(period_log_lines(world.contract, ReportKind.WEEKLY, WEEK)))
    assert period_path.read_bytes() == stored.log.content()
    report_path = tmp_path / "report.json"
    report_path.write_text(stored.body)
    code, verdict = run_kernel(["verify", str(report_path), "--contract", contract_path, "--events", str(period_path)])
    assert (code, verdict.strip()) == (0, "MATCH")


@pytest.mark.django_db
def test_generating_twice_stores_one_report(world):
    play_week(world)
    first = generate_report(weekly(world))
    again = generate_report(weekly(world))
    assert again.pk == first.pk and StoredReport.objects.count() == 1


@pytest.mark.django_db
def test_a_stored_report_refuses_changes_and_deletion(world):
    play_week(world)
    stored = generate_report(weekly(world))
    stored.body = "{}"
    with pytest.raises(ValidationError):
        stored.save()
    with pytest.raises(ValidationError):
        stored.delete()
    assert StoredReport.objects.get(pk=stored.pk).body != "{}"


@pytest.mark.django_db
def test_a_recomputation_that_differs_is_a_new_report_restating_the_old(world):
    tickets = play_week(world)
    original = generate_report(weekly(world))
    analyst = world.people["analyst"]
    with pytest.raises(ActionRefused) as same:
        restate_report(original, actor=analyst, reason="Check")
    assert same.value.status == 409

    # A correction after the fact: the open ticket was about the HR portal all along.
    actions.correct_classification(
        tickets["open"],
        actor=world.people["agent"],
        service=world.services["hr-portal"],
        reason="Reported on SAP, but it is the HR portal's leave form",
    )
    restated = restate_report(original, actor=analyst, reason="Service corrected on the open ticket")
    assert restated.restates == original and restated.generated_by == analyst
    assert restated.body != original.body
    assert StoredReport.objects.get(pk=original.pk).body == original.body
    assert generate_report(weekly(world)).pk == restated.pk  # the latest is the current report
    with pytest.raises(ActionRefused):
        restate_report(original, actor=analyst, reason="again")


@pytest.mark.django_db
def test_restating_needs_a_reason_and_the_providers_analyst(world):
    play_week(world)
    original = generate_report(weekly(world))
    with pytest.raises(PermissionDenied):
        restate_report(original, actor=world.people["customer-manager"], reason="mine")
    with pytest.raises(ActionRefused) as refused:
        restate_report(original, actor=world.people["analyst"], reason="  ")
    assert "reason" in refused.value.errors


@pytest.mark.django_db
def test_a_teams_report_counts_the_tickets_it_held_when_resolution_stopped(world):
    play_week(world)
    stored = generate_report(weekly(world, scope=ReportScope.TEAM, scope_key="app-support-cn"))
    report = json.loads(stored.body)
    resolution = next(m for m in report["measures"] if m["id"] == "resolution-compliance")
    # the late SAP ticket was resolved while application support held it; the open one is theirs too
    assert (resolution["numerator"], resolution["denominator"]) == (0, 1)
    assert report["open"] == 1


@pytest.mark.django_db
def test_a_daily_service_report_covers_one_local_day(world):
    play_week(world)
    stored = generate_report(ReportRequest(world.contract, ReportKind.DAILY, "2026-03-04", ReportScope.SERVICE, "sso"))
    report = json.loads(stored.body)
    assert (report["from"], report["to"]) == ("2026-03-03T23:00:00Z", "2026-03-04T23:00:00Z")
    response = next(m for m in report["measures"] if m["id"] == "response-compliance")
    assert (response["numerator"], response["denominator"]) == (1, 1)
    assert "credits" not in report
