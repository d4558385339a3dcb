"""Reading one YAML or JSON file into plain data, remembering the line of every node.

YAML is read with the YAML 1.2 core schema (``yes``/``no``/``on`` and dates stay strings,
as OpenAPI expects), duplicate keys are errors, and aliases are expanded into
independent copies. JSON is read by :mod:`json` and its lines found by a small
tokenizer. Lines are kept per container object, so they survive the in-place edits
that overlays make.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from typing import Any, Iterator

import yaml

from generator.errors import Location, SpecError

__all__ = ["Document", "parse", "split_pointer", "join_pointer"]


def split_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of a JSON pointer (``"/a~1b/c"`` -> ``["a/b", "c"]``)."""
    if not pointer:
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def join_pointer(tokens: list[str] | tuple[str, ...]) -> str:
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in tokens)


class Lines:
    """1-based line numbers of containers (where they are introduced) and of their members."""

    def __init__(self) -> None:
        # id -> (the container itself, to keep ids unique; its line; its members' lines)
        self._entries: dict[int, tuple[Any, int, dict[Any, int]]] = {}

    def add(self, container: Any, line: int, members: dict[Any, int]) -> None:
        self._entries[id(container)] = (container, line, members)

    def _entry(self, node: Any) -> tuple[Any, int, dict[Any, int]] | None:
        entry = self._entries.get(id(node))
        return entry if entry is not None and entry[0] is node else None

    def find(self, data: Any, tokens: list[str]) -> int | None:
        """The line of the node at ``tokens``, or of its nearest ancestor with a known line."""
        node = data
        entry = self._entry(node)
        line = entry[1] if entry else None
        for token in tokens:
            key: Any = token
            if isinstance(node, list):
                if not token.isdigit() or int(token) >= len(node):
                    break
                key = int(token)
            elif not isinstance(node, dict) or token not in node:
                break
            child = node[key]
            child_entry = self._entry(child)
            if child_entry is not None:
                line = child_entry[1]
            elif entry is not None and key in entry[2]:
                line = entry[2][key]
            node, entry = child, child_entry
        return line


class Document:
    """One parsed spec file. ``file`` is relative to the specs folder, in posix form."""

    def __init__(self, file: str, data: Any, lines: Lines) -> None:
        self.file = file
        self.data = data
        self._lines = lines

    def location(self, pointer: str) -> Location:
        """Where ``pointer`` is: its line, or its nearest ancestor's when it has none."""
        return Location(self.file, pointer, self._lines.find(self.data, split_pointer(pointer)))

    def __repr__(self) -> str:
        return f"Document({self.file!r})"


def parse(file: str, text: str) -> Document:
    """Parse ``text`` (YAML, or JSON when ``file`` ends in ``.json``); bad input is a SpecError."""
    if file.endswith(".json"):
        return _parse_json(file, text)
    return _parse_yaml(file, text)


# --------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Composes YAML nodes, resolving plain scalars by the YAML 1.2 core schema."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_CORE = "tag:yaml.org,2002:"
_RESOLVERS = {
    "null": (r"^(?:~|null|Null|NULL|)$", "~nN"),
    "bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    "int": (r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    "float": (
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?" r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    "merge": (r"^<<$", "<"),
}
for _name, (_pattern, _first) in _RESOLVERS.items():
    _Loader.add_implicit_resolver(_CORE + _name, re.compile(_pattern), list(_first))
# The empty plain scalar is null.
_Loader.add_implicit_resolver(_CORE + "null", re.compile(r"^$"), [""])


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _CORE + "null":
        return None
    if tag == _CORE + "bool":
        return value.lower() == "true"
    if tag == _CORE + "int":
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value)
    if tag == _CORE + "float":
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(value)
    return value


