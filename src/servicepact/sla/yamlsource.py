"""YAML read into plain Python values, keeping the line and column of every key and value.

The contract loader reports each problem at its place in the file, so it works from the YAML node
tree (ruamel.yaml's composer) rather than from constructed objects. Composing never builds objects
from tags, so a hostile file cannot make the loader run code. Scalars keep their exact text where it
matters: a plain ``0.95`` becomes ``Decimal("0.95")``, never a float.

A hostile file cannot make the loader work long or hold much memory either: the composer refuses
nesting deeper than ``MAX_DEPTH`` and aliases that would repeat more than ``MAX_ALIAS_VALUES`` values
(a "billion laughs" file is a few hundred bytes that expand to a billion), and numbers are refused
beyond ``MAX_NUMBER_DIGITS`` digits before any conversion. Each refusal names its line and column.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

# A path into the document: mapping keys and sequence indexes, from the top.
Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# Bounds of what one document may hold (docs/contract-language.md, "Limits"); a contract needs a
# fraction of each.
MAX_DEPTH = 32  # mappings and lists inside each other
MAX_ALIAS_VALUES = 10_000  # values that aliases add by repeating what their anchor names
MAX_NUMBER_DIGITS = 18  # digits of a whole number; a decimal's digits and exponent stay within it too


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


def _position_of_index(text: str, index: int) -> Position:
    index = max(0, min(index, len(text)))
    line_start = text.rfind("\n", 0, index) + 1
    return Position(text.count("\n", 0, index) + 1, index - line_start + 1)


class _BoundedComposer(Composer):
    """ruamel.yaml's composer with the document's bounds: nesting depth and the values aliases repeat.

    An alias refers to its anchor's node rather than copying it, so composing stays small; it is the
    conversion to plain values that repeats the node, once per alias. The values each anchor names are
    counted as it is composed, so an alias that would take the total past the bound is refused where it
    stands, before anything is repeated.
    """

    def __init__(self, loader=None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # legal YAML (the later anchor counts); not worth a warning on stderr
        self._nesting = 0
        self._values = 0  # values composed so far, aliases counted as the values they repeat
        self._alias_values = 0
        self._anchor_values: dict[str, int] = {}
        self._open_anchors: set[str] = set()

    def compose_node(self, parent, index):
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            if event.anchor in self._open_anchors:
                raise ComposerError(
                    None, None, f"alias *{event.anchor} refers to a value that contains it", event.start_mark
                )
            repeated = self._anchor_values.get(event.anchor, 1)
            self._alias_values += repeated
            if self._alias_values > MAX_ALIAS_VALUES:
                raise ComposerError(
                    None,
                    None,
                    f"aliases repeat more than {MAX_ALIAS_VALUES} values (alias *{event.anchor} repeats {repeated})",
                    event.start_mark,
                )
            self._values += repeated
            return super().compose_node(parent, index)
        self._nesting += 1
        if self._nesting > MAX_DEPTH:
            raise ComposerError(None, None, f"mappings and lists nest deeper than {MAX_DEPTH} levels", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open_anchors.add(anchor)
        before = self._values
        node = super().compose_node(parent, index)
        self._values += 1
        if anchor is not None:
            self._open_anchors.discard(anchor)
            self._anchor_values[anchor] = self._values - before
        self._nesting -= 1
        return node


def load_yaml(text: str) -> YamlDocument:
    """Read one YAML document; raises YamlSyntaxError for text that is not YAML or that breaks a bound."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _BoundedComposer
    try:
        root = yaml.compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        detail = error.problem or "not valid YAML"
        if error.context:
            detail += f" ({error.context})"
        raise YamlSyntaxError(SourceProblem(where, f"YAML syntax error: {detail}")) from None
    except ReaderError as error:
        # A character YAML does not allow (NUL, other control characters): the reader gives its index.
        index = error.position if isinstance(error.position, int) else 0
        where = _position_of_index(text, index)
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise YamlSyntaxError(
            SourceProblem(where, f"YAML syntax error: character {character} is not allowed in a YAML file")
        ) from None
    except YAMLError as error:
        raise YamlSyntaxError(SourceProblem(Position(1, 1), f"YAML syntax error: {error}")) from None
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
        number = _whole_number(text)
        if isinstance(number, str):
            document.problems.append(SourceProblem(_position(node), number))
            return text
        return number
    if tag == _TAG + "float":
        try:
            number = Decimal(text.replace("_", "")) if len(text) <= 2 * MAX_NUMBER_DIGITS else None
        except InvalidOperation:
            number = None
        if number is not None and not number.is_finite():
            return text  # .inf and .nan: the field's own check says what it expected
        if (
            number is None
            or len(number.as_tuple().digits) > MAX_NUMBER_DIGITS
            or abs(number.adjusted()) > MAX_NUMBER_DIGITS
        ):
            document.problems.append(
                SourceProblem(
                    _position(node),
                    f"{_shown_number(text)} is out of range: a decimal number has at most "
                    f"{MAX_NUMBER_DIGITS} digits and lies between 1e-{MAX_NUMBER_DIGITS} and 1e{MAX_NUMBER_DIGITS}",
                )
            )
            return text
        return number
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


def _whole_number(text: str) -> int | str:
    """The value of a YAML integer (decimal, 0x, 0o, 0b, '_' between digits), or the problem with it: not
    a whole number, or more than MAX_NUMBER_DIGITS digits (counted on the text, before converting it)."""
    cleaned = text.replace("_", "")
    digits = cleaned.lstrip("+-")
    if len(digits) > MAX_NUMBER_DIGITS + 2:
        return f"{_shown_number(text)} has {len(digits)} digits; a whole number has at most {MAX_NUMBER_DIGITS}"
    number = None
    if digits.isascii():
        for base in (10, 0):
            try:
                number = int(cleaned, base)
                break
            except ValueError:
                continue
    if number is None:
        return f"{_shown_number(text)} is not a whole number"
    if abs(number) >= 10**MAX_NUMBER_DIGITS:
        return f"{_shown_number(text)} is too large; a whole number has at most {MAX_NUMBER_DIGITS} digits"
    return number


def _shown_number(text: str) -> str:
    return repr(text) if len(text) <= 40 else f"'{text[:20]}...{text[-8:]}'"
