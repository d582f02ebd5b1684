"""Scheduled reports: every ended period once, whatever the number of runs; mailed with the PDF attached."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from servicepact.notify.models import Outbox
from servicepact.notify.sending import send_pending_messages
from servicepact.notify.tests.smtp_server import smtp_server
from servicepact.runtime.periodic import periodic_jobs
from servicepact.slm.models import (
    DeliveryStatus,
    ReportDelivery,
    ReportKind,
    ReportScope,
    ReportSubscription,
    StoredReport,
)
from servicepact.slm.tasks_reports import generate_due, generate_due_reports
from servicepact.slm.tests.report_world import play_week

# Wednesday 1 April 2026, 06:00 UTC: March and the week of 23-29 March have ended.
NOW = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)


def stored_keys(contract) -> set[tuple[str, str, str, str]]:
    return set(StoredReport.objects.filter(contract=contract).values_list("kind", "period_label", "scope", "scope_key"))


@pytest.mark.django_db
def test_every_ended_period_gets_its_reports_once(world):
    play_week(world)
    first = generate_due(NOW)
    keys = stored_keys(world.contract)
    assert first["generated"] == StoredReport.objects.count() and first["failed"] == 0
    assert ("monthly", "2026-03", "contract", "") in keys and ("monthly", "2026-02", "contract", "") in keys
    assert ("monthly", "2026-04", "contract", "") not in keys  # April has not ended
    weeks = {label for kind, label, scope, _ in keys if kind == "weekly" and scope == "contract"}
    assert weeks == {"2026-W10", "2026-W11", "2026-W12", "2026-W13"}
    teams = {key for kind, label, scope, key in keys if kind == "weekly" and scope == "team" and label == "2026-W10"}
    assert teams == {"service-desk", "app-support-cn", "globex-security"}
    days = {(label, key) for kind, label, scope, key in keys if kind == "daily"}
    assert ("2026-03-31", "sap-erp") in days and ("2026-03-31", "sso") in days
    assert all(key in ("sap-erp", "sso") for _, key in days)  # tier-1 services only

    again = generate_due(NOW)
    assert again["generated"] == 0 and stored_keys(world.contract) == keys


@pytest.mark.django_db
def test_the_scheduler_knows_the_job_and_the_task_takes_an_instant(world):
    assert any(job.task_path == "servicepact.slm.tasks_reports.generate_due_reports" for job in periodic_jobs())
    result = generate_due_reports.call(NOW.isoformat())
    assert result["generated"] > 0 and StoredReport.objects.filter(kind=ReportKind.MONTHLY).exists()


@pytest.mark.django_db
def test_no_report_before_the_contract_is_in_force(world):
    generate_due(datetime(2026, 1, 2, 6, 0, tzinfo=UTC))
    # December 2025 and its weeks lie before the signed version's effective date (1 January 2026)
    assert not StoredReport.objects.filter(period_label__startswith="2025").exists()


@pytest.mark.django_db
def test_a_subscription_names_valid_addresses(world):
    with pytest.raises(ValidationError) as refused:
        ReportSubscription.objects.create(
            contract=world.contract, kind=ReportKind.MONTHLY, recipients=["ok@example.test", "nope"]
        )
    assert "recipients[1]" in str(refused.value)


@pytest.mark.django_db
def test_scheduled_reports_are_mailed_to_subscribers_with_the_pdf(world, settings):
    play_week(world)
    Outbox.objects.all().delete()  # the week's ticket mail: not what this test is about
    ReportSubscription.objects.create(
        contract=world.contract, kind=ReportKind.MONTHLY, recipients=["brm@globex.example", "sla@northwind.example"]
    )
    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = inbox.host, inbox.port
        result = generate_due(NOW)
        assert result["mailed"] == 2  # February and March, queued in the outbox
        assert send_pending_messages(now=NOW).sent == 4  # one message per recipient
        again = generate_due(NOW)  # a second run mails nothing again, and reads back what was sent
        assert send_pending_messages(now=NOW).sent == 0
    assert (again["mailed"], again["delivered"]) == (0, 2)
    assert len(inbox.received) == 4
    march = [item for item in inbox.received if "2026-03" in item.message["Subject"]]
    assert sorted(to for item in march for to in item.envelope_to) == ["brm@globex.example", "sla@northwind.example"]
    attachments = [part for part in march[0].message.walk() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1 and attachments[0].get_filename() == "globex-ito-2026-03.pdf"
    assert attachments[0].get_payload(decode=True).startswith(b"%PDF")
    assert ReportDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 2


@pytest.mark.django_db
def test_a_mail_server_that_is_down_leaves_the_delivery_pending(world, settings):
    ReportSubscription.objects.create(
        contract=world.contract, kind=ReportKind.MONTHLY, recipients=["brm@globex.example"]
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    generate_due(NOW)
    assert send_pending_messages(now=NOW).retried == 2
    generate_due(NOW)
    delivery = ReportDelivery.objects.filter(report__scope=ReportScope.CONTRACT).first()
    assert delivery.status == DeliveryStatus.PENDING and delivery.tries == 1 and delivery.last_error
