"""What real-world descriptions say that used to be dropped without a word is now generated:
range and ``default`` errors, query strings in path keys, ``#fragment`` path keys, operation
``servers``, event-stream variants of JSON operations, parse functions for webhooks and callbacks."""

from __future__ import annotations

import importlib
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import ir
from generator.pipeline import build_ir
from tests.normalise.helpers import openapi, write
from tests.realworld.sdk import generate, import_each_module
from tests.rest.scripted_server import Reply, ScriptedServer, json_reply


def json_content(schema: dict[str, typing.Any]) -> dict[str, typing.Any]:
    return {"application/json": {"schema": schema}}


def ok(schema: dict[str, typing.Any]) -> dict[str, typing.Any]:
    return {"description": "ok", "content": json_content(schema)}


ERROR = {"type": "object", "properties": {"message": {"type": "string"}}}
ANSWERED = {
    "type": "object",
    "required": ["event", "answer"],
    "properties": {"event": {"const": "answered"}, "answer": {"type": "string"}},
}


def document(server_url: str) -> dict[str, typing.Any]:
    thing = {"type": "object", "properties": {"id": {"type": "string"}}}
    return openapi(
        {
            "/things?beta=true": {
                "get": {
                    "operationId": "list_beta_things",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        "200": ok({"type": "array", "items": thing}),
                        "400": {"description": "bad", "content": json_content({"type": "string"})},
                        "4XX": {"description": "client", "content": json_content(ERROR)},
                        "5XX": {"description": "server", "content": json_content(ERROR)},
                    },
                }
            },
            "/search": {"post": {"operationId": "search", "responses": {"200": ok({"type": "string"})}}},
            "/search#advanced": {
                "post": {"operationId": "search_advanced", "responses": {"200": ok({"type": "integer"})}}
            },
            "/only-default": {"get": {"operationId": "only_default", "responses": {"default": ok(thing)}}},
            "/with-default": {
                "get": {
                    "operationId": "with_default",
                    "responses": {"204": {"description": "done"}, "default": ok(ERROR)},
                }
            },
            "/v2-path": {
                "servers": [{"url": "/{version}", "variables": {"version": {"default": "v2"}}}],
                "get": {"operationId": "relative_server", "responses": {"204": {"description": "done"}}},
            },
            "/elsewhere": {
                "get": {
                    "operationId": "absolute_server",
                    "servers": [{"url": server_url + "/other"}],
                    "responses": {"204": {"description": "done"}},
                }
            },
            "/chat": {
                "post": {
                    "operationId": "chat",
                    "requestBody": {
                        "content": json_content({"type": "object", "properties": {"q": {"type": "string"}}})
                    },
                    "responses": {
                        "200": {
                            "description": "an answer, whole or streamed",
                            "content": {
                                "application/json": {"schema": thing},
                                "text/event-stream": {"schema": thing},
                            },
                        }
                    },
                    "callbacks": {
                        "answered": {
                            "{$request.body#/url}": {
                                "post": {
                                    "description": "The answer, when it is ready.",
                                    "requestBody": {"content": json_content(ANSWERED)},
                                    "responses": {"200": {"description": "ok"}},
                                }
                            }
                        },
                        "done": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}},
                    },
                }
            },
        },
        webhooks={
            "thingCreated": {
                "post": {
                    "requestBody": {
                        "content": json_content(
                            {
                                "type": "object",
                                "required": ["event", "thing"],
                                "properties": {"event": {"const": "created"}, "thing": thing},
                            }
                        )
                    },
                    "responses": {},
                }
            },
            "audit": {"post": {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}}},
        },
    )


@pytest.fixture(scope="module")
def sdk(server: ScriptedServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[typing.Any]:
    root = tmp_path_factory.mktemp("drops")
    specs = write(root / "specs", {"api.yaml": document(server.url)}, [{"file": "api.yaml"}], package="drops_demo")
    src = generate(specs, root / "out")
    assert import_each_module("drops_demo", src) > 10
    sys.path.insert(0, str(src))
    try:
        yield importlib.import_module("drops_demo")
    finally:
        sys.path.remove(str(src))


def client(sdk: typing.Any, server: ScriptedServer) -> typing.Any:
    return sdk.DemoClient(api_key="k", base_url=server.url)


def test_a_query_string_in_a_path_key_is_sent(sdk: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply([{"id": "a"}]))
    assert client(sdk, server).list_beta_things(limit=2)[0].id == "a"
    assert (server.requests[-1].path, server.requests[-1].query) == ("/things", [("beta", "true"), ("limit", "2")])


def test_range_errors_are_typed_and_exact_statuses_come_first(sdk: typing.Any, server: ScriptedServer) -> None:
    errors = sdk.errors
    for status, cls in ((400, errors.BadRequestError), (404, errors.ClientError), (503, errors.ServerError)):
        server.answer(json_reply({"message": "no"} if status != 400 else "bad", status=status))
        with pytest.raises(cls) as caught:
            client(sdk, server).list_beta_things()
        assert caught.value.status_code == status
        if status != 400:
            assert caught.value.body.message == "no"  # parsed into the declared type


def test_default_is_the_error_beside_a_success_and_the_success_alone(sdk: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "d"}))
    assert client(sdk, server).only_default().id == "d"
    server.answer(json_reply({"message": "teapot"}, status=418))
    with pytest.raises(sdk.errors.DefaultError) as caught:
        client(sdk, server).with_default()
    assert caught.value.status_code == 418 and caught.value.body.message == "teapot"


