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

from ._serialization import QueryStyle, header_values, path_segment, query_pairs
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
DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024
"""The largest message (bytes) a connection accepts unless told otherwise; a larger one closes it with 1009."""


EventName = typing.Union[EventType, typing.Literal["open", "message", "error", "close"]]
Handler = typing.Callable[[typing.Any], object]


@dataclass(frozen=True)
class UnknownMessage:
    """A received message that is none of the types the API declares for the channel.

    The server may send message types newer than this SDK, or a payload that no longer
    fits its declared type; they arrive as this object rather than as an exception, with
    nothing lost.
    """

    type: typing.Optional[str]
    """The value of the channel's discriminator property (e.g. ``type``), when it had one."""
    data: typing.Any
    """The message: parsed JSON, or the raw text or bytes when it was not JSON."""
    error: typing.Optional[ValueError] = None
    """Why the message did not decode into a declared type, when it was not just unknown."""


class SocketClosedError(ConnectionClosedError):
    """The connection closed with an error code (anything but a normal closure), by either side.

    Still a :class:`websockets.exceptions.ConnectionClosedError`, so existing handlers of
    that exception keep working.
    """

    @property
    def by_client(self) -> bool:
        """Whether this end closed the connection (e.g. 1009: a message over ``max_message_size``)."""
        return self.sent is not None and (self.rcvd is None or self.rcvd_then_sent is False)

    @property
    def code(self) -> int:
        """The close code of whichever side closed first (1006 when the connection dropped without one)."""
        frame = self.sent if self.by_client else self.rcvd
        return frame.code if frame is not None else 1006

    @property
    def reason(self) -> str:
        """The close reason, often an explanation of the error."""
        frame = self.sent if self.by_client else self.rcvd
        return frame.reason if frame is not None else ""

    def __str__(self) -> str:
        if self.rcvd is None and self.sent is None:
            return "the connection was lost without a close frame (code 1006)"
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
    def timeout(self) -> typing.Optional[float]: ...

    def get_headers(self, *, auth: bool = True) -> typing.Dict[str, str]:
        """The client's headers; with ``auth=False``, without the API key."""


@dataclass(frozen=True)
class SocketChannel:
    """Where a channel connects and how it takes credentials.

    ``path`` is relative to the environment URL named ``url_key``; its ``{name}``
    placeholders are filled from the path parameters. The API key travels in the
    ``auth_header`` header when the channel accepts one, otherwise in the ``auth_query``
    query parameter, and not at all when the channel takes neither.
    """

    url_key: str
    path: str
    auth_header: typing.Optional[str] = None
    auth_query: typing.Optional[str] = None
    query_styles: typing.Mapping[str, QueryStyle] = field(default_factory=dict)
    """How the query parameters not written in the default style (``form``, exploded) are written."""

    def handshake(
        self,
        client_wrapper: ClientWrapper,
        *,
        path_params: typing.Mapping[str, typing.Any],
        query: typing.Mapping[str, typing.Any],
        headers: typing.Mapping[str, typing.Any] = {},
        api_key: typing.Optional[str],
        request_options: typing.Optional[RequestOptions],
    ) -> typing.Tuple[str, typing.Dict[str, str], typing.Tuple[str, ...]]:
        """The URL and headers to open the connection with (``headers``: the channel's own, ``None`` left
        out), and the secrets they hold (kept out of logs)."""
        path = self.path.format_map({name: path_segment(value) for name, value in path_params.items()})
        pairs = query_pairs(query, self.query_styles)
        sent = client_wrapper.get_headers(auth=False)
        sent.update(header_values(headers))
        key = api_key if api_key is not None else client_wrapper.api_key
        if key is not None:
            if self.auth_header is not None:
                sent[self.auth_header] = key
            elif self.auth_query is not None:
                pairs.append((self.auth_query, key))
        if request_options is not None:
            sent.update(header_values(request_options.get("additional_headers")))
            pairs += query_pairs(None, extra=request_options.get("additional_query_parameters"))
        url = str(getattr(client_wrapper.environment, self.url_key)).rstrip("/") + path
        if pairs:
            url += "?" + urllib.parse.urlencode(pairs)
        return url, sent, (key,) if key else ()


