"""The reference contract, and variants of it with the optional clock features switched on."""

import io
from pathlib import Path

from ruamel.yaml import YAML

from servicepact.sla.contract import Contract, load_contract, load_contract_file

REFERENCE_PATH = Path(__file__).resolve().parents[2].parent / "contracts" / "examples" / "globex-ito.yaml"


def reference_contract() -> Contract:
    return load_contract_file(REFERENCE_PATH)


def variant_contract(*, olas: dict | None = None, update: dict | None = None, **clock_changes: dict) -> Contract:
    """The reference contract with keys of its clocks changed (``resolution={"on_priority_change": "split"}``),
    an ``olas`` section, or an ``update`` clock."""
    yaml = YAML(typ="safe")
    document = yaml.load(REFERENCE_PATH.read_text(encoding="utf-8"))
    for clock, changes in clock_changes.items():
        document["clocks"][clock].update(changes)
    if update is not None:
        document["clocks"]["update"] = update
    if olas is not None:
        document["olas"] = olas
    text = io.StringIO()
    YAML().dump(document, text)
    return load_contract(text.getvalue(), "variant.yaml")
