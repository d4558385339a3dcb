"""The exception raised when the API answers with an error status."""

from __future__ import annotations

import typing


__all__ = ["ApiError", "MalformedResponseError"]


class ApiError(Exception):
    """The API answered with an error status (or the client could not be set up).

    ``status_code`` is the HTTP status (``None`` when no response was received),
    ``headers`` the response headers and ``body`` the response body: the declared error
    model when it parses, else the decoded JSON, else the text.
    """

    status_code: typing.Optional[int]
    headers: typing.Optional[typing.Dict[str, str]]
    body: typing.Any

    def __init__(
        self,
        status_code: typing.Optional[int] = None,
        headers: typing.Optional[typing.Dict[str, str]] = None,
        body: typing.Any = None,
    ) -> None:
        super().__init__(status_code, body)
        self.status_code = status_code
        self.headers = headers
        self.body = body

    def __str__(self) -> str:
        if self.status_code is None:
            return str(self.body)
        return f"status_code: {self.status_code}, body: {self.body}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, body={self.body!r})"


class MalformedResponseError(ApiError):
    """A successful response whose body is not what the API declares (not JSON, or not of the expected type).

    ``body`` is the response text; ``reason`` the parsing error.
    """

    def __init__(
        self,
        status_code: typing.Optional[int] = None,
        headers: typing.Optional[typing.Dict[str, str]] = None,
        body: typing.Any = None,
        reason: typing.Optional[Exception] = None,
    ) -> None:
        super().__init__(status_code=status_code, headers=headers, body=body)
        self.reason = reason

    def __str__(self) -> str:
        shown = self.body if not isinstance(self.body, str) or len(self.body) <= 200 else self.body[:200] + "..."
        first_line = str(self.reason).splitlines()[0] if self.reason is not None else "unexpected content"
        return f"status_code: {self.status_code}, malformed response body ({first_line}): {shown!r}"
