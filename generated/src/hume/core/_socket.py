"""WebSocket runtime shared by the generated socket clients.

A generated ``socket_client`` module declares its channel (:class:`SocketChannel`: where
to connect, how credentials travel) and what the server sends (:class:`MessageDecoder`),
and subclasses :class:`SocketClient` / :class:`AsyncSocketClient` with one typed
``send_*`` method per message. Everything else lives here once: the URL, query string
and headers of the handshake, decoding, iteration, close handling and the ``on()``
callbacks of ``start_listening()``. Only the I/O differs between the sync and async
classes.

This module imports ``websockets``; the generated ``connect()`` methods import it on
first use, so that importing the SDK does not.
"""

from __future__ import annotations

import collections
import inspect
import logging
import typing
import urllib.parse
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field

import pydantic
import pydantic_core
import websockets.asyncio.client
import websockets.sync.client
from websockets.exceptions import ConnectionClosedError, InvalidStatus

from . import _logging  # noqa: F401 - configures the SDK's logger from ``<PACKAGE>_LOG``
from ._bodies import check_fields
from ._serialization import QueryStyle, cookie_header, header_values, query_pairs, take_cookies
from ._urls import fill
from .api_error import ApiError
from .events import EventType
from .request_options import RequestOptions

__all__ = [
    "AsyncSocketClient",
    "MessageDecoder",
    "SocketChannel",
    "SocketClient",
    "SocketClosedError",
    "UnknownMessage",
]


ResponseT = typing.TypeVar("ResponseT")
SyncSocketT = typing.TypeVar("SyncSocketT", bound="SocketClient[typing.Any]")
AsyncSocketT = typing.TypeVar("AsyncSocketT", bound="AsyncSocketClient[typing.Any]")

NORMAL_CLOSURE = 1000
ABNORMAL_CLOSURE = 1006
KEEPALIVE_FAILED = 1011
KEEPALIVE_REASON = "keepalive ping timeout"
"""How ``websockets`` closes a connection whose server stopped answering pings."""
DEFAULT_PING_INTERVAL = 20.0
DEFAULT_PING_TIMEOUT = 20.0


Models = typing.Sequence[typing.Type[pydantic.BaseModel]]
"""The models a mapping given to a ``send_*`` method must be one of."""
EventName = typing.Union[EventType, typing.Literal["open", "message", "error", "close"]]
Handler = typing.Callable[[typing.Any], object]


@dataclass(frozen=True)
class UnknownMessage:
    """A received message that is none of the types the API declares for the channel.

    The server may send message types newer than this SDK (an unknown tag), or text that
    is not a JSON object; they arrive as this object rather than as an exception, with
    nothing lost. (A message of a known type whose fields deviate from it arrives as its
    model, read tolerantly.)

    Its :attr:`type` is always ``None``, so that ``if message.type == "...":`` (and
    ``match``) narrows what a socket returns to the one declared message class under a
    type checker; the tag the server sent is :attr:`tag`. On a channel whose tag attribute
    has another name (``event``...), unknown messages are of the channel's subclass, whose
    attribute of that name is ``None`` too.
    """

    tag: typing.Optional[str]
    """The value of the channel's discriminator property (e.g. ``type``), when it had one."""
    data: typing.Any
    """The message: parsed JSON, or the raw text or bytes when it was not JSON."""
    error: typing.Optional[ValueError] = None
    """Why the message did not decode, when it was not just unknown (text that is not JSON)."""

    @property
    def type(self) -> None:
        """``None``: the message is of no type this SDK knows (see :attr:`tag`)."""
        return None


