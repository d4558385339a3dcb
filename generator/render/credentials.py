"""The client's credentials (:attr:`generator.ir.Api.security_schemes`): its constructor keywords,
and what ``core/client_wrapper.py`` makes of them (``templates/macros/credentials.j2``).

One view for every API: the keywords are the same shape whatever the schemes. What the wrapper
does with them is one of two: the one API key header of :attr:`generator.ir.Api.api_key` is
required when the client is made and sent as a header (:class:`ApiKeyView`); any other schemes
become the runtime's ``_auth`` credentials, placed per request (the ``factory`` macro).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from typing_extensions import assert_never

from generator.ir import Api, SchemeKind, SecurityScheme
from generator.render.text import docstring_body, string_literal

__all__ = [
    "ApiKeyView",
    "CredentialsView",
    "KeywordView",
    "SchemeView",
    "credentials_view",
]

_SYNC_TOKEN = "typing.Union[str, typing.Callable[[], str]]"
_ASYNC_TOKEN = "typing.Union[str, typing.Callable[[], str], typing.Callable[[], typing.Awaitable[str]]]"

Runtime = Literal["ApiKey", "Bearer", "Basic", "OAuth2ClientCredentials"]
"""The runtime's ``_auth`` class a scheme becomes."""


def _runtime(kind: SchemeKind) -> Runtime:
    match kind:
        case "api_key":
            return "ApiKey"
        case "bearer" | "oauth2_token":
            return "Bearer"
        case "basic":
            return "Basic"
        case "oauth2_client_credentials":
            return "OAuth2ClientCredentials"
        case _:
            assert_never(kind)


def _takes_token(kind: SchemeKind) -> bool:
    """Whether the keyword takes a token or a function returning one (sync or async)."""
    return _runtime(kind) == "Bearer"


def _flows(scheme: SecurityScheme) -> str:
    """``the authorization code flow (https://...) or OpenID Connect (https://...)``."""
    told = [
        f"{what}{'' if what == 'OpenID Connect' else ' flow'}" + (f" ({url})" if url else "")
        for what, url in scheme.flows
    ]
    return " or ".join(told)


def _texts(scheme: SecurityScheme, sync: bool) -> tuple[str, ...]:
    """What each keyword of ``scheme`` is, in its order."""
    calls = f"called before each request{'' if sync else '; it may be async'}"
    match scheme.kind:
        case "api_key":
            return (f"API key for the {scheme.name} scheme, sent in the {scheme.location} {scheme.key_name!r}.",)
        case "bearer":
            return (f"Bearer token for the {scheme.name} scheme, or a function returning one ({calls}).",)
        case "basic":
            return (
                f"User name for HTTP basic authentication ({scheme.name} scheme).",
                f"Password for HTTP basic authentication ({scheme.name} scheme).",
            )
        case "oauth2_client_credentials":
            return (
                f"OAuth2 client ID ({scheme.name} scheme); the access token is fetched from {scheme.token_url}, "
                "kept and renewed before it expires.",
                f"OAuth2 client secret ({scheme.name} scheme).",
            )
        case "oauth2_token":
            return (
                f"OAuth2 access token for the {scheme.name} scheme, or a function returning one ({calls}); "
                f"bring your own: the SDK does not run the {_flows(scheme)} that gives it.",
            )
        case _:
            assert_never(scheme.kind)


@dataclass(frozen=True)
class KeywordView:
    """One constructor keyword: its annotations (sync and async client), docs and environment variable."""

    name: str
    sync_annotation: str
    async_annotation: str
    doc: str
    async_doc: str
    summary: str
    """What it is, in plain text (for the README)."""
    env_var: str | None
    env_literal: str | None


@dataclass(frozen=True)
class ApiKeyView:
    """The client's one API key header: what the wrapper checks and sends (string literals)."""

    param: str
    header: str
    env_var: str | None
    missing_message: str


@dataclass(frozen=True)
class SchemeView:
    runtime: Runtime
    """The runtime class the factory makes of it."""
    name: str
    """String literal of the scheme's name (what endpoints list)."""
    keywords: tuple[str, ...]
    location: str | None
    key_name: str | None
    token_url: str | None
    scopes: str | None
    """String literals, and the tuple literal of the scopes."""


