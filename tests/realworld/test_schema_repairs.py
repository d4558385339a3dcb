"""A schema sdkgen cannot type is repaired where it is, with one located warning, and the rest of the
API generates: a property, an array's items, a map's values or extra properties typed as any JSON
value; a union member or an ``allOf`` part left out; a keyword that cannot be read (an unknown
``type``, an ``enum`` that is no list, a ``discriminator`` naming no property) left out; a component
that cannot be typed at all an alias of any JSON value, which the operations using it return.
What cannot be generated (a reading limit, a name) is still refused."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import ir, limits
from generator.errors import SpecError
from generator.pipeline import build_ir
from tests.normalise.helpers import build_one, openapi, operation, write
from tests.realworld.sdk import generate, import_each_module
from tests.rest.scripted_server import ScriptedServer, json_reply

ANY = ir.Primitive("any")
STRING = ir.Primitive("string")

BROKEN = """\
openapi: 3.1.0
info: {title: Broken Thing, version: "1"}
paths:
  /good:
    get:
      operationId: getGood
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Good'}}}}
  /bad:
    get:
      operationId: getBad
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Bad'}}}}
  /bads:
    get:
      operationId: listBads
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Bad'}}}}
  /whole:
    get:
      operationId: getWhole
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Whole'}}}}
  /pets:
    post:
      operationId: addPet
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
components:
  schemas:
    Good: {type: object, properties: {a: {type: string}}}
    Bad:
      type: object
      required: [c]
      properties:
        b: {type: strin}
        c: {type: string}
        d: string
        tags: {type: array, items: 5}
        scores: {type: object, additionalProperties: "x"}
        either: {oneOf: [{type: string}, 7, {type: integer}]}
        neither: {anyOf: [7, 8]}
        label: {type: string, enum: 5}
        kinds: {type: [string, strin]}
        whole: {$ref: '#/components/schemas/Whole'}
      additionalProperties: 9
    Whole:
      description: A schema that is none.
      allOf: 3
    Parted:
      allOf:
        - {$ref: '#/components/schemas/Good'}
        - junk
        - {type: object, properties: 4}
        - {type: object, properties: {z: {type: boolean}}, required: z}
    Pet:
      oneOf:
        - {$ref: '#/components/schemas/Cat'}
        - {$ref: '#/components/schemas/Dog'}
        - {$ref: '#/components/schemas/Whole'}
        - {type: object, properties: 1}
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog', whole: '#/components/schemas/Whole'}
    Cat: {type: object, required: [kind], properties: {kind: {type: string, const: cat}, meow: {type: boolean}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string, const: dog}, bark: {type: boolean}}}
    Animal:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: 5}
