"""What ``with_raw_response`` and ``with_streaming_response`` methods return, and binary results.

- :class:`HttpResponse`: the parsed data with the HTTP status and headers (``with_raw_response``);
- :class:`StreamedResponse`: the status and headers at once, the body read only when asked
  (``with_streaming_response``, used in a ``with`` block that closes the connection);
- :class:`BinaryStream`: the bytes of a binary result as they arrive, or written to a file.
"""

from __future__ import annotations

import os
import typing

import httpx

from .api_error import Headers, request_id
from .limits import SizeLimits

if typing.TYPE_CHECKING:
    from typing_extensions import ParamSpec

    P = ParamSpec("P")

__all__ = [
    "AsyncBinaryStream",
    "AsyncHttpResponse",
    "AsyncStreamedResponse",
    "BinaryStream",
    "HttpResponse",
    "StreamedResponse",
    "async_raw",
    "async_raw_stream",
    "async_streamed",
    "async_streamed_stream",
    "raw",
    "raw_stream",
    "streamed",
]


T = typing.TypeVar("T")


class HttpResponse(typing.Generic[T]):
    """A response of the API: ``status_code``, ``headers`` and the parsed ``data``."""

    __slots__ = ("_response", "_data")

    def __init__(self, response: httpx.Response, data: T) -> None:
        self._response = response
        self._data = data

    @property
    def data(self) -> T:
        return self._data

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> typing.Dict[str, str]:
        """The response headers; their lookups ignore case."""
        return Headers(self._response.headers.items())

    @property
    def request_id(self) -> typing.Optional[str]:
        """The id the server gave the request (``x-request-id`` or ``request-id``), for support requests."""
        return request_id(self.headers)

    def parse(self) -> T:
        """The parsed data (the same as :attr:`data`)."""
        return self._data

    @property
    def http_response(self) -> httpx.Response:
        """The underlying ``httpx`` response."""
        return self._response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, data={self._data!r})"


class AsyncHttpResponse(HttpResponse[T]):
    """A response of the async client; ``data`` of a streamed response is read asynchronously."""

    __slots__ = ()


Path = typing.Union[str, "os.PathLike[str]"]


class _Streamed:
    """What the sync and async streamed responses share: the status and headers, there at once."""

    __slots__ = ("_response", "_parse", "_streamed", "_limits")

    def __init__(
        self,
        response: httpx.Response,
        parse: typing.Callable[[httpx.Response], typing.Any],
        streamed: bool,
        limits: SizeLimits,
    ) -> None:
        self._response = response
        self._limits = limits
        """The client's size limits: :meth:`parse` and :meth:`read` read the body whole within them."""
        self._parse = parse
        self._streamed = streamed
        """Whether ``parse`` reads the body as it arrives (chunks, events) rather than whole."""

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> typing.Dict[str, str]:
        """The response headers; their lookups ignore case."""
        return Headers(self._response.headers.items())

    @property
    def request_id(self) -> typing.Optional[str]:
        """The id the server gave the request (``x-request-id`` or ``request-id``), for support requests."""
        return request_id(self.headers)

    @property
    def http_response(self) -> httpx.Response:
        """The underlying ``httpx`` response (opened with ``stream=True``)."""
        return self._response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code})"


class StreamedResponse(_Streamed, typing.Generic[T]):
    """A response whose body has not been read: use it in a ``with`` block (which closes the
    connection), and read the body with one of :meth:`parse`, :meth:`iter_bytes`,
    :meth:`iter_lines`, :meth:`read` or :meth:`write_to_file`."""

    __slots__ = ()

    def parse(self) -> T:
        """The data, as the method without ``with_streaming_response`` returns it (reads the body, unless
        the method's result is itself read as it arrives)."""
        if not self._streamed:
            self._limits.read(self._response)
        return typing.cast(T, self._parse(self._response))

    def read(self) -> bytes:
        """The whole body, up to the client's ``max_response_size``."""
        return self._limits.read(self._response)

    def iter_bytes(self, chunk_size: typing.Optional[int] = None) -> typing.Iterator[bytes]:
        return self._response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: typing.Optional[int] = None) -> typing.Iterator[str]:
        return self._response.iter_text(chunk_size)

    def iter_lines(self) -> typing.Iterator[str]:
        return self._response.iter_lines()

    def write_to_file(self, path: Path) -> None:
        """Write the body to the file at ``path`` as it arrives."""
        with open(path, "wb") as file:
            for chunk in self._response.iter_bytes():
                file.write(chunk)

    def close(self) -> None:
        self._response.close()

    def __enter__(self) -> StreamedResponse[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._response.close()


class AsyncStreamedResponse(_Streamed, typing.Generic[T]):
    """:class:`StreamedResponse` of the async client: its reading methods are awaited or iterated with ``async for``."""

    __slots__ = ()

    async def parse(self) -> T:
        """The data, as the method without ``with_streaming_response`` returns it."""
        if not self._streamed:
            await self._limits.aread(self._response)
        return typing.cast(T, self._parse(self._response))

    async def read(self) -> bytes:
        """The whole body, up to the client's ``max_response_size``."""
        return await self._limits.aread(self._response)

    def iter_bytes(self, chunk_size: typing.Optional[int] = None) -> typing.AsyncIterator[bytes]:
        return self._response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: typing.Optional[int] = None) -> typing.AsyncIterator[str]:
        return self._response.aiter_text(chunk_size)

    def iter_lines(self) -> typing.AsyncIterator[str]:
        return self._response.aiter_lines()

    async def write_to_file(self, path: Path) -> None:
        """Write the body to the file at ``path`` as it arrives."""
        with open(path, "wb") as file:
            async for chunk in self._response.aiter_bytes():
                file.write(chunk)

    async def close(self) -> None:
        await self._response.aclose()


