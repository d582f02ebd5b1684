"""Hours, their weekly approval and the month's invoice: actions, pages, API and exports."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from servicepact.billing.actions import approve_week, issue_invoice, log_time
from servicepact.billing.models import Invoice, TimeEntry, WeekApproval
from servicepact.billing.tests.conftest import billed_version
from servicepact.changes.actions import raise_change
from servicepact.cmdb.actions import keep_business_services
from servicepact.evidence import guard
from servicepact.problems.actions import raise_problem
from servicepact.refusals import ActionRefused
from servicepact.sla.invoice import sha256

pytestmark = pytest.mark.django_db


def test_the_invoice_bills_approved_hours_and_deducts_the_reports_credits(world, scene) -> None:
    invoice = issue_invoice(actor=world.people["analyst"], contract=world.contract, month="2026-03")
    report = json.loads(scene.report.body)
    credits = report["credits"]["amount"]
    assert Decimal(credits) > 0
    body = invoice.body
    assert body["lines"] == [
        {
            "kind": "hours",
            "role": "consultant",
            "hours": "2.25",
            "rate": "120.00",
            "billable": True,
            "amount": "270.00",
        },
        {"kind": "hours", "role": "engineer", "hours": "7.50", "rate": "85.50", "billable": True, "amount": "641.25"},
        {"kind": "hours", "role": "trainee", "hours": "4.00", "rate": "40.00", "billable": False, "amount": "0.00"},
        {"kind": "fee", "amount": "120000.00"},
        {"kind": "credits", "amount": f"-{credits}"},
    ]
    assert invoice.total == Decimal("120911.25") - Decimal(credits)
    assert body["credits_from"]["report_sha256"] == sha256(scene.report.body.encode())
    assert body["credits_from"]["digest"] == report["digest"]
    assert invoice.contract_version == scene.version and invoice.report == scene.report
    with pytest.raises(ActionRefused, match="is issued already"):
        issue_invoice(actor=world.people["administrator"], contract=world.contract, month="2026-03")


def test_only_the_providers_issuers_issue_and_a_month_needs_its_report(world, scene) -> None:
    for person in ("customer-manager", "resolver", "requester", "other-manager"):
        with pytest.raises(PermissionDenied):
            issue_invoice(actor=world.people[person], contract=world.contract, month="2026-03")
    with pytest.raises(ActionRefused, match="no stored monthly report of 2026-04"):
        issue_invoice(actor=world.people["analyst"], contract=world.contract, month="2026-04")
    assert not Invoice.objects.exists()


def test_logging_time_is_checked_field_by_field(world) -> None:
    resolver, contract = world.people["resolver"], world.contract
    with pytest.raises(ActionRefused, match="No signed version with a billing section"):
        log_time(
            actor=resolver, contract=contract, day=date(2026, 2, 2), hours=Decimal(1), role="engineer", activity="x"
        )
    billed_version(world)
    with pytest.raises(ActionRefused, match="Role boss has no rate in version 2; roles: consultant, engineer, trainee"):
        log_time(actor=resolver, contract=contract, day=date(2026, 3, 2), hours=Decimal(1), role="boss", activity="x")
    with pytest.raises(ActionRefused, match="Name the ticket or the activity"):
        log_time(actor=resolver, contract=contract, day=date(2026, 3, 2), hours=Decimal(1), role="engineer")
    log_time(actor=resolver, contract=contract, day=date(2026, 3, 2), hours=Decimal(20), role="engineer", activity="x")
    with pytest.raises(ActionRefused, match=r"logged 20(\.00)? hours on 2026-03-02 already; a day has 24"):
        log_time(
            actor=resolver, contract=contract, day=date(2026, 3, 2), hours=Decimal(5), role="engineer", activity="x"
        )
    for person in ("customer-manager", "requester", "vendor-engineer", "analyst"):
        with pytest.raises(PermissionDenied):
            log_time(
                actor=world.people[person],
                contract=contract,
                day=date(2026, 3, 2),
                hours=Decimal(1),
                role="engineer",
                activity="x",
            )
    assert TimeEntry.objects.count() == 1


def test_an_approved_week_is_final(world, scene) -> None:
    with pytest.raises(ActionRefused, match="Week 2026-W10 is approved already"):
        log_time(
            actor=world.people["resolver"],
            contract=world.contract,
            day=date(2026, 3, 5),
            hours=Decimal(1),
            role="engineer",
            activity="x",
        )
    with pytest.raises(ActionRefused, match="is approved already"):
        approve_week(
            actor=world.people["customer-manager"],
            contract=world.contract,
            person=world.people["resolver"],
            week="2026-W10",
        )
    with pytest.raises(PermissionDenied):
        approve_week(
            actor=world.people["administrator"],
            contract=world.contract,
            person=world.people["resolver"],
            week="2026-W11",
        )
    with pytest.raises(ActionRefused, match="logged no hours in 2026-W12"):
        approve_week(
            actor=world.people["customer-manager"],
            contract=world.contract,
            person=world.people["resolver"],
            week="2026-W12",
        )


def test_who_sees_time_entries(world, scene) -> None:
    assert TimeEntry.objects.visible_to(world.people["resolver"]).count() == 4
    assert TimeEntry.objects.visible_to(world.people["customer-manager"]).count() == 4
    assert TimeEntry.objects.visible_to(world.people["agent"]).count() == 4  # reads the contract's reports
    for person in ("requester", "other-manager", "vendor-engineer", "no-role"):
        assert not TimeEntry.objects.visible_to(world.people[person]).exists()


def test_the_pages_log_approve_and_issue(world, scene, client) -> None:
    client.force_login(world.people["resolver"])
    url = reverse("billing:time")
    response = client.post(
        f"{url}?week=2026-W12",
        {
            "contract": "globex-ito",
            "day": "2026-03-16",
            "hours": "3",
            "role": "engineer",
            "ticket": scene.ticket.number,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?week=2026-W12")
    page = client.get(response["Location"])
    assert scene.ticket.number in page.content.decode() and page.context["total"] == Decimal(3)
    bad = client.post(
        url, {"contract": "globex-ito", "day": "2026-03-16", "hours": "30", "role": "engineer", "activity": "x"}
    )
    assert bad.status_code == 422 and bad.context["form"].errors["hours"]
    bad = client.post(
        url, {"contract": "globex-ito", "day": "2026-03-16", "hours": "1", "role": "engineer", "ticket": "NOPE"}
    )
    assert bad.context["form"].errors["ticket"] == ["No such ticket, problem or change."]

    client.force_login(world.people["customer-manager"])
    approvals = reverse("billing:approvals", args=["globex-ito"])
    response = client.post(approvals, {"person": world.people["resolver"].pk, "week": "2026-W11"})
    assert response.status_code == 302
    assert "8.00 h approved by" in client.get(approvals).content.decode()

    client.force_login(world.people["analyst"])
    invoices = reverse("billing:invoices", args=["globex-ito"])
    assert client.post(invoices, {"month": "2026-3"}).status_code == 422
    response = client.post(invoices, {"month": "2026-03"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    invoice = Invoice.objects.get()
    assert invoice.body["lines"][1]["hours"] == "15.50"  # week 11's 8 hours now approved
    assert invoice.body["total"] in page.content.decode()

    pdf = client.get(reverse("billing:invoice_pdf", args=["globex-ito", "2026-03"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("billing:invoice_xlsx", args=["globex-ito", "2026-03"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    lines = [row for row in book["Invoice"].iter_rows(values_only=True)]
    assert lines[-1][0] == "total" and Decimal(str(lines[-1][5])) == invoice.total
    assert [row[4] for row in book["Hours"].iter_rows(min_row=2, values_only=True)][:2] == [
        scene.ticket.number,
        "SAP upgrade workshop",
    ]


def test_workbook_text_never_becomes_a_formula(world, scene, client) -> None:
    log_time(
        actor=world.people["resolver"],
        contract=world.contract,
        day=date(2026, 3, 16),
        hours=Decimal(1),
        role="engineer",
        activity='=HYPERLINK("http://x")',
    )
    approve_week(
        actor=world.people["customer-manager"],
        contract=world.contract,
        person=world.people["resolver"],
        week="2026-W12",
    )
    issue_invoice(actor=world.people["analyst"], contract=world.contract, month="2026-03")
    client.force_login(world.people["customer-manager"])
    xlsx = client.get(reverse("billing:invoice_xlsx", args=["globex-ito", "2026-03"]))
    cell = next(
        c
        for row in load_workbook(io.BytesIO(xlsx.content))["Hours"].iter_rows()
        for c in row
        if str(c.value).startswith("=HYPER")
    )
    assert cell.data_type == "s" and cell.quotePrefix


def test_other_tenants_and_requesters_find_no_invoice(world, scene, client) -> None:
    issue_invoice(actor=world.people["analyst"], contract=world.contract, month="2026-03")
    for person in ("requester", "other-manager", "vendor-engineer"):
        client.force_login(world.people[person])
        assert client.get(reverse("billing:invoice", args=["globex-ito", "2026-03"])).status_code == 404
        assert client.get(reverse("billing:invoice_pdf", args=["globex-ito", "2026-03"])).status_code == 404
        assert client.get("/api/contracts/globex-ito/invoices/2026-03").status_code == 404


def test_the_api_logs_approves_and_issues(world, scene, client) -> None:
    client.force_login(world.people["resolver"])
    response = client.post(
        "/api/contracts/globex-ito/time-entries",
        {"day": "2026-03-17", "hours": "2.5", "role": "consultant", "activity": "Review"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["week"] == "2026-W12" and response.json()["reference"] == "Review"
    bad = client.post(
        "/api/contracts/globex-ito/time-entries",
        {"day": "2026-03-17", "hours": "1", "role": "boss", "activity": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "Role boss has no rate" in bad.content.decode()
    client.force_login(world.people["customer-manager"])
    response = client.post(
        "/api/contracts/globex-ito/time-weeks",
        {"person": world.people["resolver"].email, "week": "2026-W12"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["hours"] == "2.50"
    client.force_login(world.people["administrator"])
    response = client.post("/api/contracts/globex-ito/invoices", {"month": "2026-03"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert client.get("/api/contracts/globex-ito/invoices").json()[0]["month"] == "2026-03"
    got = client.get("/api/contracts/globex-ito/invoices/2026-03").json()
    assert got["body"]["credits_from"]["report_sha256"] == sha256(scene.report.body.encode())
    assert len(client.get("/api/time-entries", {"week": "2026-W12"}).json()) == 1


def test_the_invoice_page_speaks_the_persons_language(world, scene, client) -> None:
    issue_invoice(actor=world.people["analyst"], contract=world.contract, month="2026-03")
    manager = world.people["customer-manager"]
    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    client.force_login(manager)
    html = client.get(reverse("billing:invoice", args=["globex-ito", "2026-03"])).content.decode()
    assert "2026-03 的发票" in html and "当月服务抵扣" in html and "固定月费" in html
    response = client.post(
        reverse("billing:approvals", args=["globex-ito"]), {"person": world.people["resolver"].pk, "week": "2026-W10"}
    )
    assert (
        "13.75 小时，由 Customer Manager 审批"
        in client.get(reverse("billing:approvals", args=["globex-ito"])).content.decode()
    )
    assert "周已审批" in response.content.decode()
    assert response.status_code == 409


def test_hours_on_problems_and_changes_and_deleting_ones_own(world, scene, client) -> None:
    problem = raise_problem(
        actor=world.people["team-lead"], contract=world.contract, title="Posting locks", incidents=[scene.ticket]
    )
    start = timezone.now() + timedelta(days=3)
    change = raise_change(
        world.contract,
        actor=world.people["team-lead"],
        kind="normal",
        title="Raise the posting lock timeout",
        items=keep_business_services(world.contract)[:1],
        planned_start=start,
        planned_end=start + timedelta(hours=2),
    )
    client.force_login(world.people["resolver"])
    url = reverse("billing:time")
    for number in (problem.number, change.number.lower()):
        data = {"contract": "globex-ito", "day": "2026-03-17", "hours": "1", "role": "engineer", "ticket": number}
        assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "ticket": "PRB999999"}).context["form"].errors["ticket"] == [
        "No such ticket, problem or change."
    ]
    entries = TimeEntry.objects.filter(week="2026-W12").order_by("pk")
    assert [entry.reference for entry in entries] == [problem.number, change.number]
    page = client.get(f"{url}?week=2026-W12").content.decode()
    assert problem.get_absolute_url() in page and change.get_absolute_url() in page

    response = client.post(reverse("billing:time_delete", args=[entries[0].pk]))
    assert response.status_code == 302 and response["Location"].endswith("?week=2026-W12")
    assert not TimeEntry.objects.filter(pk=entries[0].pk).exists()
    approved = TimeEntry.objects.get(week="2026-W10", role="engineer")
    client.post(reverse("billing:time_delete", args=[approved.pk]))
    assert TimeEntry.objects.filter(pk=approved.pk).exists()  # its week is approved: final
    client.force_login(world.people["team-lead"])  # sees the entry (reads the reports) but did not log it
    assert client.post(reverse("billing:time_delete", args=[entries[1].pk])).status_code == 403
    assert client.delete(f"/api/time-entries/{entries[1].pk}").status_code == 403
    client.force_login(world.people["resolver"])
    assert client.delete(f"/api/time-entries/{entries[1].pk}").status_code == 204
    assert client.delete(f"/api/time-entries/{approved.pk}").status_code == 409


def test_approved_hours_approvals_and_invoices_never_change(world, scene) -> None:
    invoice = issue_invoice(actor=world.people["analyst"], contract=world.contract, month="2026-03")
    approved = TimeEntry.objects.get(week="2026-W10", role="engineer")
    assert approved.approved_at is not None
    open_entry = TimeEntry.objects.get(week="2026-W11")
    assert open_entry.approved_at is None
    approved.hours = Decimal(1)
    with pytest.raises(ValidationError, match="Approved hours are final"):
        approved.save()
    with pytest.raises(ValidationError, match="An issued invoice is final"):
        invoice.delete()
    with pytest.raises(TypeError, match="written once"):
        TimeEntry.objects.filter(week="2026-W10").update(hours=1)
    with pytest.raises(TypeError, match="written once"):
        WeekApproval.objects.all().delete()
    # The database refuses too, whatever path a change takes.
    with pytest.raises(DatabaseError, match="written once"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE billing_invoice SET total = 0")
    with pytest.raises(DatabaseError, match="written once"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_timeentry WHERE approved_at IS NOT NULL")
    with connection.cursor() as cursor:  # an entry of a week not approved yet may still be put right
        cursor.execute("UPDATE billing_timeentry SET note = 'typo' WHERE id = %s", [open_entry.pk])
    assert guard.problems() == []
