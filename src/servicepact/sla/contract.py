"""The contract language: load a contract file into a checked ``Contract``, or report every problem.

    contract = load_contract_file("globex-ito.yaml")

Loading reads the YAML keeping positions (``yamlsource``), checks each value where it stands
(``contract_document``), compares the parts with each other (``contract_checks``), and builds the
``Contract`` the kernel uses (``contract_model``). Problems come back all at once as ``Diagnostic``s,
``FILE:LINE:COL: message``, each naming the field and what was expected. docs/contract-language.md
describes the language.
"""

import hashlib
import os
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from servicepact.sla.contract_checks import Finding, check_contract
from servicepact.sla.contract_document import ContractDoc, contract_json_schema
from servicepact.sla.contract_dst import Boundary, dst_warnings
from servicepact.sla.contract_errors import ContractError, Diagnostic, did_you_mean
from servicepact.sla.contract_model import (
    CalendarDef,
    ClockDef,
    Contract,
    CreditRule,
    CreditsDef,
    MeasureDef,
    OlaDef,
    ServiceDef,
    Target,
    WarningDef,
    build_contract,
)
from servicepact.sla.contract_values import Comparison, parse_weekdays, parse_window, shown
from servicepact.sla.measure_names import CONTRACT_MEASURES, KNOWN_MEASURES
from servicepact.sla.yamlsource import Path, Position, YamlDocument, YamlSyntaxError, load_yaml

__all__ = [
    "KNOWN_MEASURES",
    "MAX_CONTRACT_BYTES",
    "CalendarDef",
    "ClockDef",
    "Comparison",
    "Contract",
    "ContractError",
    "CreditRule",
    "CreditsDef",
    "Diagnostic",
    "MeasureDef",
    "OlaDef",
    "ServiceDef",
    "Target",
    "WarningDef",
    "contract_schema",
    "load_contract",
    "load_contract_file",
]


# A contract is a few kilobytes; a file far larger is a mistake or an attack, refused before it is read.
MAX_CONTRACT_BYTES = 256 * 1024


def load_contract(source: bytes | str, filename: str = "<contract>") -> Contract:
    """Load a contract from its text; raises ContractError listing every error (and any warnings)."""
    raw = source.encode("utf-8") if isinstance(source, str) else source
    if len(raw) > MAX_CONTRACT_BYTES:
        message = f"the file has {len(raw)} bytes; a contract may have at most {MAX_CONTRACT_BYTES}"
        raise ContractError([Diagnostic(filename, 1, 1, message)])
    try:
        text = raw.decode("utf-8-sig")  # editors on Windows may start the file with a BOM
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - raw.rfind(b"\n", 0, error.start)
        raise ContractError([Diagnostic(filename, line, col, "the file is not UTF-8 text")]) from None
    try:
        document = load_yaml(text)
    except YamlSyntaxError as error:
        where = error.problem.position
        raise ContractError([Diagnostic(filename, where.line, where.col, error.problem.message)]) from None

    found = Diagnostics(filename, document)
    for problem in document.problems:
        found.add_at(problem.position, problem.message)
    if not isinstance(document.data, dict):
        expected = f"; expected keys {', '.join(ContractDoc.model_fields)}"
        found.add_at(document.position(()), f"a contract is a mapping of keys, not {shown(document.data)}{expected}")
        raise ContractError(found.sorted())

    contract_doc = None
    try:
        contract_doc = ContractDoc.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            found.add_validation_error(detail)
    for finding in check_contract(document.data, CONTRACT_MEASURES):
        position = document.key_position(finding.path) if finding.at_key else document.position(finding.path)
        found.add_at(position, f"{dotted(finding.path)}: {finding.message}")
    if found.errors or contract_doc is None:
        raise ContractError(found.sorted())

    for warning in [*_boundary_warnings(document.data, contract_doc), *_dates_out_of_force(contract_doc)]:
        found.add_at(document.position(warning.path), f"{dotted(warning.path)}: {warning.message}", "warning")
    return build_contract(contract_doc, hashlib.sha256(raw).hexdigest(), found.sorted())


def load_contract_file(path: str | os.PathLike) -> Contract:
    with open(path, "rb") as file:
        return load_contract(file.read(MAX_CONTRACT_BYTES + 1), os.fspath(path))


