"""AsyncAPI 3.0 channels -> IR channels: one rule per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.errors import SpecError
from tests.normalise.helpers import build_one


def message(payload: Any, **extra: Any) -> dict[str, Any]:
    return {"payload": payload, **extra}


def tagged(tag: str, **properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string", "const": tag}, **properties},
    }


def asyncapi(
    messages: dict[str, Any],
    send: list[str],
    receive: list[str],
    channel: dict[str, Any] | None = None,
    server: dict[str, Any] | None = None,
    schemas: dict[str, Any] | None = None,
    describes: str = "client",
) -> dict[str, Any]:
    def ref(key: str) -> dict[str, str]:
        return {"$ref": f"#/channels/talk/messages/{key}"}

    return {
        "asyncapi": "3.0.0",
        "x-sdk-describes": describes,
        "info": {"title": "T", "version": "1"},
        "servers": {"ws": {"host": "ws.example.com", "protocol": "wss", **(server or {})}},
        "channels": {"talk": {"address": "/talk/{room}", "messages": messages, **(channel or {})}},
        "operations": {
            "out": {"action": "send", "channel": {"$ref": "#/channels/talk"}, "messages": [ref(key) for key in send]},
            "in": {
                "action": "receive",
                "channel": {"$ref": "#/channels/talk"},
                "messages": [ref(key) for key in receive],
            },
        },
        "components": {"schemas": schemas or {}},
    }


def channel_of(tmp_path: Path, document: dict[str, Any]) -> ir.Channel:
    api = build_one(tmp_path, document)
    assert len(api.channels) == 1
    return api.channels[0]


def test_channel_basics(tmp_path: Path) -> None:
    document = asyncapi(
        {
            "hello": message(tagged("hello", text={"type": "string"}), name="Hello", description="Say hi."),
            "audio": message({"type": "string", "format": "binary"}, contentType="application/octet-stream"),
            "heard": message(tagged("heard")),
            "gone": message(tagged("gone")),
        },
        send=["hello", "audio"],
        receive=["heard", "gone", "audio"],
        channel={
            "description": "Talk.",
            "parameters": {"room": {"description": "Which room.", "default": "lobby"}},
            "bindings": {
                "ws": {
                    "query": {
                        "type": "object",
                        "required": ["mode"],
                        "properties": {"mode": {"type": "string"}, "token": {"type": "string"}},
                    }
                }
            },
        },
        server={"security": [{"type": "httpApiKey", "in": "query", "name": "token"}]},
    )
    channel = channel_of(tmp_path, document)
    assert (channel.id, channel.group, channel.address, channel.environment) == (
        "demo.talk",
        ("demo", "talk"),
        "/talk/{room}",
        "ws",
    )
    assert channel.description == "Talk."
    assert [(p.name, p.location, p.required, p.default) for p in channel.path_params] == [
        ("room", "path", True, "lobby")
    ]
    assert [(p.name, p.required) for p in channel.query_params] == [("mode", True)]
    assert channel.auth == (ir.ChannelAuth("query", "token"),)
    assert channel.discriminator == "type"
    hello, audio = channel.publish
    assert (hello.name, hello.py_name, hello.tag, hello.send_method, hello.description) == (
        "Hello",
        "hello",
        "hello",
        "send_hello",
        "Say hi.",
    )
    assert (audio.type, audio.tag, audio.send_method) == (ir.Primitive("binary"), None, "send_audio")
    assert [(m.name, m.tag, m.send_method) for m in channel.subscribe] == [
        ("heard", "heard", None),
        ("gone", "gone", None),
        ("audio", None, None),
    ]


def test_messages_without_a_type_property_have_no_discriminator(tmp_path: Path) -> None:
    plain = {"type": "object", "properties": {"text": {"type": "string"}}}
    document = asyncapi({"a": message(plain), "b": message(plain)}, send=["a"], receive=["b"])
    channel = channel_of(tmp_path, document)
    assert channel.discriminator is None
    assert [m.tag for m in (*channel.publish, *channel.subscribe)] == [None, None]


def test_x_sdk_names_on_channels_and_messages(tmp_path: Path) -> None:
    document = asyncapi(
        {
            "a": message(tagged("a"), **{"x-sdk-send-method": "push"}),
            "b": message({"type": "object", "properties": {"kind": {"const": "b"}}}),
        },
        send=["a"],
        receive=["b"],
        channel={"x-sdk-group": ["live"], "x-sdk-discriminator": "kind"},
    )
    channel = channel_of(tmp_path, document)
    assert (channel.id, channel.discriminator) == ("demo.live", "kind")
    assert channel.publish[0].send_method == "push"
    assert channel.subscribe[0].tag == "b"


def test_an_empty_x_sdk_group_puts_the_channel_in_the_sources_module(tmp_path: Path) -> None:
    """``x-sdk-group: []`` is the module itself (its client gets ``connect()``), not the channel's key."""
    document = asyncapi({"a": message(tagged("a"))}, send=["a"], receive=[], channel={"x-sdk-group": []})
    assert channel_of(tmp_path, document).group == ("demo",)


