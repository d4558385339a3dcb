"""The generated package passes ``mypy --strict``, and so does typical user code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.rest.conftest import GENERATED_SRC, hume_api

USAGE = Path(__file__).parent / "user_code" / "usage.py"


def test_generated_package_and_user_code_pass_mypy_strict(tmp_path: Path) -> None:
    environment = {**os.environ, "MYPYPATH": str(GENERATED_SRC)}
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache")]
    command += [hume_api().package.split(".")[0], str(USAGE)]
    result = subprocess.run(command, cwd=GENERATED_SRC, env=environment, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
