"""Questions about response kinds, each answered by one exhaustive ``match``.

As :mod:`generator.typerefs` does for types: every answer lists all the
:data:`~generator.ir.ResponseKind` cases and ends in ``assert_never``, so a kind added to the
IR (a new stream format) makes ``mypy --strict`` point at each answer that must take it into
account. Normalise and render ask these rather than comparing kinds themselves.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import assert_never

from generator.ir import ResponseKind

__all__ = ["Parser", "has_body", "is_binary", "is_typed", "parser", "streams", "plain_annotation", "typed_stream"]

Parser = Literal[
    "JsonResponse", "EventStreamResponse", "JsonLinesResponse", "BinaryResponse", "TextResponse", "EmptyResponse"
]
"""The runtime's response parser classes (``core/_http_client.py``)."""


def streams(kind: ResponseKind) -> bool:
    """Whether the method hands out the body as it arrives: an iterator of chunks or events."""
    match kind:
        case "sse" | "jsonl" | "binary":
            return True
        case "json" | "text" | "empty":
            return False
        case _:
            assert_never(kind)


def is_typed(kind: ResponseKind) -> bool:
    """Whether the body (or each event) is parsed into the response's declared type."""
    match kind:
        case "json" | "sse" | "jsonl":
            return True
        case "binary" | "text" | "empty":
            return False
        case _:
            assert_never(kind)


def typed_stream(kind: ResponseKind) -> bool:
    """Whether it is a stream of typed items (events): an operation that offers one besides
    another media type gets a streaming variant of its method."""
    return streams(kind) and is_typed(kind)


def is_binary(kind: ResponseKind) -> bool:
    """Whether the body is bytes, handed out in chunks."""
    match kind:
        case "binary":
            return True
        case "json" | "sse" | "jsonl" | "text" | "empty":
            return False
        case _:
            assert_never(kind)


def has_body(kind: ResponseKind) -> bool:
    """Whether the method returns anything."""
    match kind:
        case "empty":
            return False
        case "json" | "sse" | "jsonl" | "binary" | "text":
            return True
        case _:
            assert_never(kind)


def plain_annotation(kind: ResponseKind) -> Literal["str", "bytes", "None"] | None:
    """What the method gives (of one chunk when it streams) for a kind that is not parsed into a
    declared type: text, bytes or nothing; ``None`` for a typed kind (see :func:`is_typed`)."""
    match kind:
        case "text":
            return "str"
        case "binary":
            return "bytes"
        case "empty":
            return "None"
        case "json" | "sse" | "jsonl":
            return None
        case _:
            assert_never(kind)


def parser(kind: ResponseKind) -> Parser:
    """The runtime class that reads a response of ``kind``."""
    match kind:
        case "json":
            return "JsonResponse"
        case "sse":
            return "EventStreamResponse"
        case "jsonl":
            return "JsonLinesResponse"
        case "binary":
            return "BinaryResponse"
        case "text":
            return "TextResponse"
        case "empty":
            return "EmptyResponse"
        case _:
            assert_never(kind)
