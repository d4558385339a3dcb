"""JSON Schema 2019-09/2020-12 references, turned into plain JSON-pointer ``$ref``s.

OpenAPI 3.1 schemas may name themselves (``$id``), name places inside (``$anchor``,
``$dynamicAnchor``, 2019-09's ``$recursiveAnchor``) and refer to them (``$ref: "#node"``,
``$ref: "tree.json"`` against an ``$id`` base, ``$dynamicRef: "#meta"``, ``$recursiveRef:
"#"``). :func:`canonicalise` runs on each document as it is read and rewrites every such
reference that lands inside the same document into ``$ref: "#/json/pointer"``, so the rest
of the generator only ever follows pointers. Dynamic references are resolved statically,
to the anchor of their own resource: the answer JSON Schema gives when no other resource
is in the dynamic scope, which is the case for a description's schemas (they are not
extended by other schemas at validation time). A ``$recursiveRef: "#"`` (or ``$dynamicRef:
"#"``) with no ``$id`` around it, which would name the whole description, names the enclosing
schema (the component, or the ``schema`` of a parameter, body or response, it is written in),
with a warning; a dynamic reference that resolves to nothing is left out (any value), with a
warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from generator.errors import SpecError, warn
from generator.load.documents import Document
from generator.load.lines import join_pointer, split_pointer

_BASE = "https://sdkgen.invalid/"
"""The base URI of a document without ``$id``: any absolute URI works to join relative ones."""
_LITERAL_KEYS = frozenset({"example", "examples", "default", "const", "enum"})
_NAMES_KEYS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


@dataclass
class _Index:
    resources: dict[str, str] = field(default_factory=dict)
    """Base URI (no fragment) -> pointer of the schema that has it as ``$id``."""
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)
    dynamic: dict[tuple[str, str], str] = field(default_factory=dict)


def canonicalise(document: Document) -> None:
    """Rewrite the 2019-09/2020-12 references of ``document`` into JSON-pointer ``$ref``s."""
    if not _uses_identifiers(document.data):
        return
    root = _BASE + document.file
    index = _Index(resources={root: ""})
    _collect(document.data, [], root, index, False)
    _rewrite(document, document.data, [], root, index, False)


def _uses_identifiers(data: Any) -> bool:
    """A cheap test first: most documents use none of these keywords."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$id", "$anchor", "$dynamicRef", "$recursiveRef", "$dynamicAnchor"):
                    return True
                if key == "$ref" and isinstance(value, str) and not value.startswith(("#/", "./", "../")):
                    if "#" in value and not value.partition("#")[2].startswith("/") and value.partition("#")[2]:
                        return True
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))
    return False


def _children(node: Any, names: bool) -> list[tuple[str, Any, bool]]:
    """(token, child, whether the child's keys are names) for the containers below ``node``."""
    if isinstance(node, list):
        return [(str(i), item, False) for i, item in enumerate(node) if isinstance(item, (dict, list))]
    if not isinstance(node, dict):
        return []
    result = []
    for key, value in node.items():
        if isinstance(value, (dict, list)) and (names or key not in _LITERAL_KEYS):
            result.append((str(key), value, not names and key in _NAMES_KEYS))
    return result


def _base_of(node: Any, base: str, names: bool) -> str:
    if names or not isinstance(node, dict):
        return base
    own = node.get("$id")
    if isinstance(own, str) and not own.startswith("#"):
        return urldefrag(urljoin(base, own))[0]
    return base


def _collect(node: Any, tokens: list[str], base: str, index: _Index, names: bool) -> None:
    base_here = _base_of(node, base, names)
    if isinstance(node, dict) and not names:
        pointer = join_pointer(tokens)
        if base_here != base:
            index.resources.setdefault(base_here, pointer)
        own = node.get("$id")
        if isinstance(own, str) and own.startswith("#") and len(own) > 1:  # draft 7's plain-name $id
            index.anchors.setdefault((base_here, own[1:]), pointer)
        for key in ("$anchor", "$dynamicAnchor"):
            if isinstance(node.get(key), str):
                index.anchors.setdefault((base_here, node[key]), pointer)
        if isinstance(node.get("$dynamicAnchor"), str):
            index.dynamic.setdefault((base_here, node["$dynamicAnchor"]), pointer)
    for token, child, child_names in _children(node, names):
        _collect(child, [*tokens, token], base_here, index, child_names)