class AsyncStreamedOpening(typing.Generic[T]):
    """``async with`` this: sends the request, gives the :class:`AsyncStreamedResponse` once the
    response has started, and closes it on leaving the block."""

    __slots__ = ("_opening", "_response")

    def __init__(self, opening: typing.Awaitable[AsyncStreamedResponse[T]]) -> None:
        self._opening = opening
        self._response: typing.Optional[AsyncStreamedResponse[T]] = None

    async def __aenter__(self) -> AsyncStreamedResponse[T]:
        self._response = await self._opening
        return self._response

    async def __aexit__(self, *exc_info: object) -> None:
        if self._response is not None:
            await self._response.close()


class BinaryStream(typing.Iterator[bytes]):
    """The bytes of a binary result, as they arrive: iterate over it, or :meth:`write_to_file`.
    The request is sent when the first chunk is asked for."""

    __slots__ = ("_chunks",)

    def __init__(self, chunks: typing.Generator[bytes, None, None]) -> None:
        self._chunks = chunks

    def __iter__(self) -> BinaryStream:
        return self

    def __next__(self) -> bytes:
        return next(self._chunks)

    def write_to_file(self, path: Path) -> None:
        """Write the bytes to the file at ``path`` as they arrive."""
        with open(path, "wb") as file:
            for chunk in self._chunks:
                file.write(chunk)

    def close(self) -> None:
        """Stop reading (closes the connection)."""
        self._chunks.close()


class AsyncBinaryStream(typing.AsyncIterator[bytes]):
    """:class:`BinaryStream` of the async client: ``async for`` over it, or ``await`` :meth:`write_to_file`."""

    __slots__ = ("_chunks",)

    def __init__(self, chunks: typing.AsyncGenerator[bytes, None]) -> None:
        self._chunks = chunks

    def __aiter__(self) -> AsyncBinaryStream:
        return self

    async def __anext__(self) -> bytes:
        return await self._chunks.__anext__()

    async def write_to_file(self, path: Path) -> None:
        """Write the bytes to the file at ``path`` as they arrive."""
        with open(path, "wb") as file:
            async for chunk in self._chunks:
                file.write(chunk)

    async def aclose(self) -> None:
        """Stop reading (closes the connection)."""
        await self._chunks.aclose()


# ----------------------------------------------------------------------------------------
# ``with_raw_response``: the methods of a client whose HTTP client is ``raw``, typed as
# what they then return. Each function hands the method back as it is.
# ----------------------------------------------------------------------------------------


def raw(method: typing.Callable[P, T]) -> typing.Callable[P, HttpResponse[T]]:
    """A method that returns data (or a pager), typed as returning the :class:`HttpResponse`."""
    return typing.cast("typing.Callable[P, HttpResponse[T]]", method)


def raw_stream(
    method: typing.Callable[P, typing.Iterator[T]],
) -> typing.Callable[P, typing.ContextManager[HttpResponse[typing.Iterator[T]]]]:
    """A streaming method, typed as returning a context manager that gives the :class:`HttpResponse`."""
    return typing.cast("typing.Callable[P, typing.ContextManager[HttpResponse[typing.Iterator[T]]]]", method)


def async_raw(
    method: typing.Callable[P, typing.Coroutine[typing.Any, typing.Any, T]],
) -> typing.Callable[P, typing.Coroutine[typing.Any, typing.Any, AsyncHttpResponse[T]]]:
    """An async method that returns data (or a pager), typed as returning the :class:`AsyncHttpResponse`."""
    return typing.cast("typing.Callable[P, typing.Coroutine[typing.Any, typing.Any, AsyncHttpResponse[T]]]", method)


def async_raw_stream(
    method: typing.Callable[P, typing.AsyncIterator[T]],
) -> typing.Callable[P, typing.AsyncContextManager[AsyncHttpResponse[typing.AsyncIterator[T]]]]:
    """An async streaming method, typed as returning an async context manager that gives the response."""
    return typing.cast(
        "typing.Callable[P, typing.AsyncContextManager[AsyncHttpResponse[typing.AsyncIterator[T]]]]", method
    )


# ----------------------------------------------------------------------------------------
# ``with_streaming_response``: the methods of a client whose HTTP client is ``streaming``,
# typed as what they then return.
# ----------------------------------------------------------------------------------------


def streamed(method: typing.Callable[P, T]) -> typing.Callable[P, StreamedResponse[T]]:
    """A method, typed as returning the :class:`StreamedResponse` (a context manager) of its data."""
    return typing.cast("typing.Callable[P, StreamedResponse[T]]", method)


def async_streamed(
    method: typing.Callable[P, typing.Coroutine[typing.Any, typing.Any, T]],
) -> typing.Callable[P, typing.AsyncContextManager[AsyncStreamedResponse[T]]]:
    """An async method, as one giving its :class:`AsyncStreamedResponse` in an ``async with`` block."""

    def opening(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedOpening[T]:
        return AsyncStreamedOpening(typing.cast("typing.Awaitable[AsyncStreamedResponse[T]]", method(*args, **kwargs)))

    return opening


def async_streamed_stream(
    method: typing.Callable[P, typing.AsyncIterator[T]],
) -> typing.Callable[P, typing.AsyncContextManager[AsyncStreamedResponse[typing.AsyncIterator[T]]]]:
    """An async streaming method, as one giving its :class:`AsyncStreamedResponse` in an ``async with`` block."""

    def opening(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedOpening[typing.AsyncIterator[T]]:
        opened = typing.cast(
            "typing.Awaitable[AsyncStreamedResponse[typing.AsyncIterator[T]]]", method(*args, **kwargs)
        )
        return AsyncStreamedOpening(opened)

    return opening
