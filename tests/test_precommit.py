"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run by `pre-commit try-repo` in a scratch repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator import cli
from tests.conftest import REPO

PETSTORE = REPO / "tests" / "specs" / "petstore"


def _run(*command: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


def test_the_check_hook_passes_when_current_and_fails_when_stale(tmp_path: Path) -> None:
    scratch = tmp_path / "sdk-repo"
    shutil.copytree(PETSTORE, scratch / "specs")
    assert (
        cli.main(["generate", "--specs", str(scratch / "specs"), "--out", str(scratch / "generated"), "--no-cache"])
        == 0
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t"}
    env.update(GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "sdk"]):
        assert _run(*command, cwd=scratch, env=env).returncode == 0
    pre_commit: list[str | Path] = [sys.executable, "-m", "pre_commit", "try-repo", REPO, "sdkgen-check", "--all-files"]

    current = _run(*pre_commit, cwd=scratch, env=env)
    assert current.returncode == 0, current.stdout + current.stderr
    assert "generated SDK is up to date with its specs" in current.stdout and "Passed" in current.stdout

    client = scratch / "generated" / "src" / "petstore" / "client.py"
    client.write_text(client.read_text() + "\n# edited by hand\n")
    stale = _run(*pre_commit, cwd=scratch, env=env)
    assert stale.returncode == 1
    assert "Failed" in stale.stdout and "generated is stale" in stale.stdout
