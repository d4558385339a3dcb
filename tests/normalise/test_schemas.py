"""JSON Schema -> IR types: one rule per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.errors import SpecError
from tests.normalise.helpers import build, build_one, field, named, openapi, operation, typedef

STRING = ir.Primitive("string")
ANY = ir.Primitive("any")


def schemas_api(tmp_path: Path, schemas: dict[str, Any], **paths: Any) -> ir.Api:
    return build_one(tmp_path, openapi(paths=paths or None, schemas=schemas))


def test_every_component_becomes_a_type_even_unused(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path, {"Unused": {"type": "string"}, "pet_record": {"type": "object", "properties": {"a": {}}}}
    )
    alias = typedef(api, "Unused")
    assert isinstance(alias, ir.AliasType) and alias.target == STRING
    record = typedef(api, "PetRecord")
    assert record.name == "pet_record"
    assert record.id == "api.yaml#/components/schemas/pet_record"
    assert record.module == ("demo",)
    assert record.source == ir.Source("api.yaml", "/components/schemas/pet_record")


def test_nullable_forms_and_formats(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "T": {
                "type": "object",
                "properties": {
                    "a": {"type": ["string", "null"], "format": "date-time"},
                    "b": {"type": "integer", "nullable": True, "format": "int64"},
                    "c": {"oneOf": [{"$ref": "#/components/schemas/U"}, {"type": "null"}]},
                    "d": {"type": ["string", "integer"]},
                    "e": {"anyOf": [{"type": "string"}, {"type": "number"}]},
                    "f": {"type": "string", "format": "binary"},
                    "g": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                },
            },
            "U": {"type": "object", "properties": {"x": {"type": "boolean"}}},
        },
    )
    u = ir.Named("api.yaml#/components/schemas/U")
    assert field(api, "T", "a").type == ir.Nullable(ir.Primitive("string", "date-time"))
    assert field(api, "T", "b").type == ir.Nullable(ir.Primitive("integer", "int64"))
    assert field(api, "T", "c").type == ir.Nullable(u)
    assert field(api, "T", "d").type == ir.UnionOf((STRING, ir.Primitive("integer")))
    assert field(api, "T", "e").type == ir.UnionOf((STRING, ir.Primitive("number")))
    assert field(api, "T", "f").type == ir.Primitive("binary")
    assert field(api, "T", "g").type == ir.ListOf(STRING, unique=True)


def test_enums_literals_and_consts(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Color": {"type": "string", "enum": ["red", "dark-blue", None], "description": "A color."},
            "Level": {"type": "integer", "enum": [1, 2, 3]},
            "Single": {"type": "string", "enum": ["only"]},
            "T": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": ["t"]},
                    "version": {"const": 2},
                    "mode": {"type": "string", "enum": ["fast", "slow"]},
                },
            },
        },
    )
    color = typedef(api, "Color")
    assert isinstance(color, ir.EnumType) and color.base == "string" and color.description == "A color."
    assert [(v.value, v.py_name) for v in color.values] == [("red", "RED"), ("dark-blue", "DARK_BLUE")]
    level = typedef(api, "Level")
    assert isinstance(level, ir.EnumType) and level.base == "integer"
    assert [v.py_name for v in level.values] == ["VALUE_1", "VALUE_2", "VALUE_3"]
    assert isinstance(typedef(api, "Single"), ir.EnumType)
    assert field(api, "T", "kind").type == ir.LiteralOf("t")
    assert field(api, "T", "version").type == ir.LiteralOf(2)
    mode = named(api, field(api, "T", "mode").type)
    assert isinstance(mode, ir.EnumType) and mode.py_name == "TMode"
    assert mode.id == "api.yaml#/components/schemas/T/properties/mode"


def test_object_and_array_constants_are_typed_by_their_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Literal cannot hold them (render would have no annotation to write)."""
    properties = {"a": {"const": {"x": 1}}, "b": {"type": "array", "enum": [[1, 2]]}, "c": {"enum": ["x", None]}}
    api = schemas_api(tmp_path, {"T": {"type": "object", "properties": properties}})
    assert field(api, "T", "a").type == ANY
    assert field(api, "T", "b").type == ir.ListOf(ANY)
    assert field(api, "T", "c").type == ir.Nullable(ir.LiteralOf("x"))
    assert capsys.readouterr().err.count("an object or array constant is not supported") == 2


