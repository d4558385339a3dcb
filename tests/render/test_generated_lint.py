"""Generated code has no unused imports or undefined names: ``ruff check --select F`` passes on the
committed Hume SDK and on the SDKs of the small test descriptions (REST, sockets only, payload kinds)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.format import format_files
from generator.pipeline import build_ir
from generator.render import render
from generator.write import write_tree
from tests.conftest import REPO

TEST_SPECS = REPO / "tests" / "specs"


def _pyflakes(folder: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F", "--output-format", "concise"]
    return subprocess.run([*command, str(folder)], capture_output=True, text=True)


def test_the_committed_sdk_has_no_unused_import() -> None:
    result = _pyflakes(REPO / "generated")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in TEST_SPECS.iterdir() if (p / "sdkgen.yaml").exists()))
def test_other_sdks_have_no_unused_import(name: str, tmp_path: Path) -> None:
    write_tree(format_files(render(build_ir(TEST_SPECS / name))), tmp_path / "out")
    result = _pyflakes(tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_sdk_with_every_credential_kind_and_no_server_has_no_unused_import(tmp_path: Path) -> None:
    import yaml

    from generator.pipeline import Project
    from tests.test_auth import vault_api

    document = vault_api("https://unused.example.com")
    del document["servers"]
    spec = tmp_path / "vault.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    write_tree(format_files(render(build_ir(Project.from_files([spec], package="vault")))), tmp_path / "out")
    result = _pyflakes(tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_sdk_with_cookie_parameters_of_every_style_has_no_unused_import(tmp_path: Path) -> None:
    import yaml

    from generator.pipeline import Project
    from tests.rest.test_cookies import bakery_api

    spec = tmp_path / "bakery.yaml"
    spec.write_text(yaml.safe_dump(bakery_api("https://unused.example.com"), sort_keys=False))
    write_tree(format_files(render(build_ir(Project.from_files([spec], package="bakery")))), tmp_path / "out")
    result = _pyflakes(tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_sees_an_unused_import(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text("import typing\n")
    assert _pyflakes(tmp_path).returncode == 1
