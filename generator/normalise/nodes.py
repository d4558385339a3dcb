"""A place in a loaded document: the value found there and how to say where it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.errors import Location, SpecError, warn

if TYPE_CHECKING:
    from generator.load import Document, Registry


DOC_FIELDS = frozenset({"description", "summary", "title"})
"""Documentation: a value of the wrong kind there (a ``$ref`` object) is left out with a warning."""


def escape(token: str) -> str:
    """One JSON pointer token."""
    return token.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True, eq=False)
class Node:
    """The value at ``pointer`` in ``doc``."""

    doc: Document
    pointer: str
    value: Any

    @property
    def id(self) -> str:
        """Identity of the node across documents: ``file#pointer``."""
        return f"{self.doc.file}#{self.pointer}"

    @property
    def location(self) -> Location:
        return self.doc.location(self.pointer)

    def child(self, *tokens: str | int) -> Node:
        """The node below this one; a missing member gives ``None`` as value."""
        value, pointer = self.value, self.pointer
        for token in tokens:
            if isinstance(value, dict):
                value = value.get(str(token))
            elif isinstance(value, list) and isinstance(token, int) and 0 <= token < len(value):
                value = value[token]
            else:
                value = None
            pointer += "/" + escape(str(token))
        return Node(self.doc, pointer, value)

    def get(self, key: str, default: Any = None) -> Any:
        return self.value.get(key, default) if isinstance(self.value, dict) else default

    def items(self, key: str) -> list[tuple[str, Node]]:
        """The members of the mapping at ``key``, as nodes, in document order."""
        mapping = self.get(key)
        if mapping is None:
            return []
        if not isinstance(mapping, dict):
            raise self.fail(f"{key!r} must be a mapping", key)
        return [(str(name), self.child(key, str(name))) for name in mapping]

    def elements(self, key: str) -> list[Node]:
        """The members of the list at ``key``, as nodes."""
        sequence = self.get(key)
        if sequence is None:
            return []
        if not isinstance(sequence, list):
            raise self.fail(f"{key!r} must be a list", key)
        return [self.child(key, index) for index in range(len(sequence))]

    def text(self, key: str) -> str | None:
        """A string member, stripped; None when absent or blank."""
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            if key in DOC_FIELDS:
                warn(f"{key!r} is not a string; leaving it out of the SDK's documentation", self.child(key).location)
                return None
            raise self.fail(f"{key!r} must be a string", key)
        return value.strip() or None

    def fail(self, message: str, *tokens: str | int) -> SpecError:
        return SpecError(message, self.child(*tokens).location if tokens else self.location)


def follow(registry: Registry, node: Node) -> Node:
    """The node a ``$ref`` node points at (one step)."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        raise node.fail("expected a $ref here")
    doc, pointer, value = registry.resolve(ref, node.doc, node.pointer)
    return Node(doc, pointer, value)


def deref(registry: Registry, node: Node) -> Node:
    """Follow ``$ref`` until a node that is not one; a cycle of refs is a SpecError."""
    seen: set[str] = set()
    while isinstance(node.value, dict) and "$ref" in node.value:
        if node.id in seen:
            raise node.fail("circular $ref")
        seen.add(node.id)
        node = follow(registry, node)
    return node