def test_float_constants_and_enums_are_floats(tmp_path: Path) -> None:
    """``Literal`` takes no floats (type checkers reject ``Literal[1.5]``, and NaN has no literal at all)."""
    properties = {
        "ratio": {"const": 1.5},
        "scale": {"type": "number", "enum": [0.5, 1.0, 2.0]},
        "mixed": {"enum": ["auto", 0.25]},
        "missing": {"const": float("nan")},
    }
    api = schemas_api(tmp_path, {"T": {"type": "object", "properties": properties}})
    number = ir.Primitive("number")
    assert field(api, "T", "ratio").type == number
    assert field(api, "T", "scale").type == number
    assert field(api, "T", "mixed").type == ir.UnionOf((ir.LiteralOf("auto"), number))
    assert field(api, "T", "missing").type == number


def test_all_of_is_flattened(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "note": {}}},
            "Derived": {
                "description": "Both.",
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {
                        "type": "object",
                        "required": ["size"],
                        "properties": {"size": {"type": "integer"}, "note": {"type": "string"}},
                    },
                ],
            },
        },
    )
    derived = typedef(api, "Derived")
    assert isinstance(derived, ir.ObjectType) and derived.description == "Both."
    assert [(f.name, f.required, f.type) for f in derived.fields] == [
        ("id", True, STRING),
        ("note", False, STRING),
        ("size", True, ir.Primitive("integer")),
    ]


def test_lone_all_of_ref_is_just_the_ref(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Inner": {"type": "object", "properties": {"x": {}}},
            "T": {
                "type": "object",
                "properties": {
                    "inner": {"allOf": [{"$ref": "#/components/schemas/Inner"}], "description": "The inner one."},
                    "maybe": {"allOf": [{"$ref": "#/components/schemas/Inner"}], "nullable": True},
                },
            },
        },
    )
    inner = ir.Named("api.yaml#/components/schemas/Inner")
    assert field(api, "T", "inner").type == inner
    assert field(api, "T", "inner").description == "The inner one."
    assert field(api, "T", "maybe").type == ir.Nullable(inner)
    assert {t.py_name for t in api.types} == {"Inner", "T"}


def test_named_union_with_discriminator_mapping(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"meow": "#/components/schemas/Cat", "woof": "Dog"},
                },
            },
        },
    )
    pet = typedef(api, "Pet")
    assert isinstance(pet, ir.UnionType) and pet.discriminator is not None
    assert pet.discriminator.property == "kind"
    assert pet.discriminator.mapping == (
        ("meow", "api.yaml#/components/schemas/Cat"),
        ("woof", "api.yaml#/components/schemas/Dog"),
    )


def test_discriminator_without_mapping_uses_consts_then_component_names(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Cat": {"type": "object", "properties": {"kind": {"const": "cat"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind"},
            },
        },
    )
    pet = typedef(api, "Pet")
    assert isinstance(pet, ir.UnionType) and pet.discriminator is not None
    assert [value for value, _ in pet.discriminator.mapping] == ["cat", "Dog"]


def test_discriminator_is_inferred_and_inline_members_are_hoisted(tmp_path: Path) -> None:
    def member(tag: str, extra: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"type": "string", "enum": [tag]}, **extra},
        }

    api = schemas_api(
        tmp_path,
        {
            "Format": {"oneOf": [member("mp3", {}), member("wav", {"rate": {"type": "integer"}})]},
            "Holder": {
                "type": "object",
                "properties": {"fmt": {"oneOf": [member("a", {}), member("b", {}), {"type": "null"}]}},
            },
        },
    )
    fmt = typedef(api, "Format")
    assert isinstance(fmt, ir.UnionType) and fmt.discriminator is not None
    assert fmt.discriminator.property == "type"
    assert [(value, api.type_by_id(type_id).py_name) for value, type_id in fmt.discriminator.mapping] == [
        ("mp3", "FormatMp3"),
        ("wav", "FormatWav"),
    ]
    assert field(api, "FormatMp3", "type").type == ir.LiteralOf("mp3")
    holder_fmt = field(api, "Holder", "fmt").type
    assert isinstance(holder_fmt, ir.Nullable)
    union = named(api, holder_fmt.inner)
    assert isinstance(union, ir.UnionType) and union.py_name == "HolderFmt"


