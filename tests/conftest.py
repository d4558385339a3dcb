"""Shared test fixtures: where the repo, the specs and the shared material are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.rest.scripted_server import ScriptedServer

# Property tests check what is generated, not how fast: on a loaded machine (CI shares its cores)
# the time hypothesis takes to draw inputs is no failure, so no deadline and no "too slow" check.
settings.register_profile("sdkgen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sdkgen")

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
GENERATED = REPO / "generated"
SHARED = REPO.parent / "shared"
"""Given material beside the repository (read-only): ``corpus/`` and ``upstream/``."""


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Skip unless ``../shared/<parts>`` is there: every test that reads the given material skips
    the same way, with the same reason, in a checkout without it."""
    path = SHARED.joinpath(*parts)
    where = "/".join(("..", "shared", *parts))
    return pytest.mark.skipif(not path.exists(), reason=f"{where} is absent (the given material beside the repository)")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    """A loopback HTTP server the tests of a module script (``server.answer(...)``); see
    ``tests/rest/scripted_server.py``. Modules with servers of their own name theirs ``server`` too."""
    server = ScriptedServer()
    yield server
    server.close()
