"""The registry of loaded documents and ``$ref`` resolution across them.

Resolution is one step: :meth:`Registry.resolve` returns the node a ``$ref`` points at
as it is, even when that node is itself a ``$ref``; callers follow further refs
lazily, so cyclic refs need no special care.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.errors import Collector, Location, SpecError, warn
from generator.limits import MAX_REF_CHAIN
from generator.load.anchors import canonicalise, find_anchor, find_id
from generator.load.confine import confined
from generator.load.documents import Document, parse
from generator.load.lines import join_pointer, split_pointer
from generator.load.swagger import convert, is_swagger

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class Registry:
    """Every document loaded so far, by path relative to the specs folder (posix)."""

    def __init__(
        self, root: Path, prepare: Callable[[Document], None] | None = None, bound: Path | None = None
    ) -> None:
        """``prepare`` runs once on each document right after it is read (overlays); every file
        read must resolve inside ``bound`` (default: ``root``), see :mod:`generator.load.confine`."""
        self.root = root
        self.bound = bound if bound is not None else root.resolve()
        self._prepare = prepare
        self._documents: dict[str, Document] = {}
        self._warned: set[str] = set()

    def _warn_once(self, message: str, where: Location) -> None:
        """Warn about an unescaped '/' once per referring file."""
        if where.file not in self._warned:
            self._warned.add(where.file)
            warn(message, where)

    def document(self, file: str, referrer: Location | None = None) -> Document:
        """The document at ``file`` (relative to the specs folder), read on first use."""
        file = posixpath.normpath(file)
        cached = self._documents.get(file)
        if cached is not None:
            return cached
        where = referrer or Location(file)
        if file.startswith("../") or file == ".." or posixpath.isabs(file):
            raise SpecError(f"{file!r} is outside the specs folder", where)
        if not file.endswith(SPEC_SUFFIXES):
            raise SpecError(f"{file!r} is not a .yaml, .yml or .json file", where)
        path = confined(self.bound, self.root / file, file, where)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError(f"file {file!r} does not exist", where) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read {file!r}: {exc}", where) from None
        document = parse(file, text)
        if self._prepare is not None:
            self._prepare(document)
        if is_swagger(document.data):
            convert(document)
        canonicalise(document)
        self._documents[file] = document
        return document

    def documents(self) -> tuple[Document, ...]:
        """The documents loaded so far, in the order they were first read."""
        return tuple(self._documents.values())

    def resolve(self, ref: str, base: Document, at: str = "") -> tuple[Document, str, Any]:
        """Resolve ``ref`` found in ``base`` (at pointer ``at``, for error messages).

        Returns the target document, the canonical JSON pointer of the target in it and
        the target node, as is. A pointer that passes through a ``$ref`` on its way
        (``other.yaml#/A/properties/b`` where ``A`` is a ref) continues in the ref's target.
        """
        where = base.location(at)
        if not isinstance(ref, str):
            raise SpecError("$ref must be a string", where)
        path, _, fragment = ref.partition("#")
        prefix: list[str] = []
        document = base
        if ":" in path.split("/", 1)[0]:
            found = find_id(self.documents(), path)
            if found is None:
                raise SpecError(
                    f"$ref {ref!r}: only relative file references and the $id of a loaded schema are supported", where
                )
            document, pointer = found
            prefix = split_pointer(pointer)
        elif path:
            document = self.document(posixpath.join(posixpath.dirname(base.file), unquote(path)), where)
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            anchor = find_anchor(document, fragment)
            if anchor is None:
                raise SpecError(f"$ref {ref!r}: {document.file} has no $anchor {fragment!r}", where)
            fragment = anchor
        return self._walk(document, prefix + split_pointer(fragment), ref, where, set())

    def _walk(
        self, document: Document, tokens: list[str], ref: str, where: Location, seen: set[tuple[str, str]]
    ) -> tuple[Document, str, Any]:
        node = document.data
        for depth, token in enumerate(tokens):
            if isinstance(node, dict) and token not in node and isinstance(node.get("$ref"), str):
                here = join_pointer(tokens[:depth])
                if (document.file, here) in seen:
                    raise SpecError(f"$ref {ref!r}: the pointer runs into a cycle of $refs", where)
                seen.add((document.file, here))
                document, pointer, node = self.resolve(node["$ref"], document, here)
                return self._walk(document, split_pointer(pointer) + tokens[depth:], ref, where, seen)
            if isinstance(node, dict) and token not in node:
                joined = _unescaped_slash(node, tokens, depth)
                if joined is not None:
                    self._warn_once(
                        f"$ref {ref!r} does not escape the '/' in the key {joined!r} as '~1'; read as that key "
                        "(said once per file for all such $refs)",
                        where,
                    )
                    tokens = [*tokens[:depth], joined, *tokens[depth + joined.count("/") + 1 :]]
                    return self._walk(document, tokens, ref, where, seen)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and _is_index(token) and int(token) < len(node):
                node = node[int(token)]
            else:
                missing = join_pointer(tokens[: depth + 1])
                raise SpecError(f"$ref {ref!r}: {document.file} has nothing at {missing}", where)
        return document, join_pointer(tokens), node


def check_refs(registry: Registry) -> None:
    """Resolve every ``$ref`` in every loaded document, and in the documents that loads; every
    one that does not resolve, lands on a value that is not an object (a string, a list...) or
    starts a chain of more than :data:`MAX_REF_CHAIN` ``$ref``s is reported (together, up to the
    cap of :class:`Collector`)."""
    checked: set[str] = set()
    collector = Collector()
    hops: dict[tuple[str, str], tuple[str, str] | None] = {}
    while len(checked) < len(registry.documents()):
        for document in registry.documents():
            if document.file not in checked:
                checked.add(document.file)
                _check_node(registry, document, document.data, [], collector, hops)
    _check_chains(registry, hops, collector)
    collector.done()


_KINDS = {str: "a string", int: "a number", float: "a number", list: "a list", type(None): "null"}


def _check_chains(
    registry: Registry, hops: dict[tuple[str, str], tuple[str, str] | None], collector: Collector
) -> None:
    """Report the ``$ref`` at which a chain of ``$ref``s (a ref to a ref to...) gets longer than
    :data:`MAX_REF_CHAIN`: once per chain, where the limit is passed. Linear: each ref's chain
    length is worked out once, without recursion."""
    lengths: dict[tuple[str, str], int] = {}
    for start in hops:
        walk: list[tuple[str, str]] = []
        key: tuple[str, str] | None = start
        on_walk: set[tuple[str, str]] = set()
        while key is not None and key in hops and key not in lengths and key not in on_walk:
            walk.append(key)
            on_walk.add(key)
            key = hops[key]
        # a cycle of refs is reported where it is followed; here it ends the chain
        length = lengths.get(key, 0) if key is not None and key not in on_walk else 0
        for step in reversed(walk):
            length += 1
            lengths[step] = length
            if length == MAX_REF_CHAIN + 1:
                file, pointer = step
                collector.add(
                    SpecError(
                        f"this $ref starts a chain of more than {MAX_REF_CHAIN:,} $refs (a $ref to a $ref to...)",
                        registry.document(file).location(pointer),
                    )
                )


_LITERAL_KEYS = frozenset({"example", "default", "const", "enum"})
"""Keys whose values are literal data, where a ``$ref`` key is not a reference (as are
list-valued ``examples`` and the ``value`` of an Example Object), except as property names in
``properties``."""
_DOC_KEYS = frozenset({"description", "summary", "title"})
"""Documentation: a ``$ref`` object there (to a Markdown file, say) is not followed."""


def _check_node(
    registry: Registry,
    document: Document,
    node: Any,
    path: list[str],
    collector: Collector,
    hops: dict[tuple[str, str], tuple[str, str] | None],
) -> None:
    """Resolve every ``$ref`` under ``node`` (loading the files they name); ``hops`` gets where
    each leads when that is another ``$ref`` (``None`` when not)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            here = join_pointer(path)
            try:
                target_document, pointer, target = registry.resolve(ref, document, here)
                if not isinstance(target, (dict, bool)):
                    raise SpecError(
                        f"$ref {ref!r} lands on {_KINDS.get(type(target), 'a value')} in {target_document.file} "
                        "(at " + (pointer or "the root") + "), not on an object",
                        document.location(here),
                    )
                leads_on = isinstance(target, dict) and isinstance(target.get("$ref"), str)
                hops[(document.file, here)] = (target_document.file, pointer) if leads_on else None
            except SpecError as error:
                _repair(node, path, error, collector)
        in_properties = bool(path) and path[-1] == "properties"
        for key, value in node.items():
            if not in_properties and (key in _DOC_KEYS or (isinstance(key, str) and key.startswith("x-"))):
                continue  # not read as OpenAPI: a $ref in an extension or a description (to Markdown, say) is not followed
            literal = (
                key in _LITERAL_KEYS
                or (key == "examples" and isinstance(value, list))
                or (key == "value" and path[-2:-1] == ["examples"])  # an Example Object's value: data
            )
            if isinstance(value, (dict, list)) and (in_properties or not literal):
                _check_node(registry, document, value, [*path, key], collector, hops)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, (dict, list)):
                _check_node(registry, document, item, [*path, str(index)], collector, hops)


