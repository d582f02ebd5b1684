"""The mapping file: how a source tool's export reads as servicepact tickets (docs/imports.md).

A mapping names the source (tool, layout, time zone, columns) and maps the source's values onto the
contract's vocabulary: states to statuses, impact, urgency and priority values, the fields that decide the
service and the category, groups to teams, people to the customer's people or placeholder requesters.
It is YAML, checked like a contract: strict keys, every problem at once as ``FILE:LINE:COL: message``;
``mapping_schema()`` is its JSON Schema (``servicepact import schema``).
"""

import hashlib
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from servicepact.sla.contract_errors import ContractError, Diagnostic, did_you_mean
from servicepact.sla.contract_values import TimeZoneName, shown
from servicepact.sla.events import STATUSES
from servicepact.sla.yamlsource import Path, YamlDocument, YamlSyntaxError, load_yaml

TOOLS = ("servicenow", "jira", "csv")
LAYOUTS = {
    "servicenow": ("incident_audit", "sys_audit", "metric"),
    "jira": ("issues",),
    "csv": ("events", "tickets"),
}
# The fields a source row may carry, as servicepact names them; ``columns`` says where each one stands.
FIELDS = (
    "reference",
    "at",
    "order",
    "opened_at",
    "state",
    "priority",
    "impact",
    "urgency",
    "group",
    "assignee",
    "requester",
    "category",
    "subcategory",
    "service",
    "title",
    "responded_at",
    "resolved_at",
    "closed_at",
    "made_sla",
)
# What a title may name, beside the source's number.
TITLE_FIELDS = ("reference", "category", "subcategory", "service", "group", "priority", "state", "requester", "title")
# Fields whose changes over a ticket's life become events; the others say where and when.
TRACKED = ("state", "priority", "impact", "urgency", "group", "assignee", "category", "subcategory", "service")
# The fields the service and the category may be read from.
CLASSIFYING = ("category", "subcategory", "service", "group")
LEVELS = ("high", "medium", "low")
MAX_MAPPING_BYTES = 512 * 1024

Field_ = Literal[FIELDS]  # type: ignore[valid-type]
Tracked = Literal[TRACKED]  # type: ignore[valid-type]
Classifying = Literal[CLASSIFYING]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Level = Literal[LEVELS]  # type: ignore[valid-type]
Name = Annotated[str, Field(min_length=1)]
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


class SourceDoc(Strict, title="Source"):
    """Which tool wrote the file, in which layout, and how its times and columns read."""

    tool: Literal[TOOLS] = Field(description="servicenow, jira or csv.")  # type: ignore[valid-type]
    layout: Name | None = Field(
        None,
        description="servicenow: incident_audit (default), sys_audit or metric; jira: issues; csv: events "
        "(default: one row per change of a ticket) or tickets (one row per ticket).",
    )
    timezone: TimeZoneName = Field(description="The zone of times written without an offset (an IANA name).")
    time_format: Name | None = Field(
        None, description='strptime format of the times, e.g. "%d/%m/%Y %H:%M"; default ISO 8601.'
    )
    system: Name | None = Field(
        None,
        description="The name under which the source numbers are kept (default the tool); two exports "
        "of one system share it, so a ticket is imported once.",
    )
    kind: Literal["incident", "request"] = Field("incident", description="The kind of the imported tickets.")
    columns: dict[Field_, Name] = Field(  # type: ignore[valid-type]
        {},
        description='Where each field stands: a column name (a repeated header\'s second column is "NAME#2"), '
        "or for jira a dotted path into the issue (fields.customfield_10040.value).",
    )
    fields: dict[Name, Tracked] = Field(  # type: ignore[valid-type]
        {}, description="sys_audit, metric and jira changelog: the source's field names -> servicepact's fields."
    )
    null_values: list[str] | None = Field(
        None, description='Texts that mean "no value" (default: the empty text; "?" and "NULL" for servicenow).'
    )
    delimiter: Annotated[str, Field(min_length=1, max_length=1)] = Field(",", description="The CSV column separator.")

    @model_validator(mode="after")
    def _layout_of_the_tool(self) -> "SourceDoc":
        layouts = LAYOUTS[self.tool]
        if self.layout is not None and self.layout not in layouts:
            raise PydanticCustomError(
                "layout", f"layout {self.layout!r} is not one of {self.tool}'s: {', '.join(layouts)}"
            )
        return self

    @property
    def layout_name(self) -> str:
        return self.layout or LAYOUTS[self.tool][0]

    @property
    def system_name(self) -> str:
        return self.system or self.tool


