"""JSON Schema -> :class:`~generator.ir.TypeRef` and :class:`~generator.ir.TypeDef`.

:class:`Types` turns schemas into type references and collects the named types they
need. A named type's identity is where its schema is defined (``file#pointer``), so a
schema reached through many ``$ref`` paths (or from several files) is one type, and a
cyclic ``$ref`` just refers to the type being built. Component schemas become types
named after their key; inline objects, enums and discriminated unions are hoisted to
types named after where they were first met (the *hint*, e.g. parent type + property).
A type belongs to the module of the source defining it, or to its ``x-sdk-module``.

A schema sdkgen cannot type is repaired where it is met, with one located warning per place:
a keyword it cannot read is left out (an unknown ``type``, an ``enum`` that is no list, a
``discriminator`` without a usable property, a ``required`` that is no list, an ``allOf`` part);
a schema that is no schema at all (:class:`Untypeable`: not a mapping, ``properties`` or
``allOf``/``oneOf``/``anyOf`` of the wrong kind, a circular ``$ref``) is typed as any JSON value
at the nearest place that can do without it: the property, the array's items, the map's values,
the union member (left out while others remain) or the named type (an alias of any JSON value).
What cannot be generated at all (reading limits, names) is still a SpecError.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator import limits, naming
from generator.errors import Collector, Location, SpecError, warn
from generator.ir import (
    AliasType,
    Discriminator,
    EnumType,
    EnumValue,
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    Named,
    Nullable,
    ObjectType,
    Primitive,
    PrimitiveName,
    Source,
    TypeDef,
    TypeRef,
    UnionOf,
    UnionType,
)
from generator.normalise import x_sdk as extensions
from generator.normalise.nodes import Node, deref, follow
from generator.typerefs import references, unwrap_nullable

if TYPE_CHECKING:
    from generator.load import Registry

ANY = Primitive("any")
BINARY = Primitive("binary")
STRING = Primitive("string")

_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})
_SCALARS: dict[str, PrimitiveName] = {"integer": "integer", "number": "number", "boolean": "boolean"}
_STRUCTURAL = (
    "type",
    "properties",
    "$ref",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "const",
    "items",
    "additionalProperties",
)
_BINARY_MEDIA = ("application/octet-stream", "audio/", "image/", "video/")


@dataclass(frozen=True, eq=False)
class Shape:
    """An object schema with its ``allOf`` parts merged: property nodes, required names, extras."""

    properties: dict[str, Node]
    required: frozenset[str]
    additional: Node | None


class Untypeable(SpecError):
    """A schema sdkgen cannot type. The nearest place that can do without it (a property, an
    array's items, a map's values, a union member, a named type) catches it and types that as
    any JSON value, with a warning; where nothing can (an operation's own schema), the reader of
    the operation repairs it or leaves it out."""


class Types:
    """The named types met so far, and the conversion of schemas into references to them."""

    def __init__(self, registry: Registry, modules: dict[str, tuple[str, ...]], package: str) -> None:
        self.registry = registry
        self.module: tuple[str, ...] = ()
        """Module of the source being read: files it refers to that are no source get it."""
        self._modules = dict(modules)
        self._package = package
        self._defs: dict[str, TypeDef | None] = {}
        self._py_names: dict[str, str] = {}
        self._places: dict[str, Location] = {}
        self._following: set[str] = set()
        self._inline_depth = 0
        """How deep the type expression being made nests (``list[list[...]]``), for MAX_TYPE_NESTING."""
        self._claimed: dict[tuple[tuple[str, ...], str], str] = {}
        """(module, name key) -> id of the type that has the name (components claim theirs first)."""
        self._reserved: set[str] = set()
        """Ids of the component schemas of the sources: they keep their names."""
        self._components: dict[str, Node] = {}
        self._same: dict[str, Node] = {}
        """Component id -> the identical component of the same name and module it is one type with."""
        self._untyped: set[str] = set()
        """Ids of the named types that could not be typed: aliases of any JSON value."""
        self._warned: set[tuple[str, str]] = set()
        """(location, message) of every repair warned about: a schema met many times warns once."""

    def warn_once(self, message: str, location: Location | None) -> None:
        """Warn about a repair, unless the same was said about the same place already."""
        key = (str(location), message)
        if key not in self._warned:
            self._warned.add(key)
            warn(message, location)

    def begin(self, registry: Registry, module: tuple[str, ...]) -> None:
        """Read schemas of the source with this registry and module from now on."""
        self.registry, self.module = registry, module

    # ---- results ---------------------------------------------------------------------

    def typedefs(self) -> tuple[TypeDef, ...]:
        """Every named type, sorted by (module, py_name).

        Two types of one module whose names differ only in case or underscores would also share a
        module file (``HTTPError``, ``HttpError``): the later component is numbered when its name is
        derived (``reserve``); when ``x-sdk-name`` gives both names, that is a SpecError.
        """
        done = [typedef for typedef in self._defs.values() if typedef is not None]
        owners: dict[tuple[tuple[str, ...], str], str] = {}
        for typedef in done:
            key = (typedef.module, _name_key(typedef.py_name))
            other = owners.setdefault(key, typedef.id)
            if other != typedef.id:
                module = ".".join(typedef.module) or "the root module"
                raise SpecError(
                    f"type {typedef.py_name!r} collides after normalisation with the type of {other} "
                    f"({self._places[other]}) in {module}, a different definition; "
                    "give one another x-sdk-name (or $ref one from the other)",
                    self._places[typedef.id],
                )
        return tuple(sorted(done, key=lambda typedef: (typedef.module, typedef.py_name)))

    def get(self, type_id: str) -> TypeDef:
        typedef = self._defs[type_id]
        assert typedef is not None, f"type {type_id} is still being built"
        return typedef

    def object_of(self, ref: TypeRef | None) -> ObjectType | None:
        """The object type ``ref`` stands for (through Nullable and aliases), if any."""
        seen: set[str] = set()
        while ref is not None:
            ref = unwrap_nullable(ref)
            if not isinstance(ref, Named) or ref.id in seen:
                return None
            seen.add(ref.id)
            typedef = self.get(ref.id)
            if isinstance(typedef, ObjectType):
                return typedef
            ref = typedef.target if isinstance(typedef, AliasType) else None
        return None

    # ---- entry points ----------------------------------------------------------------

    def _component_schemas(self, root: Node) -> list[tuple[str, Node]]:
        """The component schemas of a document; ``components.schemas`` may be a ``$ref`` to the map."""
        return _items(deref(self.registry, root.child("components", "schemas")))

    def reserve(self, root: Node) -> None:
        """Claim the names of the component schemas of a source before any type is made, so that
        an inline schema hoisted under a name a component has gets another one (``UserRole2``)."""
        self._modules.setdefault(root.doc.file, self.module)
        for name, node in self._component_schemas(root):
            if isinstance(node.value, dict) and "$ref" in node.value:
                continue
            py_name = extensions.type_name(node) or naming.class_name(name)
            module = extensions.module(node) or self._modules[node.doc.file]
            owner = self._claimed.setdefault((module, _name_key(py_name)), node.id)
            other = self._components.get(owner) if owner != node.id else None
            if other is not None and other.value == node.value:
                # The same definition in another source (a shared schema copied into both): one type.
                self._same[node.id] = other
                continue
            self._components[node.id] = node
            if owner != node.id and extensions.type_name(node) is None:
                # Another definition under the same name, or one that differs only in case or underscores
                # (FileDto, FileDTO): not reserved, so it is numbered when defined (FileDto2). Named by
                # x-sdk-name, it collides (typedefs).
                first = self._components[owner].location if owner in self._components else owner
                self.warn_once(
                    f"the component {name!r} would be the class {py_name} of the module the different definition "
                    f"at {first} is; it is numbered (x-sdk-name names it otherwise)",
                    node.location,
                )
                continue
            self._reserved.add(node.id)

    def components(self, root: Node) -> None:
        """Define every schema under ``components.schemas`` of a document."""
        collector = Collector()
        for name, node in self._component_schemas(root):
            try:
                self._define(node, name, named=True)
            except SpecError as error:  # every schema's problems are reported in one run
                self._defs.pop(node.id, None)
                collector.add(error)
        collector.done()

    def ref(self, node: Node, hint: str, hoist: bool = True) -> TypeRef:
        """The type of the schema at ``node``; ``hint`` names what gets hoisted from it.

        With ``hoist=False`` the schema itself is not made a named type (its parts may be). What
        cannot be typed inside it is repaired there, with a warning; the schema itself that cannot
        be is :class:`Untypeable`, for the caller to repair (:meth:`ref_or_any`).
        """
        schema = node.value
        if schema is None or isinstance(schema, bool):
            return ANY
        _check_structure(node)
        if "$ref" in schema:
            inner = self._target(follow(self.registry, node), hint)
            return _nullable(inner) if schema.get("nullable") is True else inner
        self._types(node)
        hoisted = hoist and self._hoisted(node)
        if hoisted:
            own: TypeRef = Named(self._define(node, limits.shortened(hint)))
        else:
            if self._inline_depth >= limits.MAX_TYPE_NESTING:
                raise node.fail(
                    f"the type nests more than {limits.MAX_TYPE_NESTING} inline schemas (arrays of arrays...) "
                    "deep, deeper than Python code can spell; give a part a name under components"
                )
            self._inline_depth += 1
            try:
                own = self._shape(node, hint)
            finally:
                self._inline_depth -= 1
        return _nullable(own) if _has_null(schema) else own

    def shape(self, node: Node) -> Shape:
        """Properties, required names and extras of an object schema, ``allOf`` merged.

        An ``allOf`` part that cannot be read (it includes itself, or is no schema) is left out
        with a warning; the schema at ``node`` itself that cannot be is :class:`Untypeable`.
        """
        properties: dict[str, Node] = {}
        required: set[str] = set()
        additional: list[Node] = []

        def visit(written: Node, stack: tuple[str, ...]) -> None:
            part = self._deref(written)
            if part.id in stack:
                raise Untypeable(
                    f"allOf composition includes itself (it leads back to {part.pointer})", written.location
                )
            _check_structure(part)
            for sub in _elements(part, "allOf"):
                try:
                    visit(sub, (*stack, part.id))
                except Untypeable as error:
                    self.warn_once(f"{error.message}; {_which(sub, error, 'allOf part')} is left out", error.location)
            for name, prop in _entries(part, "properties"):
                properties[name] = prop
            names = part.get("required")
            if isinstance(names, list):
                required.update(str(name) for name in names)
            elif names is not None:
                self.warn_once(
                    "'required' must be a list of property names; it is left out, so it makes no property required",
                    part.child("required").location,
                )
            if isinstance(part.value, dict) and "additionalProperties" in part.value:
                additional.append(part.child("additionalProperties"))

        visit(node, ())
        return Shape(properties, frozenset(required), additional[-1] if additional else None)

    def tag(self, node: Node, prop: str) -> str | None:
        """The constant string value of property ``prop`` in the object schema at ``node``
        (None as well when the schema cannot be read: typing it says why)."""
        try:
            found = self.shape(node).properties.get(prop)
            return _tag_value(self._deref(found).value) if found is not None else None
        except Untypeable:
            return None

    def infer_discriminator(self, nodes: list[Node]) -> tuple[str, list[str]] | None:
        """A property every schema requires, each with a distinct constant value, and the values."""
        if not nodes:
            return None
        try:
            shapes = [self.shape(node) for node in nodes]
        except Untypeable:  # a member that cannot be read has no tag; typing it says why
            return None
        for prop in shapes[0].properties:
            tags = [
                (self._tag_of(shape.properties[prop]) if prop in shape.properties and prop in shape.required else None)
                for shape in shapes
            ]
            values = [tag for tag in tags if tag is not None]
            if len(values) == len(tags) and len(set(values)) == len(values):
                return prop, values
        return None

    def _tag_of(self, prop: Node) -> str | None:
        """The one string the property schema at ``prop`` allows, if so."""
        try:
            return _tag_value(self._deref(prop).value)
        except Untypeable:
            return None

    def ref_or_any(self, node: Node, hint: str, instead: str) -> TypeRef:
        """:meth:`ref`, or any JSON value when the schema cannot be typed, with a warning that
        says what was wrong and, in ``instead``, what is typed as any JSON value instead."""
        try:
            return self.ref(node, hint)
        except Untypeable as error:
            self.warn_once(f"{error.message}; {instead}", error.location or node.location)
            return ANY

    def _deref(self, node: Node) -> Node:
        """Follow ``$ref`` until a node that is not one; a cycle of refs is :class:`Untypeable`."""
        seen: set[str] = set()
        while isinstance(node.value, dict) and "$ref" in node.value:
            if node.id in seen:
                raise Untypeable("circular $ref", node.location)
            _check_structure(node)
            seen.add(node.id)
            node = follow(self.registry, node)
        return node

    def _is_untyped(self, ref: TypeRef) -> bool:
        """Whether ``ref`` names a type that could not be typed (an alias of any JSON value)."""
        ref = unwrap_nullable(ref)
        return isinstance(ref, Named) and ref.id in self._untyped

    # ---- named types -----------------------------------------------------------------

    def _target(self, target: Node, hint: str) -> TypeRef:
        """The type of a ``$ref`` target: its own named type, or converted where it is."""
        name = _component_name(target)
        if name is not None:
            return Named(self._define(target, name, named=True))
        if target.id in self._following:
            raise Untypeable("circular $ref", target.location)
        self._following.add(target.id)
        try:
            return self.ref(target, hint)
        finally:
            self._following.discard(target.id)

    def _define(self, node: Node, name: str, named: bool = False) -> str:
        """Make the schema at ``node`` a named type (once) and return its id.

        ``named``: the schema is named where it is defined (a component, a ``$defs`` entry): when
        it cannot be typed, it is an alias of any JSON value (said once); a hoisted inline schema
        that cannot be is forgotten, and the place using it repairs that.
        """
        if node.id in self._same:
            node = self._same[node.id]
        if node.id not in self._defs:
            self._defs[node.id] = None
            self._places[node.id] = node.location
            self._modules.setdefault(node.doc.file, self.module)
            custom = extensions.type_name(node)
            name = custom or name
            py_name = custom or naming.class_name(name)
            if not custom and node.id not in self._reserved:
                py_name = self._free_name(node, py_name)
            self._py_names[node.id] = py_name
            outer, self._inline_depth = self._inline_depth, 0  # a named type's fields start a new expression
            try:
                self._defs[node.id] = self._build(node, name, self._py_names[node.id])
            except Untypeable as error:
                if not named:
                    self._forget(node)  # the place using it types it as any JSON value, or leaves it out
                    raise
                self.warn_once(f"{error.message}; the type {py_name} is an alias of any JSON value", error.location)
                self._untyped.add(node.id)
                self._defs[node.id] = self._any_alias(node, name, py_name)
            except SpecError:
                self._forget(node)  # a caller may leave the use out (an operation's response, say) and go on
                raise
            finally:
                self._inline_depth = outer
        return node.id

    def _any_alias(self, node: Node, name: str, py_name: str) -> AliasType:
        """The named type of a schema that could not be typed: an alias of any JSON value."""
        module = extensions.module(node) or self._modules[node.doc.file]
        path = naming.type_module(self._package, module, py_name)
        description = node.text("description") if isinstance(node.value, dict) else None
        return AliasType(node.id, name, py_name, module, path, Source(node.doc.file, node.pointer), ANY, description)

    def _forget(self, node: Node) -> None:
        """Undo the start of a definition that failed, so that nothing refers to it."""
        for table in (self._defs, self._places, self._py_names):
            table.pop(node.id, None)
        for key in [key for key, owner in self._claimed.items() if owner == node.id]:
            del self._claimed[key]

    def _free_name(self, node: Node, py_name: str) -> str:
        """``py_name``, or with a number added when another type of the module has it."""
        module = extensions.module(node) or self._modules[node.doc.file]
        candidate, counter = py_name, 2
        while self._claimed.setdefault((module, _name_key(candidate)), node.id) != node.id:
            candidate = f"{py_name}{counter}"
            counter += 1
        return candidate

    def _hoisted(self, node: Node) -> bool:
        """Whether an inline schema becomes a named type of its own."""
        schema = node.value
        if "x-sdk-name" in schema or "x-sdk-module" in schema or "x-fern-type-name" in schema:
            return True
        values = _enum_values(schema)
        if values is not None:
            return len(values) >= 2
        if self._is_object(node):
            return True
        members = _union_members(node)
        return len(members) >= 2 and self._discriminator(node, members) is not None

    def _build(self, node: Node, name: str, py_name: str) -> TypeDef:
        if node.value is not None and not isinstance(node.value, (dict, bool)):
            raise Untypeable("a schema must be a mapping", node.location)
        schema = node.value if isinstance(node.value, dict) else {}
        if schema:
            _check_structure(node)
        module = extensions.module(node) or self._modules[node.doc.file]
        path = naming.type_module(self._package, module, py_name)
        source = Source(node.doc.file, node.pointer)
        description = node.text("description") if schema else None
        body = self._inline_lone_part(node)
        if body is not node:
            # `{allOf: [<one inline schema>]}`: the part is the type itself, under this name.
            _check_structure(body)
            schema = body.value
            description = description or body.text("description")
        if schema:
            self._types(body)  # an unknown type name is said (and left out) here, whatever the type is
        values = _enum_values(schema)
        if values is not None:
            entries = _enum_members(values)
            if all(isinstance(value, int) for value in values):
                return EnumType(node.id, name, py_name, module, path, source, entries, description, base="integer")
            return EnumType(node.id, name, py_name, module, path, source, entries, description)
        if self._is_object(body):
            return self._object(node, name, py_name, module, path, source, description)
        members = _union_members(body)
        if len(members) >= 2:
            return self._union(body, members, name, py_name, module, path, source, description, node.id)
        target = self.ref(body, py_name, hoist=False)
        return AliasType(node.id, name, py_name, module, path, source, target, description)

    def _is_object(self, node: Node) -> bool:
        schema = node.value
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            return True
        return "allOf" in schema and self._lone_part(node) is None

    def _object(
        self,
        node: Node,
        name: str,
        py_name: str,
        module: tuple[str, ...],
        path: str,
        source: Source,
        description: str | None,
    ) -> ObjectType:
        shape = self.shape(node)
        properties = list(shape.properties.items())
        py_names = naming.dedupe(naming.field_name(wire) for wire, _ in properties)
        refs = [
            self.ref_or_any(
                prop, py_name + naming.pascal(wire), f"the property {wire!r} of {py_name} is typed as any JSON value"
            )
            for wire, prop in properties
        ]
        attributes = naming.model_attributes(py_names, {self._py_names[i] for ref in refs for i in references(ref)})
        fields = tuple(
            self._field(prop, wire, ref, (field_py_name, attribute), wire in shape.required)
            for (wire, prop), ref, field_py_name, attribute in zip(properties, refs, py_names, attributes)
        )
        additional: TypeRef | None = None
        if shape.additional is not None and shape.additional.value not in (False, None):
            additional = self.ref_or_any(
                shape.additional,
                py_name + "Value",
                f"the additional properties of {py_name} are typed as any JSON value",
            )
        deprecated = node.get("deprecated") is True
        typed_dict = additional is None and all(naming.is_plain_identifier(wire) for wire, _ in properties)
        params_name = naming.params_class(py_name) if typed_dict else None
        return ObjectType(
            node.id, name, py_name, module, path, source, fields, description, additional, deprecated, params_name
        )

    def _field(self, prop: Node, wire: str, ref: TypeRef, names: tuple[str, str], required: bool) -> Field:
        """The field of property ``wire``: its type ``ref`` and (Python name, model attribute) ``names``."""
        schema = prop.value if isinstance(prop.value, dict) else {}
        return Field(
            name=wire,
            py_name=names[0],
            attribute=names[1],
            type=ref,
            required=required,
            description=prop.text("description") if schema else None,
            has_default="default" in schema,
            default=schema.get("default"),
            deprecated=schema.get("deprecated") is True,
            read_only=schema.get("readOnly") is True,
            write_only=schema.get("writeOnly") is True,
            **example_of(schema),
        )

    # ---- unions ----------------------------------------------------------------------

    def _union(
        self,
        node: Node,
        members: list[Node],
        name: str,
        py_name: str,
        module: tuple[str, ...],
        path: str,
        source: Source,
        description: str | None,
        own_id: str | None = None,
    ) -> UnionType | AliasType:
        found = self._discriminator(node, members)
        tags: list[str | None] = list(found[1]) if found else [None] * len(members)
        hints = [py_name + (naming.pascal(tag) if tag else f"Variant{index + 1}") for index, tag in enumerate(tags)]
        kept = self._kept_members(members, hints)
        type_id = own_id or node.id
        if len(kept) < len(members):
            if len(kept) < 2:  # what remains of the union is one type, or any JSON value
                target = kept[0][1] if kept else ANY
                return AliasType(type_id, name, py_name, module, path, source, target, description)
            members = [members[index] for index, _ in kept]  # the discriminator is read from those left
            found = self._discriminator(node, members)
            tags = list(found[1]) if found else [None] * len(members)
        refs = tuple(ref for _, ref in kept)
        discriminator = None
        if found is not None:
            try:
                discriminator = self._tag_table(node, found, members, tags, refs, py_name)
            except SpecError as error:
                # A discriminator the SDK cannot use: the union still parses, trying each member.
                self.warn_once(f"{error.message}; ignoring the discriminator {found[0]!r}", error.location)
        return UnionType(type_id, name, py_name, module, path, source, refs, discriminator, description)

    def _kept_members(self, members: list[Node], hints: list[str]) -> list[tuple[int, TypeRef]]:
        """(index, type) of each union member that can be typed, each named after its hint.

        A member that cannot be typed, or that names a type that could not be (an alias of any
        JSON value), is left out with a warning while other members remain; with none left, the
        caller types the union as any JSON value.
        """
        typed: list[tuple[int, TypeRef]] = []
        failed: list[tuple[int, Untypeable]] = []
        for index, (member, hint) in enumerate(zip(members, hints)):
            try:
                typed.append((index, self.ref(member, hint)))
            except Untypeable as error:
                failed.append((index, error))
        kept = [(index, ref) for index, ref in typed if not self._is_untyped(ref)]
        for index, problem in failed:
            outcome = f"{_which(members[index], problem, 'union member')} is left out" + (
                "" if kept else "; with no member left, the union is typed as any JSON value"
            )
            self.warn_once(f"{problem.message}; {outcome}", problem.location or members[index].location)
        for index, ref in typed:
            inner = unwrap_nullable(ref)
            if kept and isinstance(inner, Named) and inner.id in self._untyped:
                self.warn_once(
                    f"the union member names {self.get(inner.id).py_name}, an alias of any JSON value (it could not be "
                    "typed); it is left out of the union",
                    members[index].location,
                )
        return kept

    def _tag_table(
        self,
        node: Node,
        found: tuple[str, list[str | None], list[tuple[str, Node]]],
        members: list[Node],
        tags: list[str | None],
        refs: tuple[TypeRef, ...],
        py_name: str,
    ) -> Discriminator:
        prop, _, explicit = found
        pairs = []
        for value, target in explicit:
            ref = self._target(target, py_name + naming.pascal(value))
            if self._is_untyped(ref):
                self.warn_once(
                    f"discriminator mapping {value!r} names {self.get(_named_id(ref, target)).py_name}, an alias of "
                    "any JSON value (it could not be typed); this mapping entry is left out",
                    node.child("discriminator", "mapping", value).location,
                )
                continue
            pairs.append((value, _named_id(ref, target)))
        mapped = {type_id for _, type_id in pairs}
        for member, tag, ref in zip(members, tags, refs):
            type_id = _named_id(ref, member)
            if type_id in mapped:
                continue
            if tag is None:
                raise member.fail(f"union member has no constant value for discriminator {prop!r}")
            pairs.append((tag, type_id))
        return Discriminator(prop, tuple(pairs))

    def _discriminator(
        self, node: Node, members: list[Node]
    ) -> tuple[str, list[str | None], list[tuple[str, Node]]] | None:
        """Discriminator property, each member's value (if known) and explicit mapping targets."""
        raw = node.get("discriminator")
        prop = raw.get("propertyName") if isinstance(raw, dict) else raw
        if prop is not None and not isinstance(prop, str):
            self.warn_once(
                "discriminator.propertyName must be a string; the discriminator is ignored (read as if absent)",
                node.child("discriminator").location,
            )
            prop = None
        if prop is None:
            inferred = self.infer_discriminator(members)
            return (inferred[0], [*inferred[1]], []) if inferred else None
        explicit = []
        mapping = raw.get("mapping") if isinstance(raw, dict) else None
        if mapping is not None and not isinstance(mapping, dict):
            self.warn_once(
                "discriminator.mapping must be a mapping; it is left out",
                node.child("discriminator", "mapping").location,
            )
            mapping = None
        for value, target in (mapping or {}).items():
            ref = (
                target
                if "#" in str(target) or str(target).endswith((".yaml", ".yml", ".json"))
                else f"#/components/schemas/{target}"
            )
            at = node.child("discriminator", "mapping", value)
            try:
                doc, pointer, found = self.registry.resolve(ref, node.doc, at.pointer)
            except SpecError as error:
                self.warn_once(
                    f"discriminator mapping {value!r}: {error.message}; this mapping entry is left out", at.location
                )
                continue
            explicit.append((str(value), Node(doc, pointer, found)))
        tags = [self.tag(member, prop) or _implicit_tag(self.registry, member) for member in members]
        return prop, tags, explicit

    # ---- anonymous shapes ------------------------------------------------------------

    def _shape(self, node: Node, hint: str) -> TypeRef:
        """The type of a schema that is not hoisted (its null part left to the caller)."""
        schema = node.value
        enum = schema.get("enum")
        if "enum" in schema and not isinstance(enum, list):
            self.warn_once("'enum' must be a list of values; it is left out", node.child("enum").location)
        if "const" in schema or isinstance(enum, list):
            values = [schema["const"]] if "const" in schema else [v for v in enum or () if v is not None]
            if all(value is None or isinstance(value, (str, int, float)) for value in values):
                # Literal types take strings, integers and booleans, not floats: a float value is a float.
                floats = [value for value in values if isinstance(value, float)]
                literals: list[TypeRef] = [LiteralOf(value) for value in values if not isinstance(value, float)]
                return _union_of(literals + ([Primitive("number")] if floats else []))
            self.warn_once(
                "an object or array constant is not supported; typing it by the rest of its schema", node.location
            )
        if "allOf" in schema:
            lone = self._lone_part(node)
            if lone is not None:
                return self.ref(lone, hint)
        if "oneOf" in schema or "anyOf" in schema:
            members = _union_members(node)
            hints = [f"{hint}Variant{index + 1}" for index in range(len(members))]
            return _union_of([ref for _, ref in self._kept_members(members, hints)])
        types = self._types(node)
        if not types:
            if "items" in schema:
                types = ["array"]
            elif "properties" in schema or "additionalProperties" in schema:
                types = ["object"]
            else:
                return ANY
        return _union_of([self._typed(node, kind, hint) for kind in types])

    def _typed(self, node: Node, kind: str, hint: str) -> TypeRef:
        schema = node.value
        fmt = schema.get("format") if isinstance(schema.get("format"), str) else None
        if kind == "string":
            media = schema.get("contentMediaType")
            if fmt == "binary" or (isinstance(media, str) and media.startswith(_BINARY_MEDIA)):
                return BINARY
            return Primitive("string", fmt)
        if kind in _SCALARS:
            return Primitive(_SCALARS[kind], fmt)
        if kind == "array":
            item = self.ref_or_any(node.child("items"), hint + "Item", "the array's items are typed as any JSON value")
            return ListOf(item, unique=schema.get("uniqueItems") is True)
        if kind == "object":
            extra = node.child("additionalProperties")
            return MapOf(self.ref_or_any(extra, hint + "Value", "the map's values are typed as any JSON value"))
        return ANY

    def _types(self, node: Node) -> list[str]:
        """The non-null ``type`` values; an unknown one is left out, with a warning."""
        raw = node.value.get("type")
        if raw is None:
            return []
        listed = raw if isinstance(raw, list) else [raw]
        known = [kind for kind in listed if isinstance(kind, str) and kind in _TYPES]
        kept = [kind for kind in known if kind != "null"]
        unknown = [kind for kind in listed if kind not in known]
        if unknown:
            if kept:
                rest = f"the schema is typed by the rest ({', '.join(kept)})"
            elif any(key in node.value for key in _STRUCTURAL if key != "type"):
                rest = "the schema is typed by its other keywords"
            else:
                rest = "the value is typed as any JSON value"
            names = ", ".join(repr(kind) for kind in unknown)
            self.warn_once(
                f"unknown type {names} (expected one of {', '.join(sorted(_TYPES))}); left out: {rest}",
                node.child("type").location,
            )
        return kept

    def _inline_lone_part(self, node: Node) -> Node:
        """The schema that says what the type at ``node`` is: an inline lone ``allOf`` part (followed
        through nested ones), else ``node`` itself. A ``$ref`` part stays a reference (an alias)."""
        seen = 0
        while isinstance(node.value, dict) and "allOf" in node.value and seen < 32:
            lone = self._lone_part(node)
            if lone is None or "$ref" in lone.value:
                break
            node, seen = lone, seen + 1
        return node

    def _lone_part(self, node: Node) -> Node | None:
        """The one part of an ``allOf`` that says what the type is, when the others only annotate."""
        if node.get("properties"):
            return None
        parts = []
        for part in _elements(node, "allOf"):
            if isinstance(part.value, dict):
                parts.append(part)
            elif part.value is not None and not isinstance(part.value, bool):
                self.warn_once("a schema must be a mapping; this allOf part is left out", part.location)
        structural = [part for part in parts if any(key in part.value for key in _STRUCTURAL)]
        return structural[0] if len(structural) == 1 else None


# ---- helpers on raw schemas ------------------------------------------------------------


def _items(node: Node) -> list[tuple[str, Node]]:
    """The members of the mapping at ``node``, as nodes."""
    if node.value is None:
        return []
    if not isinstance(node.value, dict):
        raise node.fail("expected a mapping")
    return [(str(name), node.child(str(name))) for name in node.value]


def _name_key(py_name: str) -> str:
    """Names that differ only in case or underscores share a module file."""
    return py_name.lower().replace("_", "")


def _component_name(node: Node) -> str | None:
    """The name of a schema that is named where it is defined (component, $defs, schema file)."""
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in node.pointer.split("/")[1:]]
    if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
        return tokens[2]
    if len(tokens) >= 2 and tokens[-2] in ("$defs", "definitions") and (len(tokens) == 2 or _in_schema(tokens)):
        return tokens[-1]
    data = node.doc.data
    if len(tokens) > 1 or (isinstance(data, dict) and ("openapi" in data or "asyncapi" in data)):
        return None
    # A file of schemas only: the file itself, or one of its top-level entries.
    return tokens[0] if tokens else posixpath.splitext(posixpath.basename(node.doc.file))[0]