_SCHEMA_KEYS = frozenset(
    {
        "schema",
        "schemas",
        "payload",
        "properties",
        "items",
        "prefixItems",
        "additionalProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "definitions",
        "$defs",
        "patternProperties",
    }
)
"""Keys below which a ``$ref`` names a schema."""


def _repair(node: dict[str, Any], path: list[str], error: SpecError, collector: Collector) -> None:
    """A ``$ref`` that names nothing in a loaded document: one in a schema is left out (the value is
    typed as any value), one that is an operation's parameter or response is left to the reader,
    which leaves that parameter or response out; both with a warning. Anything else (a file that is
    not there, say) is an error."""
    if not (error.message and " has nothing at " in error.message):
        collector.add(error)
    elif any(token in _SCHEMA_KEYS for token in path):
        del node["$ref"]
        warn(f"{error.message}; left out: the value is typed as any value", error.location)
    elif len(path) >= 2 and path[-2] in ("parameters", "responses") and "paths" in path[:1] + path[:2]:
        pass  # the reader warns and leaves the parameter or response out
    else:
        collector.add(error)


def _unescaped_slash(node: dict[str, Any], tokens: list[str], depth: int) -> str | None:
    """The key of ``node`` spelled by ``tokens[depth:]`` joined with '/' (the shortest), if any.

    Some documents write ``#/components/messages/a/b`` for the key ``a/b``: a pointer that
    strict RFC 6901 reading cannot resolve, but that has one reading here.
    """
    for end in range(depth + 2, len(tokens) + 1):
        joined = "/".join(tokens[depth:end])
        if joined in node:
            return joined
    return None


def _is_index(token: str) -> bool:
    return token.isdigit() and (token == "0" or not token.startswith("0"))
