"""One hostile-server scenario, run as ``python hostile_client.py SCENARIO`` in a child process
whose memory and CPU time the test caps (see ``test_hostile_servers.py``).

A raw loopback server (a thread of this process) answers each request with what the scenario
sends; the generated Hume SDK calls it. The last line printed is ``OK <what was seen>``; a
failure is a traceback and a non-zero exit (or the kernel's kill at a resource limit).
"""

from __future__ import annotations

import base64
import io
import itertools
import logging
import socket
import sys
import threading
import typing
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "src"))

import hume  # noqa: E402
from hume.core import MalformedResponseError, ResponseTooLargeError  # noqa: E402

MIB = 1024 * 1024
Body = typing.Callable[[], typing.Iterator[bytes]]


class Server:
    """Answers every request with ``head`` then the chunks of ``body()``, closing the connection at the end."""

    def __init__(self, head: bytes, body: Body) -> None:
        self.head = head
        self.body = body
        self.requests: list[bytes] = []
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            connection, _ = self.socket.accept()
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            received = b""
            while b"\r\n\r\n" not in received:
                received += connection.recv(65536)
            head, _, rest = received.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            while len(rest) < length:
                rest += connection.recv(65536)
            self.requests.append(head)
            try:
                connection.sendall(self.head + b"Connection: close\r\n\r\n")
                for chunk in self.body():
                    connection.sendall(chunk)
            except OSError:  # the client stopped reading: what a bounded client does
                pass


def json_head(extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra


SSE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"


def client(server: Server, **limits: typing.Any) -> hume.HumeClient:
    return hume.HumeClient(api_key="key", base_url=f"http://127.0.0.1:{server.port}", **limits)


def forever(piece: bytes) -> Body:
    def body() -> typing.Iterator[bytes]:
        while True:
            yield piece

    return body


def dots() -> str:
    server = Server(json_head(), lambda: iter([b"{}"]))
    sdk = client(server)
    for value in ("..", "."):
        try:
            sdk.empathic_voice.configs.get_config_version(id=value, version=1)
        except MalformedResponseError:
            pass
    paths = [request.split(b" ")[1].decode() for request in server.requests]
    assert paths == ["/v0/evi/configs/%2E%2E/version/1", "/v0/evi/configs/%2E/version/1"], paths
    return " ".join(paths)


def gzip_bomb() -> str:
    """A gzip body inflating without end: compressed on the fly, 1 MiB of zeros at a time (about 1 KiB each)."""

    def body() -> typing.Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(MIB)
        while True:
            yield compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH)

    server = Server(json_head(b"Content-Encoding: gzip\r\n"), body)
    try:
        client(server).empathic_voice.configs.list_configs()
    except ResponseTooLargeError as error:
        assert error.limit == 64 * MIB and error.what == "response body", error
        return str(error)
    raise AssertionError("no error")


def endless_body() -> str:
    server = Server(json_head(), lambda: itertools.chain([b"["], forever(b"0," * 32768)()))
    try:
        client(server, max_response_size=MIB).empathic_voice.configs.list_configs()
    except ResponseTooLargeError as error:
        assert error.limit == MIB and "larger than 1,048,576 bytes" in str(error), error
        return str(error)
    raise AssertionError("no error")


def _stream(server: Server, **limits: typing.Any) -> list[typing.Any]:
    return list(client(server, **limits).tts.synthesize_json_streaming(utterances=[{"text": "hi"}]))


def endless_line() -> str:
    server = Server(SSE_HEAD, lambda: itertools.chain([b"data: "], forever(b"x" * 65536)()))
    try:
        _stream(server, max_line_size=MIB)
    except ResponseTooLargeError as error:
        assert error.what == "stream line" and error.limit == MIB, error
        return str(error)
    raise AssertionError("no error")


def endless_event() -> str:
    server = Server(SSE_HEAD, forever(b"data: " + b"x" * 1000 + b"\n"))
    try:
        _stream(server)  # the default limit
    except ResponseTooLargeError as error:
        assert error.what == "server-sent event" and error.limit == 16 * MIB, error
        return str(error)
    raise AssertionError("no error")


def long_line_in_linear_time() -> str:
    """A 64 MiB comment line in 4 KiB chunks, no line limit: a decoder that rescanned its buffer
    for each chunk would look at ~500 GB (the CPU limit stops it); a linear one at 64 MiB."""

    def body() -> typing.Iterator[bytes]:
        yield b": "
        piece = b"y" * 4096
        for _ in range(64 * 256):
            yield piece
        yield b"\n\n"

    server = Server(SSE_HEAD, body)
    events = _stream(server, max_line_size=None)
    assert events == [], events
    return "64 MiB line decoded"


def userinfo() -> str:
    server = Server(json_head(), lambda: iter([b"not json"]))
    logs = io.StringIO()
    handler = logging.StreamHandler(logs)
    logging.getLogger("hume").addHandler(handler)
    logging.getLogger("hume").setLevel(logging.DEBUG)
    sdk = hume.HumeClient(api_key="key", base_url=f"http://user:s3cret@127.0.0.1:{server.port}")
    try:
        sdk.empathic_voice.configs.list_configs()
    except MalformedResponseError as error:
        message = str(error)
    else:
        raise AssertionError("no error")
    sent = server.requests[0].decode()
    assert f"Authorization: Basic {base64.b64encode(b'user:s3cret').decode()}" in sent, sent
    shown = message + logs.getvalue() + repr(sdk._client_wrapper)
    assert "s3cret" not in shown and "127.0.0.1" in message, shown
    return message


SCENARIOS: dict[str, typing.Callable[[], str]] = {
    function.__name__: function
    for function in (dots, gzip_bomb, endless_body, endless_line, endless_event, long_line_in_linear_time, userinfo)
}

if __name__ == "__main__":
    print("OK", SCENARIOS[sys.argv[1]]())
