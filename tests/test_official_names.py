"""Every public name of the official `hume` package is importable from ours, from the same module.

`fixtures/official_names.json` records the ``__all__`` of each public module of the official
hume 0.14.1 package (names only, read with importlib from an install of it). For every module
and name there, ours must have the module, the name as an attribute of it, and the name in its
``__all__`` (so ``from hume.empathic_voice import *`` gives it too).

Left out of the fixture: ``hume.core`` and ``hume.core.http_sse``, the official package's
runtime internals (HTTP client wrappers, pydantic helpers, loggers, SSE decoding); they are not
API that a description can describe, and ours has its own runtime in ``hume.core``.

Where ours deliberately lacks a name, ``EXCEPTIONS`` says why, keyed ``module:Name`` (one name)
or ``module`` (the whole module). The test fails on any missing name that is no exception, and
on any exception that no longer matches a missing name, so the table cannot go stale.

It imports ``hume``: the generated package installed in the venv (``generated/src``). To check
changed specs before ``generated/`` is regenerated, generate elsewhere and put that first on the
path: ``python -m generator generate --out /tmp/gen && PYTHONPATH=/tmp/gen/src pytest ...``.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import pytest

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "official_names.json").read_text())
OFFICIAL: dict[str, list[str]] = FIXTURE["modules"]

EXCEPTIONS: dict[str, str] = {}


def _import(module: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is not None and module.startswith(error.name):
            return None
        raise


def missing_names() -> dict[str, str]:
    """Each official name ours lacks, keyed as in EXCEPTIONS, with what is wrong."""
    missing: dict[str, str] = {}
    for module, names in OFFICIAL.items():
        ours = _import(module)
        if ours is None:
            missing[module] = "no such module"
            continue
        exported = set(getattr(ours, "__all__", ()) or ())
        for name in names:
            if not hasattr(ours, name):
                missing[f"{module}:{name}"] = "no such attribute"
            elif name not in exported:
                missing[f"{module}:{name}"] = "not in __all__"
    return missing


MISSING = missing_names()


def test_fixture_covers_the_public_modules() -> None:
    assert FIXTURE["version"] == "0.14.1"
    for module in ("hume", "hume.empathic_voice", "hume.empathic_voice.types", "hume.tts", "hume.tts.types"):
        assert OFFICIAL.get(module), f"the fixture lacks {module}"


@pytest.mark.parametrize("module", sorted(OFFICIAL))
def test_official_names_exist(module: str) -> None:
    unexpected = {
        key: what
        for key, what in MISSING.items()
        if (key == module or key.startswith(module + ":")) and key not in EXCEPTIONS and module not in EXCEPTIONS
    }
    assert not unexpected, f"{module} lacks names of the official package:\n" + "\n".join(
        f"  {key}: {what}" for key, what in sorted(unexpected.items())
    )


def test_exceptions_are_still_needed() -> None:
    stale = sorted(key for key in EXCEPTIONS if key not in MISSING)
    assert not stale, "exceptions that no longer match a missing name (remove them):\n" + "\n".join(
        f"  {key}" for key in stale
    )
