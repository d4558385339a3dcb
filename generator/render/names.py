"""Where things live in the generated package: module paths and class names.

The model, client and docs renderers agree on the layout of ``src/<package>/`` by asking
here. Normalise decided the names (see :mod:`generator.naming`); these read them from the IR:

- a named type lives in its ``module_path``: ``<package>.a.b.types.<t_snake>`` for IR module ``(a, b)``;
- the sub-client of group ``(a, b)`` lives in ``<package>.a.b.client`` (its raw
  counterpart in ``raw_client``), the root client in ``<package>.client``;
- error classes of an endpoint live in ``<package>.<group[0]>.errors.<class_snake>``.
"""

from __future__ import annotations

from typing import Literal

from generator import naming
from generator.ir import Api, Endpoint, TypeDef
from generator.naming import CLIENT, CORE, ERRORS, RAW_CLIENT, RESERVED_PACKAGE_NAMES, TYPES, dotted, pascal, snake

__all__ = [
    "CLIENT",
    "CORE",
    "ERRORS",
    "RAW_CLIENT",
    "RESERVED_PACKAGE_NAMES",
    "TYPES",
    "client_class",
    "dotted",
    "error_module",
    "errors_package",
    "group_module",
    "pascal",
    "runtime",
    "snake",
    "type_module",
]


RuntimeModule = Literal[
    "_bodies",
    "_http_client",
    "_lazy",
    "_serialization",
    "_socket",
    "api_error",
    "client_wrapper",
    "file",
    "http_response",
    "limits",
    "pagination",
    "pydantic_utilities",
    "request_options",
    "webhooks",
]
"""Modules of the runtime (``templates/runtime/core``) that generated code imports from.

The private ones (``_``) are the machinery; the public ones hold what users import too.
"""


def runtime(api: Api, module: RuntimeModule) -> str:
    """Absolute name of a runtime module: ``shop.core._http_client``."""
    return dotted(api.package, CORE, module)


def type_module(api: Api, typedef: TypeDef) -> str:
    """Absolute module defining ``typedef``."""
    return typedef.module_path


def group_module(api: Api, group: tuple[str, ...], raw: bool = False) -> str:
    """Absolute module of the sub-client of ``group`` (the root client for ``()``)."""
    return dotted(api.package, *group, RAW_CLIENT if raw else CLIENT)


def client_class(
    api: Api, group: tuple[str, ...], sync: bool = True, raw: bool = False, streaming: bool = False
) -> str:
    """``("store", "orders")`` -> ``OrdersClient`` (``AsyncRawOrdersClient``, ``StreamingOrdersClient``...)."""
    found = api.group(group)
    if streaming:
        return found.streaming_client if sync else found.async_streaming_client
    if raw:
        return found.raw_client if sync else found.async_raw_client
    return found.client if sync else found.async_client


def errors_package(api: Api, endpoint: Endpoint) -> str:
    """Package holding the exception classes of ``endpoint``'s declared error statuses."""
    return naming.errors_package(api.package, endpoint.group)


def error_module(api: Api, endpoint: Endpoint, class_name: str) -> str:
    return naming.error_module(api.package, endpoint.group, class_name)
