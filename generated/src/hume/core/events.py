"""The events a socket's ``start_listening()`` reports to the handlers registered with ``on()``."""

import enum

__all__ = ["EventType"]


class EventType(str, enum.Enum):
    """The events ``start_listening()`` reports to the handlers registered with ``on()``."""

    OPEN = "open"
    """The listener started; the handler gets ``None``."""
    MESSAGE = "message"
    """A message arrived; the handler gets it, decoded as ``recv()`` returns it."""
    ERROR = "error"
    """The connection failed; the handler gets the exception (e.g. :class:`SocketClosedError`)."""
    CLOSE = "close"
    """The listener stopped; the handler gets ``None``."""
