"""The checks pass: what the renderer relies on, checked over the whole IR.

Render cannot fail on an IR that passes here: every rule it relies on that the specs can
break is checked once the IR is complete, and each broken one is a SpecError located at
the operation, channel or schema to fix (all reported together). Some rules also hold by construction
(the readers number repeated parameter names, for one); they are checked all the same, so
the rules render relies on are all stated in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from typing_extensions import assert_never

from generator import ir, naming
from generator.errors import Collector, Location, SpecError
from generator.normalise.bounds import check_templates

Locate = Callable[[ir.Source], Location]
"""Where a definition is: its file, JSON pointer and line."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check(api: ir.Api, locate: Locate) -> None:
    """Raise located SpecErrors for the rules ``api`` breaks: the first of each client, endpoint,
    channel, and of the types, all together (up to the cap of :class:`Collector`)."""
    collector = Collector()

    def run(rule: Callable[..., None], *args: object) -> None:
        try:
            rule(*args)
        except SpecError as error:
            collector.add(error)

    for group in api.groups:
        run(_check_members, api, group.path, locate)
    errors: dict[str, tuple[str, int]] = {}
    for endpoint in api.endpoints:
        run(_check_endpoint, api, endpoint, errors, locate)
    owners: dict[tuple[str, ...], ir.Channel] = {}
    for channel in api.channels:
        run(_check_channel, channel, owners, locate)
    run(_check_alias_cycles, api, locate)
    run(check_templates, api, locate)
    collector.done()


def _check_endpoint(api: ir.Api, endpoint: ir.Endpoint, errors: dict[str, tuple[str, int]], locate: Locate) -> None:
    _check_parameters(endpoint, locate)
    _check_path(endpoint, locate)
    _check_pagination(endpoint, locate)
    _check_errors(api, endpoint, errors, locate)


def _check_channel(channel: ir.Channel, owners: dict[tuple[str, ...], ir.Channel], locate: Locate) -> None:
    where = locate(channel.source)
    other = owners.setdefault(channel.group, channel)
    if other is not channel:
        raise SpecError(
            f"channels {other.id} and {channel.id} share the sub-client {'.'.join(channel.group)!r}; "
            "give each its own (x-sdk-group)",
            where,
        )
    _check_connect(channel, where)
    _check_sends(channel, where)
    _check_received(channel, where)


# ---- clients -------------------------------------------------------------------------


def _check_members(api: ir.Api, path: tuple[str, ...], locate: Locate) -> None:
    """A client's sub-clients and methods: no name the SDK uses, none twice."""
    where = f"client {'.'.join(path)!r}" if path else "the root client"
    reserved = naming.client_members(path)
    if any(channel.group == path for channel in api.channels):
        reserved |= {naming.CONNECT}
    children = api.children(path)
    for child in children:
        if child in naming.RESERVED_PACKAGE_NAMES or child in reserved or child.startswith("_"):
            raise SpecError(
                f"{where}: a sub-client may not be called {child!r} (the SDK uses that name); "
                "set x-sdk-group (or rename the module)",
                locate(_first_source(api, (*path, child))),
            )
    for endpoint in api.endpoints_of(path):
        if endpoint.py_name in reserved or endpoint.py_name.startswith("_"):
            raise SpecError(
                f"{where}: a method may not be called {endpoint.py_name!r} (the SDK uses that name); set x-sdk-method",
                locate(endpoint.source),
            )
        if endpoint.py_name in children:
            raise SpecError(
                f"{where} has a method and a sub-client both named {endpoint.py_name!r}; "
                "set x-sdk-method or x-sdk-group",
                locate(endpoint.source),
            )


def _first_source(api: ir.Api, path: tuple[str, ...]) -> ir.Source:
    """The first endpoint or channel in the sub-client ``path`` or below it: what put it there."""
    inside = [e.source for e in api.endpoints if e.group[: len(path)] == path]
    inside += [c.source for c in api.channels if c.group[: len(path)] == path]
    return inside[0]


# ---- endpoints -----------------------------------------------------------------------


def _check_parameters(endpoint: ir.Endpoint, locate: Locate) -> None:
    """A method's arguments: distinct, and none named like what every method has."""
    body = endpoint.body
    names = [
        p.py_name
        for p in (*endpoint.path_params, *endpoint.query_params, *endpoint.header_params, *endpoint.cookie_params)
    ]
    if body is not None:
        names += [f.py_name for f in body.fields] if body.fields else ["request"]
    seen: set[str] = set()
    for name in names:
        if name in naming.CLIENT_MEMBERS or name in naming.RESERVED_ARGUMENTS:
            raise SpecError(
                f"method {endpoint.id!r}: a parameter may not be called {name!r} (the SDK uses that name)",
                locate(endpoint.source),
            )
        if name in seen:
            raise SpecError(f"method {endpoint.id!r} has two parameters named {name!r}", locate(endpoint.source))
        seen.add(name)


def _check_path(endpoint: ir.Endpoint, locate: Locate) -> None:
    """The path template and the declared path parameters name the same parameters (braces that
    enclose no name are :func:`~generator.normalise.bounds.check_templates`' to report)."""
    path = endpoint.path
    used = _PLACEHOLDER.findall(path)
    declared = [p.name for p in endpoint.path_params]
    for name in used:
        if name not in declared:
            raise SpecError(
                f"path {path!r} has {{{name}}}, but the operation declares no path parameter {name!r}",
                locate(endpoint.source),
            )
    for name in declared:
        if name not in used:
            raise SpecError(f"path parameter {name!r} does not appear in the path {path!r}", locate(endpoint.source))


