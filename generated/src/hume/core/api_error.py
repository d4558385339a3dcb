"""The exceptions the SDK raises: one for every way a call can fail.

- :class:`ApiError`: the base of them all. An error status raises the class named for it
  (``BadRequestError`` 400, ``UnauthorizedError`` 401, ``ForbiddenError`` 403,
  ``NotFoundError`` 404, ``ConflictError`` 409, ``UnprocessableEntityError`` 422,
  ``TooManyRequestsError`` 429, ``InternalServerError`` any 5xx, else ``ApiError``),
  whether the API declares the status or not; the classes it declares subclass these.
- :class:`ApiConnectionError`: no response came (the connection failed or dropped), and its
  subclass :class:`ApiTimeoutError`: the server took too long. Each is also the ``httpx``
  exception it stands for (``httpx.ConnectError``, ``httpx.ReadTimeout``...), so code that
  catches those keeps working.
- :class:`MalformedResponseError`: a successful response whose body is not what the API declares.
"""

from __future__ import annotations

import typing

from ._request_ids import REQUEST_ID_HEADERS

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiTimeoutError",
    "BadRequestError",
    "ConflictError",
    "ForbiddenError",
    "Headers",
    "InternalServerError",
    "InvalidRequestError",
    "MalformedResponseError",
    "NotFoundError",
    "REQUEST_ID_HEADERS",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "status_error_class",
]


class Headers(typing.Dict[str, str]):
    """Response headers: a ``dict`` whose lookups ignore case (``headers["x-request-id"]`` finds
    ``X-Request-Id``); iterating gives the names as the server wrote them."""

    __slots__ = ("_lower",)

    def __init__(
        self, items: typing.Union[typing.Mapping[str, str], typing.Iterable[typing.Tuple[str, str]]] = ()
    ) -> None:
        super().__init__(items)
        self._lower = {key.lower(): key for key in dict.keys(self)}

    def _key(self, key: object) -> object:
        return self._lower.get(key.lower(), key) if isinstance(key, str) else key

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(typing.cast(str, self._key(key)))

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self._key(key))

    def __setitem__(self, key: str, value: str) -> None:
        existing = self._lower.get(key.lower())
        if existing is not None and existing != key:
            super().__delitem__(existing)
        self._lower[key.lower()] = key
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        real = typing.cast(str, self._key(key))
        super().__delitem__(real)
        self._lower.pop(real.lower(), None)

    def get(self, key: str, default: typing.Any = None) -> typing.Any:
        return super().get(typing.cast(str, self._key(key)), default)

    def copy(self) -> Headers:
        return Headers(self)


def request_id(headers: typing.Optional[typing.Mapping[str, str]]) -> typing.Optional[str]:
    """The request id the server gave in ``headers`` (see :data:`REQUEST_ID_HEADERS`), if any."""
    if not headers:
        return None
    lowered = headers if isinstance(headers, Headers) else Headers(headers)
    for name in REQUEST_ID_HEADERS:
        value = lowered.get(name)
        if value:
            return str(value)
    return None


class ApiError(Exception):
    """The API answered with an error status, or no answer came (the client could not be set up,
    the connection failed).

    ``status_code`` is the HTTP status (``None`` when no response was received),
    ``headers`` the response headers (their lookups ignore case) and ``body`` the response
    body: the declared error model when it parses, else the decoded JSON, else the text.
    """

    status_code: typing.Optional[int]
    headers: typing.Optional[typing.Dict[str, str]]
    body: typing.Any

    def __init__(
        self,
        status_code: typing.Optional[int] = None,
        headers: typing.Optional[typing.Mapping[str, str]] = None,
        body: typing.Any = None,
    ) -> None:
        Exception.__init__(self, status_code, body)
        self.status_code = status_code
        self.headers = None if headers is None else headers if isinstance(headers, Headers) else Headers(headers)
        self.body = body

    @property
    def request_id(self) -> typing.Optional[str]:
        """The id the server gave the request (the first of :data:`REQUEST_ID_HEADERS` it sent), for support requests."""
        return request_id(self.headers)

    def __str__(self) -> str:
        if self.status_code is None:
            return str(self.body)
        return f"status_code: {self.status_code}, body: {self.body}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, body={self.body!r})"


