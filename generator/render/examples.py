"""Example values from types and the specs' examples: for the docs' examples and the contract tests.

:func:`example` builds an :class:`Example` tree for a type reference: the smallest value
that the API description accepts (required fields only, the first enum value, the first
union member, one list item), except where the spec gives an example value that fits the
type (a scalar or a list of scalars: see :func:`accepts`). The same tree is rendered as
Python source for docstrings and ``reference.md`` (:func:`source`, laid out in black's
style by :func:`lay_out`, no formatter involved) and turned into real argument values by
the contract tests (:func:`value`), so what the docs show is what the tests send.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, replace
from typing import Any

from typing_extensions import assert_never

from generator import ir, responses
from generator.ir import Api, Endpoint, TypeRef
from generator.render.annotations import python_literal, type_import
from generator.render.names import errors_package
from generator.render.signatures import streamed
from generator.render.text import string_literal
from generator.typerefs import is_binary

MAX_DEPTH = 8
DOCS_LINE_LENGTH = 88
FULL_DEPTH = 3

SAMPLE_FILE = b"RIFF0000WAVEfmt0000data"
"""The bytes the tests upload where the API takes a file (no URL-reserved characters: Prism checks)."""


@dataclass(frozen=True)
class Scalar:
    value: ir.JsonValue


@dataclass(frozen=True)
class Obj:
    """An object; ``type_id`` names its model (``None`` for an anonymous object)."""

    type_id: str | None
    fields: tuple[tuple[str, str, Example], ...]
    """(Python name, wire name, value) of each field set."""


@dataclass(frozen=True)
class Items:
    items: tuple[Example, ...]


@dataclass(frozen=True)
class Entries:
    entries: tuple[tuple[str, Example], ...]


@dataclass(frozen=True)
class FileUpload:
    filename: str


Example = Scalar | Obj | Items | Entries | FileUpload

_STRING_FORMATS = {
    "uuid": "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b",
    "uuid4": "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b",
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "byte": "UklGRiQAAABXQVZF",
}


def example(
    api: Api,
    ref: TypeRef,
    hint: str = "",
    depth: int = 0,
    default: ir.JsonValue = None,
    has_default: bool = False,
    full: bool = False,
    sample: ir.JsonValue = None,
    has_sample: bool = False,
) -> Example:
    """The example value of type ``ref`` (``hint`` is the name it goes by, used for strings).

    ``sample`` is the example value the spec gives (with ``has_sample``): used when it is a
    scalar, or a list of scalars, that the type accepts. With ``full``, objects get their
    optional fields too (down to ``FULL_DEPTH``).
    """
    if has_sample and _is_scalars(sample) and accepts(api, ref, sample):
        return Scalar(sample)
    if has_default and default is not None and not isinstance(default, (dict, list)):
        return Scalar(default)
    match ref:
        case ir.Primitive():
            return _primitive(ref, hint)
        case ir.LiteralOf():
            return Scalar(ref.value)
        case ir.Nullable():
            return example(api, ref.inner, hint, depth, full=full)
        case ir.ListOf():
            item = example(api, ref.item, hint, depth + 1, full=full)
            # Two files, not one: a multipart list of one file cannot be told from a single file.
            return Items((item, FileUpload(item.filename + "2")) if isinstance(item, FileUpload) else (item,))
        case ir.MapOf():
            return Entries((("key", example(api, ref.value, "value", depth + 1, full=full)),))
        case ir.UnionOf():
            return example(api, _first_member(ref.members), hint, depth, full=full)
        case ir.Named():
            return _named(api, ref.id, hint, depth, full)
        case _:
            assert_never(ref)


def _first_member(members: tuple[TypeRef, ...]) -> TypeRef:
    for member in members:
        if not (isinstance(member, ir.LiteralOf) and member.value is None):
            return member
    return members[0]


def _primitive(ref: ir.Primitive, hint: str) -> Example:
    if ref.name == "string":
        return Scalar(_STRING_FORMATS.get(ref.format or "", hint or "string"))
    if ref.name == "integer":
        return Scalar(1)
    if ref.name == "number":
        return Scalar(0.5)
    if ref.name == "boolean":
        return Scalar(True)
    if ref.name == "binary":
        return FileUpload(hint or "file")
    return Scalar(hint or "value")


def _named(api: Api, type_id: str, hint: str, depth: int, full: bool, tag: tuple[str, str] | None = None) -> Example:
    typedef = api.type_by_id(type_id)
    if isinstance(typedef, ir.EnumType):
        return Scalar(typedef.values[0].value if typedef.values else hint)
    if isinstance(typedef, ir.AliasType):
        return example(api, typedef.target, hint, depth, full=full)
    if isinstance(typedef, ir.UnionType):
        member = _first_member(typedef.members)
        if typedef.discriminator is not None and isinstance(member, ir.Named):
            value = next((v for v, target in typedef.discriminator.mapping if target == member.id), None)
            if value is not None:
                return _named(api, member.id, hint, depth, full, (typedef.discriminator.property, value))
        return example(api, member, hint, depth, full=full)
    fields: list[tuple[str, str, Example]] = []
    for f in typedef.fields:
        if tag is not None and f.name == tag[0]:
            fields.append((f.py_name, f.name, Scalar(tag[1])))
        elif not f.read_only and (f.required and depth < MAX_DEPTH or full and depth < FULL_DEPTH):
            item = example(api, f.type, f.name, depth + 1, f.default, f.has_default, full, f.example, f.has_example)
            fields.append((f.py_name, f.name, item))
    return Obj(type_id, tuple(fields))


def _is_scalars(sample: ir.JsonValue) -> bool:
    """A JSON scalar other than null, or a non-empty list of them."""
    if isinstance(sample, list):
        return bool(sample) and all(_is_scalars(item) and not isinstance(item, list) for item in sample)
    return isinstance(sample, (str, int, float, bool))


_FORMAT_PATTERNS = {
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "date-time": r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)",
    "date": r"\d{4}-\d\d-\d\d",
    "time": r"\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uri": r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
    "url": r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
    "hostname": r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*",
    "ipv4": r"((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)",
    "byte": r"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
}
_FORMAT_PATTERNS["uuid4"] = _FORMAT_PATTERNS["uuid"]


def accepts(api: Api, ref: TypeRef, sample: ir.JsonValue, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``sample`` (a JSON scalar or list of them) is a value of type ``ref``.

    Checks the JSON type, enum membership, constants and the string formats the examples
    know; anything else (objects, files, unknown formats) is not accepted.
    """
    match ref:
        case ir.Primitive():
            return _accepts_scalar(ref, sample)
        case ir.LiteralOf():
            return type(sample) is type(ref.value) and sample == ref.value
        case ir.Nullable():
            return accepts(api, ref.inner, sample, seen)
        case ir.ListOf():
            return isinstance(sample, list) and all(accepts(api, ref.item, item, seen) for item in sample)
        case ir.UnionOf():
            return any(accepts(api, member, sample, seen) for member in ref.members)
        case ir.Named() if ref.id not in seen:
            typedef = api.type_by_id(ref.id)
            inner = seen | {ref.id}
            if isinstance(typedef, ir.EnumType):
                return any(type(sample) is type(v.value) and sample == v.value for v in typedef.values)
            if isinstance(typedef, ir.AliasType):
                return accepts(api, typedef.target, sample, inner)
            if isinstance(typedef, ir.UnionType):
                # the first member that takes it is the one the model picks; a tagged union takes objects only
                return typedef.discriminator is None and any(accepts(api, m, sample, inner) for m in typedef.members)
            return False
        case ir.Named() | ir.MapOf():
            return False
        case _:
            assert_never(ref)