def _rewrite(document: Document, node: Any, tokens: list[str], base: str, index: _Index, names: bool) -> None:
    base_here = _base_of(node, base, names)
    if isinstance(node, dict) and not names:
        at = join_pointer(tokens)
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = _target(ref, base_here, index, document.file)
            if target is not None and not (ref.startswith("#/") and not _exists(document.data, target)):
                # (a "#/..." pointer that is not inside the resource is the document's, as authors mean it)
                node["$ref"] = "#" + target
        elif isinstance(node.get("$dynamicRef"), str):
            found = _dynamic(document, node["$dynamicRef"], base_here, index, at)
            if found is not None:
                node["$ref"] = "#" + found
            else:
                del node["$dynamicRef"]
        elif "$recursiveRef" in node:
            found = _recursive(document, node["$recursiveRef"], base_here, index, at)
            if found is not None:
                node["$ref"] = "#" + found
            else:
                del node["$recursiveRef"]
    for token, child, child_names in _children(node, names):
        _rewrite(document, child, [*tokens, token], base_here, index, child_names)


def _target(ref: str, base: str, index: _Index, file: str) -> str | None:
    """The pointer in this document ``ref`` names, when it names one through an ``$id`` or anchor."""
    own_root = base == _BASE + file
    path, _, fragment = ref.partition("#")
    if own_root and (not path) and (not fragment or fragment.startswith("/")):
        return None  # a plain pointer into this document: nothing to do
    uri, fragment = urldefrag(urljoin(base, ref))
    root = index.resources.get(uri)
    if root is None:
        return None  # another file (or an unknown URI): left to the registry
    if not fragment or fragment.startswith("/"):
        return root + fragment
    return index.anchors.get((uri, fragment))


def _exists(data: Any, pointer: str) -> bool:
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _dynamic(document: Document, ref: str, base: str, index: _Index, at: str) -> str | None:
    uri, fragment = urldefrag(urljoin(base, ref))
    root = index.resources.get(uri)
    if root is not None and (not fragment or fragment.startswith("/")):
        return _own_resource(document, root, at, "$dynamicRef", ref) if not fragment else root + fragment
    found = index.dynamic.get((uri, fragment)) or index.anchors.get((uri, fragment))
    if found is None:
        warn(
            f"$dynamicRef {ref!r}: no $dynamicAnchor or $anchor {fragment!r} in its schema resource "
            "(only references within the same document are supported); left out: the value is typed as any value",
            document.location(at + "/$dynamicRef"),
        )
    return found


def _recursive(document: Document, ref: Any, base: str, index: _Index, at: str) -> str | None:
    root = index.resources.get(base)
    if ref != "#" or root is None:
        raise SpecError(f"$recursiveRef {ref!r}: only '#' is supported", document.location(at + "/$recursiveRef"))
    return _own_resource(document, root, at, "$recursiveRef", ref)


def _own_resource(document: Document, root: str, at: str, keyword: str, ref: str) -> str | None:
    """``root``, the schema resource a ``#`` reference names; when that is the whole description (no
    ``$id`` around the reference), the enclosing schema the author meant, else None: with a warning."""
    data = document.data
    if not (root == "" and isinstance(data, dict) and ("openapi" in data or "asyncapi" in data or "swagger" in data)):
        return root
    enclosing = _enclosing_schema(split_pointer(at))
    where = document.location(f"{at}/{keyword}")
    if enclosing is None:
        warn(
            f"{keyword} {ref!r} has no enclosing schema with an $id (here it would name the whole description); "
            "left out: the value is typed as any value",
            where,
        )
        return None
    pointer = join_pointer(enclosing)
    warn(
        f"{keyword} {ref!r} has no enclosing schema with an $id (here it would name the whole description); "
        f"read as a reference to the enclosing schema {pointer}",
        where,
    )
    return pointer


def _enclosing_schema(tokens: list[str]) -> list[str] | None:
    """The outermost schema the place ``tokens`` is in: a component schema (or a top-level ``$defs``/
    ``definitions`` entry), or the ``schema`` of a parameter, media type or header."""
    for end in range(1, len(tokens)):  # not the reference itself: it would name itself
        head = tokens[:end]
        if end == 3 and head[:2] == ["components", "schemas"]:
            return head
        if end == 2 and head[0] in ("$defs", "definitions"):
            return head
        if head[-1] in ("schema", "payload"):
            return head
    return None


def find_anchor(document: Document, name: str) -> str | None:
    """The pointer of the ``$anchor`` (or ``$dynamicAnchor``) ``name`` of ``document``'s root resource."""
    root = _BASE + document.file
    index = _Index(resources={root: ""})
    _collect(document.data, [], root, index, False)
    return index.anchors.get((root, name))


def find_id(documents: tuple[Document, ...], uri: str) -> tuple[Document, str] | None:
    """The document and pointer of the schema whose ``$id`` is the absolute ``uri``."""
    for document in documents:
        if not _uses_identifiers(document.data):
            continue
        root = _BASE + document.file
        index = _Index(resources={root: ""})
        _collect(document.data, [], root, index, False)
        if uri in index.resources and uri != root:
            return document, index.resources[uri]
    return None
