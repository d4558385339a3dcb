"""Socket event names, importable from ``core.events`` as earlier SDKs offered them."""

from .socket import EventType

__all__ = ["EventType"]
