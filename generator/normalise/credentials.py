"""The client's credentials: the settings' ``auth`` shorthand, or what the documents declare.

Every entry of ``securitySchemes`` that a security requirement names (all of them when none
does) becomes an :class:`~generator.ir.SecurityScheme` with its constructor keywords and
``<PACKAGE>_<KEYWORD>`` environment variables: API keys (header, query, cookie), HTTP bearer
and basic, OAuth2 client credentials (the SDK fetches the token), and an access token the user
brings for the other OAuth2 flows and OpenID Connect. The one API key header of an API that takes nothing else
is :attr:`generator.ir.Api.api_key`. A scheme the SDK cannot send gets a located warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator import naming
from generator.errors import Location, warn
from generator.headers import is_header_name, not_a_token
from generator.ir import SecurityScheme
from generator.normalise.nodes import Node, deref
from generator.settings import AuthSettings, Settings

if TYPE_CHECKING:
    from generator.load import LoadedSource

__all__ = ["Credentials", "credentials"]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _security_schemes(
    loaded: LoadedSource,
) -> list[tuple[str, dict[str, Any], Location]]:
    document = loaded.document
    components = _mapping(document.data.get("components") if isinstance(document.data, dict) else None)
    result = []
    for name, scheme in _mapping(components.get("securitySchemes")).items():
        pointer = f"/components/securitySchemes/{name}"
        value = deref(loaded.registry, Node(document, pointer, scheme)).value
        result.append((str(name), _mapping(value), document.location(pointer)))
    return result


_CONSTRUCTOR_KEYWORDS = frozenset(
    {
        "environment",
        "base_url",
        "headers",
        "timeout",
        "follow_redirects",
        "httpx_client",
        "self",
    }
)


def _requirements(sources: tuple[LoadedSource, ...]) -> list[list[str]]:
    """Every security requirement of the OpenAPI documents (root and operations), as lists of scheme names."""
    found: list[list[str]] = []

    def add(value: Any) -> None:
        for requirement in value if isinstance(value, list) else []:
            if isinstance(requirement, dict):
                found.append([str(name) for name in requirement])

    for loaded in sources:
        data = loaded.document.data
        if loaded.kind != "openapi" or not isinstance(data, dict):
            continue
        add(data.get("security"))
        for item in _mapping(data.get("paths")).values():
            for operation in _mapping(item).values():
                if isinstance(operation, dict):
                    add(operation.get("security"))
    return found


def _unsendable(scheme: dict[str, Any]) -> str | None:
    """Why an API key scheme cannot be sent at all (its header name is no HTTP token), or None."""
    name = scheme.get("name")
    if scheme.get("type") in ("apiKey", "httpApiKey") and scheme.get("in") == "header" and isinstance(name, str):
        return None if is_header_name(name) else not_a_token(name)
    return None


def _scheme(name: str, scheme: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The kind and details of a scheme the SDK generates, or None."""
    kind, location = scheme.get("type"), scheme.get("in")
    if kind in ("apiKey", "httpApiKey") and location in ("header", "query", "cookie"):
        if isinstance(scheme.get("name"), str):  # a header name that is no token: _unsendable, before
            return "api_key", {"location": location, "key_name": scheme["name"]}
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return "bearer", {}
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return "basic", {}
    if kind == "oauth2":
        flows = _mapping(scheme.get("flows"))
        flow = _mapping(flows.get("clientCredentials"))
        if isinstance(flow.get("tokenUrl"), str):
            return "oauth2_client_credentials", {
                "token_url": flow["tokenUrl"],
                "scopes": tuple(_mapping(flow.get("scopes"))),
            }
        user_flows = _user_flows(flows)
        if user_flows:
            scopes = {  # AsyncAPI 3 names them availableScopes
                scope: None
                for key, _, _ in user_flows
                for scope in _mapping(flows[key].get("scopes", flows[key].get("availableScopes")))
            }
            return "oauth2_token", {"flows": tuple((what, url) for _, what, url in user_flows), "scopes": tuple(scopes)}
    if kind == "openIdConnect":
        url = scheme.get("openIdConnectUrl")
        return "oauth2_token", {"flows": (("OpenID Connect", url if isinstance(url, str) else ""),)}
    return None


_USER_FLOWS = (
    ("authorizationCode", "authorization code", "authorizationUrl"),
    ("implicit", "implicit", "authorizationUrl"),
    ("password", "password", "tokenUrl"),
    ("deviceAuthorization", "device authorization", "deviceAuthorizationUrl"),
)
"""The OAuth2 flows that need the user (a browser, their password, a second device): the SDK does not
run them; the client takes the access token they give (and the URL where each starts, for the docs)."""


