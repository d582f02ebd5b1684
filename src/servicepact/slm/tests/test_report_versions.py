"""Stored reports across a contract version change, and reports that keep their inputs through corrections.

Version 2 of the Globex contract takes effect on Monday 16 March 2026 (Berlin): P2 tickets must then be
resolved within 1 business hour instead of 8, and the month's resolution measure asks ">= 0.5" instead
of ">= 0.95". Three P2 tickets on SAP ERP (Berlin hours 08-18) in March:

| ticket | created (Berlin)        | resolved after        | follows | resolution |
| A      | Tue 10 March 09:00      | 3 business hours      | v1 (8 h)| met        |
| B      | Tue 17 March 09:00      | 30 minutes            | v2 (1 h)| met        |
| C      | Wed 18 March 09:00      | 3 business hours      | v2 (1 h)| breached   |

By hand, March: version 2's measures; resolution 2 met of 3 (0.6667) against ">= 0.5": met; response 3
of 3. Evaluated under version 2 alone, A would be breached (1 of 3).
"""

import hashlib
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, date, datetime

import pytest

from servicepact.contracts.models import ContractVersion, VersionStatus
from servicepact.desk import actions
from servicepact.refusals import ActionRefused
from servicepact.sla.commands import report as report_command
from servicepact.slm.models import ReportKind, ReportScope, StoredReport
from servicepact.slm.reporting.backtesting import run_draft_backtest
from servicepact.slm.reporting.generation import ReportRequest, generate_report, restate_report
from servicepact.slm.tests.report_world import WEEK, play_week


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def second_version(world, effective_from=date(2026, 3, 16)) -> ContractVersion:
    source = (
        world.version.source.replace("version: 1\n", "version: 2\n", 1)
        .replace("P2: {within: 8h,  calendar: service}", "P2: {within: 1h,  calendar: service}")
        .replace('target: ">= 0.95"', 'target: ">= 0.50"', 1)
    )
    source = source.replace(
        f"from: {world.version.effective_from.isoformat()}", f"from: {effective_from.isoformat()}", 1
    )
    assert source.count("within: 1h,  calendar: service") == 1 and 'target: ">= 0.50"' in source
    return ContractVersion.objects.create(
        contract=world.contract,
        number=2,
        source=source,
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        effective_from=effective_from,
        effective_to=world.version.effective_to,
        status=VersionStatus.SIGNED,
    )


def p2_ticket(world, created: datetime, resolved: datetime):
    agent = world.people["agent"]
    ticket = actions.create_ticket(
        actor=world.people["requester"],
        contract=world.contract,
        service=world.services["sap-erp"],
        title="Posting run fails",
        impact="high",
        urgency="medium",
        at=created,
    )
    actions.reply(ticket, actor=agent, body="Looking into it.", at=created.replace(minute=10))
    actions.resolve_ticket(ticket, actor=agent, resolution="Fixed.", at=resolved)
    ticket.refresh_from_db()
    return ticket


