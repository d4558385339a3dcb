"""A loopback WebSocket server that plays the API's side of the channels in an AsyncAPI document set.

:class:`Specs` reads the AsyncAPI 3.0 documents of a specs folder: every channel with its
server path, the messages the client sends (with their JSON schemas, ``$ref``s resolved
across files, into the OpenAPI documents too) and the messages the server sends (with an
example of each, taken from the message's ``examples`` or synthesized from its schema).

:class:`SpecServer` serves them on 127.0.0.1 in a background thread. A test states what
the next connection does (:class:`Plan`): how many messages to wait for, what to reply and
how to close. Every text message a client sends is validated against the schemas of the
channel's send messages; a message that fits none is recorded in ``errors`` (tests assert
there are none). Every handshake (path, query, headers) is recorded in ``handshakes``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema
import yaml
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

BINARY = "application/octet-stream"


# ---------------------------------------------------------------------------------------------
# Reading the documents
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageSpec:
    name: str
    content_type: str
    schema: dict[str, Any]
    """``{"$ref": <absolute URI of the payload schema>}``, or the inline payload schema."""
    examples: tuple[Any, ...]


@dataclass(frozen=True)
class ChannelSpec:
    key: str
    """``<file stem>:<channel key>``, e.g. ``empathic-voice:chat``."""
    document_uri: str
    server: str
    """The server key, i.e. the environment URL key the channel uses."""
    pathname: str
    address: str
    sends: tuple[MessageSpec, ...]
    """What the client sends."""
    receives: tuple[MessageSpec, ...]
    """What the server sends."""
    query: dict[str, Any]
    """The ``bindings.ws.query`` properties."""
    path_parameters: tuple[str, ...]
    security: tuple[dict[str, Any], ...]

    def matches(self, path: str) -> dict[str, str] | None:
        """The path parameters if ``path`` (server pathname included) is this channel's."""
        pattern = (self.pathname.rstrip("/") + self.address).split("/")
        parts = path.split("/")
        if len(parts) != len(pattern):
            return None
        values: dict[str, str] = {}
        for expected, actual in zip(pattern, parts):
            if expected.startswith("{") and expected.endswith("}"):
                values[expected[1:-1]] = urllib.parse.unquote(actual)
            elif expected != actual:
                return None
        return values


class Documents:
    """The documents of a specs folder, read as they are: ``$ref``s, JSON Schema validation, examples."""

    def __init__(self, specs_dir: Path) -> None:
        self.root = specs_dir.resolve()
        self._documents: dict[str, Any] = {}
        self.registry: referencing.Registry[Any] = referencing.Registry(retrieve=self._retrieve)  # type: ignore[call-arg]

    # -- documents ---------------------------------------------------------------------------

    def document(self, uri: str) -> Any:
        if uri not in self._documents:
            path = Path(urllib.parse.urlparse(uri).path)
            self._documents[uri] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return self._documents[uri]

    def _retrieve(self, uri: str) -> referencing.Resource[Any]:
        return referencing.Resource.from_contents(
            self.document(uri), default_specification=referencing.jsonschema.DRAFT202012
        )

    def resolve(self, node: Any, base: str) -> tuple[Any, str]:
        """Follow ``$ref``s from ``node`` (in the document at ``base``): the target and its URI."""
        for _ in range(50):
            if not (isinstance(node, dict) and "$ref" in node):
                return node, base
            base = urllib.parse.urljoin(base, node["$ref"])
            document_uri, _, pointer = base.partition("#")
            node = self.document(document_uri)
            for part in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
                part = urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")
                node = node[int(part)] if isinstance(node, list) else node[part]
        raise AssertionError(f"$ref loop at {base}")

    # -- validation and examples -------------------------------------------------------------

    def validator(self, schema: dict[str, Any]) -> jsonschema.protocols.Validator:
        return jsonschema.Draft202012Validator(schema, registry=self.registry)

    def errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        """Why ``instance`` does not fit ``schema`` (empty when it does)."""
        return [
            f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
            for error in self.validator(schema).iter_errors(instance)
        ]

    def example(self, message: MessageSpec) -> Any:
        """A payload of ``message``: its first example, or one synthesized from its schema."""
        if message.examples:
            return message.examples[0]
        return self.example_of(message.schema, message.schema.get("$ref", self.root.as_uri() + "/"))

    def example_of(self, schema: Any, base: str) -> Any:
        """An instance of ``schema`` (found in the document at ``base``)."""
        return _Synthesizer(self).value(schema, base, depth=0)


