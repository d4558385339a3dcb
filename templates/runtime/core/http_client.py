"""Sending API requests: building them, retrying, parsing responses and mapping errors.

Each API operation is an :class:`Endpoint` (what never changes: method, environment
URL, how to parse the response, which exception each error status raises). A call of
it is a :class:`Request` (path, query, headers, body). :class:`HttpClient` and
:class:`AsyncHttpClient` send requests; all they do apart from I/O is shared in
:class:`BaseHttpClient`.

Failed attempts are retried (``max_retries``, default 2) when the server answers 408,
429 or 5xx, or when the connection fails; the delay doubles each time, with jitter,
unless the response says how long to wait (``Retry-After``).
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import random
import time
import typing

import httpx

from .api_error import ApiError, MalformedResponseError
from .file import Multipart
from .http_response import AsyncHttpResponse, HttpResponse
from .serialization import header_values, json_body, json_bytes, jsonable, query_pairs

if typing.TYPE_CHECKING:
    from .client_wrapper import AsyncClientWrapper, BaseClientWrapper, SyncClientWrapper
    from .pagination import AsyncPager, Pagination, SyncPager
    from .request_options import RequestOptions

R = typing.TypeVar("R")
T = typing.TypeVar("T")

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A server asking to wait longer than this (seconds) gets its error raised rather than waited for."""
RETRY_STATUSES = frozenset({408, 429})
RETRY_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
"""Transport failures worth another attempt: no connection, or the server dropped it."""

logger = logging.getLogger(__name__.rsplit(".", 2)[0])


# ----------------------------------------------------------------------------------------
# Responses: how an endpoint's successful response is read
# ----------------------------------------------------------------------------------------


class JsonResponse(typing.Generic[R]):
    """A JSON body, validated as ``type_`` (a model class or any type pydantic knows)."""

    streamed = False
    __slots__ = ("type", "_validate")

    def __init__(self, type_: typing.Any) -> None:
        self.type = type_
        self._validate: typing.Optional[typing.Callable[[typing.Union[str, bytes]], R]] = None

    def parse_json(self, content: typing.Union[str, bytes]) -> R:
        """Validate JSON text; raises ``ValueError`` when it is not JSON of the expected type."""
        validate = self._validate
        if validate is None:
            validate = self._validate = _json_validator(self.type)
        return validate(content if content.strip() else b"null")

    def parse(self, response: httpx.Response) -> R:
        return self.parse_json(response.content)


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


class EventStreamResponse(typing.Generic[R]):
    """Server-sent events; each event's data is JSON validated as ``type_``."""

    streamed = True
    __slots__ = ("json",)

    def __init__(self, type_: typing.Any) -> None:
        self.json: JsonResponse[R] = JsonResponse(type_)

    def events(self, response: httpx.Response) -> typing.Iterator[R]:
        """The events of ``response``, each parsed as soon as it has fully arrived."""
        from .sse import EventDecoder

        decoder = EventDecoder()
        for chunk in response.iter_bytes():
            for event in decoder.feed(chunk):
                yield self.parse_event(response, event.data)
        for event in decoder.close():
            yield self.parse_event(response, event.data)

    async def aevents(self, response: httpx.Response) -> typing.AsyncIterator[R]:
        from .sse import EventDecoder

        decoder = EventDecoder()
        async for chunk in response.aiter_bytes():
            for event in decoder.feed(chunk):
                yield self.parse_event(response, event.data)
        for event in decoder.close():
            yield self.parse_event(response, event.data)

    def parse_event(self, response: httpx.Response, data: str) -> R:
        try:
            return self.json.parse_json(data)
        except ValueError as error:
            raise MalformedResponseError(
                status_code=response.status_code, headers=dict(response.headers), body=data, reason=error
            ) from error


ResponseParser = typing.Union[JsonResponse[R], TextResponse, EmptyResponse, BinaryResponse, EventStreamResponse[R]]


class ErrorCase:
    """A declared error status: the exception class raised for it and the type of its body."""

    __slots__ = ("exception", "body")

    def __init__(self, exception: typing.Callable[..., ApiError], body: typing.Any = None) -> None:
        self.exception = exception
        self.body: typing.Optional[JsonResponse[typing.Any]] = JsonResponse(body) if body is not None else None


# ----------------------------------------------------------------------------------------
# Request bodies
# ----------------------------------------------------------------------------------------


