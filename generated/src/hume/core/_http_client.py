"""Sending API requests: building them, retrying, parsing responses and mapping errors.

Each API operation is an :class:`Endpoint` (what never changes: method, path template,
environment URL, how to parse the response, which exception each error status raises).
A call of it is a :class:`Request` (path parameters, query, headers, body).
:class:`HttpClient` and :class:`AsyncHttpClient` send requests; all they do apart from
I/O is shared in :class:`BaseHttpClient`.

A client method sends its request with ``send`` (the data), ``paginate`` (a pager) or
``stream`` (an iterator over chunks or events). An HTTP client made with ``raw=True``
returns the whole :class:`HttpResponse` from the same calls instead (for ``stream``, a
context manager giving it): that is what ``with_raw_response`` is made of, and
:mod:`.http_response` gives its methods their types.

Failed attempts are retried (``max_retries``, default 2), the delay doubling each time
with jitter unless the response says how long to wait (``Retry-After``), but never so
that the server could act twice on one call:

- when nothing reached the server (the connection could not be made), and when it
  answers 408, 429 or 503 (it did not act on the request): for every method;
- when the request may have reached it (the connection dropped after sending, a 200 cut
  short) and when it answers another 5xx: only for idempotent methods (GET, HEAD,
  OPTIONS, PUT, DELETE, TRACE) and for requests carrying an idempotency key, which the
  SDK adds to the calls of endpoints that take one (the same key on every attempt).

Timeouts are not retried. Redirects are followed (unless the client is told not to);
one that leaves the origin loses every credential the SDK added, and the ``Cookie`` header.

A request sends one ``Cookie`` header, whose pairs come from, each later source replacing the
earlier pairs of the names it gives: the cookies the ``httpx`` client keeps for the URL (from
``Set-Cookie``), a ``Cookie`` in the client's ``headers``, the credentials (an API key in a
cookie), a header parameter named ``Cookie``, the method's cookie parameters, and last a
``Cookie`` in ``request_options["additional_headers"]``. A redirect within the origin keeps
the SDK's pairs over the cookies the ``httpx`` client has for the new URL.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import random
import time
import typing
import urllib.parse
import uuid

import httpx

from .api_error import (
    REQUEST_ID_HEADERS,
    ApiConnectionError,
    ApiError,
    Headers,
    MalformedResponseError,
    connection_error_class,
    status_error_class,
)
from . import _logging  # noqa: F401 - configures the SDK's logger from ``<PACKAGE>_LOG``
from ._bodies import Body, check_dicts
from .http_response import (
    AsyncBinaryStream,
    AsyncHttpResponse,
    AsyncStreamedResponse,
    BinaryStream,
    HttpResponse,
    StreamedResponse,
)
from ._serialization import (
    QueryStyle,
    cookie_header,
    cookie_pairs,
    header_values,
    parse_cookie_header,
    query_pairs,
    take_cookies,
)
from ._urls import fill, shown_url
from .limits import SizeLimits, TooLong, too_large

if typing.TYPE_CHECKING:
    from .client_wrapper import AsyncClientWrapper, BaseClientWrapper, SyncClientWrapper
    from .pagination import AsyncPager, Pagination, SyncPager
    from .request_options import RequestOptions

__all__ = [
    "AsyncHttpClient",
    "BaseHttpClient",
    "BinaryResponse",
    "EmptyResponse",
    "Endpoint",
    "ErrorCase",
    "EventStreamResponse",
    "HttpClient",
    "JsonLinesResponse",
    "JsonResponse",
    "Request",
    "ResponseParser",
    "TextResponse",
]


R = typing.TypeVar("R")
T = typing.TypeVar("T")

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A server asking to wait longer than this (seconds) gets its error raised rather than waited for."""
ALWAYS_RETRIED_STATUSES = frozenset({408, 429, 503})
"""Statuses that say the server did not act on the request: retried whatever the method."""
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)
"""Transport failures before the request left: another attempt is always safe."""
MAYBE_SENT_ERRORS = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
"""The connection dropped once the request may have reached the server."""
RETRY_ERRORS = NOT_SENT_ERRORS + MAYBE_SENT_ERRORS
IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})
"""Headers that, given by the caller, make any request safe to repeat."""
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
"""Headers a redirect to another origin never carries, besides the client's own credential headers."""

logger = logging.getLogger(__name__.rsplit(".", 2)[0])


# ----------------------------------------------------------------------------------------
# Responses: how an endpoint's successful response is read
# ----------------------------------------------------------------------------------------


class JsonResponse(typing.Generic[R]):
    """A JSON body, validated as ``type_`` (a model class or any type pydantic knows).

    Validation is strict and in one step from the JSON text; only when that fails is the
    body read tolerantly (``_tolerant``): a missing or ``null`` required field reads
    ``None``, a value of another type is kept as sent, each logged at DEBUG level.
    """

    streamed = False
    __slots__ = ("type", "_validate")

    def __init__(self, type_: typing.Any) -> None:
        self.type = type_
        self._validate: typing.Optional[typing.Callable[[typing.Union[str, bytes]], R]] = None

    def parse_json(
        self, content: typing.Union[str, bytes], response: typing.Optional[httpx.Response] = None, what: str = ""
    ) -> R:
        """Validate JSON text; raises ``ValueError`` when it is not JSON, or not of the expected shape at all.

        ``what`` and the ``response`` the text came from are named in the DEBUG log of a tolerated deviation.
        """
        validate = self._validate
        if validate is None:
            validate = self._validate = _json_validator(self.type)
        text = content if content.strip() else b"null"
        try:
            return validate(text)
        except ValueError as error:
            from ._tolerant import repair_json

            source = what + (_describe(response) if response is not None else "response")
            return typing.cast(R, repair_json(self.type, text, error, source))

    def parse(self, response: httpx.Response) -> R:
        return self.parse_json(response.content, response)


