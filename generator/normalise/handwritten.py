"""Hand-written extensions (``specs/extensions/``) into the IR, every reference checked.

``extensions.yaml``::

    exports:            # package (dotted, "" for the root) -> {name: module defining it}
      "": {Stream: empathic_voice.chat.audio.streams}
    mixins:             # sub-client (dotted group path) -> classes its clients inherit
      expression_measurement.batch:
        module: expression_measurement.batch.artifacts
        sync: BatchArtifactsMixin
        async: AsyncBatchArtifactsMixin
    extras:             # optional dependencies: pip install "<distribution>[extra]"
      microphone: ["sounddevice>=0.4"]

A reference to a sub-client, module or class that does not exist is an error located in
the manifest: a regeneration after the API changed says what no longer fits.
"""

from __future__ import annotations

import re

from generator import ir, naming
from generator.errors import Location, SpecError
from generator.load.extensions import ExtensionFile, LoadedExtensions
from generator.normalise.nodes import Node

_GENERATED_LEAVES = frozenset(
    {
        naming.CLIENT,
        naming.RAW_CLIENT,
        naming.ENDPOINTS,
        naming.SOCKET_CLIENT,
        naming.SOCKET_CONNECT,
        "environment",
        "version",
    }
)
_REQUIREMENT = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?\s*([<>=!~]=?[^;\s]+(\s*,\s*[<>=!~]=?[^;\s]+)*)?$"
)


def extensions(loaded: LoadedExtensions, api: ir.Api) -> ir.Extensions:
    """The IR of the hand-written extensions of ``api`` (built without them)."""
    files = {extension.module: extension for extension in loaded.files}
    for extension in loaded.files:
        _check_place(extension.module, extension.file, api)
    modules = tuple(ir.ExtensionModule(e.module, ir.Source(e.file, ""), e.text) for e in loaded.files)
    if loaded.manifest is None:
        return ir.Extensions(modules=modules)
    root = Node(loaded.manifest, "", loaded.manifest.data)
    if not isinstance(root.value, dict):
        raise root.fail("extensions.yaml must be a mapping (exports, mixins, extras)")
    unknown = sorted(set(root.value) - {"exports", "mixins", "extras"})
    if unknown:
        raise root.fail(f"unknown key {unknown[0]!r} (exports, mixins and extras are known)", unknown[0])
    generated = _generated_modules(api)
    return ir.Extensions(
        modules=modules,
        mixins=tuple(_mixin(path, node, files, api) for path, node in _mapping(root, "mixins")),
        exports=tuple(
            export
            for package, node in _mapping(root, "exports")
            for export in _exports(package, node, files, generated, api)
        ),
        extras=tuple(_extra(name, node) for name, node in _mapping(root, "extras")),
    )


def _mapping(node: Node, key: str) -> list[tuple[str, Node]]:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, dict):
        raise node.fail(f"'{key}' must be a mapping", key)
    return node.items(key)


def _check_place(module: str, file: str, api: ir.Api) -> None:
    """An extension module may not stand where generated code is."""
    parts = tuple(module.split("."))
    reason = None
    if parts[0] == naming.CORE or any(part in (naming.TYPES, naming.ERRORS) for part in parts[:-1]):
        reason = "the generated runtime, types and errors packages are not extended by modules"
    elif parts[-1] in _GENERATED_LEAVES:
        reason = f"every sub-client package has a generated {parts[-1]!r} module"
    elif api.find_group(parts) is not None:
        reason = f"{module!r} is a generated sub-client package"
    elif any(typedef.module_path == f"{api.package}.{module}" for typedef in api.types):
        reason = f"{module!r} is a generated type module"
    if reason is not None:
        raise SpecError(f"extension module {module!r} cannot be written: {reason}", Location(file))


def _generated_modules(api: ir.Api) -> frozenset[str]:
    """Modules below the package that the generator writes, relative (for ``exports``)."""
    prefix = api.package + "."
    return frozenset(typedef.module_path.removeprefix(prefix) for typedef in api.types)


def _mixin(path: str, node: Node, files: dict[str, ExtensionFile], api: ir.Api) -> ir.Mixin:
    group = tuple(path.split(".")) if path else ()
    if api.find_group(group) is None:
        raise node.fail(f"no sub-client {path!r} to add methods to (is it still in the specs?)")
    module = node.get("module")
    if not isinstance(module, str) or module not in files:
        raise node.fail(
            f"'module' must name an extension module ({', '.join(sorted(files)) or 'there is none'})", "module"
        )
    defined = files[module].classes
    classes = []
    for key in ("sync", "async"):
        name = node.get(key)
        if not isinstance(name, str) or name not in defined:
            raise node.fail(f"'{key}' must name a class of {module}", key)
        classes.append(name)
    return ir.Mixin(group, module, classes[0], classes[1])


def _exports(
    package: str, node: Node, files: dict[str, ExtensionFile], generated: frozenset[str], api: ir.Api
) -> list[ir.Export]:
    if package and api.find_group(tuple(package.split("."))) is None and not _is_extension_package(package, files):
        raise node.fail(f"no package {package!r} to re-export from")
    if not isinstance(node.value, dict):
        raise node.fail("the names a package re-exports must be a mapping {name: module}")
    result = []
    for name in node.value:
        module_node = node.child(name)
        module = module_node.value
        if not naming.is_identifier(name):
            raise module_node.fail(f"{name!r} is not a Python name")
        if not isinstance(module, str) or (module not in files and module not in generated):
            raise module_node.fail(f"{module!r} is neither an extension module nor a generated type module")
        if module in files and name not in files[module].classes:
            raise module_node.fail(f"{module} defines no {name!r}")
        result.append(ir.Export(package, name, module))
    return result


def _is_extension_package(package: str, files: dict[str, ExtensionFile]) -> bool:
    return any(module.startswith(package + ".") for module in files)


def _extra(name: str, node: Node) -> tuple[str, tuple[str, ...]]:
    requirements = node.value
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise node.fail(f"extra {name!r} must be a lower-case name")
    if not isinstance(requirements, list) or not requirements:
        raise node.fail("an extra lists its requirements, e.g. ['sounddevice>=0.4']")
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, str) or not _REQUIREMENT.match(requirement.strip()):
            raise node.fail(f"{requirement!r} is not a requirement such as 'sounddevice>=0.4'", index)
    return name, tuple(requirement.strip() for requirement in requirements)