class JsonObject:
    """A JSON object body from keyword arguments: ``None`` values are left out."""

    __slots__ = ("fields",)

    def __init__(self, fields: typing.Mapping[str, typing.Any]) -> None:
        self.fields = fields

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        return {"content": json_body(self.fields, extra), "headers": {"Content-Type": "application/json"}}


class JsonValue:
    """A JSON body that is one value (not built from keyword arguments)."""

    __slots__ = ("value",)

    def __init__(self, value: typing.Any) -> None:
        self.value = value

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        value = jsonable(self.value)
        if extra and isinstance(value, dict):
            value.update(jsonable(extra))
        return {"content": json_bytes(value), "headers": {"Content-Type": "application/json"}}


class Form:
    """An ``application/x-www-form-urlencoded`` body."""

    __slots__ = ("fields",)

    def __init__(self, fields: typing.Mapping[str, typing.Any]) -> None:
        self.fields = fields

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        data: typing.Dict[str, typing.List[str]] = {}
        for name, value in query_pairs(self.fields, extra):
            data.setdefault(name, []).append(value)
        return {"data": data}


class RawContent:
    """A body sent as it is: bytes, text or a binary file (read from where it stood at the first attempt)."""

    __slots__ = ("content", "content_type", "_start")

    def __init__(self, content: typing.Union[bytes, str, typing.IO[bytes]], content_type: str) -> None:
        self.content = content
        self.content_type = content_type
        self._start: typing.Optional[int] = None

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        content = self.content
        if not isinstance(content, (bytes, str)):
            if content.seekable():
                if self._start is None:
                    self._start = content.tell()
                content.seek(self._start)
            content = content.read()
        return {"content": content, "headers": {"Content-Type": self.content_type}}


Body = typing.Union[JsonObject, JsonValue, Multipart, Form, RawContent]


# ----------------------------------------------------------------------------------------
# Endpoints and requests
# ----------------------------------------------------------------------------------------


class Endpoint(typing.Generic[R]):
    """One API operation: what is the same for every call of it."""

    __slots__ = ("method", "environment", "response", "errors", "auth")

    def __init__(
        self,
        method: str,
        environment: str,
        response: ResponseParser[R],
        errors: typing.Optional[typing.Mapping[int, ErrorCase]] = None,
        auth: bool = True,
    ) -> None:
        self.method = method
        self.environment = environment
        """The attribute of the client's environment holding the base URL."""
        self.response = response
        self.errors = errors or {}
        self.auth = auth

    def request(
        self,
        path: str,
        *,
        query: typing.Optional[typing.Dict[str, typing.Any]] = None,
        headers: typing.Optional[typing.Dict[str, typing.Any]] = None,
        body: typing.Optional[Body] = None,
    ) -> Request[R]:
        return Request(self, path, query, headers, body)


class Request(typing.Generic[R]):
    """One call of an endpoint: path (parameters already encoded), query, headers and body."""

    __slots__ = ("endpoint", "path", "query", "headers", "body")

    def __init__(
        self,
        endpoint: Endpoint[R],
        path: str,
        query: typing.Optional[typing.Dict[str, typing.Any]] = None,
        headers: typing.Optional[typing.Dict[str, typing.Any]] = None,
        body: typing.Optional[Body] = None,
    ) -> None:
        self.endpoint = endpoint
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def with_query(self, name: str, value: typing.Any) -> Request[R]:
        """The same request with the query parameter ``name`` set to ``value`` (for the next page)."""
        return Request(self.endpoint, self.path, {**(self.query or {}), name: value}, self.headers, self.body)


# ----------------------------------------------------------------------------------------
# Sending
# ----------------------------------------------------------------------------------------