def _accepts_scalar(ref: ir.Primitive, sample: ir.JsonValue) -> bool:
    """Whether ``sample`` is a value of the primitive type ``ref``."""
    if ref.name == "string":
        if not isinstance(sample, str):
            return False
        if not ref.format or ref.format == "password":
            return True
        pattern = _FORMAT_PATTERNS.get(ref.format)
        return pattern is not None and re.fullmatch(pattern, sample) is not None
    if ref.name == "integer":
        return isinstance(sample, int) and not isinstance(sample, bool)
    if ref.name == "number":
        return isinstance(sample, (int, float)) and not isinstance(sample, bool)
    if ref.name == "boolean":
        return isinstance(sample, bool)
    return ref.name == "any" and not isinstance(sample, list)


# --------------------------------------------------------------------------------------
# Arguments of an endpoint
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Argument:
    name: str
    value: Example
    positional: bool


def arguments(api: Api, endpoint: Endpoint, full: bool = False) -> tuple[Argument, ...]:
    """The arguments of an example call of ``endpoint``: every required parameter (``full``: every one)."""
    result = [
        Argument(p.py_name, example(api, p.type, p.name, sample=p.example, has_sample=p.has_example), True)
        for p in endpoint.path_params
    ]
    for param in (*endpoint.query_params, *endpoint.header_params):
        if param.required or full:
            value = example(
                api, param.type, param.name, 0, param.default, param.has_default, full, param.example, param.has_example
            )
            result.append(Argument(param.py_name, value, False))
    body = endpoint.body
    if body is not None:
        if body.fields:
            chosen = [f for f in body.fields if f.required or full]
            if not chosen and body.required:
                # A body is required but no field of it is: send one (the file, if there is one).
                files = [f for f in body.fields if is_binary(f.type)]
                chosen = (files or list(body.fields))[:1]
            for f in chosen:
                value = example(api, f.type, f.name, 0, f.default, f.has_default, full, f.example, f.has_example)
                result.append(Argument(f.py_name, value, False))
        elif body.required or full:
            result.append(Argument("request", example(api, body.type, "request", full=full), False))
    return tuple(result)


