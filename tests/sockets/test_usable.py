"""WebSocket clients a user can learn from the docs and trust the types of (issue #19), sync and async.

Two SDKs: the Hume SDK (``generated/``, against the spec-driven loopback server of
``spec_server.py``) and ``tests/specs/speech/speech.yaml``, a socket-only API generated without
settings, whose WebSocket is described as two channels on one address (``listenIn`` only
sent on, ``listenOut`` only received on), against loopback servers of this file.

- the generated README's WebSockets section and ``reference.md`` describe the channels, and
  only what the SDK has; the README's socket examples pass ``mypy --strict``;
- ``SocketClosedError``, ``UnknownMessage`` and the socket classes come from public modules;
- ``message.type == "..."`` narrows under mypy and pyright, and misuse is an error;
- a ``send_*`` given a dict validates it (filling the tag) or raises, sending nothing;
- ``connect()`` takes ``ping_interval``, ``ping_timeout``, ``open_timeout``, ``max_message_size``;
  a dropped connection is ``SocketClosedError(by_client=False, code=1006)``; resuming;
- a send-only and a receive-only channel at one address are one socket client.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import os
import re
import socket as sockets
import subprocess
import sys
import threading
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pydantic
import pytest
import yaml

from generator.format import format_files
from generator.pipeline import Project, build_ir
from generator.render import render
from generator.write import write_tree
from tests.conftest import GENERATED, REPO
from tests.sockets.hume_package import API, import_generated
from tests.sockets.loopback import LoopbackServer
from tests.sockets.spec_server import Plan, SpecServer

SPEECH = REPO / "tests" / "specs" / "speech" / "speech.yaml"
PYRIGHT = REPO / "node_modules" / ".bin" / "pyright"
TRANSCRIPT = '{"type": "transcript", "text": "hello world", "final": true}'
STARTED = '{"type": "session_started", "session_id": "s-123"}'
FUTURE = '{"type": "from_the_future", "x": 1}'


# ---------------------------------------------------------------------------------------------
# The SDKs
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def speech_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("speech")
    write_tree(format_files(render(build_ir(Project.from_files([SPEECH])))), out)
    sys.path.insert(0, str(out / "src"))
    try:
        yield out
    finally:
        sys.path.remove(str(out / "src"))
        for name in [name for name in sys.modules if name == "speech" or name.startswith("speech.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def speech(speech_out: Path) -> ModuleType:
    return importlib.import_module("speech")


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.close()


def speech_client(speech: ModuleType, url: str, sync: bool = True) -> typing.Any:
    environment = speech.SpeechClientEnvironment(production=url)
    return (speech.SpeechClient if sync else speech.AsyncSpeechClient)(api_key="k", environment=environment)


# ---------------------------------------------------------------------------------------------
# 6. One connection per address
# ---------------------------------------------------------------------------------------------


def test_a_send_only_and_a_receive_only_channel_at_one_address_are_one_channel() -> None:
    api = build_ir(Project.from_files([SPEECH]))
    by_id = {channel.id: channel for channel in api.channels}
    assert sorted(by_id) == ["alerts", "listen", "other"]
    listen = by_id["listen"]
    assert (listen.address, listen.source.pointer) == ("/v1/listen", "/channels/listenIn")
    assert [m.name for m in listen.publish] == ["Audio", "CloseStream"]
    assert [m.name for m in listen.subscribe] == ["Transcript", "SessionStarted"]
    assert listen.discriminator == "type" and [p.py_name for p in listen.query_params] == [
        "language",
        "resume_session_id",
    ]
    # used both ways: a connection of its own; same address, other parameters: apart
    assert [m.name for m in by_id["other"].publish] == ["Ping"] and by_id["alerts"].publish == ()


def test_a_pair_stays_apart_when_their_parameters_differ(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEECH.read_text(encoding="utf-8"))
    document["channels"]["listenOut"]["bindings"]["ws"]["query"]["properties"]["extra"] = {"type": "string"}
    (tmp_path / "speech.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    api = build_ir(Project.from_files([tmp_path / "speech.yaml"]))
    assert sorted(channel.id for channel in api.channels) == ["alerts", "listen_in", "listen_out", "other"]


def test_three_channels_at_one_address_stay_apart(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEECH.read_text(encoding="utf-8"))
    document["channels"]["listenMore"] = json.loads(json.dumps(document["channels"]["listenOut"]))
    document["operations"]["receiveMore"] = {
        "action": "receive",
        "channel": {"$ref": "#/channels/listenMore"},
        "messages": [{"$ref": "#/channels/listenMore/messages/transcript"}],
    }
    (tmp_path / "speech.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    api = build_ir(Project.from_files([tmp_path / "speech.yaml"]))
    assert sorted(channel.id for channel in api.channels) == [
        "alerts",
        "listen_in",
        "listen_more",
        "listen_out",
        "other",
    ]


def test_a_pair_is_named_by_the_words_its_keys_share(tmp_path: Path) -> None:
    text = SPEECH.read_text(encoding="utf-8").replace("listenIn", "sendListen").replace("listenOut", "receiveListen")
    (tmp_path / "speech.yaml").write_text(text, encoding="utf-8")
    api = build_ir(Project.from_files([tmp_path / "speech.yaml"]))
    assert sorted(channel.id for channel in api.channels) == ["alerts", "listen", "other"]
    text = SPEECH.read_text(encoding="utf-8").replace("listenIn", "upstream").replace("listenOut", "downstream")
    (tmp_path / "speech.yaml").write_text(text, encoding="utf-8")
    api = build_ir(Project.from_files([tmp_path / "speech.yaml"]))
    assert sorted(channel.id for channel in api.channels) == ["alerts", "other", "v1_listen"]  # from the address


def test_sync_sends_and_receives_go_over_one_connection(speech: ModuleType, loopback: LoopbackServer) -> None:
    loopback.plan([TRANSCRIPT, STARTED, FUTURE])
    with speech_client(speech, loopback.url).listen.connect(language="de") as socket:
        socket.send_audio({"data": "UklGRg=="})  # a dict: its tag is filled in
        socket.send_close_stream(speech.CloseStream())
        transcript, started, unknown = socket.recv(), socket.recv(), socket.recv()
    loopback.done.wait(10)
    assert isinstance(transcript, speech.Transcript) and transcript.text == "hello world"
    assert isinstance(started, speech.SessionStarted) and started.session_id == "s-123"
    assert isinstance(unknown, speech.core.UnknownMessage) and (unknown.type, unknown.tag) == (None, "from_the_future")
    assert [json.loads(frame) for frame in loopback.received] == [
        {"type": "audio", "data": "UklGRg=="},
        {"type": "close_stream"},
    ]
    assert loopback.path == "/v1/listen?language=de" and loopback.headers["x-speech-key"] == "k"


async def test_async_sends_and_receives_go_over_one_connection(speech: ModuleType, loopback: LoopbackServer) -> None:
    loopback.plan([TRANSCRIPT, STARTED])
    received = []
    async with speech_client(speech, loopback.url, sync=False).listen.connect() as socket:
        await socket.send_publish({"type": "audio", "data": "AA=="})
        async for message in socket:
            received.append(message)
            if len(received) == 2:
                break
    loopback.done.wait(10)
    assert [type(message).__name__ for message in received] == ["Transcript", "SessionStarted"]
    assert [json.loads(frame) for frame in loopback.received] == [{"type": "audio", "data": "AA=="}]


@pytest.mark.skipif(not (REPO.parent / "shared" / "corpus").is_dir(), reason="no shared/corpus beside the repository")
def test_a_corpus_stream_written_as_two_channels_is_one(tmp_path: Path) -> None:
    """AssemblyAI's streaming-speech description (3.0, one channel used both ways) rewritten as the
    pair many documents use: the sends on one channel, the receives on another, one address."""
    source = REPO.parent / "shared" / "corpus" / "assemblyai" / "usm-streaming.yml"
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    document["x-sdk-describes"] = "client"  # as tests/corpus/asyncapi.yaml reads it
    ((key, channel),) = document["channels"].items()
    del channel["parameters"]  # what tests/corpus/overlays/assemblyai-usm-streaming.yaml does
    (tmp_path / "one.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    original = build_ir(Project.from_files([tmp_path / "one.yml"]))
    document["channels"][key + "Events"] = json.loads(json.dumps(channel))
    for operation in document["operations"].values():
        if operation["action"] == "receive":
            text = json.dumps(operation).replace(f"#/channels/{key}", f"#/channels/{key}Events")
            operation.clear()
            operation.update(json.loads(text))
    (tmp_path / "two.yml").write_text(yaml.safe_dump(document), encoding="utf-8")
    api = build_ir(Project.from_files([tmp_path / "two.yml"]))
    (merged,) = api.channels
    (before,) = original.channels
    assert merged.address == before.address and merged.group == before.group
    assert [m.name for m in merged.publish] == [m.name for m in before.publish]
    assert [m.name for m in merged.subscribe] == [m.name for m in before.subscribe]
    assert merged.query_params == before.query_params and len(merged.publish) > 1 and len(merged.subscribe) > 1


# ---------------------------------------------------------------------------------------------
# 4. Sends are checked
# ---------------------------------------------------------------------------------------------


def test_sync_a_dict_that_does_not_fit_raises_and_nothing_is_sent(speech: ModuleType, loopback: LoopbackServer) -> None:
    loopback.plan([])
    with speech_client(speech, loopback.url).listen.connect() as socket:
        with pytest.raises(pydantic.ValidationError, match=r"Audio\ndata\n  Field required"):
            socket.send_audio({"dta": "typo"})
        with pytest.raises(pydantic.ValidationError, match="close_stream"):
            socket.send_close_stream({"type": "audio"})
        with pytest.raises(ValueError, match=r"fits several message types \(Audio, CloseStream\)"):
            socket.send_publish({"data": "AA=="})  # no tag: it could be either
        with pytest.raises(ValueError, match="fits none of the message types"):
            socket.send_publish({"type": "nothing"})
        socket.send_publish({"type": "close_stream"})
    loopback.done.wait(10)
    assert loopback.received == ['{"type":"close_stream"}']


async def test_async_a_dict_that_does_not_fit_raises_and_nothing_is_sent(
    speech: ModuleType, loopback: LoopbackServer
) -> None:
    loopback.plan([])
    async with speech_client(speech, loopback.url, sync=False).listen.connect() as socket:
        with pytest.raises(pydantic.ValidationError):
            await socket.send_audio({"data": 5})
        with pytest.raises(ValueError, match="fits several"):
            await socket.send_publish({"data": "AA=="})
        await socket.send_audio({"data": "AA=="})
    loopback.done.wait(10)
    assert loopback.received == ['{"type":"audio","data":"AA=="}']


@pytest.fixture
def server(spec_server: SpecServer) -> SpecServer:
    spec_server.reset()
    return spec_server


def hume_client(server: SpecServer, sync: bool = True) -> typing.Any:
    hume = import_generated()
    urls = {key: server.url(key) if server.has_server(key) else "http://127.0.0.1:9" for key in API.ir.url_keys}
    environment = getattr(hume, API.ir.environment_class)(**urls)
    return getattr(hume, API.ir.client if sync else API.ir.async_client)(api_key="k", environment=environment)


def test_sync_hume_user_input_as_a_dict_reaches_the_server_tagged(server: SpecServer) -> None:
    server.reset(Plan(expect=2, replies=[]))
    chat = hume_client(server).empathic_voice.chat
    with chat.connect(ping_interval=5, ping_timeout=5, open_timeout=5, max_message_size=None) as socket:
        socket.send_user_input({"text": "hi"})
        socket.send_publish({"type": "assistant_input", "text": "hello"})
        assert list(socket) == []
    assert server.errors == []  # the server validates each against the message's schema
    assert [message for _, message in server.received] == [
        {"type": "user_input", "text": "hi"},
        {"type": "assistant_input", "text": "hello"},
    ]


async def test_async_hume_user_input_as_a_dict_reaches_the_server_tagged(server: SpecServer) -> None:
    server.reset(Plan(expect=1, replies=[]))
    chat = hume_client(server, sync=False).empathic_voice.chat
    async with chat.connect(ping_interval=None, open_timeout=5) as socket:
        await socket.send_user_input({"text": "hi"})
        with pytest.raises(pydantic.ValidationError):
            await socket.send_user_input({"txt": "hi"})
        assert [message async for message in socket] == []
    assert server.errors == []
    assert [message for _, message in server.received] == [{"type": "user_input", "text": "hi"}]


# ---------------------------------------------------------------------------------------------
# 2. Public names
# ---------------------------------------------------------------------------------------------


def test_socket_names_come_from_public_modules(speech: ModuleType) -> None:
    hume = import_generated()
    for package, channel in ((hume, "empathic_voice.chat"), (speech, "listen")):
        core = importlib.import_module(f"{package.__name__}.core")
        runtime = importlib.import_module(f"{package.__name__}.core._socket")
        assert core.SocketClosedError is runtime.SocketClosedError and core.UnknownMessage is runtime.UnknownMessage
        assert {"SocketClosedError", "UnknownMessage"} <= set(core.__all__)
        module = importlib.import_module(f"{package.__name__}.{channel}")
        client = importlib.import_module(f"{package.__name__}.{channel}.socket_client")
        prefix = "".join(part.title() for part in channel.rsplit(".", 1)[-1].split("_"))
        for name in (f"{prefix}SocketClient", f"Async{prefix}SocketClient", f"{prefix}SocketClientResponse"):
            assert getattr(module, name) is getattr(client, name) and name in module.__all__
        assert issubclass(getattr(module, f"{prefix}SocketClient"), runtime.SocketClient)


# ---------------------------------------------------------------------------------------------
# 5. Connection options, drops, reconnecting
# ---------------------------------------------------------------------------------------------


class SilentServer:
    """Completes the WebSocket handshake by hand, then neither reads nor answers (no pongs), or
    drops the TCP connection without a close frame (``drop``); or never answers the handshake."""

    def __init__(self, mode: typing.Literal["silent", "drop", "no_handshake"]) -> None:
        self.mode = mode
        self.listener = sockets.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:  # closed before a client came
            return
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(4096)
            if self.mode == "no_handshake":
                self.stop.wait(30)
                return
            key = re.search(rb"(?i)sec-websocket-key: *(\S+)", request)
            assert key is not None
            accept = base64.b64encode(hashlib.sha1(key[1] + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
            connection.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            if self.mode == "drop":
                connection.shutdown(sockets.SHUT_RDWR)
                return
            self._ignore_pings(connection)

    def _ignore_pings(self, connection: sockets.socket) -> None:
        """Read the client's frames without answering any; hang up (no close frame) once it closes."""
        buffer = b""
        connection.settimeout(30)
        while not self.stop.is_set():
            chunk = connection.recv(4096)
            if not chunk:
                return
            buffer += chunk
            while len(buffer) >= 2:
                length, start = buffer[1] & 0x7F, 2
                if length == 126:
                    length, start = int.from_bytes(buffer[2:4], "big"), 4
                elif length == 127:
                    length, start = int.from_bytes(buffer[2:10], "big"), 10
                end = start + 4 + length  # client frames are masked
                if len(buffer) < end:
                    break
                opcode, buffer = buffer[0] & 0x0F, buffer[end:]
                if opcode == 0x8:
                    return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        self.thread.join(10)


