"""The API's named types: one module per type, a pydantic model or a type alias.

- Objects become ``UniversalBaseModel`` subclasses (unknown fields kept, aliases for wire
  names that are not identifiers).
- Enums become ``Union[Literal[...], str]`` aliases: known values are documented and
  checked by type checkers, and a value the spec does not know still parses.
- Unions become ``Union[...]`` aliases; with a discriminator, a tagged union that picks
  the member by the discriminator property.
- Aliases become plain type aliases.

Types that refer to each other in a cycle import each other at the end of their modules;
pydantic resolves the references when the model is first used. An alias, union or enum in a
cycle (``Json = Union[dict[str, Json], list[Json]]``) is a ``typing_extensions.TypeAliasType``
whose value is a string, evaluated on first use: every module imports, in any order.
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from typing import Literal

from generator import ir
from generator.ir import Api, TypeDef
from generator.render.annotations import Imports, annotation, input_annotation, python_literal
from generator.render.names import runtime
from generator.render.templating import HEADER, render_template
from generator.render.text import docstring, string_literal
from generator.typegraph import cycles


def is_alias_like(typedef: TypeDef) -> bool:
    """Whether the type's module evaluates its references on import (a type alias, not a class)."""
    return not isinstance(typedef, ir.ObjectType)


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    optional: bool
    """Defaults to ``None``."""
    constant: str | None
    """The literal of a constant field's one value, its default."""
    alias: str | None
    """String literal: the wire name, when the attribute is named otherwise."""
    pydantic: str | None
    """Local name of the ``pydantic`` module, when the field needs ``pydantic.Field``."""
    docstring: str


@dataclass(frozen=True)
class KeyView:
    key: str
    """The wire name (an identifier)."""
    annotation: str


@dataclass(frozen=True)
class ParamsView:
    """The ``TypedDict`` beside a model: its fields by wire name, what methods taking the model also accept."""

    name: str
    typed_dict: str
    """Local name of ``typing_extensions.TypedDict``."""
    docstring: str
    keys: tuple[KeyView, ...]


@dataclass(frozen=True)
class EnumView:
    """``Union[Literal[known values...], str]``: known values checked, others accepted."""

    union: str
    literal: str
    values: tuple[str, ...]
    """Python literals."""
    fallback: Literal["str", "int"]


@dataclass(frozen=True)
class TaggedMember:
    annotation: str
    tag: str
    """String literal: the name pydantic knows the member by."""


@dataclass(frozen=True)
class UnionView:
    """``Union[...]`` of the members, or with a discriminator, a tagged union picking one by it."""

    union: str
    members: tuple[str, ...]
    tagged: tuple[TaggedMember, ...] = ()
    annotated: str = ""
    pydantic: str = ""
    discriminated_by: str = ""
    """Local names, for a tagged union."""
    property: str = ""
    mapping: tuple[tuple[str, str], ...] = ()
    """String literals: the discriminator property, and (its value, member tag) pairs."""


def render_models(api: Api) -> dict[str, str]:
    """``{module: source}`` for every named type."""
    in_cycle = cycles(api)
    return {typedef.module_path: _render_type(api, typedef, in_cycle) for typedef in api.types}


def _render_type(api: Api, typedef: TypeDef, in_cycle: dict[str, frozenset[str]]) -> str:
    module = typedef.module_path
    params_name = typedef.params_name if isinstance(typedef, ir.ObjectType) else None
    imports = Imports(module=module, reserved={typedef.py_name} | ({params_name} if params_name else set()))
    component = in_cycle.get(typedef.id, frozenset())
    recursive = ""
    if component and is_alias_like(typedef):
        # A recursive alias: a named TypeAliasType whose value is evaluated when first used, so
        # the other types of its cycle can be imported at the end of the module.
        recursive = imports.name("typing_extensions", "TypeAliasType")
    for other_id in component - {typedef.id}:
        other = api.type_by_id(other_id)
        if isinstance(typedef, ir.ObjectType):
            (imports.late_modules if is_alias_like(other) else imports.late).add(other.module_path)
        else:
            imports.late.add(other.module_path)
    context: dict[str, object] = {
        "header": HEADER,
        "name": typedef.py_name,
        "kind": "alias",
        "fields": (),
        "recursive": recursive,
    }
    description = typedef.description
    if isinstance(typedef, ir.ObjectType):
        base = imports.name(runtime(api, "pydantic_utilities"), "UniversalBaseModel")
        fields = _fields(api, typedef, imports)
        if typedef.deprecated:
            description = "Deprecated. " + (description or "")
        context.update(kind="object", base=base, fields=fields, params=_params(api, typedef, imports))
    elif isinstance(typedef, ir.EnumType):
        context.update(kind="enum", value=_enum_value(typedef, imports))
        description = _enum_description(typedef)
    elif isinstance(typedef, ir.UnionType):
        context.update(kind="union", value=_union_value(api, typedef, imports))
    else:
        context["value"] = annotation(api, typedef.target, imports)
    context["docstring"] = docstring(description, "    " if isinstance(typedef, ir.ObjectType) else "")
    late = imports.render_late()
    context["imports"] = imports.render()
    context["late_imports"] = late
    return render_template("type.py.j2", **context)


