"""The mapping file: checked like a contract (every problem at its line and column), with a JSON Schema."""

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from servicepact.imports.mapping import (
    MappingError,
    load_mapping,
    mapping_schema,
    value_key,
)
from servicepact.imports.tests.conftest import EXAMPLES

DOCS = Path(__file__).resolve().parents[4] / "docs" / "imports.md"


def problems(text: str) -> list[str]:
    with pytest.raises(MappingError) as error:
        load_mapping(text, "m.yaml")
    return [str(diagnostic) for diagnostic in error.value.diagnostics]


def test_the_shipped_examples_load_and_follow_the_schema():
    schema = mapping_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    examples = sorted(EXAMPLES.glob("*.yaml"))
    assert examples
    for path in examples:
        mapping = load_mapping(path.read_bytes(), path.name)
        jsonschema.validate(json.loads(json.dumps(YAML(typ="safe").load(path.read_text()))), schema)
        assert mapping.doc.mapping == path.stem


def test_every_problem_is_named_at_its_place():
    assert problems(
        "mapping: m\n"
        "source: {tool: servicenow, timezone: Mars/Olympus}\n"
        "statuses: {values: {New: neww}}\n"
        "services: {from: categry, default: sap-erp}\n"
        "teams: {default: 'g-{value}', creat: true}\n"
    ) == [
        'm.yaml:2:38: source.timezone: unknown time zone "Mars/Olympus"; use an IANA name such as Europe/Berlin',
        "m.yaml:3:26: statuses.values.New: \"neww\" is not allowed; expected 'new', 'assigned', 'in_progress', "
        "'pending_customer', 'pending_vendor', 'pending_problem', 'resolved' or 'closed'",
        "m.yaml:4:18: services.from: \"categry\" is not allowed; expected 'category', 'subcategory', 'service' or 'group'",
        "m.yaml:5:31: teams: unknown key 'creat' (did you mean \"create\"?); allowed keys: values, default, create",
    ]


def test_cross_checks_of_a_valid_document():
    assert problems(
        "mapping: m\n"
        "source: {tool: jira, layout: incident_audit, timezone: UTC}\n"
        "statuses: {}\n"
        "services: {from: category}\n"
    ) == ["m.yaml:2:9: source: layout 'incident_audit' is not one of jira's: issues"]
    assert problems(
        "mapping: m\n"
        "source: {tool: csv, timezone: UTC}\n"
        "title: '{number} {categroy}'\n"
        "statuses: {}\n"
        "services: {from: category, default: '{val}'}\n"
        "requesters: {default: nobody}\n"
        "response: {sla: Time to first response}\n"
    ) == [
        'm.yaml:3:8: title: {categroy} is not a field (did you mean "category"?); use {reference}, {category}, {subcategory} ...',
        "m.yaml:3:8: title: {number} is not a field; use {reference}, {category}, {subcategory} ...",
        'm.yaml:5:37: services.default: {val} is not a field (did you mean "value"?); use {value} ...',
        'm.yaml:6:23: requesters.default: expected "placeholder" or an e-mail address, got "nobody"',
        "m.yaml:7:17: response.sla: only jira exports have SLA fields",
    ]


def test_missing_keys_and_bad_yaml():
    assert problems("mapping: m\n") == [
        "m.yaml:1:1: missing required key 'services'",
        "m.yaml:1:1: missing required key 'source'",
        "m.yaml:1:1: missing required key 'statuses'",
    ]
    assert problems("mapping: [\n")[0].startswith("m.yaml:2:1: YAML syntax error")
    assert problems("- a\n") == [
        "m.yaml:1:1: a mapping is a mapping of keys, not a list; expected keys mapping, "
        "source, title, statuses, priorities, impacts, urgencies, services, categories, "
        "teams, requesters, assignees, response, sla"
    ]


def test_source_values_become_keys():
    assert [value_key(text) for text in ("Group 56", "70", "Réseau / LAN", "")] == [
        "group-56",
        "70",
        "r-seau-lan",
        "none",
    ]


def test_the_documented_mappings_load():
    text = DOCS.read_text()
    blocks = [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]
    mappings = [block for block in blocks if block.lstrip().startswith("mapping:")]
    assert len(mappings) >= 3
    for block in mappings:
        load_mapping(block, "docs/imports.md")
