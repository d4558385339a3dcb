"""Server-sent events (``text/event-stream``) and the lines of a stream, decoded incrementally as the bytes arrive."""

from __future__ import annotations

import re
import typing

from .limits import TooLong

__all__ = ["EventDecoder", "JsonLineDecoder", "LineDecoder", "ServerSentEvent"]


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


class LineDecoder:
    """Splits the chunks of a stream into lines (ended by ``\\r\\n``, ``\\r`` or ``\\n``), as bytes.

    A byte-order mark that starts the stream is skipped. Each byte is looked at once (a chunk is
    searched for line ends from where the last search stopped), so splitting takes time linear in
    the stream. A line longer than ``max_line_size`` bytes raises :class:`~.limits.TooLong`
    (``None``: no limit).
    """

    def __init__(self, max_line_size: typing.Optional[int] = None) -> None:
        self._max = max_line_size
        self._started = False
        self._buffer = bytearray()
        self._scanned = 0
        """How much of the buffer is known to hold no line end."""

    def feed(self, chunk: bytes) -> typing.List[bytes]:
        buffer = self._buffer
        buffer += chunk
        if not self._started:
            if len(buffer) < len(_BOM) and _BOM.startswith(buffer):
                return []  # maybe the start of a byte-order mark: wait for more
            self._started = True
            if buffer.startswith(_BOM):
                del buffer[: len(_BOM)]
        lines: typing.List[bytes] = []
        start = 0
        for match in _LINE_END.finditer(buffer, self._scanned):
            if match.group() == b"\r" and match.end() == len(buffer):
                break  # a "\n" may follow in the next chunk
            lines.append(bytes(buffer[start : match.start()]))
            start = match.end()
        del buffer[:start]
        self._scanned = max(len(buffer) - 1, 0)  # a trailing "\r" is looked at again
        if self._max is not None and len(buffer) > self._max:
            raise TooLong("stream line", self._max)
        return lines

    def close(self) -> typing.List[bytes]:
        """The last line, when the stream does not end with a line end."""
        if not self._started and _BOM.startswith(self._buffer):
            self._buffer.clear()
        if not self._buffer:
            return []
        last = bytes(self._buffer).rstrip(b"\r")
        self._buffer.clear()
        return [last]


class EventDecoder:
    """Turns chunks of a stream into events, per the WHATWG event stream format.

    Feed it chunks as they arrive (:meth:`feed`), then call :meth:`close` at the end of
    the stream. As the standard says, a byte-order mark that starts the stream is skipped
    and bytes that are not UTF-8 are decoded as U+FFFD. A line that is a bare JSON object
    (some servers stream JSON lines under ``text/event-stream``) counts as a complete
    event with that line as its data.

    Lines are split by :class:`LineDecoder`, in time linear in the stream. A line, or an event's
    data, longer than ``max_line_size`` bytes raises :class:`~.limits.TooLong` (``None``: no limit).
    """

    def __init__(self, max_line_size: typing.Optional[int] = None) -> None:
        self._max = max_line_size
        self._lines = LineDecoder(max_line_size)
        self._data: typing.List[str] = []
        self._size = 0
        """The bytes of the pending event's data."""
        self._event = ""
        self._id: typing.Optional[str] = None
        self._retry: typing.Optional[int] = None

    def feed(self, chunk: bytes) -> typing.List[ServerSentEvent]:
        return self._events(self._lines.feed(chunk))

    def close(self) -> typing.List[ServerSentEvent]:
        """The events still pending at the end of the stream (a last event need not end with a blank line)."""
        return self._events([*self._lines.close(), b""])

    def _events(self, lines: typing.List[bytes]) -> typing.List[ServerSentEvent]:
        events = []
        for raw in lines:
            event = self._line(raw)
            if event is not None:
                events.append(event)
        return events

    def _line(self, raw: bytes) -> typing.Optional[ServerSentEvent]:
        line = raw.decode("utf-8", "replace")
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
            self._size += len(value) + 1
            if self._max is not None and self._size > self._max:
                raise TooLong("server-sent event", self._max)
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
            self._size = 0
            return None
        event = ServerSentEvent("\n".join(self._data), self._event or "message", self._id, self._retry)
        self._data = []
        self._size = 0
        self._event = ""
        return event


class JsonLineDecoder:
    """Turns chunks of a stream of JSON values, one a line (NDJSON, JSON Lines, JSON text
    sequences), into events whose ``data`` is one value's text: a JSON text sequence's record
    separators and blank lines are dropped. Lines are split by :class:`LineDecoder`."""

    def __init__(self, max_line_size: typing.Optional[int] = None) -> None:
        self._lines = LineDecoder(max_line_size)

    def feed(self, chunk: bytes) -> typing.List[ServerSentEvent]:
        return _values(self._lines.feed(chunk))

    def close(self) -> typing.List[ServerSentEvent]:
        return _values(self._lines.close())


def _values(lines: typing.List[bytes]) -> typing.List[ServerSentEvent]:
    texts = (line.decode("utf-8", "replace").replace("\x1e", "").strip() for line in lines)
    return [ServerSentEvent(text) for text in texts if text]
