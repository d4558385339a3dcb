"""Swagger 2.0 documents are read as the OpenAPI 3.0 they convert to (generator/load/swagger.py)."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from generator import ir
from generator.pipeline import Project, build_ir
from tests.normalise.helpers import write

SWAGGER: dict[str, typing.Any] = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1"},
    "host": "api.example.com",
    "basePath": "/v2",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {"basic": {"type": "basic"}},
    "security": [{"basic": []}],
    "parameters": {
        "limit": {"name": "limit", "in": "query", "type": "integer", "format": "int32"},
        "pet": {"name": "pet", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Pet"}},
    },
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "schemes": ["https"],
                "parameters": [
                    {"$ref": "#/parameters/limit"},
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}},
                    {
                        "name": "ids",
                        "in": "query",
                        "type": "array",
                        "items": {"type": "string"},
                        "collectionFormat": "multi",
                    },
                ],
                "responses": {
                    "200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}},
                    "404": {"description": "none", "schema": {"$ref": "#/definitions/Error"}},
                },
            },
            "post": {
                "operationId": "createPet",
                "parameters": [{"$ref": "#/parameters/pet"}],
                "responses": {"201": {"description": "made", "schema": {"$ref": "#/definitions/Pet"}}},
            },
        },
        "/pets/{id}/photo": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
            "put": {
                "operationId": "uploadPhoto",
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {"name": "caption", "in": "formData", "type": "string"},
                ],
                "responses": {"204": {"description": "done"}},
            },
            "get": {
                "operationId": "getPhoto",
                "produces": ["image/png"],
                "responses": {"200": {"description": "the photo", "schema": {"type": "file"}}},
            },
        },
    },
    "definitions": {
        "Pet": {
            "type": "object",
            "required": ["name"],
            "discriminator": "kind",
            "properties": {
                "name": {"type": "string"},
                "kind": {"type": "string"},
                "nickname": {"type": "string", "x-nullable": True},
            },
        },
        "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
    },
}


def test_a_swagger_document_is_read_as_openapi_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"api.yaml": SWAGGER}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    assert "api.yaml:1 at /swagger: Swagger 2.0: read as the OpenAPI 3.1 it converts to" in capsys.readouterr().err
    by_name = {e.py_name: e for e in api.endpoints}
    listing = by_name["list_pets"]
    assert listing.path == "/pets"  # basePath is in the server URL, counted once
    assert [(p.name, p.style, p.explode) for p in listing.query_params] == [
        ("limit", "form", True),
        ("tags", "form", False),  # csv, Swagger's default
        ("ids", "form", True),  # multi
    ]
    assert listing.query_params[0].type == ir.Primitive("integer", "int32")
    pet = next(t for t in api.types if t.py_name == "Pet")
    assert isinstance(listing.response.type, ir.ListOf) and listing.response.type.item == ir.Named(pet.id)
    assert [(e.status, e.class_name) for e in listing.errors] == [(404, "NotFoundError")]
    assert isinstance(pet, ir.ObjectType)
    assert next(f for f in pet.fields if f.name == "nickname").type == ir.Nullable(ir.Primitive("string"))
    create = by_name["create_pet"]
    assert create.body is not None and create.body.kind == "json" and create.body.type == ir.Named(pet.id)
    upload = by_name["upload_photo"]
    assert upload.body is not None and upload.body.kind == "multipart"
    assert [(f.name, f.type, f.required) for f in upload.body.fields] == [
        ("file", ir.Primitive("binary"), True),
        ("caption", ir.Primitive("string"), False),
    ]
    assert [p.name for p in upload.path_params] == ["id"]
    photo = by_name["get_photo"]
    assert (photo.response.kind, photo.response.content_type) == ("binary", "image/png")


def test_base_path_is_counted_once(tmp_path: Path) -> None:
    """``host`` + ``basePath``: the server URL carries the base path and the paths stay as written;
    without ``host`` there is no server and the base path prefixes the paths."""
    from generator.pipeline import Project, resolve

    (tmp_path / "api.json").write_text(json.dumps(SWAGGER), encoding="utf-8")
    settings, _ = resolve(Project.from_files([tmp_path / "api.json"]))
    assert dict(settings.environments[0][1]) == {"base": "https://api.example.com/v2"}
    api = build_ir(Project.from_files([tmp_path / "api.json"]))
    paths = {e.py_name: e.path for e in api.endpoints}
    assert paths["list_pets"] == "/pets"
    hostless = {key: value for key, value in SWAGGER.items() if key != "host"}
    write(tmp_path / "hostless", {"api.yaml": hostless}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path / "hostless")
    assert {e.py_name: e.path for e in api.endpoints}["list_pets"] == "/v2/pets"


LENIENT: dict[str, typing.Any] = {
    "swagger": "2.0",
    "info": {"title": "Shapes", "version": "1"},
    "host": "api.example.com",
    "paths": {
        "/shapes/{id}": {
            "put": {
                "operationId": "putShape",
                "parameters": [
                    {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Shape"}},
                    {"name": "id", "in": "query", "type": "integer"},  # the path names it: repaired
                ],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Shape"}}},
            }
        }
    },
    "definitions": {
        "Shape": {
            "type": "object",
            "properties": {
                "point": {"type": "array", "items": [{"type": "number"}, {"type": "string"}]},  # a tuple
                "nothing": {"type": "null"},
                "either": {"type": ["string", "integer"]},
                "maybe": {"type": ["string", "null"]},
                "odd": {"enum": [{"a": 1}]},
            },
        }
    },
}


def test_swagger_is_read_as_leniently_as_openapi_3_1_and_messages_point_into_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, {"api.yaml": LENIENT}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    shape = next(t for t in api.types if t.py_name == "Shape")
    assert isinstance(shape, ir.ObjectType)
    fields = {f.name: f.type for f in shape.fields}
    assert fields["point"] == ir.ListOf(ir.UnionOf((ir.Primitive("number"), ir.Primitive("string"))))
    assert fields["either"] == ir.UnionOf((ir.Primitive("string"), ir.Primitive("integer")))
    assert fields["maybe"] == ir.Nullable(ir.Primitive("string"))
    put = next(e for e in api.endpoints if e.py_name == "put_shape")
    assert [p.name for p in put.path_params] == ["id"]
    err = capsys.readouterr().err
    # pointers into the file as written (parameters/1, definitions), the format named
    assert "api.yaml:15 at /paths/~1shapes~1{id}/put/parameters/1 (Swagger 2.0): the path '/shapes/{id}'" in err
    assert "at /definitions/Shape/properties/odd (Swagger 2.0): an object or array constant" in err
    assert "components" not in err and "requestBody" not in err


def test_a_refused_swagger_document_is_named_as_such(tmp_path: Path) -> None:
    from generator.errors import SpecError

    document = {**LENIENT, "info": {"version": "1"}}  # no title
    (tmp_path / "api.json").write_text(json.dumps(document), encoding="utf-8")
    write(tmp_path, {}, [{"file": "api.json"}])
    with pytest.raises(SpecError) as caught:
        build_ir(tmp_path)
    assert "invalid Swagger 2.0 (read as OpenAPI 3.1.0): 'title' is a required property" in str(caught.value)
    assert str(caught.value.location).endswith("at /info (Swagger 2.0)")


@pytest.mark.parametrize(
    ("servers", "warning"),
    [
        ([{"url": "/api/v2"}], "server URL '/api/v2' is not absolute"),
        (
            [{"url": "https://{host}/api/v2", "variables": {"host": {"description": "yours"}}}],
            "server variable 'host' has no default",
        ),
        ([{"url": "<your-host>"}], "server URL '<your-host>' is not absolute"),
    ],
    ids=["relative", "variable-without-default", "placeholder"],
)
def test_a_document_with_no_usable_server_gets_a_client_that_takes_its_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], servers: list[dict[str, typing.Any]], warning: str
) -> None:
    """A description whose servers sdkgen cannot tell the URL of (relative to wherever it is served, a
    variable with no default, a placeholder): each is left out with a located warning, the client
    requires base_url=..., and `sdkgen init` writes settings that say how to give a default."""
    from generator import cli
    from generator.pipeline import build_files

    document = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "servers": servers,
        "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"204": {"description": "none"}}}}},
    }
    (tmp_path / "api.json").write_text(json.dumps(document), encoding="utf-8")
    specs = tmp_path / "specs"
    assert cli.main(["init", str(tmp_path / "api.json"), "--specs", str(specs)]) == 0
    err = capsys.readouterr().err
    assert "api.json:1 at /servers/0/" in err and warning in err and "this server is left out" in err
    text = (specs / "sdkgen.yaml").read_text(encoding="utf-8")
    assert "\nenvironments:" not in text and "the client requires base_url=" in text
    client = next(body for path, body in build_files(specs).items() if path.endswith("/client.py") and "Pets" in body)
    assert "base_url: str," in client  # required
    (specs / "sdkgen.yaml").write_text(
        text + 'environments: {production: {base: "https://pets.example.com/api/v2"}}\n', encoding="utf-8"
    )
    files = build_files(specs)
    assert any(
        path.endswith("environment.py") and "https://pets.example.com/api/v2" in body for path, body in files.items()
    )


def test_a_server_url_without_a_scheme_is_taken_as_https(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``//host/path`` (and a usable server beside an unusable one): the URL sdkgen can use is used."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "servers": [{"url": "none"}, {"url": "//pets.example.com/api"}],
        "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"204": {"description": "none"}}}}},
    }
    (tmp_path / "api.json").write_text(json.dumps(document), encoding="utf-8")
    api = build_ir(Project.from_files([tmp_path / "api.json"]))  # no settings: the servers decide
    assert [e.urls for e in api.environments] == [(("base", "https://pets.example.com/api"),)]
    err = capsys.readouterr().err
    assert (
        "server URL 'none' is not absolute" in err
        and "'//pets.example.com/api' names no scheme; https is assumed" in err
    )
