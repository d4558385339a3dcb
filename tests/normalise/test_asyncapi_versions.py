"""AsyncAPI 2.x and 3.x, from either side, normalised into one IR; servers, protocols, parameters."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.errors import SpecError
from generator.render import render
from tests.normalise.helpers import build, build_one

HELLO = {"type": "object", "required": ["type"], "properties": {"type": {"const": "hello"}, "text": {"type": "string"}}}
HEARD = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"const": "heard"}, "words": {"type": "integer"}},
}
QUERY = {"type": "object", "required": ["mode"], "properties": {"mode": {"type": "string"}, "key": {"type": "string"}}}
HEADERS = {"type": "object", "properties": {"X-Trace": {"type": "string", "description": "Trace id."}}}
COMPONENTS = {
    "messages": {
        "Hello": {"name": "Hello", "payload": {"$ref": "#/components/schemas/Hello"}},
        "Heard": {"name": "Heard", "payload": {"$ref": "#/components/schemas/Heard"}},
        "Bye": {"name": "Bye", "payload": {"type": "object", "properties": {"type": {"const": "bye"}}}},
    },
    "schemas": {"Hello": HELLO, "Heard": HEARD},
}


def v2(describes: str, version: str = "2.6.0") -> dict[str, Any]:
    """A chat API in AsyncAPI 2.x: the client sends Hello and Bye, the server sends Heard."""
    to_client = {"message": {"$ref": "#/components/messages/Heard"}}
    from_client = {
        "message": {"oneOf": [{"$ref": "#/components/messages/Hello"}, {"$ref": "#/components/messages/Bye"}]}
    }
    # 2.x: ``subscribe`` is what the described application sends.
    sends, receives = (from_client, to_client) if describes == "client" else (to_client, from_client)
    security = {"key": {"type": "httpApiKey", "in": "query", "name": "key"}}
    return {
        "asyncapi": version,
        "info": {"title": "Chat", "version": "1"},
        "servers": {"ws": {"url": "wss://chat.example.com", "protocol": "wss", "security": [{"key": []}]}},
        "channels": {
            "/rooms/{room}": {
                "description": "A room.",
                "parameters": {
                    "room": {"description": "Which room.", "schema": {"type": "string", "default": "lobby"}}
                },
                "bindings": {"ws": {"query": QUERY, "headers": HEADERS}},
                "subscribe": sends,
                "publish": receives,
            }
        },
        "components": {**copy.deepcopy(COMPONENTS), "securitySchemes": security},
    }


def v3(describes: str, version: str = "3.0.0") -> dict[str, Any]:
    """The same chat API in AsyncAPI 3.x."""

    def ref(key: str) -> dict[str, str]:
        return {"$ref": f"#/channels/rooms/messages/{key}"}

    out_action, in_action = ("send", "receive") if describes == "client" else ("receive", "send")
    return {
        "asyncapi": version,
        "info": {"title": "Chat", "version": "1"},
        "servers": {
            "ws": {
                "host": "chat.example.com",
                "protocol": "wss",
                "security": [{"type": "httpApiKey", "in": "query", "name": "key"}],
            }
        },
        "channels": {
            "rooms": {
                "address": "/rooms/{room}",
                "description": "A room.",
                "parameters": {"room": {"description": "Which room.", "default": "lobby"}},
                "bindings": {"ws": {"query": QUERY, "headers": HEADERS}},
                "messages": {key: {"$ref": f"#/components/messages/{key}"} for key in ("Hello", "Bye", "Heard")},
            }
        },
        "operations": {
            "talk": {
                "action": out_action,
                "channel": {"$ref": "#/channels/rooms"},
                "messages": [ref("Hello"), ref("Bye")],
            },
            "listen": {"action": in_action, "channel": {"$ref": "#/channels/rooms"}, "messages": [ref("Heard")]},
        },
        "components": copy.deepcopy(COMPONENTS),
    }


def source(describes: str | None = None, **extra: Any) -> list[dict[str, Any]]:
    settings: dict[str, Any] = {"file": "api.yaml", "module": "demo", **extra}
    if describes is not None:
        settings["describes"] = describes
    return [settings]


def build_with(tmp_path: Path, document: dict[str, Any], describes: str | None = None, **extra: Any) -> ir.Api:
    return build(tmp_path, {"api.yaml": document}, source(describes, **extra))


def without_sources(channel: ir.Channel) -> ir.Channel:
    """The channel without where it and its messages were written (which differs between versions)."""
    return dataclasses.replace(
        channel,
        source=ir.Source("", ""),
        publish=tuple(dataclasses.replace(m, source=None) for m in channel.publish),
        subscribe=tuple(dataclasses.replace(m, source=None) for m in channel.subscribe),
    )


def test_asyncapi_2_publish_subscribe_one_of_parameters_and_bindings(tmp_path: Path) -> None:
    channel = build_with(tmp_path, v2("server")).channels[0]
    assert (channel.id, channel.address, channel.environment, channel.description) == (
        "demo.rooms",
        "/rooms/{room}",
        "ws",
        "A room.",
    )
    assert [(m.name, m.send_method, m.tag) for m in channel.publish] == [
        ("Hello", "send_hello", "hello"),
        ("Bye", "send_bye", "bye"),
    ]
    assert [(m.name, m.tag) for m in channel.subscribe] == [("Heard", "heard")]
    assert [(p.name, p.type, p.default, p.description) for p in channel.path_params] == [
        ("room", ir.Primitive("string"), "lobby", "Which room.")
    ]
    assert [(p.name, p.location, p.required) for p in channel.query_params] == [("mode", "query", True)]
    assert [(p.name, p.py_name, p.location, p.description) for p in channel.header_params] == [
        ("X-Trace", "x_trace", "header", "Trace id.")
    ]
    assert channel.auth == (ir.ChannelAuth("query", "key"),)  # the server's security, by scheme name


@pytest.mark.parametrize("version", ["2.0.0", "2.3.0", "2.6.0"])
def test_every_2x_version_reads_the_same(tmp_path: Path, version: str) -> None:
    expected = build_with(tmp_path / "a", v2("server")).channels
    assert build_with(tmp_path / "b", v2("server", version)).channels == expected


@pytest.mark.parametrize(
    "document",
    [v2("client"), v3("server"), v3("client"), v3("server", "3.1.0")],
    ids=["2.x client", "3.0 server", "3.0 client", "3.1 server"],
)
def test_both_points_of_view_and_both_versions_give_one_client(tmp_path: Path, document: dict[str, Any]) -> None:
    """The chat API written from the server's side in 2.x is the reference; every other way says the same."""
    reference = build_with(tmp_path / "reference", v2("server"), "server")
    describes = "client" if _written_as_client(document) else "server"
    api = build_with(tmp_path / "other", document, describes)
    assert [without_sources(c) for c in api.channels] == [without_sources(c) for c in reference.channels]
    assert render(api) == render(reference)


