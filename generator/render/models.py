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
import keyword
import re
import typing
from dataclasses import dataclass

from generator import ir
from generator.errors import SpecError
from generator.ir import Api, TypeDef
from generator.render.annotations import Imports, annotation, python_literal
from generator.render.names import CORE, type_module
from generator.render.templating import HEADER, render_template
from generator.render.text import docstring, string_literal
from generator.typerefs import type_references

BASE_MODEL_ATTRIBUTES = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw", "schema",
        "schema_json", "update_forward_refs", "validate", "model_computed_fields", "model_config",
        "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra", "model_fields",
        "model_fields_set", "model_json_schema", "model_parametrized_name", "model_post_init", "model_rebuild",
        "model_validate", "model_validate_json", "model_validate_strings", "fields",
    }
)  # fmt: skip
"""Attributes of ``pydantic.BaseModel`` a field must not shadow."""

_MODULE_NAMES = frozenset({"typing", "pydantic", "dt"})
"""Names the model modules import; a field of that name would hide them from annotations."""
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_BUILTIN_TYPES = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "None"})


def cycles(api: Api) -> dict[str, frozenset[str]]:
    """For each type in a reference cycle, the ids of its strongly connected component."""
    graph = {typedef.id: sorted(type_references(typedef)) for typedef in api.types}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: dict[str, frozenset[str]] = {}
    counter = 0

    for root in sorted(graph):
        if root in index:
            continue
        # Iterative Tarjan: (node, iterator position) frames.
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph.get(node, [])
            if position < len(successors):
                work.append((node, position + 1))
                successor = successors[position]
                if successor not in index:
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, []):
                    for member in component:
                        result[member] = frozenset(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


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
    return {type_module(api, typedef): _render_type(api, typedef, in_cycle) for typedef in api.types}


def _render_type(api: Api, typedef: TypeDef, in_cycle: dict[str, frozenset[str]]) -> str:
    module = type_module(api, typedef)
    imports = Imports(module=module, reserved={typedef.py_name})
    component = in_cycle.get(typedef.id, frozenset())
    for other_id in component - {typedef.id}:
        other = api.type_by_id(other_id)
        if is_alias_like(typedef) and is_alias_like(other):
            raise SpecError(
                f"types {typedef.name} and {other.name} are aliases of each other (a cycle without an object)", None
            )
        if isinstance(typedef, ir.ObjectType):
            (imports.late_modules if is_alias_like(other) else imports.late).add(type_module(api, other))
    context: dict[str, object] = {"header": HEADER, "name": typedef.py_name, "kind": "alias", "fields": ()}
    description = typedef.description
    if isinstance(typedef, ir.ObjectType):
        base = imports.name(f"{api.package}.{CORE}.pydantic_utilities", "UniversalBaseModel")
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


def field_names(api: Api, typedef: ir.ObjectType) -> list[str]:
    """The attribute names of the model's fields: the IR's Python names, with ``_`` appended where
    one would shadow a ``BaseModel`` attribute or a name the field annotations use."""
    imports = Imports(module=type_module(api, typedef), reserved={typedef.py_name})
    return _field_names(typedef, [annotation(api, f.type, imports) for f in typedef.fields])


def _field_names(typedef: ir.ObjectType, annotations: list[str]) -> list[str]:
    used_names = _names_in(annotations) | _MODULE_NAMES | _BUILTIN_TYPES
    names: list[str] = []
    for f in typedef.fields:
        name = f.py_name
        while name in BASE_MODEL_ATTRIBUTES or name in used_names or name in names or keyword.iskeyword(name):
            name += "_"
        names.append(name)
    return names


def _fields(api: Api, typedef: ir.ObjectType, imports: Imports) -> list[FieldView]:
    views: list[FieldView] = []
    annotations = [annotation(api, f.type, imports) for f in typedef.fields]
    for f, field_annotation, name in zip(typedef.fields, annotations, _field_names(typedef, annotations)):
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


def _names_in(annotations: list[str]) -> set[str]:
    """The bare names annotations use (imported type names), which fields must not shadow."""
    names: set[str] = set()
    for text in annotations:
        text = _STRING_LITERAL.sub("", text)
        token = ""
        for char in text + " ":
            if char.isalnum() or char in "_.":
                token += char
            else:
                if token and "." not in token and not token[0].isdigit():
                    names.add(token)
                token = ""
    return names


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
    discriminated_by = imports.name(f"{api.package}.{CORE}.pydantic_utilities", "discriminated_by")
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
