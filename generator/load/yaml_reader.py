"""Reading YAML into plain data with the line of every node.

The YAML 1.2 core schema decides what plain scalars are (``yes``/``no``/``on`` and dates
stay strings, as OpenAPI expects); mapping keys stay text (``200:`` is the key ``"200"``);
duplicate keys are errors; aliases are expanded into independent copies and ``<<`` merge
keys merged.

The node tree is composed from the parser's events with an explicit stack, refusing nesting
deeper than :data:`~generator.limits.MAX_NESTING`; expanding aliases counts the nodes built and
stops past a budget (:data:`~generator.limits.ALIAS_FACTOR` times the document's own nodes), so
a small file of nested aliases cannot ask for gigabytes of copies.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from generator.errors import Location, SpecError
from generator.limits import ALIAS_FACTOR, MAX_NESTING, MAX_NUMBER_DIGITS, MIN_ALIAS_BUDGET
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
        if len(value) > MAX_NUMBER_DIGITS:
            raise ValueError(f"more than {MAX_NUMBER_DIGITS:,} digits")
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

    def __init__(self, file: str, nodes: int) -> None:
        """``nodes``: how many the document itself writes (aliases counted once), for the budget."""
        self.file = file
        self.lines = Lines()
        self._active: set[int] = set()
        self._path: list[str] = []
        self._budget = max(MIN_ALIAS_BUDGET, ALIAS_FACTOR * nodes)
        self._built = 0

    def fail(self, node: yaml.Node, message: str) -> SpecError:
        return SpecError(message, Location(self.file, join_pointer(self._path), node.start_mark.line + 1))

    def build(self, node: yaml.Node, line: int) -> Any:
        self._built += 1
        if self._built > self._budget:
            raise self.fail(
                node,
                f"YAML aliases expand to more than {self._budget:,} nodes ({ALIAS_FACTOR} times the document's own, "
                f"at least {MIN_ALIAS_BUDGET:,}); write the repeated part once and $ref it",
            )
        if len(self._path) > MAX_NESTING:
            raise self.fail(node, f"YAML aliases nest the document deeper than {MAX_NESTING:,} levels")
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node)
            except ValueError as exc:
                shown = node.value if len(node.value) <= 40 else node.value[:20] + "..." + node.value[-10:]
                why = f" ({exc})" if "digits" in str(exc) else ""
                raise self.fail(node, f"{shown!r} is not a valid {node.tag.rsplit(':', 1)[-1]}{why}") from None
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


def read_yaml(file: str, text: str, *, allow_empty: bool = False) -> tuple[Any, Lines]:
    """The data of YAML ``text`` and its lines; bad YAML is a SpecError naming ``file``, and so is an
    empty document unless ``allow_empty`` (then the data is None)."""
    loader = _Loader(text)
    try:
        node, count = _compose(loader, file)
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
        if allow_empty:
            return None, Lines()
        raise SpecError("the document is empty", Location(file))
    builder = _YamlBuilder(file, count)
    data = builder.build(node, node.start_mark.line + 1)
    return data, builder.lines


def _compose(loader: Any, file: str) -> tuple[yaml.Node | None, int]:
    """The node tree of the single document ``loader`` parses, and how many nodes it writes.

    What ``yaml.compose`` does, with an explicit stack instead of recursion: a document nested
    deeper than :data:`MAX_NESTING` is a SpecError at the line where it goes too deep.
    """
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        loader.get_event()
        return None, 0
    loader.get_event()  # document start
    anchors: dict[str, yaml.Node] = {}
    open_nodes: list[tuple[yaml.CollectionNode, list[yaml.Node]]] = []
    count = 0
    while True:
        event = loader.get_event()
        start, end = _marks(event)
        node: yaml.Node
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", start)
            node = anchors[event.anchor]
            count += 1
        elif isinstance(event, yaml.ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            node = yaml.ScalarNode(tag, event.value, start, end, style=event.style)
            if event.anchor is not None:
                anchors[event.anchor] = node
            count += 1
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(open_nodes) >= MAX_NESTING:
                raise SpecError(
                    f"the document nests deeper than {MAX_NESTING:,} levels",
                    Location(file, "", start.line + 1),
                )
            kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(kind, None, event.implicit)
            opened: yaml.CollectionNode = kind(tag, [], start, end, flow_style=event.flow_style)
            if event.anchor is not None:
                anchors[event.anchor] = opened
            open_nodes.append((opened, []))
            count += 1
            continue
        else:  # the end of a sequence or mapping
            collection, items = open_nodes.pop()
            collection.end_mark = end
            if isinstance(collection, yaml.MappingNode):
                collection.value = list(zip(items[0::2], items[1::2]))
            else:
                collection.value = items
            node = collection
        if not open_nodes:
            break
        open_nodes[-1][1].append(node)
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        extra = loader.get_event()
        raise yaml.composer.ComposerError(
            None, None, "expected a single document in the stream, but found another one", extra.start_mark
        )
    return node, count


def _marks(event: Any) -> tuple[Any, Any]:
    """Where ``event`` starts and ends (PyYAML's or libyaml's marks: two types with one interface)."""
    return event.start_mark, event.end_mark
