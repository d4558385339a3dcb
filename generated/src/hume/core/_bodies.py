"""Request bodies, as client methods build them from their arguments.

Each body class encodes itself for one attempt of a request (``encode``): the keyword
arguments of ``httpx``'s request builder (``content``, ``data``, ``files``) and the headers
it needs. This module imports no HTTP library, so client modules can use it at no cost.
"""

from __future__ import annotations

import mimetypes
import os
import typing

from .api_error import InvalidRequestError, format_path
from .file import File, Multipart
from ._serialization import DEEP_OBJECT, OMIT, json_body, json_bytes, jsonable, query_pairs


__all__ = ["OMIT", "Body", "Form", "JsonObject", "JsonValue", "RawContent", "check_dicts"]


class JsonObject:
    """A JSON object body from keyword arguments: those left at :data:`OMIT` are left out, ``None`` is ``null``."""

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
    """A body sent as it is: text, or a binary file (``File``: bytes, an open file, a path or a
    ``(filename, content[, content_type])`` tuple). An open file is read from where it stood at
    the first attempt; a path is opened for each attempt. ``None`` sends no body at all.

    The content type is the declared one; when that is a pattern (``image/*``), the one a
    tuple gives or the one guessed from the file name, else ``application/octet-stream``.
    """

    __slots__ = ("content", "content_type", "_start")

    def __init__(self, content: typing.Optional[File], content_type: str) -> None:
        self.content = content
        self.content_type = content_type
        self._start: typing.Optional[int] = None

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        content: typing.Any = self.content
        if content is None:
            return {}
        filename: typing.Optional[str] = None
        content_type: typing.Optional[str] = None
        if isinstance(content, tuple):
            parts: typing.Tuple[typing.Any, ...] = content
            filename, content = parts[0], parts[1]
            content_type = parts[2] if len(parts) > 2 else None
        if isinstance(content, os.PathLike):
            path = os.fspath(content)
            filename = filename or os.path.basename(path)
            handle = open(path, "rb")
            opened.append(handle)
            content = handle.read()
        elif not isinstance(content, (bytes, bytearray, str)):
            if content.seekable():
                if self._start is None:
                    self._start = content.tell()
                content.seek(self._start)
            name = getattr(content, "name", None)
            if filename is None and isinstance(name, str):
                filename = os.path.basename(name)
            content = content.read()
        declared = self.content_type
        if content_type is None:
            concrete = "*" not in declared and "," not in declared
            guessed = mimetypes.guess_type(filename)[0] if filename and not concrete else None
            content_type = declared if concrete else guessed or "application/octet-stream"
        return {"content": content, "headers": {"Content-Type": content_type}}


Body = typing.Union[JsonObject, JsonValue, Multipart, Form, RawContent]


def check_dicts(body: Body, types: typing.Mapping[typing.Optional[str], typing.Any]) -> Body:
    """``body`` with every dict given where a model is expected checked against the model and replaced
    by it. ``types`` gives the types of the JSON body's values that are or hold models (``None``: the
    whole body). Raises :class:`InvalidRequestError` naming each missing, unknown or mistyped key.

    Values without a dict in them (models, ``None``) are not looked at: this costs nothing then.
    """
    if isinstance(body, JsonObject):
        replaced: typing.Optional[typing.Dict[str, typing.Any]] = None
        for name, type_ in types.items():
            value = body.fields.get(name) if name is not None else None
            if value is not None and value is not OMIT and _has_dict(value):
                if replaced is None:
                    replaced = dict(body.fields)
                replaced[typing.cast(str, name)] = _checked(typing.cast(str, name), type_, value)
        return body if replaced is None else JsonObject(replaced)
    if isinstance(body, JsonValue) and None in types and _has_dict(body.value):
        return JsonValue(_checked("request", types[None], body.value))
    return body


def check_fields(
    fields: typing.Mapping[str, typing.Any], types: typing.Mapping[str, typing.Any]
) -> typing.Mapping[str, typing.Any]:
    """:func:`check_dicts` for named values other than a body's (a WebSocket handshake's query or
    headers), where one value also stands for a list of one: given alone for a list type, it is
    checked as the list's item."""
    replaced: typing.Optional[typing.Dict[str, typing.Any]] = None
    for name, type_ in types.items():
        value = fields.get(name)
        if value is None or not _has_dict(value):
            continue
        if replaced is None:
            replaced = dict(fields)
        if typing.get_origin(type_) is list and not isinstance(value, (list, tuple)):
            replaced[name] = _checked(name, typing.get_args(type_)[0], value)
        else:
            replaced[name] = _checked(name, type_, value)
    return fields if replaced is None else replaced


def _has_dict(value: typing.Any) -> bool:
    if isinstance(value, typing.Mapping):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_dict(item) for item in value)
    return False


_ADAPTERS: typing.Dict[typing.Any, typing.Any] = {}


def _checked(name: str, type_: typing.Any, value: typing.Any) -> typing.Any:
    """``value`` validated as ``type_``; raises :class:`InvalidRequestError` for a problem, or a key no model knows."""
    import pydantic

    adapter = _ADAPTERS.get(type_)
    if adapter is None:
        adapter = _ADAPTERS[type_] = pydantic.TypeAdapter(type_)
    try:
        parsed = adapter.validate_python(value)
    except pydantic.ValidationError as error:
        problems = [
            (
                format_path((name, *problem["loc"])),
                "missing required key" if problem["type"] == "missing" else problem["msg"],
            )
            for problem in error.errors(include_url=False)
        ]
        raise InvalidRequestError(problems) from None
    unknown = [(path, "unknown key") for path in _unknown_keys(parsed, (name,))]
    if unknown:
        raise InvalidRequestError(unknown)
    return parsed


def _unknown_keys(value: typing.Any, path: typing.Tuple[typing.Any, ...]) -> typing.Iterator[str]:
    """The paths of the keys of ``value`` that no model declares (pydantic keeps them as extras)."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        for key in value.model_extra or {}:
            yield format_path((*path, key))
        for attribute, info in fields.items():
            yield from _unknown_keys(getattr(value, attribute, None), (*path, info.alias or attribute))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _unknown_keys(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unknown_keys(item, (*path, key))
