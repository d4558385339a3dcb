"""The socket runtime (``templates/runtime/core/socket.py``) on its own: decoding, handshake, errors.

The end-to-end behaviour over real connections is in ``test_channels.py``; these tests pin the
pieces every generated socket shares, with small hand-written models.
"""

from __future__ import annotations

import enum
import logging
import typing
from types import ModuleType, SimpleNamespace

import pydantic
import pytest
from websockets.exceptions import ConnectionClosedError
from websockets.frames import Close

from tests.sockets.conftest import module


class Hello(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    type: typing.Literal["hello"] = "hello"
    name: str


class Count(pydantic.BaseModel):
    type: typing.Literal["count"] = "count"
    value: int = pydantic.Field(alias="Value")


class Prediction(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    payload_id: typing.Optional[str] = None
    prosody: typing.Optional[typing.Dict[str, float]] = None


class Failure(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    payload_id: typing.Optional[str] = None
    error: typing.Optional[str] = None
    code: typing.Optional[str] = None


class Warning_(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    payload_id: typing.Optional[str] = None
    warning: typing.Optional[str] = None
    code: typing.Optional[str] = None


class Colour(enum.Enum):
    RED = "red"


class Settings(pydantic.BaseModel):
    sample_rate: typing.Optional[int] = None
    context: typing.Optional[typing.Dict[str, str]] = None
    voice: typing.Optional[str] = None


# ---------------------------------------------------------------------------------------------
# MessageDecoder
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def tagged(runtime: ModuleType) -> typing.Any:
    return runtime.MessageDecoder(discriminator="type", tags={"hello": Hello, "count": Count})


def test_a_tag_picks_its_model(tagged: typing.Any) -> None:
    hello = tagged.decode('{"type": "hello", "name": "Ada", "extra": 1}')
    assert isinstance(hello, Hello) and hello.name == "Ada" and hello.model_extra == {"extra": 1}
    count = tagged.decode(b'{"type": "count", "Value": 3}'.decode())
    assert isinstance(count, Count) and count.value == 3


def test_an_unknown_tag_is_an_unknown_message(runtime: ModuleType, tagged: typing.Any) -> None:
    message = tagged.decode('{"type": "brand_new", "x": [1, 2]}')
    assert message == runtime.UnknownMessage(type="brand_new", data={"type": "brand_new", "x": [1, 2]})
    assert tagged.decode('{"name": "no tag"}') == runtime.UnknownMessage(type=None, data={"name": "no tag"})
    assert tagged.decode('{"type": 7}') == runtime.UnknownMessage(type=None, data={"type": 7})


def test_a_payload_that_does_not_fit_is_kept_with_the_reason(runtime: ModuleType, tagged: typing.Any) -> None:
    message = tagged.decode('{"type": "count", "Value": "many"}')
    assert isinstance(message, runtime.UnknownMessage)
    assert message.type == "count" and message.data == {"type": "count", "Value": "many"}
    assert isinstance(message.error, pydantic.ValidationError)


@pytest.mark.parametrize("frame", ["not json", "", '{"type": "hello"', "[1, 2]", "3"])
def test_text_that_is_no_json_object_is_an_unknown_message(runtime: ModuleType, tagged: typing.Any, frame: str) -> None:
    message = tagged.decode(frame)
    assert isinstance(message, runtime.UnknownMessage) and message.type is None
    if message.error is not None:
        assert isinstance(message.error, ValueError) and message.data == frame


def test_binary_frames(runtime: ModuleType, tagged: typing.Any) -> None:
    assert runtime.MessageDecoder(binary=True).decode(b"\x00\x01") == b"\x00\x01"
    assert tagged.decode(b"\x00\x01") == runtime.UnknownMessage(type=None, data=b"\x00\x01")


def test_untagged_messages_go_to_the_model_declaring_most_of_their_properties(runtime: ModuleType) -> None:
    decoder = runtime.MessageDecoder(untagged=(Prediction, Failure, Warning_))
    assert type(decoder.decode('{"payload_id": "p", "prosody": {"joy": 0.5}}')) is Prediction
    assert type(decoder.decode('{"payload_id": "p", "error": "bad", "code": "E1"}')) is Failure
    assert type(decoder.decode('{"warning": "hm", "code": "W1"}')) is Warning_
    assert type(decoder.decode('{"payload_id": "p"}')) is Prediction  # a tie goes to the first declared
    unknown = decoder.decode('{"type": "new", "payload": 1}')
    assert unknown == runtime.UnknownMessage(type=None, data={"type": "new", "payload": 1})


def test_untagged_messages_that_fit_no_model(runtime: ModuleType) -> None:
    message = runtime.MessageDecoder(untagged=(Hello,)).decode('{"name": 1}')
    assert isinstance(message, runtime.UnknownMessage) and isinstance(message.error, pydantic.ValidationError)


# ---------------------------------------------------------------------------------------------
# Query strings and the handshake
# ---------------------------------------------------------------------------------------------


def test_values_that_are_not_objects_are_tried_in_order(runtime: ModuleType) -> None:
    decoder = runtime.MessageDecoder(
        tags={"hello": Hello},
        discriminator="type",
        values=(typing.Literal["pong"], typing.List[Count], float, typing.Union[Settings, str]),
    )
    assert decoder.decode('"pong"') == "pong"
    assert [c.value for c in decoder.decode('[{"Value": 1}, {"Value": 2}]')] == [1, 2]
    assert decoder.decode("2") == 2.0 and decoder.decode('"other"') == "other"
    assert decoder.decode('{"voice": "calm"}') == Settings(voice="calm")  # no tag: then the values
    message = decoder.decode("[true]")
    assert isinstance(message, runtime.UnknownMessage) and isinstance(message.error, pydantic.ValidationError)


def test_text_messages_are_frames_no_json_message_takes(runtime: ModuleType) -> None:
    decoder = runtime.MessageDecoder(tags={"hello": Hello}, discriminator="type", values=(int,), text=True)
    assert decoder.decode("Good morning") == "Good morning"
    assert decoder.decode("12") == 12 and decoder.decode("12.5") == "12.5" and decoder.decode('"x"') == '"x"'
    assert isinstance(decoder.decode('{"type": "hello", "name": "Ada"}'), Hello)
    assert isinstance(decoder.decode('{"type": "other"}'), runtime.UnknownMessage)  # JSON objects stay JSON


@pytest.mark.parametrize(
    ("message", "text", "frame"),
    [
        (Count(Value=3), False, '{"type":"count","Value":3}'),
        ([Count(Value=1), Settings(voice="calm")], False, '[{"type":"count","Value":1},{"voice":"calm"}]'),
        ("hi", False, '"hi"'),
        ("hi", True, "hi"),
        (Colour.RED, True, '"red"'),
        (1.5, False, "1.5"),
        (b"\x00", True, b"\x00"),
    ],
)
def test_frames_by_payload_kind(runtime: ModuleType, message: object, text: bool, frame: str | bytes) -> None:
    assert runtime._frame(message, text) == frame


def test_query_pairs(runtime: ModuleType) -> None:
    pairs = runtime.query_pairs(
        {
            "skip": None,
            "flag": True,
            "off": False,
            "n": 3,
            "x": 0.5,
            "colour": Colour.RED,
            "many": ["a", "b"],
            "joined": ["a", "b"],
            "settings": Settings(sample_rate=16000, context={"text": "hi"}),
            "plain": {"a": {"b": None, "c": 1}},
        },
        {
            "joined": runtime.QueryStyle("form", explode=False),
            "settings": runtime.QueryStyle("deepObject"),
            "plain": runtime.QueryStyle("deepObject"),
        },
    )
    assert pairs == [
        ("flag", "true"),
        ("off", "false"),
        ("n", "3"),
        ("x", "0.5"),
        ("colour", "red"),
        ("many", "a"),
        ("many", "b"),
        ("joined", "a,b"),
        ("settings[sample_rate]", "16000"),
        ("settings[context][text]", "hi"),
        ("plain[a][c]", "1"),
    ]


class Wrapper:
    """Stands for the SDK's client wrapper."""

    def __init__(self, api_key: str | None = "secret", timeout: float | None = 30.0) -> None:
        self.environment = SimpleNamespace(live="wss://example.test/v1/", base="https://example.test")
        self.api_key = api_key
        self.timeout = timeout

    def get_headers(self, *, auth: bool = True) -> dict[str, str]:
        headers = {"User-Agent": "sdk/1.0"}
        if auth and self.api_key is not None:
            headers["X-Api-Key"] = self.api_key
        return headers


def handshake(runtime: ModuleType, channel: typing.Any, **arguments: typing.Any) -> tuple[str, dict[str, str]]:
    values: dict[str, typing.Any] = {"path_params": {}, "query": {}, "api_key": None, "request_options": None}
    values.update(arguments)
    wrapper = values.pop("wrapper", Wrapper())
    url, headers, secrets = channel.handshake(wrapper, **values)
    key = values["api_key"] or wrapper.api_key
    assert secrets == ((key,) if key else ())  # kept out of the websockets logs
    return url, headers


def test_the_key_goes_in_the_header_when_the_channel_takes_one(runtime: ModuleType) -> None:
    channel = runtime.SocketChannel(url_key="live", path="/chat", auth_header="X-Api-Key", auth_query="api_key")
    url, headers = handshake(runtime, channel, query={"config_id": "c 1"})
    assert url == "wss://example.test/v1/chat?config_id=c+1"
    assert headers == {"User-Agent": "sdk/1.0", "X-Api-Key": "secret"}
    url, headers = handshake(runtime, channel, api_key="other")
    assert url == "wss://example.test/v1/chat" and headers["X-Api-Key"] == "other"


def test_the_key_goes_in_the_query_when_the_channel_takes_no_header(runtime: ModuleType) -> None:
    channel = runtime.SocketChannel(url_key="live", path="/speak", auth_query="api_key")
    url, headers = handshake(runtime, channel, query={"n": 1})
    assert url == "wss://example.test/v1/speak?n=1&api_key=secret"
    assert headers == {"User-Agent": "sdk/1.0"}


def test_no_key_is_sent_where_the_channel_takes_none(runtime: ModuleType) -> None:
    channel = runtime.SocketChannel(url_key="live", path="/open")
    url, headers = handshake(runtime, channel)
    assert url == "wss://example.test/v1/open" and headers == {"User-Agent": "sdk/1.0"}
    channel = runtime.SocketChannel(url_key="live", path="/chat", auth_header="X-Api-Key")
    url, headers = handshake(runtime, channel, wrapper=Wrapper(api_key=None))
    assert headers == {"User-Agent": "sdk/1.0"}


def test_path_parameters_and_request_options(runtime: ModuleType) -> None:
    channel = runtime.SocketChannel(url_key="live", path="/chat/{chat_id}/connect", auth_header="X-Api-Key")
    url, headers = handshake(
        runtime,
        channel,
        path_params={"chat_id": "a/b c"},
        query={"access_token": "t"},
        request_options={"additional_headers": {"X-Trace": 7}, "additional_query_parameters": {"debug": True}},
    )
    assert url == "wss://example.test/v1/chat/a%2Fb%20c/connect?access_token=t&debug=true"
    assert headers["X-Trace"] == "7" and headers["X-Api-Key"] == "secret"


# ---------------------------------------------------------------------------------------------
# Errors and events
# ---------------------------------------------------------------------------------------------


def test_socket_closed_error(runtime: ModuleType) -> None:
    closed = ConnectionClosedError(Close(4001, "config not found"), Close(4001, "config not found"), True)
    error = runtime.SocketClosedError.from_closed(closed)
    assert isinstance(error, ConnectionClosedError)
    assert (error.code, error.reason) == (4001, "config not found")
    assert str(error) == "the server closed the connection with code 4001: config not found"
    lost = runtime.SocketClosedError.from_closed(ConnectionClosedError(None, None))
    assert (lost.code, lost.reason) == (1006, "")
    assert "without a close frame" in str(lost)


def test_event_names(runtime: ModuleType) -> None:
    assert [event.value for event in runtime.EventType] == ["open", "message", "error", "close"]
    assert runtime.EventType("message") is runtime.EventType.MESSAGE


def test_handshake_errors_are_api_errors(runtime: ModuleType) -> None:
    from websockets.datastructures import Headers
    from websockets.exceptions import InvalidStatus
    from websockets.http11 import Response

    response = Response(401, "Unauthorized", Headers({"Content-Type": "text/plain"}), b"bad key")
    error = runtime._handshake_error(InvalidStatus(response))
    assert isinstance(error, module(runtime, "api_error").ApiError)
    assert (error.status_code, error.body, error.headers) == (401, "bad key", {"Content-Type": "text/plain"})


def test_secrets_are_redacted_from_the_websockets_log(runtime: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="websockets.client")
    logger = runtime.RedactingLogger(["s3cr+t"])
    logger.debug("> GET /speak?api_key=%s HTTP/1.1", "s3cr%2Bt")
    logger.debug("> X-Api-Key: %s", "s3cr+t")
    logger.info("plain %d", 1)
    assert [r.getMessage() for r in caplog.records] == ["> GET /speak?api_key=*** HTTP/1.1", "> X-Api-Key: ***", "plain 1"]