@pytest.fixture(params=["silent", "drop"])
def lost(request: pytest.FixtureRequest) -> Iterator[SilentServer]:
    server = SilentServer(request.param)
    yield server
    server.close()


def test_sync_a_lost_connection_is_a_socket_closed_error_from_the_server_side(
    speech: ModuleType, lost: SilentServer
) -> None:
    client = speech_client(speech, lost.url)
    with (
        client.listen.connect(ping_interval=0.05, ping_timeout=0.05) as socket,
        pytest.raises(speech.core.SocketClosedError) as closed,
    ):
        for _ in socket:
            pass
    assert (closed.value.by_client, closed.value.code, closed.value.dropped) == (False, 1006, True)
    assert "lost without a close frame" in str(closed.value)
    if lost.mode == "silent":  # no pong came: websockets gave up on the connection
        assert closed.value.reason == "keepalive ping timeout" and closed.value.sent is not None


async def test_async_a_lost_connection_is_a_socket_closed_error_from_the_server_side(
    speech: ModuleType, lost: SilentServer
) -> None:
    client = speech_client(speech, lost.url, sync=False)
    async with client.listen.connect(ping_interval=0.05, ping_timeout=0.05) as socket:
        with pytest.raises(speech.core.SocketClosedError) as closed:
            await socket.recv()
    assert (closed.value.by_client, closed.value.code) == (False, 1006)


