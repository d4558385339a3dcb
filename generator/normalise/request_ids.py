"""Which response headers carry the request id (``request_id`` on errors and raw responses).

The list, lower case, each name once, first found first:

1. the names the settings' ``request_id_headers`` give, in order;
2. the response headers the OpenAPI descriptions declare (``responses.*.headers``, in source then
   document order) whose name says it is a request id (:func:`names_request_id`);
3. the usual ones (:data:`USUAL`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.errors import SpecError
from generator.ir import USUAL_REQUEST_ID_HEADERS
from generator.normalise.nodes import Node, deref

if TYPE_CHECKING:
    from generator.load import LoadedSource, Registry
    from generator.settings import Settings

__all__ = ["USUAL", "names_request_id", "request_id_headers"]

USUAL = USUAL_REQUEST_ID_HEADERS

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ID_NAME = re.compile(r"(request|correlation|trace)[-_.]?id")
_KNOWN = frozenset({"cf-ray"})
"""Request ids under a name the rule does not catch."""


def names_request_id(header: str) -> bool:
    """Whether a header's name says it carries a request id: it holds ``request``, ``correlation``
    or ``trace`` followed by ``id`` (``X-Request-Id``, ``x-amzn-RequestId``, ``X-Correlation-ID``,
    ``X-B3-TraceId``, ``x-ms-client-request-id``), or it is ``cf-ray``."""
    name = header.lower()
    return name in _KNOWN or _ID_NAME.search(name) is not None


def request_id_headers(settings: Settings, sources: tuple[LoadedSource, ...]) -> tuple[str, ...]:
    """The response headers ``request_id`` reads, in the order it tries them (see the module)."""
    declared = [
        name.lower()
        for source in sources
        if source.kind == "openapi"
        for name in _declared_headers(source.registry, Node(source.document, "", source.document.data))
        if names_request_id(name)
    ]
    return tuple(dict.fromkeys((*settings.request_id_headers, *declared, *USUAL)))


def _declared_headers(registry: Registry, root: Node) -> list[str]:
    """The names of the response headers the document's operations declare, in document order."""
    found: list[str] = []
    for _, item in root.items("paths") if isinstance(root.get("paths"), dict) else []:
        try:
            item = deref(registry, item)
            for method in [key for key in item.value or {} if key in _METHODS]:
                operation = item.child(method)
                if not isinstance(operation.get("responses"), dict):
                    continue
                for _, response in operation.items("responses"):
                    response = deref(registry, response)
                    if isinstance(response.get("headers"), dict):
                        found.extend(name for name, _ in response.items("headers"))
        except SpecError:
            continue  # a broken reference: reported (or refused) where the operation is read
    return found