class SocketClosedError(ConnectionClosedError):
    """The connection closed with an error code (anything but a normal closure), by either side.

    Still a :class:`websockets.exceptions.ConnectionClosedError`, so existing handlers of
    that exception keep working.
    """

    @property
    def dropped(self) -> bool:
        """Whether the connection was lost without the server closing it: the network failed, or the
        server stopped answering pings for ``ping_timeout`` seconds (code 1006)."""
        if self.rcvd is not None:
            return False
        return self.sent is None or (self.sent.code == KEEPALIVE_FAILED and self.sent.reason == KEEPALIVE_REASON)

    @property
    def by_client(self) -> bool:
        """Whether this end closed the connection (e.g. 1009: a message over ``max_message_size``);
        ``False`` when the server closed it or the connection dropped."""
        if self.dropped:
            return False
        return self.sent is not None and (self.rcvd is None or self.rcvd_then_sent is False)

    @property
    def code(self) -> int:
        """The close code of whichever side closed first (1006 when the connection dropped without one)."""
        if self.dropped:
            return ABNORMAL_CLOSURE
        frame = self.sent if self.by_client else self.rcvd
        return frame.code if frame is not None else ABNORMAL_CLOSURE

    @property
    def reason(self) -> str:
        """The close reason, often an explanation of the error."""
        if self.dropped:
            return self.sent.reason if self.sent is not None else ""
        frame = self.sent if self.by_client else self.rcvd
        return frame.reason if frame is not None else ""

    def __str__(self) -> str:
        if self.dropped:
            why = f" ({self.reason})" if self.reason else ""
            return f"the connection was lost without a close frame{why} (code 1006)"
        reason = f": {self.reason}" if self.reason else ""
        who = "this client" if self.by_client else "the server"
        return f"{who} closed the connection with code {self.code}{reason}"

    @classmethod
    def from_closed(cls, exc: ConnectionClosedError) -> SocketClosedError:
        """The close ``exc`` reports, as this exception."""
        return cls(exc.rcvd, exc.sent, exc.rcvd_then_sent)


class ClientWrapper(typing.Protocol):
    """What a socket needs from the SDK client: where to connect, and the credentials."""

    @property
    def environment(self) -> typing.Any:
        """The environment: one URL attribute per URL key."""

    @property
    def api_key(self) -> typing.Optional[str]: ...

    @property
    def timeout(self) -> typing.Any:
        """Seconds, or an ``httpx.Timeout`` (whose connect timeout the handshake takes)."""

    def get_headers(self, *, auth: bool = True) -> typing.Dict[str, str]:
        """The client's headers; with ``auth=False``, without the API key."""


