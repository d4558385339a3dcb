"""Turning Python values into what goes on the wire: JSON bodies, query strings, paths."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import typing
import urllib.parse
import uuid


def jsonable(value: typing.Any) -> typing.Any:
    """``value`` as plain JSON data.

    Models become dicts of their wire names without the fields left ``None``; mappings
    and sequences are converted item by item (a plain dict is sent as given);
    dates become ISO 8601 text and bytes base64 text.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, typing.Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot send a value of type {type(value).__name__} as JSON")


def json_body(
    fields: typing.Mapping[str, typing.Any], extra: typing.Optional[typing.Mapping[str, typing.Any]]
) -> bytes:
    """A JSON object body: ``fields`` without the ``None`` ones, then ``extra`` (added or overriding)."""
    body = {name: jsonable(value) for name, value in fields.items() if value is not None}
    if extra:
        body.update(jsonable(extra))
    return json_bytes(body)


def json_bytes(value: typing.Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def text(value: typing.Any) -> str:
    """A scalar as text in a path, query string, header or form field."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return text(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float, uuid.UUID)):
        return str(value)
    return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))


def path_segment(value: typing.Any) -> str:
    """A path parameter, percent-encoded so it stays one segment."""
    return urllib.parse.quote(text(value), safe="")


def query_pairs(
    params: typing.Optional[typing.Mapping[str, typing.Any]],
    extra: typing.Optional[typing.Mapping[str, typing.Any]] = None,
) -> typing.Tuple[typing.Tuple[str, str], ...]:
    """Query parameters as (name, text) pairs; ``None`` values are left out, a list gives one pair per item."""
    pairs: typing.List[typing.Tuple[str, str]] = []
    for source in (params, extra):
        if not source:
            continue
        for name, value in source.items():
            if value is None:
                continue
            if isinstance(value, (list, tuple, set, frozenset)):
                pairs.extend((name, text(item)) for item in value if item is not None)
            else:
                pairs.append((name, text(value)))
    return tuple(pairs)


def comma_separated(values: typing.Optional[typing.Iterable[typing.Any]]) -> typing.Optional[str]:
    """A list query parameter that is not exploded: ``a,b,c``."""
    if values is None:
        return None
    return ",".join(text(value) for value in values)


def header_values(
    headers: typing.Optional[typing.Mapping[str, typing.Any]],
) -> typing.Dict[str, str]:
    return {name: text(value) for name, value in (headers or {}).items() if value is not None}
