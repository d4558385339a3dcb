"""Settings the user left out, derived from the loaded documents (zero-config).

Every key of ``sdkgen.yaml`` but ``sources`` may be left out; with loose description files
(``sdkgen generate api.yaml``) all of them are. What is derived, from the first source unless
said otherwise:

- ``title``: ``info.title``; ``package``: the words of the title that name the API, each in lower case
  ("API(s)", "The", possessives, "documentation", "reference"... dropped: ``naming.package_name``),
  else the first server host's name (``api.sentry.io`` -> ``sentry``);
  ``distribution``: the package with dashes; ``version``: ``info.version`` when it is a plain
  release number (``1.2.0``), else ``0.1.0``.
- ``client``: the title's naming words in PascalCase as spelled (``OpenAI``), or the package's when it is
  set, + ``Client`` (unless it ends so already); ``async_client``: ``Async`` + client;
  ``environment_class``: client + ``Environment``.
- ``environments``: every OpenAPI server is a named environment (its variables at their
  defaults), named after its description (``Production server`` -> ``production``), else
  ``production`` for the first. OpenAPI sources with the same server list share one URL key
  (``base`` for the first list, the file's name for others). Every AsyncAPI WebSocket server
  (2.x or 3.x) is a URL key of its own, its key snake_cased (``naming.url_key``: channels name
  their server), the same in every environment; servers of other protocols give none.
- ``auth``: the API key header declared in ``securitySchemes`` (``apiKey`` in ``header`` in
  OpenAPI, ``httpApiKey`` in AsyncAPI), with ``<PACKAGE>_API_KEY`` as its environment
  variable. Other schemes are not generated yet: each gets a warning.
- ``groups``: the descriptions of the documents' ``tags``, for the sub-clients they name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from generator import naming
from generator.errors import Location, SpecError, warn
from generator.ir import SecurityScheme
from generator.normalise.asyncapi import websocket_scheme
from generator.settings import AuthSettings, Draft, Settings

if TYPE_CHECKING:
    from generator.load import LoadedSource
    from generator.load.documents import Document

__all__ = ["complete", "derived_values", "package_name"]

_RELEASE = re.compile(r"^[0-9]+(\.[0-9]+){0,3}$")
_VARIABLE = re.compile(r"\{([^{}]*)\}")
_NAME_NOISE = {"server", "servers", "environment", "env", "api", "url", "base"}

Environments = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


def package_name(title: str) -> str:
    """``"Swagger Petstore API"`` -> ``petstore`` (:func:`generator.naming.package_name`)."""
    return naming.package_name(title)


def _server_urls(sources: tuple[LoadedSource, ...]) -> list[str]:
    """The servers' URLs (2.x ``url``, 3.x ``host``), first document first: the API's name when its title has none."""
    urls = []
    for loaded in sources:
        data = loaded.document.data
        servers = data.get("servers") if isinstance(data, dict) else None
        for server in servers if isinstance(servers, list) else _mapping(servers).values():
            server = _mapping(server)
            urls.append(_text(server.get("url")) or _text(server.get("host")))
    return urls


def complete(draft: Draft, sources: tuple[LoadedSource, ...]) -> tuple[Settings, tuple[LoadedSource, ...]]:
    """The full settings: the user's, and derived values for the keys left out.

    Also returns ``sources`` with each OpenAPI source's environment URL key filled in when the
    environments were derived.
    """
    reader = draft.reader()
    raw = draft.raw
    first = sources[0].document
    info = first.data.get("info") if isinstance(first.data, dict) else None
    info = info if isinstance(info, dict) else {}
    title = reader.text("title", _text(info.get("title")) or "API")
    package = reader.identifier("package", naming.package_name(title, _server_urls(sources)))
    stem = (
        naming.pascal(package.split(".")[-1]) if "package" in raw else naming.client_stem(title, _server_urls(sources))
    )
    client = reader.identifier("client", stem if stem.endswith("Client") else stem + "Client")
    if "environments" in raw:
        environments = reader.environments()
        keys: dict[int, str] = {}
    else:
        environments, keys = _environments(sources)
    url_keys = {key for key, _ in environments[0][1]}
    source_settings = []
    for index, (source, loaded) in enumerate(zip(draft.sources, sources)):
        if source.environment is not None and source.environment not in url_keys:
            raise SpecError(
                f"environment URL key {source.environment!r} is not one of {sorted(url_keys)}",
                draft.location(f"/sources/{index}/environment"),
            )
        environment = source.environment or keys.get(index)
        source_settings.append(replace(source, environment=environment))
    loaded_sources = tuple(replace(loaded, settings=s) for loaded, s in zip(sources, source_settings))
    default_environment = reader.text("default_environment", environments[0][0])
    if default_environment not in {name for name, _ in environments}:
        raise SpecError(f"unknown environment {default_environment!r}", draft.location("/default_environment"))
    schemes: tuple[SecurityScheme, ...] = ()
    default_security: tuple[tuple[str, ...], ...] = ()
    if "auth" in raw:
        auth = reader.auth()
    else:
        auth, schemes, default_security = _auth(sources, package)
    if "groups" in raw:
        groups, groups_derived = reader.groups(), False
    else:
        groups, groups_derived = _groups(sources), True
    settings = Settings(
        root=draft.root,
        package=package,
        distribution=reader.text("distribution", package.replace("_", "-").replace(".", "-")),
        version=reader.text("version", _version(info.get("version"))),
        title=title,
        client=client,
        async_client=reader.identifier("async_client", "Async" + client),
        environment_class=reader.identifier("environment_class", client + "Environment"),
        environments=environments,
        default_environment=default_environment,
        auth=auth,
        groups=groups,
        sources=tuple(source_settings),
        origin=draft.origin,
        groups_derived=groups_derived,
        security_schemes=schemes,
        default_security=default_security,
    )
    return settings, loaded_sources


def derived_values(settings: Settings) -> dict[str, Any]:
    """The settings as ``sdkgen.yaml`` spells them (what ``sdkgen init`` writes)."""
    values: dict[str, Any] = {
        "package": settings.package,
        "distribution": settings.distribution,
        "version": settings.version,
        "title": settings.title,
        "client": settings.client,
        "async_client": settings.async_client,
        "environment_class": settings.environment_class,
        "environments": {name: dict(urls) for name, urls in settings.environments},
        "default_environment": settings.default_environment,
        "auth": None
        if settings.auth is None
        else {"header": settings.auth.header, "env_var": settings.auth.env_var, "param": settings.auth.param},
        "groups": dict(settings.groups),
    }
    return values


# ---- helpers --------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _version(value: Any) -> str:
    text = _text(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else str(value)
    return text if _RELEASE.match(text) else "0.1.0"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _deref(
    document: Document, sources: tuple[LoadedSource, ...], value: Any, pointer: str
) -> tuple[Any, str, Document]:
    """Follow local and cross-file ``$ref``s (the loader has checked they resolve)."""
    registry = sources[0].registry
    seen = 0
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < 32:
        document, pointer, value = registry.resolve(value["$ref"], document, pointer)
        seen += 1
    return value, pointer, document


def _substitute(url: str, variables: dict[str, Any], document: Document, pointer: str) -> str:
    def default(match: re.Match[str]) -> str:
        variable = _mapping(variables.get(match.group(1)))
        value = variable.get("default")
        if value is None:
            raise SpecError(
                f"server variable {match.group(1)!r} has no default", document.location(f"{pointer}/variables")
            )
        return str(value)

    return _VARIABLE.sub(default, url)


def _server_name(description: str, url: str, index: int) -> str:
    parts = [part for part in naming.snake(description, empty="").split("_") if part] if description else []
    while parts and parts[-1] in _NAME_NOISE:
        parts.pop()
    if 1 <= len(parts) <= 3:
        return "_".join(parts)
    host = urlsplit(url).hostname or ""
    if host in ("localhost", "127.0.0.1", "::1"):
        return "local"
    if index == 0:
        return "production"
    label = host.split(".")[0] if host.count(".") >= 2 else ""
    if label and label not in ("api", "www") and naming.is_identifier(naming.snake(label)):
        return naming.snake(label)
    return f"server_{index + 1}"


def _openapi_servers(loaded: LoadedSource, sources: tuple[LoadedSource, ...]) -> list[tuple[str, str]]:
    """(name, absolute URL) of each server of an OpenAPI document."""
    document = loaded.document
    servers = document.data.get("servers") if isinstance(document.data, dict) else None
    if not isinstance(servers, list) or not servers:
        raise SpecError(
            "the document lists no servers, so sdkgen cannot tell the API's URL; add `servers` "
            "(or, in a specs folder, `environments` to sdkgen.yaml)",
            document.location(""),
        )
    result: list[tuple[str, str]] = []
    for index, server in enumerate(servers):
        pointer = f"/servers/{index}"
        server = _mapping(server)
        url = _substitute(_text(server.get("url")), _mapping(server.get("variables")), document, pointer)
        if not urlsplit(url).scheme or not urlsplit(url).netloc:
            raise SpecError(
                f"server URL {url!r} is not absolute, so sdkgen cannot tell the API's URL; give the server "
                "an absolute URL (an overlay can), or, in a specs folder, set `environments` in sdkgen.yaml",
                document.location(f"{pointer}/url"),
            )
        result.append((_server_name(_text(server.get("description")), url, index), url.rstrip("/")))
    names = naming.dedupe(name for name, _ in result)
    return [(name, url) for name, (_, url) in zip(names, result)]


def _asyncapi_servers(loaded: LoadedSource, sources: tuple[LoadedSource, ...]) -> list[tuple[str, str, Location]]:
    """(URL key, URL, where) of each WebSocket server of an AsyncAPI document (2.x ``url``, 3.x ``host`` and
    ``pathname``); servers of other protocols give no URL key (their channels are not generated)."""
    document = loaded.document
    servers = _mapping(document.data.get("servers") if isinstance(document.data, dict) else None)
    result = []
    for key, server in servers.items():
        pointer = f"/servers/{key}"
        server, at, where_doc = _deref(document, sources, server, pointer)
        server = _mapping(server)
        protocol = websocket_scheme(_text(server.get("protocol")) or "wss", _text(server.get("url")))
        if protocol is None:
            what = f"server {key!r} is on protocol {_text(server.get('protocol'))!r}, not WebSocket"
            warn(f"{what}: it gives no URL key, and its channels are not generated", where_doc.location(at))
            continue
        variables = _mapping(server.get("variables"))
        if "url" in server:  # 2.x
            url = _substitute(_text(server.get("url")), variables, where_doc, at)
            url = url if "://" in url else f"{protocol}://{url}"
        else:
            host = _substitute(_text(server.get("host")), variables, where_doc, at)
            path = _substitute(_text(server.get("pathname")), variables, where_doc, at)
            url = f"{protocol}://{host}{path}"
        result.append((naming.url_key(str(key)), url.rstrip("/"), document.location(pointer)))
    return result


def _environments(sources: tuple[LoadedSource, ...]) -> tuple[Environments, dict[int, str]]:
    """Environments from the documents' servers, and the URL key of each OpenAPI source (by index)."""
    lists: list[list[tuple[str, str]]] = []
    list_keys: list[str] = []
    list_of_source: dict[int, int] = {}
    for index, loaded in enumerate(sources):
        if loaded.kind != "openapi":
            continue
        servers = _openapi_servers(loaded, sources)
        if servers not in lists:
            lists.append(servers)
            stem = loaded.document.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            list_keys.append("base" if not list_keys else naming.snake(stem))
        list_of_source[index] = lists.index(servers)
    list_keys = naming.dedupe(list_keys)
    source_keys = {index: list_keys[position] for index, position in list_of_source.items()}
    socket_urls: dict[str, tuple[str, Location]] = {}
    for loaded in sources:
        if loaded.kind != "asyncapi":
            continue
        for key, url, where in _asyncapi_servers(loaded, sources):
            if key in list_keys:
                raise SpecError(f"server name {key!r} is already the URL key of REST servers; rename the server", where)
            known = socket_urls.setdefault(key, (url, where))
            if known[0] != url:
                raise SpecError(f"server {key!r} is also declared with another URL at {known[1]}", where)
    names: list[str] = []
    for servers in lists:
        names.extend(name for name, _ in servers if name not in names)
    if not names:
        names = ["production"]
    environments = []
    for name in names:
        urls = []
        for key, servers in zip(list_keys, lists):
            by_name = dict(servers)
            urls.append((key, by_name.get(name, servers[0][1])))
        urls.extend((key, url) for key, (url, _) in socket_urls.items())
        environments.append((name, tuple(urls)))
    if not environments[0][1]:
        raise SpecError(
            "the documents declare no server, so sdkgen cannot tell the API's URL; add `servers`",
            sources[0].document.location(""),
        )
    return tuple(environments), source_keys


