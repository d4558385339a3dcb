"""The JSONPath subset that overlay targets may use.

``$`` followed by any number of segments: ``.name``, ``['name']``, ``["name"]``, ``.*``
and ``[*]``. Dot names run up to the next ``.`` or ``[``, so ``$.paths['/v0/x/{id}']``
needs the bracket form only for names holding those characters. Anything else
(filters, recursive descent, indices, slices, unions) is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

WILDCARD = None
"""A segment that selects every member of a mapping or every item of a list."""

Segment = str | None


class JsonPathError(ValueError):
    """The path is malformed or uses a form this subset does not support."""


@dataclass(frozen=True)
class Match:
    """A selected node with its parent and its key or index in it (``None`` for the root)."""

    parent: Any
    key: str | int | None
    value: Any


_DOT_NAME = re.compile(r"[^.\[\]\s'\"*]+")
_QUOTED = re.compile(r"""\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]""", re.S)
_WILD = re.compile(r"\.\*|\[\s*\*\s*\]")


def parse(path: str) -> tuple[Segment, ...]:
    """The segments of ``path``; raises :class:`JsonPathError` for anything unsupported."""
    if not path.startswith("$"):
        raise JsonPathError("a JSONPath must start with '$'")
    segments: list[Segment] = []
    position = 1
    while position < len(path):
        rest = path[position:]
        if rest.startswith(".."):
            raise JsonPathError("recursive descent ('..') is not supported")
        wild = _WILD.match(path, position)
        quoted = _QUOTED.match(path, position)
        name = _DOT_NAME.match(path, position + 1) if rest.startswith(".") else None
        if wild:
            segments.append(WILDCARD)
            position = wild.end()
        elif quoted:
            raw = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            segments.append(_unescape(raw))
            position = quoted.end()
        elif name:
            segments.append(name.group(0))
            position = name.end()
        else:
            raise JsonPathError(f"cannot read {rest!r} (supported: $, .name, ['name'], .*, [*])")
    return tuple(segments)


_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "/": "/", "\\": "\\", "'": "'", '"': '"'}


def _unescape(raw: str) -> str:
    """Undo the escapes of a quoted name (``\\'``, ``\\uXXXX``, ``\\n``...)."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) == 5:
            return chr(int(code[1:], 16))
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        raise JsonPathError(f"bad escape '\\{code}' in {raw!r}")

    # \uXXXX pairs give surrogates; the round trip joins them into one character.
    return _ESCAPE.sub(replace, raw).encode("utf-16", "surrogatepass").decode("utf-16")


def select(data: Any, segments: tuple[Segment, ...]) -> list[Match]:
    """Every node ``segments`` selects in ``data``, in document order."""
    matches = [Match(None, None, data)]
    for segment in segments:
        found: list[Match] = []
        for match in matches:
            node = match.value
            if segment is WILDCARD:
                if isinstance(node, dict):
                    found.extend(Match(node, key, value) for key, value in node.items())
                elif isinstance(node, list):
                    found.extend(Match(node, index, value) for index, value in enumerate(node))
            elif isinstance(node, dict) and segment in node:
                found.append(Match(node, segment, node[segment]))
        matches = found
    return matches