class _YamlBuilder:
    """Turns a composed node tree into dicts, lists and scalars, recording lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines = Lines()
        self._active: set[int] = set()
        self._path: list[str] = []

    def fail(self, node: yaml.Node, message: str) -> SpecError:
        return SpecError(message, Location(self.file, join_pointer(self._path), node.start_mark.line + 1))

    def build(self, node: yaml.Node, line: int) -> Any:
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node)
            except ValueError:
                raise self.fail(node, f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}") from None
        if id(node) in self._active:
            raise self.fail(node, "recursive YAML alias")
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, line)
            assert isinstance(node, yaml.MappingNode)
            return self._mapping(node, line)
        finally:
            self._active.discard(id(node))

    def _sequence(self, node: yaml.SequenceNode, line: int) -> list[Any]:
        result: list[Any] = []
        members: dict[Any, int] = {}
        for index, item in enumerate(node.value):
            members[index] = item.start_mark.line + 1
            self._path.append(str(index))
            result.append(self.build(item, members[index]))
            self._path.pop()
        self.lines.add(result, line, members)
        return result

    def _mapping(self, node: yaml.MappingNode, line: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        members: dict[Any, int] = {}
        merged: list[dict[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                merged.extend(self._merge_sources(value_node, key_node.start_mark.line + 1))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "mapping keys must be scalars")
            key = key_node.value  # keys stay text: `200:` is the key "200"
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r}")
            members[key] = key_node.start_mark.line + 1
            self._path.append(key)
            result[key] = self.build(value_node, members[key])
            self._path.pop()
        for source in merged:
            for key, value in source.items():
                result.setdefault(key, value)
        self.lines.add(result, line, members)
        return result

    def _merge_sources(self, node: yaml.Node, line: int) -> list[dict[Any, Any]]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result = []
        for source in sources:
            value = self.build(source, line)
            if not isinstance(value, dict):
                raise self.fail(source, "a merge key ('<<') must refer to mappings")
            result.append(value)
        return result


def _parse_yaml(file: str, text: str) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot parse"
        if mark is None:
            raise SpecError(f"invalid YAML: {problem}", Location(file)) from None
        raise SpecError(
            f"invalid YAML: {problem} (column {mark.column + 1})", Location(file, "", mark.line + 1)
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", Location(file)) from None
    finally:
        loader.dispose()
    if node is None:
        raise SpecError("the document is empty", Location(file))
    builder = _YamlBuilder(file)
    data = builder.build(node, node.start_mark.line + 1)
    return Document(file, data, builder.lines)


# --------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^ \t\r\n{}\[\]:,"]+))', re.S)


def _parse_json(file: str, text: str) -> Document:
    try:
        data = json.loads(text, object_pairs_hook=_checked_pairs)
    except json.JSONDecodeError as exc:
        raise SpecError(f"invalid JSON: {exc.msg} (column {exc.colno})", Location(file, "", exc.lineno)) from None
    except _DuplicateKey as exc:
        raise SpecError(f"duplicate key {exc.key!r}", Location(file, "", _JsonLines(text).duplicate_line(exc.key)))
    lines = Lines()
    _JsonLines(text).record(data, lines)
    return Document(file, data, lines)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _checked_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _JsonLines:
    """Walks the tokens of valid JSON text alongside its parsed data to find lines."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._tokens: Iterator[re.Match[str]] = _JSON_TOKEN.finditer(text)

    def _line(self, match: re.Match[str]) -> int:
        start = match.start(match.lastindex or 0)
        return bisect.bisect_left(self._newlines, start) + 1

    def _next(self) -> re.Match[str]:
        return next(self._tokens)

    def record(self, data: Any, lines: Lines) -> None:
        first = self._next()
        self._value(first, data, lines, self._line(first))

    def _value(self, first: re.Match[str], data: Any, lines: Lines, line: int) -> None:
        """Consume the tokens of one value whose first token is ``first``."""
        if first.group(2) == "{":
            members: dict[Any, int] = {}
            token = self._next()
            while token.group(2) != "}":
                if token.group(2) == ",":
                    token = self._next()
                key = json.loads(token.group(1))
                members[key] = self._line(token)
                self._next()  # ':'
                value_token = self._next()
                self._value(value_token, data[key], lines, members[key])
                token = self._next()
            lines.add(data, line, members)
        elif first.group(2) == "[":
            members = {}
            token = self._next()
            index = 0
            while token.group(2) != "]":
                if token.group(2) == ",":
                    token = self._next()
                members[index] = self._line(token)
                self._value(token, data[index], lines, members[index])
                index += 1
                token = self._next()
            lines.add(data, line, members)

    def duplicate_line(self, key: str) -> int | None:
        """The line of the first key repeated within one object (for the error message)."""
        stack: list[set[str] | None] = []
        expect_key = False
        for token in self._tokens:
            punct = token.group(2)
            if punct in ("{", "["):
                stack.append(set() if punct == "{" else None)
                expect_key = punct == "{"
            elif punct in ("}", "]"):
                stack.pop()
                expect_key = False
            elif punct == ",":
                expect_key = bool(stack) and stack[-1] is not None
            elif punct == ":":
                expect_key = False
            elif expect_key and token.group(1):
                seen = stack[-1]
                name = json.loads(token.group(1))
                if seen is not None:
                    if name == key and name in seen:
                        return self._line(token)
                    seen.add(name)
                expect_key = False
        return None
