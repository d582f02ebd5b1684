"""The hand-checked March 2026 log on the reference contract, shared by the report tests."""

from pathlib import Path

HERE = Path(__file__).parent
CONTRACT_PATH = HERE.parent.parent / "contracts" / "examples" / "globex-ito.yaml"
EVENTS_PATH = HERE / "reports" / "march-2026.jsonl"