@dataclass(frozen=True)
class SocketChannel:
    """Where a channel connects and how it takes credentials.

    ``path`` is relative to the environment URL named ``url_key`` (no ``url_key``: to the URL
    ``connect()`` was given, the channel's description naming no server); its ``{name}``
    placeholders are filled from the path parameters. For a client with one API key, the
    key travels in the ``auth_header`` header when the channel accepts one, otherwise in
    the ``auth_query`` query parameter, and not at all when the channel takes neither. For
    a client with security schemes, ``security`` lists the alternatives (sets of scheme
    names) the channel accepts, as an endpoint's do: their credentials go where each
    scheme says (header, query parameter or cookie).
    """

    url_key: typing.Optional[str]
    path: str
    auth_header: typing.Optional[str] = None
    auth_query: typing.Optional[str] = None
    query_styles: typing.Mapping[str, QueryStyle] = field(default_factory=dict)
    """How the query parameters not written in the default style (``form``, exploded) are written."""
    security: typing.Optional[typing.Tuple[typing.Tuple[str, ...], ...]] = None
    query_types: typing.Mapping[str, typing.Any] = field(default_factory=dict)
    header_types: typing.Mapping[str, typing.Any] = field(default_factory=dict)
    """The types of the query and header parameters that are or hold models: a dict given for one is
    checked against the model (:class:`~.api_error.InvalidRequestError` naming each missing, unknown or
    mistyped key) and sent as the model, as a request body's are."""

    def credentials(self, client_wrapper: ClientWrapper) -> typing.Any:
        """What the client's credentials add to the handshake (``None`` for a client with one API key)."""
        if self.security is None:
            return None
        return getattr(client_wrapper, "credentials").place(self.security, None)

    async def acredentials(self, client_wrapper: ClientWrapper) -> typing.Any:
        if self.security is None:
            return None
        return await getattr(client_wrapper, "credentials").aplace(self.security, None)

    def handshake(
        self,
        client_wrapper: ClientWrapper,
        *,
        path_params: typing.Mapping[str, typing.Any],
        query: typing.Mapping[str, typing.Any],
        headers: typing.Mapping[str, typing.Any] = {},
        api_key: typing.Optional[str],
        request_options: typing.Optional[RequestOptions],
        placed: typing.Any = None,
        url: typing.Optional[str] = None,
    ) -> typing.Tuple[str, typing.Dict[str, str], typing.Tuple[str, ...]]:
        """The URL and headers to open the connection with (``headers``: the channel's own, ``None`` left
        out), and the secrets they hold (kept out of logs). ``placed`` is what :meth:`credentials` gave;
        ``url`` the server's URL, for a channel with no ``url_key``."""
        path = fill(self.path, path_params)
        if self.query_types:
            query = check_fields(query, self.query_types)
        if self.header_types:
            headers = check_fields(headers, self.header_types)
        pairs = query_pairs(query, self.query_styles)
        sent = client_wrapper.get_headers(auth=False)
        sent.update(header_values(headers))
        # One Cookie header, later sources winning by name: the client's headers and the channel's, the
        # credentials, request_options (as for a REST request, see ``_http_client``).
        cookies = [take_cookies(sent)]
        secrets: typing.List[str] = []
        key = api_key if api_key is not None else client_wrapper.api_key
        if placed is not None:
            sent.update(placed.headers)
            cookies += [take_cookies(sent), placed.cookie_pairs()]
            pairs += placed.query
            secrets += [*placed.headers.values(), *(value for _, value in placed.query), *placed.cookies.values()]
            secrets += [value for _, value in cookies[-1]]
            secrets += [value.split(" ", 1)[1] for value in placed.headers.values() if " " in value]  # "Bearer <t>"
        elif key is not None:
            secrets.append(key)
            if self.auth_header is not None:
                sent[self.auth_header] = key
            elif self.auth_query is not None:
                pairs.append((self.auth_query, key))
        if request_options is not None:
            sent.update(header_values(request_options.get("additional_headers")))
            cookies.append(take_cookies(sent))
            pairs += query_pairs(None, extra=request_options.get("additional_query_parameters"))
        cookie = cookie_header(*cookies)
        if cookie is not None:
            sent["Cookie"] = cookie
        if self.url_key is not None:
            url = str(getattr(client_wrapper.environment, self.url_key))
        elif url is None:
            raise ValueError("no URL: the channel's description gives no absolute server URL; pass connect(url=...)")
        url = url.rstrip("/") + path
        password = urllib.parse.urlsplit(url).password  # of a base_url with userinfo: sent, never logged
        if password:
            secrets.append(password)
        if pairs:
            url += "?" + urllib.parse.urlencode(pairs)
        return url, sent, tuple(secrets)


