"""The generated SDK the socket tests run against, and the IR it was generated from.

The SDK is the committed tree in ``generated/`` (``make test`` checks it is up to date
with the specs first); when the package is already importable (an editable install of
``generated/``) that installation is used.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType

from generator import ir
from generator.pipeline import build_ir
from tests.conftest import GENERATED, SPECS


@dataclass(frozen=True)
class _Api:
    specs_dir: Path

    @cached_property
    def ir(self) -> ir.Api:
        return build_ir(self.specs_dir)

    def subprocess_env(self) -> dict[str, str]:
        """An environment in which a child Python imports the same generated package."""
        package = import_generated()
        assert package.__file__ is not None
        root = str(Path(package.__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
        return {**os.environ, "PYTHONPATH": path}


API = _Api(SPECS)


def import_generated() -> ModuleType:
    """The generated package, from ``generated/src`` unless it is importable already."""
    try:
        return importlib.import_module(API.ir.package)
    except ModuleNotFoundError:
        source = GENERATED / "src"
        if not (source / API.ir.package).is_dir():
            raise RuntimeError(f"no generated package in {source}: run `make generate`") from None
        sys.path.insert(0, str(source))
        return importlib.import_module(API.ir.package)
