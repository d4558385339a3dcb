"""Lazy attributes for packages (PEP 562), so that importing the SDK stays fast.

A package's ``__init__`` maps each name it offers to the module that defines it; the
module is imported when the name is first used, and the value is then cached.
"""

from __future__ import annotations

import importlib
import typing


__all__ = ["LazyModule", "lazy_exports"]


def lazy_exports(
    package: str, namespace: typing.Dict[str, typing.Any], exports: typing.Mapping[str, str]
) -> typing.Tuple[typing.Callable[[str], typing.Any], typing.Callable[[], typing.List[str]], typing.List[str]]:
    """``(__getattr__, __dir__, __all__)`` for the package ``package`` whose globals are ``namespace``.

    ``exports`` maps a name to the relative module defining it (``".types.order"``), or,
    for a subpackage or submodule offered as itself, to its own relative name (``".orders"``).
    Type checkers see the same names in the package's ``TYPE_CHECKING`` imports, each
    re-exported as itself (``from .types.order import Order as Order``).
    """

    def __getattr__(name: str) -> typing.Any:
        module_name = exports.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(module_name, package)
        value = module if module_name == f".{name}" else getattr(module, name)
        namespace[name] = value
        return value

    def __dir__() -> typing.List[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__, sorted(exports)


class LazyModule:
    """Stands for a module until an attribute of it is first read: then imports it and takes its place.

    ``namespace[key]`` (by default the module's last name) is where the stand-in was put:
    after the import, the real module is there, so later reads cost nothing.
    """

    def __init__(self, name: str, namespace: typing.Dict[str, typing.Any], key: typing.Optional[str] = None) -> None:
        self._name = name
        self._namespace = namespace
        self._key = key or name.rsplit(".", 1)[-1]

    def __getattr__(self, attribute: str) -> typing.Any:
        module = importlib.import_module(self._name)
        self._namespace[self._key] = module
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<module {self._name!r} (not imported yet)>"