def _in_schema(tokens: list[str]) -> bool:
    """Whether ``tokens`` ending in ``$defs/<name>`` name a schema's definitions (not a property called ``$defs``)."""
    return len(tokens) < 3 or tokens[-3] != "properties"


def _check_structure(node: Node) -> None:
    """:class:`Untypeable` when the schema at ``node`` is no schema: not a mapping (or boolean), a
    ``$ref`` that is not a string, ``properties`` that is not a mapping, or ``allOf``, ``oneOf``
    or ``anyOf`` that is not a list."""
    schema = node.value
    if schema is None or isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise Untypeable("a schema must be a mapping", node.location)
    if "$ref" in schema and not isinstance(schema["$ref"], str):
        raise Untypeable("$ref must be a string", node.child("$ref").location)
    if schema.get("properties") is not None and not isinstance(schema["properties"], dict):
        raise Untypeable("'properties' must be a mapping", node.child("properties").location)
    for key in ("allOf", "oneOf", "anyOf"):
        if schema.get(key) is not None and not isinstance(schema[key], list):
            raise Untypeable(f"{key!r} must be a list", node.child(key).location)


def _which(part: Node, error: SpecError, what: str) -> str:
    """``this <what>`` when ``error`` is located at ``part`` itself, else ``the <what> <pointer>``."""
    here = error.location is None or (error.location.file, error.location.pointer) == (part.doc.file, part.pointer)
    return f"this {what}" if here else f"the {what} {part.pointer}"


