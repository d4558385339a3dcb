"""Example values from types and the specs' examples: for the docs' examples and the tests.

:func:`example` builds an :class:`Example` tree for a type reference: the smallest value
that the API description accepts (required fields only, the first enum value, the first
union member, one list item), except where the spec gives an example value that fits the
type (a scalar or a list of scalars: see :func:`accepts`); :func:`arguments` gives one per
argument of a method. The same tree is written as Python source for the docs
(:mod:`generator.render.printer`) and turned into real argument values by the contract tests
(``tests/example_values.py``), so what the docs show is what the tests send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing_extensions import assert_never

from generator import ir
from generator.ir import Api, Endpoint, TypeRef
from generator.typerefs import is_binary

__all__ = ["Argument", "Entries", "Example", "FileUpload", "Items", "Obj", "Scalar", "accepts", "arguments", "example"]

MAX_DEPTH = 8
FULL_DEPTH = 3


@dataclass(frozen=True)
class Scalar:
    value: ir.JsonValue


@dataclass(frozen=True)
class Obj:
    """An object; ``type_id`` names its model (``None`` for an anonymous object)."""

    type_id: str | None
    fields: tuple[tuple[str, str, Example], ...]
    """(Python name, wire name, value) of each field set."""


@dataclass(frozen=True)
class Items:
    items: tuple[Example, ...]


@dataclass(frozen=True)
class Entries:
    entries: tuple[tuple[str, Example], ...]


@dataclass(frozen=True)
class FileUpload:
    filename: str


Example = Scalar | Obj | Items | Entries | FileUpload

_STRING_FORMATS = {
    "uuid": "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b",
    "uuid4": "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b",
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "byte": "UklGRiQAAABXQVZF",
}


def example(
    api: Api,
    ref: TypeRef,
    hint: str = "",
    depth: int = 0,
    default: ir.JsonValue = None,
    has_default: bool = False,
    full: bool = False,
    sample: ir.JsonValue = None,
    has_sample: bool = False,
) -> Example:
    """The example value of type ``ref`` (``hint`` is the name it goes by, used for strings).

    ``sample`` is the example value the spec gives (with ``has_sample``): used when it is a
    scalar, or a list of scalars, that the type accepts. With ``full``, objects get their
    optional fields too (down to ``FULL_DEPTH``).
    """
    if has_sample and _is_scalars(sample) and accepts(api, ref, sample):
        return Scalar(sample)
    if has_default and default is not None and not isinstance(default, (dict, list)):
        return Scalar(default)
    match ref:
        case ir.Primitive():
            return _primitive(ref, hint)
        case ir.LiteralOf():
            return Scalar(ref.value)
        case ir.Nullable():
            return example(api, ref.inner, hint, depth, full=full)
        case ir.ListOf():
            item = example(api, ref.item, hint, depth + 1, full=full)
            # Two files, not one: a multipart list of one file cannot be told from a single file.
            return Items((item, FileUpload(item.filename + "2")) if isinstance(item, FileUpload) else (item,))
        case ir.MapOf():
            return Entries((("key", example(api, ref.value, "value", depth + 1, full=full)),))
        case ir.UnionOf():
            return example(api, _first_member(ref.members), hint, depth, full=full)
        case ir.Named():
            return _named(api, ref.id, hint, depth, full)
        case _:
            assert_never(ref)


def _first_member(members: tuple[TypeRef, ...]) -> TypeRef:
    for member in members:
        if not (isinstance(member, ir.LiteralOf) and member.value is None):
            return member
    return members[0]


def _primitive(ref: ir.Primitive, hint: str) -> Example:
    if ref.name == "string":
        return Scalar(_STRING_FORMATS.get(ref.format or "", hint or "string"))
    if ref.name == "integer":
        return Scalar(1)
    if ref.name == "number":
        return Scalar(0.5)
    if ref.name == "boolean":
        return Scalar(True)
    if ref.name == "binary":
        return FileUpload(hint or "file")
    return Scalar(hint or "value")


def _named(api: Api, type_id: str, hint: str, depth: int, full: bool, tag: tuple[str, str] | None = None) -> Example:
    typedef = api.type_by_id(type_id)
    if isinstance(typedef, ir.EnumType):
        return Scalar(typedef.values[0].value if typedef.values else hint)
    if isinstance(typedef, ir.AliasType):
        return example(api, typedef.target, hint, depth, full=full)
    if isinstance(typedef, ir.UnionType):
        member = _first_member(typedef.members)
        if typedef.discriminator is not None and isinstance(member, ir.Named):
            value = next((v for v, target in typedef.discriminator.mapping if target == member.id), None)
            if value is not None:
                return _named(api, member.id, hint, depth, full, (typedef.discriminator.property, value))
        return example(api, member, hint, depth, full=full)
    fields: list[tuple[str, str, Example]] = []
    for f in typedef.fields:
        if tag is not None and f.name == tag[0]:
            fields.append((f.py_name, f.name, Scalar(tag[1])))
        elif not f.read_only and (f.required and depth < MAX_DEPTH or full and depth < FULL_DEPTH):
            item = example(api, f.type, f.name, depth + 1, f.default, f.has_default, full, f.example, f.has_example)
            fields.append((f.py_name, f.name, item))
    return Obj(type_id, tuple(fields))


def _is_scalars(sample: ir.JsonValue) -> bool:
    """A JSON scalar other than null, or a non-empty list of them."""
    if isinstance(sample, list):
        return bool(sample) and all(_is_scalars(item) and not isinstance(item, list) for item in sample)
    return isinstance(sample, (str, int, float, bool))


_FORMAT_PATTERNS = {
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "date-time": r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)",
    "date": r"\d{4}-\d\d-\d\d",
    "time": r"\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uri": r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
    "url": r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
    "hostname": r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*",
    "ipv4": r"((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)",
    "byte": r"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
}
_FORMAT_PATTERNS["uuid4"] = _FORMAT_PATTERNS["uuid"]


def accepts(api: Api, ref: TypeRef, sample: ir.JsonValue, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``sample`` (a JSON scalar or list of them) is a value of type ``ref``.

    Checks the JSON type, enum membership, constants and the string formats the examples
    know; anything else (objects, files, unknown formats) is not accepted.
    """
    match ref:
        case ir.Primitive():
            return _accepts_scalar(ref, sample)
        case ir.LiteralOf():
            return type(sample) is type(ref.value) and sample == ref.value
        case ir.Nullable():
            return accepts(api, ref.inner, sample, seen)
        case ir.ListOf():
            return isinstance(sample, list) and all(accepts(api, ref.item, item, seen) for item in sample)
        case ir.UnionOf():
            return any(accepts(api, member, sample, seen) for member in ref.members)
        case ir.Named() if ref.id not in seen:
            typedef = api.type_by_id(ref.id)
            inner = seen | {ref.id}
            if isinstance(typedef, ir.EnumType):
                return any(type(sample) is type(v.value) and sample == v.value for v in typedef.values)
            if isinstance(typedef, ir.AliasType):
                return accepts(api, typedef.target, sample, inner)
            if isinstance(typedef, ir.UnionType):
                # the first member that takes it is the one the model picks; a tagged union takes objects only
                return typedef.discriminator is None and any(accepts(api, m, sample, inner) for m in typedef.members)
            return False
        case ir.Named() | ir.MapOf():
            return False
        case _:
            assert_never(ref)