def _user_flows(flows: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(key, name, URL) of each OAuth2 flow in ``flows`` that the user runs."""
    found = []
    for key, what, url_key in _USER_FLOWS:
        flow = flows.get(key)
        if isinstance(flow, dict):
            url = flow.get(url_key)
            found.append((key, what, url if isinstance(url, str) else ""))
    return found


_KEYWORDS = {
    "api_key": ("api_key",),
    "bearer": ("token",),
    "basic": ("username", "password"),
    "oauth2_client_credentials": ("client_id", "client_secret"),
    "oauth2_token": ("access_token",),
}


@dataclass(frozen=True)
class Credentials:
    """The client's credentials: its schemes in constructor order, and the security of operations
    that declare none (when no document names a requirement)."""

    schemes: tuple[SecurityScheme, ...] = ()
    default_security: tuple[tuple[str, ...], ...] = ()


def credentials(settings: Settings, sources: tuple[LoadedSource, ...]) -> Credentials:
    """The settings' ``auth`` (one API key header, or none), else what the documents declare."""
    if settings.auth is False:
        return Credentials()
    if isinstance(settings.auth, AuthSettings):
        return Credentials((_shorthand(settings.auth, sources),))
    return _declared(sources, settings.package)


def _shorthand(auth: AuthSettings, sources: tuple[LoadedSource, ...]) -> SecurityScheme:
    """The settings' ``auth: {header, env_var, param}``: one API key header, a scheme like any other,
    named as the documents' scheme for that header (so operations' requirements name it), if any."""
    declared = (
        name
        for loaded in sources
        for name, scheme, _ in _security_schemes(loaded)
        if _scheme(name, scheme) == ("api_key", {"location": "header", "key_name": auth.header})
    )
    return SecurityScheme(
        name=next(declared, auth.param),
        kind="api_key",
        params=(auth.param,),
        env_vars=(auth.env_var,),
        location="header",
        key_name=auth.header,
    )


def _declared(sources: tuple[LoadedSource, ...], package: str) -> Credentials:
    """The credentials the documents declare, and the security of operations that declare none.

    Schemes no security requirement names are left out; each one the SDK cannot generate (mutual TLS,
    an HTTP scheme other than bearer and basic) gets a warning. When no operation
    names a requirement at all (a common omission), every declared scheme is taken as an alternative.
    """
    requirements = _requirements(sources)
    used = {name for requirement in requirements for name in requirement}
    assumed = not requirements
    declared: dict[str, tuple[str, dict[str, Any], str | None]] = {}
    socket_schemes: list[tuple[str, tuple[str, dict[str, Any]], str | None]] = []
    for loaded in sources:
        for name, scheme, where in _security_schemes(loaded):
            unsendable = _unsendable(scheme)
            if unsendable is not None:
                warn(f"security scheme {name!r} is not generated: {unsendable}; the SDK will not send it", where)
                continue
            if loaded.kind == "asyncapi":
                # the channels' servers name these; they join the client's schemes below
                found = _scheme(name, scheme)
                if found is not None:
                    socket_schemes.append((name, found, _text(scheme.get("description")) or None))
                continue
            if (name not in used and not assumed) or name in declared:
                continue
            found = _scheme(name, scheme)
            if found is None:
                described = f"{scheme.get('type')}" + (f" {scheme.get('scheme')}" if scheme.get("scheme") else "")
                warn(
                    f"security scheme {name!r} ({described}) is not generated: the SDK will not send it; "
                    "pass the credential in the client's headers= or in request_options",
                    where,
                )
                continue
            declared[name] = (
                found[0],
                found[1],
                _text(scheme.get("description")) or None,
            )

    def known(kind: str, details: dict[str, Any]) -> bool:
        return any(kind == other and details == other_details for other, other_details, _ in declared.values())

    # The channels' schemes join the client's unless the channels take a credential the REST API
    # takes too: then that one does for both (a channel's other alternatives are not needed).
    if not any(known(kind, details) for _, (kind, details), _ in socket_schemes):
        for name, (kind, details), description in socket_schemes:
            if not known(kind, details):
                declared[name if name not in declared else f"{name}_socket"] = (
                    kind,
                    details,
                    description,
                )
    prefix = package.split(".")[0].upper()
    if not declared:
        return Credentials()
    kinds = [kind for kind, _, _ in declared.values()]
    if len(declared) == 1 and kinds == ["api_key"]:
        (details,) = [details for _, details, _ in declared.values()]
        if details["location"] == "header":  # the client's one API key (see ir.Api.api_key)
            ((name, (_, _, description)),) = declared.items()
            key = SecurityScheme(
                name,
                "api_key",
                ("api_key",),
                (f"{prefix}_API_KEY",),
                description=description,
                **details,
            )
            return Credentials((key,))
    taken = set(_CONSTRUCTOR_KEYWORDS)
    schemes = []
    for name, (kind, details, description) in declared.items():
        keywords = _KEYWORDS[kind]
        if kinds.count(kind) > 1:  # several of a kind: the scheme's name tells them apart
            stem = naming.snake(name)
            marker = {"api_key": "key", "bearer": "token", "oauth2_token": "token"}.get(kind)
            if marker is not None and marker in stem.split("_"):
                keywords = (stem,)
            else:
                keywords = tuple(f"{stem}_{keyword}" for keyword in keywords)
        keywords = tuple(naming.dedupe(keywords, taken))
        taken.update(keywords)
        schemes.append(
            SecurityScheme(
                name=name,
                kind=kind,  # type: ignore[arg-type]
                params=keywords,
                env_vars=tuple(f"{prefix}_{keyword.upper()}" for keyword in keywords),
                description=description,
                **details,
            )
        )
    default: tuple[tuple[str, ...], ...] = ()
    if assumed:
        default = (*((scheme.name,) for scheme in schemes), ())
        warn(
            "no operation names a security requirement; the SDK sends the first of the declared schemes "
            f"({', '.join(scheme.name for scheme in schemes)}) the client has credentials for, else none "
            "(declare `security` in the document to say which operations take which)"
        )
    return Credentials(tuple(schemes), default)