def _elements(node: Node, key: str) -> list[Node]:
    """The members of the list at ``key`` of a schema, as nodes; no list there is :class:`Untypeable`."""
    sequence = node.get(key)
    if sequence is None:
        return []
    if not isinstance(sequence, list):
        raise Untypeable(f"{key!r} must be a list", node.child(key).location)
    return [node.child(key, index) for index in range(len(sequence))]


def _entries(node: Node, key: str) -> list[tuple[str, Node]]:
    """The members of the mapping at ``key`` of a schema, as nodes; no mapping there is :class:`Untypeable`."""
    mapping = node.get(key)
    if mapping is None:
        return []
    if not isinstance(mapping, dict):
        raise Untypeable(f"{key!r} must be a mapping", node.child(key).location)
    return [(str(name), node.child(key, str(name))) for name in mapping]


def _is_null_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("enum") == [None] or ("const" in schema and schema["const"] is None)
    )


def _has_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if schema.get("nullable") is True or kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    members = schema.get("oneOf", schema.get("anyOf"))
    return isinstance(members, list) and any(_is_null_schema(member) for member in members)


def _nullable(ref: TypeRef) -> TypeRef:
    return ref if isinstance(ref, Nullable) else Nullable(ref)


def _union_members(node: Node) -> list[Node]:
    key = "oneOf" if "oneOf" in node.value else "anyOf"
    return [member for member in _elements(node, key) if not _is_null_schema(member.value)]


