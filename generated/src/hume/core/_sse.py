"""Server-sent events (``text/event-stream``), decoded incrementally as the bytes arrive."""

from __future__ import annotations

import re
import typing

__all__ = ["EventDecoder", "ServerSentEvent"]


_LINE_END = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"


class ServerSentEvent:
    """One event: its ``data`` (the ``data:`` lines joined by newlines), ``event`` type and ``id``."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self, data: str, event: str = "message", id: typing.Optional[str] = None, retry: typing.Optional[int] = None
    ) -> None:
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r})"


class EventDecoder:
    """Turns chunks of a stream into events, per the WHATWG event stream format.

    Feed it chunks as they arrive (:meth:`feed`), then call :meth:`close` at the end of
    the stream. As the standard says, a byte-order mark that starts the stream is skipped
    and bytes that are not UTF-8 are decoded as U+FFFD. A line that is a bare JSON object
    (some servers stream JSON lines under ``text/event-stream``) counts as a complete
    event with that line as its data.
    """

    def __init__(self) -> None:
        self._started = False
        self._buffer = b""
        self._data: typing.List[str] = []
        self._event = ""
        self._id: typing.Optional[str] = None
        self._retry: typing.Optional[int] = None

    def feed(self, chunk: bytes) -> typing.List[ServerSentEvent]:
        buffer = self._buffer + chunk
        if not self._started:
            if len(buffer) < len(_BOM) and _BOM.startswith(buffer):
                self._buffer = buffer  # maybe the start of a byte-order mark: wait for more
                return []
            self._started = True
            buffer = buffer.removeprefix(_BOM)
        events: typing.List[ServerSentEvent] = []
        start = 0
        for match in _LINE_END.finditer(buffer):
            if match.group() == b"\r" and match.end() == len(buffer):
                break  # a "\n" may follow in the next chunk
            event = self._line(buffer[start : match.start()].decode("utf-8", "replace"))
            if event is not None:
                events.append(event)
            start = match.end()
        self._buffer = buffer[start:]
        return events

    def close(self) -> typing.List[ServerSentEvent]:
        """The events still pending at the end of the stream (a last event need not end with a blank line)."""
        events = []
        if not self._started and _BOM.startswith(self._buffer):
            self._buffer = b""
        if self._buffer:
            event = self._line(self._buffer.rstrip(b"\r").decode("utf-8", "replace"))
            self._buffer = b""
            if event is not None:
                events.append(event)
        event = self._line("")
        if event is not None:
            events.append(event)
        return events

    def _line(self, line: str) -> typing.Optional[ServerSentEvent]:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        if line.startswith("{") and not self._data:
            return ServerSentEvent(data=line)
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> typing.Optional[ServerSentEvent]:
        if not self._data:
            self._event = ""
            return None
        event = ServerSentEvent("\n".join(self._data), self._event or "message", self._id, self._retry)
        self._data = []
        self._event = ""
        return event
