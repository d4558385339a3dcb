"""Every case of the bad-spec corpus fails cleanly: exit 2, one located error, nothing written,
within a memory cap (an alias bomb or a deep nest must be refused, not exhaust the machine)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CASES = Path(__file__).parent / "bad_specs"
SENTINEL = "this output folder must not change\n"
MEMORY_CAP = 768 * 1024 * 1024
"""Address space a run may use (its 256 MiB thread stack included): an alias bomb needs far more."""


def capped() -> None:
    """In the child process: cap its address space at :data:`MEMORY_CAP`."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_spec_is_reported_once_with_its_location(case: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "SENTINEL.txt").write_text(SENTINEL)
    before = _snapshot(out)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--specs", str(CASES / case), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=capped,
    )
    expected = [line for line in (CASES / case / "expected.txt").read_text().splitlines() if line.strip()]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    for text in expected:
        assert text in errors[0], f"{text!r} not in {errors[0]!r}"
    assert _snapshot(out) == before
    assert not (tmp_path / ".sdkgen-cache").exists() or not any((tmp_path / ".sdkgen-cache").rglob("last-run.json"))