def test_open_timeout_bounds_the_handshake(speech: ModuleType) -> None:
    server = SilentServer("no_handshake")
    try:
        with pytest.raises(TimeoutError), speech_client(speech, server.url).listen.connect(open_timeout=0.1):
            pass
    finally:
        server.close()


async def test_async_open_timeout_bounds_the_handshake(speech: ModuleType) -> None:
    server = SilentServer("no_handshake")
    try:
        with pytest.raises(TimeoutError):
            async with speech_client(speech, server.url, sync=False).listen.connect(open_timeout=0.1):
                pass
    finally:
        server.close()


async def test_async_max_message_size_closes_with_1009(speech: ModuleType, loopback: LoopbackServer) -> None:
    loopback.plan([TRANSCRIPT])
    async with speech_client(speech, loopback.url, sync=False).listen.connect(max_message_size=10) as socket:
        with pytest.raises(speech.core.SocketClosedError) as closed:
            await socket.recv()
    loopback.done.wait(10)
    assert (closed.value.by_client, closed.value.code) == (True, 1009)


def test_the_resume_parameter_is_found_and_resumes(speech: ModuleType, loopback: LoopbackServer) -> None:
    api = build_ir(Project.from_files([SPEECH]))
    speech_channel = next(channel for channel in api.channels if channel.id == "listen")
    assert speech_channel.resume is not None
    assert (speech_channel.resume.param, speech_channel.resume.message, speech_channel.resume.field) == (
        "resume_session_id",
        "SessionStarted",
        "session_id",
    )
    chat = next(channel for channel in API.ir.channels if channel.id == "empathic_voice.chat")
    assert chat.resume is not None and (chat.resume.param, chat.resume.message, chat.resume.field) == (
        "resumed_chat_group_id",
        "ChatMetadata",
        "chat_group_id",
    )
    # what the README shows: keep the id, reconnect with it
    loopback.plan([STARTED])
    client = speech_client(speech, loopback.url)
    with client.listen.connect() as socket:
        session = socket.recv().session_id
    loopback.done.wait(10)
    loopback.plan([])
    with client.listen.connect(resume_session_id=session):
        pass
    loopback.done.wait(10)
    assert loopback.path == "/v1/listen?resume_session_id=s-123"


