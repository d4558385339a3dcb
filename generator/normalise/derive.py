"""What the user left out of the settings, read from the loaded documents (zero-config).

Every key of ``sdkgen.yaml`` but ``sources`` may be left out; with loose description files
(``sdkgen generate api.yaml``) all of them are. :func:`complete` fills in the names and the
environments (what the readers of the normalise stage need before they start); the credentials
(:mod:`generator.normalise.credentials`) and the group descriptions (:func:`groups`) are facts
about the API that :func:`generator.normalise.normalise` reads itself, so
:class:`~generator.settings.Settings` holds only what the user wrote there. What is derived, from the first source unless said
otherwise:

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
- credentials, unless ``auth`` is set: see :mod:`generator.normalise.credentials`.
- ``groups``: the descriptions of the documents' ``tags``, for the sub-clients they name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from generator import naming
from generator.errors import Location, SpecError, warn
from generator.normalise.asyncapi import websocket_scheme
from generator.normalise.nodes import Node, deref
from generator.normalise.openapi import tag_group
from generator.settings import REST_URL_KEY, Draft, Settings

if TYPE_CHECKING:
    from generator.load import LoadedSource
    from generator.load.documents import Document

__all__ = ["complete", "groups", "package_name"]

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
    url_keys = {key for key, _ in environments[0][1]} if environments else {REST_URL_KEY}
    source_settings = []
    for index, source in enumerate(draft.sources):
        if source.environment is not None and source.environment not in url_keys:
            raise SpecError(
                f"environment URL key {source.environment!r} is not one of {sorted(url_keys)}",
                draft.location(f"/sources/{index}/environment"),
            )
        environment = source.environment or keys.get(index)
        source_settings.append(replace(source, environment=environment))
    loaded_sources = tuple(replace(loaded, settings=s) for loaded, s in zip(sources, source_settings))
    default_environment = reader.text("default_environment", environments[0][0]) if environments else None
    if environments and default_environment not in {name for name, _ in environments}:
        raise SpecError(
            f"unknown environment {default_environment!r}",
            draft.location("/default_environment"),
        )
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
        auth=(reader.auth() or False) if "auth" in raw else None,
        groups=reader.groups() if "groups" in raw else None,
        sources=tuple(source_settings),
        origin=draft.origin,
        request_id_headers=reader.header_names("request_id_headers"),
    )
    return settings, loaded_sources


# ---- helpers --------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _version(value: Any) -> str:
    text = _text(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else str(value)
    return text if _RELEASE.match(text) else "0.1.0"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _substitute(url: str, variables: dict[str, Any], document: Document, pointer: str) -> str | None:
    """``url`` with its variables at their defaults; ``None`` (with a warning: the server is left out)
    when one has no default."""
    missing = [name for name in _VARIABLE.findall(url) if _mapping(variables.get(name)).get("default") is None]
    if missing:
        warn(
            f"server variable {missing[0]!r} has no default, so sdkgen cannot tell the server's URL; this server "
            "is left out (give the variable a default, an overlay can)",
            document.location(f"{pointer}/variables"),
        )
        return None
    return _VARIABLE.sub(lambda match: str(_mapping(variables.get(match.group(1))).get("default")), url)


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


def _openapi_servers(loaded: LoadedSource) -> list[tuple[str, str]]:
    """(name, absolute URL) of each server of an OpenAPI document.

    A server whose URL sdkgen cannot tell (relative to wherever the description is served, a
    placeholder, a variable without a default) is left out with a warning; with none left, the
    client takes the API's URL as its ``base_url`` (see :func:`_environments`). A URL without a
    scheme (``//api.example.com``) is taken as ``https``, with a warning."""
    document = loaded.document
    servers = document.data.get("servers") if isinstance(document.data, dict) else None
    if not isinstance(servers, list) or not servers:
        return []  # the client takes its base_url (see _environments)
    result: list[tuple[str, str]] = []
    for index, server in enumerate(servers):
        pointer = f"/servers/{index}"
        server = _mapping(server)
        where = document.location(f"{pointer}/url")
        url = _substitute(_text(server.get("url")), _mapping(server.get("variables")), document, pointer)
        if url is None:
            continue
        if url.startswith("//"):
            warn(f"server URL {url!r} names no scheme; https is assumed", where)
            url = "https:" + url
        if not urlsplit(url).scheme or not urlsplit(url).netloc:
            warn(
                f"server URL {url!r} is not absolute, so sdkgen cannot tell where it is; this server is left out", where
            )
            continue
        result.append(
            (
                _server_name(_text(server.get("x-fern-server-name")) or _text(server.get("description")), url, index),
                url.rstrip("/"),
            )
        )
    if not result:
        warn(
            "no server URL of the document is absolute, so the client takes the API's URL as base_url=... "
            "(or, in a specs folder, set `environments` in sdkgen.yaml)",
            document.location("/servers"),
        )
    names = naming.dedupe(name for name, _ in result)
    return [(name, url) for name, (_, url) in zip(names, result)]


def _asyncapi_servers(loaded: LoadedSource) -> list[tuple[str, str, Location]]:
    """(URL key, URL, where) of each WebSocket server of an AsyncAPI document (2.x ``url``, 3.x ``host`` and
    ``pathname``); servers of other protocols give no URL key (their channels are not generated)."""
    document = loaded.document
    servers = _mapping(document.data.get("servers") if isinstance(document.data, dict) else None)
    result = []
    for key, server in servers.items():
        pointer = f"/servers/{key}"
        found = deref(loaded.registry, Node(document, pointer, server))
        server, at, where_doc = _mapping(found.value), found.pointer, found.doc
        protocol = websocket_scheme(_text(server.get("protocol")) or "wss", _text(server.get("url")))
        if protocol is None:
            what = f"server {key!r} is on protocol {_text(server.get('protocol'))!r}, not WebSocket"
            warn(f"{what}: it gives no URL key, and its channels are not generated", where_doc.location(at))
            continue
        variables = _mapping(server.get("variables"))
        if "url" in server:  # 2.x
            url = _substitute(_text(server.get("url")), variables, where_doc, at)
            if url is None:
                continue
            url = url if "://" in url else f"{protocol}://{url}"
        else:
            host = _substitute(_text(server.get("host")), variables, where_doc, at)
            path = _substitute(_text(server.get("pathname")), variables, where_doc, at)
            if host is None or path is None:
                continue
            url = f"{protocol}://{host}{path}"
        result.append((naming.url_key(str(key)), url.rstrip("/"), document.location(pointer)))
    return result


def _environments(
    sources: tuple[LoadedSource, ...],
) -> tuple[Environments, dict[int, str]]:
    """Environments from the documents' servers, and the URL key of each OpenAPI source (by index)."""
    lists: list[list[tuple[str, str]]] = []
    list_keys: list[str] = []
    list_of_source: dict[int, int] = {}
    for index, loaded in enumerate(sources):
        if loaded.kind != "openapi":
            continue
        servers = _openapi_servers(loaded)
        if servers not in lists:
            lists.append(servers)
            stem = loaded.document.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            list_keys.append(REST_URL_KEY if not list_keys else naming.snake(stem))
        list_of_source[index] = lists.index(servers)
    list_keys = naming.dedupe(list_keys)
    source_keys = {index: list_keys[position] for index, position in list_of_source.items()}
    socket_urls: dict[str, tuple[str, Location]] = {}
    for loaded in sources:
        if loaded.kind != "asyncapi":
            continue
        for key, url, where in _asyncapi_servers(loaded):
            if key in list_keys:
                raise SpecError(
                    f"server name {key!r} is already the URL key of REST servers; rename the server",
                    where,
                )
            known = socket_urls.setdefault(key, (url, where))
            if known[0] != url:
                raise SpecError(
                    f"server {key!r} is also declared with another URL at {known[1]}",
                    where,
                )
    if [] in lists and (len(lists) > 1 or socket_urls):
        without = next(index for index, position in list_of_source.items() if not lists[position])
        raise SpecError(
            "the document lists no servers, while other documents do, so sdkgen cannot tell its URL; add "
            "`servers` (or, in a specs folder, `environments` to sdkgen.yaml)",
            sources[without].document.location(""),
        )
    if lists == [[]] or (not lists and not socket_urls):  # no document names a server: the client takes
        return (), source_keys  # the API's URL (base_url), or, with no REST document, its sockets do
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
    return tuple(environments), source_keys


def groups(settings: Settings, sources: tuple[LoadedSource, ...]) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The descriptions of the sub-clients by dotted path: the settings' ``groups``, else the documents'
    tags; and whether they were derived (a tag no operation uses is then no mistake)."""
    if settings.groups is not None:
        return settings.groups, False
    return _tag_groups(sources), True


def _tag_groups(sources: tuple[LoadedSource, ...]) -> tuple[tuple[str, str], ...]:
    """Descriptions of the sub-clients that OpenAPI tags name: the first paragraph of each tag's description."""
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
