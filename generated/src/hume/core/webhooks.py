"""Parsing what the API sends to your server: webhook and callback payloads.

Each webhooks module of the SDK has a ``parse_<name>`` function per webhook (and a ``parse``
taking any of them when there are several), built on :func:`parse_payload`.
"""

from __future__ import annotations

import functools
import json
import typing

__all__ = ["Payload", "parse_payload"]

T = typing.TypeVar("T")

Payload = typing.Union[bytes, bytearray, str, typing.Mapping[str, typing.Any], typing.Sequence[typing.Any]]
"""A request body as your web framework gives it: the raw bytes or text, or the JSON it decoded."""


@functools.lru_cache(maxsize=None)
def _adapter(type_: typing.Any) -> typing.Any:
    import pydantic

    return pydantic.TypeAdapter(type_)


def parse_payload(type_: typing.Any, payload: Payload) -> typing.Any:
    """``payload`` (JSON text, bytes or already decoded data) validated as ``type_``.

    Raises ``pydantic.ValidationError`` when it is not one, ``ValueError`` when it is no JSON.
    """
    data: typing.Any = payload
    if isinstance(payload, (bytes, bytearray, str)):
        data = json.loads(payload)
    return _adapter(type_).validate_python(data)