class MessageDecoder:
    """Decodes what the server sends on one channel into the declared message types.

    A JSON message is parsed once. An object's discriminator value picks the model from
    ``tags`` (a dictionary lookup), which then validates the parsed data. Objects without a
    known tag are matched against the ``untagged`` models, those that declare the most of
    the message's properties first (a model that declares none of them is no match). What
    is still unmatched, and every JSON value that is not an object, is validated against
    the ``values`` types in order (unions, enums, constants, lists, scalars; the most
    specific first). On a channel with ``text`` messages, a text frame that is not JSON, or
    a JSON scalar that no JSON message takes, is such a message, as the ``str`` it is. Binary frames come through as
    ``bytes`` when the channel declares binary messages. Anything else becomes an
    :class:`UnknownMessage`.
    """

    __slots__ = ("_discriminator", "_tags", "_untagged", "_value_types", "_values", "_binary", "_text")

    def __init__(
        self,
        *,
        discriminator: typing.Optional[str] = None,
        tags: typing.Mapping[str, typing.Type[pydantic.BaseModel]] = {},
        untagged: typing.Sequence[typing.Type[pydantic.BaseModel]] = (),
        values: typing.Sequence[typing.Any] = (),
        binary: bool = False,
        text: bool = False,
    ) -> None:
        self._discriminator = discriminator
        self._tags = {tag: model.model_validate for tag, model in tags.items()}
        self._untagged = tuple((model, _wire_names(model)) for model in untagged)
        self._value_types = tuple(values)
        self._values: typing.Optional[typing.Tuple[pydantic.TypeAdapter[typing.Any], ...]] = None
        self._binary = binary
        self._text = text

    def decode(self, frame: typing.Union[str, bytes]) -> typing.Any:
        """The message in ``frame``: a model or other declared value, ``bytes``, or an :class:`UnknownMessage`."""
        if isinstance(frame, bytes):
            return frame if self._binary else UnknownMessage(type=None, data=frame)
        try:
            data = pydantic_core.from_json(frame)
        except ValueError as exc:
            return frame if self._text else UnknownMessage(type=None, data=frame, error=exc)
        if not isinstance(data, dict):
            found = self._decode_value(None, data, None)
        else:
            found = self._decode_object(data)
        if isinstance(found, UnknownMessage) and self._text and not isinstance(data, (dict, list)):
            return frame  # text such as "42" or "true" that no JSON message takes
        return found

    def _decode_object(self, data: typing.Dict[str, typing.Any]) -> typing.Any:
        tag = data.get(self._discriminator) if self._discriminator is not None else None
        if not isinstance(tag, str):
            tag = None
        validate = self._tags.get(tag) if tag is not None else None
        if validate is not None:
            try:
                return validate(data)
            except pydantic.ValidationError as exc:
                return self._decode_value(tag, data, exc)
        return self._decode_untagged(tag, data)

    def _decode_untagged(self, tag: typing.Optional[str], data: typing.Dict[str, typing.Any]) -> typing.Any:
        error: typing.Optional[ValueError] = None
        keys = data.keys()
        scored = [(len(names & keys), model) for model, names in self._untagged]
        for score, model in sorted(scored, key=lambda candidate: -candidate[0]):
            if score == 0:
                break
            try:
                return model.model_validate(data)
            except pydantic.ValidationError as exc:
                error = error or exc
        return self._decode_value(tag, data, error)

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
        return UnknownMessage(type=tag, data=data, error=error)


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
        max_message_size: typing.Optional[int] = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> typing.Iterator[SyncSocketT]:
        url, headers, secrets = cls._channel.handshake(
            client_wrapper,
            path_params=path_params,
            query=query,
            headers=headers,
            api_key=api_key,
            request_options=request_options,
        )
        try:
            websocket = websockets.sync.client.connect(
                url,
                additional_headers=headers,
                open_timeout=_open_timeout(client_wrapper, request_options),
                max_size=max_message_size,
                logger=RedactingLogger(secrets),
            )
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

    def _request(self, message: object, sent_at: str, reply_at: typing.Sequence[str], text: bool = False) -> typing.Any:
        """Send ``message`` and return the first reply whose correlation id (at one of the ``reply_at``
        pointers) equals the message's (at ``sent_at``); what arrives before it waits for ``recv()``."""
        frame = _frame(message, text)
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

    def _send(self, message: object, text: bool = False) -> None:
        try:
            self._websocket.send(_frame(message, text))
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
        max_message_size: typing.Optional[int] = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> typing.AsyncIterator[AsyncSocketT]:
        url, headers, secrets = cls._channel.handshake(
            client_wrapper,
            path_params=path_params,
            query=query,
            headers=headers,
            api_key=api_key,
            request_options=request_options,
        )
        try:
            websocket = await websockets.asyncio.client.connect(
                url,
                additional_headers=headers,
                open_timeout=_open_timeout(client_wrapper, request_options),
                max_size=max_message_size,
                logger=RedactingLogger(secrets),
            )
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
        self, message: object, sent_at: str, reply_at: typing.Sequence[str], text: bool = False
    ) -> typing.Any:
        """Send ``message`` and return the first reply whose correlation id (at one of the ``reply_at``
        pointers) equals the message's (at ``sent_at``); what arrives before it waits for ``recv()``."""
        frame = _frame(message, text)
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

    async def _send(self, message: object, text: bool = False) -> None:
        try:
            await self._websocket.send(_frame(message, text))
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


def _frame(message: object, text: bool) -> typing.Union[str, bytes]:
    """The frame that carries ``message``: bytes as a binary frame, a ``str`` of a ``text`` message as
    it is, anything else as a JSON text frame (wire names, ``None`` fields of models left out)."""
    if isinstance(message, bytes):
        return message
    if text and isinstance(message, str):
        return message
    if isinstance(message, pydantic.BaseModel):
        return message.model_dump_json(by_alias=True, exclude_none=True)
    return pydantic_core.to_json(message, by_alias=True, exclude_none=True).decode("utf-8")


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


def _open_timeout(
    client_wrapper: ClientWrapper, request_options: typing.Optional[RequestOptions]
) -> typing.Optional[float]:
    if request_options is not None and "timeout_in_seconds" in request_options:
        return request_options["timeout_in_seconds"]
    return client_wrapper.timeout


def _handshake_error(exc: InvalidStatus) -> ApiError:
    response = exc.response
    body = response.body.decode("utf-8", "replace") if response.body else None
    return ApiError(status_code=response.status_code, headers=dict(response.headers.raw_items()), body=body)
