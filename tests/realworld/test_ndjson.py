"""NDJSON / JSON Lines / JSON text sequence responses are typed iterators, as server-sent events are
(sync and async), with a ``_stream`` variant where the operation also answers JSON; checked against
a loopback server."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from generator import ir
from generator.pipeline import build_ir
from tests.normalise.helpers import openapi, write
from tests.realworld.sdk import generate
from tests.rest.scripted_server import Reply, ScriptedServer

LOG = {
    "type": "object",
    "required": ["level", "message"],
    "properties": {"level": {"type": "string"}, "message": {"type": "string"}},
}


def _document() -> dict[str, object]:
    ref = {"$ref": "#/components/schemas/Log"}
    return openapi(
        {
            "/logs": {
                "get": {
                    "operationId": "tailLogs",
                    "responses": {
                        "200": {"description": "lines", "content": {"application/x-ndjson": {"schema": ref}}}
                    },
                }
            },
            "/export": {
                "get": {
                    "operationId": "exportLogs",
                    "responses": {
                        "200": {
                            "description": "all at once, or line by line",
                            "content": {
                                "application/json": {"schema": {"type": "array", "items": ref}},
                                "application/json-seq": {"itemSchema": ref},
                            },
                        }
                    },
                }
            },
        },
        {"Log": LOG},
    )


def test_json_lines_responses_are_streams_of_their_schema(tmp_path: Path) -> None:
    write(tmp_path, {"api.yaml": _document()}, [{"file": "api.yaml"}])
    api = build_ir(tmp_path)
    by_name = {e.py_name: e for e in api.endpoints}
    log = next(t for t in api.types if t.py_name == "Log")
    assert (by_name["tail_logs"].response.kind, by_name["tail_logs"].response.type) == ("jsonl", ir.Named(log.id))
    assert by_name["export_logs"].response.kind == "json"
    stream = by_name["export_logs_stream"].response
    assert (stream.kind, stream.content_type, stream.type) == ("jsonl", "application/json-seq", ir.Named(log.id))


SCRIPT = """
import asyncio, json, sys
from demo import DemoClient, AsyncDemoClient

url = sys.argv[1]
client = DemoClient(base_url=url, api_key="k")
lines = [(log.level, log.message) for log in client.tail_logs()]
seq = [log.message for log in client.export_logs_stream()]

async def main():
    async_client = AsyncDemoClient(base_url=url, api_key="k")
    return [log.message async for log in async_client.tail_logs()]

print(json.dumps({"lines": lines, "seq": seq, "async": asyncio.run(main())}))
"""


def test_json_lines_stream_sync_and_async(tmp_path: Path, server: ScriptedServer) -> None:
    write(tmp_path, {"api.yaml": _document()}, [{"file": "api.yaml"}])
    src = generate(tmp_path, tmp_path / "out")
    ndjson = {"Content-Type": "application/x-ndjson"}
    first = [b'{"level": "info", "message": "up"}\n{"level": "warn", ', b'"message": "slow"}\n', b"\n"]
    drifted = [b'{"level": "info", "message": "up"}\n', b'{"type": "newer kind"}\n', b'{"level": "x", "message": "z"}']
    records = [b'\x1e{"level": "info", "message": "a"}\n', b'\x1e{"level": "info", "message": "b"}\n']
    server.answer(
        Reply(200, headers=ndjson, chunks=first),
        Reply(200, headers={"Content-Type": "application/json-seq"}, chunks=records),
        Reply(200, headers=ndjson, chunks=drifted),
    )
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), server.url],
        env={"PYTHONPATH": str(src), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["lines"] == [["info", "up"], ["warn", "slow"]]  # a line split across chunks; a blank line skipped
    assert out["seq"] == ["a", "b"]  # record separators dropped
    assert out["async"] == ["up", "z"]  # an object of no kind the API declares: skipped, with a warning
    assert "of no kind this SDK knows" in result.stderr
    accepts = [r.headers.get("Accept", r.headers.get("accept", "")) for r in server.requests[-3:]]
    assert all("application/x-ndjson" in accept and "application/json," not in accept for accept in accepts)


LIMIT_SCRIPT = """
import asyncio, sys
from demo import AsyncDemoClient, DemoClient
from demo.core import ResponseTooLargeError

url = sys.argv[1]
try:
    list(DemoClient(base_url=url, api_key="k", max_line_size=1000).tail_logs())
except ResponseTooLargeError as error:
    print("sync:", error)

async def main():
    try:
        [log async for log in AsyncDemoClient(base_url=url, api_key="k", max_line_size=1000).tail_logs()]
    except ResponseTooLargeError as error:
        print("async:", error)

asyncio.run(main())
"""


def _capped() -> None:
    import resource

    cap = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def test_a_json_line_past_max_line_size_raises_sync_and_async(tmp_path: Path, server: ScriptedServer) -> None:
    """A line that never ends is refused once it passes the client's ``max_line_size``, before the
    rest arrives (the child runs under an address-space cap)."""
    write(tmp_path, {"api.yaml": _document()}, [{"file": "api.yaml"}])
    src = generate(tmp_path, tmp_path / "out")
    endless = [b'{"level": "info", "message": "up"}\n', b'{"level": "info", "message": "' + b"x" * 600, b"x" * 600]
    ndjson = {"Content-Type": "application/x-ndjson"}
    server.answer(Reply(200, headers=ndjson, chunks=endless), Reply(200, headers=ndjson, chunks=endless))
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LIMIT_SCRIPT), server.url],
        env={"PYTHONPATH": str(src), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_capped,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["sync", "async"]
    assert all("stream line" in line and "1,000 bytes" in line for line in lines), lines