def test_inline_union_without_discriminator_is_anonymous(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "T": {
                "type": "object",
                "properties": {
                    "v": {"oneOf": [{"type": "string"}, {"type": "object", "properties": {"x": {"type": "integer"}}}]},
                    "many": {
                        "type": "array",
                        "items": {"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "string"}]},
                    },
                },
            }
        },
    )
    v = field(api, "T", "v").type
    assert isinstance(v, ir.UnionOf) and v.members[0] == STRING
    assert named(api, v.members[1]).py_name == "TVVariant2"
    assert field(api, "T", "many").type == ir.ListOf(ir.UnionOf((ir.Named("api.yaml#/components/schemas/T"), STRING)))


def test_additional_properties(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Open": {"type": "object", "properties": {"a": {}}, "additionalProperties": True},
            "Typed": {"type": "object", "properties": {"a": {}}, "additionalProperties": {"type": "integer"}},
            "Closed": {"type": "object", "properties": {"a": {}}, "additionalProperties": False},
            "Counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "Free": {"type": "object"},
        },
    )
    assert typedef(api, "Open").additional == ANY  # type: ignore[union-attr]
    assert typedef(api, "Typed").additional == ir.Primitive("integer")  # type: ignore[union-attr]
    assert typedef(api, "Closed").additional is None  # type: ignore[union-attr]
    assert typedef(api, "Counts").target == ir.MapOf(ir.Primitive("integer"))  # type: ignore[union-attr]
    assert typedef(api, "Free").target == ir.MapOf(ANY)  # type: ignore[union-attr]


def test_field_details(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "T": {
                "type": "object",
                "required": ["class"],
                "properties": {
                    "class": {"type": "string", "description": "  Kept, stripped.  "},
                    "json": {"type": "string", "default": "{}", "readOnly": True},
                    "fooBar": {"type": "string", "writeOnly": True, "deprecated": True},
                    "foo_bar": {"type": "string"},
                },
            }
        },
    )
    fields = typedef(api, "T").fields  # type: ignore[union-attr]
    assert [(f.name, f.py_name) for f in fields] == [
        ("class", "class_"),
        ("json", "json_"),
        ("fooBar", "foo_bar"),
        ("foo_bar", "foo_bar_2"),
    ]
    assert fields[0].required and fields[0].description == "Kept, stripped."
    assert fields[1].has_default and fields[1].default == "{}" and fields[1].read_only
    assert fields[2].write_only and fields[2].deprecated and not fields[2].has_default


def test_model_attributes_and_module_paths(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Order": {
                "type": "object",
                "properties": {
                    "typing": {"type": "string"},
                    "typing_": {"type": "string"},
                    "item": {"$ref": "#/components/schemas/Item"},
                    "other": {"type": "string", "x-sdk-name": "other"},  # an inline type named alike
                    "when": {"type": "string", "format": "date-time"},
                },
            },
            "Item": {"type": "object", "x-sdk-name": "item", "x-sdk-module": "shop", "properties": {"a": {}}},
        },
    )
    order = typedef(api, "Order")
    assert isinstance(order, ir.ObjectType)
    assert [(f.py_name, f.attribute) for f in order.fields] == [
        ("typing", "typing_"),
        ("typing_2", "typing_2"),
        ("item", "item_"),  # the class its annotation uses
        ("other", "other_"),
        ("when", "when"),
    ]
    assert order.module_path == "demo.demo.types.order"
    assert typedef(api, "item").module_path == "demo.shop.types.item"


def test_ref_cycles(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "link": {"$ref": "#/components/schemas/Link"},
                },
            },
            "Link": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "string"}]},
        },
    )
    assert field(api, "Node", "children").type == ir.ListOf(ir.Named("api.yaml#/components/schemas/Node"))
    assert isinstance(typedef(api, "Link"), ir.UnionType)


