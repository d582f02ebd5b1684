"""Mailing stored reports to their subscribers, the PDF attached.

A delivery row is written when a report is stored (one per matching subscription), then sent; a mail
server that is down leaves it pending for the next run, up to ``MAX_TRIES``. The notify app's outbox
carries plain-text notices without attachments, so reports go through Django's mail connection directly.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicepact.desk.models import Ticket
from servicepact.permissions import mailed_report_sight
from servicepact.slm.exports.names import file_name
from servicepact.slm.exports.pdf import printable_pdf
from servicepact.slm.models import DeliveryStatus, ReportDelivery, ReportScope, ReportSubscription, StoredReport

logger = logging.getLogger(__name__)
MAX_TRIES = 5


def plan_deliveries(report: StoredReport, now: datetime | None = None) -> list[ReportDelivery]:
    """A pending delivery of ``report`` to every active subscription of its contract and kind."""
    if report.scope != ReportScope.CONTRACT:
        return []
    planned = []
    for subscription in ReportSubscription.objects.filter(contract=report.contract, kind=report.kind, active=True):
        try:
            with transaction.atomic():
                planned.append(
                    ReportDelivery.objects.create(
                        report=report, subscription=subscription, created_at=now or timezone.now()
                    )
                )
        except IntegrityError:
            continue  # planned already
    return planned


def send_pending_deliveries() -> dict[str, int]:
    counts = {"sent": 0, "retried": 0, "failed": 0}
    pending = ReportDelivery.objects.filter(status=DeliveryStatus.PENDING).select_related(
        "report__contract__customer", "report__contract__provider", "report__contract_version", "subscription"
    )
    connection = get_connection(fail_silently=False)
    try:
        for delivery in pending:
            counts[_send(delivery, connection)] += 1
    finally:
        connection.close()
    return counts


def report_message(report: StoredReport, recipients: list[str], connection=None) -> EmailMessage:
    contract = report.contract
    subject = _("Service level report %(contract)s %(period)s") % {
        "contract": contract.slug,
        "period": report.period_label,
    }
    body = _(
        "The %(kind)s service level report of %(title)s for %(period)s is attached.\n\n"
        "Contract version %(version)s; SHA-256 of the event log: %(events)s.\n"
    ) % {
        "kind": report.get_kind_display().lower(),
        "title": contract.title,
        "period": report.period_label,
        "version": report.contract_version.number,
        "events": report.events_sha256,
    }
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, connection=connection)
    with translation.override("en"):
        pdf = printable_pdf(
            report, tickets=Ticket.objects.filter(contract=report.contract), sight=mailed_report_sight(report)
        )
        message.attach(file_name(report, ".pdf"), pdf, "application/pdf")
    return message


def _send(delivery: ReportDelivery, connection) -> str:
    delivery.tries += 1
    try:
        report_message(delivery.report, list(delivery.subscription.recipients), connection).send()
    except (OSError, ValueError) as problem:  # smtplib's errors are OSErrors
        delivery.last_error = f"{type(problem).__name__}: {problem}"
        outcome = "retried"
        if delivery.tries >= MAX_TRIES:
            delivery.status, outcome = DeliveryStatus.FAILED, "failed"
            logger.error("giving up mailing report %s after %d tries: %s", delivery.report_id, delivery.tries, problem)
    else:
        delivery.status, delivery.sent_at, delivery.last_error, outcome = (
            DeliveryStatus.SENT,
            timezone.now(),
            "",
            "sent",
        )
    delivery.save(update_fields=["tries", "status", "sent_at", "last_error"])
    return outcome