def _fields(api: Api, typedef: ir.ObjectType, imports: Imports) -> list[FieldView]:
    views: list[FieldView] = []
    annotations = [annotation(api, f.type, imports) for f in typedef.fields]
    for f, field_annotation in zip(typedef.fields, annotations):
        name = f.attribute
        # A read-only field is absent from requests, a write-only one from responses: neither is required.
        optional = not f.required or f.read_only or f.write_only
        if optional and not field_annotation.startswith(imports.typing("Optional") + "["):
            field_annotation = f"{imports.typing('Optional')}[{field_annotation}]"
        constant = None
        if not optional and isinstance(f.type, ir.LiteralOf):
            # A constant (a message's type tag, say) need not be passed: it can only have one value.
            constant = python_literal(f.type.value)
        alias = string_literal(f.name) if name != f.name else None
        pydantic = imports.import_module("pydantic") if alias is not None else None
        description = docstring(_field_description(f), "    ")
        views.append(FieldView(name, field_annotation, optional, constant, alias, pydantic, description))
    return views


def _params(api: Api, typedef: ir.ObjectType, imports: Imports) -> ParamsView | None:
    if typedef.params_name is None:
        return None
    keys = []
    for f in typedef.fields:
        if f.read_only:  # set by the server: never sent
            continue
        value = input_annotation(api, f.type, imports, typing_only=True)
        if f.required and not isinstance(f.type, ir.LiteralOf):  # a constant is filled in when left out
            value = f"{imports.name('typing_extensions', 'Required', typing_only=True)}[{value}]"
        elif not value.startswith(imports.typing("Optional") + "["):
            value = f"{imports.typing('Optional')}[{value}]"
        keys.append(KeyView(f.name, value))
    text = (
        f"The fields of :class:`{typedef.py_name}` as a dict, by wire name: what methods taking a "
        f"``{typedef.py_name}`` also accept. Type checkers check its keys; at run time the dict is "
        "checked against the model before it is sent."
    )
    return ParamsView(
        typedef.params_name, imports.name("typing_extensions", "TypedDict"), docstring(text, "    "), tuple(keys)
    )


def _field_description(f: ir.Field) -> str:
    text = f.description or ""
    if f.read_only:
        text = "Read-only: set by the server. " + text
    elif f.write_only:
        text = "Write-only: sent, never returned. " + text
    if f.deprecated:
        text = "Deprecated. " + text
    if f.has_default and f.default is not None and not isinstance(f.default, (dict, list)):
        note = f"Defaults to ``{json.dumps(f.default, ensure_ascii=False)}`` on the server."
        text = f"{text}{chr(10) * 2 if chr(10) in text else ' '}{note}".strip()
    return text


def _enum_value(typedef: ir.EnumType, imports: Imports) -> EnumView:
    return EnumView(
        union=imports.typing("Union") if typedef.values else "",
        literal=imports.typing("Literal") if typedef.values else "",
        values=tuple(python_literal(value.value) for value in typedef.values),
        fallback="int" if typedef.base == "integer" else "str",
    )


def _enum_description(typedef: ir.EnumType) -> str:
    lines = [typedef.description or ""]
    documented = [value for value in typedef.values if value.description]
    if documented:
        lines.append("")
        lines += [f"- ``{value.value}``: {value.description}" for value in documented]
    lines.append("")
    lines.append("Other values the API may add later are accepted as they are.")
    return "\n".join(lines).strip()


def _union_value(api: Api, typedef: ir.UnionType, imports: Imports) -> UnionView:
    union = imports.typing("Union")
    members = tuple(annotation(api, member, imports) for member in typedef.members)
    if typedef.discriminator is None or not all(isinstance(member, ir.Named) for member in typedef.members):
        return UnionView(union, members)
    tags = {
        typing.cast(ir.Named, member).id: local.rsplit(".", 1)[-1] for member, local in zip(typedef.members, members)
    }
    return UnionView(
        union,
        members,
        tagged=tuple(TaggedMember(local, string_literal(local.rsplit(".", 1)[-1])) for local in members),
        annotated=imports.typing("Annotated"),
        pydantic=imports.import_module("pydantic"),
        discriminated_by=imports.name(runtime(api, "pydantic_utilities"), "discriminated_by"),
        property=string_literal(typedef.discriminator.property),
        mapping=tuple(
            (string_literal(value), string_literal(tags[type_id]))
            for value, type_id in typedef.discriminator.mapping
            if type_id in tags
        ),
    )