def _accepts_scalar(ref: ir.Primitive, sample: ir.JsonValue) -> bool:
    """Whether ``sample`` is a value of the primitive type ``ref``."""
    if ref.name == "string":
        if not isinstance(sample, str):
            return False
        if not ref.format or ref.format == "password":
            return True
        pattern = _FORMAT_PATTERNS.get(ref.format)
        return pattern is not None and re.fullmatch(pattern, sample) is not None
    if ref.name == "integer":
        return isinstance(sample, int) and not isinstance(sample, bool)
    if ref.name == "number":
        return isinstance(sample, (int, float)) and not isinstance(sample, bool)
    if ref.name == "boolean":
        return isinstance(sample, bool)
    return ref.name == "any" and not isinstance(sample, list)


# --------------------------------------------------------------------------------------
# Arguments of an endpoint
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Argument:
    name: str
    value: Example
    positional: bool


def arguments(api: Api, endpoint: Endpoint, full: bool = False) -> tuple[Argument, ...]:
    """The arguments of an example call of ``endpoint``: every required parameter (``full``: every one)."""
    result = [
        Argument(p.py_name, example(api, p.type, p.name, sample=p.example, has_sample=p.has_example), True)
        for p in endpoint.path_params
    ]
    for param in (*endpoint.query_params, *endpoint.header_params, *endpoint.cookie_params):
        if param.required or full:
            value = example(
                api, param.type, param.name, 0, param.default, param.has_default, full, param.example, param.has_example
            )
            result.append(Argument(param.py_name, value, False))
    body = endpoint.body
    if body is not None:
        if body.fields:
            chosen = [f for f in body.fields if f.required or full]
            if not chosen and body.required:
                # A body is required but no field of it is: send one (the file, if there is one).
                files = [f for f in body.fields if is_binary(f.type)]
                chosen = (files or list(body.fields))[:1]
            for f in chosen:
                value = example(api, f.type, f.name, 0, f.default, f.has_default, full, f.example, f.has_example)
                result.append(Argument(f.py_name, value, False))
        elif body.required or full:
            result.append(Argument("request", example(api, body.type, "request", full=full), False))
    return tuple(result)