class MessageDecoder:
    """Decodes what the server sends on one channel into the declared message types.

    On a channel whose messages are tagged, a text frame is validated straight from its
    JSON text by one validator for the whole channel (a pydantic-core tagged union of the
    ``tags`` models, built on first use): one call per message. Only when that fails is
    the frame parsed and looked at again. An object's discriminator value picks the model
    from ``tags``; a message whose fields deviate from that model (missing, ``null`` or of
    another type) is still that model, read tolerantly and logged at DEBUG level. Objects
    without a known tag are matched against the ``untagged`` models, those that declare the
    most of the message's properties first (a model that declares none of them is no
    match). What is still unmatched, and every JSON value that is not an object, is
    validated against the ``values`` types in order (unions, enums, constants, lists,
    scalars; the most specific first); an object no model or value type takes is read
    tolerantly as the untagged model that matches it best. On a channel with ``text``
    messages, a text frame that is not JSON, or a JSON scalar that no JSON message takes, is
    such a message, as the ``str`` it is. Binary frames come through as ``bytes`` when the
    channel declares binary messages. Anything else becomes an :class:`UnknownMessage`: an
    ``unknown``, the channel's subclass of it when its tag attribute is not ``type``.
    """

    __slots__ = (
        "_discriminator",
        "_tags",
        "_untagged",
        "_value_types",
        "_values",
        "_binary",
        "_text",
        "_fast",
        "_unknown",
    )

    def __init__(
        self,
        *,
        discriminator: typing.Optional[str] = None,
        tags: typing.Mapping[str, typing.Type[pydantic.BaseModel]] = {},
        untagged: typing.Sequence[typing.Type[pydantic.BaseModel]] = (),
        values: typing.Sequence[typing.Any] = (),
        binary: bool = False,
        text: bool = False,
        unknown: typing.Type[UnknownMessage] = UnknownMessage,
    ) -> None:
        self._discriminator = discriminator
        self._tags = dict(tags)
        self._untagged = tuple((model, _wire_names(model)) for model in untagged)
        self._value_types = tuple(values)
        self._values: typing.Optional[typing.Tuple[pydantic.TypeAdapter[typing.Any], ...]] = None
        self._binary = binary
        self._text = text
        self._fast: typing.Optional[typing.Callable[[typing.Union[str, bytes]], typing.Any]] = None
        self._unknown = unknown

    def decode(self, frame: typing.Union[str, bytes]) -> typing.Any:
        """The message in ``frame``: a model or other declared value, ``bytes``, or an :class:`UnknownMessage`."""
        if isinstance(frame, bytes):
            return frame if self._binary else self._unknown(tag=None, data=frame)
        fast = self._fast
        if fast is None:
            if self._discriminator is None or not self._tags:
                return self._decode_parsed(frame, strict=True)
            fast = self._fast = _tagged_union_validator(self._discriminator, self._tags)
        try:
            return fast(frame)
        except ValueError:
            return self._decode_parsed(frame, strict=False)

    def _decode_parsed(self, frame: str, strict: bool) -> typing.Any:
        """The message, from the parsed frame; ``strict`` when the tag's model was not tried yet."""
        try:
            data = pydantic_core.from_json(frame)
        except ValueError as exc:
            return frame if self._text else self._unknown(tag=None, data=frame, error=exc)
        if not isinstance(data, dict):
            found = self._decode_value(None, data, None)
        else:
            found = self._decode_object(data, strict)
        if isinstance(found, UnknownMessage) and self._text and not isinstance(data, (dict, list)):
            return frame  # text such as "42" or "true" that no JSON message takes
        return found

    def _decode_object(self, data: typing.Dict[str, typing.Any], strict: bool) -> typing.Any:
        tag = data.get(self._discriminator) if self._discriminator is not None else None
        if not isinstance(tag, str):
            tag = None
        model = self._tags.get(tag) if tag is not None else None
        if model is None:
            return self._decode_untagged(tag, data)
        if strict:
            try:
                return model.model_validate(data)
            except pydantic.ValidationError:
                pass
        return _tolerantly(model, data, tag)

    def _decode_untagged(self, tag: typing.Optional[str], data: typing.Dict[str, typing.Any]) -> typing.Any:
        keys = data.keys()
        scored = [(len(names & keys), model) for model, names in self._untagged]
        ranked = [model for score, model in sorted(scored, key=lambda candidate: -candidate[0]) if score > 0]
        error: typing.Optional[ValueError] = None
        for model in ranked:
            try:
                return model.model_validate(data)
            except pydantic.ValidationError as exc:
                error = error or exc
        found = self._decode_value(tag, data, error)
        if isinstance(found, UnknownMessage) and ranked:
            return _tolerantly(ranked[0], data, tag)
        return found

    def _decode_value(
        self, tag: typing.Optional[str], data: typing.Any, error: typing.Optional[ValueError]
    ) -> typing.Any:
        if self._values is None:  # built on first use: the types' models may refer to later modules
            self._values = tuple(pydantic.TypeAdapter(value) for value in self._value_types)
        for adapter in self._values:
            try:
                return adapter.validate_python(data)
            except pydantic.ValidationError as exc:
                error = error or exc
        return self._unknown(tag=tag, data=data, error=error)


def _tolerantly(
    model: typing.Type[pydantic.BaseModel], data: typing.Dict[str, typing.Any], tag: typing.Optional[str]
) -> typing.Any:
    """``data`` as ``model`` although some of its fields deviate from it (each logged at DEBUG level)."""
    from ._tolerant import log, repair

    message, deviations = repair(model, data)
    log(deviations, model.__name__, "message" if tag is None else f"message {tag!r}")
    return message