# ---------------------------------------------------------------------------------------------
# 1. Docs
# ---------------------------------------------------------------------------------------------


def socket_examples(readme: str) -> list[str]:
    """The Python programs of the README's WebSockets section."""
    section = readme.split("\n## WebSockets\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def test_socket_only_readme_and_reference(speech_out: Path) -> None:
    readme = (speech_out / "README.md").read_text(encoding="utf-8")
    reference = (speech_out / "reference.md").read_text(encoding="utf-8")
    for absent in ("with_raw_response", "Retries", "retried", "max_retries", "## Errors"):
        assert absent not in readme
    assert "## WebSockets" in readme and len(socket_examples(readme)) == 5
    assert "pass `resume_session_id` to the new" in readme
    assert "resume_session_id=resume_session_id" in readme
    for text in ("client.listen.connect(...)", "client.other.connect(...)", "client.alerts.connect(...)",
                 "socket.send_audio(message)", "`ModelOrDict[Audio]`", "socket.send_close_stream(message)",
                 "- `Transcript` (`type == \"transcript\"`)", "- `SessionStarted`", "- `UnknownMessage`",
                 "`ping_interval`", "`ping_timeout`", "`open_timeout`", "`max_message_size`", "`language`"):  # fmt: skip
        assert text in reference, text


def test_hume_readme_and_reference_cover_every_channel() -> None:
    readme = (GENERATED / "README.md").read_text(encoding="utf-8")
    reference = (GENERATED / "reference.md").read_text(encoding="utf-8")
    assert "## WebSockets" in readme and "## Retries and timeouts" in readme
    assert "resumed_chat_group_id=resumed_chat_group_id" in readme
    assert "resumed_chat_group_id = message.chat_group_id" in readme
    for channel in API.ir.channels:
        accessor = ".".join(("client", *channel.group, "connect"))
        assert f"`{accessor}()`" in readme and f"### `{accessor}(...)`" in reference
        for message in channel.publish:
            assert f"socket.{message.send_method}(message)" in reference
        for message in channel.subscribe:
            if message.tag is not None:
                assert f'(`{channel.discriminator} == "{message.tag}"`)' in reference, message.name
        for param in channel.query_params:
            assert f"- `{param.py_name}`:" in reference


NARROWING = """
import typing

from typing_extensions import assert_type

from speech import SessionStarted, Transcript
from speech.core import SocketClosedError, UnknownMessage
from speech.listen import AsyncListenSocketClient, ListenSocketClient


def sync(socket: ListenSocketClient) -> typing.Optional[str]:
    for message in socket:
        if message.type == "transcript":
            assert_type(message, Transcript)
            text: str = message.text
            print(text)
        elif message.type == "session_started":
            assert_type(message, SessionStarted)
            return message.session_id
        else:
            assert_type(message, UnknownMessage)
            print(message.tag, message.data)
    received = socket.recv()
    if isinstance(received, UnknownMessage):
        tag: typing.Optional[str] = received.tag
        print(tag)
    elif received.type == "transcript":
        assert_type(received, Transcript)
    return None


async def asynchronous(socket: AsyncListenSocketClient) -> None:
    try:
        async for message in socket:
            if message.type == "session_started":
                print(message.session_id)
        received = await socket.recv()
        if received.type == "transcript":
            print(received.final)
    except SocketClosedError as error:
        code: int = error.code
        by_client: bool = error.by_client
        print(code, by_client, error.reason)
"""

MISUSE = """
from speech import SessionStarted, Transcript
from speech.listen import ListenSocketClient


def misuse(socket: ListenSocketClient) -> None:
    message = socket.recv()
    print(message.text)  # error: not every message has a text
    if message.type == "transcript":
        print(message.session_id)  # error: a transcript has no session id
    if message.type == "session_started":
        transcript: Transcript = message  # error: it is a SessionStarted
    socket.send_audio(SessionStarted(session_id="x"))  # error: not an Audio
    socket.send_audio(b"audio")  # error: neither a model nor a mapping
"""


def run_mypy(files: list[Path], path: Path, cache: Path) -> str:
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), *map(str, files)]
    environment = {**os.environ, "MYPYPATH": str(path)}
    result = subprocess.run(
        command, check=False, cwd=path, env=environment, capture_output=True, text=True, timeout=900
    )
    return result.stdout + result.stderr