# --------------------------------------------------------------------------------------
# As Python source (docs)
# --------------------------------------------------------------------------------------


@dataclass
class SourceImports:
    """``from package import Name`` lines an example needs."""

    lines: set[str]

    def public_name(self, api: Api, type_id: str) -> str:
        module, name = type_import(api, type_id)
        package = module.rsplit(".types.", 1)[0]
        self.lines.add(f"from {package} import {name}")
        return name

    def module(self, name: str) -> str:
        self.lines.add(f"import {name}")
        return name


def source(api: Api, value: Example, imports: SourceImports) -> Code:
    """``value`` as a Python expression (objects as model constructors), to lay out with :func:`lay_out`."""
    if isinstance(value, Scalar):
        return _literal(value.value)
    if isinstance(value, FileUpload):
        return Code(f"{imports.module('pathlib')}.Path(", (_literal("path/to/" + value.filename),), ")")
    if isinstance(value, Items):
        return Code("[", tuple(source(api, item, imports) for item in value.items), "]")
    if isinstance(value, Entries):
        return Code("{", tuple(source(api, v, imports).after(f"{_string(k)}: ") for k, v in value.entries), "}")
    if value.type_id is None:
        return Code("{", tuple(source(api, v, imports).after(f"{_string(w)}: ") for _, w, v in value.fields), "}")
    name = imports.public_name(api, value.type_id)
    typedef = api.type_by_id(value.type_id)
    assert isinstance(typedef, ir.ObjectType)
    attribute = {f.name: f.attribute for f in typedef.fields}
    return Code(f"{name}(", tuple(source(api, v, imports).after(f"{attribute[w]}=") for _, w, v in value.fields), ")")


def _literal(value: ir.JsonValue) -> Code:
    if isinstance(value, str):
        return Code(_string(value))
    if isinstance(value, list):
        return Code("[", tuple(_literal(item) for item in value), "]")
    if isinstance(value, dict):
        return Code("{", tuple(_literal(item).after(f"{_string(key)}: ") for key, item in value.items()), "}")
    return Code(python_literal(value))


_ESCAPE_OR_CHARACTER = re.compile(r"\\.|.", re.DOTALL)


def _string(value: str) -> str:
    """A string literal as black writes it: double quotes unless single ones need fewer escapes."""
    literal = string_literal(value)
    if value.count("'") >= value.count('"'):
        return literal
    swapped = {'\\"': '"', "'": "\\'"}
    return "'" + "".join(swapped.get(part, part) for part in _ESCAPE_OR_CHARACTER.findall(literal[1:-1])) + "'"


