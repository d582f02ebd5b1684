"""The canonical scores and their digest: exact decimals, sorted ids, and a file ``--scores`` reads back."""

import hashlib
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

from servicepact.sla.commands.report import load_scores
from servicepact.sla.scores import canonical_scores, scores_digest
from servicepact.sla.tests.march_log import CONTRACT_PATH

SCORES = {"INC0002": Fraction(9, 2), "INC0001": Fraction(4), "INC0010": Fraction(7, 20), "工单-1": Fraction(5)}


def test_the_canonical_form_is_sorted_compact_and_exact():
    assert canonical_scores(SCORES) == '{"INC0001":4,"INC0002":4.5,"INC0010":0.35,"工单-1":5}\n'.encode()
    assert scores_digest(SCORES) == hashlib.sha256(canonical_scores(SCORES)).hexdigest()
    assert canonical_scores({}) == b"{}\n"


def test_the_canonical_form_reads_back_as_the_same_scores(tmp_path: Path):
    path = tmp_path / "scores.json"
    path.write_bytes(canonical_scores(SCORES))
    assert load_scores(str(path)) == SCORES
    assert json.loads(path.read_text()) == {"INC0001": 4, "INC0002": 4.5, "INC0010": 0.35, "工单-1": 5}


def test_a_report_with_scores_names_their_digest(tmp_path: Path):
    contract = CONTRACT_PATH
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"ticket":"INC0001","at":"2026-03-02T09:00:00+01:00","type":"created","service":"sap-erp",'
        '"priority":"P3","team":"app-cn"}\n'
        '{"ticket":"INC0001","at":"2026-03-02T10:00:00+01:00","type":"status","status":"resolved"}\n'
    )
    scores = tmp_path / "scores.json"
    scores.write_bytes(canonical_scores({"INC0001": Fraction(4)}))
    command = [sys.executable, "-m", "servicepact", "report", "--contract", str(contract), "--events", str(events)]
    command += ["--period", "2026-03", "--scores", str(scores), "--extra", "satisfaction_score"]
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    assert report["digest"]["scores_sha256"] == scores_digest({"INC0001": Fraction(4)})
    (measure,) = [m for m in report["extra_measures"] if m["measure"] == "satisfaction_score"]
    assert measure["value"] == 4
