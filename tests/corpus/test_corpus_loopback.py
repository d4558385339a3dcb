"""Each channel of each corpus SDK exchanges every message with a loopback server, sync and async.

For every WebSocket channel of the SDKs that ``test_asyncapi_corpus.py`` generates, a
loopback server sends one frame of each message the server sends, made from the
document itself (the message's first example, else an instance synthesized from its
payload schema by ``tests/sockets/spec_server.py``), and the SDK must decode each into a
declared type (not an ``UnknownMessage``). Then the SDK sends each message the client
sends (the same way made, validated into the send method's parameter type; the async
exchange passes an object as the plain dict, which the SDK validates into its model) and
the server checks every frame against the payload schema of the document.

Messages that cannot pass for a reason of the document are listed under ``loopback`` in
``asyncapi.yaml`` with the reason; a listed message that passes fails the test (stale).
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import json
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

import pydantic
import pytest

from generator import ir
from tests.conftest import needs_shared
from tests.corpus.test_asyncapi_corpus import ENTRIES, OUT, SHARED, Outcome, outcomes
from tests.sockets.loopback import Frame, LoopbackServer
from tests.sockets.spec_server import Documents

pytestmark = needs_shared("corpus")

BINARY_FRAME = b"\x00\x01\x02"


@dataclass(frozen=True)
class Payload:
    """A message as the document states it: its schema (a ``$ref`` to it) and one value of it."""

    message: ir.Message
    schema: dict[str, typing.Any]
    value: typing.Any

    def frame(self) -> Frame:
        if self.message.encoding == "binary":
            return BINARY_FRAME
        if self.message.encoding == "text" and isinstance(self.value, str):
            return self.value
        return json.dumps(self.value)


def payload(documents: Documents, specs: str, message: ir.Message) -> Payload:
    assert message.source is not None
    uri = f"{(OUT / 'specs' / specs / message.source.file).as_uri()}#{message.source.pointer}"
    node, _ = documents.resolve({"$ref": uri}, uri)
    inner = node.get("payload")
    multi_format = isinstance(inner, dict) and "schemaFormat" in inner and "schema" in inner
    schema = {"$ref": uri + ("/payload/schema" if multi_format else "/payload")}
    examples = [example["payload"] for example in node.get("examples") or [] if "payload" in example]
    if message.encoding == "binary":
        value: typing.Any = BINARY_FRAME
    elif examples:
        value = examples[0]
    elif inner is None:
        value = {"any": "value"}
    else:
        value = documents.example_of(schema, uri)
    return Payload(message, schema, value)


def channels() -> list[tuple[str, str]]:
    """(document, channel id) of every generated channel (none without the corpus)."""
    if not (SHARED / "corpus").is_dir():
        return []
    return [
        (name, channel.id)
        for name, outcome in outcomes().items()
        if outcome.api is not None
        for channel in outcome.api.channels
    ]


@functools.cache
def documents_of(package: str) -> Documents:
    """The documents of one SDK's specs folder, read once."""
    return Documents(OUT / "specs" / package)


@pytest.fixture(scope="module")
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    yield server
    server.close()


def sdk(outcome: Outcome) -> ModuleType:
    source = str(OUT / "sdks" / outcome.package / "src")
    if source not in sys.path:
        sys.path.insert(0, source)
    return importlib.import_module(outcome.package)


def client(package: ModuleType, api: ir.Api, server: LoopbackServer, sync: bool) -> typing.Any:
    urls = {key: server.url for key in api.url_keys}
    urls[api.url_keys[0]] = "http://127.0.0.1:9"  # the REST default, unused
    environment = getattr(package, api.environment_class)(**urls)
    credentials = {param: "k" for scheme in api.security_schemes for param in scheme.params}
    return getattr(package, api.client if sync else api.async_client)(environment=environment, **credentials)


def argument(api: ir.Api, param: ir.Parameter) -> typing.Any:
    """A value for a connect() parameter: its example or default, else one of its type."""
    if param.has_example:
        return param.example
    if param.has_default and param.default is not None:
        return param.default
    kind = param.type
    if isinstance(kind, ir.Named):
        typedef = api.type_by_id(kind.id)
        if isinstance(typedef, ir.EnumType):
            return typedef.values[0].value
        if isinstance(typedef, ir.AliasType):
            kind = typedef.target
    if isinstance(kind, ir.LiteralOf):
        return kind.value
    if isinstance(kind, ir.Primitive):
        return {"integer": 1, "number": 1.5, "boolean": True}.get(kind.name, "x")
    return "x"


