"""Deriving every service URL of an environment from one base URL."""

from __future__ import annotations

import typing
import urllib.parse


__all__ = ["rebase"]


def rebase(base_url: str, defaults: typing.Mapping[str, str]) -> typing.Dict[str, str]:
    """The URLs of ``defaults`` moved to ``base_url``.

    The first URL of ``defaults`` is the REST base and becomes ``base_url`` (``https://``
    is assumed when it has no scheme). Every other URL on the same host keeps its path
    below the REST base's path, on the new host, with its scheme matched to the new one
    (``ws://`` for ``http://``, ``wss://`` for ``https://``). URLs on other hosts stay.
    """
    if "://" not in base_url:
        base_url = "https://" + base_url
    base = urllib.parse.urlsplit(base_url.rstrip("/"))
    keys = list(defaults)
    reference = urllib.parse.urlsplit(defaults[keys[0]])
    reference_path = reference.path.rstrip("/")
    secure = base.scheme in ("https", "wss")
    result = {keys[0]: base_url.rstrip("/")}
    for key in keys[1:]:
        url = urllib.parse.urlsplit(defaults[key])
        if url.netloc != reference.netloc or not url.path.startswith(reference_path):
            result[key] = defaults[key]
            continue
        if url.scheme in ("ws", "wss"):
            scheme = "wss" if secure else "ws"
        else:
            scheme = "https" if secure else "http"
        path = base.path + url.path[len(reference_path) :]
        result[key] = urllib.parse.urlunsplit((scheme, base.netloc, path, url.query, url.fragment))
    return result
