"""Other generators' extensions: descriptions prepared for Fern (``x-fern-*``) or Speakeasy
(``x-speakeasy-*``) give the SDK their authors meant (see docs/spec-format.md, *Fern and
Speakeasy extensions*). Our own ``x-sdk-*`` wins wherever both are present: the callers ask
:mod:`generator.normalise.extensions` first.

Read here: method and group names, ignored operations, streaming. Pagination is read by
:mod:`generator.normalise.pagination`, type names by :mod:`generator.normalise.schemas`,
server names by the environments' reader. Any other ``x-fern-*`` / ``x-speakeasy-*`` key (or
one of these where it means nothing to us) gets one warning per key and source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from generator import naming
from generator.errors import warn
from generator.normalise.nodes import Node

OPERATION_KEYS = frozenset(
    {
        "x-fern-sdk-group-name",
        "x-fern-sdk-method-name",
        "x-fern-ignore",
        "x-fern-pagination",
        "x-fern-streaming",
        "x-speakeasy-group",
        "x-speakeasy-name-override",
        "x-speakeasy-ignore",
        "x-speakeasy-pagination",
        "x-speakeasy-retries",
    }
)
"""What an operation may carry."""
ROOT_KEYS = frozenset({"x-fern-pagination", "x-speakeasy-retries"})
"""What the document's root may carry (the pagination ``x-fern-pagination: true`` refers to; retries for all)."""
SCHEMA_KEYS = frozenset({"x-fern-type-name"})
SERVER_KEYS = frozenset({"x-fern-server-name"})
_PREFIXES = ("x-fern-", "x-speakeasy-")
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def method_name(node: Node) -> str | None:
    """The method name ``x-fern-sdk-method-name`` or ``x-speakeasy-name-override`` gives, snake_cased."""
    for key in ("x-fern-sdk-method-name", "x-speakeasy-name-override"):
        value = node.get(key)
        if value is None:
            continue
        name = naming.snake(value) if isinstance(value, str) else ""
        if naming.is_identifier(name):
            return name
        warn(f"{key} {value!r} gives no Python name; using the operationId", node.child(key).location)
    return None


def group(node: Node, module: tuple[str, ...]) -> tuple[str, ...] | None:
    """``module`` + the sub-client path of ``x-fern-sdk-group-name`` (a name or a list of names: nested
    sub-clients) or ``x-speakeasy-group`` (a dotted name), each part snake_cased; ``None`` when neither."""
    for key in ("x-fern-sdk-group-name", "x-speakeasy-group"):
        value = node.get(key)
        if value is None:
            continue
        parts = value.split(".") if isinstance(value, str) else value
        if isinstance(parts, list) and parts and all(isinstance(p, str) and naming.snake(p) for p in parts):
            return (*module, *(naming.snake(part) for part in parts))
        warn(f"{key} must be a name or a list of names; grouping by tag", node.child(key).location)
    return None


def retryable(node: Node, root: Node) -> bool:
    """Whether ``x-speakeasy-retries`` (on the operation, else the document) asks for retries: the SDK
    then retries the operation as it does an idempotent one, whatever its method. Its backoff and
    status codes are not read (the SDK's own apply)."""
    owner = node if node.get("x-speakeasy-retries") is not None else root
    raw = owner.child("x-speakeasy-retries")
    if raw.value is None:
        return False
    strategy = raw.get("strategy")
    if strategy == "backoff":
        return True
    if strategy != "none":
        warn(f"x-speakeasy-retries strategy {strategy!r} is not 'backoff' or 'none'; not retrying", raw.location)
    return False


def ignored(node: Node) -> bool:
    """Whether ``x-fern-ignore`` or ``x-speakeasy-ignore`` leaves the operation out of the SDK."""
    return any(_true(node.get(key)) for key in ("x-fern-ignore", "x-speakeasy-ignore"))


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


@dataclass(frozen=True)
class Streaming:
    """What ``x-fern-streaming`` says about an operation's response."""

    format: Literal["sse", "json", "bytes"]
    condition: str | None = None
    """The request body field that asks for a stream (``stream-condition: $request.stream``): the
    operation gets two methods, ``name`` (field ``false``) and ``name_stream`` (field ``true``)."""
    response: Node | None = None
    """The non-streaming response's schema, when given (``response``)."""
    stream: Node | None = None
    """One event's schema, when given (``response-stream``)."""


def streaming(node: Node) -> Streaming | None:
    raw = node.child("x-fern-streaming")
    if raw.value is None or raw.value is False:
        return None
    if _true(raw.value):
        return Streaming("json")
    if not isinstance(raw.value, dict):
        warn("x-fern-streaming must be true or a mapping; the method does not stream", raw.location)
        return None
    fmt = raw.get("format", "json")
    if fmt not in ("sse", "json", "bytes"):
        warn(f"x-fern-streaming format {fmt!r} is not sse, json or bytes; the method does not stream", raw.location)
        return None
    condition = raw.get("stream-condition")
    field = None
    if condition is not None:
        match = re.fullmatch(r"\$request\.([A-Za-z_][\w-]*)", condition) if isinstance(condition, str) else None
        if match is None:
            warn("x-fern-streaming stream-condition must be $request.<body field>; ignoring it", raw.location)
        else:
            field = match.group(1)
    response = raw.child("response") if raw.get("response") is not None else None
    stream = raw.child("response-stream") if raw.get("response-stream") is not None else None
    return Streaming(fmt, field, response, stream)


def warn_unsupported(root: Node) -> None:
    """One warning per ``x-fern-*`` / ``x-speakeasy-*`` key of the document that sdkgen does not read
    where it is (the first place it is found)."""
    warned: set[str] = set()

    def visit(value: Any, pointer: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            read = _read_at(pointer)
            for key, child in value.items():
                key = str(key)
                if key.startswith(_PREFIXES) and key not in read and key not in warned:
                    warned.add(key)
                    where = _where(key)
                    warn(f"{key} is not read{where}; it changes nothing in the SDK", root.child(*pointer, key).location)
                visit(child, (*pointer, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                visit(child, (*pointer, str(index)))

    visit(root.value, ())


def _read_at(pointer: tuple[str, ...]) -> frozenset[str]:
    """The keys this module and its neighbours read on the object at ``pointer``."""
    if not pointer:
        return ROOT_KEYS
    if len(pointer) == 3 and pointer[0] == "paths" and pointer[2] in _METHODS:
        return OPERATION_KEYS
    if "servers" in pointer[-2:-1]:
        return SERVER_KEYS
    return SCHEMA_KEYS


def _where(key: str) -> str:
    if key in OPERATION_KEYS:
        return " there (sdkgen reads it on operations)"
    if key in SERVER_KEYS:
        return " there (sdkgen reads it on servers)"
    return " by sdkgen"
