"""Example programs' code, laid out in black's style without a formatter (docstrings, README, ``reference.md``).

:func:`source` writes an example value (:mod:`generator.render.samples`) as a Python
expression (objects as model constructors); :class:`Code` and :class:`Statement` hold it
unlaid, and :func:`lay_out` breaks it into lines as black would at ``DOCS_LINE_LENGTH``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator import ir
from generator.ir import Api
from generator.render.annotations import python_literal, type_import
from generator.render.samples import Entries, Example, FileUpload, Items, Scalar
from generator.render.text import string_literal

__all__ = ["DOCS_LINE_LENGTH", "Code", "SourceImports", "Statement", "lay_out", "source"]

DOCS_LINE_LENGTH = 88


@dataclass
class SourceImports:
    """The imports an example needs: modules, and names from modules (one ``from`` line per module)."""

    modules: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)

    def name(self, module: str, name: str) -> str:
        """``from module import name``; returns ``name``."""
        self.names.setdefault(module, set()).add(name)
        return name

    def public_name(self, api: Api, type_id: str) -> str:
        module, name = type_import(api, type_id)
        return self.name(module.rsplit(".types.", 1)[0], name)

    def module(self, name: str) -> str:
        self.modules.add(name)
        return name

    def render(self) -> str:
        """The import block: the standard library's modules, a blank line, then the SDK's names."""
        standard = [f"import {module}" for module in sorted(self.modules)]
        package = [_from_line(module, sorted(names)) for module, names in sorted(self.names.items())]
        return "\n\n".join("\n".join(group) for group in (standard, package) if group)


def _from_line(module: str, names: list[str]) -> str:
    """``from module import a, b``, or one name a line in parentheses when that is too long for the docs."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= DOCS_LINE_LENGTH:
        return line
    return f"from {module} import (\n" + "".join(f"    {name},\n" for name in names) + ")"


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