def expected_errors(program: str) -> set[int]:
    return {number for number, line in enumerate(program.split("\n"), 1) if "# error" in line}


def test_the_types_narrow_and_misuse_fails_under_mypy_and_pyright(speech_out: Path, tmp_path: Path) -> None:
    programs = {"narrowing.py": NARROWING, "misuse.py": MISUSE}
    programs |= {
        f"readme_{i}.py": code for i, code in enumerate(socket_examples((speech_out / "README.md").read_text()))
    }
    files = []
    for name, text in programs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    output = run_mypy(files, speech_out / "src", tmp_path / "cache")
    for file in files:
        expected = expected_errors(programs[file.name])
        assert {int(n) for n in re.findall(rf"{file.name}:(\d+): error", output)} == expected, output
    if not PYRIGHT.is_file():
        pytest.skip("no node_modules/.bin/pyright (make node_modules/.setup-done)")
    command = [str(PYRIGHT), "--pythonpath", sys.executable, *map(str, files)]
    environment = {**os.environ, "PYTHONPATH": str(speech_out / "src")}
    result = subprocess.run(
        command, check=False, env=environment, capture_output=True, text=True, timeout=600, cwd=speech_out / "src"
    )
    for file in files:
        found = {int(n) for n in re.findall(rf"{re.escape(str(file))}:(\d+):\d+ - error", result.stdout)}
        assert found == expected_errors(programs[file.name]), result.stdout


