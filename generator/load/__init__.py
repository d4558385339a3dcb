"""The loader stage: read the sources named in the settings, apply overlays, validate.

:func:`load_sources` returns one :class:`LoadedSource` per source, in settings order,
all sharing one :class:`Registry`. Every ``$ref`` in the loaded documents is checked
to resolve, so later stages can resolve refs lazily without surprises.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Literal

from generator.errors import Location, SpecError
from generator.load.documents import Document, join_pointer
from generator.load.overlay import apply_overlay, read_overlay
from generator.load.refs import Registry
from generator.load.validation import detect, validate
from generator.settings import SETTINGS_FILE, Settings, SourceSettings

__all__ = ["Document", "LoadedSource", "Registry", "load_sources"]


@dataclass(frozen=True)
class LoadedSource:
    settings: SourceSettings
    kind: Literal["openapi", "asyncapi"]
    version: str
    document: Document
    """The root document, overlays applied."""
    registry: Registry
    """Every document loaded so far, shared by all sources."""


def load_sources(settings: Settings) -> tuple[LoadedSource, ...]:
    """Load, overlay and validate every source of ``settings``, in order."""
    overlays = _overlays_by_file(settings)

    def prepare(document: Document) -> None:
        for file in overlays.get(document.file, ()):
            apply_overlay(read_overlay(settings.root, file), document)

    registry = Registry(settings.root, prepare)
    loaded = []
    for source in settings.sources:
        document = registry.document(source.file)
        kind, version = detect(document)
        validate(kind, version, document)
        loaded.append(LoadedSource(source, kind, version, document, registry))
    checked: set[str] = set()
    while len(checked) < len(registry.documents()):
        for document in registry.documents():
            if document.file not in checked:
                checked.add(document.file)
                _check_refs(registry, document, document.data, [])
    return tuple(loaded)


def _overlays_by_file(settings: Settings) -> dict[str, tuple[str, ...]]:
    overlays: dict[str, tuple[str, ...]] = {}
    for index, source in enumerate(settings.sources):
        file = posixpath.normpath(source.file)
        if overlays.setdefault(file, source.overlays) != source.overlays:
            raise SpecError(
                f"{source.file!r} is listed twice with different overlays",
                Location(str(settings.root / SETTINGS_FILE), f"/sources/{index}/overlays"),
            )
    return overlays


_LITERAL_KEYS = frozenset({"example", "default", "const", "enum"})
"""Keys whose values are literal data, where a ``$ref`` key is not a reference (as are
list-valued ``examples``), except as property names in ``properties``."""


def _check_refs(registry: Registry, document: Document, node: Any, path: list[str]) -> None:
    """Resolve every ``$ref`` under ``node`` (loading the files they name)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            registry.resolve(ref, document, join_pointer(path))
        in_properties = bool(path) and path[-1] == "properties"
        for key, value in node.items():
            literal = key in _LITERAL_KEYS or (key == "examples" and isinstance(value, list))
            if isinstance(value, (dict, list)) and (in_properties or not literal):
                _check_refs(registry, document, value, [*path, key])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, (dict, list)):
                _check_refs(registry, document, item, [*path, str(index)])