def _written_as_client(document: dict[str, Any]) -> bool:
    if document["asyncapi"].startswith("2."):
        return "oneOf" in str(document["channels"]["/rooms/{room}"]["subscribe"])
    return bool(document["operations"]["talk"]["action"] == "send")


def test_the_default_point_of_view_is_the_server_and_x_sdk_describes_can_say_otherwise(tmp_path: Path) -> None:
    assert [m.name for m in build_with(tmp_path / "a", v3("server")).channels[0].publish] == ["Hello", "Bye"]
    document = {**v3("client"), "x-sdk-describes": "client"}
    assert [m.name for m in build_with(tmp_path / "b", document).channels[0].publish] == ["Hello", "Bye"]


def test_settings_win_over_x_sdk_describes_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = {**v3("client"), "x-sdk-describes": "server"}
    assert [m.name for m in build_with(tmp_path, document, "client").channels[0].publish] == ["Hello", "Bye"]
    err = capsys.readouterr().err
    assert "api.yaml:" in err and "at /x-sdk-describes" in err and "the settings win" in err


def test_bad_describes_values_are_located_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="'describes' must be 'client' or 'server'") as caught:
        build_with(tmp_path / "a", v3("client"), "both")
    assert caught.value.location is not None and caught.value.location.pointer == "/sources/0/describes"
    with pytest.raises(SpecError, match="x-sdk-describes must be 'client' or 'server'"):
        build_with(tmp_path / "b", {**v3("client"), "x-sdk-describes": "me"})


def test_a_view_that_message_names_contradict_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = v3("client")
    messages = document["components"]["messages"]
    messages["Hello"]["name"], messages["Heard"]["name"] = "HelloFromClient", "ServerHeard"
    build_with(tmp_path / "right", document, "client")
    assert "say the opposite" not in capsys.readouterr().err
    build_with(tmp_path / "wrong", document, "server")
    err = capsys.readouterr().err
    assert "at /asyncapi: the document is read as the server describes it, but its messages say the opposite" in err
    assert "(HelloFromClient, ServerHeard)" in err and "set 'describes: client'" in err


