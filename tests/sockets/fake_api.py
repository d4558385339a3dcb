"""A small hand-built IR with sockets, for renderer tests that do not need the specs.

Two channels: ``chat`` (tagged JSON both ways, query parameters of several types, the key
in a header or the query) and ``speak`` (a path parameter, binary frames from the server,
untagged messages, the key only in the query).
"""

from __future__ import annotations

from generator import ir, naming

PACKAGE = "voiceapi"
MODULE = ("voice",)


def _object(name: str, fields: tuple[ir.Field, ...], description: str | None = None) -> ir.ObjectType:
    return ir.ObjectType(
        id=name,
        name=name,
        py_name=name,
        module=MODULE,
        module_path=naming.type_module(PACKAGE, MODULE, name),
        source=ir.Source("asyncapi/voice.yaml", f"/components/schemas/{name}"),
        fields=fields,
        description=description,
    )


def _field(name: str, type_: ir.TypeRef, required: bool = True, description: str | None = None) -> ir.Field:
    return ir.Field(name=name, py_name=name, attribute=name, type=type_, required=required, description=description)


STRING = ir.Primitive("string")
INTEGER = ir.Primitive("integer")
NUMBER = ir.Primitive("number")
BOOLEAN = ir.Primitive("boolean")


def _tagged(name: str, tag: str, *fields: ir.Field, description: str | None = None) -> ir.ObjectType:
    return _object(name, (_field("type", ir.LiteralOf(tag)), *fields), description)


TYPES: tuple[ir.TypeDef, ...] = (
    _tagged("AudioInput", "audio_input", _field("data", STRING), description="Base64 audio."),
    _tagged(
        "SessionSettings",
        "session_settings",
        _field("system_prompt", ir.Nullable(STRING), required=False),
        _field("variables", ir.MapOf(STRING), required=False),
    ),
    _tagged("UserInput", "user_input", _field("text", STRING)),
    _tagged("AssistantMessage", "assistant_message", _field("text", STRING), _field("id", STRING, required=False)),
    _tagged("AudioOutput", "audio_output", _field("data", STRING), _field("index", INTEGER)),
    _tagged("ChatMetadata", "chat_metadata", _field("chat_id", STRING)),
    _tagged("WebSocketError", "error", _field("code", STRING), _field("message", STRING)),
    _object("SpeakText", (_field("text", STRING, required=False), _field("flush", BOOLEAN, required=False))),
    _object("Timestamp", (_field("word", STRING), _field("time", NUMBER))),
    _object("SpeakDone", (_field("done", BOOLEAN),)),
    _object("Connection", (_field("sample_rate", INTEGER, required=False), _field("codec", STRING, required=False))),
    ir.EnumType(
        id="Format",
        name="Format",
        py_name="Format",
        module=MODULE,
        module_path=naming.type_module(PACKAGE, MODULE, "Format"),
        source=ir.Source("asyncapi/voice.yaml", "/components/schemas/Format"),
        values=(ir.EnumValue("mp3", "MP3"), ir.EnumValue("wav", "WAV")),
    ),
)


def _message(type_id: str, tag: str | None, send: str | None = None, description: str | None = None) -> ir.Message:
    return ir.Message(
        name=type_id, py_name=type_id, type=ir.Named(type_id), tag=tag, send_method=send, description=description
    )


def _query(
    name: str,
    type_: ir.TypeRef,
    required: bool = False,
    description: str | None = None,
    has_default: bool = False,
    default: ir.JsonValue = None,
    explode: bool = True,
) -> ir.Parameter:
    return ir.Parameter(
        name=name,
        py_name=name,
        location="query",
        type=type_,
        required=required,
        description=description,
        has_default=has_default,
        default=default,
        explode=explode,
    )


CHAT = ir.Channel(
    id="chat",
    group=("voice", "chat"),
    address="/chat",
    environment="live",
    source=ir.Source("asyncapi/voice.yaml", "/channels/chat"),
    query_params=(
        _query("config_id", STRING, description='The config to use. Say """hi""" \\ or "'),
        _query("config_version", INTEGER),
        _query("verbose", BOOLEAN, has_default=True, default=False),
        _query("format", ir.Named("Format")),
        _query("tags", ir.ListOf(STRING)),
        _query("connection", ir.Named("Connection")),
        _query("access_token", STRING),
    ),
    auth=(ir.ChannelAuth("header", "X-Api-Key"), ir.ChannelAuth("query", "api_key")),
    publish=(
        _message("AudioInput", "audio_input", "send_audio_input", "Audio to transcribe."),
        _message("SessionSettings", "session_settings", "send_session_settings"),
        _message("UserInput", "user_input", "send_user_input"),
    ),
    subscribe=(
        _message("AssistantMessage", "assistant_message"),
        _message("AudioOutput", "audio_output"),
        _message("ChatMetadata", "chat_metadata"),
        _message("WebSocketError", "error"),
    ),
    discriminator="type",
    description="Talk with the assistant.\n\nIt talks back.",
)

SPEAK = ir.Channel(
    id="speak",
    group=("voice", "speak"),
    address="/speak/{voice_id}/stream",
    environment="live",
    source=ir.Source("asyncapi/voice.yaml", "/channels/speak"),
    path_params=(
        ir.Parameter(
            name="voice_id", py_name="voice_id", location="path", type=STRING, required=True, description="The voice."
        ),
    ),
    query_params=(_query("formats", ir.ListOf(ir.Named("Format")), explode=False),),
    auth=(ir.ChannelAuth("query", "api_key"),),
    publish=(_message("SpeakText", None, "send_text"),),
    subscribe=(
        ir.Message(name="Audio", py_name="audio", type=ir.Primitive("binary")),
        _message("Timestamp", None),
        _message("SpeakDone", None),
    ),
)


def api(*channels: ir.Channel) -> ir.Api:
    channels = channels or (CHAT, SPEAK)
    paths = sorted({channel.group[:depth] for channel in channels for depth in range(len(channel.group) + 1)})
    return ir.Api(
        package=PACKAGE,
        version="1.0.0",
        title="Voice",
        client="VoiceClient",
        async_client="AsyncVoiceClient",
        environment_class="VoiceEnvironment",
        url_keys=("base", "live"),
        environments=(ir.Environment("production", "PRODUCTION", (("base", "https://x"), ("live", "wss://x/v1"))),),
        default_environment="production",
        security_schemes=(
            ir.SecurityScheme("api_key", "api_key", ("api_key",), ("VOICE_API_KEY",), "header", "X-Api-Key"),
        ),
        groups=tuple(ir.Group(path, *naming.client_classes(path, "VoiceClient", "AsyncVoiceClient")) for path in paths),
        types=TYPES,
        endpoints=(),
        channels=channels,
    )
