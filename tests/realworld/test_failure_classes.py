"""The failure classes of real-world descriptions (issue 9), each on a small spec of its own.

1. ``{type: object, allOf: [<one inline schema>]}`` is the type of its parent, not a second
   type under the parent's name;
2. recursive and mutually recursive aliases and unions import (every module, each first);
3. raw binary request bodies take bytes, paths, file objects and tuples, and an optional
   one left out sends no body;
4. JSON Schema 2019-09/2020-12 references (``$defs``, ``$anchor``, ``$id``, ``$dynamicRef``,
   ``$recursiveRef``) resolve, recursive ones to recursive types; what cannot is an error
   naming the keyword (or, for a reference the author's intent is clear from, a repair:
   tests/realworld/test_repairs.py).
"""

from __future__ import annotations

import importlib
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import ir
from generator.errors import SpecError
from tests.normalise.helpers import build_one, field, openapi, operation, typedef, write
from tests.realworld.sdk import generate, import_each_module
from tests.rest.scripted_server import ScriptedServer, json_reply


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# ---- 1. one-part allOf ---------------------------------------------------------------


def test_a_one_part_all_of_is_the_type_itself(tmp_path: Path) -> None:
    api = build_one(
        tmp_path,
        openapi(
            {"/p": {"get": operation(ref("Params"))}},
            {
                "Params": {
                    "type": "object",
                    "description": "Parameters.",
                    "allOf": [{"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}],
                },
                "Level": {"allOf": [{"type": "string", "enum": ["low", "high"]}]},
                "Nested": {"allOf": [{"allOf": [{"type": "object", "properties": {"b": {"type": "integer"}}}]}]},
                "Alias": {"type": "object", "allOf": [ref("Params")]},
            },
        ),
    )
    params = typedef(api, "Params")
    assert isinstance(params, ir.ObjectType) and params.description == "Parameters."
    assert field(api, "Params", "a").required
    assert isinstance(typedef(api, "Level"), ir.EnumType)
    assert field(api, "Nested", "b").type == ir.Primitive("integer")
    alias = typedef(api, "Alias")  # a lone $ref part stays a reference to the other type
    assert isinstance(alias, ir.AliasType) and alias.target == ir.Named(params.id)
    assert [t.py_name for t in api.types] == ["Alias", "Level", "Nested", "Params"]


# ---- 2. recursive aliases ------------------------------------------------------------

RECURSIVE = openapi(
    {
        "/json": {"get": operation(ref("Json"))},
        "/forest": {"get": operation(ref("Forest"))},
        "/expr": {"get": operation(ref("Expr"))},
        "/sql_type": {"get": operation(ref("SqlType"))},
    },
    {
        # self-recursive union, through a map and a list
        "Json": {
            "oneOf": [
                {"type": "object", "additionalProperties": ref("Json")},
                {"type": "array", "items": ref("Json")},
                ref("Scalar"),
            ]
        },
        "Scalar": {"type": ["string", "number", "boolean"]},
        # mutually recursive aliases
        "Forest": {"type": "array", "items": ref("Tree")},
        "Tree": {"oneOf": [{"type": "string"}, {"type": "object", "additionalProperties": ref("Forest")}]},
        # a cycle through aliases and an object, with a discriminated union
        "Expr": {
            "oneOf": [ref("Literal"), ref("Sum")],
            "discriminator": {"propertyName": "kind", "mapping": {"literal": "#/components/schemas/Literal"}},
        },
        "Literal": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "literal"}}},
        "Sum": {
            "type": "object",
            "required": ["kind", "terms"],
            "properties": {"kind": {"const": "sum"}, "terms": {"type": "array", "items": ref("Expr")}},
        },
        # a cycle of three objects (Google's Spanner): each module's dict type names the next one's
        "SqlType": {"type": "object", "properties": {"element": ref("SqlType"), "struct": ref("StructType")}},
        "StructType": {"type": "object", "properties": {"fields": {"type": "array", "items": ref("StructField")}}},
        "StructField": {"type": "object", "properties": {"name": {"type": "string"}, "type": ref("SqlType")}},
    },
)