HUME_NARROWING = """
from typing_extensions import assert_type

from hume.core import UnknownMessage
from hume.empathic_voice import ChatMetadata, UserMessage
from hume.empathic_voice.chat import AsyncChatSocketClient, ChatSocketClient


def sync(socket: ChatSocketClient) -> None:
    for message in socket:
        if message.type == "user_message":
            assert_type(message, UserMessage)
        elif message.type == "chat_metadata":
            assert_type(message, ChatMetadata)
            print(message.chat_group_id)
        elif isinstance(message, UnknownMessage):
            print(message.tag)
    socket.send_user_input({"text": "hi"})


async def asynchronous(socket: AsyncChatSocketClient) -> None:
    message = await socket.recv()
    match message:
        case UserMessage():
            print(message.message)
        case UnknownMessage(tag=tag):
            print(tag)
"""


def test_hume_readme_socket_examples_and_narrowing_pass_mypy_strict(tmp_path: Path) -> None:
    examples = socket_examples((GENERATED / "README.md").read_text(encoding="utf-8"))
    assert len(examples) == 5
    files = []
    for index, code in enumerate([*examples, HUME_NARROWING]):
        files.append(tmp_path / f"program_{index}.py")
        files[-1].write_text(code, encoding="utf-8")
    src = Path(import_generated().__file__ or "").resolve().parents[1]
    output = run_mypy(files, src, tmp_path / "cache")
    assert "Success: no issues found in 6 source files" in output, output