class BadRequestError(ApiError):
    """The API answered 400 Bad Request."""


class UnauthorizedError(ApiError):
    """The API answered 401 Unauthorized: the credentials are missing or wrong."""


class ForbiddenError(ApiError):
    """The API answered 403 Forbidden."""


class NotFoundError(ApiError):
    """The API answered 404 Not Found."""


class ConflictError(ApiError):
    """The API answered 409 Conflict."""


class UnprocessableEntityError(ApiError):
    """The API answered 422 Unprocessable Entity."""


class TooManyRequestsError(ApiError):
    """The API answered 429 Too Many Requests (after the retries the client makes)."""


class InternalServerError(ApiError):
    """The API answered a 5xx status: the server failed."""


_STATUS_CLASSES: typing.Dict[int, typing.Type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: TooManyRequestsError,
}


def status_error_class(status: int) -> typing.Type[ApiError]:
    """The class named for ``status`` (``ApiError`` for a status without one)."""
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, ApiError)


class ApiConnectionError(ApiError):
    """No response came: the connection could not be made or dropped (after the retries the client makes).

    ``status_code`` is ``None``; the message names the request (method and URL, without the
    query string) and what went wrong. Raised as a class that is also the ``httpx`` exception
    it stands for (``httpx.ConnectError``, ``httpx.RemoteProtocolError``...).
    """

    def __init__(self, message: str, *, request: typing.Any = None) -> None:
        ApiError.__init__(self, body=message)
        if isinstance(self, _httpx().RequestError):
            # The httpx side: its message and ``request`` (the request that failed).
            _httpx().RequestError.__init__(self, message, request=request)

    def __str__(self) -> str:
        return str(self.body)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.body!r})"

    def __reduce__(self) -> typing.Tuple[typing.Any, ...]:
        error_class = _httpx_base(type(self))
        return (_rebuild, (error_class, type(self) if error_class is None else None, str(self.body)))


class ApiTimeoutError(ApiConnectionError):
    """The server did not answer in time (``timeout``); also an ``httpx.TimeoutException``."""


def _httpx() -> typing.Any:
    import httpx

    return httpx


def _httpx_base(cls: type) -> typing.Optional[type]:
    return next((base for base in cls.__mro__ if base.__module__.startswith("httpx")), None)


_CONNECTION_CLASSES: typing.Dict[type, typing.Type[ApiConnectionError]] = {}


def connection_error_class(error_class: type) -> typing.Type[ApiConnectionError]:
    """The SDK's class for the ``httpx`` transport error class ``error_class``: an
    :class:`ApiTimeoutError` (for timeouts) or :class:`ApiConnectionError` that is also an ``error_class``."""
    found = _CONNECTION_CLASSES.get(error_class)
    if found is None:
        base = ApiTimeoutError if issubclass(error_class, _httpx().TimeoutException) else ApiConnectionError
        namespace = {"__module__": __name__, "__qualname__": base.__name__, "__doc__": base.__doc__}
        found = _CONNECTION_CLASSES[error_class] = typing.cast(
            typing.Type[ApiConnectionError], type(base.__name__, (base, error_class), namespace)
        )
    return found


def _rebuild(error_class: typing.Optional[type], plain: typing.Optional[type], message: str) -> ApiConnectionError:
    """An unpickled connection error: of the SDK's class for ``error_class``, else of the class ``plain``."""
    cls = connection_error_class(error_class) if error_class is not None else plain
    return typing.cast(ApiConnectionError, typing.cast(type, cls)(message))


class InvalidRequestError(ValueError):
    """A dict given where a method takes a model does not fit the model: a required key is missing,
    a key is unknown (misspelt?) or a value is of the wrong type. Raised before anything is sent.

    ``problems`` lists ``(path, what is wrong)``, e.g. ``("utterances[0].txet", "unknown key")``.
    """

    def __init__(self, problems: typing.Sequence[typing.Tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("invalid request: " + "; ".join(f"{path}: {what}" for path, what in self.problems))


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
        headers: typing.Optional[typing.Mapping[str, str]] = None,
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
