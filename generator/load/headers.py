"""Header names a description gives (header parameters, WebSocket handshake headers) must be HTTP
field names: tokens of RFC 9110 (``tchar``), so that no CR, LF, space or colon can reach a request
the SDK sends. One that is not is said here, once, located; the reader that meets it (normalise)
leaves that parameter out. (An API key scheme's header name is said by normalise/credentials.py,
which leaves the scheme out.)"""

from __future__ import annotations

from typing import Any

from generator.errors import warn
from generator.headers import is_header_name, not_a_token
from generator.load.documents import Document
from generator.load.lines import join_pointer


def warn_header_names(documents: tuple[Document, ...]) -> None:
    """Say, located, each header name of ``documents`` that is not a token: what it names is left out.

    Looked at: any mapping with ``in: header`` and a ``name`` outside ``securitySchemes`` (OpenAPI
    and Swagger parameters), and the property names of the ``headers`` schema of a WebSocket binding
    (AsyncAPI ``bindings.ws.headers``). The walk uses an explicit stack.
    """
    for document in documents:
        stack: list[tuple[Any, list[str]]] = [(document.data, [])]
        while stack:
            node, path = stack.pop()
            if isinstance(node, dict):
                name = node.get("name")
                if node.get("in") == "header" and isinstance(name, str) and not is_header_name(name):
                    if "securitySchemes" not in path:
                        _warn(document, [*path, "name"], name, "this parameter is left out")
                if path[-2:] == ["ws", "headers"] and isinstance(node.get("properties"), dict):
                    for key in node["properties"]:
                        if isinstance(key, str) and not is_header_name(key):
                            _warn(document, [*path, "properties", key], key, "this handshake header is left out")
                stack.extend((value, [*path, str(key)]) for key, value in reversed(node.items()))
            elif isinstance(node, list):
                stack.extend((value, [*path, str(index)]) for index, value in reversed(list(enumerate(node))))


def _warn(document: Document, path: list[str], name: str, consequence: str) -> None:
    warn(f"{not_a_token(name)}; {consequence}", document.location(join_pointer(path)))