def _union_of(refs: list[TypeRef]) -> TypeRef:
    """One type, or the union of the distinct ones; nothing at all is ``any``."""
    distinct: list[TypeRef] = []
    for ref in refs:
        if ref not in distinct:
            distinct.append(ref)
    if not distinct:
        return ANY
    return distinct[0] if len(distinct) == 1 else UnionOf(tuple(distinct))


def _enum_values(schema: dict[str, Any]) -> list[str | int] | None:
    """Non-null values of a string or integer enum, or None if it is no such enum."""
    raw = schema.get("enum")
    if not isinstance(raw, list):
        return None
    values = [value for value in raw if value is not None]
    if values and all(isinstance(value, str) for value in values):
        return values
    if values and all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return values
    return None


def _enum_members(values: list[str | int]) -> tuple[EnumValue, ...]:
    names = naming.dedupe(naming.upper_snake(str(value)) for value in values)
    return tuple(EnumValue(value, py_name) for value, py_name in zip(values, names))


def _tag_value(schema: Any) -> str | None:
    """The one string a schema allows (``const`` or a one-value enum), if so."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("const"), str):
        return str(schema["const"])
    values = _enum_values(schema)
    return values[0] if values and len(values) == 1 and isinstance(values[0], str) else None


def _implicit_tag(registry: Registry, member: Node) -> str | None:
    """OpenAPI's implicit discriminator value: the component name of a ``$ref`` member."""
    if isinstance(member.value, dict) and isinstance(member.value.get("$ref"), str):
        return _component_name(follow(registry, member))
    return None


