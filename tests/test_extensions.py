"""Hand-written extensions (specs/extensions/): copied into the package, mixed into clients, re-exported
lazily, kept by every regeneration and covered by ``sdkgen check``; bad references are located errors."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from generator import cli
from generator.pipeline import build_files
from tests.conftest import REPO

PETSTORE = REPO / "tests" / "specs" / "petstore"

HELPERS = '''
"""Hand-written helpers of the pets client."""

from __future__ import annotations

import typing


class _Lists(typing.Protocol):
    def list_pets(self, *, limit: typing.Optional[int] = None) -> typing.Any: ...


class PetNamesMixin:
    def pet_names(self: _Lists) -> typing.List[str]:
        return [pet.name for pet in self.list_pets(limit=100)]


class AsyncPetNamesMixin:
    async def pet_names(self: _Lists) -> typing.List[str]:
        return [pet.name async for pet in await self.list_pets(limit=100)]
'''

MONEY = '''
def cents(amount: float) -> int:
    """An amount in cents."""
    return round(amount * 100)
'''

MANIFEST = """
exports:
  "": {cents: util.money}
  pets: {cents: util.money}
mixins:
  pets:
    module: pets.helpers
    sync: PetNamesMixin
    async: AsyncPetNamesMixin
extras:
  money: ["babel>=2"]
"""


def _specs(tmp_path: Path, files: dict[str, str], manifest: str | None = MANIFEST) -> Path:
    specs = tmp_path / "specs"
    shutil.copytree(PETSTORE, specs)
    for name, text in files.items():
        path = specs / "extensions" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    if manifest is not None:
        (specs / "extensions").mkdir(exist_ok=True)
        (specs / "extensions" / "extensions.yaml").write_text(manifest)
    return specs


def test_extensions_become_part_of_the_package(tmp_path: Path) -> None:
    files = build_files(_specs(tmp_path, {"pets/helpers.py": HELPERS, "util/money.py": MONEY}))
    money = files["src/petstore/util/money.py"]
    assert money.startswith("# Hand-written: copied from extensions/util/money.py (edit it there).\n")
    assert "def cents(amount: float) -> int:" in money
    client = files["src/petstore/pets/client.py"]
    assert "from petstore.pets.helpers import AsyncPetNamesMixin, PetNamesMixin" in client
    assert "class PetsClient(SyncBaseClient, PetNamesMixin):" in client
    assert "class AsyncPetsClient(AsyncBaseClient, AsyncPetNamesMixin):" in client
    assert "from .util.money import cents as cents" in files["src/petstore/__init__.py"]
    assert '"cents": ".util.money"' in files["src/petstore/__init__.py"]
    assert '"cents": "petstore.util.money"' in files["src/petstore/pets/__init__.py"]
    assert "src/petstore/util/__init__.py" in files
    assert '[project.optional-dependencies]\nmoney = ["babel>=2"]' in files["pyproject.toml"]


def test_a_regeneration_keeps_them_and_check_covers_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    specs = _specs(tmp_path, {"pets/helpers.py": HELPERS, "util/money.py": MONEY})
    out = tmp_path / "out"
    arguments = ["--specs", str(specs), "--out", str(out), "--no-cache"]
    assert cli.main(["generate", *arguments]) == 0
    assert cli.main(["generate", *arguments]) == 0
    copied = out / "src" / "petstore" / "util" / "money.py"
    assert "def cents" in copied.read_text()
    assert cli.main(["check", *arguments]) == 0
    copied.write_text(copied.read_text() + "\n# edited by hand\n")
    assert cli.main(["check", *arguments]) == 1  # the copy is generated output: not to be edited
    assert cli.main(["generate", *arguments]) == 0
    (specs / "extensions" / "util" / "money.py").write_text(MONEY + "\nTAX = 0.2\n")
    assert cli.main(["check", *arguments]) == 1  # the extension changed: regenerate
    capsys.readouterr()


@pytest.mark.parametrize(
    ("files", "manifest", "message", "where"),
    [
        (
            {"pets/helpers.py": HELPERS},
            "mixins:\n  pets.gone:\n    module: pets.helpers\n    sync: PetNamesMixin\n    async: AsyncPetNamesMixin\n",
            "no sub-client 'pets.gone' to add methods to",
            "extensions/extensions.yaml:2 at /mixins/pets.gone",
        ),
        (
            {"pets/helpers.py": HELPERS},
            "mixins:\n  pets:\n    module: pets.helpers\n    sync: Nope\n    async: AsyncPetNamesMixin\n",
            "'sync' must name a class of pets.helpers",
            "extensions/extensions.yaml:4 at /mixins/pets/sync",
        ),
        (
            {"util/money.py": MONEY},
            "exports:\n  '': {dollars: util.money}\n",
            "util.money defines no 'dollars'",
            "extensions/extensions.yaml:2 at /exports//dollars",
        ),
        (
            {"util/money.py": MONEY},
            "exports:\n  shop: {cents: util.money}\n",
            "no package 'shop' to re-export from",
            "extensions/extensions.yaml:2 at /exports/shop",
        ),
        ({"util/money.py": MONEY}, "plugins: {}\n", "unknown key 'plugins'", "extensions/extensions.yaml"),
        (
            {"util/__init__.py": ""},
            None,
            "the generator writes every package's __init__.py",
            "extensions/util/__init__.py",
        ),
        (
            {"pets/client.py": MONEY},
            None,
            "every sub-client package has a generated 'client' module",
            "extensions/pets/client.py",
        ),
        (
            {"pets/types/extra.py": MONEY},
            None,
            "the generated runtime, types and errors packages",
            "extensions/pets/types/extra.py",
        ),
        ({"util/broken.py": "def f(:\n    pass\n"}, None, "not valid Python", "extensions/util/broken.py:1"),
    ],
)
def test_bad_extensions_are_located_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    manifest: str | None,
    message: str,
    where: str,
) -> None:
    specs = _specs(tmp_path, files, manifest)
    out = tmp_path / "out"
    assert cli.main(["generate", "--specs", str(specs), "--out", str(out), "--no-cache"]) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert message in error and where in error
    assert not out.exists()
