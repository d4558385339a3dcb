"""The generated SDK against servers that misbehave on purpose (loopback, see hostile_client.py).

Each scenario runs in a child process capped at 1 GiB of address space and 30 s of CPU time:
an SDK that read a gzip bomb or an endless body whole, or rescanned a stream's buffer for each
chunk, is killed by the kernel (or fails with MemoryError) instead of passing.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("hostile_client.py")
MEMORY = 1024 * 1024 * 1024
CPU_SECONDS = 30


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


@pytest.mark.parametrize(
    ("scenario", "seen"),
    [
        ("dots", "/v0/evi/configs/%2E%2E/version/1 /v0/evi/configs/%2E/version/1"),
        ("gzip_bomb", "is larger than 67,108,864 bytes"),
        ("endless_body", "the response body of GET http://127.0.0.1:"),
        ("endless_line", "the stream line of POST"),
        ("endless_event", "the server-sent event of POST"),
        ("long_line_in_linear_time", "64 MiB line decoded"),
        ("userinfo", "malformed response body of GET http://127.0.0.1:"),
    ],
)
def test_hostile_server(scenario: str, seen: str) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), scenario],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("OK ") and seen in result.stdout, result.stdout