def _check_pagination(endpoint: ir.Endpoint, locate: Locate) -> None:
    """The parameters that page are query parameters of the endpoint."""
    match endpoint.pagination:
        case None | ir.NextUrlPagination() | ir.LinkHeaderPagination():
            names: tuple[str | None, ...] = ()
        case ir.PageNumberPagination(param=param, limit=limit) | ir.OffsetPagination(param=param, limit=limit):
            names = (param, limit)
        case ir.CursorPagination(param=param):
            names = (param,)
        case other:
            assert_never(other)
    for name in names:
        if name is not None and not any(name == p.name for p in endpoint.query_params):
            raise SpecError(f"pagination parameter {name!r} is not a query parameter", locate(endpoint.source))


def _check_errors(api: ir.Api, endpoint: ir.Endpoint, found: dict[str, tuple[str, int]], locate: Locate) -> None:
    """One exception class per module: a class name stands for one status in its errors package."""
    for error in endpoint.errors:
        module = naming.error_module(api.package, endpoint.group, error.class_name)
        if found.setdefault(module, (error.class_name, error.status)) != (error.class_name, error.status):
            raise SpecError(
                f"error class {error.class_name} stands for two statuses in {module}", locate(endpoint.source)
            )


# ---- channels ------------------------------------------------------------------------


def _check_connect(channel: ir.Channel, where: Location) -> None:
    """``connect()`` takes the channel's parameters besides its own arguments."""
    seen: set[str] = set()
    own = naming.CONNECT_ARGUMENTS + ((naming.CONNECT_URL,) if channel.environment is None else ())
    for param in (*channel.path_params, *channel.query_params, *channel.header_params):
        if param.py_name in own:
            raise SpecError(f"parameter {param.name!r} would clash with connect()'s own {param.py_name!r}", where)
        if param.py_name in seen:
            raise SpecError(f"connect() would have two parameters named {param.py_name!r}", where)
        seen.add(param.py_name)


def _check_sends(channel: ir.Channel, where: Location) -> None:
    """A send method per sent message; ``send_publish`` only when it is the one message sent."""
    received = {m.name: m for m in channel.subscribe}
    for message in channel.publish:
        if message.replies and (message.request_method is None or message.correlation is None):
            raise SpecError(f"message {message.name!r} has replies but no request method or correlation id", where)
        for name in message.replies:
            if name not in received or received[name].correlation is None:
                raise SpecError(
                    f"reply {name!r} of {message.name!r} is no received message with a correlation id", where
                )
        if message.send_method is None:
            raise SpecError(f"message {message.name!r} is sent by the client but has no send method name", where)
        if message.send_method == naming.GENERIC_SEND and len(channel.publish) > 1:
            raise SpecError(
                f"only a channel with one message to send may name its send method {naming.GENERIC_SEND!r}", where
            )


def _check_received(channel: ir.Channel, where: Location) -> None:
    """Each tagged received message has its own tag (the decoder looks messages up by it)."""
    tags: dict[str, str] = {}
    for message in _decoded(channel):
        if message.tag is None or channel.discriminator is None:
            continue
        if message.tag in tags:
            first = tags[message.tag]
            raise SpecError(f"messages {first!r} and {message.name!r} have the same tag {message.tag!r}", where)
        tags[message.tag] = message.name


def _decoded(channel: ir.Channel) -> Iterator[ir.Message]:
    """The messages the client receives and decodes into a model: all but binary frames."""
    return (m for m in channel.subscribe if not _is_binary(m))


def _is_binary(message: ir.Message) -> bool:
    return isinstance(message.type, ir.Primitive) and message.type.name == "binary"


# ---- types ---------------------------------------------------------------------------


def _check_alias_cycles(api: ir.Api, locate: Locate) -> None:
    """A cycle of aliases (or unions) with no list, map or object on the way has no finite value.

    Other cycles render (recursive aliases are named ``TypeAliasType``s): ``Json =
    Union[dict[str, Json], list[Json]]`` is fine, ``A = Union[B, int]`` with ``B = A`` is not.
    """
    aliases = {t.id: t for t in api.types if not isinstance(t, ir.ObjectType)}
    graph = {type_id: _unguarded(typedef) & aliases.keys() for type_id, typedef in aliases.items()}
    for start in sorted(graph):
        stack, seen = [start], set()
        while stack:
            current = stack.pop()
            for successor in sorted(graph[current]):
                if successor == start:
                    typedef = aliases[start]
                    other = aliases[current]
                    raise SpecError(
                        f"types {typedef.name} and {other.name} are aliases of each other "
                        "(a cycle without a list, map or object on the way)",
                        locate(typedef.source),
                    )
                if successor not in seen:
                    seen.add(successor)
                    stack.append(successor)


def _unguarded(typedef: ir.TypeDef) -> set[str]:
    """Types ``typedef`` stands for directly: not inside a list, a map or an object's field."""

    def direct(ref: ir.TypeRef | None) -> set[str]:
        if isinstance(ref, ir.Named):
            return {ref.id}
        if isinstance(ref, ir.Nullable):
            return direct(ref.inner)
        if isinstance(ref, ir.UnionOf):
            return set().union(*(direct(member) for member in ref.members))
        return set()

    if isinstance(typedef, ir.AliasType):
        return direct(typedef.target)
    if isinstance(typedef, ir.UnionType):
        return set().union(*(direct(member) for member in typedef.members))
    return set()
