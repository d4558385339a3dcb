"""Reading JSON into plain data with the line of every node.

:mod:`json` parses (and reports broken JSON); a small tokenizer then walks the text
alongside the parsed data to find where each member and item starts.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from typing import Any

from generator.errors import Location, SpecError
from generator.load.lines import Lines

_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^ \t\r\n{}\[\]:,"]+))', re.S)
"""One JSON token after optional whitespace: a string (group 1), punctuation (2) or a literal (3)."""


def read_json(file: str, text: str) -> tuple[Any, Lines]:
    """The data of JSON ``text`` and its lines; bad JSON is a SpecError naming ``file``."""
    try:
        data = json.loads(text, object_pairs_hook=_checked_pairs)
    except json.JSONDecodeError as exc:
        raise SpecError(f"invalid JSON: {exc.msg} (column {exc.colno})", Location(file, "", exc.lineno)) from None
    except _DuplicateKey as exc:
        raise SpecError(
            f"duplicate key {exc.key!r}", Location(file, "", _JsonLines(text).duplicate_line(exc.key))
        ) from None
    lines = Lines()
    _JsonLines(text).record(data, lines)
    return data, lines


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _checked_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _JsonLines:
    """Walks the tokens of valid JSON text alongside its parsed data to find lines."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._tokens: Iterator[re.Match[str]] = _TOKEN.finditer(text)

    def _line(self, match: re.Match[str]) -> int:
        start = match.start(match.lastindex or 0)
        return bisect.bisect_left(self._newlines, start) + 1

    def _next(self) -> re.Match[str]:
        return next(self._tokens)

    def record(self, data: Any, lines: Lines) -> None:
        first = self._next()
        self._value(first, data, lines, self._line(first))

    def _value(self, first: re.Match[str], data: Any, lines: Lines, line: int) -> None:
        """Consume the tokens of one value whose first token is ``first``."""
        if first.group(2) == "{":
            members: dict[Any, int] = {}
            token = self._next()
            while token.group(2) != "}":
                if token.group(2) == ",":
                    token = self._next()
                key = json.loads(token.group(1))
                members[key] = self._line(token)
                self._next()  # ':'
                value_token = self._next()
                self._value(value_token, data[key], lines, members[key])
                token = self._next()
            lines.add(data, line, members)
        elif first.group(2) == "[":
            members = {}
            token = self._next()
            index = 0
            while token.group(2) != "]":
                if token.group(2) == ",":
                    token = self._next()
                members[index] = self._line(token)
                self._value(token, data[index], lines, members[index])
                index += 1
                token = self._next()
            lines.add(data, line, members)

    def duplicate_line(self, key: str) -> int | None:
        """The line of the first key repeated within one object (for the error message)."""
        stack: list[set[str] | None] = []
        expect_key = False
        for token in self._tokens:
            punct = token.group(2)
            if punct in ("{", "["):
                stack.append(set() if punct == "{" else None)
                expect_key = punct == "{"
            elif punct in ("}", "]"):
                stack.pop()
                expect_key = False
            elif punct == ",":
                expect_key = bool(stack) and stack[-1] is not None
            elif punct == ":":
                expect_key = False
            elif expect_key and token.group(1):
                seen = stack[-1]
                name = json.loads(token.group(1))
                if seen is not None:
                    if name == key and name in seen:
                        return self._line(token)
                    seen.add(name)
                expect_key = False
        return None
