"""Every AsyncAPI document of ``shared/corpus`` (and the community Hume one) generates a working SDK.

``asyncapi.yaml`` beside this file lists each document with the settings a user would
write for it, and the documents sdkgen still refuses, with the error and the reason. Each
listed document is generated; every module of the SDKs is imported, and all of them pass
``mypy --strict`` in one run.

The SDKs are written under ``.sdkgen-cache/corpus/`` in the repository (ignored by git),
with mypy's cache beside them: a second run re-checks only what changed. A run from a
fresh clone (CI) checks everything once: well under two minutes on two cores.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import naming
from generator.errors import SpecError
from generator.ir import Api
from generator.pipeline import build_ir
from tests.conftest import needs_shared

HERE = Path(__file__).parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared"
OUT = REPO / ".sdkgen-cache" / "corpus"
ENTRIES: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "asyncapi.yaml").read_text(encoding="utf-8"))["documents"]
_ASYNCAPI_KEY = re.compile(r"""^\s*["']?asyncapi["']?\s*:""", re.M)

pytestmark = needs_shared("corpus")


@dataclass
class Outcome:
    api: Api | None
    error: SpecError | None
    warnings: str
    package: str


def package_of(name: str) -> str:
    path = Path(name)
    return "c_" + naming.snake(f"{path.parent.name} {path.stem}")


def specs_for(name: str, entry: dict[str, Any], root: Path) -> Path:
    """A specs folder holding the document's corpus folder, its overlays and its ``sdkgen.yaml``."""
    top, folder, *rest = Path(name).parts
    specs = root / package_of(name)
    shutil.rmtree(specs, ignore_errors=True)
    shutil.copytree(SHARED / top / folder, specs / folder)
    overlays = []
    for overlay in entry.get("overlays", []):
        (specs / "overlays").mkdir(exist_ok=True)
        shutil.copyfile(HERE / "overlays" / overlay, specs / "overlays" / overlay)
        overlays.append(f"overlays/{overlay}")
    source: dict[str, Any] = {"file": "/".join([folder, *rest]), "module": "", "describes": entry["describes"]}
    if overlays:
        source["overlays"] = overlays
    if "environment" in entry:
        source["environment"] = entry["environment"]
    urls = {"base": "https://api.example.com", **{key: f"wss://{key}.example.com" for key in entry["url_keys"]}}
    settings = {
        "package": package_of(name),
        "client": "Client",
        "async_client": "AsyncClient",
        "environments": {"production": urls},
        "sources": [source],
    }
    (specs / "sdkgen.yaml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return specs


@lru_cache(maxsize=1)
def outcomes() -> dict[str, Outcome]:
    """Each listed document's IR (or error) and warnings; the SDKs written under ``OUT``."""
    from generator.format import format_files
    from generator.render import render
    from generator.write import write_tree

    specs_root = OUT / "specs"
    result = {}
    for name, entry in ENTRIES.items():
        specs = specs_for(name, entry, specs_root)
        warnings = io.StringIO()
        api, error = None, None
        with contextlib.redirect_stderr(warnings):
            try:
                api = build_ir(specs)
            except SpecError as exc:
                error = exc
        if api is not None:
            write_tree(format_files(render(api)), OUT / "sdks" / package_of(name))
        result[name] = Outcome(api, error, warnings.getvalue(), package_of(name))
    return result


def asyncapi_documents() -> set[str]:
    """Every file of ``shared/corpus`` and ``shared/upstream/asyncapi`` with a top-level ``asyncapi`` key."""
    found = set()
    for top in ("corpus", "upstream/asyncapi"):
        for path in (SHARED / top).rglob("*"):
            if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
                with path.open(encoding="utf-8", errors="replace") as file:
                    if _ASYNCAPI_KEY.search(file.read(4096)):
                        found.add(path.relative_to(SHARED).as_posix())
    return found


def test_every_asyncapi_document_is_listed() -> None:
    assert asyncapi_documents() == set(ENTRIES)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_document_generates_or_is_refused_as_listed(name: str) -> None:
    entry, outcome = ENTRIES[name], outcomes()[name]
    refused = entry.get("refused")
    if refused is not None:
        assert outcome.error is not None, f"{name} generates now: remove its 'refused' entry (stale)"
        assert refused["error"] in outcome.error.message, f"{name} is refused otherwise now: {outcome.error}"
        assert refused.get("reason"), "an exception says why"
        return
    assert outcome.error is None, str(outcome.error)
    assert outcome.api is not None
    assert len(outcome.api.channels) == entry["channels"]
    for text in entry.get("warnings", []):
        assert text in outcome.warnings


def test_generated_sdks_import_every_module_and_pass_mypy_strict() -> None:
    generated = [outcome for outcome in outcomes().values() if outcome.api is not None]
    assert generated
    sources = [OUT / "sdks" / outcome.package / "src" for outcome in generated]
    modules = []
    for source in sources:
        for path in sorted(source.rglob("*.py")):
            parts = path.relative_to(source).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(str(source) for source in sources)}
    program = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    result = subprocess.run(
        [sys.executable, "-c", program, *modules], env=environment, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    environment = {**os.environ, "MYPYPATH": os.pathsep.join(str(source) for source in sources)}
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(OUT / "mypy-cache")]
    for outcome in generated:
        command += ["-p", outcome.package]
    result = subprocess.run(command, cwd=OUT, env=environment, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr
