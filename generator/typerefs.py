"""Questions about IR type references, each answered by one exhaustive ``match``.

Every dispatch here lists all the :data:`~generator.ir.TypeRef` variants (or all the
:data:`~generator.ir.TypeDef` kinds) and ends in ``assert_never``, so a variant added to
the IR makes ``mypy --strict`` point at each answer that must take it into account.
Render and normalise ask these rather than testing ``isinstance`` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from typing_extensions import assert_never

from generator.ir import (
    AliasType,
    Api,
    EnumType,
    ListOf,
    LiteralOf,
    MapOf,
    Named,
    Nullable,
    ObjectType,
    Primitive,
    TypeDef,
    TypeRef,
    UnionOf,
    UnionType,
)


def unwrap_nullable(ref: TypeRef) -> TypeRef:
    """``ref`` without its ``Nullable`` wrappers."""
    match ref:
        case Nullable(inner=inner):
            return unwrap_nullable(inner)
        case Primitive() | Named() | ListOf() | MapOf() | LiteralOf() | UnionOf():
            return ref
        case _:
            assert_never(ref)


def is_list(ref: TypeRef) -> bool:
    """Whether values of ``ref`` are lists (or null)."""
    return isinstance(unwrap_nullable(ref), ListOf)


def is_binary(ref: TypeRef) -> bool:
    """Whether ``ref`` is raw bytes or a list of them (or null): one file or several."""
    match ref:
        case Primitive(name=name):
            return name == "binary"
        case Nullable(inner=inner) | ListOf(item=inner):
            return is_binary(inner)
        case Named() | MapOf() | LiteralOf() | UnionOf():
            return False
        case _:
            assert_never(ref)


def references(ref: TypeRef | None) -> set[str]:
    """Ids of the named types ``ref`` mentions, at any depth (not through their definitions)."""
    match ref:
        case Named(id=type_id):
            return {type_id}
        case Nullable(inner=inner) | ListOf(item=inner) | MapOf(value=inner):
            return references(inner)
        case UnionOf(members=members):
            return _references(members)
        case None | Primitive() | LiteralOf():
            return set()
        case _:
            assert_never(ref)


def type_references(typedef: TypeDef) -> set[str]:
    """Ids of the named types the definition ``typedef`` mentions."""
    match typedef:
        case ObjectType():
            return _references([typedef.additional, *(f.type for f in typedef.fields)])
        case UnionType():
            return _references(typedef.members)
        case AliasType():
            return references(typedef.target)
        case EnumType():
            return set()
        case _:
            assert_never(typedef)


def is_object_like(api: Api, ref: TypeRef) -> bool:
    """Whether values of ``ref`` are JSON objects (so a plain mapping may stand for one)."""
    match ref:
        case Named(id=type_id):
            return _is_object_type(api, api.type_by_id(type_id))
        case Nullable(inner=inner):
            return is_object_like(api, inner)
        case UnionOf(members=members):
            return any(is_object_like(api, member) for member in members)
        case MapOf():
            return True
        case Primitive() | ListOf() | LiteralOf():
            return False
        case _:
            assert_never(ref)


def _is_object_type(api: Api, typedef: TypeDef) -> bool:
    match typedef:
        case ObjectType():
            return True
        case UnionType():
            return any(is_object_like(api, member) for member in typedef.members)
        case AliasType():
            return is_object_like(api, typedef.target)
        case EnumType():
            return False
        case _:
            assert_never(typedef)


def _references(refs: Iterable[TypeRef | None]) -> set[str]:
    return {type_id for ref in refs for type_id in references(ref)}


def breadth(api: Api, ref: TypeRef) -> int:
    """How many JSON values ``ref`` accepts, as a rank: constants and enums 0 ... any value 5.

    A decoder that tries several types on one value tries the narrower first, so that a
    string enum is not taken for a plain string, nor anything for ``Any``.
    """
    match ref:
        case LiteralOf():
            return 0
        case Named(id=type_id):
            return _typedef_breadth(api, api.type_by_id(type_id))
        case Nullable(inner=inner):
            return breadth(api, inner)
        case UnionOf(members=members):
            return max((breadth(api, member) for member in members), default=5)
        case ListOf():
            return 2
        case MapOf():
            return 3
        case Primitive(name=name):
            return {"boolean": 3, "integer": 3, "number": 3, "string": 4, "binary": 4, "any": 5}[name]
        case _:
            assert_never(ref)


def _typedef_breadth(api: Api, typedef: TypeDef) -> int:
    match typedef:
        case EnumType():
            return 0
        case ObjectType() | UnionType():
            return 1
        case AliasType():
            return breadth(api, typedef.target)
        case _:
            assert_never(typedef)