# --------------------------------------------------------------------------------------
# Layout (black's style, for the expressions and statements of the examples)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """An expression as source: ``head``, then (when ``close`` is set) bracketed ``items`` and ``close``.

    ``head`` ends with the opening bracket, as in ``Voice(`` or ``name=[``: a call, list or dict
    comes last in every expression of the examples, so this is the only place to split.
    """

    head: str
    items: tuple[Code, ...] = ()
    close: str = ""

    def flat(self) -> str:
        """On one line."""
        return self.head + ", ".join(item.flat() for item in self.items) + self.close

    def after(self, prefix: str) -> Code:
        """``prefix`` then this expression (``name=`` of an argument, ``"key": `` of an entry)."""
        return Code(prefix + self.head, self.items, self.close)


@dataclass(frozen=True)
class Statement:
    """A line of an example around one expression: ``indent``, ``prefix``, ``code``, ``suffix``.

    As in ``response = await `` + call, ``for chunk in `` + call + ``:`` or
    ``with `` + call + `` as response:``.
    """

    prefix: str
    code: Code
    suffix: str = ""
    indent: str = ""


_ASSIGNMENT = re.compile(r"(?P<target>.*= )(?P<value>.*)")
_FOR = re.compile(r"(?P<keyword>(?:async )?for )(?P<target>\w+)(?P<in> in )")


def lay_out(line: Statement | str) -> list[str]:
    """The lines of ``line`` as black lays them out at ``DOCS_LINE_LENGTH`` (text: as it is).

    A line that fits stays whole. Otherwise it breaks after the last opening bracket: the
    items go on one line of their own if they fit there (unless they are the items of a list
    or dict literal); if not, one per line with a trailing comma, each laid out in turn.
    These are black's right hand split and delimiter split, restricted to expressions that
    end with their only bracket pair, which is all the examples build.
    """
    if isinstance(line, str):
        return [line]
    indent, suffix = line.indent, line.suffix
    lines = _split(line.code.after(line.prefix), indent, suffix)
    if _fits(lines[:1]):
        return lines
    # The first line is too long (a long method path): black's invisible parentheses around
    # an assigned value, and around the target and the iterable of a ``for``, come into play.
    # Either they hold a call that has no arguments to split at, or they are the second
    # opinion, taken if everything then fits.
    assignment = _ASSIGNMENT.fullmatch(line.prefix)
    if assignment is not None:
        inner = _split(line.code.after(assignment["value"]), indent + "    ", "")
        wrapped = [f"{indent}{assignment['target']}(", *inner, f"{indent}){suffix}"]
        return wrapped if not line.code.items or _fits(wrapped) else lines
    loop = _FOR.fullmatch(line.prefix)
    if loop is not None:
        rest = _split(line.code.after(f"){loop['in']}"), indent, suffix)
        if not line.code.items and not _fits(rest):
            rest = [f"{indent}){loop['in']}(", *_split(line.code, indent + "    ", ""), f"{indent}){suffix}"]
        return [f"{indent}{loop['keyword']}(", f"{indent}    {loop['target']}", *rest]
    return lines


def _fits(lines: list[str]) -> bool:
    return all(len(text) <= DOCS_LINE_LENGTH for text in lines)


def _split(code: Code, indent: str, suffix: str) -> list[str]:
    """``code`` then ``suffix`` at ``indent``: whole if it fits, else split at its brackets."""
    whole = indent + code.flat() + suffix
    if len(whole) <= DOCS_LINE_LENGTH or not code.items:
        return [whole]
    return [indent + code.head, *_body(code, indent + "    "), indent + code.close + suffix]


def _body(code: Code, indent: str) -> list[str]:
    """The items of ``code`` between its brackets, at ``indent``."""
    # black always explodes a list or dict literal of several items that it splits
    literal = code.head.endswith(("[", "{")) and len(code.items) > 1
    whole = indent + ", ".join(item.flat() for item in code.items)
    if len(whole) <= DOCS_LINE_LENGTH and not literal:
        return [whole]
    if len(code.items) == 1:
        return _split(code.items[0], indent, "")
    return [text for item in code.items for text in _split(item, indent, ",")]


# --------------------------------------------------------------------------------------
# As Python values (tests)
# --------------------------------------------------------------------------------------


def value(api: Api, example_value: Example, models: bool = True) -> Any:
    """The example as a real value: model instances (``models``) or plain JSON-like dicts.

    The generated package must be importable (the tests install it).
    """
    if isinstance(example_value, Scalar):
        return example_value.value
    if isinstance(example_value, FileUpload):
        return (example_value.filename + ".wav", SAMPLE_FILE, "audio/wav")
    if isinstance(example_value, Items):
        return [value(api, item, models) for item in example_value.items]
    if isinstance(example_value, Entries):
        return {key: value(api, item, models) for key, item in example_value.entries}
    if not models or example_value.type_id is None:
        return {wire: value(api, item, models) for _, wire, item in example_value.fields}
    module, name = type_import(api, example_value.type_id)
    cls = getattr(importlib.import_module(module), name)
    return cls(**{wire: value(api, item, models) for _, wire, item in example_value.fields})


# --------------------------------------------------------------------------------------
# Example programs (docstrings, README, reference.md)
# --------------------------------------------------------------------------------------


def example_call(
    api: Api, endpoint: Endpoint, sync: bool, raw: bool = False, catch: ir.ErrorResponse | None = None
) -> str:
    """A complete example program calling ``endpoint``.

    ``raw``: through ``with_raw_response``; ``catch``: in a ``try`` that handles that declared error.
    """
    imports = SourceImports(set())
    args = []
    for argument in arguments(api, endpoint):
        code = source(api, argument.value, imports)
        args.append(code if argument.positional else code.after(f"{argument.name}="))
    client_name = api.client if sync else api.async_client
    imports.lines.add(f"from {api.package} import {client_name}")
    path = (*endpoint.group, "with_raw_response", endpoint.py_name) if raw else (*endpoint.group, endpoint.py_name)
    call = Code(f"client.{'.'.join(path)}(", tuple(args), ")")
    wait = "" if sync or streamed(endpoint) else "await "
    each = "for" if sync else "async for"
    use: list[str | Statement]
    if raw and streamed(endpoint):
        use = [Statement("with " if sync else "async with ", call, " as response:"), "    print(response.headers)",
               f"    {each} chunk in response.data:", "        print(chunk)"]  # fmt: skip
    elif raw:
        use = [Statement(f"response = {wait}", call), "print(response.status_code, response.headers)",
               "print(response.data)"]  # fmt: skip
    elif endpoint.pagination is not None:
        use = [Statement(f"response = {wait}", call), f"{each} item in response:", "    print(item)",
               "# or page by page:", f"{each} page in response.iter_pages():", "    print(page.items)"]  # fmt: skip
    elif streamed(endpoint):
        use = [Statement(f"{each} chunk in ", call, ":"), "    print(chunk)"]
    elif not responses.has_body(endpoint.response.kind):
        use = [Statement(wait, call)]
    else:
        use = [Statement(f"response = {wait}", call), "print(response)"]
    if catch is not None:
        imports.lines.add(f"from {errors_package(api, endpoint)} import {catch.class_name}")
        use = ["try:", *(_indented(line) for line in use), f"except {catch.class_name} as error:"]
        use.append("    print(error.status_code, error.body)")
    if not sync:
        imports.module("asyncio")
        use = [_indented(line) for line in use]
    body = "\n".join(text for line in use for text in lay_out(line))
    standard = sorted(line for line in imports.lines if line.startswith("import "))
    package = sorted(line for line in imports.lines if not line.startswith("import "))
    credentials = _credentials(api, endpoint)
    header = "\n\n".join("\n".join(lines) for lines in (standard, package) if lines)
    header += f"\n\nclient = {client_name}({credentials})\n"
    if sync:
        return header + body
    return f"{header}\n\nasync def main() -> None:\n{body}\n\n\nasyncio.run(main())"


def _credentials(api: Api, endpoint: Endpoint) -> str:
    """The client's credential arguments the example's call needs (placeholders)."""
    if api.api_key is not None:
        return f'{api.api_key.params[0]}="YOUR_API_KEY"'
    schemes = {scheme.name: scheme for scheme in api.security_schemes}
    needed = next((alternative for alternative in endpoint.security if alternative), ())
    params = [param for name in needed for param in schemes[name].params]
    return ", ".join(f'{param}="YOUR_{param.upper()}"' for param in params)


def _indented(line: str | Statement) -> str | Statement:
    """``line`` one level further in (for ``try:`` and ``async def main()``)."""
    if isinstance(line, str):
        return "    " + line
    return replace(line, indent=line.indent + "    ")
