"""The socket runtime (``templates/runtime/core/socket.py``) on its own: decoding, handshake, errors.

The end-to-end behaviour over real connections is in ``test_channels.py``; these tests pin the
pieces every generated socket shares, with small hand-written models.
"""

from __future__ import annotations

import enum
import json
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
    payload_id: str | None = None
    prosody: dict[str, float] | None = None


class Failure(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    payload_id: str | None = None
    error: str | None = None
    code: str | None = None


class Warning_(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    payload_id: str | None = None
    warning: str | None = None
    code: str | None = None


class Colour(enum.Enum):
    RED = "red"


class Settings(pydantic.BaseModel):
    sample_rate: int | None = None
    context: dict[str, str] | None = None
    voice: str | None = None


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
    assert message == runtime.UnknownMessage(tag="brand_new", data={"type": "brand_new", "x": [1, 2]})
    assert tagged.decode('{"name": "no tag"}') == runtime.UnknownMessage(tag=None, data={"name": "no tag"})
    assert tagged.decode('{"type": 7}') == runtime.UnknownMessage(tag=None, data={"type": 7})


def test_a_known_tag_with_a_field_of_another_type_is_still_its_model(
    runtime: ModuleType, tagged: typing.Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    message = tagged.decode('{"type": "count", "Value": "many"}')
    assert type(message) is Count and message.value == "many"  # type: ignore[comparison-overlap]  # a str kept as sent
    (record,) = [r for r in caplog.records if "does not match" in r.getMessage()]
    assert record.levelno == logging.DEBUG and record.name == runtime.__name__.split(".")[0]
    assert "'Value' of Count" in record.getMessage() and "'many'" in record.getMessage()
    assert "message 'count'" in record.getMessage() and "kept as sent" in record.getMessage()


@pytest.mark.parametrize("frame", ['{"type": "hello"}', '{"type": "hello", "name": null}'], ids=["missing", "null"])
def test_a_known_tag_missing_a_required_field_reads_none(
    tagged: typing.Any, caplog: pytest.LogCaptureFixture, frame: str
) -> None:
    caplog.set_level(logging.DEBUG)
    message = tagged.decode(frame)
    assert type(message) is Hello and message.name is None
    problem = "missing" if "null" not in frame else "null where a value is required"
    assert [r.getMessage().split(": ", 1)[1] for r in caplog.records] == [
        f"field 'name' of Hello at name: {problem}; reads None"
    ]


class Word(pydantic.BaseModel):
    text: str
    start: float


class Transcript(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")
    type: typing.Literal["transcript"] = "transcript"
    words: list[Word]
    scores: dict[str, float]
    speaker: Word | None = None
    label: int | Word


def test_deviations_deep_inside_a_message_are_repaired_where_they_are(
    runtime: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    decoder = runtime.MessageDecoder(discriminator="type", tags={"transcript": Transcript, "hello": Hello})
    message = decoder.decode(
        '{"type": "transcript", "words": [{"text": "hi", "start": 0.5}, {"start": "soon"}, {"text": null, "start": 1}],'
        ' "scores": {"joy": 0.5, "anger": "high"}, "speaker": [1], "label": {"text": "x"}, "new": {"k": 1}}'
    )
    assert type(message) is Transcript
    first, second, third = message.words
    assert first == Word(text="hi", start=0.5)
    assert type(second) is Word and second.text is None and second.start == "soon"
    assert type(third) is Word and third.text is None and third.start == 1.0
    assert message.scores == {"joy": 0.5, "anger": "high"}
    assert message.speaker == [1]
    assert type(message.label) is Word and message.label.text == "x" and message.label.start is None
    assert message.model_extra == {"new": {"k": 1}}
    logged = sorted(r.getMessage().split(": ", 1)[1].split(" at ")[1].split(":")[0] for r in caplog.records)
    assert logged == ["label.start", "scores.anger", "speaker", "words[1].start", "words[1].text", "words[2].text"]


class Reading(pydantic.BaseModel):
    type: typing.Literal["reading"] = "reading"
    value: int | Word
    extra: dict[str, Word] | None = None


def test_unions_written_with_a_bar_are_repaired_too(runtime: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    decoder = runtime.MessageDecoder(discriminator="type", tags={"reading": Reading})
    message = decoder.decode('{"type": "reading", "value": {"text": "t"}, "extra": {"a": {"start": 1}, "b": 2}}')
    assert type(message) is Reading
    assert type(message.value) is Word and message.value.text == "t" and message.value.start is None
    assert message.extra is not None
    assert type(message.extra["a"]) is Word and message.extra["a"].text is None and message.extra["b"] == 2
    logged = sorted(r.getMessage().split(" at ")[1].split(":")[0] for r in caplog.records)
    assert logged == ["extra.a.text", "extra.b", "value.start"]


def test_a_tagged_union_inside_a_message_picks_its_member_by_the_tag(runtime: ModuleType) -> None:
    utilities = module(runtime, "pydantic_utilities")
    Shape = typing.Annotated[
        typing.Annotated[Hello, pydantic.Tag("Hello")] | typing.Annotated[Count, pydantic.Tag("Count")],
        utilities.discriminated_by("type", {"hello": "Hello", "count": "Count"}),
    ]

    class Envelope(pydantic.BaseModel):
        type: typing.Literal["envelope"] = "envelope"
        inner: Shape
        others: list[Shape]

    decoder = runtime.MessageDecoder(discriminator="type", tags={"envelope": Envelope})
    message = decoder.decode(
        '{"type": "envelope", "inner": {"type": "count", "Value": "x"},'
        ' "others": [{"type": "hello"}, {"type": "new_kind", "a": 1}, {"type": "hello", "name": "Ada"}]}'
    )
    assert type(message) is Envelope
    assert type(message.inner) is Count and message.inner.value == "x"  # type: ignore[comparison-overlap]  # a str kept as sent
    first, second, third = message.others
    assert type(first) is Hello and first.name is None
    assert second == {"type": "new_kind", "a": 1}  # an unknown tag: kept as sent
    assert third == Hello(name="Ada")


def test_the_channel_validator_and_the_model_agree(tagged: typing.Any) -> None:
    frames = [
        '{"type": "hello", "name": "Ada", "x": [1]}',
        '{"type": "count", "Value": 3}',
        '{"type": "count", "Value": "4"}',
    ]
    for frame in frames:
        data = json.loads(frame)
        model = {"hello": Hello, "count": Count}[data["type"]]
        decoded = tagged.decode(frame)
        assert type(decoded) is model and decoded == model.model_validate(data)
        assert decoded.model_fields_set == model.model_validate(data).model_fields_set


@pytest.mark.parametrize("frame", ["not json", "", '{"type": "hello"', "[1, 2]", "3"])
def test_text_that_is_no_json_object_is_an_unknown_message(runtime: ModuleType, tagged: typing.Any, frame: str) -> None:
    message = tagged.decode(frame)
    assert isinstance(message, runtime.UnknownMessage) and message.type is None and message.tag is None
    if message.error is not None:
        assert isinstance(message.error, ValueError) and message.data == frame


def test_binary_frames(runtime: ModuleType, tagged: typing.Any) -> None:
    assert runtime.MessageDecoder(binary=True).decode(b"\x00\x01") == b"\x00\x01"
    assert tagged.decode(b"\x00\x01") == runtime.UnknownMessage(tag=None, data=b"\x00\x01")


def test_untagged_messages_go_to_the_model_declaring_most_of_their_properties(runtime: ModuleType) -> None:
    decoder = runtime.MessageDecoder(untagged=(Prediction, Failure, Warning_))
    assert type(decoder.decode('{"payload_id": "p", "prosody": {"joy": 0.5}}')) is Prediction
    assert type(decoder.decode('{"payload_id": "p", "error": "bad", "code": "E1"}')) is Failure
    assert type(decoder.decode('{"warning": "hm", "code": "W1"}')) is Warning_
    assert type(decoder.decode('{"payload_id": "p"}')) is Prediction  # a tie goes to the first declared
    unknown = decoder.decode('{"type": "new", "payload": 1}')
    assert unknown == runtime.UnknownMessage(tag=None, data={"type": "new", "payload": 1})


def test_untagged_messages_that_fit_no_model_go_to_the_best_match_tolerantly(
    runtime: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    decoder = runtime.MessageDecoder(untagged=(Settings, Hello))
    message = decoder.decode('{"name": 1}')
    assert type(message) is Hello and message.name == 1  # type: ignore[comparison-overlap]  # an int kept as sent
    assert "'name' of Hello" in caplog.text
    assert decoder.decode('{"nothing": "known"}') == runtime.UnknownMessage(tag=None, data={"nothing": "known"})


# ---------------------------------------------------------------------------------------------
# Query strings and the handshake
# ---------------------------------------------------------------------------------------------


def test_values_that_are_not_objects_are_tried_in_order(runtime: ModuleType) -> None:
    decoder = runtime.MessageDecoder(
        tags={"hello": Hello},
        discriminator="type",
        values=(typing.Literal["pong"], list[Count], float, Settings | str),
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


def test_one_cookie_header_merges_the_credentials_and_the_callers(runtime: ModuleType) -> None:
    """Later wins by name: the channel's (or client's) Cookie, the credentials' cookies, request_options."""
    channel = runtime.SocketChannel(url_key="live", path="/chat", security=(("session",),))
    placed = SimpleNamespace(
        headers={}, query=[], cookies={"session": "a;b"}, cookie_pairs=lambda: [("session", "a%3Bb")]
    )
    _, headers, secrets = channel.handshake(
        Wrapper(api_key=None),
        path_params={},
        query={},
        headers={"cookie": "theme=dark; session=old"},
        api_key=None,
        request_options={"additional_headers": {"COOKIE": "theme=light; extra=1"}},
        placed=placed,
    )
    assert headers == {"User-Agent": "sdk/1.0", "Cookie": "session=a%3Bb; theme=light; extra=1"}
    assert "a;b" in secrets and "a%3Bb" in secrets  # as given and as sent: kept out of the logs


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
    assert [r.getMessage() for r in caplog.records] == [
        "> GET /speak?api_key=*** HTTP/1.1",
        "> X-Api-Key: ***",
        "plain 1",
    ]
