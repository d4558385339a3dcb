"""Fixtures of the REST tests: the IR of specs/, the generated SDK, and Prism mock servers.

The tests exercise the committed ``generated/`` tree (the snapshot test checks that it is
what ``specs/`` gives). Prism (``@stoplight/prism-cli``, pinned in package.json; ``npm ci``
installs it) serves each OpenAPI file on a free loopback port and validates every
request against it; the tests read its verdict from the ``sl-violations`` response header
(see :func:`request_violations`), so a request that breaks the spec fails the test.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import typing
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import pytest

from generator.ir import Api
from generator.pipeline import build_ir

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"
GENERATED_SRC = REPO / "generated" / "src"
PRISM = REPO / "node_modules" / ".bin" / "prism"
PRISM_START_TIMEOUT = 60.0

if str(GENERATED_SRC) not in sys.path:
    sys.path.insert(0, str(GENERATED_SRC))


TEST_SPECS = REPO / "tests" / "specs"


@lru_cache(maxsize=1)
def hume_api() -> Api:
    """The IR of specs/ (computed once per test session; also used at collection time)."""
    return build_ir(SPECS)


@cache
def other_api(name: str) -> Api:
    """The IR of a small API of tests/specs/ (petstore, chatroom...)."""
    return build_ir(TEST_SPECS / name)


OTHER_APIS = sorted(p.name for p in TEST_SPECS.iterdir() if (p / "sdkgen.yaml").is_file())


@pytest.fixture(scope="session")
def other_sdks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The SDKs of tests/specs/, generated once into one folder that is put on ``sys.path``."""
    from generator.format import format_files
    from generator.render import render
    from generator.write import write_tree

    root = tmp_path_factory.mktemp("other-sdks")
    for name in OTHER_APIS:
        write_tree(format_files(render(other_api(name))), root / name)
    paths = [str(root / name / "src") for name in OTHER_APIS]
    sys.path[:0] = paths
    try:
        yield root
    finally:
        for path in paths:
            sys.path.remove(path)


@pytest.fixture(scope="session")
def api() -> Api:
    return hume_api()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrismServer:
    """One ``prism mock`` process serving one OpenAPI file on 127.0.0.1."""

    def __init__(self, spec: Path, log_dir: Path) -> None:
        self.spec = spec
        self.port = free_port()
        self.log = log_dir / f"prism-{spec.parent.name}-{spec.stem}-{self.port}.log"
        command = [str(PRISM), "mock", str(spec), "--host", "127.0.0.1", "--port", str(self.port)]
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT, cwd=REPO)
        self._wait_until_listening()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + PRISM_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if "Prism is listening" in self.log.read_text(errors="replace"):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Prism did not start for {self.spec}:\n{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


class PrismServers:
    """Prism servers started on first use, one per spec file, for the whole session."""

    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self._servers: dict[Path, PrismServer] = {}

    def url_for(self, spec_file: str, specs: Path = SPECS) -> str:
        """The URL of the server for ``spec_file`` (relative to ``specs``), started on first use."""
        path = specs / spec_file
        if path not in self._servers:
            self._servers[path] = PrismServer(path, self._log_dir)
        return self._servers[path].url

    def log_for(self, spec_file: str, specs: Path = SPECS) -> str:
        server = self._servers.get(specs / spec_file)
        return server.log.read_text(errors="replace")[-2000:] if server else ""

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServers]:
    if not PRISM.exists():
        pytest.fail(f"Prism is not installed ({PRISM} is missing): run `npm ci` in {REPO}", pytrace=False)
    servers = PrismServers(tmp_path_factory.mktemp("prism"))
    try:
        yield servers
    finally:
        servers.stop()


PRISM_PROBLEM = "stoplight.io/prism/errors"


def request_violations(response: typing.Any) -> list[dict[str, typing.Any]]:
    """The ways Prism found the request of ``response`` (an ``httpx`` response, read) to break the spec.

    Prism lists them in the ``sl-violations`` header, or, when it makes up an error
    response itself, in the ``validation`` list of its problem document.
    """
    found = []
    header = response.headers.get("sl-violations")
    if header:
        found += json.loads(header)
    if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
        problem = json.loads(response.content or b"null")
        if isinstance(problem, dict) and PRISM_PROBLEM in str(problem.get("type")):
            found += [{**v, "location": ["request", *v.get("location", [])]} for v in problem.get("validation", [])]
    return [v for v in found if v.get("location", [""])[0] == "request"]


@pytest.fixture(autouse=True)
def _no_api_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests pass their keys explicitly; a key in the developer's environment must not leak in."""
    for name in list(os.environ):
        if name.endswith("_API_KEY"):
            monkeypatch.delenv(name)
