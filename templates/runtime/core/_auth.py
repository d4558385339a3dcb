"""Credentials and where a request carries them: headers, query parameters, cookies.

Each credential the API declares (its ``securitySchemes``) is one object here, made by the
client from its constructor keywords (or their environment variables). An endpoint lists the
sets of schemes that satisfy it (``security``: any one set, all schemes of the set); the client
applies the first set whose credentials it has. No credential shows in a ``repr``, a log line
or an exception message.
"""

from __future__ import annotations

import base64
import threading
import time
import typing

import httpx

from .api_error import ApiError
from ._serialization import cookie_header, cookie_value

if typing.TYPE_CHECKING:
    import asyncio

__all__ = [
    "ApiKey",
    "Basic",
    "Bearer",
    "Credential",
    "Credentials",
    "OAuth2ClientCredentials",
    "Placement",
    "TokenSource",
]

TokenSource = typing.Union[str, typing.Callable[[], str], typing.Callable[[], typing.Awaitable[str]]]
"""A token, or a function returning one (sync or async): called before every request that needs it."""

Security = typing.Tuple[typing.Tuple[str, ...], ...]
"""Alternatives, each a set of scheme names that must all be sent: ``(("bearer",), ("api_key", "app_id"))``."""


class Placement:
    """What the credentials of one request add to it."""

    __slots__ = ("headers", "query", "cookies")

    def __init__(self) -> None:
        self.headers: typing.Dict[str, str] = {}
        self.query: typing.List[typing.Tuple[str, str]] = []
        self.cookies: typing.Dict[str, str] = {}

    def cookie_pairs(self) -> typing.List[typing.Tuple[str, str]]:
        """The cookies as (name, value) pairs, each value escaped as a cookie parameter's is."""
        return [(name, cookie_value(value)) for name, value in self.cookies.items()]

    def cookie_header(self) -> typing.Optional[str]:
        return cookie_header(self.cookie_pairs())


class Credential:
    """One credential; :meth:`apply` puts it on a request (sync), :meth:`aapply` in async code."""

    def apply(self, placement: Placement, client: typing.Optional[httpx.Client]) -> None:
        raise NotImplementedError

    async def aapply(self, placement: Placement, client: typing.Optional[httpx.AsyncClient]) -> None:
        self.apply(placement, None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<hidden>)"


class ApiKey(Credential):
    """An API key in a header, a query parameter or a cookie."""

    __slots__ = ("location", "name", "_value")

    def __init__(self, location: str, name: str, value: str) -> None:
        self.location = location
        self.name = name
        self._value = value

    def apply(self, placement: Placement, client: typing.Optional[httpx.Client]) -> None:
        if self.location == "query":
            placement.query.append((self.name, self._value))
        elif self.location == "cookie":
            placement.cookies[self.name] = self._value
        else:
            placement.headers[self.name] = self._value

    def __repr__(self) -> str:
        return f"ApiKey(location={self.location!r}, name={self.name!r}, value=<hidden>)"


class Bearer(Credential):
    """``Authorization: Bearer <token>``; the token may be a function, called before each request."""

    __slots__ = ("_token",)

    def __init__(self, token: TokenSource) -> None:
        self._token = token

    def apply(self, placement: Placement, client: typing.Optional[httpx.Client]) -> None:
        token = self._token() if callable(self._token) else self._token
        if hasattr(token, "__await__"):
            close = getattr(token, "close", None)
            if close is not None:
                close()  # a coroutine never awaited
            raise TypeError("an async token function needs the async client")
        placement.headers["Authorization"] = f"Bearer {token}"

    async def aapply(self, placement: Placement, client: typing.Optional[httpx.AsyncClient]) -> None:
        token: typing.Any = self._token() if callable(self._token) else self._token
        if hasattr(token, "__await__"):
            token = await token
        placement.headers["Authorization"] = f"Bearer {token}"


class Basic(Credential):
    """HTTP basic authentication."""

    __slots__ = ("_value",)

    def __init__(self, username: str, password: str) -> None:
        self._value = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")

    def apply(self, placement: Placement, client: typing.Optional[httpx.Client]) -> None:
        placement.headers["Authorization"] = f"Basic {self._value}"


