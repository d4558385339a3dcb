"""Request bodies, as client methods build them from their arguments.

Each body class encodes itself for one attempt of a request (``encode``): the keyword
arguments of ``httpx``'s request builder (``content``, ``data``, ``files``) and the headers
it needs. This module imports no HTTP library, so client modules can use it at no cost.
"""

from __future__ import annotations

import typing

from .file import Multipart
from ._serialization import DEEP_OBJECT, json_body, json_bytes, jsonable, query_pairs


__all__ = ["Body", "Form", "JsonObject", "JsonValue", "RawContent"]


class JsonObject:
    """A JSON object body from keyword arguments: ``None`` values are left out."""

    __slots__ = ("fields",)

    def __init__(self, fields: typing.Mapping[str, typing.Any]) -> None:
        self.fields = fields

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        return {"content": json_body(self.fields, extra), "headers": {"Content-Type": "application/json"}}


class JsonValue:
    """A JSON body that is one value (not built from keyword arguments)."""

    __slots__ = ("value",)

    def __init__(self, value: typing.Any) -> None:
        self.value = value

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        value = jsonable(self.value)
        if extra and isinstance(value, dict):
            value.update(jsonable(extra))
        return {"content": json_bytes(value), "headers": {"Content-Type": "application/json"}}


class Form:
    """An ``application/x-www-form-urlencoded`` body."""

    __slots__ = ("fields",)

    def __init__(self, fields: typing.Mapping[str, typing.Any]) -> None:
        self.fields = fields

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        data: typing.Dict[str, typing.List[str]] = {}
        for name, value in query_pairs(self.fields, extra=extra, default=DEEP_OBJECT):
            data.setdefault(name, []).append(value)
        return {"data": data}


class RawContent:
    """A body sent as it is: bytes, text or a binary file (read from where it stood at the first attempt)."""

    __slots__ = ("content", "content_type", "_start")

    def __init__(self, content: typing.Union[bytes, str, typing.IO[bytes]], content_type: str) -> None:
        self.content = content
        self.content_type = content_type
        self._start: typing.Optional[int] = None

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        content = self.content
        if not isinstance(content, (bytes, str)):
            if content.seekable():
                if self._start is None:
                    self._start = content.tell()
                content.seek(self._start)
            content = content.read()
        return {"content": content, "headers": {"Content-Type": self.content_type}}


Body = typing.Union[JsonObject, JsonValue, Multipart, Form, RawContent]