def _tagged_union_validator(
    discriminator: str, tags: typing.Mapping[str, typing.Type[pydantic.BaseModel]]
) -> typing.Callable[[typing.Union[str, bytes]], typing.Any]:
    """``validate_json`` of a tagged union of ``tags``' models: the value of ``discriminator`` picks the model."""
    from pydantic_core import core_schema

    def schema(source: typing.Any, handler: pydantic.GetCoreSchemaHandler) -> core_schema.CoreSchema:
        choices: typing.Dict[typing.Hashable, core_schema.CoreSchema] = {
            tag: handler.generate_schema(model) for tag, model in tags.items()
        }
        return core_schema.tagged_union_schema(choices, discriminator)

    adapter: pydantic.TypeAdapter[typing.Any] = pydantic.TypeAdapter(
        typing.Annotated[typing.Any, pydantic.GetPydanticSchema(schema)]
    )
    return adapter.validate_json


def _wire_names(model: typing.Type[pydantic.BaseModel]) -> typing.FrozenSet[str]:
    """The property names ``model`` declares, as they appear in JSON."""
    return frozenset(info.alias or name for name, info in model.model_fields.items())


class _Listeners:
    """The handlers registered with ``on()``."""

    def __init__(self) -> None:
        self._handlers: dict[EventType, list[Handler]] = {}

    def on(self, event: EventName, handler: Handler) -> None:
        """Call ``handler`` on ``event`` while ``start_listening()`` runs.

        ``"open"`` and ``"close"`` handlers get ``None``, ``"message"`` handlers each
        message as ``recv()`` returns it, ``"error"`` handlers the exception. Without an
        ``"error"`` handler, ``start_listening()`` raises the exception instead.
        """
        self._handlers.setdefault(EventType(event), []).append(handler)

    def _handlers_for(self, event: EventType) -> list[Handler]:
        return self._handlers.get(event, [])