def test_fragment_path_keys_are_two_methods_on_one_url(sdk: typing.Any, server: ScriptedServer) -> None:
    server.answer(json_reply("text"))
    assert client(sdk, server).search() == "text"
    assert server.requests[-1].path == "/search"
    server.answer(json_reply(3))
    assert client(sdk, server).search_advanced() == 3
    assert server.requests[-1].path == "/search"  # the fragment is never sent


def test_operation_servers_are_honoured(sdk: typing.Any, server: ScriptedServer) -> None:
    server.answer(Reply(204))
    client(sdk, server).relative_server()
    assert server.requests[-1].path == "/v2/v2-path"
    sdk.DemoClient(api_key="k", base_url="http://127.0.0.1:9/unused").absolute_server()
    assert server.requests[-1].path == "/other/elsewhere"


def test_an_operation_offering_an_event_stream_gets_a_streaming_variant(
    sdk: typing.Any, server: ScriptedServer
) -> None:
    server.answer(json_reply({"id": "whole"}))
    assert client(sdk, server).chat(q="hi").id == "whole"
    assert server.requests[-1].headers.get("accept") != "text/event-stream"
    events = [b"data: " + json.dumps({"id": str(i)}).encode() + b"\n\n" for i in range(2)]
    server.answer(Reply(200, headers={"Content-Type": "text/event-stream"}, chunks=events))
    assert [event.id for event in client(sdk, server).chat_stream(q="hi")] == ["0", "1"]
    assert server.requests[-1].headers["accept"] == "text/event-stream"
    assert json.loads(server.requests[-1].body) == {"q": "hi"}


def test_the_streaming_variant_is_named_by_x_sdk_stream_method(tmp_path: Path) -> None:
    spec = document("https://example.com")
    spec["paths"] = {"/chat": spec["paths"]["/chat"]}
    spec["paths"]["/chat"]["post"]["x-sdk-stream-method"] = "chat_events"
    write(tmp_path, {"api.yaml": spec}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    assert [(e.py_name, e.response.kind) for e in api.endpoints] == [("chat", "json"), ("chat_events", "sse")]
    spec["paths"]["/chat"]["post"]["x-sdk-stream-method"] = False
    write(tmp_path, {"api.yaml": spec}, [{"file": "api.yaml"}])
    assert [e.py_name for e in build_ir(tmp_path).endpoints] == ["chat"]


def test_webhooks_and_callbacks_get_parse_functions(sdk: typing.Any) -> None:
    webhooks = importlib.import_module("drops_demo.webhooks")
    created = webhooks.parse_thing_created(b'{"event": "created", "thing": {"id": "t1"}}')
    assert created.thing.id == "t1"
    answered = webhooks.parse_answered({"event": "answered", "answer": "42"})
    assert answered.answer == "42"
    assert type(webhooks.parse('{"event": "answered", "answer": "x"}')).__name__ == type(answered).__name__
    assert type(webhooks.parse({"event": "created", "thing": {}})).__name__ == type(created).__name__
    import pydantic

    with pytest.raises(pydantic.ValidationError):
        webhooks.parse_answered({"event": "answered"})
    assert webhooks.__all__ == ["parse_thing_created", "parse_answered", "parse"]


def test_webhooks_without_json_payloads_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"api.yaml": document("https://example.com")}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    err = capsys.readouterr().err
    assert "at /webhooks/audit/post: webhook 'audit' has no JSON payload: no parse function for it" in err
    assert "callbacks/done/{$request.body#~1url}/post: callback 'done' has no JSON payload" in err
    assert [(w.name, w.py_name, w.module_name) for w in api.webhooks] == [
        ("thingCreated", "parse_thing_created", "webhooks"),
        ("answered", "parse_answered", "webhooks"),
    ]
    assert all(isinstance(t, ir.TypeDef) for t in api.types)
