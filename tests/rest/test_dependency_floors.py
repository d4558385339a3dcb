"""The generated ``pyproject.toml``'s dependency floors hold: with the lowest versions it allows of
every dependency installed in a fresh virtual environment, the SDK makes REST calls (sync and
async) and a WebSocket exchange (sync and async) against servers on loopback, and every
handshake carries one ``User-Agent``.

Slow (a virtual environment and a ``pip install`` from the package registry, about 30 s the
first time): the environment is cached in ``~/.cache/sdkgen-test-floors/<floors hash>`` (pip's
own cache is reused), so later runs only run the program (about 2 s). Skipped when pip cannot
reach an index, and with ``SDKGEN_SKIP_FLOORS=1``.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from generator.render.docs import dependencies
from tests.rest.conftest import GENERATED_SRC, hume_api

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sdkgen-test-floors"

PROGRAM = r"""
import asyncio, json, sys, threading, http.server
import websockets.sync.server
import {package}
from {package}.core import NotFoundError

handshakes = []

class Http(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        found = "/version/" in self.path
        body = json.dumps({{"id": "c1", "name": "W"}} if found else {{"message": "no"}}).encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

def socket(connection):
    handshakes.append(list(connection.request.headers.raw_items()))
    connection.send(json.dumps({{"type": "chat_metadata", "chat_group_id": "g", "chat_id": "c"}}))
    for message in connection:
        connection.send(json.dumps({{"type": "user_message", "echo": json.loads(message)}}))
        connection.close()

http_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Http)
threading.Thread(target=http_server.serve_forever, daemon=True).start()
ws_server = websockets.sync.server.serve(socket, "127.0.0.1", 0)
threading.Thread(target=ws_server.serve_forever, daemon=True).start()
http_url = "http://127.0.0.1:%d" % http_server.server_address[1]
ws_url = "ws://127.0.0.1:%d" % ws_server.socket.getsockname()[1]
environment = {package}.{environment}(**{{key: ws_url if key == "{socket_key}" else http_url for key in {keys!r}}})

client = {package}.{client}(api_key="k", environment=environment)
assert client.empathic_voice.configs.get_config_version("c1", 0).name == "W"
try:
    client.empathic_voice.configs.list_config_versions("c1")
except NotFoundError as error:
    assert error.headers["Content-Type"] == "application/json"
else:
    raise AssertionError("no NotFoundError")
with client.empathic_voice.chat.connect() as chat:
    first = chat.recv()
    chat.send_user_input({package}.empathic_voice.UserInput(text="hi"))
    second = chat.recv()
print("sync", type(first).__name__, type(second).__name__)

async def main():
    async_client = {package}.{async_client}(api_key="k", environment=environment)
    config = await async_client.empathic_voice.configs.get_config_version("c1", 0)
    async with async_client.empathic_voice.chat.connect() as chat:
        first = await chat.recv()
        await chat.send_user_input({package}.empathic_voice.UserInput(text="hi"))
        second = await chat.recv()
    await async_client.aclose()
    print("async", config.id, type(first).__name__, type(second).__name__)

asyncio.run(main())
print("user agents", [sum(1 for name, _ in headers if name.lower() == "user-agent") for headers in handshakes])
"""


def _floors() -> list[str]:
    """``name==lowest`` for each dependency the generated SDK declares (``name>=lowest``)."""
    pins = []
    for requirement in dependencies(hume_api()):
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][0-9A-Za-z.]*)", requirement)
        assert match, f"{requirement!r} is not a plain floor"
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def _environment(floors: list[str]) -> Path:
    folder = CACHE / hashlib.sha256("\n".join([sys.version, *floors]).encode()).hexdigest()[:16]
    python = folder / "bin" / "python"
    if (folder / ".complete").exists():
        return python
    venv.create(folder, with_pip=True, clear=True)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", *floors],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.skip(f"could not install the floors {floors}: {install.stderr[-800:]}")
    (folder / ".complete").write_text("\n".join(floors))
    return python


@pytest.mark.skipif(os.environ.get("SDKGEN_SKIP_FLOORS") == "1", reason="SDKGEN_SKIP_FLOORS=1")
def test_the_sdk_works_with_the_lowest_versions_it_allows() -> None:
    api = hume_api()
    floors = _floors()
    assert {floor.split("==")[0].lower().replace("_", "-") for floor in floors} >= {
        "httpx",
        "pydantic",
        "websockets",
        "typing-extensions",
    }
    python = _environment(floors)
    socket_key = "evi"
    program = PROGRAM.format(
        package=api.package,
        client=api.client,
        async_client=api.async_client,
        environment=api.environment_class,
        keys=list(api.url_keys),
        socket_key=socket_key,
    )
    environment = {**os.environ, "PYTHONPATH": str(GENERATED_SRC)}
    result = subprocess.run([str(python), "-c", program], capture_output=True, text=True, timeout=300, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sync ChatMetadata UserMessage" in result.stdout, result.stdout
    assert "async c1 ChatMetadata UserMessage" in result.stdout, result.stdout
    assert "user agents [1, 1]" in result.stdout, result.stdout
