"""Every channel of the generated SDK against the loopback spec server, sync and async.

The channels, their parameters and their messages come from the AsyncAPI documents in
``specs/`` (through the IR for the SDK side, read directly for the server side). For each
channel the SDK connects with every query parameter set, sends every message the channel
accepts (the server validates each against its schema), and receives an example of every
message the server sends, a message of a type the spec does not know and, where the
channel has them, binary frames; then the server closes with an error code.
"""

from __future__ import annotations

import importlib
import json
import logging
import subprocess
import sys
import typing
from dataclasses import dataclass
from types import ModuleType

import pytest
from websockets.exceptions import ConnectionClosedOK

from generator import ir
from generator.render.annotations import type_import
from tests.sockets.hume_package import API, import_generated
from tests.sockets.spec_server import BINARY, ChannelSpec, Plan, Specs, SpecServer

API_KEY = "test-key"
ERROR_CODE, ERROR_REASON = 4008, "the test says goodbye"
UNKNOWN = {"type": "message_from_the_future", "payload": [1, 2, 3]}
AUDIO = bytes(range(256)) * 4


@dataclass(frozen=True)
class Case:
    """One channel: its IR, its spec, and what to send and expect."""

    channel: ir.Channel
    spec: ChannelSpec

    @property
    def id(self) -> str:
        return ".".join(self.channel.group)

    @property
    def binary_in(self) -> bool:
        return any(message.content_type == BINARY for message in self.spec.receives)

    def sub_client(self, client: typing.Any) -> typing.Any:
        for part in self.channel.group:
            client = getattr(client, part)
        return client


def _cases() -> list[Case]:
    specs = Specs(API.specs_dir)
    cases = []
    for channel in API.ir.channels:
        stem = channel.source.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        key = channel.source.pointer.rsplit("/", 1)[-1]
        cases.append(Case(channel, specs.channels[f"{stem}:{key}"]))
    return cases


CASES = _cases()


def test_every_channel_of_the_specs_is_tested() -> None:
    assert sorted(case.id for case in CASES) == [
        "empathic_voice.chat",
        "empathic_voice.control_plane",
        "expression_measurement.stream",
        "tts.stream_input",
    ]


# ---------------------------------------------------------------------------------------------
# What to send, what to expect
# ---------------------------------------------------------------------------------------------


def _model(type_ref: ir.TypeRef) -> type[typing.Any]:
    assert isinstance(type_ref, ir.Named)
    module, name = type_import(API.ir, type_ref.id)
    return typing.cast("type[typing.Any]", getattr(importlib.import_module(module), name))


def connect_arguments(specs: Specs, case: Case) -> tuple[list[str], dict[str, typing.Any]]:
    """Positional path parameters and a value for every query parameter, from the spec."""
    path = [f"{param.py_name}-value" for param in case.channel.path_params]
    query = {}
    for param in case.channel.query_params:
        schema = case.spec.query[param.name]
        query[param.py_name] = specs.example_of(schema, case.spec.document_uri)
    return path, query