class BaseHttpClient:
    """Everything about sending a request that is not I/O, shared by the sync and async clients."""

    def __init__(self, wrapper: BaseClientWrapper) -> None:
        self._wrapper = wrapper

    def build(
        self,
        client: typing.Union[httpx.Client, httpx.AsyncClient],
        request: Request[typing.Any],
        options: typing.Optional[RequestOptions],
        opened: typing.List[typing.IO[bytes]],
    ) -> httpx.Request:
        """The ``httpx`` request for one attempt (files opened from paths are added to ``opened``)."""
        endpoint = request.endpoint
        options = options or {}
        headers = self._wrapper.get_headers(auth=endpoint.auth)
        content: typing.Dict[str, typing.Any] = {}
        if request.body is not None:
            content = request.body.encode(options.get("additional_body_parameters"), opened)
            headers.update(content.pop("headers", {}))
        if request.headers:
            headers.update(header_values(request.headers))
        if "additional_headers" in options:
            headers.update(header_values(options["additional_headers"]))
        timeout = options.get("timeout_in_seconds", self._wrapper.timeout)
        base_url: str = getattr(self._wrapper.environment, endpoint.environment)
        return client.build_request(
            endpoint.method,
            base_url.rstrip("/") + request.path,
            params=query_pairs(request.query, options.get("additional_query_parameters")),
            headers=headers,
            timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
            **content,
        )

    @staticmethod
    def max_retries(options: typing.Optional[RequestOptions]) -> int:
        return (options or {}).get("max_retries", DEFAULT_MAX_RETRIES)

    @staticmethod
    def retry_delay(attempt: int, response: typing.Optional[httpx.Response]) -> typing.Optional[float]:
        """Seconds to wait before the next attempt, or ``None`` when this one should not be retried.

        ``response`` is ``None`` when the attempt failed with a retryable transport error.
        """
        if response is not None:
            status = response.status_code
            if status not in RETRY_STATUSES and status < 500:
                return None
            asked = _retry_after(response.headers)
            if asked is not None:
                return asked if asked <= MAX_RETRY_AFTER else None
        backoff = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
        return backoff * (0.75 + random.random() / 4)

    @staticmethod
    def error(request: Request[typing.Any], response: httpx.Response) -> ApiError:
        """The exception for an error response (its body already read)."""
        headers = dict(response.headers)
        case = request.endpoint.errors.get(response.status_code)
        body = _error_body(response, case)
        if case is not None:
            return case.exception(body=body, headers=headers)
        return ApiError(status_code=response.status_code, headers=headers, body=body)

    @staticmethod
    def parse(request: Request[R], response: httpx.Response) -> R:
        """The data of a successful, fully read response."""
        parser = request.endpoint.response
        if isinstance(parser, (BinaryResponse, EventStreamResponse)):
            raise TypeError("a streamed response is read as it arrives, not parsed whole")
        try:
            return typing.cast(R, parser.parse(response))
        except ValueError as error:
            raise MalformedResponseError(
                status_code=response.status_code, headers=dict(response.headers), body=response.text, reason=error
            ) from error

    @staticmethod
    def transport_error(error: httpx.TransportError, attempts: int) -> httpx.TransportError:
        """``error`` again, its message saying which request failed and how often it was tried."""
        try:
            request = error.request
        except RuntimeError:
            return error
        what = "timed out" if isinstance(error, httpx.TimeoutException) else "failed"
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        detail = str(error) or type(error).__name__
        message = f"{request.method} {request.url.copy_with(query=None)} {what}{tries}: {detail}"
        return type(error)(message, request=request)

    @staticmethod
    def log_attempt(request: httpx.Request, attempt: int, outcome: str) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s (attempt %d): %s", request.method, request.url.copy_with(query=None), attempt + 1, outcome
            )


class HttpClient(BaseHttpClient):
    """Sends requests with the client's ``httpx.Client``."""

    _wrapper: SyncClientWrapper

    def send(self, request: Request[R], options: typing.Optional[RequestOptions] = None) -> HttpResponse[R]:
        response = self._send(request, options, stream=False)
        return HttpResponse(response, self.parse(request, response))

    @contextlib.contextmanager
    def stream_bytes(
        self, request: Request[bytes], options: typing.Optional[RequestOptions] = None
    ) -> typing.Iterator[HttpResponse[typing.Iterator[bytes]]]:
        response = self._send(request, options, stream=True)
        try:
            yield HttpResponse(response, response.iter_bytes((options or {}).get("chunk_size")))
        finally:
            response.close()

    @contextlib.contextmanager
    def stream_events(
        self, request: Request[R], options: typing.Optional[RequestOptions] = None
    ) -> typing.Iterator[HttpResponse[typing.Iterator[R]]]:
        parser = typing.cast(EventStreamResponse[R], request.endpoint.response)
        response = self._send(request, options, stream=True)
        try:
            yield HttpResponse(response, parser.events(response))
        finally:
            response.close()

    def paginate(
        self, request: Request[R], pagination: Pagination[T, R], options: typing.Optional[RequestOptions] = None
    ) -> HttpResponse[SyncPager[T, R]]:
        from .pagination import SyncPager

        first = self.send(request, options)
        return HttpResponse(first.http_response, SyncPager(self, request, pagination, first.data, options))

    def _send(
        self, request: Request[typing.Any], options: typing.Optional[RequestOptions], stream: bool
    ) -> httpx.Response:
        """The successful response (body not yet read when ``stream``), after retries; else raises."""
        client = self._wrapper.httpx_client
        max_retries = self.max_retries(options)
        attempt = 0
        while True:
            opened: typing.List[typing.IO[bytes]] = []
            try:
                http_request = self.build(client, request, options, opened)
                try:
                    response = client.send(http_request, stream=stream)
                except RETRY_ERRORS as error:
                    delay = self.retry_delay(attempt, None) if attempt < max_retries else None
                    self.log_attempt(http_request, attempt, repr(error))
                    if delay is None:
                        raise self.transport_error(error, attempt + 1) from error
                except httpx.TransportError as error:
                    raise self.transport_error(error, attempt + 1) from error
                else:
                    self.log_attempt(http_request, attempt, str(response.status_code))
                    if response.is_success:
                        return response
                    delay = self.retry_delay(attempt, response) if attempt < max_retries else None
                    if delay is None:
                        response.read()
                        response.close()
                        raise self.error(request, response)
                    response.close()
            finally:
                for handle in opened:
                    handle.close()
            time.sleep(delay)
            attempt += 1


