"""The examples of reference.md and of the docstrings run, as written, against Prism."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from generator.ir import Api, Endpoint
from generator.render.examples import example_call
from tests.rest.conftest import REPO, PrismServers, hume_api

ENDPOINTS = hume_api().endpoints
IDS = [".".join((*endpoint.group, endpoint.py_name)) for endpoint in ENDPOINTS]
REFERENCE = (REPO / "generated" / "reference.md").read_text(encoding="utf-8")


def _run(api: Api, code: str, base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run an example with the default environment moved to ``base_url``, files it names made up."""
    environment_class = getattr(importlib.import_module(f"{api.package}.environment"), api.environment_class)
    default = next(e for e in api.environments if e.name == api.default_environment)
    monkeypatch.setattr(environment_class, default.py_name, environment_class.from_base_url(base_url))
    monkeypatch.chdir(tmp_path)
    for name in re.findall(r'Path\("([^"]+)"\)', code):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"RIFF0000WAVEfmt0000data")
    exec(compile(code, "<example>", "exec"), {"__name__": "__example__"})


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_reference_example_runs(
    endpoint: Endpoint, api: Api, prism: PrismServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = example_call(api, endpoint, sync=True)
    assert f"```python\n{code}\n```" in REFERENCE, "reference.md is not what the renderer gives"
    _run(api, code, prism.url_for(endpoint.source.file), tmp_path, monkeypatch)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_async_docstring_example_runs(
    endpoint: Endpoint, api: Api, prism: PrismServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(api, example_call(api, endpoint, sync=False), prism.url_for(endpoint.source.file), tmp_path, monkeypatch)