def _json_validator(type_: typing.Any) -> typing.Callable[[typing.Union[str, bytes]], typing.Any]:
    model_validate_json = getattr(type_, "model_validate_json", None)
    if isinstance(type_, type) and model_validate_json is not None:
        return typing.cast(typing.Callable[[typing.Union[str, bytes]], typing.Any], model_validate_json)
    import pydantic

    return pydantic.TypeAdapter(type_).validate_json


class TextResponse:
    """A text body."""

    streamed = False

    def parse(self, response: httpx.Response) -> str:
        return response.text


class EmptyResponse:
    """No body worth reading: the call returns ``None``."""

    streamed = False

    def parse(self, response: httpx.Response) -> None:
        return None


class BinaryResponse:
    """Raw bytes, streamed to the caller in chunks as they arrive."""

    streamed = True

    def chunks(
        self, response: httpx.Response, options: typing.Optional[RequestOptions], limits: SizeLimits
    ) -> typing.Iterator[bytes]:
        """The body as it arrives; how much of it to take is the caller's (``limits`` bound what is
        read whole, and lines: a binary body has neither)."""
        return response.iter_bytes((options or {}).get("chunk_size"))

    def achunks(
        self, response: httpx.Response, options: typing.Optional[RequestOptions], limits: SizeLimits
    ) -> typing.AsyncIterator[bytes]:
        return response.aiter_bytes((options or {}).get("chunk_size"))


class EventStreamResponse(typing.Generic[R]):
    """Server-sent events; each event's data is JSON validated as ``type_``."""

    streamed = True
    __slots__ = ("json",)

    def __init__(self, type_: typing.Any) -> None:
        self.json: JsonResponse[R] = JsonResponse(type_)

    def chunks(
        self, response: httpx.Response, options: typing.Optional[RequestOptions], limits: SizeLimits
    ) -> typing.Iterator[R]:
        """The events of ``response``, each parsed as soon as it has fully arrived; a line or an event
        longer than ``limits.max_line_size`` raises :class:`~.limits.ResponseTooLargeError`."""
        from ._sse import EventDecoder

        return _decoded(response, EventDecoder(limits.max_line_size), self.parse_events)

    def achunks(
        self, response: httpx.Response, options: typing.Optional[RequestOptions], limits: SizeLimits
    ) -> typing.AsyncIterator[R]:
        from ._sse import EventDecoder

        return _adecoded(response, EventDecoder(limits.max_line_size), self.parse_events)

    def parse_event(self, response: httpx.Response, data: str) -> R:
        try:
            return self.json.parse_json(data, response, "event of ")
        except ValueError as error:
            raise _malformed(response, data, error, self.json.type) from error

    def parse_events(self, response: httpx.Response, events: typing.Iterable[typing.Any]) -> typing.Iterator[R]:
        """The data of ``events``, but for those that are JSON objects of no kind the API declares (a kind
        newer than this SDK, say): they are skipped, with a warning, so that the stream goes on."""
        for event in events:
            try:
                item = self.parse_event(response, event.data)
            except MalformedResponseError:
                if not event.data.lstrip().startswith("{") or not isinstance(_loads(event.data), dict):
                    raise
                logger.warning(
                    "skipping an event of %s %s of no kind this SDK knows: %.200s",
                    response.request.method,
                    shown_url(response.request.url),
                    event.data,
                )
                continue
            yield item


class JsonLinesResponse(typing.Generic[R]):
    """A stream of JSON values, one a line (NDJSON, JSON Lines, JSON text sequences), each validated
    as ``type_`` as soon as its line has fully arrived; a JSON object of no kind the API declares is
    skipped with a warning, as an event of an event stream is."""

    streamed = True
    accept = "application/x-ndjson, application/jsonl, application/json-seq, application/stream+json"
    __slots__ = ("events",)

    def __init__(self, type_: typing.Any) -> None:
        self.events: EventStreamResponse[R] = EventStreamResponse(type_)

    def chunks(
        self, response: httpx.Response, options: typing.Optional[RequestOptions], limits: SizeLimits
    ) -> typing.Iterator[R]:
        """The values of ``response``, each parsed as soon as its line has fully arrived; a line longer
        than ``limits.max_line_size`` raises :class:`~.limits.ResponseTooLargeError`."""
        from ._sse import JsonLineDecoder

        return _decoded(response, JsonLineDecoder(limits.max_line_size), self.events.parse_events)

    def achunks(
        self, response: httpx.Response, options: typing.Optional[RequestOptions], limits: SizeLimits
    ) -> typing.AsyncIterator[R]:
        from ._sse import JsonLineDecoder

        return _adecoded(response, JsonLineDecoder(limits.max_line_size), self.events.parse_events)


class _Decoder(typing.Protocol):
    """Turns the chunks of a stream into events (``EventDecoder``, ``JsonLineDecoder``)."""

    def feed(self, chunk: bytes) -> typing.Sequence[typing.Any]: ...

    def close(self) -> typing.Sequence[typing.Any]: ...