def connect(api: ir.Api, channel: ir.Channel, sub_client: typing.Any) -> typing.Any:
    path = [argument(api, p) for p in channel.path_params]
    keywords = {p.py_name: argument(api, p) for p in (*channel.query_params, *channel.header_params) if p.required}
    return sub_client.connect(*path, **keywords)


class Sender:
    """Sends each outgoing payload with its ``send_*`` method, its JSON value made the method's type;
    with ``dicts``, a JSON object as it is (the method validates it into its model, filling its tag)."""

    def __init__(self, socket: typing.Any, dicts: bool = False) -> None:
        self.socket = socket
        self.dicts = dicts
        self.sent: list[Payload] = []
        self.problems: dict[str, str] = {}

    def prepare(self, item: Payload) -> tuple[typing.Callable[[typing.Any], typing.Any], typing.Any] | None:
        assert item.message.send_method is not None
        method = getattr(self.socket, item.message.send_method)
        value = item.value
        if item.message.encoding != "binary":
            hint = typing.get_type_hints(method, vars(sys.modules[type(self.socket).__module__]))["message"]
            try:
                value = pydantic.TypeAdapter(hint).validate_python(item.value)
                if self.dicts and isinstance(value, pydantic.BaseModel) and isinstance(item.value, dict):
                    value = item.value
            except pydantic.ValidationError as exc:
                self.problems[f"send {item.message.name}"] = f"the value from the document does not fit: {exc}"[:300]
                return None
        self.sent.append(item)
        return method, value


def problems(
    documents: Documents,
    incoming: list[Payload],
    received: list[typing.Any],
    sent: list[Payload],
    server: LoopbackServer,
) -> dict[str, str]:
    """What went wrong, by message name: a frame decoded as unknown, a sent frame off its schema."""
    found = {}
    for item, value in zip(incoming, received):
        if type(value).__name__ == "UnknownMessage":
            found[f"receive {item.message.name}"] = f"decoded as unknown: {value!r}"[:300]
    for item, frame in zip(sent, server.received):
        errors: list[str] = []
        if item.message.encoding == "binary":
            ok = isinstance(frame, bytes)
        elif item.message.encoding == "text" and isinstance(item.value, str):
            ok = frame == item.value
        else:
            errors = documents.errors(item.schema, json.loads(frame)) if isinstance(frame, str) else ["binary"]
            ok = not errors
        if not ok:
            found[f"send {item.message.name}"] = f"off the schema: {frame!r}: {errors}"[-400:]
    if len(server.received) != len(sent):
        found["frames"] = f"the server got {len(server.received)} frames for {len(sent)} sends"
    return found


@pytest.mark.parametrize(("name", "channel_id"), channels())
@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
def test_channel_exchanges_every_message(loopback: LoopbackServer, name: str, channel_id: str, sync: bool) -> None:
    outcome = outcomes()[name]
    api = outcome.api
    assert api is not None
    channel = next(c for c in api.channels if c.id == channel_id)
    documents = documents_of(outcome.package)
    incoming = [payload(documents, outcome.package, m) for m in channel.subscribe]
    outgoing = [payload(documents, outcome.package, m) for m in channel.publish]
    loopback.plan([item.frame() for item in incoming])
    sub_client = client(sdk(outcome), api, loopback, sync)
    for part in channel.group:
        sub_client = getattr(sub_client, part)
    if sync:
        with connect(api, channel, sub_client) as socket:
            received = [socket.recv() for _ in incoming]
            sender = Sender(socket)
            for item in outgoing:
                if (call := sender.prepare(item)) is not None:
                    call[0](call[1])
    else:

        async def exchange() -> tuple[list[typing.Any], Sender]:
            async with connect(api, channel, sub_client) as socket:
                got = [await socket.recv() for _ in incoming]
                sender = Sender(socket, dicts=True)  # the sync exchange sends models
                for item in outgoing:
                    if (call := sender.prepare(item)) is not None:
                        await call[0](call[1])
                return got, sender

        received, sender = asyncio.run(exchange())
    assert loopback.done.wait(10)
    expected = (ENTRIES[name].get("loopback") or {}).get(channel_id, {})
    found = {**problems(documents, incoming, received, sender.sent, loopback), **sender.problems}
    assert set(found) == set(expected), f"unexpected: {found}; listed: {expected}"
