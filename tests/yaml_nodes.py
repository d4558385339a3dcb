"""Plain YAML reading for the spec coverage tests: values at JSON pointers, ``$ref``s across files.

The coverage tests check specs/ against upstream without importing the generator, so that a
bug in the loader cannot hide a gap; this is their own small reader.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@functools.cache
def load(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def escape(part: str | int) -> str:
    """One JSON pointer segment."""
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer_get(doc: Any, pointer: str) -> Any:
    node = doc
    for raw in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


@dataclass(frozen=True)
class Node:
    """A value in a YAML file, at a JSON pointer."""

    file: Path
    pointer: str

    @property
    def value(self) -> Any:
        return pointer_get(load(self.file), self.pointer)

    @property
    def name(self) -> str:
        return self.pointer.rsplit("/", 1)[-1]

    def child(self, *parts: str | int) -> Node:
        return Node(self.file, self.pointer + "".join("/" + escape(p) for p in parts))

    def get(self, key: str, default: Any = None) -> Any:
        value = self.value
        return value.get(key, default) if isinstance(value, dict) else default

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value

    @property
    def is_ref(self) -> bool:
        return self.has("$ref")

    def target(self) -> Node:
        """Where this node's ``$ref`` points (one step, across files)."""
        ref = self.value["$ref"]
        file_part, _, pointer = ref.partition("#")
        file = (self.file.parent / file_part).resolve() if file_part else self.file
        assert file.exists(), f"{self}: $ref to a missing file: {ref}"
        node = Node(file, pointer)
        try:
            _ = node.value
        except (KeyError, IndexError, ValueError):
            raise AssertionError(f"{self}: unresolvable $ref {ref}") from None
        return node

    def resolve(self) -> Node:
        """Follow ``$ref``s (within and across files) to the value they name."""
        node = self
        for _ in range(64):
            if not node.is_ref:
                return node
            node = node.target()
        raise AssertionError(f"$ref loop at {self}")

    def __str__(self) -> str:
        return f"{self.file.name}#{self.pointer}"
