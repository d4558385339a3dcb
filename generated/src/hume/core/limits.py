"""How much a server may send: the size limits of a client, and the error past one.

A response body read whole (JSON, text, an error's body) may hold at most ``max_response_size``
bytes once decompressed; a line of a stream and a server-sent event at most ``max_line_size``.
Both are keywords of the client's constructor (``None``: no limit). Decompressed bytes are
counted as they arrive, so a small compressed body that inflates to gigabytes (or a body that
never ends) is stopped at the limit, and its connection closed.
"""

from __future__ import annotations

import typing

import httpx

from .api_error import ApiError

__all__ = ["DEFAULT_MAX_LINE_SIZE", "DEFAULT_MAX_RESPONSE_SIZE", "ResponseTooLargeError", "SizeLimits"]

DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024
"""Bytes of a decoded response body read whole: far above any JSON answer, far below what exhausts memory."""
DEFAULT_MAX_LINE_SIZE = 16 * 1024 * 1024
"""Bytes of one line or one server-sent event of a stream (as a WebSocket message's default limit)."""


class ResponseTooLargeError(ApiError):
    """The server sent more than the client accepts: ``what`` (a response body, a stream line or an
    event) went past ``limit`` bytes (the client's ``max_response_size`` or ``max_line_size``).
    ``method`` and ``url`` name the request (without its query string or credentials)."""

    def __init__(
        self,
        what: str,
        limit: int,
        status_code: typing.Optional[int] = None,
        headers: typing.Optional[typing.Dict[str, str]] = None,
        method: typing.Optional[str] = None,
        url: typing.Optional[str] = None,
    ) -> None:
        super().__init__(status_code=status_code, headers=headers)
        self.what = what
        self.limit = limit
        self.method = method
        self.url = url

    def __str__(self) -> str:
        request = f" of {self.method} {self.url}" if self.method and self.url else ""
        return f"the {self.what}{request} is larger than {self.limit:,} bytes; raise the client's limit to accept it"


class TooLong(Exception):
    """What a stream decoder raises past its limit; the HTTP client turns it into :class:`ResponseTooLargeError`."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(what, limit)
        self.what = what
        self.limit = limit


class SizeLimits(typing.NamedTuple):
    """The limits of one client (see the module's docstring). (A named tuple: a dataclass costs more to define.)"""

    max_response_size: typing.Optional[int] = DEFAULT_MAX_RESPONSE_SIZE
    max_line_size: typing.Optional[int] = DEFAULT_MAX_LINE_SIZE

    def read(self, response: httpx.Response) -> bytes:
        """Read the body of the streamed ``response`` as ``response.read()`` would, up to the limit."""
        if self.max_response_size is None:
            return response.read()
        chunks: typing.List[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_response_size:
                response.close()
                raise too_large(response, TooLong("response body", self.max_response_size))
        return _keep(response, b"".join(chunks))

    async def aread(self, response: httpx.Response) -> bytes:
        if self.max_response_size is None:
            return await response.aread()
        chunks: typing.List[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_response_size:
                await response.aclose()
                raise too_large(response, TooLong("response body", self.max_response_size))
        return _keep(response, b"".join(chunks))


def _keep(response: httpx.Response, body: bytes) -> bytes:
    """Store ``body`` where httpx keeps what ``read()`` read, so ``content``, ``text`` and ``json()`` work."""
    response._content = body
    return body


def too_large(response: httpx.Response, error: TooLong) -> ResponseTooLargeError:
    """The error for ``response`` past a limit, naming the request without query string or credentials."""
    from ._urls import shown_url

    method = url = None
    try:
        method, url = response.request.method, shown_url(response.request.url)
    except RuntimeError:
        pass
    return ResponseTooLargeError(error.what, error.limit, response.status_code, dict(response.headers), method, url)
