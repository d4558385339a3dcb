"""Where things live in the generated package: module paths and class names.

Every decision about the layout of ``src/<package>/`` is made here, so the model,
client and docs renderers agree on it:

- a named type ``T`` of IR module ``(a, b)`` lives in ``<package>.a.b.types.<t_snake>``;
- the sub-client of group ``(a, b)`` lives in ``<package>.a.b.client`` (its raw
  counterpart in ``raw_client``), the root client in ``<package>.client``;
- error classes of an endpoint live in ``<package>.<group[0]>.errors.<class_snake>``.
"""

from __future__ import annotations

import keyword
import re

from generator.ir import Api, Endpoint, TypeDef

TYPES = "types"
ERRORS = "errors"
CLIENT = "client"
RAW_CLIENT = "raw_client"
CORE = "core"
RESERVED_PACKAGE_NAMES = frozenset({TYPES, ERRORS, CLIENT, RAW_CLIENT, CORE, "environment", "version"})
"""Module names the generator uses itself; a group or module of that name would collide."""

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    """``ReturnPagedConfigs`` -> ``return_paged_configs`` (module names of types)."""
    words = _WORD_BOUNDARY.sub("_", name.replace("-", "_"))
    result = re.sub(r"_+", "_", words).strip("_").lower()
    if keyword.iskeyword(result):
        result += "_"
    return result


def pascal(name: str) -> str:
    """``chat_groups`` -> ``ChatGroups``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def dotted(*parts: str) -> str:
    return ".".join(part for part in parts if part)


def type_module(api: Api, typedef: TypeDef) -> str:
    """Absolute module defining ``typedef``."""
    return dotted(api.package, *typedef.module, TYPES, snake(typedef.py_name))


def group_module(api: Api, group: tuple[str, ...], raw: bool = False) -> str:
    """Absolute module of the sub-client of ``group`` (the root client for ``()``)."""
    return dotted(api.package, *group, RAW_CLIENT if raw else CLIENT)


def client_class(api: Api, group: tuple[str, ...], sync: bool = True, raw: bool = False) -> str:
    """``("store", "orders")`` -> ``OrdersClient`` (``AsyncRawOrdersClient``...)."""
    if not group and not raw:
        return api.client if sync else api.async_client
    base = pascal(group[-1]) + "Client" if group else api.client
    return ("" if sync else "Async") + ("Raw" if raw else "") + base


def errors_package(api: Api, endpoint: Endpoint) -> str:
    """Package holding the exception classes of ``endpoint``'s declared error statuses."""
    return dotted(api.package, *endpoint.group[:1], ERRORS)


def error_module(api: Api, endpoint: Endpoint, class_name: str) -> str:
    return dotted(errors_package(api, endpoint), snake(class_name))


def relative_path(module: str) -> str:
    """``shop.orders.client`` -> ``src/shop/orders/client.py``."""
    return "src/" + module.replace(".", "/") + ".py"


def package_path(package: str) -> str:
    """``shop.orders`` -> ``src/shop/orders/__init__.py``."""
    return "src/" + package.replace(".", "/") + "/__init__.py"