class Specs(Documents):
    """The AsyncAPI 3.0 channels of a specs folder (``asyncapi/*.yaml``, or the ``documents`` given),
    written from the client's side. A channel that names no server is on the document's first."""

    def __init__(self, specs_dir: Path, documents: Sequence[Path] | None = None) -> None:
        super().__init__(specs_dir)
        self.channels: dict[str, ChannelSpec] = {}
        for path in sorted((self.root / "asyncapi").glob("*.yaml")) if documents is None else documents:
            self._read_asyncapi(path.resolve())

    def _read_asyncapi(self, path: Path) -> None:
        uri = path.as_uri()
        document = self.document(uri)
        for key, raw_channel in (document.get("channels") or {}).items():
            channel, channel_uri = self.resolve(raw_channel, uri)
            if channel.get("servers"):
                server_ref = channel["servers"][0]
                server, _ = self.resolve(server_ref, uri)
                server_key = server_ref["$ref"].rsplit("/", 1)[-1]
            else:
                server_key, server = next(iter(document["servers"].items()))
            sends: list[MessageSpec] = []
            receives: list[MessageSpec] = []
            for operation in (document.get("operations") or {}).values():
                target, _ = self.resolve(operation["channel"], uri)
                if target is not channel:
                    continue
                for message_ref in operation.get("messages", []):
                    message = self._message(message_ref, uri)
                    (sends if operation["action"] == "send" else receives).append(message)
            query = (((channel.get("bindings") or {}).get("ws") or {}).get("query") or {}).get("properties") or {}
            security = tuple(self.resolve(scheme, uri)[0] for scheme in server.get("security", []))
            self.channels[f"{path.stem}:{key}"] = ChannelSpec(
                key=f"{path.stem}:{key}",
                document_uri=uri,
                server=server_key,
                pathname=server.get("pathname", ""),
                address=channel["address"],
                sends=tuple(sends),
                receives=tuple(receives),
                query=query,
                path_parameters=tuple(channel.get("parameters") or ()),
                security=security,
            )

    def _message(self, ref: Any, base: str) -> MessageSpec:
        message, message_uri = self.resolve(ref, base)
        payload = message.get("payload") or {}
        if "$ref" in payload:
            schema = {"$ref": urllib.parse.urljoin(message_uri, payload["$ref"])}
        else:
            schema = payload
        examples = tuple(example["payload"] for example in message.get("examples", []) if "payload" in example)
        return MessageSpec(
            name=message.get("name", message_uri.rsplit("/", 1)[-1]),
            content_type=message.get("contentType", "application/json"),
            schema=schema,
            examples=examples,
        )


