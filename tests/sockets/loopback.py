"""A loopback WebSocket server for one connection at a time: it sends planned frames, records the rest.

For each connection it records the handshake (path and headers), sends the frames of the
current plan, then records every frame the client sends until the client closes, and sets
``done``. It listens on 127.0.0.1 only, on a free port, in a background thread.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import websockets.sync.server

Frame = str | bytes


class LoopbackServer:
    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.received: list[Frame] = []
        self.path = ""
        self.headers: dict[str, str] = {}
        self.done = threading.Event()
        self._server = websockets.sync.server.serve(self._handle, "127.0.0.1", 0)
        self.port: int = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def plan(self, frames: Sequence[Frame]) -> None:
        """What the next connection gets; forgets what the last one recorded."""
        self.frames, self.received, self.path, self.headers = list(frames), [], "", {}
        self.done.clear()

    def _handle(self, connection: websockets.sync.server.ServerConnection) -> None:
        assert connection.request is not None
        self.path = connection.request.path
        self.headers = {name.lower(): value for name, value in connection.request.headers.raw_items()}
        try:
            for frame in self.frames:
                connection.send(frame)
            for message in connection:
                self.received.append(message)
        finally:
            self.done.set()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