def _named_id(ref: TypeRef, node: Node) -> str:
    if not isinstance(ref, Named):
        raise node.fail("a member of a discriminated union must be a named object type")
    return ref.id


def example_of(*owners: Any) -> dict[str, Any]:
    """``example``/``has_example`` from the first of ``owners`` (mappings) that gives an example.

    An owner gives one with ``example``, or with ``examples``: a list (JSON Schema 2020-12,
    the first item) or a map of OpenAPI Example Objects (the first one's ``value``).
    """
    for owner in owners:
        if not isinstance(owner, dict):
            continue
        if "example" in owner:
            return {"example": owner["example"], "has_example": True}
        examples = owner.get("examples")
        if isinstance(examples, list) and examples:
            return {"example": examples[0], "has_example": True}
        if isinstance(examples, dict):
            for entry in examples.values():
                if isinstance(entry, dict) and "value" in entry:
                    return {"example": entry["value"], "has_example": True}
    return {}


def json_shaped(registry: Registry, schema: Node, depth: int = 0) -> bool:
    """Whether a schema can only be JSON: an object or an array (or a union of them)."""
    value = schema.value
    if not isinstance(value, dict) or depth > 8:
        return False
    kinds = value.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    if kinds:
        return all(kind in ("object", "array", "null") for kind in kinds) and any(k != "null" for k in kinds)
    if "properties" in value or "items" in value:
        return True
    for key in ("oneOf", "anyOf", "allOf"):
        parts = schema.elements(key) if isinstance(value.get(key), list) else []
        try:
            if parts and all(json_shaped(registry, deref(registry, part), depth + 1) for part in parts):
                return True
        except SpecError:  # a circular $ref: typing the schema says so
            return False
    return False
