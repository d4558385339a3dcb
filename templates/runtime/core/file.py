"""Files for multipart uploads, and the encoding of multipart form bodies."""

from __future__ import annotations

import mimetypes
import os
import typing

from ._serialization import json_bytes, jsonable, text

__all__ = ["File", "FileContent", "Multipart"]


FileContent = typing.Union[typing.IO[bytes], bytes, str]
"""The bytes of a file: an open binary file, ``bytes``, or text (sent UTF-8 encoded)."""

File = typing.Union[
    FileContent,
    "os.PathLike[str]",
    typing.Tuple[typing.Optional[str], FileContent],
    typing.Tuple[typing.Optional[str], FileContent, typing.Optional[str]],
]
"""A file to upload.

- a path (``pathlib.Path``): the file is opened and read when the request is sent, its
  name is the part's file name and its content type is guessed from that name;
- an open binary file, ``bytes`` or ``str``: the content;
- ``(filename, content)`` or ``(filename, content, content_type)`` to set the name and type.
"""

_HttpxFile = typing.Tuple[typing.Optional[str], typing.Union[typing.IO[bytes], bytes], typing.Optional[str]]


class Multipart:
    """A ``multipart/form-data`` body: form fields and files.

    Scalars become text parts (lists of scalars one part per item); objects, lists of
    objects and parts declared as JSON become ``application/json`` parts. The body is encoded afresh for every
    attempt; file objects are read from their start each time (``httpx`` rewinds them).
    """

    __slots__ = ("fields", "files", "content_types")

    def __init__(
        self,
        fields: typing.Mapping[str, typing.Any],
        files: typing.Mapping[str, typing.Any],
        content_types: typing.Optional[typing.Mapping[str, str]] = None,
    ) -> None:
        self.fields = fields
        self.files = files
        self.content_types = content_types or {}

    def encode(
        self, extra: typing.Optional[typing.Mapping[str, typing.Any]], opened: typing.List[typing.IO[bytes]]
    ) -> typing.Dict[str, typing.Any]:
        """``data`` and ``files`` arguments for ``httpx``; files opened from paths are appended to ``opened``."""
        data: typing.Dict[str, typing.Any] = {}
        parts: typing.List[typing.Tuple[str, _HttpxFile]] = []
        for source in (self.fields, extra or {}):
            for name, value in source.items():
                if value is None:
                    continue
                declared = self.content_types.get(name)
                items = value if isinstance(value, (list, tuple)) else [value]
                if (declared is None or "json" not in declared) and all(_is_scalar(item) for item in items):
                    data[name] = [text(item) for item in items] if isinstance(value, (list, tuple)) else text(value)
                else:
                    parts.append((name, (None, json_bytes(jsonable(value)), declared or "application/json")))
        for name, value in self.files.items():
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                parts.append((name, self._file_part(name, item, opened)))
        return {"data": data, "files": parts}

    def _file_part(self, field: str, value: typing.Any, opened: typing.List[typing.IO[bytes]]) -> _HttpxFile:
        filename: typing.Optional[str] = None
        content_type: typing.Optional[str] = None
        if isinstance(value, tuple):
            filename, content = value[0], value[1]
            if len(value) > 2:
                content_type = value[2]
        else:
            content = value
        if isinstance(content, os.PathLike):
            path = os.fspath(content)
            filename = filename or os.path.basename(path)
            content = open(path, "rb")
            opened.append(content)
        elif isinstance(content, str):
            content = content.encode("utf-8")
        elif not isinstance(content, (bytes, bytearray)):
            name = getattr(content, "name", None)
            if filename is None and isinstance(name, str):
                filename = os.path.basename(name)
        filename = filename or field
        if content_type is None:
            declared = self.content_types.get(field, "")
            concrete = declared if "*" not in declared and "," not in declared else ""
            content_type = mimetypes.guess_type(filename)[0] or concrete or "application/octet-stream"
        return filename, content, content_type


def _is_scalar(value: typing.Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or hasattr(value, "isoformat")
