"""An invoice as a PDF (WeasyPrint, as the reports) and as a workbook whose text never becomes a formula
(the reports' ``keep_text_as_text``)."""

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML

from servicepact.billing.models import Invoice
from servicepact.slm.exports.cells import keep_text_as_text

HEADER = Font(bold=True)
MONEY_FORMAT = "#,##0.00"


def invoice_pdf(invoice: Invoice, entries, *, language: str = "en") -> bytes:
    html = render_to_string(
        "billing/pdf/invoice.html",
        {
            "invoice": invoice,
            "body": invoice.body,
            "contract": invoice.contract,
            "customer": invoice.contract.customer,
            "provider": invoice.contract.provider,
            "entries": entries,
            "printed_at": timezone.now(),
            "language": language,
        },
    )
    return HTML(string=html).write_pdf()


def invoice_workbook(invoice: Invoice, entries) -> bytes:
    body = invoice.body
    book = Workbook()
    sheet = book.active
    sheet.title = "Invoice"
    for row in (
        ["Contract", invoice.contract.slug, "Version", body["version"]],
        ["Month", body["month"], "Currency", body["currency"]],
        ["Report SHA-256", body["credits_from"]["report_sha256"]],
        ["Events SHA-256", (body["credits_from"]["digest"] or {}).get("events_sha256", "")],
        [],
        ["Line", "Role", "Hours", "Rate", "Billable", "Amount"],
    ):
        sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER
    for line in body["lines"]:
        if line["kind"] == "hours":
            values = ["hours", line["role"], Decimal(line["hours"]), Decimal(line["rate"]), line["billable"]]
        else:
            values = [line["kind"], "", None, None, None]
        sheet.append([*values, Decimal(line["amount"])])
    sheet.append(["total", "", Decimal(body["hours"]), None, None, Decimal(body["total"])])
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER
    for row in sheet.iter_rows(min_row=7):
        for cell in (row[2], row[3], row[5]):
            cell.number_format = MONEY_FORMAT
    hours = book.create_sheet("Hours")
    hours.append(["Person", "Role", "Date", "Hours", "Reference", "Note"])
    for cell in hours[1]:
        cell.font = HEADER
    for entry in entries:
        hours.append([entry.person.email, entry.role, entry.day, entry.hours, entry.reference, entry.note])
    for sheet_, widths in ((sheet, (16, 22, 10, 10, 9, 16)), (hours, (32, 16, 12, 8, 24, 40))):
        for index, width in enumerate(widths):
            sheet_.column_dimensions[chr(ord("A") + index)].width = width
    output = io.BytesIO()
    keep_text_as_text(book).save(output)
    return output.getvalue()