@dataclass(frozen=True)
class CredentialsView:
    keywords: tuple[KeywordView, ...]
    api_key: ApiKeyView | None
    """The one API key header (:attr:`generator.ir.Api.api_key`); then there are no ``schemes``."""
    schemes: tuple[SchemeView, ...]
    hints: tuple[tuple[str, str], ...]
    """Scheme name literal -> literal of how to give its credential (for the error when none was given)."""
    base_url_key: str
    """The environment attribute a relative token URL is resolved against."""
    classes: tuple[str, ...]
    """The names the factory imports from the runtime's ``_auth``."""
    uses_token_url: bool
    uses_env: bool
    """Some keyword is read from an environment variable."""
    own_tokens: tuple[str, ...] = ()
    """The keywords that take an OAuth2 access token the user brings (the README says how)."""


def _summary(scheme: SecurityScheme, index: int, sync: bool) -> str:
    return _texts(scheme, sync)[index]


def _doc(scheme: SecurityScheme, index: int, sync: bool) -> str:
    text = (
        _summary(scheme, index, sync) + f" Read from the {scheme.env_vars[index]} environment variable when not given."
    )
    return docstring_body(text)


def _api_key(api: Api, key: SecurityScheme) -> CredentialsView:
    (param,), (env_var,) = key.params, key.env_vars
    where = f"pass {param}=... to {api.client}" + (f" or set the {env_var} environment variable" if env_var else "")
    doc = "Your API key." + (
        f" Read from the ``{docstring_body(env_var)}`` environment variable when not given." if env_var else ""
    )
    keyword = KeywordView(
        name=param,
        sync_annotation="typing.Optional[str]",
        async_annotation="typing.Optional[str]",
        doc=doc,
        async_doc=doc,
        summary="Your API key.",
        env_var=env_var,
        env_literal=string_literal(env_var) if env_var else None,
    )
    view = ApiKeyView(
        param=param,
        header=string_literal(key.key_name or ""),
        env_var=string_literal(env_var) if env_var else None,
        missing_message=string_literal(f"No API key: {where}."),
    )
    return CredentialsView((keyword,), view, (), (), api.url_keys[0], (), False, env_var is not None)


def credentials_view(api: Api) -> CredentialsView | None:
    if not api.security_schemes:
        return None
    if api.api_key is not None:
        return _api_key(api, api.api_key)
    keywords = []
    schemes = []
    hints = []
    for scheme in api.security_schemes:
        for index, (keyword, env_var) in enumerate(zip(scheme.params, scheme.env_vars)):
            token = _takes_token(scheme.kind)
            keywords.append(
                KeywordView(
                    name=keyword,
                    sync_annotation=f"typing.Optional[{_SYNC_TOKEN if token else 'str'}]",
                    async_annotation=f"typing.Optional[{_ASYNC_TOKEN if token else 'str'}]",
                    doc=_doc(scheme, index, sync=True),
                    async_doc=_doc(scheme, index, sync=False),
                    summary=_summary(scheme, index, sync=False),
                    env_var=env_var,
                    env_literal=string_literal(env_var) if env_var else None,
                )
            )
        schemes.append(
            SchemeView(
                runtime=_runtime(scheme.kind),
                name=string_literal(scheme.name),
                keywords=scheme.params,
                location=string_literal(scheme.location) if scheme.location else None,
                key_name=string_literal(scheme.key_name) if scheme.key_name else None,
                token_url=string_literal(scheme.token_url) if scheme.token_url else None,
                scopes="(" + "".join(f"{string_literal(s)}, " for s in scheme.scopes) + ")",
            )
        )
        given = " and ".join(f"{keyword}= (or {env})" for keyword, env in zip(scheme.params, scheme.env_vars))
        hints.append((string_literal(scheme.name), string_literal(given)))
    runtimes = {_runtime(scheme.kind) for scheme in api.security_schemes}
    return CredentialsView(
        tuple(keywords),
        None,
        tuple(schemes),
        tuple(hints),
        api.url_keys[0],
        tuple(sorted({"Credential", "Credentials", *runtimes})),
        "OAuth2ClientCredentials" in runtimes,
        any(keyword.env_var for keyword in keywords),
        tuple(s.params[0] for s in api.security_schemes if s.kind == "oauth2_token"),
    )
