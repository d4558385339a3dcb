"""JSON pointers, and the line numbers of the nodes of a parsed document."""

from __future__ import annotations

from typing import Any


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