def kernel(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = report_command.main(argv)
    return code, out.getvalue() + err.getvalue()


def download(client, report: StoredReport, name: str, tmp_path) -> str:
    response = client.get(f"/slm/reports/{report.pk}/{name}")
    assert response.status_code == 200, name
    path = tmp_path / f"{report.pk}-{name}"
    path.write_bytes(response.content)
    return str(path)


@pytest.fixture
def march(world):
    second_version(world)
    return {
        "A": p2_ticket(world, utc(2026, 3, 10, 8, 0), utc(2026, 3, 10, 11, 0)),
        "B": p2_ticket(world, utc(2026, 3, 17, 8, 0), utc(2026, 3, 17, 8, 30)),
        "C": p2_ticket(world, utc(2026, 3, 18, 8, 0), utc(2026, 3, 18, 11, 0)),
    }


@pytest.mark.django_db
def test_a_monthly_report_across_a_version_change_honours_each_tickets_version(world, march):
    assert [march[name].contract_version.number for name in "ABC"] == [1, 2, 2]
    stored = generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-03"))
    report = json.loads(stored.body)
    assert (report["version"], stored.contract_version.number) == (2, 2)
    resolution = next(measure for measure in report["measures"] if measure["id"] == "resolution-compliance")
    assert (resolution["numerator"], resolution["denominator"], resolution["target"], resolution["met"]) == (
        2,
        3,
        ">= 0.5",
        True,
    )
    assert [version.number for version in stored.input_versions.order_by("number")] == [1, 2]
    assert [entry["version"] for entry in report["digest"]["contract_versions"]] == [1, 2]


@pytest.mark.django_db
def test_its_downloaded_inputs_verify_offline_with_both_versions(world, march, client, tmp_path):
    stored = generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-03"))
    client.force_login(world.people["analyst"])
    body = download(client, stored, "report.json", tmp_path)
    v1, v2 = (download(client, stored, f"contract-v{number}.yaml", tmp_path) for number in (1, 2))
    events = download(client, stored, "events.jsonl", tmp_path)
    assert kernel(["verify", body, "--contract", v1, "--contract", v2, "--events", events]) == (0, "MATCH\n")
    code, printed = kernel(["verify", body, "--contract", v2, "--events", events])
    assert code == 1 and "resolution" not in printed.split("\n")[0]
    assert "measures[0].numerator: report 2, recomputed 1" in printed
    assert client.get(f"/slm/reports/{stored.pk}/contract-v3.yaml").status_code == 404
    page = client.get(stored.get_absolute_url()).content.decode()
    assert f"/slm/reports/{stored.pk}/contract-v1.yaml" in page and f"/slm/reports/{stored.pk}/contract-v2.yaml" in page


@pytest.mark.django_db
def test_a_ticket_the_database_pinned_otherwise_than_its_creation_date_says_is_refused(world):
    late_signed = p2_ticket(world, utc(2026, 3, 18, 8, 0), utc(2026, 3, 18, 11, 0))  # follows v1 when created
    second_version(world)  # v2 signed afterwards, taking effect before the ticket was created
    with pytest.raises(ActionRefused) as refused:
        generate_report(ReportRequest(world.contract, ReportKind.MONTHLY, "2026-03"))
    assert refused.value.status == 409
    assert f"Ticket {late_signed.number} follows version 1, but version 2 was in force" in refused.value.message
    assert not StoredReport.objects.exists()


@pytest.mark.django_db
def test_a_stored_report_still_verifies_after_a_correction_and_a_restatement_stands_beside_it(world, client, tmp_path):
    tickets = play_week(world)
    request = ReportRequest(world.contract, ReportKind.WEEKLY, WEEK)
    original = generate_report(request)
    client.force_login(world.people["analyst"])
    before = download(client, original, "events.jsonl", tmp_path)

    # After the report: ticket 4 was no on-site hardware job after all, so first-contact counts it.
    actions.correct_classification(
        tickets["excluded"],
        actor=world.people["agent"],
        category="",
        reason="A password reset, filed as hardware by mistake",
    )
    after = download(client, original, "events.jsonl", tmp_path)
    assert open(after, "rb").read() == open(before, "rb").read()
    contract_file = download(client, original, "contract.yaml", tmp_path)
    body = download(client, original, "report.json", tmp_path)
    assert kernel(["verify", body, "--contract", contract_file, "--events", after]) == (0, "MATCH\n")

    page = client.get(original.get_absolute_url()).content.decode()
    assert 'id="corrected-since"' in page and "A password reset, filed as hardware by mistake" in page
    drill = client.get(f"/slm/reports/{original.pk}/measures/first-contact-resolution/").content.decode()
    assert f'data-ticket="{tickets["excluded"].number}" data-counted="no"' in drill

    restated = restate_report(original, actor=world.people["analyst"], reason="Ticket 4 reclassified")
    figures = {measure["id"]: measure for measure in json.loads(restated.body)["measures"]}
    was = {measure["id"]: measure for measure in json.loads(original.body)["measures"]}
    assert (was["first-contact-resolution"]["denominator"], figures["first-contact-resolution"]["denominator"]) == (
        3,
        4,
    )
    assert json.loads(restated.body)["corrections"][0]["reason"] == "A password reset, filed as hardware by mistake"
    assert restated.log_id != original.log_id and restated.restates == original
    assert json.loads(original.body)["digest"]["events_sha256"] == original.log.sha256
    assert StoredReport.objects.filter(scope=ReportScope.CONTRACT).count() == 2
    restated_page = client.get(restated.get_absolute_url()).content.decode()
    assert 'id="corrections"' in restated_page and 'id="corrected-since"' not in restated_page
    drill = client.get(f"/slm/reports/{restated.pk}/measures/first-contact-resolution/").content.decode()
    assert f'data-ticket="{tickets["excluded"].number}" data-counted="yes"' in drill


@pytest.mark.django_db
def test_the_backtest_page_compares_a_draft_with_every_signed_version(world, march):
    # Version 1's text as the draft: 8 hours for every P2, so all three are met; the signed history met two.
    outcome = run_draft_backtest(world.contract, world.version.source, "2026-03", "2026-03")
    assert outcome.problems == [] and outcome.result["baseline"]["versions"] == [1, 2]
    resolution = outcome.result["months"][0]["measures"][0]
    assert (resolution["id"], resolution["baseline"]["numerator"], resolution["draft"]["numerator"]) == (
        "resolution-compliance",
        2,
        3,
    )
    assert outcome.result["months"][0]["flips"] == [
        {"ticket": march["C"].number, "clock": "resolution", "baseline": "breached", "draft": "met"}
    ]