class SocketClient(_Listeners, typing.Generic[ResponseT]):
    """A connection to a channel. Use it as the ``with ... connect(...) as socket:`` target."""

    _channel: typing.ClassVar[SocketChannel]
    _decoder: typing.ClassVar[MessageDecoder]

    def __init__(self, *, websocket: websockets.sync.client.ClientConnection) -> None:
        super().__init__()
        self._websocket = websocket
        self._backlog: typing.Deque[typing.Any] = collections.deque()
        """Messages that arrived while a request waited for its reply, for ``recv()`` and iteration."""

    @classmethod
    @contextmanager
    def _connect(
        cls: type[SyncSocketT],
        client_wrapper: ClientWrapper,
        *,
        path_params: typing.Mapping[str, str] = {},
        query: typing.Mapping[str, object] = {},
        headers: typing.Mapping[str, object] = {},
        api_key: typing.Optional[str] = None,
        request_options: typing.Optional[RequestOptions] = None,
        max_message_size: typing.Optional[int],
        ping_interval: typing.Optional[float] = DEFAULT_PING_INTERVAL,
        ping_timeout: typing.Optional[float] = DEFAULT_PING_TIMEOUT,
        open_timeout: typing.Optional[float] = None,
        url: typing.Optional[str] = None,
    ) -> typing.Iterator[SyncSocketT]:
        url, options = _connection(
            cls._channel,
            client_wrapper,
            cls._channel.credentials(client_wrapper),
            path_params=path_params,
            query=query,
            headers=headers,
            api_key=api_key,
            request_options=request_options,
            max_message_size=max_message_size,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            open_timeout=open_timeout,
            url=url,
        )
        try:
            websocket = websockets.sync.client.connect(url, **options)
        except InvalidStatus as exc:
            raise _handshake_error(exc) from exc
        with websocket:
            yield cls(websocket=websocket)

    def recv(self) -> ResponseT:
        """The next message from the server; blocks until one arrives.

        Raises :class:`SocketClosedError` if the server closed the connection with an
        error code, and :class:`websockets.exceptions.ConnectionClosedOK` once it closed
        it normally.
        """
        if self._backlog:
            backlogged: ResponseT = self._backlog.popleft()
            return backlogged
        message: ResponseT = self._decoder.decode(self._next_frame())
        return message

    def __iter__(self) -> typing.Iterator[ResponseT]:
        """The messages from the server until it closes the connection normally.

        Raises :class:`SocketClosedError` if it closes it with an error code.
        """
        decode = self._decoder.decode
        try:
            while self._backlog:
                yield self._backlog.popleft()
            for frame in self._websocket:
                yield decode(frame)
                while self._backlog:
                    yield self._backlog.popleft()
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None

    def _next_frame(self) -> typing.Union[str, bytes]:
        try:
            return self._websocket.recv()
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None

    def _request(
        self, message: object, sent_at: str, reply_at: typing.Sequence[str], text: bool = False, models: Models = ()
    ) -> typing.Any:
        """Send ``message`` and return the first reply whose correlation id (at one of the ``reply_at``
        pointers) equals the message's (at ``sent_at``); what arrives before it waits for ``recv()``."""
        frame = _frame(message, text, models)
        key = _at(frame, sent_at)
        try:
            self._websocket.send(frame)
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None
        while True:
            received = self._next_frame()
            decoded = self._decoder.decode(received)
            if key is not None and any(_at(received, pointer) == key for pointer in reply_at):
                return decoded
            self._backlog.append(decoded)

    def start_listening(self) -> None:
        """Pass every message to the ``on("message")`` handlers until the connection closes.

        ``on("open")`` handlers run first and ``on("close")`` handlers last; a close with
        an error code goes to the ``on("error")`` handlers.
        """
        self._emit(EventType.OPEN, None)
        try:
            for message in self:
                self._emit(EventType.MESSAGE, message)
        except SocketClosedError as exc:
            if not self._handlers_for(EventType.ERROR):
                raise
            self._emit(EventType.ERROR, exc)
        finally:
            self._emit(EventType.CLOSE, None)

    def close(self, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection (leaving the ``with`` block does it too)."""
        self._websocket.close(code, reason)

    def _send(self, message: object, text: bool = False, models: Models = ()) -> None:
        try:
            self._websocket.send(_frame(message, text, models))
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None

    def _emit(self, event: EventType, data: object) -> None:
        for handler in self._handlers_for(event):
            handler(data)


class AsyncSocketClient(_Listeners, typing.Generic[ResponseT]):
    """A connection to a channel. Use it as the ``async with ... connect(...) as socket:`` target."""

    _channel: typing.ClassVar[SocketChannel]
    _decoder: typing.ClassVar[MessageDecoder]

    def __init__(self, *, websocket: websockets.asyncio.client.ClientConnection) -> None:
        super().__init__()
        self._websocket = websocket
        self._backlog: typing.Deque[typing.Any] = collections.deque()
        """Messages that arrived while a request waited for its reply, for ``recv()`` and iteration."""

    @classmethod
    @asynccontextmanager
    async def _connect(
        cls: type[AsyncSocketT],
        client_wrapper: ClientWrapper,
        *,
        path_params: typing.Mapping[str, str] = {},
        query: typing.Mapping[str, object] = {},
        headers: typing.Mapping[str, object] = {},
        api_key: typing.Optional[str] = None,
        request_options: typing.Optional[RequestOptions] = None,
        max_message_size: typing.Optional[int],
        ping_interval: typing.Optional[float] = DEFAULT_PING_INTERVAL,
        ping_timeout: typing.Optional[float] = DEFAULT_PING_TIMEOUT,
        open_timeout: typing.Optional[float] = None,
        url: typing.Optional[str] = None,
    ) -> typing.AsyncIterator[AsyncSocketT]:
        url, options = _connection(
            cls._channel,
            client_wrapper,
            await cls._channel.acredentials(client_wrapper),
            path_params=path_params,
            query=query,
            headers=headers,
            api_key=api_key,
            request_options=request_options,
            max_message_size=max_message_size,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
            open_timeout=open_timeout,
            url=url,
        )
        try:
            websocket = await websockets.asyncio.client.connect(url, **options)
        except InvalidStatus as exc:
            raise _handshake_error(exc) from exc
        async with websocket:
            yield cls(websocket=websocket)

    async def recv(self) -> ResponseT:
        """The next message from the server; waits until one arrives.

        Raises :class:`SocketClosedError` if the server closed the connection with an
        error code, and :class:`websockets.exceptions.ConnectionClosedOK` once it closed
        it normally.
        """
        if self._backlog:
            backlogged: ResponseT = self._backlog.popleft()
            return backlogged
        message: ResponseT = self._decoder.decode(await self._next_frame())
        return message

    async def __aiter__(self) -> typing.AsyncIterator[ResponseT]:
        """The messages from the server until it closes the connection normally.

        Raises :class:`SocketClosedError` if it closes it with an error code.
        """
        decode = self._decoder.decode
        try:
            while self._backlog:
                yield self._backlog.popleft()
            async for frame in self._websocket:
                yield decode(frame)
                while self._backlog:
                    yield self._backlog.popleft()
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None

    async def _next_frame(self) -> typing.Union[str, bytes]:
        try:
            return await self._websocket.recv()
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None

    async def _request(
        self, message: object, sent_at: str, reply_at: typing.Sequence[str], text: bool = False, models: Models = ()
    ) -> typing.Any:
        """Send ``message`` and return the first reply whose correlation id (at one of the ``reply_at``
        pointers) equals the message's (at ``sent_at``); what arrives before it waits for ``recv()``."""
        frame = _frame(message, text, models)
        key = _at(frame, sent_at)
        try:
            await self._websocket.send(frame)
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None
        while True:
            received = await self._next_frame()
            decoded = self._decoder.decode(received)
            if key is not None and any(_at(received, pointer) == key for pointer in reply_at):
                return decoded
            self._backlog.append(decoded)

    async def start_listening(self) -> None:
        """Pass every message to the ``on("message")`` handlers until the connection closes.

        ``on("open")`` handlers run first and ``on("close")`` handlers last; a close with
        an error code goes to the ``on("error")`` handlers. Handlers may be coroutine
        functions; they are awaited in turn.
        """
        await self._emit(EventType.OPEN, None)
        try:
            async for message in self:
                await self._emit(EventType.MESSAGE, message)
        except SocketClosedError as exc:
            if not self._handlers_for(EventType.ERROR):
                raise
            await self._emit(EventType.ERROR, exc)
        finally:
            await self._emit(EventType.CLOSE, None)

    async def close(self, code: int = NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection (leaving the ``async with`` block does it too)."""
        await self._websocket.close(code, reason)

    async def _send(self, message: object, text: bool = False, models: Models = ()) -> None:
        try:
            await self._websocket.send(_frame(message, text, models))
        except ConnectionClosedError as exc:
            raise SocketClosedError.from_closed(exc) from None

    async def _emit(self, event: EventType, data: object) -> None:
        for handler in self._handlers_for(event):
            result = handler(data)
            if inspect.isawaitable(result):
                await result


class RedactingLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """The ``websockets`` client logger, with the connection's secrets replaced by ``***``.

    At DEBUG level ``websockets`` logs the handshake, headers and URL included; the API
    key must not reach the logs with them.
    """

    def __init__(self, secrets: typing.Sequence[str]) -> None:
        super().__init__(logging.getLogger("websockets.client"), {})
        self._secrets = [form for secret in secrets for form in {secret, urllib.parse.quote_plus(secret)}]

    def log(self, level: int, msg: object, *args: typing.Any, **kwargs: typing.Any) -> None:
        if not self.isEnabledFor(level):
            return
        text = str(msg) % args if args else str(msg)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        self.logger.log(level, "%s", text, **kwargs)


def _frame(message: object, text: bool, models: Models = ()) -> typing.Union[str, bytes]:
    """The frame that carries ``message``: bytes as a binary frame, a ``str`` of a ``text`` message as
    it is, anything else as a JSON text frame (wire names, ``None`` fields of models left out).

    A mapping where the message is a model (``models``) is validated into it first, which fills
    the fields with constant values (the message's tag); one that fits none raises ``ValueError``.
    """
    if models and isinstance(message, typing.Mapping):
        message = _validated(message, models)
    if isinstance(message, bytes):
        return message
    if text and isinstance(message, str):
        return message
    if isinstance(message, pydantic.BaseModel):
        return message.model_dump_json(by_alias=True, exclude_none=True)
    return pydantic_core.to_json(message, by_alias=True, exclude_none=True).decode("utf-8")


def _validated(message: typing.Mapping[str, typing.Any], models: Models) -> pydantic.BaseModel:
    """``message`` as the one of ``models`` it fits (``pydantic.ValidationError`` names the problem
    when there is one model; a ``ValueError`` says which models it fits, none or several)."""
    if len(models) == 1:
        return models[0].model_validate(message)
    fits: typing.List[pydantic.BaseModel] = []
    problems: typing.List[str] = []
    for model in models:
        try:
            fits.append(model.model_validate(message))
        except pydantic.ValidationError as exc:
            problems.append(f"not {model.__name__}: " + "; ".join(_problem(error) for error in exc.errors()))
    if len(fits) == 1:
        return fits[0]
    if fits:
        names = ", ".join(type(fit).__name__ for fit in fits)
        raise ValueError(f"the message fits several message types ({names}): send a model, or use its send_ method")
    raise ValueError("the message fits none of the message types this channel sends: " + " | ".join(problems))


def _problem(error: pydantic_core.ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(message)"
    return f"{where}: {error['msg']}"


def _at(frame: typing.Union[str, bytes], pointer: str) -> typing.Any:
    """The value at JSON ``pointer`` in a JSON text frame; None when there is none."""
    if not isinstance(frame, str):
        return None
    try:
        value = pydantic_core.from_json(frame)
    except ValueError:
        return None
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def _connection(
    channel: SocketChannel,
    client_wrapper: ClientWrapper,
    placed: typing.Any,
    *,
    path_params: typing.Mapping[str, str],
    query: typing.Mapping[str, object],
    headers: typing.Mapping[str, object],
    api_key: typing.Optional[str],
    request_options: typing.Optional[RequestOptions],
    max_message_size: typing.Optional[int],
    ping_interval: typing.Optional[float],
    ping_timeout: typing.Optional[float],
    open_timeout: typing.Optional[float],
    url: typing.Optional[str] = None,
) -> typing.Tuple[str, typing.Dict[str, typing.Any]]:
    """The URL to connect to and the options of ``websockets``' ``connect()``, sync or async."""
    url, sent, secrets = channel.handshake(
        client_wrapper,
        path_params=path_params,
        query=query,
        headers=headers,
        api_key=api_key,
        request_options=request_options,
        placed=placed,
        url=url,
    )
    # The SDK's User-Agent replaces the one websockets adds itself (else the handshake carries two).
    user_agent = next((sent.pop(name) for name in list(sent) if name.lower() == "user-agent"), None)
    options = {
        "additional_headers": sent,
        "user_agent_header": user_agent,
        "open_timeout": open_timeout if open_timeout is not None else _open_timeout(client_wrapper, request_options),
        "max_size": max_message_size,
        "ping_interval": ping_interval,
        "ping_timeout": ping_timeout,
        "logger": RedactingLogger(secrets),
    }
    return url, options


def _open_timeout(
    client_wrapper: ClientWrapper, request_options: typing.Optional[RequestOptions]
) -> typing.Optional[float]:
    timeout: typing.Any
    if request_options is not None and "timeout_in_seconds" in request_options:
        timeout = request_options["timeout_in_seconds"]
    else:
        timeout = client_wrapper.timeout
    # An ``httpx.Timeout`` gives the handshake its connect timeout.
    return timeout if timeout is None or isinstance(timeout, (int, float)) else timeout.connect


def _handshake_error(exc: InvalidStatus) -> ApiError:
    response = exc.response
    body = response.body.decode("utf-8", "replace") if response.body else None
    return ApiError(status_code=response.status_code, headers=dict(response.headers.raw_items()), body=body)