def test_x_sdk_name(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "weird_name": {
                "type": "object",
                "x-sdk-name": "Nice",
                "properties": {"inner": {"type": "object", "x-sdk-name": "Inside", "properties": {"a": {}}}},
            },
        },
    )
    assert typedef(api, "Nice").name == "Nice"
    assert named(api, field(api, "Nice", "inner").type).py_name == "Inside"


def test_x_sdk_module_puts_a_type_in_another_module(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Order": {"type": "object", "properties": {"item": {"type": "object", "properties": {"a": {}}}}},
            # An alias in a sub-module, named like a type hoisted in the source's module: no collision.
            "OrderItem": {"$ref": "#/components/schemas/Order", "x-sdk-module": "shop.legacy"},
            "Moved": {
                "type": "object",
                "x-sdk-module": "shop",
                "properties": {"inline": {"type": "string", "x-sdk-module": "other.place"}},
            },
        },
    )
    assert typedef(api, "Order").module == ("demo",)
    assert named(api, field(api, "Order", "item").type).module == ("demo",)
    alias = [t for t in api.types if t.id == "api.yaml#/components/schemas/OrderItem"]
    assert len(alias) == 1 and alias[0].module == ("shop", "legacy") and alias[0].py_name == "OrderItem"
    assert isinstance(alias[0], ir.AliasType) and alias[0].target == ir.Named("api.yaml#/components/schemas/Order")
    assert typedef(api, "Moved").module == ("shop",)
    inline = named(api, field(api, "Moved", "inline").type)
    assert inline.py_name == "MovedInline" and inline.module == ("other", "place")


def test_x_sdk_module_on_an_asyncapi_schema(tmp_path: Path) -> None:
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "components": {"schemas": {"Event": {"type": "string", "enum": ["a", "b"], "x-sdk-module": "demo.talk"}}},
    }
    api = build_one(tmp_path, document)
    assert typedef(api, "Event").module == ("demo", "talk")


@pytest.mark.parametrize("value", ["", "shop..orders", "shop.1st", "shop.class", "shop-orders", ".shop", 3, ["shop"]])
def test_bad_x_sdk_module_is_a_spec_error(tmp_path: Path, value: Any) -> None:
    with pytest.raises(SpecError) as caught:
        schemas_api(tmp_path, {"T": {"type": "object", "x-sdk-module": value, "properties": {"a": {}}}})
    error = caught.value
    assert "x-sdk-module" in error.message and "dotted Python module path" in error.message
    assert error.location is not None
    assert error.location.file == "api.yaml"
    assert error.location.pointer == "/components/schemas/T/x-sdk-module"
    assert error.location.line is not None and error.location.line > 1


def test_cross_file_types_keep_one_identity_and_take_the_first_referrer_module(tmp_path: Path) -> None:
    shared = {"Shared": {"type": "object", "properties": {"x": {"type": "string"}}}}
    a = openapi(schemas={"A": {"type": "object", "properties": {"s": {"$ref": "common.yaml#/Shared"}}}})
    b = openapi(
        schemas={
            "B": {
                "type": "object",
                "properties": {"s": {"$ref": "common.yaml#/Shared"}, "a": {"$ref": "a.yaml#/components/schemas/A"}},
            }
        }
    )
    api = build(
        tmp_path,
        {"a.yaml": a, "b.yaml": b, "common.yaml": shared},
        sources=[{"file": "a.yaml", "module": "first"}, {"file": "b.yaml", "module": "second"}],
    )
    shared_type = named(api, field(api, "A", "s").type)
    assert field(api, "B", "s").type == field(api, "A", "s").type
    assert shared_type.module == ("first",) and shared_type.py_name == "Shared"
    assert field(api, "B", "a").type == ir.Named("a.yaml#/components/schemas/A")
    assert typedef(api, "B").module == ("second",)


def test_whole_file_schema_is_named_after_the_file(tmp_path: Path) -> None:
    a = openapi(schemas={"A": {"type": "object", "properties": {"p": {"$ref": "schemas/pet-photo.yaml"}}}})
    api = build(
        tmp_path,
        {"a.yaml": a, "schemas/pet-photo.yaml": {"type": "object", "properties": {"url": {}}}},
        sources=[{"file": "a.yaml", "module": "m"}],
    )
    assert named(api, field(api, "A", "p").type).py_name == "PetPhoto"


