"""A real HTTP server on loopback whose answers a test scripts, one per request.

Each request takes the next step of the script (the last step repeats) and is recorded
(method, path, query, headers, body), so tests can check what the SDK sent and how it
reacts to what came back: statuses, headers, slow or streamed bodies, dropped connections.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import typing
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    at: float
    header_list: list[tuple[str, str]] = field(default_factory=list)
    """Every header as sent, in order (``headers`` keeps the last of a repeated name)."""


@dataclass
class Reply:
    """An answer: status, headers and body, sent in ``chunks`` with ``pause`` seconds between them."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] | None = None
    pause: float = 0.0
    delay: float = 0.0
    """Seconds to wait before answering (to provoke a timeout)."""


@dataclass
class Drop:
    """Close the connection without answering."""


@dataclass
class Cut:
    """Start a 200 response, then close the connection partway through its body."""

    part: bytes = b'{"id": "'


Step = Reply | Drop | Cut


def json_reply(data: typing.Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})


class ScriptedServer:
    def __init__(self) -> None:
        self.script: list[Step] = [json_reply({})]
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: typing.Any) -> None:  # noqa: A002 - stdlib signature
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urllib.parse.urlsplit(self.path)
                with server._lock:
                    server.requests.append(
                        Recorded(
                            self.command,
                            url.path,
                            urllib.parse.parse_qsl(url.query, keep_blank_values=True),
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                            time.monotonic(),
                            list(self.headers.items()),
                        )
                    )
                    index = len(server.requests) - 1
                    step = server.script[min(index, len(server.script) - 1)]
                if isinstance(step, Cut):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(step.part) * 4))
                    self.end_headers()
                    self.wfile.write(step.part)
                    self.wfile.flush()
                if isinstance(step, (Drop, Cut)):
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                time.sleep(step.delay)
                self.send_response(step.status)
                for name, value in step.headers.items():
                    self.send_header(name, value)
                if step.chunks is None:
                    self.send_header("Content-Length", str(len(step.body)))
                    self.end_headers()
                    self.wfile.write(step.body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in step.chunks:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.flush()
                    time.sleep(step.pause)
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: typing.Any, client_address: typing.Any) -> None:
                pass  # a client that gave up (a timeout test) makes writes fail: expected

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an IPv4 address is (host, port), the host a str
        return f"http://{host}:{port}"

    def answer(self, *steps: Step) -> None:
        """Answer the next requests with ``steps`` in order (the last one repeats)."""
        with self._lock:
            self.script = list(steps)
            self.requests = []

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
