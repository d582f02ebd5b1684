"""The contract's change management section: approval rules per risk and freeze periods."""

import datetime
from pathlib import Path

import pytest

from servicepact.sla.contract import load_contract
from servicepact.sla.contract_errors import ContractError

EXAMPLE = (Path(__file__).parents[2] / "contracts" / "examples" / "globex-ito.yaml").read_text()
CHANGES = """
changes:
  advisory_board: globex-cab
  implementers: operations
  approval: {low: any, high: all}
  freezes:
    - {from: 2026-12-20, to: 2027-01-03, reason: Year-end close}
    - {from: 2026-06-01, to: 2026-06-02, services: [sap-erp]}
"""


def test_the_section_is_optional_and_defaults_to_any_of_the_board():
    contract = load_contract(EXAMPLE)
    assert contract.changes.advisory_board is None
    assert contract.changes.rule_for("high") == "any"
    assert contract.changes.freezes == []


def test_rules_and_freezes_load():
    changes = load_contract(EXAMPLE + CHANGES).changes
    assert changes.advisory_board == "globex-cab"
    assert changes.implementers == "operations"
    assert changes.rule_for("high") == "all"
    assert changes.rule_for("medium") == "any"
    year_end, quarter = changes.freezes
    assert year_end.covers(datetime.date(2027, 1, 3), {"hr-portal"})
    assert not year_end.covers(datetime.date(2027, 1, 4), {"hr-portal"})
    assert quarter.covers(datetime.date(2026, 6, 1), {"sap-erp", "sso"})
    assert not quarter.covers(datetime.date(2026, 6, 1), {"sso"})


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("changes: {approval: {low: some}}", "changes.approval.low"),
        ("changes: {approval: {severe: all}}", "changes.approval"),
        ("changes: {freezes: [{from: 2026-12-20, to: 2026-12-01}]}", "'to' (2026-12-01) is before 'from'"),
        ("changes: {freezes: [{from: 2026-12-20, to: 2026-12-21, services: [sap]}]}", 'did you mean "sap-erp"'),
        ("changes: {board: x}", "changes"),
    ],
)
def test_mistakes_are_named(section, message):
    with pytest.raises(ContractError) as raised:
        load_contract(EXAMPLE + section + "\n")
    assert message in str(raised.value)
