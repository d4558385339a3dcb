"""The API's named types: one module per type, a pydantic model or a type alias.

- Objects become ``UniversalBaseModel`` subclasses (unknown fields kept, aliases for wire
  names that are not identifiers).
- Enums become ``Union[Literal[...], str]`` aliases: known values are documented and
  checked by type checkers, and a value the spec does not know still parses.
- Unions become ``Union[...]`` aliases; with a discriminator, a tagged union that picks
  the member by the discriminator property.
- Aliases become plain type aliases.

Types that refer to each other in a cycle import each other at the end of their modules;
pydantic resolves the references when the model is first used.
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass

from generator import ir
from generator.ir import Api, TypeDef
from generator.render.annotations import Imports, annotation, python_literal
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
    default: str
    docstring: str


def render_models(api: Api) -> dict[str, str]:
    """``{module: source}`` for every named type."""
    in_cycle = cycles(api)
    return {typedef.module_path: _render_type(api, typedef, in_cycle) for typedef in api.types}


def _render_type(api: Api, typedef: TypeDef, in_cycle: dict[str, frozenset[str]]) -> str:
    module = typedef.module_path
    imports = Imports(module=module, reserved={typedef.py_name})
    component = in_cycle.get(typedef.id, frozenset())
    for other_id in component - {typedef.id}:  # normalise checked that no two alias-like types share one
        other = api.type_by_id(other_id)
        if isinstance(typedef, ir.ObjectType):
            (imports.late_modules if is_alias_like(other) else imports.late).add(other.module_path)
    context: dict[str, object] = {"header": HEADER, "name": typedef.py_name, "kind": "alias", "fields": ()}
    description = typedef.description
    if isinstance(typedef, ir.ObjectType):
        base = imports.name(runtime(api, "pydantic_utilities"), "UniversalBaseModel")
        fields = _fields(api, typedef, imports)
        if typedef.deprecated:
            description = "Deprecated. " + (description or "")
        context.update(kind="object", base=base, fields=fields)
    elif isinstance(typedef, ir.EnumType):
        context["value"] = _enum_value(typedef, imports)
        description = _enum_description(typedef)
    elif isinstance(typedef, ir.UnionType):
        context["value"] = _union_value(api, typedef, imports)
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
        arguments = []
        if optional:
            arguments.append("default=None")
        elif isinstance(f.type, ir.LiteralOf):
            # A constant (a message's type tag, say) need not be passed: it can only have one value.
            arguments.append(f"default={python_literal(f.type.value)}")
        if name != f.name:
            arguments.append(f"alias={string_literal(f.name)}")
        if not arguments:
            default = ""
        elif len(arguments) == 1 and arguments[0].startswith("default="):
            default = arguments[0].removeprefix("default=")
        else:
            default = f"{imports.import_module('pydantic')}.Field({', '.join(arguments)})"
        views.append(FieldView(name, field_annotation, default, docstring(_field_description(f), "    ")))
    return views


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


def _enum_value(typedef: ir.EnumType, imports: Imports) -> str:
    literal = imports.typing("Literal")
    values = ", ".join(python_literal(value.value) for value in typedef.values)
    fallback = "int" if typedef.base == "integer" else "str"
    if not typedef.values:
        return fallback
    return f"{imports.typing('Union')}[{literal}[{values}], {fallback}]"


def _enum_description(typedef: ir.EnumType) -> str:
    lines = [typedef.description or ""]
    documented = [value for value in typedef.values if value.description]
    if documented:
        lines.append("")
        lines += [f"- ``{value.value}``: {value.description}" for value in documented]
    lines.append("")
    lines.append("Other values the API may add later are accepted as they are.")
    return "\n".join(lines).strip()


def _union_value(api: Api, typedef: ir.UnionType, imports: Imports) -> str:
    union = imports.typing("Union")
    if typedef.discriminator is None or not all(isinstance(member, ir.Named) for member in typedef.members):
        members = [annotation(api, member, imports) for member in typedef.members]
        return members[0] if len(members) == 1 else f"{union}[{', '.join(members)}]"
    pydantic = imports.import_module("pydantic")
    annotated = imports.typing("Annotated")
    discriminated_by = imports.name(runtime(api, "pydantic_utilities"), "discriminated_by")
    tags: dict[str, str] = {}
    members = []
    for member in typedef.members:
        local = annotation(api, member, imports)
        tag = local.rsplit(".", 1)[-1]
        tags[typing.cast(ir.Named, member).id] = tag
        members.append(f"{annotated}[{local}, {pydantic}.Tag({string_literal(tag)})]")
    mapping = ", ".join(
        f"{string_literal(value)}: {string_literal(tags[type_id])}"
        for value, type_id in typedef.discriminator.mapping
        if type_id in tags
    )
    prop = string_literal(typedef.discriminator.property)
    return f"{annotated}[{union}[{', '.join(members)}], {discriminated_by}({prop}, {{{mapping}}})]"
