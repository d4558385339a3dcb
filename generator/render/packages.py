"""The ``__init__.py`` of every package: lazy exports (PEP 562), so importing stays fast.

Each package offers, without importing anything until a name is used:

- the root package: the clients, the environment class, ``__version__`` and the
  top-level sub-packages;
- ``core``: the runtime's public names;
- a ``types`` or ``errors`` package: its types or exception classes;
- any other package: its own types and errors, the types of the packages below it
  (e.g. ``from shop.orders import Order`` for ``shop.orders.types.order``), and
  its sub-packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir
from generator.ir import Api
from generator.naming import api_subject
from generator.render import clients
from generator.render.layout import ENVIRONMENT, VERSION, Layout
from generator.render.names import CORE, ERRORS, TYPES, runtime, type_module
from generator.render.sockets import SOCKET_RUNTIME_EXPORTS, socket_exports
from generator.render.templating import HEADER, render_template
from generator.render.text import docstring, string_literal

CORE_EXPORTS = {
    "ApiError": ".api_error",
    "ApiConnectionError": ".api_error",
    "ApiTimeoutError": ".api_error",
    "BadRequestError": ".api_error",
    "UnauthorizedError": ".api_error",
    "ForbiddenError": ".api_error",
    "NotFoundError": ".api_error",
    "ConflictError": ".api_error",
    "UnprocessableEntityError": ".api_error",
    "TooManyRequestsError": ".api_error",
    "InternalServerError": ".api_error",
    "InvalidRequestError": ".api_error",
    "MalformedResponseError": ".api_error",
    "ResponseTooLargeError": ".limits",
    "AsyncClientWrapper": ".client_wrapper",
    "SyncClientWrapper": ".client_wrapper",
    "EventType": ".events",
    "File": ".file",
    "AsyncHttpResponse": ".http_response",
    "HttpResponse": ".http_response",
    "AsyncPager": ".pagination",
    "PaginationLoopError": ".pagination",
    "SyncPager": ".pagination",
    "ModelOrDict": ".pydantic_utilities",
    "UniversalBaseModel": ".pydantic_utilities",
    "RequestOptions": ".request_options",
}


@dataclass(frozen=True)
class Export:
    name: str
    module: str
    """Module relative to the package: ``.types.order`` (defines ``name``) or ``.orders`` (is ``name``)."""

    @property
    def literal(self) -> str:
        return string_literal(self.name)

    @property
    def module_literal(self) -> str:
        return string_literal(self.module)


def render_packages(api: Api, layout: Layout) -> dict[str, str]:
    """An ``__init__.py`` for every package of ``layout``, by file path."""
    files = {}
    for package in layout.packages:
        exports, description = _exports(api, layout, package)
        files[layout.init_file(package)] = _render(api, exports + _handwritten(api, package, exports), description)
    return files


def _handwritten(api: Api, package: str, generated: list[Export]) -> list[Export]:
    """What ``extensions.yaml`` has ``package`` re-export (normalise checked the names are free)."""
    relative = package[len(api.package) :].lstrip(".")
    taken = {export.name for export in generated}
    found = []
    for export in api.extensions.exports:
        if export.package == relative and export.name not in taken:
            inside = not relative or export.module.startswith(relative + ".")
            module = "." + export.module[len(relative) :].lstrip(".") if inside else f"{api.package}.{export.module}"
            found.append(Export(export.name, module))
    return found


def _exports(api: Api, layout: Layout, package: str) -> tuple[list[Export], str]:
    prefix = package + "."
    relative = package[len(api.package) :].lstrip(".")
    subpackages = layout.subpackages(package)
    if package == api.package:
        root = [
            Export(api.client, ".client"),
            Export(api.async_client, ".client"),
            Export(api.environment_class, "." + ENVIRONMENT),
            Export("__version__", "." + VERSION),
        ]
        root += [Export(name, "." + name) for name in subpackages if name != CORE]
        # the types of the root module (a source of module ""), as sub-packages offer theirs
        names = {export.name for export in root}
        own_types = sorted((t.py_name, "." + type_module(api, t)[len(prefix) :]) for t in api.types if t.module == ())
        root += [Export(name, module) for name, module in own_types if name not in names]
        return root, api.description or f"The {api_subject(api.title)} API."
    if relative == CORE:
        core = dict(CORE_EXPORTS)
        if api.channels:
            core.update((name, "._socket") for name in SOCKET_RUNTIME_EXPORTS)
        return [Export(name, module) for name, module in sorted(core.items())], "The SDK's runtime."
    leaf = relative.rsplit(".", 1)[-1]
    owner = tuple(relative.split(".")[:-1])
    if leaf == TYPES:
        found = {t.py_name: "." + type_module(api, t).rsplit(".", 1)[1] for t in api.types if t.module == owner}
        for t in api.types:
            if t.module == owner:  # the TypedDicts, where their names are free
                for name in _names(t)[1:]:
                    found.setdefault(name, "." + type_module(api, t).rsplit(".", 1)[1])
        return [Export(name, module) for name, module in sorted(found.items())], (
            f"Types of the {'.'.join(owner) or api_subject(api.title)} API."
        )
    if leaf == ERRORS:
        classes = sorted(
            (class_name, "." + module.rsplit(".", 1)[1])
            for module, (class_name, _) in layout.error_classes.items()
            if module.startswith(prefix)
        )
        return [Export(name, module) for name, module in classes], f"Exceptions of the {'.'.join(owner)} API."
    group = tuple(relative.split("."))
    exports: list[Export] = []
    taken: set[str] = set()

    def add(name: str, module: str) -> None:
        if name not in taken:
            taken.add(name)
            exports.append(Export(name, module))

    own = [t for t in api.types if t.module == group]
    below = sorted(
        (t for t in api.types if len(t.module) > len(group) and t.module[: len(group)] == group),
        key=lambda t: (len(t.module), t.module, t.py_name),
    )
    for typedef in sorted(own, key=lambda t: t.py_name):
        add(typedef.py_name, "." + type_module(api, typedef)[len(prefix) :])
    for module, (class_name, _) in sorted(layout.error_classes.items()):
        if module.startswith(f"{package}.{ERRORS}."):
            add(class_name, "." + module[len(prefix) :])
    for name, module in socket_exports(api, group):
        add(name, "." + module[len(prefix) :])
    for typedef in below:
        add(typedef.py_name, "." + type_module(api, typedef)[len(prefix) :])
    for typedef in [*sorted(own, key=lambda t: t.py_name), *below]:  # the TypedDicts, where their names are free
        for name in _names(typedef)[1:]:
            add(name, "." + type_module(api, typedef)[len(prefix) :])
    for name in subpackages:
        if name not in (TYPES, ERRORS):
            add(name, "." + name)
    return exports, clients.group_description(api, group)


def _names(typedef: ir.TypeDef) -> list[str]:
    """What a type's module defines: the type, then its TypedDict if it has one."""
    params = typedef.params_name if isinstance(typedef, ir.ObjectType) else None
    return [typedef.py_name, *([params] if params else [])]


def _render(api: Api, exports: list[Export], description: str) -> str:
    subpackages = sorted(export.name for export in exports if export.module == "." + export.name)
    by_module: dict[str, list[str]] = {}
    for export in exports:
        if export.module != "." + export.name:
            by_module.setdefault(export.module, []).append(export.name)
    type_checking = [f"from . import {_reexported(subpackages)}"] if subpackages else []
    type_checking += [f"from {module} import {_reexported(names)}" for module, names in sorted(by_module.items())]
    return render_template(
        "package_init.py.j2",
        header=HEADER,
        docstring=docstring(description),
        lazy_module=runtime(api, "_lazy"),
        type_checking=sorted(type_checking),
        names=sorted(exports, key=lambda e: e.name),
    )


def _reexported(names: list[str]) -> str:
    """``A as A, B as B``: the form that re-exports an import to type checkers."""
    return ", ".join(f"{name} as {name}" for name in sorted(names))