class _Synthesizer:
    """Builds a full instance of a schema: every declared property, one item per array."""

    MAX_DEPTH = 12

    def __init__(self, specs: Documents) -> None:
        self.specs = specs

    def value(self, schema: Any, base: str, depth: int) -> Any:
        schema, base = self.specs.resolve(schema, base)
        if not isinstance(schema, dict):
            return None
        for key in ("const", "default"):
            if key in schema:
                return schema[key]
        if schema.get("examples"):
            return schema["examples"][0]
        if "example" in schema:
            return schema["example"]
        if schema.get("enum"):
            return schema["enum"][0]
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.value(part, base, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        for key in ("oneOf", "anyOf"):
            if key in schema:
                options = [
                    option for option in schema[key] if self.specs.resolve(option, base)[0].get("type") != "null"
                ]
                return self.value((options or schema[key])[0], base, depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties") or {}
            required = set(schema.get("required") or ())
            names = properties if depth < self.MAX_DEPTH else [name for name in properties if name in required]
            result = {name: self.value(properties[name], base, depth + 1) for name in names}
            additional = schema.get("additionalProperties")
            if not properties and isinstance(additional, dict):
                result["key"] = self.value(additional, base, depth + 1)
            return result
        if kind == "array":
            if depth >= self.MAX_DEPTH:
                return []
            return [self.value(schema.get("items", {}), base, depth + 1)]
        if kind == "string":
            return {"date-time": "2024-06-11T10:00:00Z", "uuid": "0b9e6f1c-8a5d-4c3e-9f00-000000000001"}.get(
                schema.get("format", ""), "text"
            )
        if kind == "integer":
            return max(int(schema.get("minimum", 1)), 1)
        if kind == "number":
            return float(schema.get("minimum", 0.5)) or 0.5
        if kind == "boolean":
            return True
        if kind is None:
            return "text"  # a schema that allows any value: a string is one
        return None


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What the server does on the next connection."""

    expect: int = 0
    """How many messages to receive (and validate) before replying."""
    replies: list[str | bytes] = field(default_factory=list)
    close_code: int | None = 1000
    """``None``: a close frame without a code (which the client reads as 1005)."""
    close_reason: str = ""
    reject_status: int | None = None
    """Refuse the handshake with this HTTP status instead."""


@dataclass(frozen=True)
class Handshake:
    path: str
    query: list[tuple[str, str]]
    headers: Headers
    channel: str | None


class SpecServer:
    """Serves the channels of ``specs`` on a loopback port until :meth:`stop`."""

    def __init__(self, specs: Specs) -> None:
        self.specs = specs
        self.plans: list[Plan] = []
        self.handshakes: list[Handshake] = []
        self.received: list[tuple[str, Any]] = []
        """(channel key, message) for every message the clients sent."""
        self.errors: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="spec-server", daemon=True)
        self._stop: asyncio.Future[None] | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> SpecServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the spec server did not start")
        return self

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)

    def has_server(self, server_key: str) -> bool:
        return any(channel.server == server_key for channel in self.specs.channels.values())

    def url(self, server_key: str) -> str:
        """The environment URL of ``server_key``: this server plus the server's pathname."""
        pathname = next(c.pathname for c in self.specs.channels.values() if c.server == server_key)
        return f"ws://127.0.0.1:{self.port}{pathname}"

    def reset(self, *plans: Plan) -> None:
        """Forget what happened so far; the next connections follow ``plans`` in turn."""
        self.plans = list(plans)
        self.handshakes.clear()
        self.received.clear()
        self.errors.clear()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        self._stop = self._loop.create_future()
        async with serve(self._handle, "127.0.0.1", 0, process_request=self._process_request, max_size=None) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop

    # -- one connection ----------------------------------------------------------------------

    def _channel(self, path: str) -> ChannelSpec | None:
        return next((c for c in self.specs.channels.values() if c.matches(path) is not None), None)

    def _plan(self) -> Plan:
        return self.plans[0] if self.plans else Plan()

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urllib.parse.urlsplit(request.path)
        channel = self._channel(url.path)
        self.handshakes.append(
            Handshake(
                path=url.path,
                query=urllib.parse.parse_qsl(url.query, keep_blank_values=True),
                headers=request.headers,
                channel=channel.key if channel else None,
            )
        )
        if channel is None:
            return connection.respond(404, f"no channel at {url.path}\n")
        plan = self._plan()
        if plan.reject_status is not None:
            self.plans.pop(0)
            return connection.respond(plan.reject_status, "rejected by the test plan\n")
        return None

    async def _handle(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        channel = self._channel(urllib.parse.urlsplit(connection.request.path).path)
        assert channel is not None
        plan = self.plans.pop(0) if self.plans else Plan()
        for _ in range(plan.expect):
            frame = await connection.recv()
            self._check(channel, frame)
        for reply in plan.replies:
            await connection.send(reply)
        # close() declares no None, but hands the code to Protocol.send_close(), which takes None (a close frame
        # without a code): the plan's None asks for exactly that.
        await connection.close(plan.close_code, plan.close_reason)  # type: ignore[arg-type]  # None: no code

    def _check(self, channel: ChannelSpec, frame: str | bytes) -> None:
        if isinstance(frame, bytes):
            if not any(message.content_type == BINARY for message in channel.sends):
                self.errors.append(f"{channel.key}: binary frame, but the channel takes none")
            self.received.append((channel.key, frame))
            return
        try:
            data = json.loads(frame)
        except ValueError:
            self.errors.append(f"{channel.key}: not JSON: {frame[:200]!r}")
            return
        self.received.append((channel.key, data))
        candidates = [message for message in channel.sends if message.content_type != BINARY]
        problems: dict[str, list[str]] = {}
        for message in candidates:
            errors = self.specs.errors(message.schema, data)
            if not errors:
                return
            problems[message.name] = errors
        best = min(problems.items(), key=lambda item: len(item[1]))
        self.errors.append(f"{channel.key}: {data!r} fits no message; closest {best[0]}: {best[1]}")


def examples_by_name(specs: Specs, channel: ChannelSpec) -> Iterator[tuple[MessageSpec, Any]]:
    """Every message the server sends on ``channel``, with an example payload (JSON only)."""
    for message in channel.receives:
        if message.content_type != BINARY:
            yield message, specs.example(message)