@pytest.fixture(scope="module")
def recursive_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[typing.Any]:
    root = tmp_path_factory.mktemp("recursive")
    write(root / "specs", {"api.yaml": RECURSIVE}, [{"file": "api.yaml"}], package="recursive_demo")
    src = generate(root / "specs", root / "out")
    assert import_each_module("recursive_demo", src) > 10
    sys.path.insert(0, str(src))
    try:
        yield importlib.import_module("recursive_demo")
    finally:
        sys.path.remove(str(src))


def test_recursive_aliases_import_and_validate(recursive_sdk: typing.Any) -> None:
    import pydantic

    types = recursive_sdk.types
    data = {"a": [1, "b", {"c": True}]}
    assert pydantic.TypeAdapter(types.Json).validate_python(data) == data
    with pytest.raises(pydantic.ValidationError):
        pydantic.TypeAdapter(types.Json).validate_python({"a": [None]})
    forest = ["x", {"branch": ["y", {"leaf": []}]}]
    assert pydantic.TypeAdapter(types.Forest).validate_python(forest) == forest
    expr = pydantic.TypeAdapter(types.Expr).validate_python(
        {"kind": "sum", "terms": [{"kind": "literal"}, {"kind": "sum", "terms": []}]}
    )
    assert isinstance(expr, types.Sum) and isinstance(expr.terms[0], types.Literal)


def test_recursive_sdk_type_checks(recursive_sdk: typing.Any) -> None:
    from mypy import api as mypy

    src = Path(recursive_sdk.__file__).parents[1]
    out, err, status = mypy.run(["--strict", "--no-incremental", "--cache-dir", "/dev/null", str(src)])
    assert status == 0, out + err


def test_a_cycle_of_aliases_with_nothing_between_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="aliases of each other"):
        build_one(
            tmp_path,
            openapi(
                {"/a": {"get": operation(ref("A"))}},
                {"A": {"anyOf": [{"type": "integer"}, ref("B")]}, "B": {"anyOf": [{"type": "string"}, ref("A")]}},
            ),
        )


# ---- 3. binary request bodies --------------------------------------------------------


def _upload(content_type: str, required: bool) -> dict[str, typing.Any]:
    return {
        "requestBody": {
            "required": required,
            "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
        },
        **operation({"type": "object", "properties": {"ok": {"type": "boolean"}}}),
    }


@pytest.fixture(scope="module")
def binary_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[typing.Any]:
    root = tmp_path_factory.mktemp("binary")
    document = openapi(
        {
            "/raw": {"post": {"operationId": "upload", **_upload("application/octet-stream", True)}},
            "/image": {"put": {"operationId": "put_image", **_upload("image/*", False)}},
        }
    )
    write(root / "specs", {"api.yaml": document}, [{"file": "api.yaml", "environment": "base"}], package="binary_demo")
    src = generate(root / "specs", root / "out")
    sys.path.insert(0, str(src))
    try:
        yield importlib.import_module("binary_demo")
    finally:
        sys.path.remove(str(src))


def test_binary_bodies_take_every_kind_of_file(binary_sdk: typing.Any, server: ScriptedServer, tmp_path: Path) -> None:
    server.answer(json_reply({"ok": True}))
    client = binary_sdk.DemoClient(api_key="k", base_url=server.url)
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG")
    with path.open("rb") as handle:
        handle.read(1)  # a file object is sent from where it stands
        client.upload(request=handle)
    client.upload(request=b"raw")
    client.upload(request=path)
    client.upload(request=("name.bin", b"tuple"))
    client.upload(request=("name.txt", b"typed", "text/plain"))
    sent = [(r.body, r.headers["content-type"]) for r in server.requests[-5:]]
    assert sent == [
        (b"PNG", "application/octet-stream"),
        (b"raw", "application/octet-stream"),
        (b"\x89PNG", "application/octet-stream"),
        (b"tuple", "application/octet-stream"),
        (b"typed", "text/plain"),
    ]