class ValueMap(Strict, title="Value map"):
    """Source values -> servicepact values. ``default`` takes every value not listed; ``{value}`` in it
    stands for the source value made into a key (lower case, hyphens). Without a default an unlisted value
    is an error the dry run lists."""

    values: dict[str, str | None] = Field({}, description="Source value -> servicepact value (null: none).")
    default: str | None = Field(None, description="For every other value; may hold {value}.")


class StatusMap(ValueMap, title="Status map"):
    values: dict[str, Status | None] = Field(  # type: ignore[valid-type]
        {}, description="Source state -> status; null: not a status (the row's state is ignored)."
    )
    default: Status | None = None  # type: ignore[valid-type]


class LevelMap(ValueMap, title="Impact or urgency map"):
    values: dict[str, Level | None] = {}  # type: ignore[valid-type]
    default: Level | None = None  # type: ignore[valid-type]


class FieldMap(ValueMap, title="Field map"):
    from_: Classifying = Field(alias="from", description="The source field the value is read from.")  # type: ignore[valid-type]


class TeamMap(ValueMap, title="Team map"):
    """Source groups -> team slugs (an empty group: no team's queue)."""

    create: bool = Field(
        False,
        description="Make the teams the map names that do not exist, in the provider's "
        "organization, as placeholders named after the source group.",
    )


class PeopleMap(Strict, title="People map"):
    """Source people -> e-mail addresses of the contract's people."""

    values: dict[str, str] = Field({}, description="Source value -> e-mail.")
    match_email: bool = Field(
        True, description="A source value that is the e-mail of a person of the party is that person."
    )
    default: str | None = Field(
        None,
        description='"placeholder": a placeholder requester per source person (no login, no role); '
        "or an e-mail: everybody else is that person; absent: an unknown person is an error (assignees: left out).",
    )


class ResponseDoc(Strict, title="First response"):
    """Where the first response to the requester is read, when the source does not record replies."""

    statuses: list[Status] = Field(  # type: ignore[valid-type]
        [], description="The first move into one of these statuses is the first response."
    )
    assignee: bool = Field(False, description="The first assignee is the first response.")
    sla: Name | None = Field(None, description="jira: the SLA field whose first completed cycle ends at the response.")


class MappingDoc(Strict):
    """How a ticketing tool's export reads as servicepact tickets of one contract."""

    model_config = ConfigDict(title="servicepact import mapping")

    mapping: Name = Field(description="The mapping's name.")
    source: SourceDoc
    title: Name = Field(
        "{reference}",
        description="The tickets' title: text with {reference} and the source's "
        "fields in braces ({category}); the source's title when it has one.",
    )
    statuses: StatusMap
    priorities: ValueMap | None = Field(
        None,
        description="Source priority -> the contract's priority; without it "
        "the priority comes from impact and urgency through the contract's matrix.",
    )
    impacts: LevelMap = LevelMap(default="medium")
    urgencies: LevelMap = LevelMap(default="medium")
    services: FieldMap
    categories: FieldMap | None = None
    teams: TeamMap = TeamMap()
    requesters: PeopleMap = PeopleMap(default="placeholder")
    assignees: PeopleMap | None = None
    response: ResponseDoc = ResponseDoc()
    sla: dict[Name, Literal["response", "resolution"]] = Field(
        {},
        description="The source's own verdicts kept beside each ticket: made_sla (servicenow) or a jira SLA "
        "field's name -> the clock it judged.",
    )


@dataclass(frozen=True)
class Mapping:
    """A checked mapping, with its text's SHA-256 (an import records which mapping it used)."""

    doc: MappingDoc
    text: str
    sha256: str
    filename: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.doc.source.timezone)


class MappingError(ContractError):
    """A mapping that cannot be used; ``diagnostics`` holds every problem, ``FILE:LINE:COL: message``."""


