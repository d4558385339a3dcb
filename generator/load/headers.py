"""Header names a description gives (header parameters, API keys in a header, WebSocket handshake
headers) must be HTTP field names: tokens of RFC 9110 (``tchar``), so that no CR, LF, space or
colon can reach a request the SDK sends."""

from __future__ import annotations

from typing import Any

from generator.errors import Collector, SpecError
from generator.headers import is_header_name
from generator.load.documents import Document
from generator.load.lines import join_pointer


def check_header_names(documents: tuple[Document, ...]) -> None:
    """Every header name of ``documents`` is a token; each that is not is a located SpecError.

    Looked at: any mapping with ``in: header`` and a ``name`` (OpenAPI and Swagger parameters,
    ``apiKey`` and ``httpApiKey`` security schemes), and the property names of the ``headers``
    schema of a WebSocket binding (AsyncAPI ``bindings.ws.headers``). The walk uses an explicit stack.
    """
    collector = Collector()
    for document in documents:
        stack: list[tuple[Any, list[str]]] = [(document.data, [])]
        while stack:
            node, path = stack.pop()
            if isinstance(node, dict):
                name = node.get("name")
                if node.get("in") == "header" and isinstance(name, str) and not is_header_name(name):
                    collector.add(_error(document, [*path, "name"], name))
                if path[-2:] == ["ws", "headers"] and isinstance(node.get("properties"), dict):
                    for key in node["properties"]:
                        if isinstance(key, str) and not is_header_name(key):
                            collector.add(_error(document, [*path, "properties", key], key))
                stack.extend((value, [*path, str(key)]) for key, value in reversed(node.items()))
            elif isinstance(node, list):
                stack.extend((value, [*path, str(index)]) for index, value in reversed(list(enumerate(node))))
    collector.done()


def _error(document: Document, path: list[str], name: str) -> SpecError:
    shown = name if len(name) <= 60 else name[:50] + "..."
    return SpecError(
        f"the header name {shown!r} is not an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~ only)",
        document.location(join_pointer(path)),
    )
