"""Mailing stored reports to their subscribers, through the outbox like every other mail.

When a report is stored, each active subscription of its contract and kind gets a delivery row (at most
one per report and subscription), and in the same transaction one outbox message per recipient, in that
person's language, with the report's PDF and XLSX attached. The outbox sends them: its lease, retries
and give-up, the same Message-ID at every try. ``settle_deliveries`` reads the outcome back onto the
delivery rows (sent once all its messages left, failed once one was given up).
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicepact.accounts.models import User
from servicepact.desk.models import Ticket
from servicepact.notify.actions import Attachment, enqueue_notification
from servicepact.notify.models import Outbox, OutboxStatus
from servicepact.permissions import mailed_report_sight
from servicepact.slm.exports.names import file_name
from servicepact.slm.exports.pdf import printable_pdf
from servicepact.slm.exports.xlsx import report_workbook
from servicepact.slm.models import DeliveryStatus, ReportDelivery, ReportScope, ReportSubscription, StoredReport
from servicepact.slm.reporting.analysis import analyse
from servicepact.slm.reporting.presentation import layout

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_deliveries(report: StoredReport, now: datetime | None = None) -> list[ReportDelivery]:
    """A delivery of ``report`` to every active subscription of its contract and kind, its messages queued
    in the outbox; a subscription planned already is skipped (safe to run twice)."""
    now = now or timezone.now()
    planned: list[ReportDelivery] = []
    if report.scope != ReportScope.CONTRACT:
        return planned
    subscriptions = ReportSubscription.objects.filter(contract=report.contract, kind=report.kind, active=True)
    files = ReportFiles(report)
    for subscription in subscriptions.exclude(deliveries__report=report):
        # The files are drawn before the transaction: a slow PDF never holds the database's write lock.
        languages = {address: recipient_language(address) for address in subscription.recipients}
        for language in set(languages.values()):
            files.of(language)
        try:
            with transaction.atomic():
                delivery = ReportDelivery.objects.create(report=report, subscription=subscription, created_at=now)
                for address, language in languages.items():
                    enqueue_notification(
                        recipients=[address],
                        **report_mail(report, language),
                        key=message_key(delivery, address),
                        at=now,
                        attachments=files.of(language),
                    )
        except IntegrityError:
            continue  # planned meanwhile by another run
        planned.append(delivery)
    return planned


def message_key(delivery: ReportDelivery, address: str) -> str:
    """The outbox key of one recipient's message of ``delivery``: queued once, found again by its prefix."""
    return f"{key_prefix(delivery)}{hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]}"


def key_prefix(delivery: ReportDelivery) -> str:
    return f"report-delivery:{delivery.pk}:"


def recipient_language(address: str) -> str:
    """The language of the active person with this address; the service's own for anyone else."""
    person = User.objects.filter(email__iexact=address.strip(), is_active=True).only("language").first()
    return (person.language if person is not None and person.language else "") or settings.LANGUAGE_CODE


def report_mail(report: StoredReport, language: str) -> dict[str, str]:
    """The subject and body of the report's mail in ``language``."""
    contract = report.contract
    with translation.override(language):
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
    return {"subject": subject, "body": body}


class ReportFiles:
    """The report's PDF and XLSX per language, each drawn once, showing what a forwarded mail may show."""

    def __init__(self, report: StoredReport):
        self.report = report
        self.drawn: dict[str, list[Attachment]] = {}

    def of(self, language: str) -> list[Attachment]:
        if language not in self.drawn:
            self.drawn[language] = self._draw(language)
        return self.drawn[language]

    def _draw(self, language: str) -> list[Attachment]:
        report = self.report
        sight = mailed_report_sight(report)
        tickets = Ticket.objects.filter(contract=report.contract)
        with translation.override(language):
            pdf = printable_pdf(report, tickets=tickets, sight=sight, language=language)
            analysis = analyse(report)
            analysis.details = {
                key: detail for key, detail in analysis.details.items() if sight.shows_measure(detail["measure"])
            }
            titles = dict(tickets.filter(number__in=analysis.detail_tickets()).values_list("number", "title"))
            workbook = report_workbook(layout(report, sight), analysis, titles)
        return [
            Attachment(file_name(report, ".pdf"), pdf, PDF),
            Attachment(file_name(report, ".xlsx"), workbook, XLSX),
        ]


def settle_deliveries() -> dict[str, int]:
    """Read the outbox's outcome back onto pending deliveries: sent once every message left, failed once
    one was given up; otherwise the tries and the last error so far. Returns how many were settled."""
    settled = {"delivered": 0, "undeliverable": 0}
    for delivery in ReportDelivery.objects.filter(status=DeliveryStatus.PENDING):
        messages = Outbox.objects.filter(key__startswith=key_prefix(delivery))
        counts = {status: messages.filter(status=status).count() for status in OutboxStatus.values}
        if not any(counts.values()):
            continue
        tries = messages.aggregate(most=Max("tries"))["most"] or 0
        if counts[OutboxStatus.FAILED]:
            error = messages.filter(status=OutboxStatus.FAILED).values_list("last_error", flat=True).first()
            ReportDelivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED, tries=tries, last_error=error or ""
            )
            settled["undeliverable"] += 1
        elif counts[OutboxStatus.PENDING] == 0:
            sent_at = messages.aggregate(last=Max("sent_at"))["last"]
            ReportDelivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.SENT, tries=tries, sent_at=sent_at, last_error=""
            )
            settled["delivered"] += 1
        else:
            error = messages.exclude(last_error="").values_list("last_error", flat=True).first()
            ReportDelivery.objects.filter(pk=delivery.pk).update(tries=tries, last_error=error or "")
    return settled
