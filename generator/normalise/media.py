"""What a media type means for a body: JSON, a form, text, an event stream or raw bytes."""

from __future__ import annotations

from generator.ir import BodyKind, ResponseKind


def base(content_type: str) -> str:
    """``"application/json; charset=utf-8"`` -> ``"application/json"``."""
    return content_type.split(";", 1)[0].strip().lower()


def is_json(content_type: str) -> bool:
    media = base(content_type)
    return media == "application/json" or media.endswith("+json")


def _is_text(media: str) -> bool:
    return media.startswith("text/") or media in ("application/xml",) or media.endswith("+xml")


def request_kind(content_type: str) -> BodyKind:
    media = base(content_type)
    if is_json(media):
        return "json"
    if media.startswith("multipart/"):
        return "multipart"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if _is_text(media):
        return "text"
    return "binary"


JSON_LINES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/jsonlines",
        "application/json-seq",
        "application/stream+json",
    }
)
"""Media types of a stream of JSON values, one a line."""


def response_kind(content_type: str) -> ResponseKind:
    media = base(content_type)
    if media == "text/event-stream":
        return "sse"
    if media in JSON_LINES:
        return "jsonl"
    if is_json(media):
        return "json"
    if _is_text(media):
        return "text"
    return "binary"


GENERIC = frozenset({"text/plain", "application/text", "text/json", "application/octet-stream", "*/*"})
"""Media types that say nothing of the body's shape: a JSON-shaped schema beside one wins."""


def is_generic(content_type: str) -> bool:
    return base(content_type) in GENERIC


def is_stream(content_type: str) -> bool:
    """Whether a response of ``content_type`` is a stream of JSON values (events or lines)."""
    return response_kind(content_type) in ("sse", "jsonl")


def preferred(content_types: list[str]) -> str | None:
    """The JSON one if any, else the first."""
    return next((ct for ct in content_types if is_json(ct)), content_types[0] if content_types else None)
