"""Loopback HTTP/1.1 server for the per-call benchmark (stdlib only).

Answers every ``GET /v0/evi/configs?...`` with the same JSON body (a ReturnPagedConfigs page; 404
to anything else), keeping connections
alive, so the client side is what the benchmark measures. Binds 127.0.0.1 on a free port, prints
the port, and stops when its stdin closes or after ``--max-seconds``.

    python server.py PAGE.json [--max-seconds 1800]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from pathlib import Path

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"


class _Protocol(asyncio.Protocol):
    response = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        # Requests are GETs without a body: one response per header block.
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            ok = self.buffer.startswith(b"GET /v0/evi/configs?")
            self.buffer = self.buffer[end + 4 :]
            self.transport.write(self.response if ok else NOT_FOUND)  # type: ignore[attr-defined]


async def _serve(body: bytes, max_seconds: float) -> None:
    _Protocol.response = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n" + b"content-length: %d\r\n\r\n" % len(body) + body
    )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Protocol, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    stdin_closed = loop.create_future()

    def close() -> None:
        if not stdin_closed.done():
            stdin_closed.set_result(None)

    def wait_for_eof() -> None:
        sys.stdin.buffer.read()
        loop.call_soon_threadsafe(close)

    threading.Thread(target=wait_for_eof, daemon=True).start()
    try:
        await asyncio.wait_for(stdin_closed, max_seconds)
    except asyncio.TimeoutError:
        pass
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("page", type=Path)
    parser.add_argument("--max-seconds", type=float, default=1800)
    args = parser.parse_args()
    asyncio.run(_serve(args.page.read_bytes(), args.max_seconds))


if __name__ == "__main__":
    main()
