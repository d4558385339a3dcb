"""Putting untrusted text (descriptions, names from the specs) into generated files safely.

Descriptions come from API documents and may contain anything: quotes, backslashes,
control characters, text that looks like code. Every piece of spec text reaches a
generated Python file through :func:`docstring` or :func:`string_literal`, and a
Markdown file through :func:`markdown_inline`/:func:`markdown_block`.
"""

from __future__ import annotations

import json
import re
import unicodedata

_QUOTE_RUN = re.compile(r'"(?=")|"$')
_LINE_BREAKS = re.compile(r"\r\n|\r|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def clean(text: str | None) -> str:
    """Normalise line breaks and strip surrounding blank space; ``None`` -> ``""``."""
    if not text:
        return ""
    text = _LINE_BREAKS.sub("\n", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n").strip()


def _escape_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char in "\n\t":
        return char
    if unicodedata.category(char) in ("Cc", "Cs") or char in "\ufeff":
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def docstring_body(text: str) -> str:
    """``text`` escaped for the inside of a ``\"\"\"`` string: it cannot end the string early."""
    escaped = "".join(_escape_char(char) for char in text)
    return _QUOTE_RUN.sub('\\\\"', escaped)


def docstring(text: str | None, indent: str = "") -> str:
    """A complete ``\"\"\"docstring\"\"\"`` for ``text`` (empty string when there is none).

    Lines after the first are indented with ``indent``, the indentation of the
    docstring itself.
    """
    cleaned = clean(text)
    if not cleaned:
        return ""
    body = docstring_body(cleaned)
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"""{body}"""'
    rest = "\n".join(indent + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{rest}\n{indent}"""'


def string_literal(value: str) -> str:
    """A Python string literal for ``value`` (double-quoted, every special character escaped)."""
    if any(unicodedata.category(char) == "Cs" for char in value):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def first_sentence(text: str | None) -> str:
    """The first sentence or line of ``text``, for summaries."""
    cleaned = clean(text)
    if not cleaned:
        return ""
    paragraph = cleaned.split("\n\n", 1)[0].replace("\n", " ")
    match = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    return match.group(1) if match else paragraph


def markdown_block(text: str | None) -> str:
    """A description as Markdown paragraphs; HTML is neutralised so it cannot open a block."""
    return clean(text).replace("<", "&lt;").replace(">", "&gt;")


def markdown_inline(text: str | None) -> str:
    """Text for one Markdown table cell or list item: one line, ``|`` escaped."""
    return markdown_block(text).replace("\n", " ").replace("|", "\\|")