_Parse = typing.Callable[[httpx.Response, typing.Iterable[typing.Any]], typing.Iterator[R]]


def _decoded(response: httpx.Response, decoder: _Decoder, parse: _Parse[R]) -> typing.Iterator[R]:
    """The items of ``response`` as ``decoder`` finds them in its body and ``parse`` reads them; a
    decoder's :class:`~.limits.TooLong` closes the response and raises :class:`~.limits.ResponseTooLargeError`."""
    try:
        for chunk in response.iter_bytes():
            yield from parse(response, decoder.feed(chunk))
    except TooLong as error:
        response.close()
        raise too_large(response, error) from None
    yield from parse(response, decoder.close())


async def _adecoded(response: httpx.Response, decoder: _Decoder, parse: _Parse[R]) -> typing.AsyncIterator[R]:
    """:func:`_decoded` for the async client."""
    try:
        async for chunk in response.aiter_bytes():
            for item in parse(response, decoder.feed(chunk)):
                yield item
    except TooLong as error:
        await response.aclose()
        raise too_large(response, error) from None
    for item in parse(response, decoder.close()):
        yield item


ResponseParser = typing.Union[
    JsonResponse[R], TextResponse, EmptyResponse, BinaryResponse, EventStreamResponse[R], JsonLinesResponse[R]
]


class ErrorCase:
    """A declared error status: the exception class raised for it and the type of its body.

    ``ranged``: declared for a range (``4XX``) or as ``default``; the exception gets the actual code.
    """

    __slots__ = ("exception", "body", "ranged")

    def __init__(
        self, exception: typing.Callable[..., ApiError], body: typing.Any = None, ranged: bool = False
    ) -> None:
        self.exception = exception
        self.body: typing.Optional[JsonResponse[typing.Any]] = JsonResponse(body) if body is not None else None
        self.ranged = ranged


# ----------------------------------------------------------------------------------------
# Endpoints and requests
# ----------------------------------------------------------------------------------------


class Endpoint(typing.Generic[R]):
    """One API operation: what is the same for every call of it."""

    __slots__ = (
        "method",
        "path",
        "environment",
        "response",
        "errors",
        "auth",
        "query_styles",
        "security",
        "idempotency_header",
        "retryable",
        "body_types",
        "cookie_styles",
    )

    def __init__(
        self,
        method: str,
        path: str,
        environment: str,
        response: ResponseParser[R],
        errors: typing.Optional[typing.Mapping[int, ErrorCase]] = None,
        auth: bool = True,
        query_styles: typing.Optional[typing.Mapping[str, QueryStyle]] = None,
        security: typing.Optional[typing.Tuple[typing.Tuple[str, ...], ...]] = None,
        idempotency_header: typing.Optional[str] = None,
        retryable: bool = False,
        body_types: typing.Optional[typing.Mapping[typing.Optional[str], typing.Any]] = None,
        cookie_styles: typing.Optional[typing.Mapping[str, QueryStyle]] = None,
    ) -> None:
        self.method = method
        self.path = path
        """The path template: ``{name}`` stands for the path parameter ``name``. It may carry a
        query string sent with every call, and is an absolute URL for an operation with servers
        of its own."""
        self.environment = environment
        """The attribute of the client's environment holding the base URL."""
        self.response = response
        self.errors = errors or {}
        self.auth = auth
        self.query_styles = query_styles or {}
        """How the query parameters not written in the default style (``form``, exploded) are written."""
        self.security = security
        """For an API with security schemes: the sets of schemes that each satisfy the endpoint (see ``_auth``)."""
        self.idempotency_header = idempotency_header
        """The header that carries an idempotency key: one per call, the same on each attempt."""
        self.retryable = retryable
        """The API says calls may be retried whatever the method (as an idempotent one is)."""
        self.body_types = body_types
        """The types of the JSON body's values that are or hold models (``None``: the whole body): a dict
        given for a model is checked against it, and sent as the model, before the request is sent."""
        self.cookie_styles = cookie_styles or {}
        """How the cookie parameters not written in the default style (``form``, exploded) are written."""

    def request(
        self,
        *,
        path: typing.Optional[typing.Mapping[str, typing.Any]] = None,
        query: typing.Optional[typing.Dict[str, typing.Any]] = None,
        headers: typing.Optional[typing.Dict[str, typing.Any]] = None,
        body: typing.Optional[Body] = None,
        cookies: typing.Optional[typing.Dict[str, typing.Any]] = None,
    ) -> Request[R]:
        """A call: ``path`` maps the template's parameter names to values, each sent as one path segment."""
        if self.body_types is not None and body is not None:
            body = check_dicts(body, self.body_types)
        return Request(self, fill(self.path, path or {}), query, headers, body, cookies)


class Request(typing.Generic[R]):
    """One call of an endpoint: path (parameters already encoded), query, headers, body and cookies."""

    __slots__ = ("endpoint", "path", "query", "headers", "body", "cookies")

    def __init__(
        self,
        endpoint: Endpoint[R],
        path: str,
        query: typing.Optional[typing.Dict[str, typing.Any]] = None,
        headers: typing.Optional[typing.Dict[str, typing.Any]] = None,
        body: typing.Optional[Body] = None,
        cookies: typing.Optional[typing.Dict[str, typing.Any]] = None,
    ) -> None:
        self.endpoint = endpoint
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.cookies = cookies
        """The cookie parameters by name (``None`` values are not sent), written by ``cookie_pairs``."""

    def with_query(self, name: str, value: typing.Any) -> Request[R]:
        """The same request with the query parameter ``name`` set to ``value`` (for the next page)."""
        query = {**(self.query or {}), name: value}
        return Request(self.endpoint, self.path, query, self.headers, self.body, self.cookies)

    def at_url(self, url: str) -> Request[R]:
        """The same request sent to the absolute ``url``, whose query replaces this one's (for the next page)."""
        return Request(self.endpoint, url, None, self.headers, self.body, self.cookies)


