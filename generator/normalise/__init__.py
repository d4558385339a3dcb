"""The normalise stage: loaded OpenAPI/AsyncAPI documents -> one :class:`~generator.ir.Api`.

Sources are read in the order ``sdkgen.yaml`` lists them: first the credentials and group
descriptions the settings leave out (:mod:`~generator.normalise.credentials`, :mod:`~generator.normalise.derive`), then every source's
component schemas, then operations and channels. The result is sorted so that the same specs always
give the same IR: types by (module, py_name), endpoints by group then document order,
channels by group. The checks pass (:mod:`generator.normalise.checks`) then makes sure the
renderer can render it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from generator import ir, naming
from generator.errors import Collector, Location, SpecError, warn
from generator.load.extensions import LoadedExtensions
from generator.normalise import checks, credentials, derive, handwritten, request_ids
from generator.normalise.asyncapi import AsyncApiReader
from generator.normalise.bounds import check_name_lengths
from generator.normalise.nodes import Node
from generator.normalise.openapi import OpenApiReader
from generator.normalise.schemas import Types

if TYPE_CHECKING:
    from generator.load import LoadedSource, Registry
    from generator.settings import Settings

__all__ = ["normalise"]

_Item = TypeVar("_Item", ir.Endpoint, ir.Channel)


def normalise(
    settings: Settings, sources: tuple[LoadedSource, ...], extensions: LoadedExtensions = LoadedExtensions()
) -> ir.Api:
    if not sources:
        raise SpecError("no API description to read", Location(settings.origin))
    taken = credentials.credentials(settings, sources)
    groups, groups_derived = derive.groups(settings, sources)
    modules = {source.document.file: source.settings.module for source in sources}
    types = Types(sources[0].registry, modules, settings.package)
    for source in sources:
        types.begin(source.registry, source.settings.module)
        types.reserve(Node(source.document, "", source.document.data))
    collector = Collector()  # the problems of every schema, operation and channel, reported in one run
    for source in sources:
        types.begin(source.registry, source.settings.module)
        try:
            types.components(Node(source.document, "", source.document.data))
        except SpecError as error:
            collector.add(error)
    endpoints: list[ir.Endpoint] = []
    channels: list[ir.Channel] = []
    webhooks: list[ir.Webhook] = []
    for source in sources:
        types.begin(source.registry, source.settings.module)
        try:
            if source.kind == "openapi":
                reader = OpenApiReader(types, source, settings, taken.schemes, taken.default_security)
                endpoints.extend(reader.endpoints())
                webhooks.extend(reader.webhooks())
            else:
                rest = any(other.kind == "openapi" for other in sources)
                channels.extend(AsyncApiReader(types, source, settings, taken.schemes, rest).channels())
        except SpecError as error:
            collector.add(error)
    collector.done()
    registry = sources[0].registry
    _check_unique(registry, endpoints, "endpoint")
    _check_unique(registry, channels, "channel")
    api = ir.Api(
        package=settings.package,
        version=settings.version,
        title=settings.title,
        client=settings.client,
        async_client=settings.async_client,
        environment_class=settings.environment_class,
        url_keys=settings.url_keys,
        environments=_environments(settings),
        default_environment=settings.default_environment,
        groups=_groups(settings, groups, groups_derived, [e.group for e in endpoints] + [c.group for c in channels]),
        types=types.typedefs(),
        endpoints=tuple(sorted(endpoints, key=lambda endpoint: endpoint.group)),
        channels=tuple(sorted(channels, key=lambda channel: channel.group)),
        security_schemes=taken.schemes,
        webhooks=_webhooks(webhooks, [e.group for e in endpoints] + [c.group for c in channels]),
        request_id_headers=request_ids.request_id_headers(settings, sources),
    )
    check_name_lengths(api, lambda source: registry.document(source.file).location(source.pointer))
    checks.check(api, lambda source: registry.document(source.file).location(source.pointer))
    if extensions.files or extensions.manifest is not None:
        api = dataclasses.replace(api, extensions=handwritten.extensions(extensions, api))
    return api


def _webhooks(found: list[ir.Webhook], groups: list[tuple[str, ...]]) -> tuple[ir.Webhook, ...]:
    """The webhooks by group, their function names made distinct (``parse`` is the union's), in
    a module ``webhooks``, or ``webhook_payloads`` beside a sub-client called ``webhooks``."""
    by_group: dict[tuple[str, ...], list[ir.Webhook]] = {}
    for webhook in found:
        by_group.setdefault(webhook.group, []).append(webhook)
    result = []
    for group, members in sorted(by_group.items()):
        names = naming.dedupe([webhook.py_name for webhook in members], [naming.WEBHOOK_PARSE_ANY])
        beside = any(g[: len(group) + 1] == (*group, "webhooks") for g in groups)
        module_name = "webhook_payloads" if beside else "webhooks"
        result += [
            dataclasses.replace(webhook, py_name=name, module_name=module_name) for webhook, name in zip(members, names)
        ]
    return tuple(result)


def _check_unique(registry: Registry, items: Iterable[_Item], what: str) -> None:
    """Two endpoints (or channels) with one id would be one method: a SpecError."""
    seen: dict[str, _Item] = {}
    for item in items:
        other = seen.setdefault(item.id, item)
        if other is not item:
            raise SpecError(
                f"{what} {item.id!r} is defined twice (also at {other.source.file}#{other.source.pointer}); "
                "set x-sdk-method or x-sdk-group on one of them",
                registry.document(item.source.file).location(item.source.pointer),
            )


def _environments(settings: Settings) -> tuple[ir.Environment, ...]:
    names = naming.dedupe(naming.upper_snake(name) for name, _ in settings.environments)
    return tuple(ir.Environment(name, py_name, urls) for (name, urls), py_name in zip(settings.environments, names))


def _groups(
    settings: Settings, described: tuple[tuple[str, str], ...], derived: bool, used: list[tuple[str, ...]]
) -> tuple[ir.Group, ...]:
    """The root and every group an endpoint or channel is in, with all its ancestors, described by the
    settings' ``groups`` or the documents' tags (``derived``)."""
    paths = {()} | {group[:depth] for group in used for depth in range(1, len(group) + 1)}
    descriptions = dict(described)
    for dotted in list(descriptions):
        if tuple(dotted.split(".")) not in paths:
            if derived:  # a tag no operation uses
                del descriptions[dotted]
            else:
                warn(f"group {dotted!r} has no endpoint or channel", Location(settings.origin, "/groups"))
    classes = {path: naming.client_classes(path, settings.client, settings.async_client) for path in paths}
    return tuple(ir.Group(path, *classes[path], descriptions.get(".".join(path))) for path in sorted(paths))
