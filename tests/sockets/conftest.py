"""Fixtures for the socket tests: the runtime as a package of its own, the spec server."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from generator.ir import USUAL_REQUEST_ID_HEADERS
from generator.render import render_request_ids
from tests.conftest import REPO, SPECS
from tests.sockets.spec_server import Specs, SpecServer

RUNTIME = REPO / "templates" / "runtime"
RUNTIME_PACKAGE = "sockets_runtime_under_test"


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """``core/socket.py`` (with the runtime modules it uses) in a throwaway package."""
    root = tmp_path_factory.mktemp("runtime")
    package = root / RUNTIME_PACKAGE
    shutil.copytree(RUNTIME / "core", package / "core")
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "core" / "__init__.py").write_text("", encoding="utf-8")
    (package / "core" / "_request_ids.py").write_text(render_request_ids(USUAL_REQUEST_ID_HEADERS), encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(f"{RUNTIME_PACKAGE}.core._socket")
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="session")
def specs() -> Specs:
    return Specs(SPECS)


@pytest.fixture(scope="session")
def spec_server(specs: Specs) -> Iterator[SpecServer]:
    server = SpecServer(specs).start()
    yield server
    server.stop()


@pytest.fixture
def server(spec_server: SpecServer) -> SpecServer:
    """The spec server with nothing planned and nothing recorded."""
    spec_server.reset()
    return spec_server


def module(runtime: ModuleType, name: str) -> ModuleType:
    """Another module of the runtime package (``serialization``, ``api_error``...)."""
    return importlib.import_module(f"{RUNTIME_PACKAGE}.core.{name}")
