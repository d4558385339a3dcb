"""sdkgen installed from a wheel (not editable) works without the checkout.

The wheel is built once per test session from a copy of the sources, and installed into a
fresh virtualenv. To keep the test offline and quick, that virtualenv gets sdkgen's
dependencies (jinja2, ruff...) by a ``.pth`` line naming the test environment's
site-packages, which holds no ``generator`` package of its own (the editable install's
finder is activated only by a ``.pth`` file processed in its own site folder): every
``generator`` module and template the run uses comes from the wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import write
from tests.conftest import GENERATED, REPO, SPECS

_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", "*.egg-info", "build", "dist")


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for folder in ("generator", "templates"):
        shutil.copytree(REPO / folder, source / folder, ignore=_SKIP)
    built = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", root / "dist", source, cwd=root)
    assert built.returncode == 0, built.stderr
    (found,) = (root / "dist").glob("sdkgen-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path) -> Iterator[Path]:
    root = wheel.parent.parent / "venv"
    created = _run(sys.executable, "-m", "venv", "--without-pip", root, cwd=wheel.parent)
    assert created.returncode == 0, created.stderr
    python = root / "bin" / "python"
    installed = _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel, cwd=wheel.parent
    )
    assert installed.returncode == 0, installed.stderr
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=wheel.parent)
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site.stdout.strip()) / "sdkgen_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    yield root


def _source_files() -> set[str]:
    """What the wheel must hold: the package's files, and the templates under generator/_templates."""
    found = set()
    for folder, prefix in (("generator", "generator"), ("templates", "generator/_templates")):
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.add(f"{prefix}/{path.relative_to(REPO / folder).as_posix()}")
    return found


def test_the_wheel_holds_every_module_template_and_schema(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = _source_files()
    assert expected - names == set(), "missing from the wheel (a new subpackage must be listed in pyproject.toml)"
    assert "generator/load/schemas/asyncapi-3.0.0.json" in names
    assert any(name.startswith("generator/_templates/runtime/") for name in names)


def test_the_installed_sdkgen_regenerates_the_hume_sdk(venv: Path, tmp_path: Path) -> None:
    """From a folder outside the checkout, the wheel's sdkgen writes exactly `generated/`."""
    python = venv / "bin" / "python"
    where = _run(python, "-c", "import generator; print(generator.__file__)", cwd=tmp_path)
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr
    version = _run(venv / "bin" / "sdkgen", "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("sdkgen "), version.stderr
    specs = Path(shutil.copytree(SPECS, tmp_path / "specs"))
    result = _run(venv / "bin" / "sdkgen", "generate", "--specs", specs, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    produced, expected = write.read_tree(tmp_path / "out"), write.read_tree(GENERATED)
    assert sorted(produced) == sorted(expected)
    assert [path for path in expected if produced[path] != expected[path]] == []