def _security_schemes(
    loaded: LoadedSource, sources: tuple[LoadedSource, ...]
) -> list[tuple[str, dict[str, Any], Location]]:
    document = loaded.document
    components = _mapping(document.data.get("components") if isinstance(document.data, dict) else None)
    result = []
    for name, scheme in _mapping(components.get("securitySchemes")).items():
        pointer = f"/components/securitySchemes/{name}"
        value, _, _ = _deref(document, sources, scheme, pointer)
        result.append((str(name), _mapping(value), document.location(pointer)))
    return result


_CONSTRUCTOR_KEYWORDS = frozenset(
    {"environment", "base_url", "headers", "timeout", "follow_redirects", "httpx_client", "self"}
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


def _scheme(name: str, scheme: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The kind and details of a scheme the SDK generates, or None."""
    kind, location = scheme.get("type"), scheme.get("in")
    if kind in ("apiKey", "httpApiKey") and location in ("header", "query", "cookie"):
        if isinstance(scheme.get("name"), str):
            return "api_key", {"location": location, "key_name": scheme["name"]}
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return "bearer", {}
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return "basic", {}
    if kind == "oauth2":
        flow = _mapping(_mapping(scheme.get("flows")).get("clientCredentials"))
        if isinstance(flow.get("tokenUrl"), str):
            return "oauth2_client_credentials", {
                "token_url": flow["tokenUrl"],
                "scopes": tuple(_mapping(flow.get("scopes"))),
            }
    return None


_KEYWORDS = {
    "api_key": ("api_key",),
    "bearer": ("token",),
    "basic": ("username", "password"),
    "oauth2_client_credentials": ("client_id", "client_secret"),
}


def _auth(
    sources: tuple[LoadedSource, ...], package: str
) -> tuple[AuthSettings | None, tuple[SecurityScheme, ...], tuple[tuple[str, ...], ...]]:
    """The credentials the documents declare: one API key header (``auth``, the simple case) or schemes,
    and the security of operations that declare none.

    Schemes no security requirement names are left out; each one the SDK cannot generate (OpenID
    Connect, mutual TLS, OAuth2 flows other than client credentials) gets a warning. When no operation
    names a requirement at all (a common omission), every declared scheme is taken as an alternative.
    """
    requirements = _requirements(sources)
    used = {name for requirement in requirements for name in requirement}
    assumed = not requirements
    declared: dict[str, tuple[str, dict[str, Any], str | None]] = {}
    socket_schemes: list[tuple[str, tuple[str, dict[str, Any]], str | None]] = []
    for loaded in sources:
        for name, scheme, where in _security_schemes(loaded, sources):
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
            declared[name] = (found[0], found[1], _text(scheme.get("description")) or None)
    def known(kind: str, details: dict[str, Any]) -> bool:
        return any(kind == other and details == other_details for other, other_details, _ in declared.values())

    # The channels' schemes join the client's unless the channels take a credential the REST API
    # takes too: then that one does for both (a channel's other alternatives are not needed).
    if not any(known(kind, details) for _, (kind, details), _ in socket_schemes):
        for name, (kind, details), description in socket_schemes:
            if not known(kind, details):
                declared[name if name not in declared else f"{name}_socket"] = (kind, details, description)
    prefix = package.split(".")[0].upper()
    if not declared:
        return None, (), ()
    kinds = [kind for kind, _, _ in declared.values()]
    if len(declared) == 1 and kinds == ["api_key"]:
        (details,) = [details for _, details, _ in declared.values()]
        if details["location"] == "header":
            return AuthSettings(details["key_name"], f"{prefix}_API_KEY", "api_key"), (), ()
    taken = set(_CONSTRUCTOR_KEYWORDS)
    schemes = []
    for name, (kind, details, description) in declared.items():
        keywords = _KEYWORDS[kind]
        if kinds.count(kind) > 1:  # several of a kind: the scheme's name tells them apart
            stem = naming.snake(name)
            marker = {"api_key": "key", "bearer": "token"}.get(kind)
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
    return None, tuple(schemes), default


def _groups(sources: tuple[LoadedSource, ...]) -> tuple[tuple[str, str], ...]:
    """Descriptions of the sub-clients that OpenAPI tags name: the first paragraph of each tag's description."""
    from generator.normalise.openapi import tag_group

    found: dict[str, str] = {}
    for loaded in sources:
        if loaded.kind != "openapi" or not isinstance(loaded.document.data, dict):
            continue
        for tag in loaded.document.data.get("tags") or []:
            tag = _mapping(tag)
            name, description = _text(tag.get("name")), _text(tag.get("description"))
            group = tag_group(name, loaded.settings.module)
            if name and description and group:
                found.setdefault(".".join(group), description.split("\n\n")[0].strip())
    return tuple(sorted(found.items()))
