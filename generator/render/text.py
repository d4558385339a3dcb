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


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def docstring_body(text: str) -> str:
    """``text`` escaped for the inside of a ``\"\"\"`` string: it cannot end the string early."""
    escaped = _UNPRINTABLE.sub(_escape, text.replace("\\", "\\\\"))
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


_CODE_SPAN = re.compile(r"(`+)(.*?)\1", re.S)


def markdown_block(text: str | None) -> str:
    """A description as Markdown paragraphs that cannot swallow what follows.

    Outside code, ``<`` is escaped (no raw HTML block can open); an unclosed code fence is closed.
    """
    cleaned = clean(text)
    pieces = []
    position = 0
    for match in _CODE_SPAN.finditer(cleaned):
        pieces.append(cleaned[position : match.start()].replace("<", "&lt;"))
        pieces.append(match.group())
        position = match.end()
    pieces.append(cleaned[position:].replace("<", "&lt;"))
    result = "".join(pieces)
    if sum(1 for line in result.split("\n") if line.lstrip().startswith("```")) % 2:
        result += "\n```"
    return result


def markdown_inline(text: str | None) -> str:
    """Text for one Markdown table cell or list item: one line, ``|`` escaped."""
    return markdown_block(text).replace("\n", " ").replace("|", "\\|")


def markdown_code(text: str) -> str:
    """``text`` as inline Markdown code, fenced with more backticks than it contains in a row."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded.replace(chr(10), ' ')}{fence}"


def markdown_indented(text: str | None, indent: str) -> str:
    """A description as Markdown, every line indented (to continue a list item)."""
    return "\n".join(indent + line if line else "" for line in markdown_block(text).split("\n"))
