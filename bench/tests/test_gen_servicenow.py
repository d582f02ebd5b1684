"""The synthetic ServiceNow export of the import benchmark reads cleanly with the shipped mapping."""

import sys
from pathlib import Path

from servicepact.imports.actions import check_import, import_history
from servicepact.imports.tests.conftest import (  # noqa: F401
    history_contract,
    importer,
    servicenow_mapping,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import gen_servicenow  # noqa: E402  (a script of bench/, not a package)

INCIDENTS = 300


def test_the_synthetic_export_imports_without_a_problem(tmp_path, history_contract, importer, servicenow_mapping):
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        rows = gen_servicenow.write(INCIDENTS, stream, seed=5)
    report = check_import(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert report.ok, report.as_json()
    assert (report.rows, report.tickets, report.new, report.closed) == (rows, INCIDENTS, INCIDENTS, INCIDENTS)
    assert 5 < rows / INCIDENTS < 6.2
    run = import_history(actor=importer, contract=history_contract, path=path, mapping=servicenow_mapping)
    assert (run.imported, run.events) == (INCIDENTS, report.events)


def test_the_same_seed_gives_the_same_file(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        with path.open("w", newline="", encoding="utf-8") as stream:
            gen_servicenow.write(50, stream, seed=2)
    assert first.read_bytes() == second.read_bytes()
