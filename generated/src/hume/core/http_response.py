"""What ``with_raw_response`` methods return: the parsed data with the HTTP status and headers."""

from __future__ import annotations

import typing

import httpx

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
        return dict(self._response.headers)

    @property
    def http_response(self) -> httpx.Response:
        """The underlying ``httpx`` response."""
        return self._response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, data={self._data!r})"


class AsyncHttpResponse(HttpResponse[T]):
    """A response of the async client; ``data`` of a streamed response is read asynchronously."""

    __slots__ = ()