def load_mapping(source: bytes | str, filename: str = "mapping.yaml") -> Mapping:
    raw = source.encode("utf-8") if isinstance(source, str) else source
    if len(raw) > MAX_MAPPING_BYTES:
        raise MappingError([Diagnostic(filename, 1, 1, f"the file is larger than {MAX_MAPPING_BYTES // 1024} KiB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise MappingError([Diagnostic(filename, line, 1, "the file is not UTF-8 text")]) from None
    try:
        document = load_yaml(text)
    except YamlSyntaxError as error:
        where = error.problem.position
        raise MappingError([Diagnostic(filename, where.line, where.col, error.problem.message)]) from None
    problems = [Diagnostic(filename, p.position.line, p.position.col, p.message) for p in document.problems]
    if not isinstance(document.data, dict):
        position = document.position(())
        problems.append(
            Diagnostic(
                filename,
                position.line,
                position.col,
                f"a mapping is a mapping of keys, not {shown(document.data)}; expected keys "
                f"{', '.join(MappingDoc.model_fields)}",
            )
        )
        raise MappingError(problems)
    doc = None
    try:
        doc = MappingDoc.model_validate(document.data)
    except ValidationError as error:
        problems += [_diagnostic(filename, document, detail) for detail in error.errors(include_url=False)]
    if doc is not None:
        problems += _cross_checks(filename, document, doc)
    if problems or doc is None:
        raise MappingError(sorted(set(problems), key=lambda d: (d.line, d.col, d.message)))
    return Mapping(doc, text, hashlib.sha256(raw).hexdigest(), filename)


def _cross_checks(filename: str, document: YamlDocument, doc: MappingDoc) -> list[Diagnostic]:
    found = []

    def at(path: Path, message: str) -> None:
        position = document.position(path)
        found.append(Diagnostic(filename, position.line, position.col, f"{_dotted(path)}: {message}"))

    for key, text in (
        ("title", doc.title),
        *((("teams", "default"), doc.teams.default),),
        *(
            ((name, "default"), getattr(doc, name).default)
            for name in ("services", "categories")
            if getattr(doc, name) is not None
        ),
    ):
        path = (key,) if isinstance(key, str) else key
        for name in re.findall(r"\{([^{}]*)\}", text or ""):
            allowed = TITLE_FIELDS if path == ("title",) else ("value",)
            if name not in allowed:
                at(
                    path,
                    f"{{{name}}} is not a field{did_you_mean(name, allowed)}; use {', '.join('{' + a + '}' for a in allowed[:3])} ...",
                )
    for name, people in (("requesters", doc.requesters), ("assignees", doc.assignees)):
        if people is not None and people.default not in (None, "placeholder") and "@" not in people.default:
            at((name, "default"), f'expected "placeholder" or an e-mail address, got {shown(people.default)}')
    if doc.assignees is not None and doc.assignees.default == "placeholder":
        at(
            ("assignees", "default"),
            "assignees cannot be placeholders: map them to people of the provider or leave them out (no default)",
        )
    if doc.response.sla is not None and doc.source.tool != "jira":
        at(("response", "sla"), "only jira exports have SLA fields")
    return found


def _diagnostic(filename: str, document: YamlDocument, detail: dict[str, Any]) -> Diagnostic:
    loc = tuple(part for part in detail["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    path = _data_path(loc, document.data)
    kind = detail["type"]
    if kind == "missing":
        path = path[:-1]
        position = document.key_position(path)
        message = f"missing required key '{loc[-1]}'"
    elif kind == "extra_forbidden":
        position = document.key_position(path)
        allowed = _allowed_keys(loc[:-1])
        message = f"unknown key '{loc[-1]}'{did_you_mean(str(loc[-1]), allowed)}; allowed keys: {', '.join(allowed)}"
        path = path[:-1]
    else:
        position = document.position(path)
        value = detail.get("input")
        if kind == "literal_error":
            message = f"{shown(value)} is not allowed; expected {detail.get('ctx', {}).get('expected')}"
        elif kind in ("string_type", "dict_type", "model_type", "list_type", "bool_type"):
            expected = {
                "string_type": "text",
                "dict_type": "a mapping (key: value)",
                "model_type": "a mapping (key: value)",
                "list_type": "a list",
                "bool_type": "true or false",
            }[kind]
            message = f"expected {expected}, got {shown(value)}"
        elif kind == "too_short":
            message = "must not be empty"
        else:
            message = str(detail["msg"]).removeprefix("Value error, ")
    return Diagnostic(filename, position.line, position.col, f"{_dotted(path)}: {message}" if path else message)


def _data_path(loc: tuple, data: Any) -> Path:
    """The path into the document of a pydantic location (which names aliases and list indexes)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if part == "[key]":
            break
        key = "from" if part == "from_" else part
        if isinstance(node, dict) and key in node:
            path.append(key)
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            path.append(key)
            node = node[key]
        else:
            path.append(key)
            node = None
    return tuple(path)


def _allowed_keys(loc: tuple) -> list[str]:
    model: Any = MappingDoc
    for part in loc:
        field = model.model_fields.get("from_" if part == "from" else part) if isinstance(part, str) else None
        annotation = getattr(field, "annotation", None)
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def mapping_schema() -> dict[str, Any]:
    """The mapping's JSON Schema (draft 2020-12)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **MappingDoc.model_json_schema(by_alias=True)}


def value_key(value: str) -> str:
    """A source value made into a key: lower case ASCII letters and digits, other runs as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:48] or "none"