# ----------------------------------------------------------------------------------------
# Sending
# ----------------------------------------------------------------------------------------


class BaseHttpClient:
    """Everything about sending a request that is not I/O, shared by the sync and async clients."""

    def __init__(self, wrapper: BaseClientWrapper, raw: bool = False, streaming: bool = False) -> None:
        self._wrapper = wrapper
        self.raw = raw or streaming
        """Whether calls return the whole :class:`HttpResponse` (or :class:`StreamedResponse`) rather than its data."""
        self.streaming = streaming
        """Whether calls return a :class:`StreamedResponse`, the body not yet read (``with_streaming_response``)."""

    def build(
        self,
        client: typing.Union[httpx.Client, httpx.AsyncClient],
        request: Request[typing.Any],
        options: typing.Optional[RequestOptions],
        opened: typing.List[typing.IO[bytes]],
        placed: typing.Any = None,
    ) -> httpx.Request:
        """The ``httpx`` request for one attempt (files opened from paths are added to ``opened``).

        ``placed`` is what the endpoint's credentials add (headers, query parameters, cookies), if any.
        """
        endpoint = request.endpoint
        options = options or {}
        headers = self._wrapper.get_headers(auth=endpoint.auth)
        # The Cookie header's layers, later ones winning by name (see the module's docstring).
        cookies: _CookieLayers = [take_cookies(headers)]
        if isinstance(endpoint.response, EventStreamResponse):
            headers["Accept"] = "text/event-stream"  # an operation may answer with JSON or a stream
        elif isinstance(endpoint.response, JsonLinesResponse):
            headers["Accept"] = JsonLinesResponse.accept
        credential_query: typing.Tuple[typing.Tuple[str, str], ...] = ()
        if placed is not None:
            headers.update(placed.headers)
            cookies.append(take_cookies(headers))
            cookies.append(placed.cookie_pairs())
            credential_query = tuple(placed.query)
        content: typing.Dict[str, typing.Any] = {}
        if request.body is not None:
            content = request.body.encode(options.get("additional_body_parameters"), opened)
            headers.update(content.pop("headers", {}))
        if request.headers:
            headers.update(header_values(request.headers))
            cookies.append(take_cookies(headers))
        if request.cookies:
            cookies.append(cookie_pairs(request.cookies, endpoint.cookie_styles))
        if "additional_headers" in options:
            headers.update(header_values(options["additional_headers"]))
            cookies.append(take_cookies(headers))
        timeout = options.get("timeout_in_seconds", self._wrapper.timeout)
        base_url: str = getattr(self._wrapper.environment, endpoint.environment)
        # A query string in the described path (``/things?beta=true``) is sent before the parameters.
        path, _, fixed = request.path.partition("?")
        params = urllib.parse.parse_qsl(fixed, keep_blank_values=True)
        params += query_pairs(request.query, endpoint.query_styles, options.get("additional_query_parameters"))
        # An operation with servers of its own has an absolute URL for a path.
        url = path if path.startswith(("https://", "http://")) else base_url.rstrip("/") + path
        built = client.build_request(
            endpoint.method,
            url,
            params=tuple(params) + credential_query,
            headers=headers,
            timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
            **content,
        )
        own = [pair for layer in cookies for pair in layer]
        if own:
            # httpx wrote the cookies it keeps for the URL, if any: the SDK's pairs go over them.
            built.headers["Cookie"] = typing.cast(str, cookie_header(*_layers(built, cookies)))
            built.extensions[_OWN_COOKIES] = cookies  # a redirect within the origin sends them again
        return built

    def max_retries(self, options: typing.Optional[RequestOptions]) -> int:
        """The retries of one call: its ``max_retries`` option, else the client's."""
        default = self._wrapper.max_retries
        return (options or {}).get("max_retries", DEFAULT_MAX_RETRIES if default is None else default)

    @staticmethod
    def with_idempotency_key(request: Request[R], options: typing.Optional[RequestOptions]) -> Request[R]:
        """``request`` with a fresh idempotency key, when its endpoint takes one and the caller gave none."""
        name = request.endpoint.idempotency_header
        if name is None:
            return request
        given = {**(request.headers or {}), **((options or {}).get("additional_headers") or {})}
        if any(header.lower() == name.lower() and value is not None for header, value in given.items()):
            return request
        headers = {header: value for header, value in (request.headers or {}).items() if header.lower() != name.lower()}
        headers[name] = str(uuid.uuid4())
        return Request(request.endpoint, request.path, request.query, headers, request.body, request.cookies)

    @staticmethod
    def repeatable(request: Request[typing.Any], http_request: httpx.Request) -> bool:
        """Whether the server acting on ``request`` twice does no harm: an idempotent method or an idempotency key."""
        endpoint = request.endpoint
        if http_request.method in IDEMPOTENT_METHODS or endpoint.idempotency_header is not None or endpoint.retryable:
            return True
        return any(name.lower() in IDEMPOTENCY_HEADERS for name in http_request.headers)

    @staticmethod
    def retry_delay(
        attempt: int,
        repeatable: bool,
        response: typing.Optional[httpx.Response] = None,
        error: typing.Optional[Exception] = None,
    ) -> typing.Optional[float]:
        """Seconds to wait before the next attempt, or ``None`` when this one may not be retried.

        ``response`` is the error response, or ``error`` the transport failure, of the attempt;
        ``repeatable`` says whether the request may reach the server twice.
        """
        if response is not None:
            status = response.status_code
            if status not in ALWAYS_RETRIED_STATUSES and not (status >= 500 and repeatable):
                return None
            asked = _retry_after(response.headers)
            if asked is not None:
                return asked if asked <= MAX_RETRY_AFTER else None
        elif not isinstance(error, NOT_SENT_ERRORS) and not repeatable:
            return None
        backoff = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
        return backoff * (0.75 + random.random() / 4)

    def redirect(self, response: httpx.Response) -> typing.Optional[httpx.Request]:
        """The request a redirect response asks for, without the SDK's credentials if it leaves the origin.

        ``None`` when ``response`` is no redirect to follow.
        """
        following = response.next_request
        if following is None or not response.is_redirect:
            return None
        if _origin(following.url) != _origin(response.request.url):
            secret = CREDENTIAL_HEADERS | {name.lower() for name in self._wrapper.credential_headers()}
            for name in [name for name in following.headers if name.lower() in secret]:
                del following.headers[name]
        elif _OWN_COOKIES in following.extensions:
            # httpx left only the cookies it keeps for the new URL (as a browser does): the SDK's go over them.
            following.headers["Cookie"] = typing.cast(
                str, cookie_header(*_layers(following, following.extensions[_OWN_COOKIES]))
            )
        return following

    @staticmethod
    def error(request: Request[typing.Any], response: httpx.Response) -> ApiError:
        """The exception for an error response (its body already read): the declared class, else the
        class named for the status (``NotFoundError``...), else ``ApiError``."""
        headers = Headers(response.headers.items())
        errors, code = request.endpoint.errors, response.status_code
        # The exact status, then its range (4 for 4XX), then the operation's default.
        case = errors.get(code) or errors.get(code // 100) or errors.get(0)
        body = _error_body(response, case)
        if case is not None and case.ranged:
            return _ranged_class(case.exception, code)(body=body, headers=headers, status_code=code)
        if case is not None:
            return case.exception(body=body, headers=headers)
        return status_error_class(code)(status_code=code, headers=headers, body=body)

    @staticmethod
    def parse(request: Request[R], response: httpx.Response) -> R:
        """The data of a successful, fully read response."""
        parser = request.endpoint.response
        if isinstance(parser, (BinaryResponse, EventStreamResponse, JsonLinesResponse)):
            raise TypeError("a streamed response is read as it arrives, not parsed whole")
        try:
            return typing.cast(R, parser.parse(response))
        except ValueError as error:
            raise _malformed(response, response.text, error, getattr(parser, "type", None)) from error

    @staticmethod
    def transport_error(error: httpx.TransportError, attempts: int) -> ApiConnectionError:
        """The :class:`ApiConnectionError` (or ``ApiTimeoutError``) for ``error``, also of ``error``'s class,
        its message saying which request failed and how often it was tried."""
        try:
            request: typing.Optional[httpx.Request] = error.request
        except RuntimeError:
            request = None
        what = "timed out" if isinstance(error, httpx.TimeoutException) else "failed"
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        detail = str(error) or type(error).__name__
        target = f"{request.method} {shown_url(request.url)}" if request is not None else "the request"
        return connection_error_class(type(error))(f"{target} {what}{tries}: {detail}", request=request)

    def log_attempt(
        self,
        request: httpx.Request,
        attempt: int,
        started: float,
        response: typing.Optional[httpx.Response] = None,
        error: typing.Optional[Exception] = None,
    ) -> None:
        """One INFO line per attempt (see ``_logging``); at DEBUG, the request headers, credentials redacted."""
        if not logger.isEnabledFor(logging.INFO):
            return
        elapsed = (time.monotonic() - started) * 1000
        if response is not None:
            outcome = str(response.status_code)
            found = next((response.headers[name] for name in REQUEST_ID_HEADERS if name in response.headers), None)
        else:
            outcome, found = f"{type(error).__name__} {error}".strip(), None
        logger.info(
            "%s %s attempt %d: %s in %.0f ms%s",
            request.method,
            shown_url(request.url),
            attempt + 1,
            outcome,
            elapsed,
            f" (request id {found})" if found else "",
        )
        if logger.isEnabledFor(logging.DEBUG):
            secret = CREDENTIAL_HEADERS | {name.lower() for name in self._wrapper.credential_headers()}
            headers = {
                name: "[redacted]" if name.lower() in secret else value for name, value in request.headers.items()
            }
            logger.debug("%s %s request headers: %s", request.method, shown_url(request.url), headers)


class HttpClient(BaseHttpClient):
    """Sends requests with the client's ``httpx.Client``."""

    _wrapper: SyncClientWrapper

    def respond(self, request: Request[R], options: typing.Optional[RequestOptions] = None) -> HttpResponse[R]:
        """The response with its parsed data."""
        response = self._send(request, options, stream=False)
        return HttpResponse(response, self.parse(request, response))

    def send(self, request: Request[R], options: typing.Optional[RequestOptions] = None) -> R:
        """The response's data (with ``raw``, the :class:`HttpResponse`; ``streaming``, the :class:`StreamedResponse`)."""
        if self.raw:
            if self.streaming:
                return typing.cast(
                    R, self.open_streamed(request, options, lambda response: self.parse(request, response))
                )
            return typing.cast(R, self.respond(request, options))
        return self.parse(request, self._send(request, options, stream=False))

    def paginate(
        self, request: Request[R], pagination: Pagination[T, R], options: typing.Optional[RequestOptions] = None
    ) -> SyncPager[T, R]:
        """The first page, which fetches the next ones (with ``raw``, the :class:`HttpResponse` of the first)."""
        from .pagination import SyncPager

        if self.streaming:

            def first_page(response: httpx.Response) -> SyncPager[T, R]:
                return SyncPager(
                    self, request, pagination, HttpResponse(response, self.parse(request, response)), options
                )

            return typing.cast(SyncPager[T, R], self.open_streamed(request, options, first_page))
        first = self.respond(request, options)
        pager = SyncPager(self, request, pagination, first, options)
        return typing.cast(SyncPager[T, R], HttpResponse(first.http_response, pager)) if self.raw else pager

    def stream(self, request: Request[R], options: typing.Optional[RequestOptions] = None) -> typing.Iterator[R]:
        """The chunks or events of the response, as they arrive; the request is sent on the first ``next()``.

        With ``raw``, a context manager giving the :class:`HttpResponse` once the response has started;
        with ``streaming``, the :class:`StreamedResponse`.
        """
        if self.raw:
            if self.streaming:
                parser = typing.cast(
                    typing.Union[BinaryResponse, EventStreamResponse[R], JsonLinesResponse[R]],
                    request.endpoint.response,
                )
                opened = self.open_streamed(
                    request, options, lambda response: parser.chunks(response, options, self._wrapper.limits), True
                )
                return typing.cast(typing.Iterator[R], opened)
            return typing.cast(typing.Iterator[R], self.open_stream(request, options))
        return self._iterate(request, options)

    def download(self, request: Request[bytes], options: typing.Optional[RequestOptions] = None) -> BinaryStream:
        """:meth:`stream` for a binary response: a :class:`BinaryStream`, which can also write the bytes to a file."""
        if self.raw:
            return typing.cast(BinaryStream, self.stream(request, options))
        return BinaryStream(self._iterate(request, options))

    def _iterate(
        self, request: Request[R], options: typing.Optional[RequestOptions]
    ) -> typing.Generator[R, None, None]:
        with self.open_stream(request, options) as response:
            yield from response.data

    def open_streamed(
        self,
        request: Request[typing.Any],
        options: typing.Optional[RequestOptions],
        parse: typing.Callable[[httpx.Response], typing.Any],
        streamed: bool = False,
    ) -> StreamedResponse[typing.Any]:
        """The :class:`StreamedResponse` of ``request`` once the response has started (its body unread)."""
        return StreamedResponse(self._send(request, options, stream=True), parse, streamed, self._wrapper.limits)

    @contextlib.contextmanager
    def open_stream(
        self, request: Request[R], options: typing.Optional[RequestOptions] = None
    ) -> typing.Iterator[HttpResponse[typing.Iterator[R]]]:
        parser = typing.cast(
            typing.Union[BinaryResponse, EventStreamResponse[R], JsonLinesResponse[R]], request.endpoint.response
        )
        response = self._send(request, options, stream=True)
        try:
            chunks = parser.chunks(response, options, self._wrapper.limits)
            yield HttpResponse(response, typing.cast(typing.Iterator[R], chunks))
        finally:
            response.close()

    def _credentials(self, endpoint: Endpoint[typing.Any], client: httpx.Client) -> typing.Any:
        """What the endpoint's credentials add to a request: only APIs with security schemes have any."""
        if endpoint.security is None:
            return None
        credentials: typing.Any = getattr(self._wrapper, "credentials")
        return credentials.place(endpoint.security, client)

    def _send(
        self, request: Request[typing.Any], options: typing.Optional[RequestOptions], stream: bool
    ) -> httpx.Response:
        """The successful response (body not yet read when ``stream``), after retries; else raises."""
        client = self._wrapper.httpx_client
        max_retries = self.max_retries(options)
        request = self.with_idempotency_key(request, options)
        attempt = 0
        while True:
            opened: typing.List[typing.IO[bytes]] = []
            try:
                placed = self._credentials(request.endpoint, client)
                http_request = self.build(client, request, options, opened, placed)
                repeatable = self.repeatable(request, http_request)
                started = time.monotonic()
                try:
                    response = self._follow(client, http_request, stream=True)
                    if not stream:
                        self._wrapper.limits.read(response)
                except RETRY_ERRORS as error:
                    delay = self.retry_delay(attempt, repeatable, error=error) if attempt < max_retries else None
                    self.log_attempt(http_request, attempt, started, error=error)
                    if delay is None:
                        raise self.transport_error(error, attempt + 1) from error
                except httpx.TransportError as error:
                    self.log_attempt(http_request, attempt, started, error=error)
                    raise self.transport_error(error, attempt + 1) from error
                else:
                    self.log_attempt(http_request, attempt, started, response)
                    if response.is_success:
                        return response
                    delay = self.retry_delay(attempt, repeatable, response) if attempt < max_retries else None
                    if delay is None:
                        self._wrapper.limits.read(response)
                        response.close()
                        raise self.error(request, response)
                    response.close()
            finally:
                for handle in opened:
                    handle.close()
            time.sleep(delay)
            attempt += 1

    def _follow(self, client: httpx.Client, http_request: httpx.Request, stream: bool) -> httpx.Response:
        """The response to ``http_request``, its redirects followed when the client follows them."""
        response = client.send(http_request, stream=stream, follow_redirects=False)
        for _ in range(client.max_redirects if client.follow_redirects else 0):
            following = self.redirect(response)
            if following is None:
                return response
            response.close()
            response = client.send(following, stream=stream, follow_redirects=False)
        if client.follow_redirects and self.redirect(response) is not None:
            response.close()
            raise httpx.TooManyRedirects("too many redirects", request=response.request)
        return response


class AsyncHttpClient(BaseHttpClient):
    """Sends requests with the client's ``httpx.AsyncClient``."""

    _wrapper: AsyncClientWrapper

    async def respond(
        self, request: Request[R], options: typing.Optional[RequestOptions] = None
    ) -> AsyncHttpResponse[R]:
        """The response with its parsed data."""
        response = await self._send(request, options, stream=False)
        return AsyncHttpResponse(response, self.parse(request, response))

    async def send(self, request: Request[R], options: typing.Optional[RequestOptions] = None) -> R:
        """The response's data (with ``raw``, the :class:`AsyncHttpResponse`; ``streaming``, the
        :class:`AsyncStreamedResponse`)."""
        if self.raw:
            if self.streaming:
                opened = await self.open_streamed(request, options, lambda response: self.parse(request, response))
                return typing.cast(R, opened)
            return typing.cast(R, await self.respond(request, options))
        return self.parse(request, await self._send(request, options, stream=False))

    async def paginate(
        self, request: Request[R], pagination: Pagination[T, R], options: typing.Optional[RequestOptions] = None
    ) -> AsyncPager[T, R]:
        """The first page, which fetches the next ones (with ``raw``, the :class:`AsyncHttpResponse` of the first)."""
        from .pagination import AsyncPager

        if self.streaming:

            def first_page(response: httpx.Response) -> AsyncPager[T, R]:
                first = AsyncHttpResponse(response, self.parse(request, response))
                return AsyncPager(self, request, pagination, first, options)

            return typing.cast(AsyncPager[T, R], await self.open_streamed(request, options, first_page))
        first = await self.respond(request, options)
        pager = AsyncPager(self, request, pagination, first, options)
        return typing.cast(AsyncPager[T, R], AsyncHttpResponse(first.http_response, pager)) if self.raw else pager

    def stream(self, request: Request[R], options: typing.Optional[RequestOptions] = None) -> typing.AsyncIterator[R]:
        """The chunks or events of the response, as they arrive; the request is sent on the first ``anext()``.

        With ``raw``, an async context manager giving the :class:`AsyncHttpResponse` once the response has
        started; with ``streaming``, an awaitable of the :class:`AsyncStreamedResponse`.
        """
        if self.raw:
            if self.streaming:
                parser = typing.cast(
                    typing.Union[BinaryResponse, EventStreamResponse[R], JsonLinesResponse[R]],
                    request.endpoint.response,
                )
                opened = self.open_streamed(
                    request, options, lambda response: parser.achunks(response, options, self._wrapper.limits), True
                )
                return typing.cast(typing.AsyncIterator[R], opened)
            return typing.cast(typing.AsyncIterator[R], self.open_stream(request, options))
        return self._iterate(request, options)

    def download(self, request: Request[bytes], options: typing.Optional[RequestOptions] = None) -> AsyncBinaryStream:
        """:meth:`stream` for a binary response: an :class:`AsyncBinaryStream`, which can also write the bytes to a file."""
        if self.raw:
            return typing.cast(AsyncBinaryStream, self.stream(request, options))
        return AsyncBinaryStream(self._iterate(request, options))

    async def _iterate(
        self, request: Request[R], options: typing.Optional[RequestOptions]
    ) -> typing.AsyncGenerator[R, None]:
        async with self.open_stream(request, options) as response:
            async for chunk in response.data:
                yield chunk

    async def open_streamed(
        self,
        request: Request[typing.Any],
        options: typing.Optional[RequestOptions],
        parse: typing.Callable[[httpx.Response], typing.Any],
        streamed: bool = False,
    ) -> AsyncStreamedResponse[typing.Any]:
        """The :class:`AsyncStreamedResponse` of ``request`` once the response has started (its body unread)."""
        return AsyncStreamedResponse(
            await self._send(request, options, stream=True), parse, streamed, self._wrapper.limits
        )

    @contextlib.asynccontextmanager
    async def open_stream(
        self, request: Request[R], options: typing.Optional[RequestOptions] = None
    ) -> typing.AsyncIterator[AsyncHttpResponse[typing.AsyncIterator[R]]]:
        parser = typing.cast(
            typing.Union[BinaryResponse, EventStreamResponse[R], JsonLinesResponse[R]], request.endpoint.response
        )
        response = await self._send(request, options, stream=True)
        try:
            chunks = parser.achunks(response, options, self._wrapper.limits)
            yield AsyncHttpResponse(response, typing.cast(typing.AsyncIterator[R], chunks))
        finally:
            await response.aclose()

    async def _credentials(self, endpoint: Endpoint[typing.Any], client: httpx.AsyncClient) -> typing.Any:
        """What the endpoint's credentials add to a request: only APIs with security schemes have any."""
        if endpoint.security is None:
            return None
        credentials: typing.Any = getattr(self._wrapper, "credentials")
        return await credentials.aplace(endpoint.security, client)

    async def _send(
        self, request: Request[typing.Any], options: typing.Optional[RequestOptions], stream: bool
    ) -> httpx.Response:
        import asyncio

        client = self._wrapper.httpx_client
        max_retries = self.max_retries(options)
        request = self.with_idempotency_key(request, options)
        attempt = 0
        while True:
            opened: typing.List[typing.IO[bytes]] = []
            try:
                placed = await self._credentials(request.endpoint, client)
                http_request = self.build(client, request, options, opened, placed)
                repeatable = self.repeatable(request, http_request)
                started = time.monotonic()
                try:
                    response = await self._follow(client, http_request, stream=True)
                    if not stream:
                        await self._wrapper.limits.aread(response)
                except RETRY_ERRORS as error:
                    delay = self.retry_delay(attempt, repeatable, error=error) if attempt < max_retries else None
                    self.log_attempt(http_request, attempt, started, error=error)
                    if delay is None:
                        raise self.transport_error(error, attempt + 1) from error
                except httpx.TransportError as error:
                    self.log_attempt(http_request, attempt, started, error=error)
                    raise self.transport_error(error, attempt + 1) from error
                else:
                    self.log_attempt(http_request, attempt, started, response)
                    if response.is_success:
                        return response
                    delay = self.retry_delay(attempt, repeatable, response) if attempt < max_retries else None
                    if delay is None:
                        await self._wrapper.limits.aread(response)
                        await response.aclose()
                        raise self.error(request, response)
                    await response.aclose()
            finally:
                for handle in opened:
                    handle.close()
            await asyncio.sleep(delay)
            attempt += 1

    async def _follow(self, client: httpx.AsyncClient, http_request: httpx.Request, stream: bool) -> httpx.Response:
        """The response to ``http_request``, its redirects followed when the client follows them."""
        response = await client.send(http_request, stream=stream, follow_redirects=False)
        for _ in range(client.max_redirects if client.follow_redirects else 0):
            following = self.redirect(response)
            if following is None:
                return response
            await response.aclose()
            response = await client.send(following, stream=stream, follow_redirects=False)
        if client.follow_redirects and self.redirect(response) is not None:
            await response.aclose()
            raise httpx.TooManyRedirects("too many redirects", request=response.request)
        return response


def _retry_after(headers: httpx.Headers) -> typing.Optional[float]:
    """The wait a response asks for (``Retry-After`` in seconds or as an HTTP date, or ``retry-after-ms``)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _describe(response: httpx.Response) -> str:
    """``response to POST https://host/path`` (no query string: it may hold credentials)."""
    try:
        request = response.request
    except RuntimeError:
        return "response"
    return f"response to {request.method} {shown_url(request.url)}"


def _malformed(response: httpx.Response, body: str, error: ValueError, declared: typing.Any) -> MalformedResponseError:
    """The error for a successful response (or event) whose ``body`` is not of the ``declared`` type."""
    from ._tolerant import type_name as _type_name

    method = url = None
    try:
        method, url = response.request.method, shown_url(response.request.url)
    except RuntimeError:
        pass
    return MalformedResponseError(
        status_code=response.status_code,
        headers=Headers(response.headers.items()),
        body=body,
        reason=error,
        method=method,
        url=url,
        expected=_type_name(declared) if declared is not None else None,
    )


def _error_body(response: httpx.Response, case: typing.Optional[ErrorCase]) -> typing.Any:
    """The declared error model when the body parses as one, else the JSON, else the text."""
    content = response.content
    if case is not None and case.body is not None:
        try:
            return case.body.parse_json(content, response, "error ")
        except ValueError:
            pass
    try:
        return json.loads(content)
    except ValueError:
        return response.text


_RANGED_CLASSES: typing.Dict[typing.Tuple[type, int], typing.Callable[..., ApiError]] = {}


def _ranged_class(declared: typing.Callable[..., ApiError], status: int) -> typing.Callable[..., ApiError]:
    """``declared`` (the class of a status range or default) made also the class named for ``status``."""
    named = status_error_class(status)
    if not isinstance(declared, type) or issubclass(declared, named):
        return declared
    found = _RANGED_CLASSES.get((declared, status))
    if found is None:
        namespace = {
            "__module__": declared.__module__,
            "__qualname__": declared.__qualname__,
            "__doc__": declared.__doc__,
        }
        found = _RANGED_CLASSES[(declared, status)] = type(declared.__name__, (declared, named), namespace)
    return found


def _origin(url: httpx.URL) -> typing.Tuple[str, str, typing.Optional[int]]:
    return url.scheme, url.host, url.port


_OWN_COOKIES = "sdk_cookies"
"""The ``httpx.Request`` extension holding the layers of cookie pairs the SDK added: httpx copies a request's
extensions to the request of a redirect, and transports read only the extensions they know."""

_CookieLayers = typing.List[typing.List[typing.Tuple[str, str]]]


def _layers(request: httpx.Request, own: _CookieLayers) -> _CookieLayers:
    """The cookies ``httpx`` put on ``request`` from its cookie jar, under the SDK's own."""
    return [parse_cookie_header(request.headers.get("Cookie")), *own]


def _loads(text: str) -> typing.Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
