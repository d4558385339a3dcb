"""Python type annotations for IR type references, and the imports they need.

Annotations are valid at run time on Python 3.9 (pydantic evaluates model field
annotations): ``typing.Optional``/``typing.Union`` rather than ``X | Y``; builtin
``list``/``dict`` generics. ``typing`` and ``datetime`` are imported as modules
(``typing.Optional``, ``dt.datetime``) so that API type names can never shadow them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from typing_extensions import assert_never

from generator import ir
from generator.ir import Api, TypeRef
from generator.render.names import pascal, runtime, type_module
from generator.typerefs import is_object_like

TYPING = "typing"
DATETIME_ALIAS = "dt"
ANNOTATION_BUILTINS = frozenset({"bool", "bytes", "dict", "float", "int", "list", "str"})
"""The builtins annotations name: a class that defines one of these names must not shadow it (``Imports.shadowed``)."""


def type_import(api: Api, type_id: str) -> tuple[str, str]:
    """(absolute module, class name) of the named type ``type_id``."""
    typedef = api.type_by_id(type_id)
    return type_module(api, typedef), typedef.py_name


@dataclass
class Imports:
    """The imports of one module being rendered.

    ``module`` is the module's own dotted name: its own names are never imported. Names
    are given a local alias when two modules export the same name (or when a name is in
    ``reserved``, e.g. the classes the module defines itself). Imports asked for with
    ``typing_only=True`` go in an ``if typing.TYPE_CHECKING:`` block unless they are
    also needed at run time.

    With a ``parent`` (the module's imports), these are the imports of one function: modules are
    imported by the parent, and a name is never bound to another value than the parent's name.
    """

    module: str = ""
    reserved: set[str] = field(default_factory=set)
    late: set[str] = field(default_factory=set)
    """Modules whose names are imported at the end of the module (they import this one: a cycle)."""
    late_modules: set[str] = field(default_factory=set)
    """Modules imported as modules at the end of the module; their names are used as ``alias.Name``.

    For cycles through modules that evaluate their references on import (type aliases).
    """
    _modules: dict[str, str] = field(default_factory=dict)
    """module -> local alias (``import x as alias``; alias == module for a plain import)."""
    _names: dict[tuple[str, str], str] = field(default_factory=dict)
    """(module, name) -> local name."""
    _runtime: set[tuple[str, str]] = field(default_factory=set)
    """The names needed at run time; the others are for type checkers only."""
    _taken: set[str] = field(default_factory=set)
    _late_module_imports: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    parent: Imports | None = None
    shadowed: frozenset[str] = frozenset()
    """Builtin names the module's class bodies define (a method ``list``): annotations there spell
    those builtins ``builtins.list``, as a plain ``list`` in the class would name the method."""

    def import_module(self, module: str, alias: str | None = None) -> str:
        """``import module [as alias]``; returns the name to use in code."""
        if self.parent is not None:
            return self.parent.import_module(module, alias)
        local = alias or module
        if self._modules.setdefault(module, local) != local:
            raise ValueError(f"module {module} imported under two aliases")
        self._taken.add(local.split(".")[0])
        return local

    def name(self, module: str, name: str, typing_only: bool = False) -> str:
        """``from module import name``; returns the local name (aliased on a clash)."""
        if module == self.module:
            return name
        if module in self.late_modules:
            package, _, leaf = module.rpartition(".")
            alias = "_" + leaf
            self._late_module_imports[module] = (package, leaf, alias)
            return f"{alias}.{name}"
        key = (module, name)
        if not typing_only:
            self._runtime.add(key)
        if key in self._names:
            return self._names[key]
        local = name
        if self._clashes(local, key):
            prefix = pascal(module.rsplit(".types.", 1)[0].rsplit(".", 1)[-1])
            local = prefix + name
            counter = 2
            while self._clashes(local, key):
                local = f"{prefix}{name}{counter}"
                counter += 1
        self._taken.add(local)
        self._names[key] = local
        return local

    def _clashes(self, local: str, key: tuple[str, str]) -> bool:
        if local in self._taken or local in self.reserved:
            return True
        parent = self.parent
        return parent is not None and local in parent._taken and parent._names.get(key) != local

    def builtin(self, name: str) -> str:
        """The builtin ``name`` (``list``), or ``builtins.list`` where the module shadows it."""
        return f"{self.import_module('builtins')}.{name}" if name in self.shadowed else name

    def typing(self, name: str) -> str:
        """``typing.<name>``."""
        return f"{self.import_module(TYPING)}.{name}"

    @property
    def needs_type_checking_block(self) -> bool:
        return any(key not in self._runtime for key in self._names)

    def render(self) -> str:
        """The import lines, then an ``if typing.TYPE_CHECKING:`` block when needed."""
        if self.needs_type_checking_block:
            self.import_module(TYPING)
        first_party = self.module.split(".")[0] if self.module else None
        sections: dict[int, list[str]] = {0: [], 1: [], 2: []}
        for module, alias in self._modules.items():
            line = f"import {module}" if alias == module else f"import {module} as {alias}"
            sections[_section(module, first_party)].append(line)
        for line in self._from_lines(runtime=True, late=False):
            sections[_section(line.split()[1], first_party)].append(line)
        lines: list[str] = []
        for index in (0, 1, 2):
            if sections[index]:
                if lines:
                    lines.append("")
                lines += sorted(sections[index], key=lambda line: (line.startswith("from "), line))
        # For type checkers, names of late modules too (a module in a cycle): no cycle at type-checking time.
        checking = sorted(self._from_lines(runtime=False, late=False) + self._from_lines(runtime=False, late=True))
        if checking:
            lines.append("")
            lines.append("if typing.TYPE_CHECKING:")
            lines += ["    " + line for line in checking]
        return "\n".join(lines)

    def render_late(self) -> str:
        """The imports that go at the end of the module (see ``late`` and ``late_modules``)."""
        lines = self._from_lines(runtime=True, late=True)
        lines += [
            f"from {package} import {leaf} as {alias}"
            for package, leaf, alias in sorted(self._late_module_imports.values())
        ]
        return "\n".join(lines)

    def _from_lines(self, runtime: bool, late: bool) -> list[str]:
        by_module: dict[str, list[str]] = {}
        for (module, name), local in self._names.items():
            if (module in self.late) != late:
                continue
            if ((module, name) in self._runtime) == runtime:
                by_module.setdefault(module, []).append(name if local == name else f"{name} as {local}")
        return [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(by_module.items())]


_STDLIB = frozenset(
    {
        "asyncio",
        "builtins",
        "contextlib",
        "datetime",
        "enum",
        "functools",
        "json",
        "os",
        "pathlib",
        "types",
        "typing",
        "uuid",
    }
)


def _section(module: str, first_party: str | None) -> int:
    """0: standard library, 1: third party, 2: this package (the groups of an import block)."""
    top = module.split(".")[0]
    if top in _STDLIB:
        return 0
    return 2 if top == first_party else 1


def annotation(api: Api, ref: TypeRef, imports: Imports, *, typing_only: bool = False) -> str:
    """The annotation of a value of type ``ref`` as the SDK returns it (models, lists, dicts)."""
    return _Annotator(api, imports, typing_only, accepting=False).render(ref)


def input_annotation(api: Api, ref: TypeRef, imports: Imports, *, typing_only: bool = False) -> str:
    """The annotation of an argument of type ``ref``: what a caller may pass.

    More accepting than :func:`annotation`: sequences and mappings rather than lists and
    dicts, ``Union[X, XParams]`` (the model or a dict of its fields, checked by type checkers)
    wherever a model is expected, ``ModelOrDict[X]`` (or a plain mapping) wherever another object is,
    and the runtime's ``File`` for binary values.
    """
    return _Annotator(api, imports, typing_only, accepting=True).render(ref)


def python_literal(value: ir.JsonValue) -> str:
    """A JSON scalar as Python source (``repr`` escapes quotes and newlines safely)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise ValueError(f"not a literal scalar: {value!r}")


@dataclass
class _Annotator:
    api: Api
    imports: Imports
    typing_only: bool
    accepting: bool

    def render(self, ref: TypeRef) -> str:
        members = self.members(ref)
        others = [member for member in members if member != "None"]
        if not others:
            return "None"
        union = others[0] if len(others) == 1 else f"{self.imports.typing('Union')}[{', '.join(others)}]"
        return f"{self.imports.typing('Optional')}[{union}]" if "None" in members else union

    def members(self, ref: TypeRef) -> list[str]:
        """The alternatives of ``ref``, unions flattened, ``"None"`` for null."""
        match ref:
            case ir.Nullable():
                return _unique([*self.members(ref.inner), "None"])
            case ir.UnionOf():
                return _unique([member for item in ref.members for member in self.members(item)])
            case ir.LiteralOf(value=None):
                return ["None"]
            case ir.LiteralOf():
                return [f"{self.imports.typing('Literal')}[{python_literal(ref.value)}]"]
            case ir.Primitive():
                return [self.primitive(ref)]
            case ir.Named():
                module, name = type_import(self.api, ref.id)
                local = self.imports.name(module, name, typing_only=self.typing_only)
                typedef = self.api.type_by_id(ref.id)
                if self.accepting and isinstance(typedef, ir.ObjectType) and typedef.params_name is not None:
                    # The model, or a dict of its fields that type checkers check (the TypedDict beside it).
                    return [local, self.imports.name(module, typedef.params_name, typing_only=True)]
                if self.accepting and is_object_like(self.api, ref):
                    model_or_dict = self.imports.name(
                        runtime(self.api, "pydantic_utilities"), "ModelOrDict", typing_only=self.typing_only
                    )
                    return [f"{model_or_dict}[{local}]"]
                return [local]
            case ir.ListOf():
                item = self.render(ref.item)
                sequence = self.imports.typing("Sequence") if self.accepting else self.imports.builtin("list")
                return [f"{sequence}[{item}]"]
            case ir.MapOf():
                value = self.render(ref.value)
                return [
                    self.mapping(value)
                    if self.accepting
                    else f"{self.imports.builtin('dict')}[{self.string()}, {value}]"
                ]
            case _:
                assert_never(ref)

    def mapping(self, value: str) -> str:
        return f"{self.imports.typing('Mapping')}[{self.string()}, {value}]"

    def string(self) -> str:
        return self.imports.builtin("str")

    def primitive(self, ref: ir.Primitive) -> str:
        if ref.name == "string":
            if ref.format in ("date-time", "date"):
                dt = self.imports.import_module("datetime", DATETIME_ALIAS)
                return f"{dt}.datetime" if ref.format == "date-time" else f"{dt}.date"
            return self.string()
        if ref.name == "binary":
            if self.accepting:
                return self.imports.name(runtime(self.api, "file"), "File", typing_only=self.typing_only)
            return self.imports.builtin("bytes")
        if ref.name == "any":
            return self.imports.typing("Any")
        return self.imports.builtin({"integer": "int", "number": "float", "boolean": "bool"}[ref.name])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