@pytest.mark.parametrize("version", ["1.2.0", "2.7.0", "3.2.0"])
def test_unsupported_versions_get_one_message(tmp_path: Path, version: str) -> None:
    document = {"asyncapi": version, "info": {"title": "T", "version": "1"}, "channels": {}}
    with pytest.raises(SpecError) as caught:
        build_one(tmp_path, document)
    assert caught.value.message == (
        f"AsyncAPI {version} is not supported: sdkgen reads AsyncAPI 2.0.0 to 2.6.0, 3.0.0 and 3.1.0"
    )
    assert caught.value.location is not None and caught.value.location.pointer == "/asyncapi"


def test_3x_parameters_take_enum_default_and_examples(tmp_path: Path) -> None:
    document = v3("client")
    document["channels"]["rooms"]["parameters"]["room"] = {
        "enum": ["lobby", "den"],
        "default": "lobby",
        "examples": ["den"],
    }
    api = build_with(tmp_path, document, "client")
    (room,) = api.channels[0].path_params
    assert (room.default, room.example, room.has_example) == ("lobby", "den", True)
    enum = api.type_by_id(room.type.id) if isinstance(room.type, ir.Named) else None
    assert isinstance(enum, ir.EnumType) and [v.value for v in enum.values] == ["lobby", "den"]


def test_message_headers_are_typed_and_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = v3("client")
    document["components"]["messages"]["Hello"]["headers"] = {
        "type": "object",
        "properties": {"correlationId": {"type": "string"}},
    }
    hello = build_with(tmp_path, document, "client").channels[0].publish[0]
    assert isinstance(hello.headers, ir.Named) and hello.content_type == "application/json"
    err = capsys.readouterr().err
    assert "at /components/messages/Hello/headers" in err and "a WebSocket frame cannot carry" in err


def test_a_reply_travels_the_other_way(tmp_path: Path) -> None:
    document = v3("client")
    del document["operations"]["listen"]
    document["operations"]["talk"]["messages"] = [{"$ref": "#/channels/rooms/messages/Hello"}]
    document["operations"]["talk"]["reply"] = {
        "channel": {"$ref": "#/channels/rooms"},
        "messages": [{"$ref": "#/channels/rooms/messages/Heard"}],
    }
    channel = build_with(tmp_path / "a", document, "client").channels[0]
    assert ([m.name for m in channel.publish], [m.name for m in channel.subscribe]) == (["Hello"], ["Heard"])
    del document["operations"]["talk"]["reply"]["messages"]  # no messages: all of the reply channel's
    channel = build_with(tmp_path / "b", document, "client").channels[0]
    assert [m.name for m in channel.subscribe] == ["Hello", "Bye", "Heard"]


# ---- servers, URL keys and protocols ------------------------------------------------------


def test_no_servers_is_fine_when_the_settings_name_the_url_key(tmp_path: Path) -> None:
    document = v2("server")
    del document["servers"]
    channel = build_with(tmp_path, document, environment="ws").channels[0]
    assert (channel.environment, channel.auth) == ("ws", ())


def test_no_servers_and_no_url_key_a_websocket_channel_takes_the_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once a located error; now connect() takes the server's URL (tests/test_no_servers.py runs it)."""
    document = v2("server")
    del document["servers"]
    (channel,) = build_with(tmp_path, document).channels
    assert channel.environment is None
    assert "channel '/rooms/{room}' has no server and its source names no URL key" in capsys.readouterr().err


def test_a_channel_of_unknown_protocol_is_left_out_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = v2("server")
    del document["servers"]
    del document["channels"]["/rooms/{room}"]["bindings"]
    assert build_with(tmp_path, document).channels == ()
    assert "its protocol is unknown, so it is not generated" in capsys.readouterr().err


def test_server_keys_that_are_not_identifiers_map_to_url_keys(tmp_path: Path) -> None:
    document = v3("client")
    document["servers"] = {"scram-connections": document["servers"]["ws"]}
    api = build(
        tmp_path,
        {"api.yaml": document},
        source("client"),
        environments={"production": {"base": "https://api.example.com", "scram_connections": "wss://s.example.com"}},
    )
    assert api.channels[0].environment == "scram_connections"


