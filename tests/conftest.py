"""Shared test fixtures: where the repo, the specs and the shared material are."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests check what is generated, not how fast: on a loaded machine (CI shares its cores)
# the time hypothesis takes to draw inputs is no failure, so no deadline and no "too slow" check.
settings.register_profile("sdkgen", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sdkgen")

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "specs"
GENERATED = REPO / "generated"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
