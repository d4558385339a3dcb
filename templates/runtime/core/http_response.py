"""What ``with_raw_response`` methods return: the parsed data with the HTTP status and headers."""

from __future__ import annotations

import typing

import httpx

from .api_error import Headers, request_id

if typing.TYPE_CHECKING:
    from typing_extensions import ParamSpec

    P = ParamSpec("P")

__all__ = ["AsyncHttpResponse", "HttpResponse", "async_raw", "async_raw_stream", "raw", "raw_stream"]


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