def test_declared_payload_discriminator_is_used(tmp_path: Path) -> None:
    schemas = {
        "A": {"type": "object", "discriminator": "event", "properties": {"event": {"type": "string"}}},
        "B": {"type": "object", "discriminator": "event", "properties": {"event": {"type": "string"}}},
    }

    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    document = asyncapi({"a": message(ref("A")), "b": message(ref("B"))}, send=[], receive=["a", "b"], schemas=schemas)
    assert channel_of(tmp_path, document).discriminator == "event"


def test_header_key_auth_and_inline_payload_types(tmp_path: Path) -> None:
    document = asyncapi(
        {"cmd": message({"type": "object", "properties": {"go": {"type": "boolean"}}}, name="RunCommand")},
        send=["cmd"],
        receive=[],
        server={"security": [{"type": "httpApiKey", "in": "header", "name": "X-Key"}, {"type": "userPassword"}]},
    )
    api = build_one(tmp_path, document)
    channel = api.channels[0]
    assert channel.auth == (ir.ChannelAuth("header", "X-Key"),)
    assert channel.publish[0].send_method == "send_run_command"
    assert api.type_by_id(channel.publish[0].type.id).py_name == "RunCommand"  # type: ignore[union-attr]


def test_server_must_be_an_environment_url_key(tmp_path: Path) -> None:
    document = asyncapi({"a": message(tagged("a"))}, send=["a"], receive=[])
    document["servers"] = {"elsewhere": document["servers"]["ws"]}
    with pytest.raises(SpecError, match="'elsewhere' is not an environment URL key"):
        build_one(tmp_path, document)


def test_two_messages_with_one_send_method_are_a_spec_error(tmp_path: Path) -> None:
    document = asyncapi({"a-b": message(tagged("x")), "a_b": message(tagged("y"))}, send=["a-b", "a_b"], receive=[])
    with pytest.raises(SpecError, match="both get send method 'send_a_b'"):
        build_one(tmp_path, document)


def test_parameter_names_are_kept_apart(tmp_path: Path) -> None:
    query = {"type": "object", "properties": {"room": {"type": "string"}, "request_options": {"type": "string"}}}
    document = asyncapi(
        {"a": message(tagged("a"))},
        send=["a"],
        receive=[],
        channel={"parameters": {"room": {}}, "bindings": {"ws": {"query": query}}},
    )
    channel = channel_of(tmp_path, document)
    assert [p.py_name for p in (*channel.path_params, *channel.query_params)] == ["room", "room_2", "request_options_2"]


def test_an_operation_without_messages_handles_all_and_an_empty_list_none(tmp_path: Path) -> None:
    document = asyncapi({"a": message(tagged("a")), "b": message(tagged("b"))}, send=[], receive=[])
    del document["operations"]["in"]["messages"]
    channel = channel_of(tmp_path, document)
    assert (channel.publish, [m.name for m in channel.subscribe]) == ((), ["a", "b"])