def expected_query(case: Case, query: dict[str, typing.Any]) -> list[tuple[str, str]]:
    """The query string the server should see for ``query``, written out independently."""
    pairs: list[tuple[str, str]] = []

    def add(name: str, value: typing.Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                add(f"{name}[{key}]", item)
        elif isinstance(value, list):
            for item in value:
                add(name, item)
        elif isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif value is not None:
            pairs.append((name, str(value)))

    for param in case.channel.query_params:
        add(param.name, query[param.py_name])
    return sorted(pairs)


def messages_to_send(specs: Specs, case: Case) -> list[tuple[str, typing.Any]]:
    """(send method, model) for every message the client may send, from spec examples."""
    result = []
    by_name = {message.name: message for message in case.spec.sends}
    for message in case.channel.publish:
        assert message.send_method is not None
        example = specs.example(by_name[message.name])
        result.append((message.send_method, _model(message.type).model_validate(example)))
    return result


def replies(specs: Specs, case: Case) -> tuple[list[str | bytes], list[typing.Any]]:
    """What the server sends, and the class (or ``bytes``/``"unknown"``) each should decode to."""
    frames: list[str | bytes] = []
    expected: list[typing.Any] = []
    by_name = {message.name: message for message in case.channel.subscribe}
    for message in case.spec.receives:
        if message.content_type == BINARY:
            frames.append(AUDIO)
            expected.append(bytes)
        else:
            frames.append(json.dumps(specs.example(message)))
            expected.append(_model(by_name[message.name].type))
    frames.append(json.dumps(UNKNOWN))
    expected.append("unknown")
    return frames, expected


def check_received(socket_module: ModuleType, received: list[typing.Any], expected: list[typing.Any]) -> None:
    assert len(received) == len(expected)
    for message, kind in zip(received, expected):
        if kind == "unknown":
            assert isinstance(message, socket_module.UnknownMessage)
            assert message.data == UNKNOWN and message.error is None
            assert message.type is None
            if message.tag is not None:
                assert message.tag == UNKNOWN["type"]
        elif kind is bytes:
            assert message == AUDIO
        else:
            assert type(message) is kind, f"expected {kind.__name__}, got {message!r}"


def check_handshake(server: SpecServer, case: Case, path: list[str], query: dict[str, typing.Any]) -> None:
    assert server.errors == []
    (handshake,) = server.handshakes
    assert handshake.channel == case.spec.key
    expected_path = case.spec.pathname + case.spec.address
    for param, value in zip(case.spec.path_parameters, path):
        expected_path = expected_path.replace("{" + param + "}", value)
    assert handshake.path == expected_path
    assert sorted(handshake.query) == expected_query(case, query)
    assert handshake.headers.get("X-Hume-Api-Key") == API_KEY
    assert "api_key" not in dict(handshake.query)


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hume() -> ModuleType:
    return import_generated()


@pytest.fixture(scope="module")
def socket_runtime(hume: ModuleType) -> ModuleType:
    return importlib.import_module(f"{hume.__name__}.core._socket")


def _environment(hume: ModuleType, server: SpecServer) -> typing.Any:
    urls = {key: server.url(key) if server.has_server(key) else "http://127.0.0.1:9" for key in API.ir.url_keys}
    return getattr(hume, API.ir.environment_class)(**urls)


@pytest.fixture
def client(hume: ModuleType, server: SpecServer) -> typing.Any:
    return getattr(hume, API.ir.client)(api_key=API_KEY, environment=_environment(hume, server))


@pytest.fixture
def async_client(hume: ModuleType, server: SpecServer) -> typing.Any:
    return getattr(hume, API.ir.async_client)(api_key=API_KEY, environment=_environment(hume, server))


@pytest.fixture(params=CASES, ids=lambda case: case.id)
def case(request: pytest.FixtureRequest) -> Case:
    return typing.cast(Case, request.param)


# ---------------------------------------------------------------------------------------------
# The full exchange, sync and async
# ---------------------------------------------------------------------------------------------


def test_sync_exchange(
    specs: Specs, server: SpecServer, client: typing.Any, socket_runtime: ModuleType, case: Case
) -> None:
    path, query = connect_arguments(specs, case)
    sends = messages_to_send(specs, case)
    frames, expected = replies(specs, case)
    server.reset(Plan(expect=len(sends) + 1, replies=frames, close_code=ERROR_CODE, close_reason=ERROR_REASON))
    received = []
    with case.sub_client(client).connect(*path, **query) as socket:
        for method, model in sends:
            getattr(socket, method)(model)
        socket.send_publish(sends[0][1])
        with pytest.raises(socket_runtime.SocketClosedError) as closed:
            for message in socket:
                received.append(message)
    assert (closed.value.code, closed.value.reason) == (ERROR_CODE, ERROR_REASON)
    check_received(socket_runtime, received, expected)
    check_handshake(server, case, path, query)
    assert len(server.received) == len(sends) + 1


async def test_async_exchange(
    specs: Specs, server: SpecServer, async_client: typing.Any, socket_runtime: ModuleType, case: Case
) -> None:
    path, query = connect_arguments(specs, case)
    sends = messages_to_send(specs, case)
    frames, expected = replies(specs, case)
    server.reset(Plan(expect=len(sends) + 1, replies=frames, close_code=ERROR_CODE, close_reason=ERROR_REASON))
    received = []
    async with case.sub_client(async_client).connect(*path, **query) as socket:
        for method, model in sends:
            await getattr(socket, method)(model)
        await socket.send_publish(sends[-1][1])
        with pytest.raises(socket_runtime.SocketClosedError) as closed:
            async for message in socket:
                received.append(message)
    assert (closed.value.code, closed.value.reason) == (ERROR_CODE, ERROR_REASON)
    check_received(socket_runtime, received, expected)
    check_handshake(server, case, path, query)


def test_sync_recv_until_a_normal_close(
    specs: Specs, server: SpecServer, client: typing.Any, socket_runtime: ModuleType, case: Case
) -> None:
    frames, expected = replies(specs, case)
    server.reset(Plan(replies=frames))
    path, _ = connect_arguments(specs, case)
    with case.sub_client(client).connect(*path) as socket:
        received = [socket.recv() for _ in frames]
        with pytest.raises(ConnectionClosedOK):
            socket.recv()
    check_received(socket_runtime, received, expected)


async def test_async_recv_until_a_normal_close(
    specs: Specs, server: SpecServer, async_client: typing.Any, socket_runtime: ModuleType, case: Case
) -> None:
    frames, expected = replies(specs, case)
    server.reset(Plan(replies=frames))
    path, _ = connect_arguments(specs, case)
    async with case.sub_client(async_client).connect(*path) as socket:
        received = [await socket.recv() for _ in frames]
        with pytest.raises(ConnectionClosedOK):
            await socket.recv()
    check_received(socket_runtime, received, expected)


# ---------------------------------------------------------------------------------------------
# Messages that drift from their schema
# ---------------------------------------------------------------------------------------------


def drifted_replies(specs: Specs, case: Case) -> list[tuple[str, type[typing.Any], str, str]]:
    """(frame, model, attribute, wire name) for each tagged message the server sends, one required field removed."""
    result = []
    by_name = {message.name: message for message in case.channel.subscribe}
    for spec_message in case.spec.receives:
        message = by_name.get(spec_message.name)
        if spec_message.content_type == BINARY or message is None or message.tag is None:
            continue
        typedef = API.ir.type_by_id(typing.cast(ir.Named, message.type).id)
        assert isinstance(typedef, ir.ObjectType)
        required = [f for f in typedef.fields if f.required and not isinstance(f.type, ir.LiteralOf)]
        example = specs.example(spec_message)
        if not required or required[0].name not in example:
            continue
        del example[required[0].name]
        result.append((json.dumps(example), _model(message.type), required[0].attribute, required[0].name))
    return result


TAGGED_CASES = [case for case in CASES if case.channel.discriminator is not None]


@pytest.mark.parametrize("case", TAGGED_CASES, ids=lambda case: case.id)
def test_a_known_message_missing_a_required_field_arrives_as_its_model(
    specs: Specs, server: SpecServer, client: typing.Any, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=API.ir.package)
    drifted = drifted_replies(specs, case)
    assert drifted, "the channel has tagged messages with required fields"
    server.reset(Plan(replies=[frame for frame, _, _, _ in drifted]))
    path, _ = connect_arguments(specs, case)
    with case.sub_client(client).connect(*path) as socket:
        received = [socket.recv() for _ in drifted]
    for message, (_, model, attribute, wire) in zip(received, drifted):
        assert type(message) is model and getattr(message, attribute) is None
        assert f"field {wire!r} of {model.__name__} at {wire}: missing; reads None" in caplog.text


async def test_async_a_known_message_with_a_value_of_another_type_arrives_as_its_model(
    specs: Specs, server: SpecServer, async_client: typing.Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=API.ir.package)
    case = next(case for case in CASES if case.id == "empathic_voice.chat")
    frame, model, attribute, wire = drifted_replies(specs, case)[0]
    data = json.loads(frame)
    data[wire] = {"unexpected": ["shape"]}
    server.reset(Plan(replies=[json.dumps(data)]))
    async with case.sub_client(async_client).connect() as socket:
        message = await socket.recv()
    assert type(message) is model and getattr(message, attribute) == {"unexpected": ["shape"]}
    assert f"field {wire!r} of {model.__name__} at {wire}: " in caplog.text and "kept as sent" in caplog.text


# ---------------------------------------------------------------------------------------------
# Callbacks
# ---------------------------------------------------------------------------------------------


def test_sync_start_listening(
    specs: Specs, server: SpecServer, client: typing.Any, socket_runtime: ModuleType, case: Case
) -> None:
    frames, expected = replies(specs, case)
    server.reset(Plan(replies=frames, close_code=ERROR_CODE, close_reason=ERROR_REASON))
    events: list[tuple[str, typing.Any]] = []
    path, _ = connect_arguments(specs, case)
    with case.sub_client(client).connect(*path) as socket:
        for name in ("open", "message", "error", "close"):
            socket.on(name, lambda data, name=name: events.append((name, data)))
        socket.start_listening()
    assert [name for name, _ in events] == ["open"] + ["message"] * len(frames) + ["error", "close"]
    check_received(socket_runtime, [data for name, data in events if name == "message"], expected)
    error = events[-2][1]
    assert isinstance(error, socket_runtime.SocketClosedError) and error.code == ERROR_CODE


async def test_async_start_listening_awaits_coroutine_handlers(
    specs: Specs, server: SpecServer, async_client: typing.Any, socket_runtime: ModuleType, case: Case
) -> None:
    frames, expected = replies(specs, case)
    server.reset(Plan(replies=frames))
    events: list[str] = []
    messages: list[typing.Any] = []

    async def on_message(message: typing.Any) -> None:
        messages.append(message)

    path, _ = connect_arguments(specs, case)
    async with case.sub_client(async_client).connect(*path) as socket:
        socket.on(socket_runtime.EventType.OPEN, lambda _: events.append("open"))
        socket.on("message", on_message)
        socket.on("error", lambda _: events.append("error"))
        socket.on("close", lambda _: events.append("close"))
        await socket.start_listening()
    assert events == ["open", "close"]
    check_received(socket_runtime, messages, expected)


def test_without_an_error_handler_start_listening_raises(
    specs: Specs, server: SpecServer, client: typing.Any, socket_runtime: ModuleType
) -> None:
    case = CASES[0]
    server.reset(Plan(close_code=ERROR_CODE, close_reason=ERROR_REASON))
    closed: list[None] = []
    with case.sub_client(client).connect(*connect_arguments(specs, case)[0]) as socket:
        socket.on("close", closed.append)
        with pytest.raises(socket_runtime.SocketClosedError, match=ERROR_REASON):
            socket.start_listening()
    assert closed == [None]


def test_sending_after_an_error_close_raises_the_close(
    specs: Specs, server: SpecServer, client: typing.Any, socket_runtime: ModuleType
) -> None:
    case = CASES[0]
    method, model = messages_to_send(specs, case)[0]
    server.reset(Plan(close_code=ERROR_CODE, close_reason=ERROR_REASON))
    with case.sub_client(client).connect(*connect_arguments(specs, case)[0]) as socket:
        with pytest.raises(socket_runtime.SocketClosedError):
            socket.recv()
        with pytest.raises(socket_runtime.SocketClosedError, match=ERROR_REASON):
            getattr(socket, method)(model)


async def test_async_sending_after_an_error_close_raises_the_close(
    specs: Specs, server: SpecServer, async_client: typing.Any, socket_runtime: ModuleType
) -> None:
    case = CASES[0]
    method, model = messages_to_send(specs, case)[0]
    server.reset(Plan(close_code=ERROR_CODE, close_reason=ERROR_REASON))
    async with case.sub_client(async_client).connect(*connect_arguments(specs, case)[0]) as socket:
        with pytest.raises(socket_runtime.SocketClosedError):
            await socket.recv()
        with pytest.raises(socket_runtime.SocketClosedError, match=ERROR_REASON):
            await getattr(socket, method)(model)


# ---------------------------------------------------------------------------------------------
# Credentials, handshake failures, the test server itself, import cost
# ---------------------------------------------------------------------------------------------


def test_an_api_key_for_one_connection(specs: Specs, server: SpecServer, client: typing.Any) -> None:
    case = next(case for case in CASES if case.id == "empathic_voice.chat")
    server.reset(Plan())
    with case.sub_client(client).connect(api_key="other-key", request_options={"additional_headers": {"X-Trace": "1"}}):
        pass
    (handshake,) = server.handshakes
    assert handshake.headers.get_all("X-Hume-Api-Key") == ["other-key"]
    assert handshake.headers["X-Trace"] == "1"


def test_the_api_key_stays_out_of_debug_logs(
    specs: Specs, server: SpecServer, client: typing.Any, caplog: pytest.LogCaptureFixture
) -> None:
    case = next(case for case in CASES if case.id == "empathic_voice.chat")
    caplog.set_level(logging.DEBUG)
    server.reset(Plan())
    with case.sub_client(client).connect():
        pass
    ours = [r.getMessage() for r in caplog.records if r.name == "websockets.client"]  # not the test server's
    assert any("X-Hume-Api-Key: ***" in line for line in ours)  # the handshake was logged, redacted
    assert not any(API_KEY in line for line in ours)


LARGE = json.dumps(
    {
        "type": "assistant_message",
        "from_text": False,
        "message": {"role": "assistant", "content": "a" * 2_000_000},
        "models": {},
    }
)


def test_a_message_of_two_megabytes_arrives(specs: Specs, server: SpecServer, client: typing.Any) -> None:
    case = next(case for case in CASES if case.id == "empathic_voice.chat")
    server.reset(Plan(replies=[LARGE]))
    with case.sub_client(client).connect() as socket:
        message = socket.recv()
    assert len(message.message.content) == 2_000_000


async def test_a_message_over_the_limit_closes_with_1009_and_says_so(
    specs: Specs, server: SpecServer, async_client: typing.Any, socket_runtime: ModuleType
) -> None:
    case = next(case for case in CASES if case.id == "empathic_voice.chat")
    server.reset(Plan(replies=[LARGE]))
    async with case.sub_client(async_client).connect(max_message_size=1024 * 1024) as socket:
        with pytest.raises(socket_runtime.SocketClosedError) as caught:
            await socket.recv()
    assert caught.value.by_client and caught.value.code == 1009
    assert str(caught.value).startswith("this client closed the connection with code 1009: ")


def test_without_a_limit_any_size_arrives(specs: Specs, server: SpecServer, client: typing.Any) -> None:
    case = next(case for case in CASES if case.id == "empathic_voice.chat")
    server.reset(Plan(replies=[LARGE]))
    with case.sub_client(client).connect(max_message_size=None) as socket:
        assert len(socket.recv().message.content) == 2_000_000


def test_a_refused_handshake_is_an_api_error(
    hume: ModuleType, specs: Specs, server: SpecServer, client: typing.Any, case: Case
) -> None:
    server.reset(Plan(reject_status=401))
    api_error = importlib.import_module(f"{hume.__name__}.core.api_error").ApiError
    with pytest.raises(api_error) as error:
        with case.sub_client(client).connect(*connect_arguments(specs, case)[0]):
            pass
    assert error.value.status_code == 401


async def test_a_refused_async_handshake_is_an_api_error(
    hume: ModuleType, specs: Specs, server: SpecServer, async_client: typing.Any
) -> None:
    server.reset(Plan(reject_status=403))
    api_error = importlib.import_module(f"{hume.__name__}.core.api_error").ApiError
    case = CASES[0]
    with pytest.raises(api_error) as error:
        async with case.sub_client(async_client).connect(*connect_arguments(specs, case)[0]):
            pass
    assert error.value.status_code == 403


def test_the_server_rejects_a_message_that_breaks_the_schema(
    specs: Specs, server: SpecServer, client: typing.Any
) -> None:
    case = CASES[0]
    method, model = messages_to_send(specs, case)[0]
    broken = type(model).model_construct(**{name: "wrong" for name in type(model).model_fields})
    server.reset(Plan(expect=1))
    with case.sub_client(client).connect(*connect_arguments(specs, case)[0]) as socket:
        getattr(socket, method)(broken)
        with pytest.raises(ConnectionClosedOK):
            socket.recv()
    assert len(server.errors) == 1 and "fits no message" in server.errors[0]


def test_importing_the_sdk_loads_no_socket_code(hume: ModuleType) -> None:
    package = hume.__name__
    groups = [".".join(case.channel.group) for case in CASES]
    script = "; ".join(
        [
            "import sys",
            f"import {package}",
            f"client = {package}.{API.ir.client}(api_key='k')",
            *[f"client.{group}" for group in groups],
            "loaded = [m for m in sys.modules if m.startswith('websockets') or m.endswith('.socket_client')]",
            "print(loaded)",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=API.subprocess_env(), check=True
    )
    assert result.stdout.strip() == "[]"


def test_connect_is_typed(hume: ModuleType) -> None:
    """Every query parameter is a keyword of ``connect()``; path parameters come first."""
    for case in CASES:
        module = importlib.import_module(f"{hume.__name__}.{'.'.join(case.channel.group)}.socket_connect")
        mixin = next(value for name, value in vars(module).items() if name.endswith("ConnectMixin"))
        code = mixin.connect.__code__
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        assert names[1 : 1 + len(case.channel.path_params)] == tuple(p.py_name for p in case.channel.path_params)
        assert {p.py_name for p in case.channel.query_params} <= set(names)
