"""Narrowing on a channel whose tag property is not ``type`` (here ``event``).

The channel's unknown messages are of a subclass of ``<package>.core.UnknownMessage`` whose
``event`` is ``None``, so ``if message.event == "...":`` narrows what the socket returns under
``mypy --strict``; an unknown message still arrives, and is still an ``UnknownMessage``.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from generator.format import format_files
from generator.pipeline import Project, build_ir
from generator.render import render
from generator.write import write_tree
from tests.sockets.loopback import LoopbackServer
from tests.sockets.test_usable import expected_errors, run_mypy, socket_examples

PACKAGE = "ticker_events"

DESCRIPTION = {
    "asyncapi": "3.0.0",
    "x-sdk-describes": "client",
    "info": {"title": "Ticker Events", "version": "1.0.0"},
    "servers": {"production": {"host": "ticker.example.com", "protocol": "wss"}},
    "channels": {
        "feed": {
            "address": "/v1/feed",
            "x-sdk-discriminator": "event",
            "messages": {
                "watch": {"$ref": "#/components/messages/watch"},
                "tick": {"$ref": "#/components/messages/tick"},
                "notice": {"$ref": "#/components/messages/notice"},
            },
        }
    },
    "operations": {
        "sendWatch": {
            "action": "send",
            "channel": {"$ref": "#/channels/feed"},
            "messages": [{"$ref": "#/channels/feed/messages/watch"}],
        },
        "receiveFeed": {
            "action": "receive",
            "channel": {"$ref": "#/channels/feed"},
            "messages": [{"$ref": "#/channels/feed/messages/tick"}, {"$ref": "#/channels/feed/messages/notice"}],
        },
    },
    "components": {
        "messages": {
            "watch": {
                "name": "Watch",
                "payload": {
                    "type": "object",
                    "required": ["event", "symbol"],
                    "properties": {"event": {"type": "string", "const": "watch"}, "symbol": {"type": "string"}},
                },
            },
            "tick": {
                "name": "Tick",
                "payload": {
                    "type": "object",
                    "required": ["event", "price"],
                    "properties": {"event": {"type": "string", "const": "tick"}, "price": {"type": "number"}},
                },
            },
            "notice": {
                "name": "Notice",
                "payload": {
                    "type": "object",
                    "required": ["event", "text"],
                    "properties": {"event": {"type": "string", "const": "notice"}, "text": {"type": "string"}},
                },
            },
        }
    },
}

NARROWING = """
import typing

from typing_extensions import assert_type

from ticker_events import Notice, Tick
from ticker_events.core import UnknownMessage
from ticker_events.feed import AsyncFeedSocketClient, FeedSocketClient


def sync(socket: FeedSocketClient) -> typing.Optional[float]:
    for message in socket:
        if message.event == "tick":
            assert_type(message, Tick)
            return message.price
        elif message.event == "notice":
            assert_type(message, Notice)
            print(message.text)
        else:
            assert isinstance(message, UnknownMessage)
            print(message.tag, message.data)
    received = socket.recv()
    if received.event == "notice":
        text: str = received.text
        print(text)
    return None


async def asynchronous(socket: AsyncFeedSocketClient) -> None:
    async for message in socket:
        match message.event:
            case "tick":
                assert_type(message, Tick)
            case "notice":
                assert_type(message, Notice)
            case None:
                print(message.tag)
    received = await socket.recv()
    if received.event == "tick":
        print(received.price)
"""

MISUSE = """
from ticker_events.feed import FeedSocketClient


def misuse(socket: FeedSocketClient) -> None:
    message = socket.recv()
    print(message.price)  # error: not every message has a price
    if message.event == "notice":
        print(message.price)  # error: a notice has no price
"""


@pytest.fixture(scope="module")
def ticker_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("ticker")
    spec = root / "ticker.yaml"
    spec.write_text(yaml.safe_dump(DESCRIPTION, sort_keys=False), encoding="utf-8")
    out = root / "sdk"
    write_tree(format_files(render(build_ir(Project.from_files([spec])))), out)
    sys.path.insert(0, str(out / "src"))
    try:
        yield out
    finally:
        sys.path.remove(str(out / "src"))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def ticker(ticker_out: Path) -> ModuleType:
    return importlib.import_module(PACKAGE)


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.close()


def _client(ticker: ModuleType, url: str, sync: bool) -> typing.Any:
    environment = ticker.TickerEventsClientEnvironment(production=url)
    return (ticker.TickerEventsClient if sync else ticker.AsyncTickerEventsClient)(environment=environment)


FRAMES = [
    '{"event": "tick", "price": 1.5}',
    '{"event": "halted", "reason": "news"}',
    '{"event": "notice", "text": "hi"}',
]


def _check(ticker: ModuleType, received: list[typing.Any]) -> None:
    tick, unknown, notice = received
    assert isinstance(tick, ticker.Tick) and tick.price == 1.5 and tick.event == "tick"
    assert isinstance(unknown, ticker.core.UnknownMessage)
    assert (unknown.event, unknown.type, unknown.tag) == (None, None, "halted")
    assert unknown.data == {"event": "halted", "reason": "news"}
    assert isinstance(notice, ticker.Notice) and notice.text == "hi"


def test_sync_an_unknown_event_arrives_with_its_event_none(ticker: ModuleType, loopback: LoopbackServer) -> None:
    loopback.plan(FRAMES)
    with _client(ticker, loopback.url, True).feed.connect() as socket:
        socket.send_watch({"symbol": "ACME"})
        received = [socket.recv() for _ in FRAMES]
    loopback.done.wait(10)
    _check(ticker, received)
    assert [json.loads(frame) for frame in loopback.received] == [{"event": "watch", "symbol": "ACME"}]


async def test_async_an_unknown_event_arrives_with_its_event_none(ticker: ModuleType, loopback: LoopbackServer) -> None:
    loopback.plan(FRAMES)
    received = []
    async with _client(ticker, loopback.url, False).feed.connect() as socket:
        async for message in socket:
            received.append(message)
            if len(received) == len(FRAMES):
                break
    loopback.done.wait(10)
    _check(ticker, received)


def test_event_narrows_and_misuse_fails_under_mypy_strict(ticker_out: Path, tmp_path: Path) -> None:
    programs = {"narrowing.py": NARROWING, "misuse.py": MISUSE}
    readme = (ticker_out / "README.md").read_text(encoding="utf-8")
    assert 'if message.event == "tick":' in readme  # the README narrows by the channel's tag too
    programs |= {f"readme_{i}.py": code for i, code in enumerate(socket_examples(readme))}
    assert len(programs) > 2
    files = []
    for name, text in programs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    output = run_mypy(files, ticker_out / "src", tmp_path / "cache")
    for file in files:
        found = {int(n) for n in re.findall(rf"{file.name}:(\d+): error", output)}
        assert found == expected_errors(programs[file.name]), output
