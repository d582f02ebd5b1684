"""The demo's hours and invoices: a month and a bit of working days leave logged hours, the finished weeks
approved by Globex's manager and the invoice of the month whose report is stored, net of its credits.
(The demo command runs the same ``bill_history`` after its history; test_demo_command runs the command.)"""

import json
from datetime import UTC, datetime
from decimal import Decimal

from servicepact.billing.models import Invoice, TimeEntry, WeekApproval
from servicepact.demo.billing import bill_history
from servicepact.demo.scenario import load_scenario
from servicepact.sla.invoice import sha256
from servicepact.slm.reporting.generation import ReportRequest, generate_report


def test_hours_weeks_and_the_months_invoice(db):
    scenario = load_scenario(signed_at=datetime(2025, 12, 18, tzinfo=UTC))
    generate_report(ReportRequest(scenario.contract, "monthly", "2026-01"))
    result = bill_history(scenario, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 4, tzinfo=UTC), seed=7)
    entries = TimeEntry.objects.all()
    assert result.entries == entries.count() > 50
    assert set(entries.values_list("role", flat=True)) == {"engineer", "consultant", "service-desk"}
    # Weeks 1 to 5 are over by 4 February; week 6 (2-8 February) is not, so it waits for approval.
    assert result.weeks == WeekApproval.objects.count()
    assert set(WeekApproval.objects.values_list("week", flat=True)) == {f"2026-W0{n}" for n in range(1, 6)}
    assert result.invoices == 1
    invoice = Invoice.objects.get()
    body = invoice.body
    credits = json.loads(invoice.report.body)["credits"]["amount"]
    assert body["month"] == "2026-01" and Decimal(body["credits"]) == -Decimal(credits)
    assert body["credits_from"]["report_sha256"] == sha256(invoice.report.body.encode())
    assert invoice.total == sum(Decimal(line["amount"]) for line in body["lines"])
    desk = next(line for line in body["lines"] if line.get("role") == "service-desk")
    assert desk["billable"] is False and desk["amount"] == "0.00"
    january = entries.filter(day__month=1)
    assert Decimal(body["hours"]) == sum(entry.hours for entry in january)
