"""The generated package passes ``mypy --strict``, and so does typical user code; a misspelt key does not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rest.conftest import GENERATED_SRC, hume_api

USER_CODE = Path(__file__).parent / "user_code"
USAGE = USER_CODE / "usage.py"
OPTIONS = USER_CODE / "options_usage.py"
"""Every client option, error class and response helper of the REST client."""
MISSPELT = USER_CODE / "misspelt_key.py"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the module: the second run reuses what the first learnt of the package."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(cache: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MYPYPATH": str(GENERATED_SRC)}
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), *targets]
    return subprocess.run(command, cwd=GENERATED_SRC, env=environment, capture_output=True, text=True, timeout=900)


def test_generated_package_and_user_code_pass_mypy_strict(cache: Path) -> None:
    result = _mypy(cache, hume_api().package.split(".")[0], str(USAGE), str(OPTIONS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_misspelt_key_in_a_dict_for_a_model_fails_mypy_strict(cache: Path) -> None:
    result = _mypy(cache, str(MISSPELT))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "misspelt_key.py:8: error:" in result.stdout and "PostedUtteranceParams" in result.stdout, result.stdout
