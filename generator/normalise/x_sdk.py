"""Reading the ``x-sdk-*`` extensions that name things (see docs/spec-format.md)."""

from __future__ import annotations

from generator import naming
from generator.normalise.nodes import Node


def identifier(node: Node, key: str) -> str | None:
    """The value of extension ``key`` on ``node``, which must be a Python identifier when given."""
    value = node.get(key)
    if value is not None and not (isinstance(value, str) and naming.is_identifier(value)):
        raise node.fail(f"{key} {value!r} is not a Python identifier", key)
    return value


def module(node: Node) -> tuple[str, ...] | None:
    """The absolute module path of ``x-sdk-module`` on ``node`` (a dotted string), when given."""
    value = node.get("x-sdk-module")
    if value is None:
        return None
    parts = value.split(".") if isinstance(value, str) else []
    if not parts or not all(naming.is_identifier(part) for part in parts):
        raise node.fail(
            f"x-sdk-module {value!r} is not a dotted Python module path (such as 'shop.orders')", "x-sdk-module"
        )
    return tuple(parts)


def group(node: Node, module: tuple[str, ...]) -> tuple[str, ...] | None:
    """``module`` + the ``x-sdk-group`` path of ``node`` (a list or a dotted string), when given."""
    value = node.get("x-sdk-group")
    if value is None:
        return None
    parts = value.split(".") if isinstance(value, str) and value else value
    if not isinstance(parts, list) or not all(isinstance(part, str) and part for part in parts):
        raise node.fail("x-sdk-group must be a list of names", "x-sdk-group")
    return (*module, *(naming.snake(part) for part in parts))


def type_name(node: Node) -> str | None:
    """The class name ``x-sdk-name`` gives a schema, else Fern's ``x-fern-type-name`` (when an identifier)."""
    custom = identifier(node, "x-sdk-name")
    if custom is not None:
        return custom
    fern = node.get("x-fern-type-name")
    if isinstance(fern, str) and naming.is_identifier(naming.class_name(fern)):
        return naming.class_name(fern)
    return None
