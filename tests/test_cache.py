"""A regeneration with nothing changed does no work; a change is always picked up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cache, cli
from tests.conftest import REPO

PETSTORE = REPO / "tests" / "specs" / "petstore"


@pytest.fixture()
def specs(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PETSTORE, tmp_path / "specs"))


def _generate(specs: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert cli.main(["generate", "--specs", str(specs), "--out", str(out), *extra]) == 0
    return capsys.readouterr().out


def test_second_run_is_a_no_op_and_edits_are_undone(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert "wrote" in _generate(specs, out, capsys)
    assert "up to date" in _generate(specs, out, capsys)

    edited = next(out.rglob("*.py"))
    original = edited.read_text()
    edited.write_text(original + "# hand edit\n")
    assert "wrote" in _generate(specs, out, capsys), "an edited output tree is regenerated"
    assert edited.read_text() == original


def test_a_spec_change_is_picked_up(specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _generate(specs, out, capsys)
    spec = next(p for p in sorted(specs.rglob("*.yaml")) if p.name != "sdkgen.yaml")
    spec.write_text(spec.read_text().replace("description: ", "description: Changed. ", 1))
    assert "wrote" in _generate(specs, out, capsys)
    assert any("Changed." in p.read_text() for p in out.rglob("*") if p.is_file())


def test_no_cache_writes_no_cache_folder(specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    _generate(specs, out, capsys, "--no-cache")
    assert not cache.cache_dir(out).exists()