def contract_schema() -> dict[str, Any]:
    """JSON Schema of the contract language."""
    return contract_json_schema(CONTRACT_MEASURES)


def dotted(path: Path) -> str:
    """("measures", 1, "target") -> "measures[1].target"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class Diagnostics:
    """The problems of one file, placed at the position of what they are about."""

    def __init__(self, filename: str, document: YamlDocument) -> None:
        self.filename = filename
        self.document = document
        self.items: list[Diagnostic] = []

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def add_at(self, position: Position, message: str, severity: str = "error") -> None:
        diagnostic = Diagnostic(self.filename, position.line, position.col, message, severity)
        if diagnostic not in self.items:
            self.items.append(diagnostic)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.line, d.col))

    def add_validation_error(self, detail: dict[str, Any]) -> None:
        loc = detail["loc"]
        path = _data_path(loc, self.document.data)
        kind = detail["type"]
        if kind == "missing":
            position = self.document.key_position(path)
            message = f"missing required key '{loc[-1]}'"
        elif kind == "extra_forbidden":
            position = self.document.key_position(path)
            allowed = _allowed_keys(loc[:-1])
            path = path[:-1]
            message = f"unknown key '{loc[-1]}'{did_you_mean(loc[-1], allowed)}; allowed keys: {', '.join(allowed)}"
        else:
            position = self.document.key_position(path) if loc[-1:] == ("[key]",) else self.document.position(path)
            message = _value_message(detail)
        self.add_at(position, f"{dotted(path)}: {message}" if path else message)


def _value_message(detail: dict[str, Any]) -> str:
    kind, value, context = detail["type"], detail.get("input"), detail.get("ctx") or {}
    expected = {
        "string_type": "text",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "bool_type": "true or false",
        "dict_type": "a mapping (key: value)",
        "model_type": "a mapping (key: value)",
        "model_attributes_type": "a mapping (key: value)",
        "list_type": "a list",
    }.get(kind)
    if expected:
        return f"expected {expected}, got {shown(value)}"
    if kind == "literal_error":
        return f"{shown(value)} is not allowed; expected {context.get('expected')}"
    if kind == "greater_than_equal":
        return f"{shown(value)} is too small; expected at least {context.get('ge')}"
    if kind == "too_short":
        return "must not be empty"
    return str(detail["msg"])


def _data_path(loc: tuple, data: Any) -> Path:
    """The parts of a validation error's location that exist in the document (others name union branches)."""
    path: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            continue
        path.append(part)
    return tuple(path)


def _strip(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [member for member in get_args(annotation) if member is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _allowed_keys(loc: tuple) -> list[str]:
    """The keys the language allows in the mapping at ``loc``."""
    annotation: Any = ContractDoc
    for part in loc:
        annotation = _strip(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {field.alias or name: field for name, field in annotation.model_fields.items()}
            if part not in fields:
                return []
            annotation = fields[part].annotation
        elif get_origin(annotation) in (dict, list):
            annotation = get_args(annotation)[-1]
        else:
            return []
    model = _strip(annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [field.alias or name for name, field in model.model_fields.items()]
    return []


def _boundary_warnings(data: dict, doc: ContractDoc) -> Iterator[Finding]:
    for name, calendar in doc.calendars.items():
        if calendar.always_open:
            continue
        boundaries = []
        for key, windows in data["calendars"][name]["hours"].items():
            days = parse_weekdays(key)
            for index, written in enumerate(windows):
                for seconds in parse_window(written):
                    boundaries.append(Boundary(days, seconds, ("calendars", name, "hours", key, index)))
        yield from dst_warnings(calendar.timezone, boundaries, doc.effective.from_, doc.effective.to)


def _dates_out_of_force(doc: ContractDoc) -> Iterator[Finding]:
    """closed/open dates that can never apply: the contract is not in force on them."""
    first, last = doc.effective.from_, doc.effective.to
    for name, calendar in doc.calendars.items():
        for key, dates in (("closed", calendar.closed), ("open", calendar.open)):
            for index, day in enumerate(dates):
                if day < first or (last is not None and day > last):
                    period = f"{first} to {last}" if last else f"from {first}"
                    yield Finding(
                        ("calendars", name, key, index),
                        f"{day} lies outside the contract's effective period ({period})",
                    )
