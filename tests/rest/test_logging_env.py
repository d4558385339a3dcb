"""``<PACKAGE>_LOG=info|debug`` turns the SDK's logging on, to standard error, in the documented format.

A child interpreter (so that the variable is read at import, as in a user's program) calls a
server on loopback, sync and async.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.rest.conftest import GENERATED_SRC, hume_api
from tests.rest.scripted_server import ScriptedServer, json_reply

API = hume_api()
SECRET = "sk-test-4f1c2b9e7d"
PROGRAM = """
import asyncio, sys
import {package}
url, sync = sys.argv[1], sys.argv[2] == "sync"
options = {{"additional_query_parameters": {{"token": "hush"}}}}
if sync:
    {package}.{client}(api_key="{secret}", base_url=url).empathic_voice.configs.get_config_version("c1", 0, request_options=options)
else:
    client = {package}.{async_client}(api_key="{secret}", base_url=url)
    asyncio.run(client.empathic_voice.configs.get_config_version("c1", 0, request_options=options))
"""
LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<logger>\w+) INFO GET (?P<url>\S+) attempt (?P<attempt>\d+): "
    r"(?P<status>\d+) in \d+ ms(?: \(request id (?P<id>[^)]+)\))?$"
)


def _run(server: ScriptedServer, level: str | None, sync: bool) -> str:
    environment = {key: value for key, value in os.environ.items() if not key.endswith("_LOG")}
    environment["PYTHONPATH"] = str(GENERATED_SRC)
    if level is not None:
        environment[API.package.upper() + "_LOG"] = level
    program = PROGRAM.format(package=API.package, client=API.client, async_client=API.async_client, secret=SECRET)
    command = [sys.executable, "-c", program, server.url, "sync" if sync else "async"]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
def test_info_logs_one_line_per_attempt_without_query_credentials_or_body(server: ScriptedServer, sync: bool) -> None:
    server.answer(json_reply({}, 503), json_reply({"id": "c1"}, headers={"X-Request-Id": "req-9"}))
    lines = _run(server, "info", sync).splitlines()
    matches = [LINE.match(line) for line in lines]
    assert len(lines) == 2 and all(matches), lines
    first, second = typing_cast(matches)
    assert first["logger"] == API.package and first["url"] == f"{server.url}/v0/evi/configs/c1/version/0"
    assert (first["attempt"], first["status"], first["id"]) == ("1", "503", None)
    assert (second["attempt"], second["status"], second["id"]) == ("2", "200", "req-9")
    text = "\n".join(lines)
    assert SECRET not in text and "hush" not in text and '"c1"' not in text


def test_debug_adds_the_request_headers_with_credentials_redacted(server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "c1"}))
    text = _run(server, "DEBUG", True)
    assert "request headers" in text and "[redacted]" in text and SECRET not in text


def test_without_the_variable_nothing_is_logged(server: ScriptedServer) -> None:
    server.answer(json_reply({"id": "c1"}))
    assert _run(server, None, True) == ""


def typing_cast(matches: list[re.Match[str] | None]) -> list[re.Match[str]]:
    return [match for match in matches if match is not None]
