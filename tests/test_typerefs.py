"""The predicates over IR type references (generator/typerefs.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import ir
from generator.typerefs import (
    is_binary,
    is_list,
    is_object_like,
    references,
    type_references,
    unwrap_nullable,
)

STRING = ir.Primitive("string")
BINARY = ir.Primitive("binary")
SOURCE = ir.Source("api.yaml", "#/components/schemas/X")

type_refs: st.SearchStrategy[ir.TypeRef] = st.recursive(
    st.one_of(
        st.builds(ir.Primitive, st.sampled_from(["string", "integer", "number", "boolean", "any", "binary"])),
        st.builds(ir.Named, st.sampled_from(["A", "B", "C"])),
        st.builds(ir.LiteralOf, st.one_of(st.none(), st.text(max_size=3), st.integers())),
    ),
    lambda inner: st.one_of(
        st.builds(ir.ListOf, inner),
        st.builds(ir.MapOf, inner),
        st.builds(ir.Nullable, inner),
        st.builds(ir.UnionOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
    ),
    max_leaves=8,
)


def _object(type_id: str, *fields: ir.TypeRef, additional: ir.TypeRef | None = None) -> ir.ObjectType:
    return ir.ObjectType(
        id=type_id,
        name=type_id,
        py_name=type_id,
        module=(),
        module_path=f"api.types.{type_id.lower()}",
        source=SOURCE,
        fields=tuple(ir.Field(f"f{i}", f"f{i}", f"f{i}", ref, required=True) for i, ref in enumerate(fields)),
        additional=additional,
    )


def _enum(type_id: str) -> ir.EnumType:
    return ir.EnumType(type_id, type_id, type_id, (), f"api.types.{type_id.lower()}", SOURCE, (ir.EnumValue("a", "A"),))


def _union(type_id: str, *members: ir.TypeRef) -> ir.UnionType:
    return ir.UnionType(type_id, type_id, type_id, (), f"api.types.{type_id.lower()}", SOURCE, members)


def _alias(type_id: str, target: ir.TypeRef) -> ir.AliasType:
    return ir.AliasType(type_id, type_id, type_id, (), f"api.types.{type_id.lower()}", SOURCE, target)


def _api(*types: ir.TypeDef) -> ir.Api:
    return ir.Api(
        package="demo",
        version="1",
        title="Demo",
        client="DemoClient",
        async_client="AsyncDemoClient",
        environment_class="DemoEnvironment",
        url_keys=("base",),
        environments=(),
        default_environment="production",
        groups=(),
        types=types,
        endpoints=(),
        channels=(),
    )


def test_unwrap_nullable_removes_every_wrapper_and_nothing_else() -> None:
    assert unwrap_nullable(ir.Nullable(ir.Nullable(ir.ListOf(ir.Nullable(STRING))))) == ir.ListOf(ir.Nullable(STRING))
    assert unwrap_nullable(STRING) == STRING


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (ir.ListOf(STRING), True),
        (ir.Nullable(ir.ListOf(STRING)), True),
        (ir.Nullable(ir.Nullable(ir.ListOf(STRING))), True),
        (STRING, False),
        (ir.MapOf(ir.ListOf(STRING)), False),
        (ir.UnionOf((ir.ListOf(STRING), STRING)), False),
        (ir.Named("List"), False),
    ],
)
def test_is_list(ref: ir.TypeRef, expected: bool) -> None:
    assert is_list(ref) is expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (BINARY, True),
        (ir.Primitive("binary", "binary"), True),
        (ir.Nullable(BINARY), True),
        (ir.ListOf(BINARY), True),
        (ir.Nullable(ir.ListOf(ir.Nullable(BINARY))), True),
        (ir.Primitive("string", "byte"), False),
        (ir.MapOf(BINARY), False),
        (ir.UnionOf((BINARY, STRING)), False),
        (ir.Named("File"), False),
        (ir.LiteralOf("binary"), False),
    ],
)
def test_is_binary(ref: ir.TypeRef, expected: bool) -> None:
    assert is_binary(ref) is expected


def test_references_finds_named_types_at_any_depth() -> None:
    ref = ir.UnionOf((ir.Nullable(ir.ListOf(ir.Named("A"))), ir.MapOf(ir.Named("B")), ir.Named("A"), STRING))
    assert references(ref) == {"A", "B"}
    assert references(None) == set()
    assert references(ir.LiteralOf("A")) == set()


def test_type_references_of_each_kind_of_definition() -> None:
    obj = _object("O", ir.Named("A"), ir.ListOf(ir.Named("B")), additional=ir.Named("C"))
    assert type_references(obj) == {"A", "B", "C"}
    assert type_references(_object("O", STRING)) == set()
    assert type_references(_union("U", ir.Named("A"), ir.Nullable(ir.Named("B")))) == {"A", "B"}
    assert type_references(_alias("L", ir.ListOf(ir.Named("A")))) == {"A"}
    assert type_references(_enum("E")) == set()


def test_is_object_like_follows_names_aliases_unions_and_null() -> None:
    api = _api(
        _object("Obj"),
        _enum("Enum"),
        _alias("Alias", ir.Named("Obj")),
        _alias("Names", ir.ListOf(ir.Named("Obj"))),
        _union("Mixed", ir.Named("Enum"), ir.Named("Alias")),
        _union("Scalars", ir.Named("Enum"), STRING),
    )
    for ref in (ir.Named("Obj"), ir.Named("Alias"), ir.Named("Mixed"), ir.Nullable(ir.Named("Obj"))):
        assert is_object_like(api, ref), ref
    assert is_object_like(api, ir.MapOf(STRING))
    assert is_object_like(api, ir.UnionOf((STRING, ir.Named("Obj"))))
    for other in (ir.Named("Enum"), ir.Named("Names"), ir.Named("Scalars"), ir.ListOf(ir.Named("Obj")), STRING):
        assert not is_object_like(api, other), other
    assert not is_object_like(api, ir.LiteralOf(None))


@given(type_refs)
def test_null_never_changes_an_answer(ref: ir.TypeRef) -> None:
    nullable = ir.Nullable(ref)
    assert unwrap_nullable(nullable) == unwrap_nullable(ref)
    assert is_list(nullable) == is_list(ref)
    assert is_binary(nullable) == is_binary(ref)
    assert references(nullable) == references(ref)


@given(type_refs)
def test_containers_mention_what_their_contents_mention(ref: ir.TypeRef) -> None:
    assert is_list(ir.ListOf(ref))
    assert is_binary(ir.ListOf(ref)) == is_binary(ref)
    assert references(ir.ListOf(ref)) == references(ir.MapOf(ref)) == references(ref)
    assert references(ir.UnionOf((ref, ir.Named("Z")))) == references(ref) | {"Z"}
