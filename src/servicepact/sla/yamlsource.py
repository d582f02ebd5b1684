"""YAML read into plain Python values, keeping the line and column of every key and value.

The contract loader reports each problem at its place in the file, so it works from the YAML node
tree (ruamel.yaml's composer) rather than from constructed objects. Composing never builds objects
from tags, so a hostile file cannot make the loader run code. Scalars keep their exact text where it
matters: a plain ``0.95`` becomes ``Decimal("0.95")``, never a float.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# A path into the document: mapping keys and sequence indexes, from the top.
Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based, as editors count
    col: int  # 1-based


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A problem found while reading the YAML itself (syntax, duplicate key, unsupported tag)."""

    position: Position
    message: str


class YamlSyntaxError(Exception):
    def __init__(self, problem: SourceProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class YamlDocument:
    """The document's value and where each part of it stands in the file."""

    data: Any
    value_positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    problems: list[SourceProblem] = field(default_factory=list)

    def position(self, path: Path) -> Position:
        """Where the value at ``path`` stands, or its nearest enclosing value that exists."""
        for end in range(len(path), -1, -1):
            found = self.value_positions.get(path[:end])
            if found is not None:
                return found
        return Position(1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key naming ``path`` stands (the value's place for list items and the top)."""
        return self.key_positions.get(path) or self.position(path)


def _position(node: Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(text: str) -> YamlDocument:
    """Read one YAML document; raises YamlSyntaxError for text that is not YAML."""
    try:
        root = YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        detail = error.problem or "not valid YAML"
        if error.context:
            detail += f" ({error.context})"
        raise YamlSyntaxError(SourceProblem(where, f"YAML syntax error: {detail}")) from None
    document = YamlDocument(data=None)
    if root is not None:
        document.data = _convert(root, (), document)
    return document


def _convert(node: Node, path: Path, document: YamlDocument) -> Any:
    document.value_positions[path] = _position(node)
    tag = str(getattr(node.tag, "value", node.tag) or "")
    if isinstance(node, (MappingNode, SequenceNode)) and tag not in (_TAG + "map", _TAG + "seq", _TAG + "omap"):
        document.problems.append(SourceProblem(_position(node), f"unsupported YAML tag '{tag}'"))
    if isinstance(node, MappingNode):
        return _convert_mapping(node, path, document)
    if isinstance(node, SequenceNode):
        return [_convert(item, (*path, index), document) for index, item in enumerate(node.value)]
    return _convert_scalar(node, document)


def _convert_mapping(node: MappingNode, path: Path, document: YamlDocument) -> dict:
    result: dict = {}
    for key_node, value_node in node.value:
        key = _convert_scalar(key_node, document) if isinstance(key_node, ScalarNode) else None
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            document.problems.append(
                SourceProblem(_position(key_node), f"a key must be a name, not {key_node.value!r}")
            )
            continue
        key = str(key)
        if key in result:
            first = document.key_positions[(*path, key)]
            document.problems.append(
                SourceProblem(_position(key_node), f"duplicate key '{key}' (first given at line {first.line})")
            )
            continue
        document.key_positions[(*path, key)] = _position(key_node)
        result[key] = _convert(value_node, (*path, key), document)
    return result


def _convert_scalar(node: ScalarNode, document: YamlDocument) -> Any:
    tag = str(getattr(node.tag, "value", node.tag) or "")
    text = node.value
    if tag == _TAG + "str" or node.style in ("'", '"', "|", ">"):
        return text
    if tag == _TAG + "int":
        cleaned = text.replace("_", "")
        try:
            return int(cleaned)
        except ValueError:
            return int(cleaned, 0)
    if tag == _TAG + "float":
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            return text
        return number if number.is_finite() else text
    if tag == _TAG + "bool":
        return text.lower() == "true"
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "timestamp":
        if _DATE.match(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                return text
        return text
    document.problems.append(SourceProblem(_position(node), f"unsupported YAML tag '{tag}'"))
    return text
