"""The contract's billing section and ``servicepact invoice``: lines per role, the fee, credits and the cap."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from servicepact.sla.commands.invoice import main
from servicepact.sla.commands.report import main as report_main
from servicepact.sla.contract import ContractError, contract_schema, load_contract, load_contract_file
from servicepact.sla.contract_diff import diff_contracts
from servicepact.sla.invoice import InvoiceError, build_invoice, credits_of, parse_timesheet, sha256

CONTRACT = Path(__file__).parent / "contracts" / "globex-billing.yaml"
MARCH_LOG = Path(__file__).parent / "cases" / "globex-march.jsonl"
TIMESHEET = (
    "person,role,date,hours,reference\n"
    "li.wei@northwind.example,engineer,2026-03-02,7.5,GLX-1\n"
    "anna@northwind.example,consultant,2026-03-03,2.25,activity\n"
    "li.wei@northwind.example,engineer,2026-03-03,0.01,GLX-2\n"
    "bob@northwind.example,trainee,2026-03-03,4,GLX-2\n"
)


def report_with(credits: dict | None) -> dict:
    digest = {"algorithm": "sha256", "contract_sha256": "a" * 64, "events_sha256": "b" * 64}
    return {"contract": "globex-ito", "version": 1, "period": "2026-03", "credits": credits, "digest": digest}


CAPPED = {
    "currency": "EUR",
    "monthly_fee": "120000.00",
    "rules": [],
    "applied": [],
    "total_before_cap_percent": 17,
    "cap_percent": 15,
    "total_percent": 15,
    "amount": "18000.00",
}


def invoice_of(report: dict, timesheet: str = TIMESHEET) -> dict:
    contract = load_contract_file(CONTRACT)
    rows = parse_timesheet(timesheet, "t.csv", contract.billing, "2026-03")
    credits = credits_of(report, contract, contract.billing, "r.json")
    return build_invoice(contract, rows, report, report_sha256="c" * 64, credits=credits)


def test_the_billing_section_loads_with_the_credits_fee_as_the_fixed_fee() -> None:
    billing = load_contract_file(CONTRACT).billing
    assert billing.currency == "EUR" and billing.monthly_fee == Decimal("120000")
    assert billing.rates == {"consultant": Decimal(120), "engineer": Decimal("85.50"), "trainee": Decimal(40)}
    assert billing.billable == {"consultant", "engineer"}


@pytest.mark.parametrize(
    ("billing", "message"),
    [
        (
            "  currency: USD\n  rates: {engineer: 80}\n",
            "billing.currency: USD differs from credits.monthly_fee.currency EUR",
        ),
        (
            "  currency: EUR\n  rates: {engineer: 80}\n  billable: [enginer]\n",
            'billing.billable[0]: role "enginer" has no rate (did you mean "engineer"?)',
        ),
        ("  currency: EUR\n  rates: {engineer: -5}\n", "billing.rates.engineer"),
        ("  currency: EUR\n  rates: {}\n", "billing.rates: must not be empty"),
        ("  currency: EUR\n  rate: {engineer: 80}\n", "unknown key 'rate' (did you mean \"rates\"?)"),
    ],
)
def test_a_bad_billing_section_is_refused_at_its_line(billing: str, message: str) -> None:
    text = CONTRACT.read_text().split("\nbilling:\n")[0] + "\nbilling:\n" + billing
    with pytest.raises(ContractError) as raised:
        load_contract(text, "c.yaml")
    assert any(message in str(d) for d in raised.value.diagnostics), raised.value.diagnostics


def test_the_schema_describes_the_billing_section() -> None:
    billing = contract_schema()["$defs"]["BillingDoc"]
    assert set(billing["properties"]) == {"currency", "monthly_fee", "rates", "billable"}
    assert billing["required"] == ["currency", "rates"]


def test_an_invoice_has_a_line_per_role_the_fee_and_the_credits() -> None:
    invoice = invoice_of(report_with(CAPPED))
    assert invoice["lines"] == [
        {
            "kind": "hours",
            "role": "consultant",
            "hours": "2.25",
            "rate": "120.00",
            "billable": True,
            "amount": "270.00",
        },
        # 7.51 h at 85.50 is 642.105, rounded half-up to the cent
        {"kind": "hours", "role": "engineer", "hours": "7.51", "rate": "85.50", "billable": True, "amount": "642.11"},
        {"kind": "hours", "role": "trainee", "hours": "4.00", "rate": "40.00", "billable": False, "amount": "0.00"},
        {"kind": "fee", "amount": "120000.00"},
        {"kind": "credits", "amount": "-18000.00"},
    ]
    assert invoice["subtotal"] == "120912.11" and invoice["credits"] == "-18000.00"
    assert invoice["total"] == "102912.11" and invoice["hours"] == "13.76"
    assert invoice["credits_from"]["report_sha256"] == "c" * 64
    assert invoice["credits_from"]["digest"]["events_sha256"] == "b" * 64


def test_no_credits_in_the_report_deduct_nothing() -> None:
    invoice = invoice_of(report_with(None), "person,role,date,hours,reference\n")
    assert invoice["lines"][-1] == {"kind": "credits", "amount": "0.00"} and invoice["total"] == "120000.00"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"total_percent": 17, "amount": "20400.00"},
            "the credits do not add up: 17% should be the lesser of 17% and the cap 15%",
        ),
        ({"amount": "18000.01"}, "the credits do not add up"),
        ({"currency": "USD"}, "the credits are in 'USD', the invoice in EUR"),
        ({"amount": 18000}, "credits.amount 18000 is not an amount with two decimals"),
    ],
)
def test_credits_that_break_the_cap_or_do_not_add_up_are_refused(change: dict, message: str) -> None:
    credits = {**CAPPED, **change}
    with pytest.raises(InvoiceError, match=message):
        invoice_of(report_with(credits))


def test_a_report_of_another_contract_or_a_week_is_refused() -> None:
    other = report_with(CAPPED) | {"contract": "acme"}
    with pytest.raises(InvoiceError, match="a report of contract 'acme', not 'globex-ito'"):
        invoice_of(other)
    week = report_with(CAPPED) | {"period": "2026-W10"}
    with pytest.raises(InvoiceError, match="the report's period '2026-W10' is not a month"):
        invoice_of(week)


def test_every_bad_timesheet_row_is_named_with_its_line() -> None:
    bad = (
        "person,role,date,hours,reference\n"
        "ann,engineer,2026-03-02,8,GLX-1\n"
        ",boss,2026-04-01,8,x\n"
        "ann,engineer,2026-02-30,1.005,x\n"
        "ann,engineer,2026-03-02,17,x\n"
        "ann,engineer,2026-03-02\n"
    )
    contract = load_contract_file(CONTRACT)
    with pytest.raises(InvoiceError) as raised:
        parse_timesheet(bad, "t.csv", contract.billing, "2026-03")
    assert raised.value.messages == [
        "t.csv:3: person is empty",
        "t.csv:3: role 'boss' has no rate in the contract (roles: consultant, engineer, trainee)",
        "t.csv:3: date 2026-04-01 is outside the invoiced month 2026-03",
        "t.csv:4: date '2026-02-30' does not exist",
        "t.csv:4: hours '1.005' is not a number of hours like 7.5 (at most two decimals)",
        "t.csv:5: ann has 25 hours on 2026-03-02; a day has 24",
        "t.csv:6: expected 5 columns, got 3",
    ]
    with pytest.raises(InvoiceError, match="t.csv:1: expected the columns person,role,date,hours,reference"):
        parse_timesheet("who,what\n", "t.csv", contract.billing, "2026-03")


def test_the_command_invoices_the_month_of_a_real_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report_main(["--contract", str(CONTRACT), "--events", str(MARCH_LOG), "--period", "2026-03"]) == 0
    report_text = capsys.readouterr().out
    (tmp_path / "report.json").write_text(report_text)
    (tmp_path / "t.csv").write_text(TIMESHEET)
    argv = [
        "--contract",
        str(CONTRACT),
        "--timesheet",
        str(tmp_path / "t.csv"),
        "--report",
        str(tmp_path / "report.json"),
    ]
    assert main(argv) == 0
    invoice = json.loads(capsys.readouterr().out)
    report = json.loads(report_text)
    assert invoice["credits"] == "-" + report["credits"]["amount"] == "-2400.00"
    assert invoice["total"] == "118512.11"
    assert invoice["credits_from"] == {
        "period": "2026-03",
        "report_sha256": sha256(report_text.encode()),
        "digest": report["digest"],
    }
    assert invoice["timesheet_sha256"] == sha256(TIMESHEET.encode())
    assert main([*argv, "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "trainee (not billed)" in text and text.splitlines()[-4].endswith("118512.11")


def test_the_command_exits_2_naming_each_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = report_with(CAPPED)
    (tmp_path / "r.json").write_text(json.dumps(report))
    (tmp_path / "t.csv").write_text(
        "person,role,date,hours,reference\nann,boss,2026-03-02,8,x\nann,engineer,2026-03-02,x,y\n"
    )
    argv = ["--contract", str(CONTRACT), "--timesheet", str(tmp_path / "t.csv"), "--report", str(tmp_path / "r.json")]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines() == [
        f"{tmp_path / 't.csv'}:2: role 'boss' has no rate in the contract (roles: consultant, engineer, trainee)",
        f"{tmp_path / 't.csv'}:3: hours 'x' is not a number of hours like 7.5 (at most two decimals)",
    ]
    reference = Path(__file__).resolve().parents[2] / "contracts" / "examples" / "globex-ito.yaml"
    assert main(["--contract", str(reference), *argv[2:]]) == 2
    assert "has no billing section" in capsys.readouterr().err
    broken = copy.deepcopy(report)
    broken["period"] = "2026-W10"
    (tmp_path / "r.json").write_text(json.dumps(broken))
    assert main(argv) == 2
    assert "is not a month" in capsys.readouterr().err


def test_hostile_inputs_exit_2_with_their_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.json").write_text(json.dumps(report_with(CAPPED)))
    (tmp_path / "t.csv").write_bytes(b"person,role,date,hours,reference\nann,engineer,2026-03-02,1,\xff\n")
    argv = ["--contract", str(CONTRACT), "--timesheet", str(tmp_path / "t.csv"), "--report", str(tmp_path / "r.json")]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"{tmp_path / 't.csv'}:2: not UTF-8 text\n"
    (tmp_path / "t.csv").write_text("person,role,date,hours,reference\nann,engineer,2026-03-02,\u0667,x\n")
    assert main(argv) == 2
    assert "hours '\u0667' is not a number of hours" in capsys.readouterr().err
    (tmp_path / "r.json").write_text("[" * 100 + "]" * 100)
    assert main(argv) == 2
    assert "not a report" in capsys.readouterr().err


def test_the_contract_diff_shows_the_billing_clause() -> None:
    reference = Path(__file__).resolve().parents[2] / "contracts" / "examples" / "globex-ito.yaml"
    billed = load_contract_file(CONTRACT)
    added = diff_contracts(load_contract_file(reference), billed)
    assert [str(change) for change in added] == [
        "billing: added (currency EUR, monthly fee 120000 EUR, rate consultant 120 EUR an hour, billed, "
        "rate engineer 85.50 EUR an hour, billed, rate trainee 40 EUR an hour, not billed)"
    ]
    raised = load_contract(CONTRACT.read_text().replace("engineer: 85.50", "engineer: 90"), "v2.yaml")
    assert [str(change) for change in diff_contracts(billed, raised)] == [
        "billing: rate engineer: 85.50 EUR an hour, billed -> 90 EUR an hour, billed"
    ]
