"""Every payload kind sent and received over a real connection, sync and async.

``tests/specs/payloads`` is an AsyncAPI 2.6 document written from the server's side (the
default point of view) whose messages are objects, unions, string enums, constants, arrays,
numbers, plain text and binary, with a handshake header. Its SDK talks to a loopback
server that sends one frame of each kind the server sends and records what the client sends.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import typing
from collections.abc import Iterator
from types import ModuleType

import pytest

from generator.format import format_files
from generator.pipeline import build_ir
from generator.render import render
from generator.write import write_tree
from tests.conftest import REPO
from tests.sockets.loopback import LoopbackServer

# What the server sends, and what the client must make of each.
SERVER_FRAMES: list[str | bytes] = [
    '{"symbol": "ACME", "price": 1.5}',  # Update (an object)
    '"pong"',  # Pong (a constant)
    '"closed"',  # Status (a string enum)
    '[{"t": 1}, {"t": 2}]',  # Ticks (an array of objects)
    "2.25",  # Price (a number)
    '{"trade_id": "x1", "size": 3}',  # Event (a union: Trade)
    '{"halted_at": "noon"}',  # Event (a union: Halt)
    "Welcome, trader!",  # Banner (text/plain)
    b"\x00\x01",  # Frame (binary)
    '{"something": "else"}',  # nothing the channel declares
]


@pytest.fixture(scope="module")
def ticker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("ticker")
    write_tree(format_files(render(build_ir(REPO / "tests" / "specs" / "payloads"))), out)
    sys.path.insert(0, str(out / "src"))
    try:
        yield importlib.import_module("ticker")
    finally:
        sys.path.remove(str(out / "src"))


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.close()


@pytest.fixture
def server(loopback: LoopbackServer) -> LoopbackServer:
    loopback.plan(SERVER_FRAMES)
    return loopback


def environment(ticker: ModuleType, server: LoopbackServer) -> typing.Any:
    return ticker.TickerEnvironment(base="http://127.0.0.1:9", stream=server.url)


def check_received(ticker: ModuleType, messages: list[typing.Any]) -> None:
    types = importlib.import_module("ticker.types")
    update, pong, status, ticks, price, trade, halt, banner, frame, unknown = messages
    assert isinstance(update, types.Update) and (update.symbol, update.price) == ("ACME", 1.5)
    assert pong == "pong"
    assert status == "closed"  # enums are open: Literal[...] or any other str
    assert [type(tick).__name__ for tick in ticks] == ["Tick", "Tick"] and [tick.t for tick in ticks] == [1, 2]
    assert price == 2.25
    assert isinstance(trade, types.Trade) and (trade.trade_id, trade.size) == ("x1", 3)
    assert isinstance(halt, types.Halt) and halt.halted_at == "noon"
    assert banner == "Welcome, trader!"
    assert frame == b"\x00\x01"
    assert type(unknown).__name__ == "UnknownMessage" and unknown.data == {"something": "else"}


# What the client sends, in order, and the frame each must be.
SENT_FRAMES: list[str | bytes] = [
    '{"symbols":["ACME","INIT"]}',
    '"ping"',
    '"fast"',
    '["ACME"]',
    "0.5",
    "just text",
    b"\x07\x08",
    '"as json"',
]


def send_everything(socket: typing.Any, types: ModuleType) -> list[typing.Any]:
    """The calls that send ``SENT_FRAMES`` (the last through ``send_publish``), as awaitables when async."""
    return [
        socket.send_subscribe(types.Subscribe(symbols=["ACME", "INIT"])),
        socket.send_heartbeat("ping"),
        socket.send_mode("fast"),
        socket.send_symbols(["ACME"]),
        socket.send_level(0.5),
        socket.send_note("just text"),
        socket.send_audio(b"\x07\x08"),
        socket.send_publish("as json"),  # a JSON message may be a str too: send_publish sends JSON
    ]


def check_handshake(server: LoopbackServer) -> None:
    assert server.path == "/live/futures?depth=5"
    assert server.headers["x-client"] == "tests" and server.headers["x-ticker-key"] == "k"


def test_sync_every_payload_kind(ticker: ModuleType, server: LoopbackServer) -> None:
    client = ticker.TickerClient(api_key="k", environment=environment(ticker, server))
    types = importlib.import_module("ticker.types")
    with client.live.connect("futures", x_client="tests", depth=5) as socket:
        messages = [socket.recv() for _ in SERVER_FRAMES]
        send_everything(socket, types)
    assert server.done.wait(10)
    check_received(ticker, messages)
    assert server.received == SENT_FRAMES
    check_handshake(server)


async def test_async_every_payload_kind(ticker: ModuleType, server: LoopbackServer) -> None:
    client = ticker.AsyncTickerClient(api_key="k", environment=environment(ticker, server))
    types = importlib.import_module("ticker.types")
    async with client.live.connect("futures", x_client="tests", depth=5) as socket:
        messages = [await socket.recv() for _ in SERVER_FRAMES]
        for sending in send_everything(socket, types):
            await sending
    assert await asyncio.to_thread(server.done.wait, 10)
    check_received(ticker, messages)
    assert server.received == SENT_FRAMES
    check_handshake(server)


DESK_FRAMES: list[str | bytes] = [
    '{"note": "Markets open at nine."}',
    '{"request_id": "other", "answer": "Not yours."}',
    '{"request_id": "q1", "answer": "Yes."}',
]


def check_desk(ticker: ModuleType, reply: typing.Any, later: list[typing.Any], server: LoopbackServer) -> None:
    types = importlib.import_module("ticker.types")
    assert isinstance(reply, types.Answer) and (reply.request_id, reply.answer) == ("q1", "Yes.")
    assert isinstance(later[0], types.Notice) and later[0].note == "Markets open at nine."
    assert isinstance(later[1], types.Answer) and later[1].request_id == "other"
    assert server.received == ['{"id":"q1","question":"Open?"}']
    assert server.path == "/desk/accounts"


def test_sync_request_waits_for_the_reply_with_its_correlation_id(ticker: ModuleType, loopback: LoopbackServer) -> None:
    loopback.plan(DESK_FRAMES)
    client = ticker.TickerClient(api_key="k", environment=environment(ticker, loopback))
    types = importlib.import_module("ticker.types")
    with client.desk.connect("accounts") as socket:
        reply = socket.request_ask(types.Ask(id="q1", question="Open?"))
        later = [socket.recv(), next(iter(socket))]  # what came first waits, for recv() and iteration
    assert loopback.done.wait(10)
    check_desk(ticker, reply, later, loopback)


async def test_async_request_waits_for_the_reply_with_its_correlation_id(
    ticker: ModuleType, loopback: LoopbackServer
) -> None:
    loopback.plan(DESK_FRAMES)
    client = ticker.AsyncTickerClient(api_key="k", environment=environment(ticker, loopback))
    types = importlib.import_module("ticker.types")
    async with client.desk.connect("accounts") as socket:
        reply = await socket.request_ask(types.Ask(id="q1", question="Open?"))
        later = [await socket.recv(), await anext(aiter(socket))]
    assert await asyncio.to_thread(loopback.done.wait, 10)
    check_desk(ticker, reply, later, loopback)
