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
    """A successful response whose body is not what the API declares: not JSON, or JSON of another shape.

    ``body`` is the response text (for a server-sent event, the event's data); ``reason``
    the parsing error; ``method`` and ``url`` the request (without its query string);
    ``expected`` the name of the declared type. :attr:`problems` lists what failed where.
    Fields that merely deviate (missing, ``null``, of another type) do not raise this: they
    are read as ``None`` or as sent, and logged at DEBUG level.
    """

    MAX_PROBLEMS = 10
    """Problems listed in the message at most."""

    def __init__(
        self,
        status_code: typing.Optional[int] = None,
        headers: typing.Optional[typing.Dict[str, str]] = None,
        body: typing.Any = None,
        reason: typing.Optional[Exception] = None,
        method: typing.Optional[str] = None,
        url: typing.Optional[str] = None,
        expected: typing.Optional[str] = None,
    ) -> None:
        super().__init__(status_code=status_code, headers=headers, body=body)
        self.reason = reason
        self.method = method
        self.url = url
        self.expected = expected

    @property
    def problems(self) -> typing.List[typing.Tuple[str, str, typing.Any]]:
        """``(path, what was expected, value received)`` for each failure the parser reported."""
        errors = getattr(self.reason, "errors", None)
        if not callable(errors):
            return []
        try:
            found = errors(include_url=False, include_context=False)
        except TypeError:
            found = errors()
        return [
            (format_path(tuple(error.get("loc", ()))), str(error.get("msg", "")), _text(error.get("input")))
            for error in found
            if isinstance(error, dict)
        ]

    def __str__(self) -> str:
        request = f" of {self.method} {self.url}" if self.method and self.url else ""
        expected = f" (expected {self.expected})" if self.expected else ""
        lines = [f"status_code: {self.status_code}, malformed response body{request}{expected}:"]
        problems = self.problems
        for path, message, received in problems[: self.MAX_PROBLEMS]:
            lines.append(f"- {path}: {message.rstrip('.')}; received {shorten(received)}")
        if len(problems) > self.MAX_PROBLEMS:
            lines.append(f"- and {len(problems) - self.MAX_PROBLEMS} more")
        if not problems:
            lines.append("- " + (str(self.reason).splitlines()[0] if self.reason is not None else "unexpected content"))
        lines.append(f"body: {shorten(self.body, 200)}")
        return "\n".join(lines)


def format_path(path: typing.Sequence[typing.Any]) -> str:
    """``generations[0].snippets``: keys joined by dots, list indexes in brackets; ``(root)`` for none."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(root)"


def _text(value: typing.Any) -> typing.Any:
    """Bytes (a body that is not JSON) as text, anything else as it is."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def shorten(value: typing.Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
