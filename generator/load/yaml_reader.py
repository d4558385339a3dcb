"""Reading YAML into plain data with the line of every node.

The YAML 1.2 core schema decides what plain scalars are (``yes``/``no``/``on`` and dates
stay strings, as OpenAPI expects); mapping keys stay text (``200:`` is the key ``"200"``);
duplicate keys are errors; aliases are expanded into independent copies and ``<<`` merge
keys merged.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from generator.errors import Location, SpecError
from generator.load.lines import Lines, join_pointer

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Composes YAML nodes, resolving plain scalars by the YAML 1.2 core schema."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_CORE = "tag:yaml.org,2002:"
_RESOLVERS = {
    "null": (r"^(?:~|null|Null|NULL|)$", "~nN"),
    "bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    "int": (r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    "float": (
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    "merge": (r"^<<$", "<"),
}
for _name, (_pattern, _first) in _RESOLVERS.items():
    _Loader.add_implicit_resolver(_CORE + _name, re.compile(_pattern), list(_first))
# PyYAML finds the resolvers of an empty plain scalar under the first character "": it is null.
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


def read_yaml(file: str, text: str) -> tuple[Any, Lines]:
    """The data of YAML ``text`` and its lines; bad YAML is a SpecError naming ``file``."""
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
    return data, builder.lines
