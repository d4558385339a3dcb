"""OpenAPI operations -> endpoints: one rule per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.errors import SpecError
from tests.normalise.helpers import build_one, endpoint, named, openapi, operation

STRING = ir.Primitive("string")


def api_of(tmp_path: Path, paths: dict[str, Any], schemas: dict[str, Any] | None = None, **extra: Any) -> ir.Api:
    return build_one(tmp_path, openapi(paths=paths, schemas=schemas, **extra))


def param(name: str, location: str = "query", schema: Any = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": location, "schema": schema or {"type": "string"}, **extra}


def test_path_level_parameters_merge_with_operation_ones(tmp_path: Path) -> None:
    api = api_of(
        tmp_path,
        {
            "/items/{id}": {
                "parameters": [param("id", "path"), param("q", description="path level")],
                "get": {
                    **operation(),
                    "operationId": "get",
                    "parameters": [param("q", description="op level"), param("r")],
                },
            }
        },
    )
    found = endpoint(api, "demo.get")
    assert [(p.name, p.required) for p in found.path_params] == [("id", True)]
    assert [(p.name, p.description) for p in found.query_params] == [("q", "op level"), ("r", None)]


def test_parameter_refs_styles_and_defaults(tmp_path: Path) -> None:
    api = build_one(
        tmp_path,
        {
            **openapi(
                paths={
                    "/items": {
                        "get": {
                            **operation(),
                            "operationId": "list",
                            "parameters": [
                                {"$ref": "#/components/parameters/Limit"},
                                param("tags", schema={"type": "array", "items": {"type": "string"}}, explode=False),
                                param("ids", schema={"type": "array", "items": {"type": "string"}}),
                                param("sort", schema={"type": "string", "enum": ["asc", "desc"]}),
                            ],
                        }
                    }
                }
            ),
            "components": {
                "parameters": {"Limit": param("limit", schema={"type": "integer", "default": 10}, deprecated=True)}
            },
        },
    )
    limit, tags, ids, sort = endpoint(api, "demo.list").query_params
    assert (limit.has_default, limit.default, limit.deprecated, limit.required) == (True, 10, True, False)
    assert (tags.type, tags.explode) == (ir.ListOf(STRING), False)
    assert ids.explode is True
    assert named(api, sort.type).py_name == "ListSort"


def test_the_auth_header_and_client_headers_are_dropped(tmp_path: Path) -> None:
    api = api_of(
        tmp_path,
        {
            "/x": {
                "get": {
                    **operation(),
                    "operationId": "x",
                    "parameters": [
                        param("x-key", "header"),
                        param("Accept", "header"),
                        param("X-Trace", "header", required=True),
                    ],
                }
            }
        },
    )
    assert [(p.name, p.py_name, p.required) for p in endpoint(api, "demo.x").header_params] == [
        ("X-Trace", "x_trace", True)
    ]


def test_json_body_exposes_fields_and_params_are_named_apart(tmp_path: Path) -> None:
    body = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "self": {"type": "string"}}}
    api = api_of(
        tmp_path,
        {
            "/x/{id}": {
                "post": {
                    **operation(),
                    "operationId": "update",
                    "parameters": [param("id", "path")],
                    "requestBody": {
                        "required": True,
                        "description": "What to set.",
                        "content": {"application/json": {"schema": body}},
                    },
                }
            }
        },
    )
    found = endpoint(api, "demo.update")
    assert found.body is not None
    assert (found.body.kind, found.body.required, found.body.description) == ("json", True, "What to set.")
    assert [f.py_name for f in found.body.fields] == ["id", "self_"]
    assert named(api, found.body.type).py_name == "UpdateRequest"
    assert [(p.name, p.py_name) for p in found.path_params] == [("id", "id_2")]


def test_body_fields_are_named_as_arguments_not_as_model_attributes(tmp_path: Path) -> None:
    body = {"type": "object", "properties": {name: {"type": "string"} for name in ("json", "copy", "request_options")}}
    api = api_of(
        tmp_path,
        {
            "/x": {
                "post": {
                    **operation(),
                    "operationId": "send",
                    "requestBody": {"content": {"multipart/form-data": {"schema": body}}},
                }
            }
        },
    )
    found = endpoint(api, "demo.send")
    assert found.body is not None
    assert [(f.name, f.py_name) for f in found.body.fields] == [
        ("json", "json"),
        ("copy", "copy"),
        ("request_options", "request_options_2"),
    ]
    model = named(api, found.body.type)
    assert isinstance(model, ir.ObjectType)
    assert [f.py_name for f in model.fields] == ["json_", "copy_", "request_options"]


def test_multipart_form_binary_and_text_bodies(tmp_path: Path) -> None:
    upload = {
        "type": "object",
        "properties": {
            "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "meta": {"type": "object", "properties": {"a": {}}},
        },
    }
    api = api_of(
        tmp_path,
        {
            "/upload": {
                "post": {
                    **operation(),
                    "operationId": "upload",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": upload,
                                "encoding": {"meta": {"contentType": "application/json"}},
                            }
                        }
                    },
                }
            },
            "/form": {
                "post": {
                    **operation(),
                    "operationId": "form",
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {}}}}
                        }
                    },
                }
            },
            "/raw": {"put": {**operation(), "operationId": "raw", "requestBody": {"content": {"audio/wav": {}}}}},
            "/text": {
                "put": {
                    **operation(),
                    "operationId": "text",
                    "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
                }
            },
        },
    )
    multipart = endpoint(api, "demo.upload").body
    assert multipart is not None and multipart.kind == "multipart"
    assert [(f.name, f.type, f.content_type) for f in multipart.fields][0] == (
        "file",
        ir.ListOf(ir.Primitive("binary")),
        None,
    )
    assert multipart.fields[1].content_type == "application/json"
    form = endpoint(api, "demo.form").body
    assert form is not None and form.kind == "form" and [f.name for f in form.fields] == ["a"]
    raw = endpoint(api, "demo.raw").body
    assert raw is not None and (raw.kind, raw.type, raw.fields) == ("binary", ir.Primitive("binary"), ())
    text = endpoint(api, "demo.text").body
    assert text is not None and (text.kind, text.type) == ("text", STRING)


def test_json_is_preferred_and_variants_give_one_endpoint_each(tmp_path: Path) -> None:
    content = {
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        "application/json": {"schema": {"type": "object", "properties": {"url": {"type": "string"}}}},
    }
    api = api_of(
        tmp_path,
        {
            "/jobs": {
                "post": {**operation(), "operationId": "start", "requestBody": {"content": content}},
                "put": {
                    **operation(),
                    "operationId": "start-again",
                    "requestBody": {"content": content},
                    "x-sdk-variants": [
                        {"method": "start_from_url", "content-type": "application/json"},
                        {"method": "start_from_file", "content-type": "multipart/form-data"},
                    ],
                },
            }
        },
    )
    assert endpoint(api, "demo.start").body.content_type == "application/json"  # type: ignore[union-attr]
    from_url, from_file = endpoint(api, "demo.start_from_url"), endpoint(api, "demo.start_from_file")
    assert (from_url.operation_id, from_url.body.kind) == ("start-again", "json")  # type: ignore[union-attr]
    assert (from_file.operation_id, from_file.body.kind) == ("start-again", "multipart")  # type: ignore[union-attr]
    assert [f.name for f in from_file.body.fields] == ["file"]  # type: ignore[union-attr]


def test_unknown_variant_content_type_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="x-sdk-variants"):
        api_of(
            tmp_path,
            {
                "/j": {
                    "post": {
                        **operation(),
                        "requestBody": {"content": {"application/json": {}}},
                        "x-sdk-variants": [{"method": "a", "content-type": "text/csv"}],
                    }
                }
            },
        )


@pytest.mark.parametrize(
    ("content_type", "kind", "type_"),
    [
        ("text/event-stream", "sse", ir.Named("api.yaml#/components/schemas/Event")),
        ("application/json", "json", ir.Named("api.yaml#/components/schemas/Event")),
        # a generic media type beside a JSON-shaped schema: the schema wins (tests/realworld/test_point_of_view.py)
        ("application/octet-stream", "json", ir.Named("api.yaml#/components/schemas/Event")),
        ("audio/mpeg", "binary", ir.Primitive("binary")),
        ("application/zip", "binary", ir.Primitive("binary")),
        ("text/plain", "json", ir.Named("api.yaml#/components/schemas/Event")),
        ("text/csv", "text", STRING),
    ],
)
def test_response_kinds(tmp_path: Path, content_type: str, kind: str, type_: ir.TypeRef) -> None:
    schemas = {"Event": {"type": "object", "properties": {"a": {}}}}
    response = {"description": "ok", "content": {content_type: {"schema": {"$ref": "#/components/schemas/Event"}}}}
    api = api_of(tmp_path, {"/r": {"get": {"operationId": "r", "responses": {"201": response}}}}, schemas)
    found = endpoint(api, "demo.r").response
    assert (found.status, found.kind, found.content_type, found.type) == ("201", kind, content_type, type_)


def test_lowest_success_status_and_empty_responses(tmp_path: Path) -> None:
    responses = {
        "204": {"description": "none"},
        "202": {"description": "accepted"},
        "default": {"description": "whatever"},
    }
    api = api_of(tmp_path, {"/r": {"delete": {"operationId": "r", "responses": responses}}})
    assert endpoint(api, "demo.r").response == ir.Response(status="202", kind="empty", description="accepted")


def test_errors_use_the_fixed_class_table(tmp_path: Path) -> None:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    responses: dict[str, Any] = {"200": {"description": "ok"}}
    for code in ("400", "401", "403", "404", "409", "422", "429", "500", "503", "418", "4XX"):
        responses[code] = {"description": code, **error}
    schemas = {"Problem": {"type": "object", "properties": {"detail": {}}}}
    api = api_of(
        tmp_path,
        {
            "/r": {"get": {"operationId": "r", "responses": responses}},
            "/s": {"get": {"operationId": "s", "responses": responses, "x-sdk-errors": False}},
        },
        schemas,
    )
    errors = endpoint(api, "demo.r").errors
    assert [(e.status, e.class_name) for e in errors] == [
        (4, "ClientError"),  # 4XX: the runtime looks it up by the hundreds digit
        (400, "BadRequestError"),
        (401, "UnauthorizedError"),
        (403, "ForbiddenError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (418, "Status418Error"),
        (422, "UnprocessableEntityError"),
        (429, "TooManyRequestsError"),
        (500, "InternalServerError"),
        (503, "ServiceUnavailableError"),
    ]
    assert errors[0].type == ir.Named("api.yaml#/components/schemas/Problem") and errors[1].description == "400"
    assert endpoint(api, "demo.s").errors == ()


def test_method_group_and_docs(tmp_path: Path) -> None:
    api = api_of(
        tmp_path,
        {
            "/a": {
                "get": {
                    **operation(),
                    "operationId": "listThings",
                    "tags": ["subpackage_bigThings"],
                    "summary": "S",
                    "description": "D",
                    "deprecated": True,
                }
            },
            "/b": {"get": {**operation(), "operationId": "b", "tags": [""]}},
            "/c": {"get": {**operation(), "operationId": "c", "tags": ["demo"]}},
            "/d": {
                "get": {
                    **operation(),
                    "operationId": "d",
                    "x-sdk-group": ["x", "y"],
                    "x-sdk-method": "fetch",
                    "tags": ["ignored"],
                }
            },
            "/e": {"get": {**operation(), "operationId": "e", "security": []}},
        },
    )
    found = endpoint(api, "demo.big_things.list_things")
    assert (found.group, found.summary, found.description, found.deprecated, found.auth) == (
        ("demo", "big_things"),
        "S",
        "D",
        True,
        True,
    )
    assert endpoint(api, "demo.b").group == ("demo",)
    assert endpoint(api, "demo.c").group == ("demo",)
    assert endpoint(api, "demo.x.y.fetch").operation_id == "d"
    assert endpoint(api, "demo.e").auth is False
    assert [g.path for g in api.groups] == [(), ("demo",), ("demo", "big_things"), ("demo", "x"), ("demo", "x", "y")]
    assert api.group(()) == ir.Group(
        (),
        "DemoClient",
        "AsyncDemoClient",
        "RawDemoClient",
        "AsyncRawDemoClient",
        "StreamingDemoClient",
        "AsyncStreamingDemoClient",
    )
    big = api.group(("demo", "big_things"))
    assert (big.client, big.async_client, big.raw_client, big.async_raw_client) == (
        "BigThingsClient",
        "AsyncBigThingsClient",
        "RawBigThingsClient",
        "AsyncRawBigThingsClient",
    )


def test_warts_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api = api_of(
        tmp_path,
        {
            "/a/{id}/audio": {
                "parameters": [param("id", "path")],
                "get": {**operation(), "operationId": "get-audio", "tags": ["subpackage_chats"]},
            },
            "/b/{id}/audio": {
                "parameters": [param("id", "path")],
                "get": {**operation(), "operationId": "get-audio", "tags": ["subpackage_chatGroups"]},
            },
            "/c/{c_id}": {"parameters": [param("c_id", "path")], "post": operation()},
            "/d": {"get": {**operation(), "tags": [""]}},
        },
    )
    assert {e.id for e in api.endpoints} == {
        "demo.chats.get_audio",
        "demo.chat_groups.get_audio",
        "demo.post_c_c_id",
        "demo.get_d",
    }
    warnings = capsys.readouterr().err
    assert "operationId 'get-audio' is repeated" in warnings
    assert "subpackage_" in warnings and "empty tag" in warnings
    assert "naming it 'post_c_c_id'" in warnings


def test_two_endpoints_x_sdk_method_names_alike_are_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="'demo.same' is defined twice"):
        api_of(
            tmp_path,
            {
                "/a": {"get": {**operation(), "operationId": "a", "x-sdk-method": "same"}},
                "/b": {"get": {**operation(), "operationId": "b", "x-sdk-method": "same"}},
            },
        )


def test_an_operation_id_named_like_another_method_is_numbered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = api_of(
        tmp_path,
        {
            "/a": {"get": {**operation(), "operationId": "same"}},
            "/b": {"get": {**operation(), "x-sdk-method": "same"}},  # the user's own word wins
        },
    )
    assert sorted((e.path, e.py_name) for e in api.endpoints) == [("/a", "same_2"), ("/b", "same")]
    assert "this operation's method is called 'same_2'" in capsys.readouterr().err


def offset_page(tmp_path: Path, pagination: dict[str, Any]) -> ir.Api:
    page = {
        "type": "object",
        "properties": {
            "page_info": {"type": "object", "properties": {"total_pages": {"type": "integer"}}},
            "configsPage": {"type": ["array", "null"], "items": {"$ref": "#/components/schemas/Config"}},
            "typing": {"type": "object", "properties": {"count": {"type": "integer"}}},
        },
    }
    return api_of(
        tmp_path,
        {
            "/configs": {
                "get": {
                    **operation(page),
                    "operationId": "list-configs",
                    "parameters": [param("page_number", schema={"type": "integer"})],
                    "x-sdk-pagination": pagination,
                }
            }
        },
        {"Config": {"type": "object", "properties": {"id": {}}}},
    )


def test_offset_pagination_resolves_python_paths(tmp_path: Path) -> None:
    api = offset_page(
        tmp_path,
        {
            "kind": "offset",
            "page": "page_number",
            "items": "configsPage",
            "total-pages": "page_info.total_pages",
            "first-page": 1,
        },
    )
    assert endpoint(api, "demo.list_configs").pagination == ir.PageNumberPagination(
        items=("configs_page",),
        item_type=ir.Named("api.yaml#/components/schemas/Config"),
        param="page_number",
        origin="x-sdk-pagination",
        first_page=1,
        total_pages=("page_info", "total_pages"),
    )


def test_pagination_paths_are_the_models_attributes(tmp_path: Path) -> None:
    pagination = {"kind": "offset", "page": "page_number", "items": "configsPage", "total-pages": "typing.count"}
    found = endpoint(offset_page(tmp_path, pagination), "demo.list_configs").pagination
    assert isinstance(found, ir.PageNumberPagination)
    assert found.total_pages == ("typing_", "count")  # the model's attribute is typing_


@pytest.mark.parametrize(
    ("pagination", "message"),
    [
        ({"kind": "offset", "page": "page_number", "items": "nope"}, "no property 'nope'"),
        ({"kind": "offset", "page": "page_number", "items": "page_info"}, "is not a list"),
        ({"kind": "offset", "page": "page", "items": "configsPage"}, "not a query parameter"),
        ({"kind": "pages"}, "needs .kind.: one of offset, page, cursor"),
        (
            {"kind": "cursor", "cursor": "page_number", "items": "configsPage", "next-cursor": "page_info.cursor"},
            "no property 'cursor'",
        ),
    ],
)
def test_bad_pagination_is_a_spec_error(tmp_path: Path, pagination: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        offset_page(tmp_path, pagination)
    assert caught.value.location is not None and "x-sdk-pagination" in caught.value.location.pointer


def test_query_styles_are_read_and_a_wrong_one_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = {"type": "array", "items": {"type": "string"}}
    parameters = [
        {**param("a", "query"), "style": "deepObject", "schema": {"type": "object"}},
        {**param("b", "query"), "style": "pipeDelimited", "explode": False, "schema": listed},
        {**param("c", "query"), "style": "form", "explode": False, "schema": listed},
        {"name": "d", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
        {**param("e", "query"), "style": "matrix"},
    ]
    api = api_of(tmp_path, {"/things": {"get": {**operation(), "operationId": "list", "parameters": parameters}}})
    found = endpoint(api, "demo.list").query_params
    assert [(p.name, p.style, p.explode) for p in found] == [
        ("a", "deepObject", True),
        ("b", "pipeDelimited", False),
        ("c", "form", False),
        ("d", "json", True),
        ("e", "form", True),
    ]
    warning = capsys.readouterr().err
    assert "style 'matrix' is not a query parameter's; writing it as 'form'" in warning
    assert "/paths/~1things/get/parameters/4/style" in warning