class OAuth2ClientCredentials(Credential):
    """An OAuth2 access token from the client credentials grant: fetched from ``token_url`` on first
    use, kept, and fetched again shortly before it expires. One fetch at a time, across threads (sync)
    and across tasks (async)."""

    REFRESH_MARGIN = 30.0
    """Seconds before expiry at which the token is renewed (at most a tenth of its lifetime)."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, scopes: typing.Sequence[str] = ()) -> None:
        self.token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self.scopes = tuple(scopes)
        self._token: typing.Optional[str] = None
        self._renew_at = 0.0
        self._lock = threading.Lock()
        self._async_locks: typing.Dict[int, asyncio.Lock] = {}
        """One lock per event loop, made on first use there."""

    def _current(self) -> typing.Optional[str]:
        return self._token if self._token is not None and time.monotonic() < self._renew_at else None

    def _form(self) -> typing.Dict[str, str]:
        form = {"grant_type": "client_credentials"}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        return form

    def _keep(self, response: httpx.Response) -> str:
        if response.status_code >= 400:
            raise ApiError(
                status_code=response.status_code,
                headers=dict(response.headers),
                body=f"the token endpoint {self.token_url} refused the client credentials",
            )
        try:
            data = response.json()
            token = data["access_token"]
        except (ValueError, KeyError, TypeError):
            raise ApiError(
                status_code=response.status_code, body=f"the token endpoint {self.token_url} sent no access_token"
            ) from None
        lifetime = data.get("expires_in")
        now = time.monotonic()
        if isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool) and lifetime > 0:
            self._renew_at = now + lifetime - min(self.REFRESH_MARGIN, lifetime / 10)
        else:
            self._renew_at = float("inf")
        self._token = str(token)
        return self._token

    def apply(self, placement: Placement, client: typing.Optional[httpx.Client]) -> None:
        token = self._current()
        if token is None:
            with self._lock:
                token = self._current()
                if token is None:
                    owned = client is None
                    http = client or httpx.Client()
                    try:
                        response = http.post(
                            self.token_url, data=self._form(), auth=(self._client_id, self._client_secret)
                        )
                    finally:
                        if owned:
                            http.close()
                    token = self._keep(response)
        placement.headers["Authorization"] = f"Bearer {token}"

    async def aapply(self, placement: Placement, client: typing.Optional[httpx.AsyncClient]) -> None:
        token = self._current()
        if token is None:
            import asyncio

            loop = id(asyncio.get_running_loop())
            lock = self._async_locks.setdefault(loop, asyncio.Lock())
            async with lock:
                token = self._current()
                if token is None:
                    owned = client is None
                    http = client or httpx.AsyncClient()
                    try:
                        response = await http.post(
                            self.token_url, data=self._form(), auth=(self._client_id, self._client_secret)
                        )
                    finally:
                        if owned:
                            await http.aclose()
                    token = self._keep(response)
        placement.headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(token_url={self.token_url!r}, client_id=<hidden>, client_secret=<hidden>)"


class Credentials:
    """The credentials a client was given, by scheme name, and how to pick them for an endpoint."""

    __slots__ = ("_by_scheme", "_hints")

    def __init__(self, by_scheme: typing.Mapping[str, Credential], hints: typing.Mapping[str, str]) -> None:
        self._by_scheme = dict(by_scheme)
        self._hints = dict(hints)
        """For each scheme, how to give its credential (for the error when none was given)."""

    def choose(self, security: Security) -> typing.Tuple[Credential, ...]:
        """The credentials of the first alternative the client has all of.

        None for an endpoint that takes none (``()``), or that allows none (an empty alternative)
        when the client has no other alternative's credentials.
        """
        if not security:
            return ()
        for alternative in security:
            if alternative and all(name in self._by_scheme for name in alternative):
                return tuple(self._by_scheme[name] for name in alternative)
        if () in security:
            return ()
        wanted = " or ".join(
            " and ".join(self._hints.get(name, name) for name in alternative) for alternative in security
        )
        raise ApiError(body=f"this call needs credentials: {wanted}")

    def place(self, security: Security, client: typing.Optional[httpx.Client]) -> Placement:
        placement = Placement()
        for credential in self.choose(security):
            credential.apply(placement, client)
        return placement

    async def aplace(self, security: Security, client: typing.Optional[httpx.AsyncClient]) -> Placement:
        placement = Placement()
        for credential in self.choose(security):
            await credential.aapply(placement, client)
        return placement

    def header_names(self) -> typing.FrozenSet[str]:
        """The headers API keys go in; a redirect to another origin leaves them out (and ``Authorization``)."""
        return frozenset(
            credential.name
            for credential in self._by_scheme.values()
            if isinstance(credential, ApiKey) and credential.location == "header"
        )

    def __repr__(self) -> str:
        return f"Credentials(schemes={sorted(self._by_scheme)!r})"