@pytest.mark.parametrize("protocol", ["mqtt", "kafka", "amqp", "mercure", "http"])
def test_channels_on_other_protocols_are_warned_about_and_not_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], protocol: str
) -> None:
    document = v2("server")
    document["servers"]["ws"]["protocol"] = protocol
    assert build_with(tmp_path, document).channels == ()
    err = capsys.readouterr().err
    assert "api.yaml:12 at /channels/~1rooms~1{room}: channel '/rooms/{room}' is not a WebSocket channel" in err
    assert f"(protocol {protocol})" in err and "not generated" in err


def test_a_channel_on_a_websocket_server_and_another_is_generated(tmp_path: Path) -> None:
    document = v2("server")
    document["servers"] = {"broker": {"url": "mqtt://m.example.com", "protocol": "mqtt"}, **document["servers"]}
    assert [c.environment for c in build_with(tmp_path, document).channels] == ["ws"]


def test_a_channel_with_bindings_for_another_protocol_only_is_not_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = v2("server")
    document["channels"]["/rooms/{room}"]["bindings"] = {"http": {"method": "GET"}}
    assert build_with(tmp_path, document).channels == ()
    assert "(bindings for http only)" in capsys.readouterr().err


def test_address_placeholders_and_parameters_that_do_not_match_are_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = v3("client")
    document["channels"]["rooms"]["address"] = "/rooms/{floor}"
    channel = build_with(tmp_path, document, "client").channels[0]
    assert [(p.name, p.type) for p in channel.path_params] == [("floor", ir.Primitive("string"))]
    err = capsys.readouterr().err
    assert "channel parameter 'room' does not appear in the address '/rooms/{floor}'" in err
    assert "the address has {floor} but the channel declares no parameter 'floor'" in err


def test_an_address_derived_name_the_sdk_uses_gets_a_suffix(tmp_path: Path) -> None:
    document = v2("server")
    document["channels"] = {"/version": document["channels"]["/rooms/{room}"]}
    del document["channels"]["/version"]["parameters"]
    assert build_with(tmp_path, document).channels[0].group == ("demo", "version_channel")


def test_message_traits_apply_as_each_version_says(tmp_path: Path) -> None:
    trait = {"description": "From the trait.", "contentType": "text/plain", "name": "Greeting"}
    document = v2("server")
    document["components"]["messageTraits"] = {"t": trait}
    document["components"]["messages"]["Hello"].update(
        description="Own.", traits=[{"$ref": "#/components/messageTraits/t"}]
    )
    hello = build_with(tmp_path / "v2", document).channels[0].publish[0]
    assert (hello.name, hello.description, hello.content_type) == ("Greeting", "From the trait.", "text/plain")  # 2.x
    document = v3("client")
    document["components"]["messageTraits"] = {"t": trait}
    document["components"]["messages"]["Hello"].update(
        description="Own.", traits=[{"$ref": "#/components/messageTraits/t"}]
    )
    hello = build_with(tmp_path / "v3", document, "client").channels[0].publish[0]
    assert (hello.name, hello.description, hello.content_type) == ("Hello", "Own.", "text/plain")  # 3.x: message wins


def request_reply(describes: str, hello_at: str = "$message.payload#/type") -> dict[str, Any]:
    """The chat API where Heard answers Hello, matched by the ``type`` property (3.x, either side)."""
    document = v3(describes)
    messages = document["components"]["messages"]
    messages["Hello"]["correlationId"] = {"location": hello_at}
    messages["Heard"]["correlationId"] = {"location": "$message.payload#/type"}
    talk = document["operations"]["talk"]
    talk["reply"] = {"messages": [{"$ref": "#/channels/rooms/messages/Heard"}]}
    del document["operations"]["listen"]
    return document


@pytest.mark.parametrize("describes", ["client", "server"])
def test_a_reply_with_correlation_ids_gives_a_request_method(tmp_path: Path, describes: str) -> None:
    """Written from the server's side, the operation the client's request answers is a receive with a reply."""
    channel = build_with(tmp_path, request_reply(describes), describes).channels[0]
    hello, bye = channel.publish
    assert (hello.request_method, hello.replies, hello.correlation) == ("request_hello", ("Heard",), "/type")
    assert (bye.request_method, bye.replies) == (None, ())
    assert [(m.name, m.correlation) for m in channel.subscribe] == [("Heard", "/type")]


def test_a_correlation_id_outside_the_payload_gives_no_request_method(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    channel = build_with(tmp_path, request_reply("client", "$message.header#/id"), "client").channels[0]
    assert channel.publish[0].request_method is None
    err = capsys.readouterr().err
    assert "correlationId location '$message.header#/id' is not in the payload" in err
    assert "message 'Hello' has replies, but it or a reply declares no correlationId in its payload" in err