class AsyncHttpClient(BaseHttpClient):
    """Sends requests with the client's ``httpx.AsyncClient``."""

    _wrapper: AsyncClientWrapper

    async def send(self, request: Request[R], options: typing.Optional[RequestOptions] = None) -> AsyncHttpResponse[R]:
        response = await self._send(request, options, stream=False)
        return AsyncHttpResponse(response, self.parse(request, response))

    @contextlib.asynccontextmanager
    async def stream_bytes(
        self, request: Request[bytes], options: typing.Optional[RequestOptions] = None
    ) -> typing.AsyncIterator[AsyncHttpResponse[typing.AsyncIterator[bytes]]]:
        response = await self._send(request, options, stream=True)
        try:
            yield AsyncHttpResponse(response, response.aiter_bytes((options or {}).get("chunk_size")))
        finally:
            await response.aclose()

    @contextlib.asynccontextmanager
    async def stream_events(
        self, request: Request[R], options: typing.Optional[RequestOptions] = None
    ) -> typing.AsyncIterator[AsyncHttpResponse[typing.AsyncIterator[R]]]:
        parser = typing.cast(EventStreamResponse[R], request.endpoint.response)
        response = await self._send(request, options, stream=True)
        try:
            yield AsyncHttpResponse(response, parser.aevents(response))
        finally:
            await response.aclose()

    async def paginate(
        self, request: Request[R], pagination: Pagination[T, R], options: typing.Optional[RequestOptions] = None
    ) -> AsyncHttpResponse[AsyncPager[T, R]]:
        from .pagination import AsyncPager

        first = await self.send(request, options)
        return AsyncHttpResponse(first.http_response, AsyncPager(self, request, pagination, first.data, options))

    async def _send(
        self, request: Request[typing.Any], options: typing.Optional[RequestOptions], stream: bool
    ) -> httpx.Response:
        import asyncio

        client = self._wrapper.httpx_client
        max_retries = self.max_retries(options)
        attempt = 0
        while True:
            opened: typing.List[typing.IO[bytes]] = []
            try:
                http_request = self.build(client, request, options, opened)
                try:
                    response = await client.send(http_request, stream=stream)
                except RETRY_ERRORS as error:
                    delay = self.retry_delay(attempt, None) if attempt < max_retries else None
                    self.log_attempt(http_request, attempt, repr(error))
                    if delay is None:
                        raise self.transport_error(error, attempt + 1) from error
                except httpx.TransportError as error:
                    raise self.transport_error(error, attempt + 1) from error
                else:
                    self.log_attempt(http_request, attempt, str(response.status_code))
                    if response.is_success:
                        return response
                    delay = self.retry_delay(attempt, response) if attempt < max_retries else None
                    if delay is None:
                        await response.aread()
                        await response.aclose()
                        raise self.error(request, response)
                    await response.aclose()
            finally:
                for handle in opened:
                    handle.close()
            await asyncio.sleep(delay)
            attempt += 1


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


def _error_body(response: httpx.Response, case: typing.Optional[ErrorCase]) -> typing.Any:
    """The declared error model when the body parses as one, else the JSON, else the text."""
    content = response.content
    if case is not None and case.body is not None:
        try:
            return case.body.parse_json(content)
        except ValueError:
            pass
    try:
        return json.loads(content)
    except ValueError:
        return response.text
