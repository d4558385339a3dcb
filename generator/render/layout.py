"""The generated tree: which Python modules the SDK has, and the file each one is written to.

:mod:`generator.render.names` says what a module is called; :class:`Layout` lists them all,
from the IR alone, so that the renderer never has to read its own output back to know
what it wrote. Package ``__init__`` files are made for :meth:`Layout.packages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from generator.ir import Api
from generator.render.endpoints import endpoints_module
from generator.render.errors import error_classes
from generator.render.names import CORE, dotted, group_module, type_module
from generator.render.sockets import channel_modules
from generator.render.templating import runtime_files
from generator.render.webhooks import webhook_modules

SOURCE_ROOT = "src"
"""The folder of ``generated/`` holding the package (the ``src`` layout)."""

ENVIRONMENT = "environment"
VERSION = "version"
REQUEST_IDS = "_request_ids"
"""The core module holding :attr:`~generator.ir.Api.request_id_headers`."""


def runtime_used(api: Api, path: str) -> bool:
    """Whether the SDK needs the runtime file ``path`` (relative to ``templates/runtime``): the
    credentials machinery only with security schemes (but the one API key header, which the client
    wrapper sends itself), the socket client only with channels, the webhook payload parser only with webhooks."""
    if path == "core/_auth.py":
        return bool(api.security_schemes) and api.api_key is None
    if path == "core/_socket.py":
        return bool(api.channels)
    if path == "core/webhooks.py":
        return bool(api.webhooks)
    return True


@dataclass(frozen=True)
class Layout:
    api: Api

    @staticmethod
    def file(module: str) -> str:
        """``shop.orders.client`` -> ``src/shop/orders/client.py``."""
        return f"{SOURCE_ROOT}/{module.replace('.', '/')}.py"

    @staticmethod
    def init_file(package: str) -> str:
        """``shop.orders`` -> ``src/shop/orders/__init__.py``."""
        return f"{SOURCE_ROOT}/{package.replace('.', '/')}/__init__.py"

    def package_file(self, name: str) -> str:
        """A file of the root package that is not a module: ``py.typed``."""
        return f"{SOURCE_ROOT}/{self.api.package.replace('.', '/')}/{name}"

    @cached_property
    def runtime_modules(self) -> dict[str, str]:
        """The runtime's modules the SDK uses (copied from ``templates/runtime``), by dotted name: their text."""
        return {
            dotted(self.api.package, path.removesuffix(".py").replace("/", ".")): text
            for path, text in runtime_files().items()
            if runtime_used(self.api, path)
        }

    @cached_property
    def error_classes(self) -> dict[str, tuple[str, int]]:
        """``{module: (class name, status)}`` of every error class, worked out once per render."""
        return error_classes(self.api)

    @cached_property
    def modules(self) -> tuple[str, ...]:
        """Every module of the package other than the ``__init__`` files, sorted."""
        api = self.api
        found = set(self.runtime_modules)
        found |= {dotted(api.package, CORE, "client_wrapper"), dotted(api.package, CORE, REQUEST_IDS)}
        found.add(dotted(api.package, ENVIRONMENT))
        found.add(dotted(api.package, VERSION))
        found |= {type_module(api, typedef) for typedef in api.types}
        found |= set(self.error_classes)
        for group in api.groups:
            found.add(group_module(api, group.path))
            if api.endpoints_of(group.path):
                found.add(group_module(api, group.path, raw=True))
                found.add(endpoints_module(api, group.path))
        for channel in api.channels:
            found.update(channel_modules(api, channel))
        found.update(webhook_modules(api))
        found.update(dotted(api.package, extension.module) for extension in api.extensions.modules)
        return tuple(sorted(found))

    @cached_property
    def packages(self) -> tuple[str, ...]:
        """Every package (folder) holding a module, the root package included, sorted."""
        found = {self.api.package}
        for module in self.modules:
            parts = module.split(".")
            found.update(".".join(parts[:end]) for end in range(len(self.api.package.split(".")), len(parts)))
        return tuple(sorted(found))

    def subpackages(self, package: str) -> tuple[str, ...]:
        """The names of the packages directly below ``package``."""
        prefix = package + "."
        return tuple(
            sorted(
                name[len(prefix) :]
                for name in self.packages
                if name.startswith(prefix) and "." not in name[len(prefix) :]
            )
        )