def test_an_unknown_type_is_left_out_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = {"type": "object", "properties": {"name": {"type": "strng"}, "tags": {"type": ["strng", "string"]}}}
    api = schemas_api(tmp_path, {"T": schema})
    assert field(api, "T", "name").type == ir.Primitive("any")
    assert field(api, "T", "tags").type == ir.Primitive("string")
    err = capsys.readouterr().err
    assert err.count("unknown type 'strng'") == 2
    assert "api.yaml:" in err and " at /components/schemas/T/properties/name/type: unknown type 'strng'" in err
    assert "left out: the value is typed as any JSON value" in err
    assert "/components/schemas/T/properties/tags/type: unknown type 'strng'" in err
    assert "left out: the schema is typed by the rest (string)" in err


def test_an_inline_type_named_like_a_component_gets_a_number(tmp_path: Path) -> None:
    api = schemas_api(
        tmp_path,
        {
            "Foo": {"type": "object", "properties": {"bar": {"type": "object", "properties": {"a": {}}}}},
            "FooBar": {"type": "string"},
        },
    )
    assert isinstance(typedef(api, "FooBar"), ir.AliasType)  # the component keeps its name
    inline = typedef(api, "FooBar2")
    assert inline.source.pointer == "/components/schemas/Foo/properties/bar"
    assert field(api, "Foo", "bar").type == ir.Named(inline.id)


def test_case_only_collisions_are_numbered_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api = schemas_api(tmp_path, {"HTTPError": {"type": "string"}, "http_error": {"type": "integer"}})
    assert sorted(t.py_name for t in api.types) == ["HTTPError", "HttpError2"]
    err = capsys.readouterr().err
    assert "at /components/schemas/http_error: the component 'http_error' would be the class HttpError" in err
    assert "as/components/schemas/HTTPError" not in err and "/components/schemas/HTTPError is; it is numbered" in err


def test_names_x_sdk_name_gives_that_collide_are_refused(tmp_path: Path) -> None:
    schemas = {"A": {"type": "string", "x-sdk-name": "HttpError"}, "B": {"type": "integer", "x-sdk-name": "HTTPError"}}
    with pytest.raises(SpecError, match="collides"):
        schemas_api(tmp_path, schemas)


def test_a_cyclic_all_of_leaves_the_part_that_closes_the_cycle_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = schemas_api(
        tmp_path,
        {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object", "properties": {"a": {}}}]},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "properties": {"b": {}}}]},
        },
    )
    a, b = typedef(api, "A"), typedef(api, "B")
    assert isinstance(a, ir.ObjectType) and isinstance(b, ir.ObjectType)
    assert [f.name for f in a.fields] == ["b", "a"] and [f.name for f in b.fields] == ["a", "b"]
    err = capsys.readouterr().err
    assert (
        "at /components/schemas/B/allOf/0: allOf composition includes itself (it leads back to /components/schemas/A); "
        "this allOf part is left out"
    ) in err
    assert (
        "at /components/schemas/A/allOf/0: allOf composition includes itself (it leads back to /components/schemas/B)"
        in err
    )
    assert err.count("includes itself") == 2


def test_inline_body_and_response_schemas_are_named_after_the_method(tmp_path: Path) -> None:
    item = {"type": "object", "properties": {"n": {"type": "integer"}}}
    api = build_one(
        tmp_path,
        openapi(
            paths={
                "/things": {
                    "post": {
                        **operation({"type": "array", "items": item}),
                        "operationId": "make-things",
                        "requestBody": {"content": {"application/json": {"schema": item}}},
                    }
                }
            }
        ),
    )
    names = {t.py_name for t in api.types}
    assert names == {"MakeThingsRequest", "MakeThingsResponseItem"}


def test_alias_cycles_do_not_hang_and_are_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="types A and B are aliases of each other") as caught:
        schemas_api(
            tmp_path,
            {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}},
            **{
                "/x": {
                    "post": {
                        **operation(),
                        "operationId": "x",
                        "requestBody": {
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
                        },
                    }
                }
            },
        )
    location = caught.value.location
    assert location is not None and location.pointer == "/components/schemas/A" and location.line is not None
