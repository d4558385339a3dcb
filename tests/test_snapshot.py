"""The committed generated/ is exactly what the specs give, and `sdkgen check` says so."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from generator import pipeline, write
from tests.conftest import GENERATED, REPO, SPECS


def test_generated_tree_matches_the_specs() -> None:
    expected = pipeline.build_files(SPECS)
    drift = write.compare_tree(expected, GENERATED)
    assert not drift, "generated/ is stale; run `make generate`:\n" + drift.summary(
        expected, write.read_tree(GENERATED)
    )


def test_generation_is_deterministic() -> None:
    assert pipeline.build_files(SPECS) == pipeline.build_files(SPECS)


def _sdkgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True)


def test_check_exits_1_and_names_the_stale_file(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    readme = out / "README.md"
    readme.write_text(readme.read_text() + "\nhand edit\n")
    (out / "extra.txt").write_text("not generated\n")
    result = _sdkgen("check", "--specs", str(SPECS), "--out", str(out))
    assert result.returncode == 1
    assert "changed: README.md" in result.stderr
    assert "deleted: extra.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_exits_0_when_up_to_date() -> None:
    result = _sdkgen("check")
    assert result.returncode == 0, result.stderr
    assert "matches" in result.stdout


def test_ir_prints_the_same_json_twice() -> None:
    first, second = _sdkgen("ir"), _sdkgen("ir")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert '"package": "hume"' in first.stdout
