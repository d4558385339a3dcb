"""What one operation breaks is repaired or left out, with a located warning, and the rest of the API
generates: operations reached through ``$ref``, a path parameter declared in the query, a
discriminator mapping to nothing, a ``$recursiveRef: '#'`` with no ``$id`` around it, a parameter or
response whose ``$ref`` names nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.errors import SpecError
from generator.pipeline import build_ir
from tests.normalise.helpers import openapi, operation, write
from tests.realworld.sdk import generate, import_each_module


def _endpoint(api: ir.Api, name: str) -> ir.Endpoint:
    return next(e for e in api.endpoints if e.py_name == name)


def test_an_operation_reached_through_ref_is_read_as_if_inline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {"/pets/{id}": {"get": {"$ref": "ops/pets.yaml#/getPet"}}},
    }
    operations = {
        "getPet": {
            "operationId": "getPet",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"$ref": "#/Verbose"},  # relative to ops/pets.yaml
            ],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "../schemas.yaml#/Pet"}}},
                }
            },
        },
        "Verbose": {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
    }
    schemas = {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}
    write(
        tmp_path,
        {"api.yaml": document, "ops/pets.yaml": operations, "schemas.yaml": schemas},
        [{"file": "api.yaml"}],
    )
    api = build_ir(tmp_path)
    get = _endpoint(api, "get_pet")
    assert [(p.name, p.type) for p in get.path_params] == [("id", ir.Primitive("integer"))]
    assert [p.name for p in get.query_params] == ["verbose"]
    pet = next(t for t in api.types if t.py_name == "Pet")
    assert get.response.type == ir.Named(pet.id)
    err = capsys.readouterr().err
    assert "api.yaml:7 at /paths/~1pets~1{id}/get: not valid openapi 3.0.3, but read: the operation is a $ref" in err
    assert err.count("the operation is a $ref") == 1 and "no 'responses'" not in err


def test_a_path_parameter_declared_in_the_query_is_repaired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = openapi(
        {
            "/items/{id}/parts/{part}": {
                "get": {
                    "operationId": "getPart",
                    "parameters": [
                        {"name": "id", "in": "query", "description": "The item.", "schema": {"type": "integer"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    ],
                    **operation({"type": "string"}),
                }
            },
            "/fine": {"get": {"operationId": "fine", **operation({"type": "string"})}},
        }
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    part = _endpoint(api, "get_part")
    assert [(p.name, p.type, p.description) for p in part.path_params] == [
        ("id", ir.Primitive("string"), "The item."),
        ("part", ir.Primitive("string"), None),
    ]
    assert [p.name for p in part.query_params] == ["limit"]
    err = capsys.readouterr().err
    assert (
        "api.yaml:10 at /paths/~1items~1{id}~1parts~1{part}/get/parameters/0: the path '/items/{id}/parts/{part}' "
        "has {id}, but the operation declares 'id' in query; repaired: it is taken as a path parameter of type string"
    ) in err
    assert "declares no parameter 'part'; repaired" in err
    src = generate(tmp_path, tmp_path / "out")
    import_each_module("demo", src)


def test_a_discriminator_mapping_to_a_missing_schema_leaves_that_entry_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
    dog = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "bark": {}}}
    pet = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                "cat": "#/components/schemas/Cat",
                "dog": "#/components/schemas/Dog",
                "bird": "#/components/schemas/Bird",
            },
        },
    }
    document = openapi(
        {"/pet": {"get": {"operationId": "getPet", **operation({"$ref": "#/components/schemas/Pet"})}}},
        {"Pet": pet, "Cat": cat, "Dog": dog},
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    union = next(t for t in api.types if t.py_name == "Pet")
    assert isinstance(union, ir.UnionType) and union.discriminator is not None
    assert [tag for tag, _ in union.discriminator.mapping] == ["cat", "dog"]
    err = capsys.readouterr().err
    assert "at /components/schemas/Pet/discriminator/mapping/bird: discriminator mapping 'bird'" in err
    assert "this mapping entry is left out" in err


def test_a_recursive_ref_with_no_id_around_it_names_the_enclosing_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    node = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$recursiveRef": "#"}},
            "parent": {"$dynamicRef": "#"},
        },
    }
    document = openapi(
        {
            "/tree": {
                "get": {
                    "operationId": "getTree",
                    **operation({"$ref": "#/components/schemas/Node"}),
                }
            },
        },
        {"Node": node, "Odd": {"$recursiveRef": "#"}},
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    tree = next(t for t in api.types if t.py_name == "Node")
    assert isinstance(tree, ir.ObjectType)
    fields = {f.name: f.type for f in tree.fields}
    assert fields["children"] == ir.ListOf(ir.Named(tree.id))
    assert fields["parent"] == ir.Named(tree.id)
    err = capsys.readouterr().err
    assert (
        "at /components/schemas/Node/properties/children/items/$recursiveRef: $recursiveRef '#' has no enclosing "
        "schema with an $id (here it would name the whole description); read as a reference to the enclosing "
        "schema /components/schemas/Node"
    ) in err
    assert "at /components/schemas/Odd/$recursiveRef" in err and "left out: the value is typed as any value" in err


def test_a_parameter_or_response_whose_ref_names_nothing_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document: dict[str, Any] = openapi(
        {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "parameters": [
                        {"$ref": "#/components/parameters/Gone"},
                        {"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/Missing"}},
                        {"name": "r", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {"$ref": "#/components/responses/Nowhere"},
                        "404": {"$ref": "#/components/responses/Nowhere"},
                    },
                }
            },
            "/b": {"get": {"operationId": "getB", **operation({"$ref": "#/components/schemas/Lost"})}},
        }
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    a = _endpoint(api, "get_a")
    assert [(p.name, p.type) for p in a.query_params] == [("q", ir.Primitive("any")), ("r", ir.Primitive("string"))]
    assert a.response.kind == "empty" and a.errors == ()
    assert _endpoint(api, "get_b").response.type == ir.Primitive("any")
    err = capsys.readouterr().err
    assert "/paths/~1a/get/parameters/0: $ref '#/components/parameters/Gone'" in err
    assert "this parameter is left out" in err
    assert "/paths/~1a/get/parameters/1/schema: $ref '#/components/schemas/Missing'" in err
    assert "/paths/~1a/get/responses/200: $ref '#/components/responses/Nowhere'" in err
    assert "this response is left out" in err and "this error response is left out" in err
    src = generate(tmp_path, tmp_path / "out")
    import_each_module("demo", src)


def test_a_missing_file_is_still_an_error(tmp_path: Path) -> None:
    document = openapi({"/a": {"get": {"operationId": "getA", **operation({"$ref": "nowhere.yaml#/X"})}}})
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    with pytest.raises(SpecError, match="does not exist"):
        build_ir(tmp_path)


def test_a_response_or_parameter_that_cannot_be_typed_is_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad: dict[str, Any] = {"type": "object", "properties": ["k"]}  # no place inside it to repair
    document = openapi(
        {
            "/a/{id}": {
                "get": {
                    "operationId": "getA",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": bad},
                        {"name": "q", "in": "query", "schema": bad},
                        {"name": "r", "in": "query", "schema": {"type": "string"}},
                    ],
                    **operation(bad),
                }
            },
            "/b": {"get": {"operationId": "getB", **operation({"type": "string"})}},
        }
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    a = _endpoint(api, "get_a")
    assert [(p.name, p.type) for p in a.path_params] == [("id", ir.Primitive("string"))]
    assert [p.name for p in a.query_params] == ["r"]
    assert a.response.type == ir.Primitive("any")
    assert _endpoint(api, "get_b").response.type == ir.Primitive("string")
    err = capsys.readouterr().err
    assert "'properties' must be a mapping; the response is not typed (any JSON value)" in err
    assert "the parameter 'q' is left out" in err and "the path parameter 'id' is typed as a string" in err
    import_each_module("demo", generate(tmp_path, tmp_path / "out"))
