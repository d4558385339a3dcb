"""URLs: filling a path template with parameter values, and deriving every service URL of an
environment from one base URL."""

from __future__ import annotations

import re
import typing
import urllib.parse

import httpx

from ._serialization import text

__all__ = ["fill", "path_segment", "rebase", "shown_url", "without_password"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.~-]+)\}")
"""A ``{name}`` of a path template. The generator refuses templates with any other brace, so the
names are all the template holds besides literal text."""


def fill(template: str, values: typing.Mapping[str, typing.Any]) -> str:
    """``template`` with each ``{name}`` replaced by ``values[name]`` as one percent-encoded path
    segment (see :func:`path_segment`). Values are looked up by name only: nothing in a template
    is evaluated, and a name without a value stays as written."""
    if not values:
        return template

    def value(match: "re.Match[str]") -> str:
        name = match.group(1)
        return path_segment(values[name]) if name in values else match.group(0)

    return _PLACEHOLDER.sub(value, template)


def path_segment(value: typing.Any) -> str:
    """A path parameter percent-encoded so that it stays one segment, ``.`` and ``..`` included
    (``%2E``, ``%2E%2E``: HTTP clients and servers would otherwise read them as "here" and "up")."""
    segment = urllib.parse.quote(text(value), safe="")
    if segment in (".", ".."):
        return segment.replace(".", "%2E")
    return segment


def shown_url(url: httpx.URL) -> str:
    """``url`` as logs and error messages show it: without its query string (it may hold credentials)
    and without the user name and password of a base URL (``https://user:pw@host``)."""
    return str(url.copy_with(query=None, userinfo=b""))


def without_password(url: str) -> str:
    """``url`` without the user name and password a base URL may carry (``https://user:pw@host``)."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def rebase(base_url: str, defaults: typing.Mapping[str, str]) -> typing.Dict[str, str]:
    """The URLs of ``defaults`` moved to ``base_url``.

    The first URL of ``defaults`` is the REST base (a socket-only API's first WebSocket
    URL) and becomes ``base_url`` (``https://`` is assumed when it has no scheme). Every
    other URL on the same host keeps its path below the first one's path, on the new host.
    Each moved URL keeps its kind with the new one's security: a WebSocket URL gets
    ``ws://`` for ``http://`` or ``ws://``, ``wss://`` for ``https://`` or ``wss://``, an
    HTTP URL ``http://`` or ``https://`` the same way. URLs on other hosts stay.
    """
    if "://" not in base_url:
        base_url = "https://" + base_url
    base = urllib.parse.urlsplit(base_url.rstrip("/"))
    keys = list(defaults)
    reference = urllib.parse.urlsplit(defaults[keys[0]])
    reference_path = reference.path.rstrip("/")
    secure = base.scheme in ("https", "wss")
    result = {keys[0]: _with_scheme(base, reference.scheme, secure)}
    for key in keys[1:]:
        url = urllib.parse.urlsplit(defaults[key])
        if url.netloc != reference.netloc or not url.path.startswith(reference_path):
            result[key] = defaults[key]
            continue
        path = base.path + url.path[len(reference_path) :]
        moved = urllib.parse.SplitResult(base.scheme, base.netloc, path, url.query, url.fragment)
        result[key] = _with_scheme(moved, url.scheme, secure)
    return result


def _with_scheme(url: urllib.parse.SplitResult, kind: str, secure: bool) -> str:
    """``url`` with the scheme of ``kind`` (a default URL's: WebSocket or HTTP), secure or not; a
    ``url`` whose scheme is neither (``http+unix``...) keeps it."""
    if url.scheme not in ("http", "https", "ws", "wss"):
        return urllib.parse.urlunsplit(url)
    if kind in ("ws", "wss"):
        scheme = "wss" if secure else "ws"
    else:
        scheme = "https" if secure else "http"
    return urllib.parse.urlunsplit(url._replace(scheme=scheme))
