"""The loader stage: read the sources named in the settings, apply overlays, validate.

:func:`load_sources` returns one :class:`LoadedSource` per source, in settings order,
all sharing one :class:`Registry`. Every ``$ref`` in the loaded documents is checked
to resolve, so later stages can resolve refs lazily without surprises.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Literal

from generator.errors import Collector, Location, SpecError
from generator.load.confine import bound_of
from generator.load.documents import Document
from generator.load.headers import warn_header_names
from generator.load.overlay import apply_overlay, read_overlay
from generator.load.refs import Registry, check_refs
from generator.load.validation import detect, validate
from generator.settings import Draft, Settings, SourceSettings

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


def load_sources(settings: Settings | Draft) -> tuple[LoadedSource, ...]:
    """Load, overlay and validate every source of ``settings``, in order."""
    overlays = _overlays_by_file(settings)

    def prepare(document: Document) -> None:
        for file in overlays.get(document.file, ()):
            apply_overlay(read_overlay(settings.root, file, registry.bound), document)

    files = tuple(source.file for source in settings.sources)
    registry = Registry(settings.root, prepare, bound_of(settings.root, files, getattr(settings, "has_file", True)))
    loaded = []
    collector = Collector()
    for source in settings.sources:
        document = registry.document(source.file)
        kind, version = detect(document)
        try:
            validate(kind, version, document)
        except SpecError as error:  # the problems of every source are reported in one run
            collector.add(error)
        loaded.append(LoadedSource(source, kind, version, document, registry))
    collector.done()
    check_refs(registry)
    warn_header_names(registry.documents())
    return tuple(loaded)


def _overlays_by_file(settings: Settings | Draft) -> dict[str, tuple[str, ...]]:
    overlays: dict[str, tuple[str, ...]] = {}
    for index, source in enumerate(settings.sources):
        file = posixpath.normpath(source.file)
        if overlays.setdefault(file, source.overlays) != source.overlays:
            raise SpecError(
                f"{source.file!r} is listed twice with different overlays",
                Location(settings.origin, f"/sources/{index}/overlays"),
            )
    return overlays