def test_a_pattern_content_type_is_filled_in_and_an_optional_body_left_out(
    binary_sdk: typing.Any, server: ScriptedServer, tmp_path: Path
) -> None:
    server.answer(json_reply({"ok": True}))
    client = binary_sdk.DemoClient(api_key="k", base_url=server.url)
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG")
    client.put_image(request=path)
    client.put_image()
    with_path, without = server.requests[-2:]
    assert (with_path.body, with_path.headers["content-type"]) == (b"\x89PNG", "image/png")
    assert without.body == b"" and "content-type" not in without.headers


# ---- 4. JSON Schema 2019-09/2020-12 references ---------------------------------------


def test_defs_anchors_and_ids_resolve(tmp_path: Path) -> None:
    api = build_one(
        tmp_path,
        openapi(
            {"/o": {"get": operation(ref("Outer"))}},
            {
                "Outer": {
                    "$id": "https://example.com/schemas/outer",
                    "type": "object",
                    "properties": {
                        "inner": {"$ref": "#/$defs/Inner"},  # relative to the $id resource, not the document
                        "anchored": {"$ref": "#point"},
                        "by_id": {"$ref": "https://example.com/schemas/other"},
                        "relative": {"$ref": "other#/properties/x"},
                        "document": {"$ref": "#/components/schemas/Other"},  # not in the resource: the document's
                    },
                    "$defs": {
                        "Inner": {"type": "object", "properties": {"a": {"type": "string"}}},
                        "Point": {"$anchor": "point", "type": "object", "properties": {"x": {"type": "number"}}},
                    },
                },
                "Other": {
                    "$id": "https://example.com/schemas/other",
                    "type": "object",
                    "properties": {"x": {"type": "integer"}},
                },
            },
        ),
    )
    assert field(api, "Outer", "inner").type == ir.Named(typedef(api, "Inner").id)
    assert field(api, "Outer", "anchored").type == ir.Named(typedef(api, "Point").id)
    assert field(api, "Outer", "by_id").type == ir.Named(typedef(api, "Other").id)
    assert field(api, "Outer", "relative").type == ir.Primitive("integer")
    assert field(api, "Outer", "document").type == ir.Named(typedef(api, "Other").id)


def test_dynamic_and_recursive_references_make_recursive_types(tmp_path: Path) -> None:
    api = build_one(
        tmp_path,
        openapi(
            {"/t": {"get": operation(ref("Tree"))}, "/l": {"get": operation(ref("List"))}},
            {
                "Tree": {
                    "$id": "https://example.com/tree",
                    "$dynamicAnchor": "node",
                    "type": "object",
                    "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}},
                },
                "List": {
                    "$id": "https://example.com/list",
                    "$recursiveAnchor": True,
                    "type": "object",
                    "properties": {"next": {"$recursiveRef": "#"}},
                },
            },
        ),
    )
    tree = typedef(api, "Tree")
    assert field(api, "Tree", "children").type == ir.ListOf(ir.Named(tree.id))
    assert field(api, "List", "next").type == ir.Named(typedef(api, "List").id)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"$id": "https://x.test/a", "properties": {"a": {"$recursiveRef": "other"}}}, "$recursiveRef 'other'"),
    ],
)
def test_unresolvable_dynamic_references_name_the_keyword(
    tmp_path: Path, schema: dict[str, typing.Any], message: str
) -> None:
    with pytest.raises(SpecError) as caught:
        build_one(tmp_path, openapi({"/a": {"get": operation(ref("A"))}}, {"A": schema}))
    assert message in caught.value.message
    assert caught.value.location is not None and caught.value.location.pointer.startswith("/components/schemas/A")
