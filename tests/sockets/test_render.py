"""The socket renderer on a small hand-built API (``fake_api``): layout, names, safety.

The rules a channel must follow are checked before render: ``tests/normalise/test_checks.py``.
"""

from __future__ import annotations

import ast
import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.format import format_files
from generator.render.layout import Layout
from generator.render.sockets import Connector, render_sockets, socket_connectors
from generator.render.text import clean
from tests.sockets import fake_api

CHAT_CLIENT = "src/voiceapi/voice/chat/socket_client.py"
CHAT_CLIENT_MODULE = "voiceapi.voice.chat.socket_client"
CHAT_CONNECT = "src/voiceapi/voice/chat/socket_connect.py"
CHAT_CONNECT_MODULE = "voiceapi.voice.chat.socket_connect"
OPTIONS = ["request_options", "max_message_size", "ping_interval", "ping_timeout", "open_timeout"]


def rendered(*channels: ir.Channel) -> dict[str, ast.Module]:
    modules = render_sockets(fake_api.api(*channels))
    files = format_files({Layout.file(module): text for module, text in modules.items()})
    return {path: ast.parse(text) for path, text in files.items()}


def classes(module: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}


def methods(cls: ast.ClassDef) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {node.name: node for node in cls.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_two_modules_per_channel() -> None:
    assert sorted(rendered()) == [
        CHAT_CLIENT,
        CHAT_CONNECT,
        "src/voiceapi/voice/speak/socket_client.py",
        "src/voiceapi/voice/speak/socket_connect.py",
    ]


def test_connectors_name_the_mixins() -> None:
    api = fake_api.api()
    assert socket_connectors(api, ("voice", "chat")) == (
        Connector(
            module="voiceapi.voice.chat.socket_connect",
            sync_mixin="ChatConnectMixin",
            async_mixin="AsyncChatConnectMixin",
        ),
    )
    assert socket_connectors(api, ("voice",)) == ()
    module = rendered()[CHAT_CONNECT]
    assert {"ChatConnectMixin", "AsyncChatConnectMixin"} <= set(classes(module))


def test_socket_classes_have_a_send_method_per_message() -> None:
    module = rendered()[CHAT_CLIENT]
    sync, async_ = classes(module)["ChatSocketClient"], classes(module)["AsyncChatSocketClient"]
    expected = {"send_publish", "send_audio_input", "send_session_settings", "send_user_input"}
    assert set(methods(sync)) == expected and set(methods(async_)) == expected
    assert all(isinstance(node, ast.FunctionDef) for node in methods(sync).values())
    assert all(isinstance(node, ast.AsyncFunctionDef) for node in methods(async_).values())
    annotation = methods(sync)["send_audio_input"].args.args[1].annotation
    assert annotation is not None and ast.unparse(annotation) == "ModelOrDict[AudioInput]"  # a model or a mapping


def test_a_send_method_named_send_publish_is_the_only_one() -> None:
    module = rendered()["src/voiceapi/voice/speak/socket_client.py"]
    assert set(methods(classes(module)["SpeakSocketClient"])) == {"send_text", "send_publish"}
    renamed = dataclasses.replace(
        fake_api.SPEAK, publish=(dataclasses.replace(fake_api.SPEAK.publish[0], send_method="send_publish"),)
    )
    module = rendered(renamed)["src/voiceapi/voice/speak/socket_client.py"]
    assert set(methods(classes(module)["SpeakSocketClient"])) == {"send_publish"}
    assert "SpeakSocketClientRequest" not in ast.unparse(module)


def test_connect_takes_path_parameters_positionally_and_query_parameters_by_keyword() -> None:
    module = rendered()["src/voiceapi/voice/speak/socket_connect.py"]
    connect = methods(classes(module)["SpeakConnectMixin"])["connect"]
    assert [a.arg for a in connect.args.args] == ["self", "voice_id"]
    assert [a.arg for a in connect.args.kwonlyargs] == ["formats", "api_key", *OPTIONS]
    module = rendered()[CHAT_CONNECT]
    connect = methods(classes(module)["AsyncChatConnectMixin"])["connect"]
    names = [a.arg for a in connect.args.kwonlyargs]
    assert names == [p.py_name for p in fake_api.CHAT.query_params] + ["api_key", *OPTIONS]
    assert all(default is not None for default in connect.args.kw_defaults)


def test_a_list_query_parameter_also_takes_one_value() -> None:
    module = rendered()["src/voiceapi/voice/speak/socket_connect.py"]
    connect = methods(classes(module)["SpeakConnectMixin"])["connect"]
    annotation = connect.args.kwonlyargs[0].annotation
    assert annotation is not None
    assert ast.unparse(annotation) == "typing.Optional[typing.Union[Format, typing.Sequence[Format]]]"


def test_required_query_parameters_come_first_without_default() -> None:
    required = dataclasses.replace(fake_api.CHAT.query_params[2], required=True)
    channel = dataclasses.replace(fake_api.CHAT, query_params=(*fake_api.CHAT.query_params[:2], required))
    connect = methods(classes(rendered(channel)[CHAT_CONNECT])["ChatConnectMixin"])["connect"]
    assert [a.arg for a in connect.args.kwonlyargs][:1] == ["verbose"]
    assert connect.args.kw_defaults[0] is None


def test_no_api_key_argument_on_a_channel_without_credentials() -> None:
    channel = dataclasses.replace(fake_api.CHAT, auth=())
    connect = methods(classes(rendered(channel)[CHAT_CONNECT])["ChatConnectMixin"])["connect"]
    assert "api_key" not in [a.arg for a in connect.args.kwonlyargs]


def test_the_connect_module_imports_no_socket_code_at_import_time() -> None:
    module = rendered()[CHAT_CONNECT]
    top_level = [node for node in module.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    imported = {node.module for node in top_level if isinstance(node, ast.ImportFrom)}
    assert not any(name and ("socket" in name or "websockets" in name) for name in imported)


def test_decoder_tables() -> None:
    source = ast.unparse(rendered()[CHAT_CLIENT])
    assert "discriminator='type'" in source
    assert "'assistant_message': AssistantMessage" in source and "'error': WebSocketError" in source
    speak = ast.unparse(rendered()["src/voiceapi/voice/speak/socket_client.py"])
    assert "untagged=(Timestamp, SpeakDone)" in speak and "binary=True" in speak
    assert "SpeakSocketClientResponse = typing.Union[Timestamp, SpeakDone, bytes, UnknownMessage]" in speak
    assert (
        "query_styles={'formats': QueryStyle('form', explode=False)}" in speak
        and "path='/speak/{voice_id}/stream'" in speak
    )


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)


@settings(max_examples=60, deadline=None)
@given(channel_doc=TEXT, message_doc=TEXT, param_doc=TEXT)
def test_descriptions_cannot_break_out_of_docstrings(channel_doc: str, message_doc: str, param_doc: str) -> None:
    query = (dataclasses.replace(fake_api.CHAT.query_params[0], description=param_doc),)
    publish = (dataclasses.replace(fake_api.CHAT.publish[0], description=message_doc),)
    channel = dataclasses.replace(fake_api.CHAT, description=channel_doc, query_params=query, publish=publish)
    files = render_sockets(fake_api.api(channel))
    client = ast.parse(files[CHAT_CLIENT_MODULE])  # raises on any escape
    connect = ast.parse(files[CHAT_CONNECT_MODULE])
    send = methods(classes(client)["ChatSocketClient"])["send_audio_input"]
    assert [type(node) for node in send.body] == [ast.Expr, ast.Expr]  # docstring, then the call
    assert len(classes(connect)) == 2 and len(classes(client)) == 2
    for words, doc in (
        (message_doc, ast.get_docstring(send, clean=False)),
        (channel_doc, ast.get_docstring(classes(client)["ChatSocketClient"], clean=False)),
        (param_doc, ast.get_docstring(methods(classes(connect)["ChatConnectMixin"])["connect"], clean=False)),
    ):
        assert doc is not None
        assert " ".join(clean(words).split()) in " ".join(doc.split())