"""

UNKNOWN = "unknown type 'strin' (expected one of array, boolean, integer, null, number, object, string)"


def _line(text: str) -> int:
    """The line of BROKEN that holds ``text`` (once)."""
    lines = [number for number, line in enumerate(BROKEN.splitlines(), 1) if text in line]
    assert len(lines) == 1, (text, lines)
    return lines[0]


def _at(text: str, pointer: str) -> str:
    """``api.yaml:<line> at <pointer>``: how a warning names its place."""
    return f"api.yaml:{_line(text)} at {pointer}"


def _built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[ir.Api, str]:
    write(tmp_path, {"api.yaml": BROKEN}, [{"file": "api.yaml"}], package="schema_repairs")
    api = build_ir(tmp_path)
    return api, capsys.readouterr().err


def _type(api: ir.Api, py_name: str) -> ir.TypeDef:
    return next(t for t in api.types if t.py_name == py_name)


def _fields(api: ir.Api, py_name: str) -> dict[str, ir.TypeRef]:
    found = _type(api, py_name)
    assert isinstance(found, ir.ObjectType), found
    return {f.name: f.type for f in found.fields}


def _response(api: ir.Api, py_name: str) -> ir.TypeRef | None:
    return next(e for e in api.endpoints if e.py_name == py_name).response.type


def test_a_property_that_cannot_be_typed_is_any_json_value_and_the_model_keeps_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api, err = _built(tmp_path, capsys)
    bad = _type(api, "Bad")
    fields = _fields(api, "Bad")
    assert fields["b"] == ANY and fields["c"] == STRING and fields["d"] == ANY
    assert fields["tags"] == ir.ListOf(ANY) and fields["scores"] == ir.MapOf(ANY)
    assert isinstance(bad, ir.ObjectType) and bad.additional == ANY
    assert [f.name for f in bad.fields if f.required] == ["c"]
    assert _response(api, "get_bad") == ir.Named(bad.id)  # typed: its model was repaired, not the response
    assert _response(api, "list_bads") == ir.ListOf(ir.Named(bad.id))
    assert _response(api, "get_good") == ir.Named(_type(api, "Good").id)
    pointer = "/components/schemas/Bad"
    for warning in (
        f"{_at('b: {type: strin}', pointer + '/properties/b/type')}: {UNKNOWN}; left out: the value is typed as "
        "any JSON value",
        f"{_at('d: string', pointer + '/properties/d')}: a schema must be a mapping; the property 'd' of Bad is "
        "typed as any JSON value",
        f"{_at('items: 5', pointer + '/properties/tags/items')}: a schema must be a mapping; the array's items are "
        "typed as any JSON value",
        f"{_at('scores:', pointer + '/properties/scores/additionalProperties')}: a schema must be a mapping; the "
        "map's values are typed as any JSON value",
        f"{_at('additionalProperties: 9', pointer + '/additionalProperties')}: a schema must be a mapping; the "
        "additional properties of Bad are typed as any JSON value",
    ):
        assert f"sdkgen: warning: {warning}\n" in err
    assert err.count(UNKNOWN) == 2  # Bad is used by two operations and itself: said once per place
    assert "the response is not typed" not in err


def test_a_keyword_that_cannot_be_read_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api, err = _built(tmp_path, capsys)
    fields = _fields(api, "Bad")
    assert fields["label"] == STRING and fields["kinds"] == STRING
    animal = _type(api, "Animal")
    assert isinstance(animal, ir.UnionType) and animal.discriminator is not None  # found as if none were given
    assert animal.discriminator.property == "kind"
    assert f"{_at('label:', '/components/schemas/Bad/properties/label/enum')}: 'enum' must be a list of values; " in err
    assert f"{UNKNOWN}; left out: the schema is typed by the rest (string)" in err
    assert (
        f"{_at('discriminator: {propertyName: 5}', '/components/schemas/Animal/discriminator')}: "
        "discriminator.propertyName must be a string; the discriminator is ignored (read as if absent)"
    ) in err


def test_an_unknown_type_in_openapi_3_0_is_repaired_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """OpenAPI 3.0's JSON Schema names the types a schema may have: an unknown one there is no refusal
    at load, but repaired where the schema is read, with one warning (not two)."""
    document = openapi(
        {"/bad": {"get": {"operationId": "getBad", **operation({"$ref": "#/components/schemas/Bad"})}}},
        {"Bad": {"type": "object", "properties": {"b": {"type": "strin"}, "c": {"type": "string"}}}},
    )
    document["openapi"] = "3.0.3"
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)  # validated as the CLI does
    assert _fields(api, "Bad") == {"b": ANY, "c": STRING}
    err = capsys.readouterr().err
    assert err.count("warning") == 1
    assert "at /components/schemas/Bad/properties/b/type: unknown type 'strin'" in err


def test_a_union_member_that_cannot_be_typed_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api, err = _built(tmp_path, capsys)
    fields = _fields(api, "Bad")
    assert fields["either"] == ir.UnionOf((STRING, ir.Primitive("integer")))
    assert fields["neither"] == ANY  # no member left
    pet = _type(api, "Pet")
    cat, dog = _type(api, "Cat"), _type(api, "Dog")
    assert isinstance(pet, ir.UnionType) and pet.members == (ir.Named(cat.id), ir.Named(dog.id))
    assert pet.discriminator == ir.Discriminator("kind", (("cat", cat.id), ("dog", dog.id)))
    either = "/components/schemas/Bad/properties/either"
    assert (
        f"{_at('  either:', either + '/oneOf/1')}: a schema must be a mapping; this union member is left out\n" in err
    )
    neither = _at("neither: {anyOf", "/components/schemas/Bad/properties/neither/anyOf/0")
    assert (
        f"{neither}: a schema must be a mapping; this union member is left out; with no member left, the union is "
        "typed as any JSON value"
    ) in err
    assert (
        f"{_at('- {type: object, properties: 1}', '/components/schemas/Pet/oneOf/3/properties')}: 'properties' must "
        "be a mapping; the union member /components/schemas/Pet/oneOf/3 is left out"
    ) in err
    member = _at("- {$ref: '#/components/schemas/Whole'}", "/components/schemas/Pet/oneOf/2")
    assert (
        f"{member}: the union member names Whole, an alias of any JSON value (it could not be typed); it is left "
        "out of the union"
    ) in err
    assert (
        f"{_at('mapping: {cat:', '/components/schemas/Pet/discriminator/mapping/whole')}: discriminator mapping "
        "'whole' names Whole, an alias of any JSON value (it could not be typed); this mapping entry is left out"
    ) in err


def test_an_all_of_part_that_cannot_be_read_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api, err = _built(tmp_path, capsys)
    assert _fields(api, "Parted") == {"a": STRING, "z": ir.Primitive("boolean")}
    parted = _type(api, "Parted")
    assert isinstance(parted, ir.ObjectType) and not any(f.required for f in parted.fields)
    pointer = "/components/schemas/Parted/allOf"
    assert f"{_at('- junk', pointer + '/1')}: a schema must be a mapping; this allOf part is left out\n" in err
    assert (
        f"{_at('properties: 4', pointer + '/2/properties')}: 'properties' must be a mapping; the allOf part "
        f"{pointer}/2 is left out"
    ) in err
    assert (
        f"{_at('required: z', pointer + '/3/required')}: 'required' must be a list of property names; it is left "
        "out, so it makes no property required"
    ) in err


def test_a_component_that_cannot_be_typed_is_an_alias_of_any_json_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api, err = _built(tmp_path, capsys)
    whole = _type(api, "Whole")
    assert isinstance(whole, ir.AliasType) and whole.target == ANY
    assert whole.description == "A schema that is none."
    assert _response(api, "get_whole") == ir.Named(whole.id)
    assert _fields(api, "Bad")["whole"] == ir.Named(whole.id)
    warning = (
        f"{_at('allOf: 3', '/components/schemas/Whole/allOf')}: 'allOf' must be a list; the type Whole is an "
        "alias of any JSON value"
    )
    assert err.count(warning) == 1  # used by an operation, a property and a union: said once
    assert "the response is not typed" not in err


def test_the_repaired_sdk_passes_mypy_strict_and_its_operations_work(
    tmp_path: Path, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = write(tmp_path / "specs", {"api.yaml": BROKEN}, [{"file": "api.yaml"}], package="schema_repairs")
    src = generate(specs, tmp_path / "out")
    capsys.readouterr()
    import_each_module("schema_repairs", src)
    (src / "use_it.py").write_text(
        "import typing\n"
        "from schema_repairs import DemoClient\n"
        "from schema_repairs.types import Bad, Cat, Whole\n\n"
        "def use(client: DemoClient) -> None:\n"
        "    bad: Bad = client.get_bad()\n"
        "    anything: typing.Any = bad.b\n"
        "    text: str = bad.c\n"
        "    whole: Whole = client.get_whole()\n"
        "    pet = client.add_pet(request=Cat(meow=True))\n"
        "    if isinstance(pet, Cat):\n"
        "        meows: typing.Optional[bool] = pet.meow\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "mypy"),
            "schema_repairs",
            "use_it.py",
        ],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    monkeypatch.syspath_prepend(str(src))
    package = importlib.import_module("schema_repairs")
    types = importlib.import_module("schema_repairs.types")
    client = package.DemoClient(api_key="key", base_url=server.url)
    server.answer(json_reply({"a": "fine"}))
    assert client.get_good().a == "fine"
    sent = {"b": {"any": ["thing"]}, "c": "text", "tags": [1, "x"], "either": 3, "neither": None, "whole": [1, 2]}
    server.answer(json_reply(sent))
    bad = client.get_bad()
    assert isinstance(bad, types.Bad)
    assert (bad.b, bad.c, bad.tags, bad.either, bad.whole) == ({"any": ["thing"]}, "text", [1, "x"], 3, [1, 2])
    server.answer(json_reply({"anything": True}))
    assert client.get_whole() == {"anything": True}
    server.answer(json_reply({"kind": "dog", "bark": True}))
    pet = client.add_pet(request=types.Cat(meow=True))
    assert isinstance(pet, types.Dog) and pet.bark is True
    assert json.loads(server.requests[0].body) == {"kind": "cat", "meow": True}


def test_a_request_or_error_body_that_cannot_be_typed_is_any_json_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    untypeable: dict[str, Any] = {"type": "object", "properties": ["n"]}
    shared = {"name": "filter", "in": "query", "schema": untypeable}
    document = openapi(
        {
            "/a": {
                "post": {
                    "operationId": "postA",
                    "parameters": [{"$ref": "#/components/parameters/Filter"}],
                    "requestBody": {"content": {"application/json": {"schema": untypeable}}},
                    "responses": {
                        "200": {"description": "ok"},
                        "404": {"description": "no", "content": {"application/json": {"schema": untypeable}}},
                    },
                }
            },
            "/b": {
                "get": {
                    "operationId": "getB",
                    "parameters": [{"$ref": "#/components/parameters/Filter"}],
                    **operation({"type": "string"}),
                }
            },
        },
        components={"parameters": {"Filter": shared}},
    )
    write(tmp_path, {"api.yaml": document}, [{"file": "api.yaml"}], package="schema_repairs_bodies")
    api = build_ir(tmp_path)
    post = next(e for e in api.endpoints if e.py_name == "post_a")
    assert post.body is not None and post.body.type == ANY
    assert [(e.status, e.type) for e in post.errors] == [(404, ANY)]
    assert post.query_params == () and next(e for e in api.endpoints if e.py_name == "get_b").query_params == ()
    err = capsys.readouterr().err
    schema = "content/application~1json/schema/properties: 'properties' must be a mapping"
    assert re.search(
        rf"api\.yaml:\d+ at /paths/~1a/post/requestBody/{schema}; the request body is typed as any JSON value\n", err
    )
    assert re.search(
        rf"api\.yaml:\d+ at /paths/~1a/post/responses/404/{schema}; the body of the 404 error response is typed as "
        r"any JSON value\n",
        err,
    )
    left_out = re.findall(
        r"api\.yaml:\d+ at /components/parameters/Filter/schema/properties: 'properties' must be a mapping; the "
        r"parameter 'filter' is left out\n",
        err,
    )
    assert len(left_out) == 1  # two operations use it: said once
    import_each_module("schema_repairs_bodies", generate(tmp_path, tmp_path / "out"))


def test_what_cannot_be_generated_is_still_refused(tmp_path: Path) -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(limits.MAX_TYPE_NESTING + 1):
        deep = {"type": "array", "items": deep}
    with pytest.raises(SpecError, match="nests more than") as raised:  # a reading limit, not a typing problem
        build_one(tmp_path / "deep", openapi({}, {"Grid": {"type": "object", "properties": {"cells": deep}}}))
    assert (
        raised.value.location is not None
        and "/components/schemas/Grid/properties/cells" in raised.value.location.pointer
    )
    named = {"type": "object", "properties": {"inner": {"type": "object", "x-sdk-name": "not a name"}}}
    with pytest.raises(SpecError, match="x-sdk-name 'not a name' is not a Python identifier"):
        build_one(tmp_path / "named", openapi({}, {"Thing": named}))
